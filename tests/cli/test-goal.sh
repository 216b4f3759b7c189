#!/bin/sh
# mesascope-cli train: goal-directedness in --json and the planner's --planning-depth.
set -u
cli=$1
fail=0
n=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); echo "not ok $n - $1"; fail=1; }
check () {
  # check DESCRIPTION FILE JQ-EXPRESSION: passes when the expression is true for the file.
  if jq -e "$3" "$2" >/dev/null 2>&1; then ok "$1"; else not_ok "$1"; fi
}
run () {
  # run NAME ARGS…: train with ARGS, JSON into $tmp/NAME.json; checks the exit status.
  name=$1; shift
  "$cli" train "$@" --json "$tmp/$name.json" 2>"$tmp/err" && rc=0 || rc=$?
  [ "$rc" -eq 0 ] && ok "train $* exits 0" || not_ok "train $* exits 0 (got $rc: $(cat "$tmp/err"))"
}

run full --iterations 20
run greedy --iterations 20 --planning-depth 1
run qlearner --agent qlearner

# Every score: a number with its interval around it, resting on some decisions.
for name in full greedy qlearner; do
  check "$name: the final scores sit inside their intervals" "$tmp/$name.json" \
    '[.final.goal_directedness | .inferred, .base, .held_out
      | .decisions > 0 and .interval[0] <= .score and .score <= .interval[1] and .score <= 1]
     | all'
  check "$name: every inference in the history has the scores" "$tmp/$name.json" \
    '[.history[] | select(.inferred != null) | .goal_directedness.inferred.score | type]
     | length > 0 and all(. == "number")'
done
check "the planner has a score toward its true objective" "$tmp/full.json" \
  '.final.goal_directedness.true.score | type == "number"'
check "the Q-learner has none (null, 0 decisions)" "$tmp/qlearner.json" \
  '.final.goal_directedness.true | .score == null and .decisions == 0'
check "planning_depth is reported" "$tmp/greedy.json" '.planning_depth == 1'
check "the full planner's planning_depth is 0" "$tmp/full.json" '.planning_depth == 0'
# The knob is real: a planner that looks one step ahead is far less goal-directed toward the
# utility that best explains it than one that plans the whole episode.
if jq -e -n --slurpfile a "$tmp/full.json" --slurpfile b "$tmp/greedy.json" \
     '$a[0].final.goal_directedness.inferred.score >
      $b[0].final.goal_directedness.inferred.score + 0.2' >/dev/null; then
  ok "depth 1 scores well below the full planner toward its inferred objective"
else
  not_ok "depth 1 scores well below the full planner toward its inferred objective"
fi

"$cli" train --planning-depth -1 >/dev/null 2>"$tmp/err" && rc=0 || rc=$?
[ "$rc" -eq 2 ] && grep -q -- "--planning-depth" "$tmp/err" && ok "a negative depth is refused" \
  || not_ok "a negative depth is refused (got $rc)"
"$cli" train --agent qlearner --planning-depth 2 >/dev/null 2>"$tmp/err" && rc=0 || rc=$?
[ "$rc" -eq 2 ] && grep -q "planner" "$tmp/err" && ok "a depth for the Q-learner is refused" \
  || not_ok "a depth for the Q-learner is refused (got $rc)"

echo "1..$n"
exit $fail
