#!/usr/bin/env bash
# One command: install what is missing, build, and run haspec's main job on
# the bundled defaults: list the machines, check every bundled model, then
# gate every bundled reference implementation (sut/manifest.json) against
# its model.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/build.sh default
haspec=build/default/tools/haspec/haspec
echo
"$haspec" machines
echo
"$haspec" check "$@"
python3 - "$haspec" <<'PY'
import json, subprocess, sys
haspec = sys.argv[1]
manifest = json.load(open("sut/manifest.json"))
failed = 0
for impl in manifest["implementations"]:
    cmd = " ".join("build/default/" + c if i == 0 else c for i, c in enumerate(impl["command"]))
    args = [haspec, "gate", impl["machine"], "--sut", cmd]
    if "gate_config" in impl:
        args += ["--config", impl["gate_config"]]
    print("\n$ " + " ".join(args[1:]), flush=True)
    failed |= subprocess.call(args) != 0
sys.exit(1 if failed else 0)
PY
