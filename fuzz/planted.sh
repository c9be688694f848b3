#!/usr/bin/env bash
# Proof that the op-sequence and differential targets can find bugs: each
# is built once more with a planted bug (fuzz/CMakeLists.txt names them: a
# model mutant of sut/<machine>/mutants.h for ops_*, a reference mutant of
# sut/manifest.json for diff_*) and fuzzed on one core from its seeds until
# the first finding; the time to find is printed.
#
#   fuzz/planted.sh [-t LIMIT_SECONDS] [-b BUILD_DIR] [-n] [TARGET...]   # default: all eight
#   (-n: use the binaries already built; -k DIR: keep each finding as DIR/<target>.bin)
#
# Exit status 1 when a planted bug is not found within the limit (60 s).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/fuzz/options.sh"
limit=60
build=$root/build/fuzz
build_first=1
keep=""
while getopts "t:b:nk:h" opt; do
  case $opt in
    t) limit=$OPTARG ;;
    b) build=$OPTARG ;;
    n) build_first=0 ;;
    k) keep=$OPTARG ;;
    *) sed -n '2,12p' "$0"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(ops_dsm ops_vcs_system ops_vcs_gco ops_jsa diff_dsm diff_vcs_system diff_vcs_gco
           diff_jsa)
fi
if [ "$build_first" = 1 ]; then
  if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake --preset fuzz -B "$build" >/dev/null
  fi
  cmake --build "$build" -j2 --target $(printf 'fuzz_%s_planted ' "${targets[@]}") >/dev/null
fi

plant_of() {
  sed -n "s/^set(_plant_$1 \(.*\))$/\1/p" "$root/fuzz/CMakeLists.txt"
}

missed=0
printf '%-18s %-32s %s\n' target "planted bug" "time to find"
for t in "${targets[@]}"; do
  tmp=$(mktemp -d)
  cp -r "$root/corpus/$t/seeds" "$tmp/corpus"
  start=$(date +%s.%N)
  set +e
  flags=()
  fuzz_flags "$root" "$t" flags
  HASPEC_FUZZ_TRACES=$tmp "$build/fuzz/fuzz_${t}_planted" -max_total_time="$limit" \
    -artifact_prefix="$tmp/" -seed=1 "${flags[@]}" "$tmp/corpus" >"$tmp/log" 2>&1
  status=$?
  set -e
  end=$(date +%s.%N)
  if grep -q '==haspec-fuzz== FINDING' "$tmp/log"; then
    # The rules the finding names: "  RULE-ID: detail" lines (broken rules, or why the
    # model disagrees with the reference).
    rule=$(sed -n '/==haspec-fuzz== FINDING/,/^trace:/p' "$tmp/log" |
           grep -oE '^  [A-Z]+-[A-Z0-9-]+:' | tr -d ' :' | paste -sd, - || true)
    printf '%-18s %-32s %6.2f s  (%s)\n' "$t" "$(plant_of "$t")" \
      "$(echo "$end - $start" | bc)" "${rule:-finding}"
    if [ -n "$keep" ]; then
      mkdir -p "$keep"
      cp "$(ls "$tmp"/crash-* | head -n 1)" "$keep/$t.bin"
    fi
  else
    printf '%-18s %-32s NOT FOUND in %s s (exit %s)\n' "$t" "$(plant_of "$t")" "$limit" "$status"
    missed=$((missed + 1))
  fi
  rm -rf "$tmp"
done
[ "$missed" -eq 0 ]
