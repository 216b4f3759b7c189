#!/bin/sh
# mesascope-cli: messages say what is wrong, help says what each command accepts, long runs
# are refused beyond their limit, show progress only on a terminal, and stop cleanly on
# SIGINT and SIGTERM without touching their outputs.
# Usage: test-messages.sh CLI SOURCE_ROOT
set -u
cli=$1
root=$2
. "$(dirname "$0")/tap.sh"
: >"$tmp/empty"
# lacks DESCRIPTION TEXT: the last run's stderr does not hold TEXT.
lacks () {
  if grep -qF -- "$2" "$tmp/err"; then not_ok "$1 ($(head -n 1 "$tmp/err"))"; else ok "$1"; fi
}

# --- train's option messages
run train --optimizer foo
expect "--optimizer foo lists pg among the optimizers" 2 "expected pgn, cem or pg"

run train --perception radius:99999
expect "radius:99999 names the real range on grid 8" 2 "from 1 to 16"
run train --grid 12 --perception radius:25
expect "radius:25 names the real range on grid 12" 2 "from 1 to 24"

run train --agent qlearner --optimizer cem --iterations 2 --infer-every 0 --json "$tmp/q.json"
expect "--agent qlearner --optimizer cem is refused" 2 "the Q-learner has no base optimizer"
[ ! -e "$tmp/q.json" ] && ok "the refused Q-learner run writes nothing" \
  || not_ok "the refused Q-learner run writes nothing"
run train --optimizer cem --agent qlearner --iterations 2 --infer-every 0 --json -
expect "the refusal does not depend on the order of the options" 2 "no base optimizer"

# --- repeated options: train and infer alike
run train --iterations 3 --iterations 4 --infer-every 0 --json -
expect "train refuses an option given twice" 2 "--iterations given twice"
run train --json=- --json "$tmp/b.json" --iterations 1 --infer-every 0
expect "train refuses --json given twice" 2 "--json given twice"
run infer --json "$tmp/a.json" --json "$tmp/b.json" --mdp "$tmp/none.json"
expect "infer refuses --json given twice in the same words" 2 "--json given twice"
run train --seed= --iterations 1 --infer-every 0 --json -
expect "train refuses an empty value as infer does" 2 "--seed needs a non-empty value"
run infer --mdp=
expect "infer refuses an empty value" 2 "--mdp needs a non-empty value"

# --- help
run help train
if [ "$rc" -eq 0 ] && head -n 1 "$tmp/out" | grep -qF "Usage: mesascope-cli train"; then
  ok "help train prints train's help"
else
  not_ok "help train prints train's help (exit $rc: $(head -n 1 "$tmp/out"))"
fi
run help infer
head -n 1 "$tmp/out" | grep -qF "Usage: mesascope-cli infer" \
  && ok "help infer prints infer's help" || not_ok "help infer prints infer's help"
run help frobnicate
expect "help of an unknown command is a usage error" 2 "unknown command 'frobnicate'"
run train --help
grep -qF -- "--export-demos FILE" "$tmp/out" && ok "train --help lists --export-demos" \
  || not_ok "train --help lists --export-demos"
grep -qF -- "export\-demos" "$root/data/mesascope-cli.1" \
  && ok "the man page documents --export-demos" || not_ok "the man page documents --export-demos"

# --- messages of the file loaders
mdp () {
  # mdp STATES DISCOUNT: a two-state MDP file with these values, as text.
  printf '{"states": %s, "actions": 1, "transitions": [[0, 0, 1, 1], [1, 0, 1, 1]],\n' "$1"
  printf ' "features": [[0], [1]], "start": [0], "discount": %s,\n' "$2"
  printf ' "trajectories": [[0, 1, 1]]}\n'
}
mdp 18446744073709551615 0.9 >"$tmp/states.json"
run infer --mdp "$tmp/states.json"
expect "\"states\" beyond 64 bits is refused at its place" 1 "states.json:1:12: "
lacks "an out-of-range \"states\" is not reported as -1" "is -1"
mdp -18446744073709551614 0.9 >"$tmp/wrapped.json"
run infer --mdp "$tmp/wrapped.json"
expect "\"states\": -18446744073709551614 is not read as 2" 1 "beyond ±9223372036854775807"
mdp 2 1.0000001 >"$tmp/discount.json"
run infer --mdp "$tmp/discount.json"
expect "\"discount\": 1.0000001 is printed as read" 1 "\"discount\" is 1.0000001 ("

# Features given as [s, f, value] entries or "one-hot": a repeated entry is refused with both
# places, an out-of-range feature with its entry; both forms solve like the rows they stand for.
sparse () {
  # sparse FEATURES: a three-state chain with these "n_features" and "features" members.
  printf '{"states": 3, "actions": 2, "transitions": [[0, 0, 1, 1], [0, 1, 0, 1],\n'
  printf ' [1, 0, 2, 1], [1, 1, 0, 1]], %s, "terminal": [2], "start": [0],\n' "$1"
  printf ' "discount": 0.9, "trajectories": [[0, 1, 2], [0, 0, 1, 2]]}\n'
}
sparse '"n_features": 3, "features": [[0, 0, 1], [1, 1, 1], [0, 0, 2]]' >"$tmp/twice.json"
run infer --mdp "$tmp/twice.json"
expect "a repeated feature entry names both places" 1 \
  "twice.json: features[2]: feature 0 of state 0 is given twice (first at features[0])"
sparse '"n_features": 3, "features": [[0, 0, 1], [1, 3, 1]]' >"$tmp/range.json"
run infer --mdp "$tmp/range.json"
expect "a feature beyond n_features names its entry" 1 \
  "range.json: features[1]: feature 3 is out of range (0 to 2)"
sparse '"features": "one-hot"' >"$tmp/one-hot.json"
sparse '"features": [[1, 0, 0], [0, 1, 0], [0, 0, 1]]' >"$tmp/rows.json"
sparse '"n_features": 3, "features": [[2, 2, 1], [1, 1, 1], [0, 0, 1]]' >"$tmp/entries.json"
for form in one-hot rows entries; do
  "$cli" infer --mdp "$tmp/$form.json" --causal --json "$tmp/$form-out.json" 2>"$tmp/err" \
    || not_ok "infer --mdp solves features given as $form ($(head -n 1 "$tmp/err"))"
done
cmp -s "$tmp/one-hot-out.json" "$tmp/rows-out.json" \
  && cmp -s "$tmp/entries-out.json" "$tmp/rows-out.json" \
  && ok "one-hot, rows and entries give the same result" \
  || not_ok "one-hot, rows and entries give the same result"

experiment () {
  # experiment VERSION CONFIG: an experiment file with these members, as text.
  printf '{"format": "mesascope-experiment", "version": %s, "config": %s}\n' "$1" "$2"
}
experiment 0 '{}' >"$tmp/version.mesascope"
run train --experiment "$tmp/version.mesascope"
expect "\"version\": 0 says what is wrong" 1 "“version” is 0 (formats are numbered from 1)"
experiment 1 '[]' >"$tmp/config.mesascope"
run train --experiment "$tmp/config.mesascope"
expect "\"config\": [] says what is wrong" 1 "“config” is not an object"

# --- level check: a file name with a line break stays on one line
name="$tmp/$(printf 'a\nb.level:1:1: forged')"
printf 'not a level\n' >"$name"
run level check "$name"
if [ "$rc" -eq 1 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && ! grep -q '^b\.level' "$tmp/err"; then
  ok "a line break in a file name cannot forge a second FILE:LINE:COL line"
else
  not_ok "a line break in a file name cannot forge a second FILE:LINE:COL line"
fi
grep -qF 'a\nb.level:1:1: forged:1:1: ' "$tmp/err" \
  && ok "the line break is written as a C escape" \
  || not_ok "the line break is written as a C escape"

# --- limits. A regression would run for hours: timeout turns that into a failure.
run_limited () { timeout 120 "$cli" "$@" >"$tmp/out" 2>"$tmp/err" && rc=0 || rc=$?; }
run_limited train --grid 16 --optimizer cem --infer-every 1 --iterations 100000 \
  --json "$tmp/l.json"
expect "a 15-hour training run is refused, naming the limit" 2 "beyond the limit of 300000"
grep -qF "at most 882 iterations" "$tmp/err" && ok "the refusal names the most iterations allowed" \
  || not_ok "the refusal names the most iterations allowed"
run train --help
grep -qF "at most 300000 units of work" "$tmp/out" && ok "train --help states the limit" \
  || not_ok "train --help states the limit"
run infer --help
grep -qF "at most 1000000000 units of work" "$tmp/out" && ok "infer --help states the limit" \
  || not_ok "infer --help states the limit"
grep -qF "300000 units of work" "$root/data/mesascope-cli.1" \
  && grep -qF "10\(ha9 units of work" "$root/data/mesascope-cli.1" \
  && ok "the man page states both limits" || not_ok "the man page states both limits"
# chain N GAMMA: a ring of N states without a horizon, where action 0 moves on and action 1
# stays; the demonstration moves on. With γ near 1 every pass takes many sweeps.
chain () {
  awk -v n="$1" -v gamma="$2" 'BEGIN {
    printf "{\"states\": %d, \"actions\": 2, \"discount\": %s, \"start\": [0],\n", n, gamma
    printf " \"trajectories\": [[0, 1, 2, 3]], \"transitions\": ["
    for (s = 0; s < n; s++)
      printf "%s[%d, 0, %d, 1], [%d, 1, %d, 1]", (s ? ", " : ""), s, (s + 1) % n, s, s
    printf "],\n \"features\": ["
    for (s = 0; s < n; s++) printf "%s[%d, %d]", (s ? ", " : ""), s % 2, s % 3 == 0
    printf "]}\n"
  }'
}
# 2000 states, γ = 0.9999: 368414 sweeps of 8000 units.
chain 2000 0.9999 >"$tmp/slow.json"
run_limited infer --mdp "$tmp/slow.json" --json "$tmp/slow-out.json"
expect "an MDP solve beyond the limit is refused, naming it" 2 "beyond the limit of 1000000000"
[ ! -e "$tmp/slow-out.json" ] && ok "the refused solve writes nothing" \
  || not_ok "the refused solve writes nothing"

# --- progress: on a terminal only
# on_terminal COMMAND…: runs the CLI with a terminal for its output (script), which
# $tmp/typescript records; sets rc.
on_terminal () {
  script -qec "'$cli' $*" "$tmp/typescript" >"$tmp/script-out" 2>&1 <"$tmp/empty" \
    && rc=0 || rc=$?
}
on_terminal train --iterations 3 --infer-every 0 --json "'$tmp/p.json'"
if [ "$rc" -eq 0 ] && grep -qa "iteration 3 of 3, 0:[0-9][0-9] elapsed, about 0:00 left" \
     "$tmp/typescript"; then
  ok "a terminal shows the iteration, the time elapsed and the time left"
else
  not_ok "a terminal shows the iteration, the time elapsed and the time left (exit $rc)"
fi
run train --iterations 3 --infer-every 0 --json "$tmp/p.json"
[ "$rc" -eq 0 ] && [ ! -s "$tmp/err" ] && ok "no progress when standard error is not a terminal" \
  || not_ok "no progress when standard error is not a terminal ($(head -c 200 "$tmp/err"))"
chain 20 0.9 >"$tmp/quick.json"
on_terminal infer --mdp "'$tmp/quick.json'" --json "'$tmp/i.json'"
[ "$rc" -eq 0 ] && grep -qa "infer: evaluation [0-9]*, 0:[0-9][0-9] elapsed" "$tmp/typescript" \
  && ok "infer shows its evaluations on a terminal" \
  || not_ok "infer shows its evaluations on a terminal"
run infer --mdp "$tmp/quick.json" --json "$tmp/i.json"
[ "$rc" -eq 0 ] && [ ! -s "$tmp/err" ] \
  && ok "infer shows nothing when standard error is not a terminal" \
  || not_ok "infer shows nothing when standard error is not a terminal ($(head -c 200 "$tmp/err"))"

# --- SIGINT and SIGTERM: the run stops, its output stays as it was
# 2000 states, γ = 0.999: within the limit, and seconds an evaluation.
chain 2000 0.999 >"$tmp/long.json"
for case in "train INT" "train TERM" "infer INT"; do
  command=${case% *}
  sig=${case#* }
  want=$([ "$sig" = INT ] && echo 130 || echo 143)
  printf 'the previous results\n' >"$tmp/keep.json"
  cp "$tmp/keep.json" "$tmp/before.json"
  if [ "$command" = train ]; then
    set -- train --iterations 40000
  else
    set -- infer --mdp "$tmp/long.json"
  fi
  # A simple command, so that $! is the CLI itself and not a subshell around it.
  "$cli" "$@" --json "$tmp/keep.json" >"$tmp/out" 2>"$tmp/err" &
  pid=$!
  # The signal goes once the CLI catches it, as it does while it works: /proc/PID/status
  # names the program and shows the signal caught and not ignored, twice in a row (so that
  # an exec under way, which renames the process before it resets the shell's handlers, is
  # not taken for it). A binary that never catches it gets it after 300 tries.
  bit=$((1 << ($want - 129)))
  tries=0
  seen=0
  status=
  while [ "$tries" -lt 300 ] && [ "$seen" -lt 2 ] && kill -0 "$pid" 2>/dev/null; do
    status=$(cat "/proc/$pid/status" 2>/dev/null)
    name=$(echo "$status" | sed -n 's/^Name:[[:space:]]*//p')
    caught=$(echo "$status" | sed -n 's/^SigCgt:[[:space:]]*//p')
    ignored=$(echo "$status" | sed -n 's/^SigIgn:[[:space:]]*//p')
    if [ "$name" = mesascope-cli ] && [ -n "$caught" ] && [ -n "$ignored" ] \
       && [ $(( 0x$caught & bit )) -ne 0 ] && [ $(( 0x$ignored & bit )) -eq 0 ]; then
      seen=$((seen + 1))
    else
      seen=0
    fi
    tries=$((tries + 1))
    [ "$seen" -lt 2 ] && sleep 0.1
  done
  masks=$(echo "$status" | grep '^Sig' | tr '\n\t' '  ')
  kill -"$sig" "$pid" 2>/dev/null
  wait "$pid" && rc=0 || rc=$?
  [ "$rc" -eq "$want" ] || echo "# $command after $tries tries: $masks"
  expect "$command: SIG$sig stops with exit status $want" "$want" \
    "$command: interrupted; no file was written"
  cmp -s "$tmp/keep.json" "$tmp/before.json" \
    && ok "$command: SIG$sig leaves the existing --json file as it was" \
    || not_ok "$command: SIG$sig leaves the existing --json file as it was"
  [ "$(ls "$tmp" | grep -c '^keep\.json.')" -eq 0 ] \
    && ok "$command: SIG$sig leaves no temporary file" \
    || not_ok "$command: SIG$sig leaves no temporary file"
done

echo "1..$n"
exit $fail
