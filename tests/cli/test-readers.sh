#!/bin/sh
# mesascope-cli: the file loaders refuse hostile input at once, naming the file and the place:
# deep nesting, NUL characters in strings, FIFOs, devices, oversized files and histories,
# inferences that do not fit their run, and large MDP files whose counts are wrong (in the
# memory of the file, not of a parse tree).
set -u
cli=$1
fail=0
n=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); echo "not ok $n - $1"; fail=1; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
err=$dir/stderr

# Runs the CLI with a time limit (a loader that blocks fails instead of hanging the suite);
# sets rc.
run () {
  timeout 60 "$cli" "$@" >"$dir/stdout" 2>"$err" && rc=0 || rc=$?
}

# expect NAME CODE TEXT: the last run exited with CODE and its stderr holds TEXT.
expect () {
  if [ "$rc" -eq "$2" ] && grep -qF -- "$3" "$err"; then
    ok "$1"
  else
    not_ok "$1 (exit $rc: $(head -c 300 "$err"))"
  fi
}

config='"config": {"scenario": "coin", "agent": "planner", "optimizer": "pgn",
  "perception": "full", "diversity": 0, "near_corner": true, "grid": 8, "iterations": 100000,
  "seed": 1, "infer_every": 1}'
train_opts="--iterations 1 --infer-every 0 --csv $dir/out.csv"

# Nesting 100000 deep overflowed json-glib's stack (exit 139) in every JSON loader.
python3 -c 'import sys; sys.stdout.write("[" * 100000)' >"$dir/deep.json"
cp "$dir/deep.json" "$dir/deep.mesascope"
run infer --demos "$dir/deep.json"
expect "demos nested 100000 deep: refused at line 1, column 65" 1 \
  "deep.json:1:65: not valid JSON: nesting deeper than 64 levels"
run infer --mdp "$dir/deep.json"
expect "MDP nested 100000 deep: refused at line 1, column 65" 1 \
  "deep.json:1:65: not valid JSON: nesting deeper than 64 levels"
run train --experiment "$dir/deep.mesascope" $train_opts
expect "experiment nested 100000 deep: refused at line 1, column 65" 1 \
  "deep.mesascope:1:65: not valid JSON: nesting deeper than 64 levels"

# A FIFO hung train --experiment; a link to /dev/zero was read until memory ran out.
mkfifo "$dir/fifo.mesascope"
run train --experiment "$dir/fifo.mesascope" $train_opts
expect "experiment FIFO: refused without blocking" 1 \
  "fifo.mesascope: not a regular file (expected an experiment file)"
ln -s /dev/zero "$dir/zero.mesascope"
run train --experiment "$dir/zero.mesascope" $train_opts
expect "experiment linked to /dev/zero: refused without reading" 1 \
  "zero.mesascope: not a regular file (expected an experiment file)"
mkfifo "$dir/fifo.json"
run infer --mdp "$dir/fifo.json"
expect "MDP FIFO: refused without blocking" 1 "fifo.json: not a regular file"

# A size cap: a (sparse) file of 64 MiB + 1 byte is refused from its size.
truncate -s 67108865 "$dir/big.mesascope"
run train --experiment "$dir/big.mesascope" $train_opts
expect "experiment over 64 MiB: refused from its size" 1 \
  "big.mesascope: file too large (67108865 bytes; an experiment file is at most 67108864)"

# The history a file may hold: at most one inference per iteration and one before them.
python3 - "$dir/runs.mesascope" "$config" <<'EOF'
import sys
with open(sys.argv[1], "w") as f:
    f.write('{"format": "mesascope-experiment", "version": 1, %s, ' % sys.argv[2])
    f.write('"inference": {"features": 7, "runs": [')
    f.write(",".join('{"iteration": 1, "inferred": [1, 0, 0, 0, 0, 0, 0]}'
                     for _ in range(100002)))
    f.write("]}}")
EOF
run train --experiment "$dir/runs.mesascope" $train_opts
expect "experiment with 100002 inferences for 100000 iterations: refused" 1 \
  "runs.mesascope: inference: 100002 runs, more than the 100000 iterations configured"

# A saved inference must have its run's features (coin with near_corner: 7).
printf '{"format": "mesascope-experiment", "version": 1, %s,
 "inference": {"features": 2, "runs": [{"iteration": 1, "inferred": [1, 0]}]}}\n' \
  "$config" >"$dir/features.mesascope"
run train --experiment "$dir/features.mesascope" $train_opts
expect "experiment inference with 2 features for a 7-feature run: refused" 1 \
  "features.mesascope: inference: “features” is 2, but a coin run with near_corner has 7"

# "coin\u0000evil" was cut to "coin" and loaded.
python3 - "$dir/nul.json" <<'EOF'
import sys
level = "mesascope-level 1\\nscenario coin\\nsize 5 5\\nhorizon 15\\nmap\\n....C\\n.#...\\n..L..\\n.....\\nS....\\n"
with open(sys.argv[1], "w") as f:
    f.write('{"scenario": "coin\\u0000evil", "levels": ["%s"],\n' % level)
    f.write(' "trajectories": [{"level": 0, "cells": [[0, 0], [1, 0], [2, 0], [3, 0], [4, 0],'
            ' [4, 1], [4, 2], [4, 3], [4, 4]]}]}\n')
EOF
run infer --demos "$dir/nul.json" --json "$dir/out.json"
expect "demos with \\u0000 in a string: refused at its place" 1 \
  "nul.json:1:19: not valid JSON: a NUL character (\\u0000) in a string"

# A 40 MB MDP file with no trajectories took 25 times its size in memory to be refused: now
# the counts are checked before the parse tree, within the file's size and a margin.
python3 - "$dir/empty.json" <<'EOF'
import sys
with open(sys.argv[1], "w") as f:
    f.write('{"states": 2, "actions": 1, "transitions": [')
    f.write(",".join(["[0,0,1,1]"] * 4000000))
    f.write('], "features": [[0], [1]], "start": [0], "trajectories": []}')
EOF
peak=$(python3 - "$dir/stdout" "$cli" infer --mdp "$dir/empty.json" <<'EOF' 2>"$err"
import resource, subprocess, sys
with open(sys.argv[1], "w") as out:
    run = subprocess.run(sys.argv[2:], stdout=out, stderr=subprocess.PIPE)
sys.stderr.write(run.stderr.decode("utf-8", "replace"))
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, run.returncode)
EOF
)
size=$(($(stat -c %s "$dir/empty.json") / 1024))
rc=${peak#* }
peak=${peak% *}
expect "40 MB MDP without trajectories: refused" 1 \
  "empty.json: \"trajectories\" is empty (expected at least one trajectory)"
if [ "$peak" -lt $((2 * size + 131072)) ]; then
  ok "40 MB MDP without trajectories: peak memory ${peak} KiB for a ${size} KiB file"
else
  not_ok "40 MB MDP without trajectories: peak memory ${peak} KiB for a ${size} KiB file"
fi

echo "1..$n"
exit $fail
