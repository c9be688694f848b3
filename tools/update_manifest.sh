#!/usr/bin/env bash
# Regenerates sut/manifest.json, the list of every bundled implementation
# and its switches, from sut/<machine>/manifest.json (each kept in sync with
# its implementation's code by that machine's reference test).
#   tools/update_manifest.sh [--check]
set -euo pipefail
cd "$(dirname "$0")/.."
python3 - "${1:-}" <<'PY'
import glob, json, sys
parts = [json.load(open(p)) for p in sorted(glob.glob("sut/*/manifest.json"))]
order = ["dsm", "vcs-system", "vcs-gco", "jsa"]
parts.sort(key=lambda p: order.index(p["machine"]) if p["machine"] in order else len(order))
settings = json.load(open("sut/gate_settings.json"))
for p in parts:
    g = settings.get(p["machine"], {})
    if "config" in g:
        p["gate_config"] = g["config"]
    for sw in p["switches"]:
        if sw["name"] in g.get("known_gaps", {}):
            sw["known_gap"] = g["known_gaps"][sw["name"]]
doc = {
    "about": "Every implementation bundled with haspec for its gate. 'command' is relative to "
             "the build directory (build/default after tools/build.sh); add a switch's 'flag' "
             "to the command to turn it on. A 'mutant' is a bug the gate must report as a "
             "violation under both profiles; a 'reading' is another defensible answer where the "
             "documents are silent, which the full profile reports as a departure from 'rule' "
             "and --documented-only passes. 'gate_config' (repository-relative) is the "
             "configuration the gate tests use; a 'known_gap' is a switch the gate does not yet "
             "catch with default settings (its test is disabled, with this reason).",
    "implementations": parts,
}
text = json.dumps(doc, indent=2) + "\n"
if sys.argv[1] == "--check":
    if open("sut/manifest.json").read() != text:
        sys.exit("sut/manifest.json is stale: run tools/update_manifest.sh")
else:
    open("sut/manifest.json", "w").write(text)
PY
