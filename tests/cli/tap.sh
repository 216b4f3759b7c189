# Sourced by the command-line tests: TAP output, a temporary folder, and running the CLI.
# Needs $cli. Ends with: echo "1..$n"; exit $fail
fail=0
n=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); echo "not ok $n - $1"; fail=1; }
# run ARGS…: runs the CLI with stdout in $tmp/out and stderr in $tmp/err; sets rc.
run () { "$cli" "$@" >"$tmp/out" 2>"$tmp/err" && rc=0 || rc=$?; }
# expect DESCRIPTION RC TEXT: the last run exited with RC and its stderr holds TEXT.
expect () {
  if [ "$rc" -eq "$2" ] && grep -qF -- "$3" "$tmp/err"; then ok "$1"
  else not_ok "$1 (exit $rc: $(head -n 1 "$tmp/err"))"; fi
}
