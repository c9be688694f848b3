#!/usr/bin/env bash
# Configures and builds haspec (installing missing packages first).
#   tools/build.sh [default]   g++, -O2 -g, everything: build/default (CMake preset "default")
#   tools/build.sh sanitize    clang, ASan + UBSan, the test suite and the fuzz targets:
#                              build/sanitize, built through .clusterfuzzlite/build.sh with
#                              the flags OSS-Fuzz uses (fuzz/oss_fuzz_env.sh)
#   tools/build.sh fuzz        clang, -O2 -g, fuzz targets instrumented (CMake preset "fuzz")
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-default}
case "$preset" in
  default | fuzz)
    tools/deps.sh $([ "$preset" = fuzz ] && echo --fuzz)
    cmake --preset "$preset" >/dev/null
    cmake --build --preset "$preset" -j "$(nproc)"
    ;;
  sanitize)
    tools/deps.sh --fuzz
    . fuzz/oss_fuzz_env.sh
    out=$(mktemp -d)
    trap 'rm -rf "$out"' EXIT
    # The fuzz targets first, exactly as OSS-Fuzz builds them; then the rest
    # (tests, CLI, reference servers) in the same tree with the same flags.
    OUT=$out HASPEC_BUILD_TESTS=ON FUZZ_BUILD_JOBS="$(nproc)" .clusterfuzzlite/build.sh
    cmake --build "$WORK" -j "$(nproc)"
    ;;
  *)
    echo "error: unknown build '$preset' (default, sanitize or fuzz)" >&2
    exit 2
    ;;
esac
