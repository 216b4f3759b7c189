#!/bin/sh
# mesascope-cli's output files: devices and FIFOs are written in place, symbolic links are
# followed, permissions and hard links kept, folders refused; outputs are checked before any
# work, never replace an input or each other, and a failed write to standard output fails.
# Device nodes are made here with mknod (as root, as in CI), never the system's.
set -u
cli=$1
src=${MESASCOPE_SOURCE_DIR:-$(dirname "$0")/../..}
fail=0
n=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); echo "not ok $n - $1"; fail=1; }
check () { if eval "$1"; then ok "$2"; else not_ok "$2"; fi; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sink=$tmp/sink
err=$tmp/stderr
train="$cli train --iterations 2 --infer-every 0"
mdp=$src/tests/engine/mdp/icy-5-paths.json
level=$src/tests/engine/levels/good/coin-test.level

# Runs the command given as arguments; rc holds its exit status.
run () { "$@" >"$sink" 2>"$err" && rc=0 || rc=$?; }
inode () { stat -c %i "$1"; }
is_json () { head -c 1 "$1" | grep -q '{'; }

if mknod "$tmp/null" c 1 3 && mknod "$tmp/full" c 1 7; then
  # Character device: written in place, stays a device.
  run $train --json "$tmp/null"
  check '[ "$rc" -eq 0 ]' "--json to a null device exits 0 (got $rc)"
  check '[ -c "$tmp/null" ]' "--json to a null device leaves it a device"

  # A full device: the write fails with a message, and every other output is still written.
  run $train --export-demos "$tmp/full" --json "$tmp/after-full.json"
  check '[ "$rc" -eq 1 ]' "--export-demos to a full device exits 1 (got $rc)"
  check 'grep -q "No space left" "$err"' "--export-demos to a full device says why"
  check '[ -c "$tmp/full" ]' "--export-demos to a full device leaves it a device"
  check 'is_json "$tmp/after-full.json"' "--json is written although --export-demos failed"

  # Standard output on a full device: every command fails with a message.
  "$cli" infer --mdp "$mdp" >"$tmp/full" 2>"$err" && rc=0 || rc=$?
  check '[ "$rc" -eq 1 ] && grep -q "standard output" "$err"' \
    "infer --mdp with standard output full exits 1 with a message (got $rc)"
  $train >"$tmp/full" 2>"$err" && rc=0 || rc=$?
  check '[ "$rc" -eq 1 ] && grep -q "standard output" "$err"' \
    "train with standard output full exits 1 with a message (got $rc)"
  "$cli" level check "$level" >"$tmp/full" 2>"$err" && rc=0 || rc=$?
  check '[ "$rc" -eq 1 ] && grep -q "standard output" "$err"' \
    "level check with standard output full exits 1 with a message (got $rc)"
  "$cli" bench --quick >"$tmp/full" 2>"$err" && rc=0 || rc=$?
  check '[ "$rc" -eq 1 ] && grep -q "standard output" "$err"' \
    "bench --quick with standard output full exits 1 with a message (got $rc)"
else
  not_ok "mknod makes device nodes (run as root)"
fi

# A FIFO: written in place, stays a FIFO. The reader is released if the program never opens it.
mkfifo "$tmp/fifo"
cat "$tmp/fifo" >"$tmp/fifo.out" &
reader=$!
run $train --json "$tmp/fifo"
if [ -p "$tmp/fifo" ]; then
  exec 3<>"$tmp/fifo"
  exec 3>&-
  wait "$reader"
  check '[ "$rc" -eq 0 ] && is_json "$tmp/fifo.out"' "--json to a FIFO reaches its reader"
  ok "--json to a FIFO leaves it a FIFO"
else
  kill "$reader"
  wait "$reader"
  not_ok "--json to a FIFO reaches its reader"
  not_ok "--json to a FIFO leaves it a FIFO"
fi

# /dev/stdout, as a user other than root where the tests run as root.
as_user=""
[ "$(id -u)" -eq 0 ] && as_user="setpriv --reuid=65534 --regid=65534 --clear-groups"
$as_user $train --json /dev/stdout 2>"$err" | cat >"$tmp/stdout.json" && rc=0 || rc=$?
check 'is_json "$tmp/stdout.json"' "--json /dev/stdout into a pipe works without root"
echo "first line" >"$tmp/log"
$as_user $train --json /dev/stdout >>"$tmp/log" 2>"$err" && rc=0 || rc=$?
check '[ "$rc" -eq 0 ] && head -n 1 "$tmp/log" | grep -q "first line" &&
  grep -q "\"scenario\"" "$tmp/log"' "--json /dev/stdout appends to a redirected output"

# A folder is refused with a message, before any work: nothing else is written.
mkdir "$tmp/outdir"
run $train --export-demos "$tmp/demos-1.json" --json "$tmp/outdir"
check '[ "$rc" -eq 1 ] && grep -q "folder" "$err"' "--json to a folder exits 1 and says so"
check '[ -d "$tmp/outdir" ] && [ ! -e "$tmp/demos-1.json" ]' \
  "--json to a folder is refused before anything is written"

# A symbolic link is followed: the target is replaced (a new inode), the link survives.
echo old >"$tmp/target.json"
ln -s target.json "$tmp/link.json"
before=$(inode "$tmp/target.json")
run $train --json "$tmp/link.json"
check '[ -L "$tmp/link.json" ] && is_json "$tmp/target.json"' \
  "--json to a symbolic link writes its target and keeps the link"
check '[ "$(inode "$tmp/target.json")" != "$before" ]' \
  "--json to a symbolic link replaces the target atomically (new inode)"

# Permission bits are kept.
echo old >"$tmp/private.csv"
chmod 600 "$tmp/private.csv"
run $train --csv "$tmp/private.csv"
check '[ "$(stat -c %a "$tmp/private.csv")" = 600 ] && grep -q iteration "$tmp/private.csv"' \
  "--csv over a 0600 file keeps it 0600"

# Hard links: the file is rewritten in place, every name sees the new contents.
echo old >"$tmp/hard-a.json"
ln "$tmp/hard-a.json" "$tmp/hard-b.json"
run $train --json "$tmp/hard-a.json"
check '[ "$(inode "$tmp/hard-a.json")" = "$(inode "$tmp/hard-b.json")" ] &&
  is_json "$tmp/hard-b.json"' "--json over a hard link: both names see the new contents"

# A missing folder fails before any work, and nothing is written.
run "$cli" train --grid 16 --iterations 40 --export-demos "$tmp/demos-2.json" \
  --json /nonexistent/dir/out.json
check '[ "$rc" -eq 1 ] && grep -q "/nonexistent/dir" "$err"' \
  "--json into a missing folder exits 1 and names it"
check '[ ! -e "$tmp/demos-2.json" ]' "--json into a missing folder fails before any work"

# Outputs that name an input or each other: exit 2, nothing written.
printf '{"format": "mesascope-experiment", "version": 1, "config": {"scenario": "coin",
 "agent": "planner", "optimizer": "pgn", "perception": "full", "diversity": 0,
 "near_corner": true, "grid": 8, "iterations": 2, "seed": 1, "infer_every": 0}}\n' \
  >"$tmp/e.mesascope"
cp "$tmp/e.mesascope" "$tmp/e.orig"
run "$cli" train --experiment "$tmp/e.mesascope" --json "$tmp/e.mesascope"
check '[ "$rc" -eq 2 ] && cmp -s "$tmp/e.mesascope" "$tmp/e.orig"' \
  "--json onto the --experiment input exits 2 and leaves it (got $rc)"
cp "$mdp" "$tmp/m.json"
ln -s m.json "$tmp/m-link.json"
run "$cli" infer --mdp "$tmp/m.json" --json "$tmp/m-link.json"
check '[ "$rc" -eq 2 ] && cmp -s "$tmp/m.json" "$mdp" && [ -L "$tmp/m-link.json" ]' \
  "infer --json onto its --mdp input (through a link) exits 2 and leaves it (got $rc)"
run $train --json "$tmp/twice" --csv "$tmp/twice"
check '[ "$rc" -eq 2 ] && [ ! -e "$tmp/twice" ]' \
  "--json and --csv to one file exit 2 and write nothing (got $rc)"

echo "1..$n"
exit $fail
