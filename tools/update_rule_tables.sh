#!/usr/bin/env bash
# Regenerates the rule table of every model/<machine>/README.md from the
# catalogue, between the rules:begin / rules:end markers.
#   tools/update_rule_tables.sh [path/to/haspec]
set -euo pipefail
cd "$(dirname "$0")/.."
haspec=${1:-build/default/tools/haspec/haspec}
for m in $("$haspec" machines --json | python3 -c 'import json,sys; print(" ".join(x["name"] for x in json.load(sys.stdin)))'); do
  readme="model/${m//-/_}/README.md"
  [ -f "$readme" ] || { echo "skip $m: no $readme" >&2; continue; }
  table=$("$haspec" rules "$m" --markdown)
  TABLE="$table" python3 - "$readme" <<'PY'
import os, re, sys
path = sys.argv[1]
text = open(path).read()
begin = text.index("<!-- rules:begin")
begin = text.index("-->", begin) + 3
end = text.index("<!-- rules:end -->")
open(path, "w").write(text[:begin] + "\n" + os.environ["TABLE"] + "\n" + text[end:])
PY
  echo "updated $readme"
done
