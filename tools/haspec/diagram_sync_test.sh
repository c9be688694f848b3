#!/usr/bin/env bash
# Each machine's README holds `haspec diagram MACHINE --format mermaid` of its
# default configuration between the diagram markers; fails while one is stale
# (regenerate with tools/update_rule_tables.sh). Also checks the dot output
# is a digraph with solid and dashed edges somewhere.
#   tools/haspec/diagram_sync_test.sh path/to/haspec
set -euo pipefail
haspec=$1
cd "$(dirname "$0")/../.."
status=0
for m in dsm vcs-system vcs-gco jsa; do
  readme="model/${m//-/_}/README.md"
  want=$("$haspec" diagram "$m" --format mermaid)
  have=$(python3 - "$readme" <<'PY'
import sys
text = open(sys.argv[1]).read()
b = text.find("<!-- diagram:begin")
e = text.find("<!-- diagram:end -->")
if b < 0 or e < 0:
    sys.exit(f"{sys.argv[1]}: missing the diagram markers")
block = text[text.index("-->", b) + 3:e].strip()
if block.startswith("```mermaid"):
    block = block[len("```mermaid"):]
if block.endswith("```"):
    block = block[:-3]
print(block.strip())
PY
)
  if [ "$(printf '%s' "$want" | sed -e 's/[[:space:]]*$//')" != "$(printf '%s' "$have" | sed -e 's/[[:space:]]*$//')" ]; then
    echo "FAIL: $readme: the status diagram is stale; regenerate it with tools/update_rule_tables.sh" >&2
    status=1
  fi
done
dot=$("$haspec" diagram dsm --format dot)
grep -q '^digraph "dsm"' <<<"$dot" || { echo "FAIL: no digraph" >&2; status=1; }
grep -q 'style=dashed' <<<"$dot" || { echo "FAIL: no assumption edge in dsm" >&2; status=1; }
[ $status = 0 ] && echo "diagram_sync_test: ok"
exit $status
