#!/bin/bash -eu
# Builds haspec's fuzz targets the way OSS-Fuzz and ClusterFuzzLite expect:
# the compilers and flags come from $CC $CXX $CFLAGS $CXXFLAGS, the fuzzing
# engine from $LIB_FUZZING_ENGINE, and every target, with its seed corpus
# (fuzz_<target>_seed_corpus.zip) and options, lands in $OUT.
#
# Also run by .ci/run (fuzz stage) with the variables set as OSS-Fuzz sets
# them, so this script is tested on every CI run:
#   CC=clang-14 CXX=clang++-14 CFLAGS=... CXXFLAGS=... \
#   LIB_FUZZING_ENGINE=-fsanitize=fuzzer OUT=$(mktemp -d) .clusterfuzzlite/build.sh
# (fuzz/oss_fuzz_env.sh sets them). HASPEC_BUILD_TESTS=ON keeps the test suite
# configured in $WORK too (tools/build.sh sanitize builds it there, so the
# sanitized code is compiled once for the tests and the fuzz targets).
src=${SRC_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
work=${WORK:-$src/build/oss-fuzz}
jobs=${FUZZ_BUILD_JOBS:-$(nproc)}

# The build type adds no flags: $CFLAGS and $CXXFLAGS decide (-O1 -gline-tables-only).
cmake -S "$src" -B "$work" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO= -DCMAKE_C_FLAGS_RELWITHDEBINFO= \
  -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" \
  -DCMAKE_C_FLAGS="$CFLAGS" -DCMAKE_CXX_FLAGS="$CXXFLAGS" \
  -DHASPEC_FUZZ=ON -DHASPEC_FUZZ_FLAGS_FROM_ENV=ON \
  -DHASPEC_FUZZ_ENGINE="$LIB_FUZZING_ENGINE" \
  -DHASPEC_TESTS="${HASPEC_BUILD_TESTS:-OFF}" -DHASPEC_BENCH=OFF
cmake --build "$work" -j"$jobs" --target fuzz_targets

for bin in "$work"/fuzz/fuzz_*; do
  [ -x "$bin" ] || continue
  name=$(basename "$bin")
  case "$name" in *_planted) continue ;; esac
  cp "$bin" "$OUT/"
  target=${name#fuzz_}
  corpus="$src/corpus/$target"
  if [ -d "$corpus" ]; then
    # Seeds and regressions both: a regression input is a seed that once
    # found a bug.
    (cd "$corpus" && find . -type f ! -name '*.trace.jsonl' -print0 |
       xargs -0 -r zip -q -j "$OUT/${name}_seed_corpus.zip")
  fi
  if [ -f "$src/fuzz/$target.dict" ]; then cp "$src/fuzz/$target.dict" "$OUT/$name.dict"; fi
  if [ -f "$src/fuzz/$target.options" ]; then cp "$src/fuzz/$target.options" "$OUT/$name.options"; fi
done
