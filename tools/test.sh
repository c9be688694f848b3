#!/usr/bin/env bash
# One command: install what is missing, build, and run the whole test suite.
#   tools/test.sh              the default (g++) build
#   tools/test.sh --sanitize   the clang ASan + UBSan build (build/sanitize, shared with the
#                              fuzz targets; the saturation tests, minutes under ASan, run
#                              only in the default build)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--sanitize" ]; then
  tools/build.sh sanitize
  ctest --test-dir build/sanitize -j "$(nproc)" --output-on-failure -E 'Saturat|IsFinite'
else
  tools/build.sh default
  ctest --preset default -j "$(nproc)"
fi
