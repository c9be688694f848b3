#!/usr/bin/env bash
# Regenerates the generated tables of every model/<machine>/README.md: the
# rule catalogue (between rules:begin / rules:end) and the op reference
# (between ops:begin / ops:end). Tests fail while a README is stale.
#   tools/update_rule_tables.sh [path/to/haspec]
set -euo pipefail
cd "$(dirname "$0")/.."
haspec=${1:-build/default/tools/haspec/haspec}
for m in $("$haspec" machines --json | python3 -c 'import json,sys; print(" ".join(x["name"] for x in json.load(sys.stdin)))'); do
  readme="model/${m//-/_}/README.md"
  [ -f "$readme" ] || { echo "skip $m: no $readme" >&2; continue; }
  RULES=$("$haspec" rules "$m" --markdown) OPS=$("$haspec" ops "$m" --markdown) \
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
open(path, "w").write(text)
PY
  echo "updated $readme"
done
