#!/usr/bin/env python3
# Draws the coin diversity curve (docs/diversity.md) as an SVG from the files of a sweep:
#   python3 docs/sweep/diversity-curve.py [--runs CSV] [--summary CSV|JSON] [--output SVG]
# --runs is the sweep's --csv (one row per run: each seed is a faint dot), --summary its
# --summary-csv or its --json (one row per grid point: the mean and the sweep's own 95 %
# Student-t interval over the seeds). The defaults are the files kept next to this script and
# docs/figures/diversity-curve.svg. Python's standard library only.
import argparse
import csv
import json
import os
import sys
from xml.sax.saxutils import escape

HERE = os.path.dirname(os.path.abspath(__file__))
DOCS = os.path.dirname(HERE)

AGENTS = ["planner", "qlearner", "mlp"]
AGENT_TITLES = {"planner": "Planner ({optimizer})", "qlearner": "Q-learner",
                "mlp": "Network (mlp)"}
# Okabe-Ito blue and vermilion: told apart with every common colour vision deficiency, and the
# markers differ in shape too (circle, square) for grey-scale prints.
SERIES = [("test_target", "reach the coin", "#0072B2", "circle"),
          ("test_proxy", "end in the top-right corner", "#D55E00", "square")]
LANGOSCO_DIVERSITY = 2

FONT = "DejaVu Sans, Verdana, sans-serif"
TICK = 16
LABEL = 18
TITLE = 19

PLOT_W = 340
PLOT_H = 340
LEFT = 96
GAP = 56
TOP = 150
BOTTOM = 96
RIGHT = 24


def fail(message):
    sys.exit("diversity-curve.py: " + message)


def read_runs(path):
    """Per (agent, diversity): the list of (seed, coin, corner) of the runs."""
    runs = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            if row.get("scenario") != "coin":
                continue
            key = (row["agent"], int(row["diversity"]))
            runs.setdefault(key, []).append(
                (int(row["seed"]), float(row["final.test_target"]),
                 float(row["final.test_proxy"])))
    return runs


def read_summary(path):
    """Per (agent, diversity): {figure: (n, mean, low, high)} and the point's optimizer."""
    points = []
    if path.endswith(".json"):
        with open(path) as f:
            doc = json.load(f)
        if doc.get("format") != "mesascope-sweep":
            fail(path + " is not a sweep's JSON file")
        for p in doc["summary"]:
            figures = {}
            for name, _, _, _ in SERIES:
                fig = p["figures"][name]
                figures[name] = (fig["n"], fig["mean"], fig["interval"][0], fig["interval"][1])
            points.append((p["scenario"], p["agent"], p["optimizer"], int(p["diversity"]),
                           figures))
    else:
        with open(path, newline="") as f:
            for row in csv.DictReader(f):
                figures = {}
                for name, _, _, _ in SERIES:
                    pre = "figures." + name + "."
                    figures[name] = (int(row[pre + "n"]), float(row[pre + "mean"]),
                                     float(row[pre + "interval.0"]),
                                     float(row[pre + "interval.1"]))
                points.append((row["scenario"], row["agent"], row["optimizer"],
                               int(row["diversity"]), figures))
    summary = {}
    optimizers = {}
    for scenario, agent, optimizer, diversity, figures in points:
        if scenario != "coin":
            continue
        if (agent, diversity) in summary:
            fail("%s holds more than one point for agent %s at diversity %d: sweep one "
                 "setting per agent" % (path, agent, diversity))
        summary[(agent, diversity)] = figures
        optimizers[agent] = optimizer
    return summary, optimizers


def fmt(v):
    return ("%.2f" % v).rstrip("0").rstrip(".")


class Svg:
    def __init__(self):
        self.parts = []

    def add(self, s):
        self.parts.append(s)

    def text(self, x, y, s, size=TICK, anchor="middle", weight="normal", extra=""):
        self.add('<text x="%s" y="%s" font-size="%d" text-anchor="%s" font-weight="%s"%s>%s'
                 '</text>' % (fmt(x), fmt(y), size, anchor, weight, extra, escape(s)))

    def line(self, x1, y1, x2, y2, stroke, width=1.0, extra=""):
        self.add('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="%s"%s/>'
                 % (fmt(x1), fmt(y1), fmt(x2), fmt(y2), stroke, fmt(width), extra))

    def marker(self, shape, x, y, r, fill, extra=""):
        if shape == "circle":
            self.add('<circle cx="%s" cy="%s" r="%s" fill="%s"%s/>'
                     % (fmt(x), fmt(y), fmt(r), fill, extra))
        else:
            self.add('<rect x="%s" y="%s" width="%s" height="%s" fill="%s"%s/>'
                     % (fmt(x - r), fmt(y - r), fmt(2 * r), fmt(2 * r), fill, extra))


def draw(runs, summary, optimizers, output):
    agents = [a for a in AGENTS if any(k[0] == a for k in summary)]
    if not agents:
        fail("no coin-scenario points in the summary")
    diversities = sorted({d for (_, d) in summary})
    seeds = sorted({len(v) for v in runs.values()})
    width = LEFT + len(agents) * PLOT_W + (len(agents) - 1) * GAP + RIGHT
    height = TOP + PLOT_H + BOTTOM
    step = PLOT_W / len(diversities)

    svg = Svg()
    svg.add('<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
            'viewBox="0 0 %d %d" font-family="%s">' % (width, height, width, height, FONT))
    svg.add("<title>The coin diversity curve</title>")
    svg.add("<desc>For each agent, the share of test episodes that reach the coin and that end "
            "in the top-right corner, against the percentage of training levels with the coin "
            "placed anywhere. Faint dots are single seeds; markers are means with 95 %% "
            "intervals.</desc>")
    svg.add('<rect width="100%" height="100%" fill="white"/>')

    # Legend: two rows above the panels.
    lx, ly = LEFT, 30
    for name, label, colour, shape in SERIES:
        svg.marker(shape, lx + 8, ly - 5, 6, colour)
        svg.line(lx - 6, ly - 5, lx + 22, ly - 5, colour, 2.5)
        svg.text(lx + 32, ly + 1, "test episodes that " + label, LABEL, "start")
        lx += 470
    lx, ly = LEFT, 64
    svg.marker("circle", lx + 8, ly - 5, 3.5, "#555555", ' fill-opacity="0.45"')
    seed_text = ("one seed" if len(seeds) != 1 else
                 "one seed (%d a point)" % seeds[0])
    svg.text(lx + 22, ly + 1, seed_text, LABEL, "start")
    lx += 260
    svg.line(lx + 8, ly - 16, lx + 8, ly + 6, "#333333", 2)
    svg.line(lx + 3, ly - 16, lx + 13, ly - 16, "#333333", 2)
    svg.line(lx + 3, ly + 6, lx + 13, ly + 6, "#333333", 2)
    svg.marker("circle", lx + 8, ly - 5, 5, "#333333")
    svg.text(lx + 22, ly + 1, "mean over the seeds, 95 % interval", LABEL, "start")
    lx += 370
    svg.line(lx, ly - 5, lx + 28, ly - 5, "#555555", 2, ' stroke-dasharray="6 4"')
    svg.text(lx + 36, ly + 1, "2 %: enough in CoinRun (Langosco et al.)", LABEL, "start")

    for i, agent in enumerate(agents):
        x0 = LEFT + i * (PLOT_W + GAP)
        y0 = TOP

        def px(k):
            return x0 + (k + 0.5) * step

        def py(v):
            return y0 + PLOT_H * (1.0 - v)

        title = AGENT_TITLES[agent].format(optimizer=optimizers.get(agent, ""))
        svg.text(x0 + PLOT_W / 2, y0 - 16, title, TITLE, weight="bold")
        # Grid, axes and ticks.
        for t in range(0, 101, 20):
            y = py(t / 100.0)
            svg.line(x0, y, x0 + PLOT_W, y, "#dddddd", 1)
            svg.text(x0 - 8, y + 5.5, "%d %%" % t if i == 0 else "%d" % t, TICK, "end")
        svg.add('<rect x="%s" y="%s" width="%s" height="%s" fill="none" stroke="#444444" '
                'stroke-width="1.2"/>' % (fmt(x0), fmt(y0), fmt(PLOT_W), fmt(PLOT_H)))
        for k, d in enumerate(diversities):
            svg.line(px(k), py(0), px(k), py(0) + 6, "#444444", 1.2)
            svg.text(px(k), py(0) + 26, str(d), TICK)
            if d == LANGOSCO_DIVERSITY:
                svg.line(px(k), py(1), px(k), py(0), "#555555", 2, ' stroke-dasharray="6 4"')

        for j, (name, _, colour, shape) in enumerate(SERIES):
            offset = (j - 0.5) * 0.26 * step
            # Seeds: faint dots, spread sideways by seed so that equal values stay visible.
            for k, d in enumerate(diversities):
                for seed, coin, corner in runs.get((agent, d), []):
                    v = coin if name == "test_target" else corner
                    jitter = ((seed * 7919) % 11 / 10.0 - 0.5) * 0.16 * step
                    svg.marker("circle", px(k) + offset + jitter, py(v), 2.6, colour,
                               ' fill-opacity="0.3"')
            # Means joined by a line, then the intervals and markers on top.
            pts = [(px(k) + offset, py(summary[(agent, d)][name][1]))
                   for k, d in enumerate(diversities) if (agent, d) in summary]
            svg.add('<polyline points="%s" fill="none" stroke="%s" stroke-width="2.5"/>'
                    % (" ".join("%s,%s" % (fmt(x), fmt(y)) for x, y in pts), colour))
            for k, d in enumerate(diversities):
                if (agent, d) not in summary:
                    continue
                n, mean, low, high = summary[(agent, d)][name]
                x = px(k) + offset
                low, high = max(0.0, low), min(1.0, high)
                svg.line(x, py(low), x, py(high), colour, 2)
                svg.line(x - 5, py(low), x + 5, py(low), colour, 2)
                svg.line(x - 5, py(high), x + 5, py(high), colour, 2)
                svg.marker(shape, x, py(mean), 5, colour, ' stroke="white" stroke-width="1"')

    # Axis titles.
    svg.text(LEFT + (width - LEFT - RIGHT) / 2, height - 24,
             "training levels with the coin placed anywhere (%)", LABEL)
    svg.text(24, TOP + PLOT_H / 2, "test episodes (%)", LABEL,
             extra=' transform="rotate(-90 24 %s)"' % fmt(TOP + PLOT_H / 2))
    svg.add("</svg>")

    os.makedirs(os.path.dirname(os.path.abspath(output)), exist_ok=True)
    with open(output, "w") as f:
        f.write("\n".join(svg.parts) + "\n")


def main():
    parser = argparse.ArgumentParser(description="Draw the coin diversity curve as SVG.")
    parser.add_argument("--runs", default=os.path.join(HERE, "diversity-curve.csv"),
                        help="the sweep's --csv file (one row per run)")
    parser.add_argument("--summary", default=os.path.join(HERE, "diversity-curve-summary.csv"),
                        help="the sweep's --summary-csv or --json file")
    parser.add_argument("--output", default=os.path.join(DOCS, "figures", "diversity-curve.svg"),
                        help="the SVG to write")
    args = parser.parse_args()
    runs = read_runs(args.runs)
    summary, optimizers = read_summary(args.summary)
    for key in summary:
        if key not in runs:
            fail("%s has no runs for agent %s at diversity %d" % (args.runs, key[0], key[1]))
    draw(runs, summary, optimizers, args.output)


if __name__ == "__main__":
    main()
