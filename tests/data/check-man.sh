#!/bin/sh
# The man page formats without a single groff warning (all warnings enabled), and documents
# every command and option that mesascope-cli's help lists.
# Usage: check-man.sh GROFF PAGE CLI
set -u
groff=$1
page=$2
cli=$3
fail=0
n=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); echo "not ok $n - $1"; fail=1; }

warnings=$(LC_ALL=C.UTF-8 "$groff" -man -Tutf8 -ww -z "$page" 2>&1)
if [ -z "$warnings" ]; then
  ok "groff -man -ww: no warnings"
else
  not_ok "groff -man -ww: no warnings"
  echo "$warnings" | sed 's/^/# /'
fi

text=$(LC_ALL=C.UTF-8 "$groff" -man -Tascii -P-cbou "$page" 2>/dev/null)
for cmd in "" train sweep infer "level check" bench; do
  # Every long option of the help output (program and commands) appears in the page.
  help=$("$cli" $cmd --help 2>/dev/null)
  opts=$(echo "$help" | grep -o -- '--[a-z][a-z-]*' | sort -u)
  # A help that lists no option would let every page pass.
  if [ -n "$opts" ]; then
    ok "${cmd:-mesascope-cli} --help lists options"
  else
    not_ok "${cmd:-mesascope-cli} --help lists options"
  fi
  for opt in $opts; do
    case "$text" in
      *"$opt"*) ok "page documents ${cmd:-mesascope-cli} $opt" ;;
      *) not_ok "page documents ${cmd:-mesascope-cli} $opt" ;;
    esac
  done
done
for section in SYNOPSIS DESCRIPTION "EXIT STATUS" FILES EXAMPLES; do
  case "$text" in
    *"$section"*) ok "section $section" ;;
    *) not_ok "section $section" ;;
  esac
done

echo "1..$n"
exit $fail
