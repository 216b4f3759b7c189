#!/bin/sh
# Runs per second of mesascope-cli sweep with --jobs 1 and --jobs 2, and the speed-up of two
# jobs over one, as "name value unit" lines (a benchmark, never a test). The fastest of five
# sweeps of each kind counts. The processor time the sweeps got is printed too: runs per
# processor-second (equal for both when the runs do not slow each other down) and processors
# in use (wall-clock share), which shows when other load on the host, not the sweep, limits
# the speed-up.
# Usage: bench-sweep.sh CLI [RUNS [ATTEMPTS]]
set -eu
cli=$1
runs=${2:-48}
attempts=${3:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# cpu: the processor seconds (user + system) of the finished children so far. times runs in
# this shell (a command substitution would report its own children).
cpu () {
  times >"$tmp/times"
  sed -n 2p "$tmp/times" | awk '{
    t = 0
    for (i = 1; i <= 2; i++) { split($i, p, /[ms]/); t += p[1] * 60 + p[2] }
    print t
  }'
}

# sweep JOBS: "WALL CPU" of one sweep of $runs runs.
sweep () {
  cpu >"$tmp/cpu-start"
  start=$(date +%s.%N)
  "$cli" sweep --seeds "1-$runs" --iterations 20 --jobs "$1" --json "$tmp/out.json"
  end=$(date +%s.%N)
  cpu >"$tmp/cpu-end"
  echo "$start $end $(cat "$tmp/cpu-start") $(cat "$tmp/cpu-end")" | awk '{ print $2 - $1, $4 - $3 }'
}

# The two kinds alternate, so that both meet the same load; the fastest of each counts.
one=
two=
for attempt in $(seq 1 "$attempts"); do
  one=$(echo "$(sweep 1) $one" | awk '{ print ($3 == "" || $1 < $3) ? $1 " " $2 : $3 " " $4 }')
  two=$(echo "$(sweep 2) $two" | awk '{ print ($3 == "" || $1 < $3) ? $1 " " $2 : $3 " " $4 }')
done
echo "$runs $one $two" | awk '{
  runs = $1; wall1 = $2; cpu1 = $3; wall2 = $4; cpu2 = $5
  printf "sweep_jobs1_runs_per_second %.3f runs/s\n", runs / wall1
  printf "sweep_jobs2_runs_per_second %.3f runs/s\n", runs / wall2
  printf "sweep_jobs2_speedup %.3f ratio\n", wall1 / wall2
  printf "sweep_jobs1_runs_per_cpu_second %.3f runs/s\n", runs / cpu1
  printf "sweep_jobs2_runs_per_cpu_second %.3f runs/s\n", runs / cpu2
  printf "sweep_jobs1_processors_used %.2f processors\n", cpu1 / wall1
  printf "sweep_jobs2_processors_used %.2f processors\n", cpu2 / wall2
}'
