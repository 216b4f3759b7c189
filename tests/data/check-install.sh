#!/bin/sh
# "meson install" into a staging directory yields a launchable application: both programs,
# the desktop file, the icons, the schema, the metainfo, the man page and the German
# catalogue, and the installed window starts with the installed schemas.
# Usage: check-install.sh MESON BUILD_DIR PREFIX
set -u
meson=$1
build=$2
prefix=$3
fail=0
n=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); echo "not ok $n - $1"; fail=1; }
check () { name=$1; shift; if "$@" >"$tmp/log" 2>&1; then ok "$name"; else not_ok "$name"; sed 's/^/# /' "$tmp/log" | tail -20; fi; }
tmp=$(mktemp -d)
app_pid=
trap '[ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null; rm -rf "$tmp"' EXIT

dest=$tmp/stage
check "meson install --destdir" "$meson" install -C "$build" --destdir "$dest" --no-rebuild --quiet
root=$dest$prefix
share=$root/share
id=io.github.mesascope.Mesascope

for prog in mesascope mesascope-cli; do
  [ -x "$root/bin/$prog" ] && ok "bin/$prog installed" || not_ok "bin/$prog installed"
done
check "mesascope-cli --version" "$root/bin/mesascope-cli" --version
check "mesascope-cli --help" "$root/bin/mesascope-cli" --help
check "mesascope --help" "$root/bin/mesascope" --help

check "desktop file valid" desktop-file-validate "$share/applications/$id.desktop"
grep -q "^Exec=mesascope" "$share/applications/$id.desktop" && ok "desktop file runs mesascope" \
  || not_ok "desktop file runs mesascope"
grep -q "^Icon=$id\$" "$share/applications/$id.desktop" && ok "desktop file names the icon" \
  || not_ok "desktop file names the icon"
for icon in scalable/apps/$id.svg symbolic/apps/$id-symbolic.svg; do
  grep -q "<svg" "$share/icons/hicolor/$icon" 2>/dev/null && ok "icon $icon" \
    || not_ok "icon $icon"
done
mkdir -p "$tmp/schemas"
cp "$share/glib-2.0/schemas/$id.gschema.xml" "$tmp/schemas/" 2>/dev/null
check "installed schema compiles" glib-compile-schemas --strict --targetdir="$tmp/schemas" \
  "$tmp/schemas"
check "metainfo valid" appstreamcli validate --no-net "$share/metainfo/$id.metainfo.xml"
[ -s "$share/man/man1/mesascope-cli.1" ] && ok "man page installed" || not_ok "man page installed"
[ -s "$share/locale/de/LC_MESSAGES/mesascope.mo" ] && ok "German catalogue installed" \
  || not_ok "German catalogue installed"

# The installed window under the test's display, with the installed schemas: it must come up
# (its actions appear on the session bus and answer a call, waited for up to 30 s), still
# answer after that (no crash, no missing schema or resource) and end on SIGTERM.
window_path=/io/github/mesascope/Mesascope/window/1
window_answers () {
  gdbus call --session --dest "$id" --object-path "$window_path" \
    --method org.gtk.Actions.List >/dev/null 2>&1
}
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  not_ok "a display to start the installed window on (run under xvfb-run)"
elif [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  not_ok "a session bus to find the installed window on (run under dbus-run-session)"
else
  GSETTINGS_SCHEMA_DIR=$tmp/schemas XDG_DATA_DIRS=$share:${XDG_DATA_DIRS:-/usr/share} \
    "$root/bin/mesascope" >"$tmp/app.log" 2>&1 &
  app_pid=$!
  deadline=$(($(date +%s) + 30))
  up=0
  while [ "$(date +%s)" -le "$deadline" ] && kill -0 "$app_pid" 2>/dev/null; do
    if window_answers; then
      up=1
      break
    fi
    sleep 0.1
  done
  if [ "$up" -eq 1 ] && window_answers && kill -0 "$app_pid" 2>/dev/null; then
    ok "installed window comes up and answers on the session bus"
    kill -TERM "$app_pid"
    wait "$app_pid" && rc=0 || rc=$?
    app_pid=
    [ "$rc" -eq 0 ] || [ "$rc" -eq 143 ] && ok "ends on SIGTERM (status $rc)" \
      || not_ok "ends on SIGTERM (status $rc)"
  else
    kill -0 "$app_pid" 2>/dev/null && kill -TERM "$app_pid"
    wait "$app_pid" && rc=0 || rc=$?
    app_pid=
    not_ok "installed window comes up and answers on the session bus (exit status $rc)"
  fi
  if grep -q -E "CRITICAL|WARNING|No such schema" "$tmp/app.log"; then
    not_ok "no criticals or warnings from the installed window"
    sed 's/^/# /' "$tmp/app.log" | tail -20
  else
    ok "no criticals or warnings from the installed window"
  fi
fi

echo "1..$n"
exit $fail
