#!/usr/bin/env bash
# Configures and builds one CMake preset (default: "default").
#   tools/build.sh [default|sanitize|fuzz]
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-default}
tools/deps.sh $([ "$preset" = fuzz ] && echo --fuzz)
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "$(nproc)"
