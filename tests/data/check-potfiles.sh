#!/bin/sh
# Every source file with translatable strings is listed in po/POTFILES.in, and every listed file
# exists.
set -u
src=$1
cd "$src" || exit 1
fail=0
listed=$(grep -v '^#' po/POTFILES.in | sed '/^$/d')
for f in $listed; do
  [ -f "$f" ] || { echo "po/POTFILES.in lists missing file $f"; fail=1; }
done
found=$( { grep -rlE '\b(N?_|C_|g_dngettext|ngettext)\s*\(' --include='*.c' src;
           grep -rl 'translatable="yes"' --include='*.ui' ui src 2>/dev/null;
           ls data/*.desktop.in.in data/*.metainfo.xml.in.in data/*.gschema.xml; } | sort -u)
for f in $found; do
  echo "$listed" | grep -qxF "$f" || { echo "$f has translatable strings but is not in po/POTFILES.in"; fail=1; }
done
sorted=$(echo "$listed" | LC_ALL=C sort)
[ "$sorted" = "$listed" ] || { echo "po/POTFILES.in is not sorted"; fail=1; }
exit $fail
