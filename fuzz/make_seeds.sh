#!/usr/bin/env bash
# Regenerates corpus/<target>/seeds/ for every fuzz target from the bundled
# scenarios (traces/*/valid) and the documented payloads and listings.
# Regressions (corpus/<target>/regressions/) are never touched.
#
#   fuzz/make_seeds.sh [BUILD_DIR]     # default build/default (a g++ build)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build/default}
cmake --build "$build" -j2 --target haspec-fuzz-seeds >/dev/null
"$build/fuzz/haspec-fuzz-seeds" "$root"
