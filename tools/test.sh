#!/usr/bin/env bash
# One command: install what is missing, build, and run the whole test suite.
#   tools/test.sh              the default (g++) build
#   tools/test.sh --sanitize   the ASan + UBSan build
set -euo pipefail
cd "$(dirname "$0")/.."
preset=default
[ "${1:-}" = "--sanitize" ] && preset=sanitize
tools/build.sh "$preset"
ctest --preset "$preset" -j "$(nproc)"
