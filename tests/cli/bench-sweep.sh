#!/bin/sh
# Runs per second of mesascope-cli sweep with --jobs 1 and --jobs 2, and the speed-up of two
# jobs over one, as "name value unit" lines (a benchmark, never a test: the host's other load
# shows in the figures). The best of three sweeps of each kind counts.
# Usage: bench-sweep.sh CLI [RUNS]
set -eu
cli=$1
runs=${2:-48}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# seconds JOBS: the wall-clock seconds of the fastest of three sweeps of $runs runs.
seconds () {
  best=
  for attempt in 1 2 3; do
    start=$(date +%s.%N)
    "$cli" sweep --seeds "1-$runs" --iterations 20 --jobs "$1" --json "$tmp/out.json"
    end=$(date +%s.%N)
    best=$(echo "$start $end ${best:-inf}" | awk '{ t = $2 - $1; print (t < $3 ? t : $3) }')
  done
  echo "$best"
}

one=$(seconds 1)
two=$(seconds 2)
awk -v runs="$runs" -v one="$one" -v two="$two" 'BEGIN {
  printf "sweep_jobs1_runs_per_second %.3f runs/s\n", runs / one
  printf "sweep_jobs2_runs_per_second %.3f runs/s\n", runs / two
  printf "sweep_jobs2_speedup %.3f ratio\n", one / two
}'
