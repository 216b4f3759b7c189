#!/bin/sh
# mesascope-cli bench --peer --quick: every line is "name value unit", and the tabular peer
# problem is the one the published demo solves (its values sum to 33.386563 after
# convergence). Speeds are printed, never checked here.
set -u
cli=$1
. "$(dirname "$0")/tap.sh"

"$cli" bench --peer --quick >"$tmp/out" 2>"$tmp/err" && rc=0 || rc=$?
[ "$rc" -eq 0 ] && ok "bench --peer --quick exits 0" \
  || not_ok "bench --peer --quick exits 0 (got $rc: $(cat "$tmp/err"))"
bad=$(grep -cvE '^[a-z0-9_]+ -?[0-9.e+-]+ [A-Za-z_/]+$' "$tmp/out")
[ "$bad" -eq 0 ] && ok "every line is name value unit" \
  || not_ok "every line is name value unit ($bad lines are not)"
grep -qx 'peer_gridworld_dp_value_sum 33.386563 value' "$tmp/out" \
  && ok "the gridworld's values sum to 33.386563" \
  || not_ok "the gridworld's values sum to 33.386563 (got: $(grep dp_value_sum "$tmp/out"))"
for name in peer_gridworld_dp_sweeps peer_gridworld_qlearning_steps peer_env_steps_16x16; do
  grep -qE "^$name [0-9.]+ " "$tmp/out" && ok "$name is printed" || not_ok "$name is printed"
done

echo "1..$n"
exit $fail
