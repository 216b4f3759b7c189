#!/bin/sh
# mesascope-cli under valgrind memcheck: a short training run with inference every iteration
# and both MDP models of "infer --mdp" report no memory errors and nothing definitely lost.
# Usage: valgrind-train.sh VALGRIND CLI SOURCE_DIR
set -u
valgrind=$1
cli=$2
src=$3
fail=0
n=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); echo "not ok $n - $1"; fail=1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! command -v "$valgrind" >/dev/null; then
  not_ok "valgrind is installed (apt-get install valgrind)"
  echo "1..$n"
  exit 1
fi

# GLib's one-time allocations (type system, quarks, the main context) stay reachable: they
# are not definite leaks, so no suppression file is needed.
check () {
  name=$1
  shift
  "$valgrind" --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite \
    --log-file="$tmp/log" "$cli" "$@" >"$tmp/out" 2>"$tmp/err" && rc=0 || rc=$?
  if [ "$rc" -eq 0 ] && grep -q "ERROR SUMMARY: 0 errors" "$tmp/log" &&
     grep -q "definitely lost: 0 bytes" "$tmp/log"; then
    ok "$name: 0 errors, 0 bytes definitely lost"
  elif [ "$rc" -eq 0 ] && grep -q "ERROR SUMMARY: 0 errors" "$tmp/log" &&
       grep -q "All heap blocks were freed" "$tmp/log"; then
    ok "$name: 0 errors, every block freed"
  else
    not_ok "$name (exit $rc)"
    sed 's/^/# /' "$tmp/log" | tail -60
    sed 's/^/# /' "$tmp/err" | tail -10
  fi
}

check "train --grid 8 --iterations 3 --infer-every 1" \
  train --grid 8 --iterations 3 --infer-every 1 --json "$tmp/train.json"
[ -s "$tmp/train.json" ] && ok "train wrote its JSON" || not_ok "train wrote its JSON"
check "infer --mdp icy-5-paths.json" \
  infer --mdp "$src/tests/engine/mdp/icy-5-paths.json" --json "$tmp/paths.json"
check "infer --mdp icy-5-causal.json --causal" \
  infer --mdp "$src/tests/engine/mdp/icy-5-causal.json" --causal --json "$tmp/causal.json"

echo "1..$n"
exit $fail
