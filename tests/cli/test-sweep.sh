#!/bin/sh
# mesascope-cli sweep: every row is the run train makes with the same options and seed;
# shards merged, and a sweep stopped by SIGINT and resumed, give the unsharded files byte for
# byte; the recipes for GNU Parallel and Slurm (docs/sweep/) work; usage errors name the option.
# Usage: test-sweep.sh CLI SOURCE_ROOT
set -u
cli=$1
root=$2
# The recipes run in folders of their own.
case $cli in /*) ;; *) cli=$PWD/$cli ;; esac
case $root in /*) ;; *) root=$PWD/$root ;; esac
. "$(dirname "$0")/tap.sh"
# same DESCRIPTION A B: files A and B are equal byte for byte.
same () {
  if cmp -s "$2" "$3"; then ok "$1"; else not_ok "$1 ($(cmp "$2" "$3" 2>&1 | head -n 1))"; fi
}
# csv_ok FILE ROWS: FILE is a CSV of a header and ROWS lines, all with the header's fields.
csv_ok () {
  awk -F, -v rows="$2" 'NR == 1 { nf = NF } NF != nf { bad = 1 }
    END { exit !(NR == rows + 1 && !bad && nf > 10) }' "$1"
}

# --- 1. the rows are train's runs
small="--diversity 0,50 --seeds 1-2 --iterations 4"
run sweep $small --json "$tmp/small.json" --csv "$tmp/small.csv"
[ "$rc" -eq 0 ] && ok "a 2 x 2 sweep exits 0" || not_ok "a 2 x 2 sweep exits 0 ($(cat "$tmp/err"))"
jq -e '.format == "mesascope-sweep" and .complete and (.runs | length) == 4
       and ([.runs[].index] == [0, 1, 2, 3]) and (.summary | length) == 2' \
  "$tmp/small.json" >/dev/null && ok "four rows by grid index, two grid points summarised" \
  || not_ok "four rows by grid index, two grid points summarised"
for d in 0 50; do
  for s in 1 2; do
    "$cli" train --diversity "$d" --seed "$s" --iterations 4 --json "$tmp/train.json" \
      2>"$tmp/err" || not_ok "train --diversity $d --seed $s"
    if jq -e --slurpfile t "$tmp/train.json" --argjson d "$d" --argjson s "$s" \
         '[.runs[] | select(.diversity == $d and .seed == $s)] as $r
          | ($r | length) == 1 and $r[0].final == $t[0].final
          and ($r[0] | del(.index, .final)) == ($t[0] | with_entries(select(.key as $k
            | ["scenario", "agent", "optimizer", "seed", "perception", "diversity",
               "near_corner", "grid", "iterations", "infer_every", "planning_depth"]
            | index($k))))' "$tmp/small.json" >/dev/null; then
      ok "diversity $d seed $s: the row's options and final figures are train's"
    else
      not_ok "diversity $d seed $s: the row's options and final figures are train's"
    fi
  done
done
jq -e '.runs[0].final.goal_directedness.inferred.score | type == "number"' "$tmp/small.json" \
  >/dev/null && ok "rows hold the goal-directedness scores" \
  || not_ok "rows hold the goal-directedness scores"
jq -e '.summary[1] | .diversity == 50 and .runs == 2 and (has("seed") | not)
       and (.figures.test_target | .n == 2 and .interval[0] <= .mean and .mean <= .interval[1])' \
  "$tmp/small.json" >/dev/null && ok "a grid point's summary: mean inside its interval" \
  || not_ok "a grid point's summary: mean inside its interval"
if jq -e --slurpfile s "$tmp/small.json" \
     '.summary[0].figures.test_target.mean
      == (($s[0].runs[0].final.test_target + $s[0].runs[1].final.test_target) / 2)' \
     "$tmp/small.json" >/dev/null; then
  ok "the summary's mean is the mean over the seeds"
else
  not_ok "the summary's mean is the mean over the seeds"
fi
csv_ok "$tmp/small.csv" 4 && ok "the CSV has a header and one row per run" \
  || not_ok "the CSV has a header and one row per run"
col=$(head -n 1 "$tmp/small.csv" | tr ',' '\n' | grep -nx 'final.test_target' | cut -d: -f1)
if [ -n "$col" ] && [ "$(sed -n 4p "$tmp/small.csv" | cut -d, -f"$col")" = \
     "$(jq '.runs[2].final.test_target' "$tmp/small.json")" ]; then
  ok "a CSV figure prints as in the JSON"
else
  not_ok "a CSV figure prints as in the JSON"
fi
run sweep $small --jobs 1 --json "$tmp/jobs1.json"
same "--jobs 1 writes the same file" "$tmp/small.json" "$tmp/jobs1.json"
run sweep $small
same "without --json or --csv the JSON goes to standard output" "$tmp/small.json" "$tmp/out"

# --- 2. shards merged are the unsharded files
grid="--agent planner,qlearner --diversity 0,20,100 --seeds 3-4 --iterations 4"
run sweep $grid --json "$tmp/whole.json" --csv "$tmp/whole.csv" --summary-csv "$tmp/whole-sum.csv"
[ "$rc" -eq 0 ] && ok "the 12-run sweep exits 0" || not_ok "the 12-run sweep exits 0"
csv_ok "$tmp/whole-sum.csv" 6 && ok "the summary CSV has one row per grid point" \
  || not_ok "the summary CSV has one row per grid point"
for count in 1 3 7; do
  files=
  for i in $(seq 1 "$count"); do
    "$cli" sweep $grid --jobs 1 --shard "$i/$count" --json "$tmp/s$i-$count.json" 2>"$tmp/err" \
      || not_ok "shard $i/$count ($(cat "$tmp/err"))"
    # Backwards, so the merge cannot rely on the order of its files.
    files="$tmp/s$i-$count.json $files"
  done
  run sweep --merge $files --json "$tmp/merged-$count.json" --csv "$tmp/merged-$count.csv" \
    --summary-csv "$tmp/merged-sum-$count.csv"
  [ "$rc" -eq 0 ] || echo "# merge of $count: $(cat "$tmp/err")"
  same "$count shards merged: the JSON byte for byte" "$tmp/whole.json" "$tmp/merged-$count.json"
  same "$count shards merged: the CSV byte for byte" "$tmp/whole.csv" "$tmp/merged-$count.csv"
  same "$count shards merged: the summary CSV byte for byte" "$tmp/whole-sum.csv" \
    "$tmp/merged-sum-$count.csv"
done
jq -e '.shard == "2/3" and ([.runs[].index] == [1, 4, 7, 10])' "$tmp/s2-3.json" >/dev/null \
  && ok "shard 2/3 holds every third run from the second" \
  || not_ok "shard 2/3 holds every third run from the second"
run sweep --merge "$tmp/s1-3.json" "$tmp/s3-3.json" --json "$tmp/gap.json"
expect "a merge with a shard missing fails, counting the runs" 1 "4 of 12 runs are in none"
[ ! -e "$tmp/gap.json" ] && ok "the failed merge writes nothing" \
  || not_ok "the failed merge writes nothing"
"$cli" sweep $grid --shard 2/3 --resume "$tmp/again.json" 2>"$tmp/err" \
  || not_ok "a lost shard run again alone"
run sweep --merge "$tmp/s1-3.json" "$tmp/again.json" "$tmp/s3-3.json" --json "$tmp/re.json"
same "the lost shard run again completes the merge" "$tmp/whole.json" "$tmp/re.json"
run sweep --agent planner --seeds 3-4 --iterations 4 --json "$tmp/other.json"
run sweep --merge "$tmp/s1-3.json" "$tmp/other.json"
expect "shards of another sweep are refused" 1 "another sweep"
run sweep --merge "$tmp/s1-3.json" --json "$tmp/s1-3.json"
expect "a merge does not write over its input" 2 "is the --merge file"

# --- SIGINT: a valid partial file, which --resume completes
long="--seeds 1-240 --iterations 4"
"$cli" sweep $long --jobs 2 --json "$tmp/long.json" --csv "$tmp/long.csv" 2>"$tmp/err" \
  || not_ok "the 240-run sweep"
"$cli" sweep $long --jobs 2 --json "$tmp/part.json" --csv "$tmp/part.csv" >"$tmp/out" \
  2>"$tmp/err" &
pid=$!
# Once the CLI catches SIGINT (as in test-messages.sh) and has used 0.6 s of processor time,
# some tens of runs on a quiet host, a few under sanitizers, and far from all 240.
ticks=$(( $(getconf CLK_TCK) * 6 / 10 ))
tries=0
while [ "$tries" -lt 600 ] && kill -0 "$pid" 2>/dev/null; do
  status=$(cat "/proc/$pid/status" 2>/dev/null)
  name=$(echo "$status" | sed -n 's/^Name:[[:space:]]*//p')
  caught=$(echo "$status" | sed -n 's/^SigCgt:[[:space:]]*//p')
  # Fields 14 and 15 of stat: user and system time (the name, field 2, has no space here).
  used=$(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null)
  [ "$name" = mesascope-cli ] && [ -n "$caught" ] && [ $(( 0x$caught & 2 )) -ne 0 ] \
    && [ "${used:-0}" -ge "$ticks" ] && break
  tries=$((tries + 1))
  sleep 0.05
done
kill -INT "$pid" 2>/dev/null
wait "$pid" && rc=0 || rc=$?
expect "SIGINT stops the sweep with exit status 130" 130 "interrupted; "
grep -qF -- "--resume $tmp/part.json' with the same options completes the sweep" "$tmp/err" \
  && ok "the message says how to complete it" || not_ok "the message says how to complete it"
held=$(jq '.runs | length' "$tmp/part.json" 2>/dev/null)
if jq -e '.complete == false and (.runs | length) > 0 and (.runs | length) < 240
          and ([.runs[].index] | . == sort)' "$tmp/part.json" >/dev/null 2>&1; then
  ok "the partial JSON is valid, incomplete, by index ($held of 240 runs)"
else
  not_ok "the partial JSON is valid, incomplete, by index ($held runs)"
fi
csv_ok "$tmp/part.csv" "${held:-0}" && ok "the partial CSV is valid, one row per run held" \
  || not_ok "the partial CSV is valid, one row per run held"
run sweep $long --jobs 2 --resume "$tmp/part.json" --csv "$tmp/part.csv"
[ "$rc" -eq 0 ] && ok "--resume exits 0" || not_ok "--resume exits 0 ($(cat "$tmp/err"))"
same "--resume completes the JSON byte for byte" "$tmp/long.json" "$tmp/part.json"
same "--resume completes the CSV byte for byte" "$tmp/long.csv" "$tmp/part.csv"
run sweep $long --seeds 1-3 --resume "$tmp/part.json"
expect "--seeds given twice is refused" 2 "--seeds given twice"
run sweep --seeds 1-3 --iterations 4 --resume "$tmp/part.json"
expect "--resume refuses the file of another sweep" 1 "is another sweep"
run sweep $grid --shard 1/3 --resume "$tmp/whole.json"
expect "--resume refuses the file of another shard" 1 "not 1/3"

# --- progress on a terminal only
: >"$tmp/empty"
script -qec "'$cli' sweep $small --json '$tmp/p.json'" "$tmp/typescript" >/dev/null 2>&1 \
  <"$tmp/empty"
grep -qa "sweep: run 4 of 4, 0:[0-9][0-9] elapsed" "$tmp/typescript" \
  && ok "a terminal shows the runs done and the time" \
  || not_ok "a terminal shows the runs done and the time"
run sweep $small --json "$tmp/p.json"
[ "$rc" -eq 0 ] && [ ! -s "$tmp/err" ] && ok "no progress when standard error is not a terminal" \
  || not_ok "no progress when standard error is not a terminal"

# --- the recipes of docs/sweep, with a small grid
mkdir "$tmp/slurm"
count=3
for i in $(seq 1 "$count"); do
  # Task 2 as when it is run again alone (sbatch --array=2): an array of one task.
  tasks=$([ "$i" -eq 2 ] && echo 1 || echo "$count")
  (cd "$tmp/slurm" && SWEEP="$grid" MESASCOPE_CLI="$cli" SHARDS=$count SLURM_ARRAY_TASK_ID=$i \
     SLURM_ARRAY_TASK_COUNT=$tasks SLURM_CPUS_PER_TASK=1 sh "$root/docs/sweep/slurm.sbatch") \
    2>"$tmp/err" || not_ok "Slurm task $i ($(cat "$tmp/err"))"
done
(cd "$tmp/slurm" && "$cli" sweep --merge shard-*.json --json sweep.json --csv sweep.csv)
same "the Slurm array's shards merge into the unsharded JSON" "$tmp/whole.json" \
  "$tmp/slurm/sweep.json"
same "the Slurm array's shards merge into the unsharded CSV" "$tmp/whole.csv" \
  "$tmp/slurm/sweep.csv"
if command -v parallel >/dev/null; then
  # Two "computers" reached through an ssh that runs the command here. A real ssh login
  # sets SHELL, which GNU Parallel's remote side runs the job with; the test's own
  # environment (a CI runner, env -i) may not have it.
  mkdir "$tmp/parallel"
  printf '#!/bin/sh\nshift\n[ "$1" = -- ] && shift\nSHELL=/bin/sh exec sh -c "$*"\n' \
    >"$tmp/fake-ssh"
  chmod +x "$tmp/fake-ssh"
  printf 'alpha\nbeta\n' >"$tmp/hosts"
  (cd "$tmp/parallel" && PARALLEL_SSH="$tmp/fake-ssh" SWEEP="$grid" MESASCOPE_CLI="$cli" \
     sh "$root/docs/sweep/parallel.sh" "$tmp/hosts" 4) >"$tmp/out" 2>"$tmp/err" \
    || echo "# parallel.sh: $(tail -n 3 "$tmp/err")"
  same "GNU Parallel over ssh: the merged JSON is the unsharded one" "$tmp/whole.json" \
    "$tmp/parallel/sweep.json"
  same "GNU Parallel over ssh: the merged CSV is the unsharded one" "$tmp/whole.csv" \
    "$tmp/parallel/sweep.csv"
else
  not_ok "GNU Parallel is installed (build-aux/install-deps.sh installs it)"
fi
for recipe in "sweep --merge" "--shard {}/" "SLURM_ARRAY_TASK_ID/\$n" "--array=1-8" "n=8"; do
  grep -qF -- "$recipe" "$root/README.md" && ok "the README shows '$recipe'" \
    || not_ok "the README shows '$recipe'"
done

# --- usage errors name the option and exit 2
usage () {
  # usage TEXT ARGS…: sweep ARGS is a usage error whose message holds TEXT.
  text=$1; shift
  run sweep "$@"
  expect "sweep $*: usage error naming it" 2 "$text"
}
usage "--shard: '0/3' is not a shard" --shard 0/3
usage "--shard: '4/3' is not a shard" --shard 4/3
usage "--jobs: '0' is out of range" --jobs 0
usage "--seeds: '5-1' is not a range of seeds" --seeds 5-1
usage "--seeds: 'x' is not a seed" --seeds 1,x
usage "--diversity: '0,,5' has an empty value" --diversity 0,,5
usage "--diversity: '5' is listed twice" --diversity 5,5
usage "--diversity: '101' is not a percentage" --diversity 0,101
usage "unknown option '--seed' (a sweep takes --seeds" --seed 3
usage "--merge: --diversity is not for a merge" --merge "$tmp/whole.json" --diversity 0
usage "--merge needs the --json files" --merge
usage "the Q-learner has no base optimizer" --agent planner,qlearner --optimizer cem
usage "--iterations 100000: this run would take" --iterations 10,100000 --grid 16 \
  --optimizer cem
usage "unexpected argument 'extra'" extra
usage "the lists make more than 1000000 runs" --seeds 0-999999 --iterations 1,2
run sweep --help
grep -qF -- "--shard I/N" "$tmp/out" && [ "$rc" -eq 0 ] && ok "sweep --help lists --shard" \
  || not_ok "sweep --help lists --shard"

echo "1..$n"
exit $fail
