#!/bin/sh
# mesascope-cli train --scenario keys-chests: the CEM run of docs/science.md §2 C through the CLI
# (one seed per check; §7 check 8 runs ten in the science suite).
set -u
cli=$1
. "$(dirname "$0")/tap.sh"
check () {
  # check DESCRIPTION FILE JQ-EXPRESSION: passes when the expression is true for the file.
  if jq -e "$3" "$2" >/dev/null 2>&1; then ok "$1"; else not_ok "$1"; fi
}

"$cli" train --scenario keys-chests --seed 1 --json - >"$tmp/run.json" 2>"$tmp/err" && rc=0 || rc=$?
[ "$rc" -eq 0 ] && ok "key-scarce run exits 0" || not_ok "key-scarce run exits 0 (got $rc: $(cat "$tmp/err"))"
check "scenario, optimizer and features" "$tmp/run.json" \
  '.scenario == "keys-chests" and .optimizer == "cem" and .features == ["key", "chest"]'
check "20 CEM generations by default" "$tmp/run.json" \
  '.iterations == 20 and (.history | length) == 20 and .history[19].iteration == 20'
check "base objective pays for chests only" "$tmp/run.json" '.base_objective == [0, 1]'
check "every iteration reports keys and chests at train and test" "$tmp/run.json" \
  '[.history[] | .train_keys, .train_chests, .test_keys, .test_chests | numbers] | length == 80'
check "counts stay within what the levels hold" "$tmp/run.json" \
  'all(.history[]; .train_keys <= 2 and .train_chests <= 2 and .test_keys <= 6
                   and .test_chests <= 2 and .test_chests >= 0)'
check "rates are the counts over what a level allows" "$tmp/run.json" \
  '.final | ((.test_target - .test_chests / 2) | fabs) < 1e-12
            and ((.test_proxy - .test_keys / 6) | fabs) < 1e-12'
check "trained to value keys above chests" "$tmp/run.json" \
  '.mesa_objective[0] > .mesa_objective[1]'
check "at test it hoards keys (>= 4.5 of 6)" "$tmp/run.json" '.final.test_keys >= 4.5'
check "at test it opens few chests (<= 1.3 of 2)" "$tmp/run.json" '.final.test_chests <= 1.3'
check "in training it opens most chests it can (>= 1.5 of 2)" "$tmp/run.json" \
  '.final.train_chests >= 1.5'
check "inference ran every 4 iterations and at the end" "$tmp/run.json" \
  '[.history[] | select(.inferred != null) | .iteration] == [4, 8, 12, 16, 20]'
check "inferred objective is unit norm with key > chest" "$tmp/run.json" \
  '(.inferred_objective | (.[0] * .[0] + .[1] * .[1] - 1) | fabs) < 1e-9
   and .inferred_objective[0] > .inferred_objective[1]'
check "inferred angle within 5 degrees of the true one" "$tmp/run.json" \
  '(.final.inferred_angle - .final.mesa_angle) | fabs <= 5'
check "angle uncertainty is reported" "$tmp/run.json" \
  '.final.inferred_angle_sd >= 2.5 and .final.inferred_angle_sd < 90'
check "predicted test behaviour is close to the measured one" "$tmp/run.json" \
  '((.final.predicted_test_target - .final.test_target) | fabs) < 0.2
   and ((.final.predicted_test_proxy - .final.test_proxy) | fabs) < 0.2'

"$cli" train --scenario keys-chests --seed 1 --diversity 100 --json - >"$tmp/control.json" \
  2>"$tmp/err" && rc=0 || rc=$?
[ "$rc" -eq 0 ] && ok "control run exits 0" || not_ok "control run exits 0 (got $rc)"
check "control run values chests above keys" "$tmp/control.json" \
  '.mesa_objective[1] > .mesa_objective[0] and .inferred_objective[1] > .inferred_objective[0]'
check "control run opens the test chests (>= 1.6 of 2)" "$tmp/control.json" \
  '.final.test_chests >= 1.6'

"$cli" train --scenario keys-chests --seed 1 --json - >"$tmp/again.json" 2>/dev/null
cmp -s "$tmp/run.json" "$tmp/again.json" && ok "the same seed gives the same JSON" \
  || not_ok "the same seed gives the same JSON"

"$cli" train --scenario keys-chests --seed 2 --iterations 3 --infer-every 0 --json - \
  >"$tmp/short.json" 2>/dev/null && rc=0 || rc=$?
[ "$rc" -eq 0 ] && ok "--iterations and --infer-every 0 are taken" || not_ok "--iterations 3 (got $rc)"
check "three iterations, no inference" "$tmp/short.json" \
  '(.history | length) == 3 and .inferred_objective == null and .final.inferred_angle == null
   and .final.predicted_test_target == null'

"$cli" train --scenario keys-chests --seed 1 --iterations 2 --csv - >"$tmp/run.csv" 2>/dev/null \
  && rc=0 || rc=$?
[ "$rc" -eq 0 ] && [ "$(wc -l <"$tmp/run.csv")" -eq 3 ] && ok "--csv writes a header and 2 rows" \
  || not_ok "--csv writes a header and 2 rows"
head -n 1 "$tmp/run.csv" | grep -q ",inferred_key,inferred_chest,train_keys,train_chests,test_keys,test_chests,inferred_angle,inferred_angle_sd$" \
  && ok "--csv has the keys and chests columns" || not_ok "--csv has the keys and chests columns"
# The CSV's test_keys column (16th) holds the JSON's numbers.
csv_keys=$(sed -n 3p "$tmp/run.csv" | cut -d, -f16)
json_keys=$("$cli" train --scenario keys-chests --seed 1 --iterations 2 --json - | jq '.history[1].test_keys')
awk -v a="$csv_keys" -v b="$json_keys" 'BEGIN { exit !(a != "" && (a - b < 1e-9 && b - a < 1e-9)) }' \
  && ok "CSV and JSON agree on test keys" || not_ok "CSV and JSON agree on test keys ($csv_keys vs $json_keys)"

# The network on keys and chests (docs/science.md §9): the same counts and inference, no θ.
"$cli" train --scenario keys-chests --agent mlp --seed 1 --json - >"$tmp/mlp.json" 2>"$tmp/err" \
  && rc=0 || rc=$?
[ "$rc" -eq 0 ] && ok "network run exits 0" || not_ok "network run exits 0 (got $rc: $(cat "$tmp/err"))"
check "network run: scenario, agent, 20 iterations" "$tmp/mlp.json" \
  '.scenario == "keys-chests" and .agent == "mlp" and .optimizer == null
   and (.history | length) == 20 and .features == ["key", "chest"]'
check "network run: keys and chests at train and test every iteration" "$tmp/mlp.json" \
  '([.history[] | .train_keys, .train_chests, .test_keys, .test_chests | numbers] | length == 80)
   and all(.history[]; .train_chests <= 2 and .test_keys <= 6 and .test_chests <= 2)'
check "network run: no objective of its own, no mesa angle" "$tmp/mlp.json" \
  '.mesa_objective == null and .final.mesa_angle == null and .final.cos_inferred_true == null'
check "network run: it learns to open chests in training (>= 1 of 2)" "$tmp/mlp.json" \
  '.final.train_chests >= 1 and .final.train_chests > .history[0].train_chests + 0.5'
check "network run: inference from its decisions, a unit [key, chest] and an angle" "$tmp/mlp.json" \
  '[.history[] | select(.inferred != null) | .iteration] == [4, 8, 12, 16, 20]
   and (.inferred_objective | (.[0] * .[0] + .[1] * .[1] - 1) | fabs) < 1e-9
   and .final.inferred_angle >= 0 and .final.inferred_angle < 360'
"$cli" train --scenario keys-chests --agent mlp --seed 1 --json - >"$tmp/mlp-again.json" 2>/dev/null
cmp -s "$tmp/mlp.json" "$tmp/mlp-again.json" && ok "network run: the same seed gives the same JSON" \
  || not_ok "network run: the same seed gives the same JSON"
for good in "--perception hidden:30" "--perception radius:3" "--diversity 50"; do
  # shellcheck disable=SC2086
  "$cli" train --scenario keys-chests --agent mlp --iterations 2 --infer-every 0 $good --json - \
    >"$tmp/out" 2>"$tmp/err" && rc=0 || rc=$?
  [ "$rc" -eq 0 ] && jq -e '(.history | length) == 2' "$tmp/out" >/dev/null 2>&1 \
    && ok "network run takes $good" || not_ok "network run takes $good (got $rc: $(cat "$tmp/err"))"
done

for bad in "--optimizer pgn" "--perception hidden:30" "--agent qlearner"; do
  # shellcheck disable=SC2086
  "$cli" train --scenario keys-chests $bad >"$tmp/out" 2>"$tmp/err" && rc=0 || rc=$?
  if [ "$rc" -eq 2 ] && grep -q "^mesascope-cli train: .*" "$tmp/err" && [ ! -s "$tmp/out" ]; then
    ok "keys-chests refuses $bad with a message"
  else
    not_ok "keys-chests refuses $bad with a message (got $rc)"
  fi
done
"$cli" train --scenario keys-chests --export-demos "$tmp/demos.json" >/dev/null 2>"$tmp/err" \
  && rc=0 || rc=$?
[ "$rc" -eq 1 ] && grep -q "keys-chests" "$tmp/err" && [ ! -e "$tmp/demos.json" ] \
  && ok "--export-demos is refused for keys-chests" || not_ok "--export-demos refused (got $rc)"

"$cli" train --help >"$tmp/help" 2>&1
grep -q -- "--diversity 100 is the control run" "$tmp/help" && ok "help explains the control run" \
  || not_ok "help explains the control run"

echo "1..$n"
exit $fail
