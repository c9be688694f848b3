#!/usr/bin/env bash
# One command: install what is missing, build, and run haspec's main job on
# the bundled defaults (list the machines, then check every bundled model).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/build.sh default
haspec=build/default/tools/haspec/haspec
echo
"$haspec" machines
echo
"$haspec" check "$@"
