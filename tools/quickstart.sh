#!/usr/bin/env bash
# One command: install what is missing, build, and run haspec's main job on
# the bundled defaults: list the machines, check every bundled model, gate
# every bundled reference implementation (sut/manifest.json) against its
# model, then show the gate catching one planted bug (the expected
# demonstration). Exits 0 when everything behaved as expected.
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

# The demonstration: a reference with a planted bug must be caught.
impl = manifest["implementations"][0]
bug = next(s for s in impl["switches"] if s["kind"] == "mutant")
cmd = "build/default/" + impl["command"][0] + " " + bug["flag"]
args = [haspec, "gate", impl["machine"], "--sut", cmd, "--out", "build/default"]
if "gate_config" in impl:
    args += ["--config", impl["gate_config"]]
bar = "=" * 78
print("\n" + bar)
print("EXPECTED DEMONSTRATION: the gate must catch a planted bug and exit 1.")
print("  bug (" + bug["name"] + "): " + bug["bug"])
print("  rule it breaks: " + bug["rule"])
print(bar + "\n$ " + " ".join(args[1:]), flush=True)
rc = subprocess.call(args)
print(bar)
if rc == 1:
    print("As expected: the planted bug was caught (exit 1) with the counterexample above.")
else:
    print("UNEXPECTED: the gate exited %d; it should have caught the planted bug." % rc)
    failed = 1
print(bar)
print("\nquickstart: " + ("something did not behave as expected" if failed
                           else "every reference conforms and the planted bug was caught"))
sys.exit(1 if failed else 0)
PY
