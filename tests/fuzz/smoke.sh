#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Short fuzzing run for CI. Builds the libFuzzer targets with clang, ASan and UBSan in the
# build directory given as $1 (default _ci-fuzz, configured here if needed), replays the
# regression inputs, then fuzzes each target for FUZZ_SECONDS seconds (default 10) starting
# from its seed corpus, with inputs up to FUZZ_MAX_LEN bytes (default 256 KiB: libFuzzer's
# default of 4096 never reaches deep nesting or the size checks). Found inputs go to a temporary folder, never into the source tree.
# Prints one line per target and exits non-zero on any crash, leak, sanitizer report or
# failed check, after printing the log tail and the failing input in base64.
set -uo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
build=${1:-_ci-fuzz}
case $build in
  /*) ;;
  *) build=$root/$build ;;
esac
seconds=${FUZZ_SECONDS:-10}
max_len=${FUZZ_MAX_LEN:-262144}

command -v clang >/dev/null || { echo "fuzz: clang is not installed"; exit 1; }
if [ ! -f "$build/build.ninja" ]; then
  CC=clang meson setup "$build" -Dfuzzing=true -Db_sanitize=address,undefined \
    -Db_lundef=false -Dscience_tests=false >/dev/null \
    || { echo "fuzz: configuring $build failed"; exit 1; }
fi

targets=()
for source in tests/fuzz/fuzz-*.c; do
  name=${source#tests/fuzz/fuzz-}
  targets+=("${name%.c}")
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if ! meson compile -C "$build" "${targets[@]/#/fuzz-}" >"$work/build.log" 2>&1; then
  echo "fuzz: building the fuzz targets failed"
  tail -n 30 "$work/build.log"
  exit 1
fi

export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export LSAN_OPTIONS=suppressions=$root/tests/lsan.supp:print_suppressions=0
export G_SLICE=always-malloc
export G_DEBUG=gc-friendly

show_failure () {
  local log=$1
  tail -n 60 "$log"
  for artifact in "$work"/artifact-*; do
    [ -f "$artifact" ] || continue
    echo "failing input $(basename "$artifact") ($(stat -c %s "$artifact") bytes), base64:"
    head -c 65536 "$artifact" | base64 -w 0
    echo
  done
}

rc=0
for t in "${targets[@]}"; do
  exe=$build/tests/fuzz/fuzz-$t
  log=$work/$t.log
  # A target named X-render reads the same files as X: dictionary, seed corpus, regressions.
  base=${t%-render}
  regressions=()
  for f in tests/fuzz/regressions/"$base"-*; do
    [ -f "$f" ] && regressions+=("$f")
  done

  if [ ${#regressions[@]} -gt 0 ] && ! "$exe" "${regressions[@]}" >"$log" 2>&1; then
    echo "fuzz-$t: a regression input fails again"
    show_failure "$log"
    rc=1
    continue
  fi

  mkdir -p "$work/corpus-$t"
  if "$exe" -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
       -print_final_stats=1 \
       -dict="tests/fuzz/$base.dict" -artifact_prefix="$work/artifact-" \
       "$work/corpus-$t" "tests/fuzz/corpus/$base" >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    echo "fuzz-$t: ${runs:-?} runs in $seconds s, ${#regressions[@]} regression inputs, no findings"
  else
    echo "fuzz-$t: FAILED"
    show_failure "$log"
    rc=1
  fi
done
exit $rc
