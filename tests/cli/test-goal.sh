#!/bin/sh
# mesascope-cli: goal-directedness in train --json and in infer, and the planner's
# --planning-depth. Usage: test-goal.sh CLI GEN-CLIFF
set -u
cli=$1
gen_cliff=$2
. "$(dirname "$0")/tap.sh"
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

# infer --mdp on cliff walking: ε-greedy versions of the optimal policy score lower the more
# they explore, from about 1 at ε = 0 to about 0 at ε = 1 (the paper's CliffWorld figure).
previous=2
monotone=1
for eps in 0 0.1 0.2 0.3 0.4 0.5 0.6 0.7 0.8 0.9 1; do
  "$gen_cliff" "$eps" 4000 7 "$tmp/cliff.json" || { not_ok "gen-cliff $eps"; continue; }
  score=$("$cli" infer --mdp "$tmp/cliff.json" | jq '.goal_directedness.score')
  echo "# ε $eps: $score"
  case "$eps" in
    0) jq -e -n "$score >= 0.95" >/dev/null && ok "ε 0 scores about 1 ($score)" \
         || not_ok "ε 0 scores about 1 ($score)" ;;
    1) jq -e -n "($score | fabs) <= 0.05" >/dev/null && ok "ε 1 scores about 0 ($score)" \
         || not_ok "ε 1 scores about 0 ($score)" ;;
  esac
  jq -e -n "$score < $previous" >/dev/null || monotone=0
  previous=$score
done
[ "$monotone" -eq 1 ] && ok "the score falls at every step of ε" \
  || not_ok "the score falls at every step of ε"

# --utility: toward a given utility only its scale is fitted, so scaling it changes nothing.
"$gen_cliff" 0.2 1000 3 "$tmp/cliff.json"
echo '[1, -1, -0.1]' >"$tmp/u1.json"
echo '[5, -5, -0.5]' >"$tmp/u5.json"
s1=$("$cli" infer --mdp "$tmp/cliff.json" --utility "$tmp/u1.json" | jq '.goal_directedness')
s5=$("$cli" infer --mdp "$tmp/cliff.json" --utility "$tmp/u5.json" | jq '.goal_directedness')
if jq -e -n --argjson a "$s1" --argjson b "$s5" \
     '$a.toward == "utility" and (($a.score - $b.score) | fabs) < 1e-6' >/dev/null; then
  ok "--utility: the score does not change when the utility is scaled"
else
  not_ok "--utility: the score does not change when the utility is scaled ($s1 / $s5)"
fi
echo '[1, 2]' >"$tmp/bad.json"
"$cli" infer --mdp "$tmp/cliff.json" --utility "$tmp/bad.json" >/dev/null 2>"$tmp/err" \
  && rc=0 || rc=$?
[ "$rc" -eq 1 ] && grep -q "2 weights for 3 features" "$tmp/err" \
  && ok "--utility with the wrong length is refused, naming the file" \
  || not_ok "--utility with the wrong length is refused (got $rc: $(cat "$tmp/err"))"

echo "1..$n"
exit $fail
