#!/bin/sh
# mesascope-cli: help lists the commands; unknown commands and options are usage errors (exit 2).
set -u
cli=$1
fail=0
n=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); echo "not ok $n - $1"; fail=1; }

out=$("$cli" --help) && rc=0 || rc=$?
for word in train sweep infer "level check" bench; do
  case "$out" in *"$word"*) ok "help lists '$word'" ;; *) not_ok "help lists '$word'" ;; esac
done
[ "$rc" -eq 0 ] && ok "--help exits 0" || not_ok "--help exits 0 (got $rc)"

"$cli" frobnicate >/dev/null 2>/tmp/cli-usage.$$ && rc=0 || rc=$?
[ "$rc" -eq 2 ] && ok "unknown command exits 2" || not_ok "unknown command exits 2 (got $rc)"
grep -q "unknown command 'frobnicate'" /tmp/cli-usage.$$ && ok "unknown command is named" \
  || not_ok "unknown command is named"

"$cli" --frobnicate >/dev/null 2>/tmp/cli-usage.$$ && rc=0 || rc=$?
[ "$rc" -eq 2 ] && ok "unknown option exits 2" || not_ok "unknown option exits 2 (got $rc)"
grep -q "unknown option '--frobnicate'" /tmp/cli-usage.$$ && ok "unknown option is named" \
  || not_ok "unknown option is named"

"$cli" >/dev/null 2>&1 && rc=0 || rc=$?
[ "$rc" -eq 2 ] && ok "no command exits 2" || not_ok "no command exits 2 (got $rc)"

rm -f /tmp/cli-usage.$$
echo "1..$n"
exit $fail
