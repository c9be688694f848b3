#!/usr/bin/env bash
# Regenerates the generated tables of every model/<machine>/README.md: the
# rule catalogue (between rules:begin / rules:end) and the op reference
# (between ops:begin / ops:end), the documented status changes (between
# changes:begin / changes:end, from haspec statuses --changes --markdown) and
# the status diagram (between diagram:begin / diagram:end, from haspec diagram). Tests fail while a README is stale.
#   tools/update_rule_tables.sh [path/to/haspec]
set -euo pipefail
cd "$(dirname "$0")/.."
haspec=${1:-build/default/tools/haspec/haspec}
for m in $("$haspec" machines --json | python3 -c 'import json,sys; print(" ".join(x["name"] for x in json.load(sys.stdin)))'); do
  readme="model/${m//-/_}/README.md"
  [ -f "$readme" ] || { echo "skip $m: no $readme" >&2; continue; }
  RULES=$("$haspec" rules "$m" --markdown) OPS=$("$haspec" ops "$m" --markdown) \
  DIAGRAM=$("$haspec" diagram "$m" --format mermaid) \
  CHANGES=$("$haspec" statuses "$m" --changes --markdown) \
  python3 - "$readme" <<'PY'
import os, sys
path = sys.argv[1]
text = open(path).read()
def splice(text, begin_marker, end_marker, table):
    if begin_marker not in text:
        sys.exit(f"{path}: missing marker {begin_marker}")
    begin = text.index(begin_marker)
    begin = text.index("-->", begin) + 3
    end = text.index(end_marker, begin)
    return text[:begin] + "\n" + table + "\n" + text[end:]
text = splice(text, "<!-- rules:begin", "<!-- rules:end -->", os.environ["RULES"])
text = splice(text, "<!-- ops:begin", "<!-- ops:end -->", os.environ["OPS"])
text = splice(text, "<!-- changes:begin", "<!-- changes:end -->", os.environ["CHANGES"])
text = splice(text, "<!-- diagram:begin", "<!-- diagram:end -->",
              "```mermaid\n" + os.environ["DIAGRAM"].strip() + "\n```")
open(path, "w").write(text)
PY
  echo "updated $readme"
done

# docs/sut-protocol.md: per machine, the op reference, the default
# configuration and an example observation (from the machine's first bundled
# trace), between the protocol:machines markers.
python3 - "$haspec" <<'PY'
import glob, json, subprocess, sys
haspec = sys.argv[1]
machines = json.loads(subprocess.check_output([haspec, "machines", "--json"]))
parts = []
for m in machines:
    name = m["name"]
    folder = name.replace("-", "_")
    ops = subprocess.check_output([haspec, "ops", name, "--markdown"], text=True)
    example = ""
    traces = sorted(glob.glob(f"traces/{folder}/valid/*.jsonl"))
    if traces:
        out = subprocess.run([haspec, "run", name, traces[0], "--json"], capture_output=True,
                             text=True).stdout.splitlines()
        steps = [json.loads(l) for l in out if l.startswith("{")]
        steps = [s for s in steps if "observation" in s and "line" in s]
        if steps:
            example = json.dumps(steps[-1]["observation"], indent=2)
    parts.append(f"### {name}\n\n{m['title']}.\n\nDefault configuration (`config` in hello and "
                 f"reset):\n\n```json\n{json.dumps(m['default_config'], indent=2)}\n```\n\n"
                 f"Ops (`op` requests):\n\n{ops}\n"
                 + (f"An observation, as `haspec run` shows one after `{traces[0]}` (every key "
                    f"may be left out when the product does not show it):\n\n```json\n"
                    f"{example}\n```\n" if example else ""))
path = "docs/sut-protocol.md"
text = open(path).read()
b = text.index("<!-- protocol:machines:begin")
b = text.index("-->", b) + 3
e = text.index("<!-- protocol:machines:end -->")
open(path, "w").write(text[:b] + "\n" + "\n".join(parts) + text[e:])
print("updated " + path)
PY
