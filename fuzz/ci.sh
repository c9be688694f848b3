#!/usr/bin/env bash
# The CI fuzz stage (.ci/run): builds every fuzz target with clang, ASan and
# UBSan through .clusterfuzzlite/build.sh, with the variables set the way
# OSS-Fuzz sets them (so the OSS-Fuzz / ClusterFuzzLite build is tested
# too), checks that every target and its seed corpus landed in $OUT, and
# runs each target for a few seconds from its seeds and regressions, as many
# at a time as there are cores.
#
#   fuzz/ci.sh [SECONDS_PER_TARGET]      # default 3
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-3}
if ! command -v "${CXX_FUZZ:-clang++-14}" >/dev/null || ! command -v zip >/dev/null ||
   ! command -v unzip >/dev/null; then
  "$root/tools/deps.sh" --fuzz
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# The same compilers, flags and build tree as tools/build.sh sanitize: after
# tools/test.sh --sanitize this rebuilds nothing. Only the targets and the
# libraries they link are built (about 5 minutes from nothing on two cores);
# a tree where the sanitized test suite is configured keeps it configured.
. "$root/fuzz/oss_fuzz_env.sh"
. "$root/fuzz/options.sh"
tests=OFF
grep -qs '^HASPEC_TESTS:BOOL=ON' "$WORK/CMakeCache.txt" && tests=ON
export OUT=$out HASPEC_BUILD_TESTS=$tests FUZZ_BUILD_JOBS=${FUZZ_BUILD_JOBS:-$(nproc)}
start=$(date +%s)
"$root/.clusterfuzzlite/build.sh" >"$out/build.log" 2>&1 || { tail -n 40 "$out/build.log"; exit 1; }
echo "built the fuzz targets in $(( $(date +%s) - start )) s"
mapfile -t targets < <(sed -n '/^set(HASPEC_FUZZ_TARGETS$/,/)/p' "$root/fuzz/CMakeLists.txt" |
                       tr ' ' '\n' | grep -E '^[a-z_]+\)?$' | tr -d ')')
missing=0
for t in "${targets[@]}"; do
  expected=()
  fuzz_out_files "$root" "$t" expected
  for f in "${expected[@]}"; do
    [ -e "$out/$f" ] || { echo "error: \$OUT lacks $f" >&2; missing=1; }
  done
done
[ "$missing" -eq 0 ] || exit 1
echo "\$OUT holds all ${#targets[@]} targets with their seed corpora"
# One smoke run: prints its summary line, or what it found and fails.
smoke() {
  local t=$1 corpus=$out/corpus-$1 log=$out/$1.log flags=() execs cov
  mkdir -p "$corpus"
  unzip -q -o "$out/fuzz_${t}_seed_corpus.zip" -d "$corpus"
  fuzz_flags_in "$out" "$t" flags  # the .options and .dict build.sh copied
  if ! (cd "$out" && ./"fuzz_$t" -max_total_time="$seconds" -print_final_stats=1 "${flags[@]}" "$corpus" \
          >"$log" 2>&1); then
    echo "error: fuzz_$t found something:"
    grep -A30 -E '==haspec-fuzz== FINDING|ERROR: (libFuzzer|AddressSanitizer)|runtime error' \
      "$log" | head -n 60
    return 1
  fi
  execs=$(grep -oE 'exec/s: [0-9]+' "$log" | tail -n 1 | awk '{print $2}')
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -n 1 | awk '{print $2}')
  printf '  %-22s %ss, exec/s %s, cov %s\n' "$t" "$seconds" "${execs:-?}" "${cov:-?}"
}
# As many runs at a time as there are cores (FUZZ_SMOKE_JOBS to change it);
# summaries are printed in the targets' order once all have run.
parallel=${FUZZ_SMOKE_JOBS:-$(nproc)}
for t in "${targets[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$parallel" ]; do wait -n || true; done
  ( if smoke "$t" >"$out/$t.summary" 2>&1; then echo 0; else echo 1; fi >"$out/$t.rc" ) &
done
wait
failed=0
for t in "${targets[@]}"; do
  cat "$out/$t.summary"
  [ "$(cat "$out/$t.rc" 2>/dev/null)" = 0 ] || failed=1
done
[ "$failed" -eq 0 ] || { echo "error: a fuzz target found something (above)" >&2; exit 1; }
