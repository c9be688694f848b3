#!/usr/bin/env bash
# gate --report and replay --report (engine/report.h): a gate run against a
# mutant of the JSA reference and a replay of each machine's invalid traces
# fail, and their Markdown and HTML reports name the rule broken with the
# quote of its source sentence (from `haspec rules --json`, so a report that
# drops or garbles the basis fails), carry the counterexample as a sequence
# diagram (Mermaid; inline SVG, no script) and the coverage table. A bad
# report name is a usage error.
#   tools/haspec/report_test.sh path/to/haspec path/to/haspec-ref-jsa
set -euo pipefail
haspec=$1
ref_jsa=$2
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# The quote of RULE in MACHINE's catalogue (documented rules: the source
# phrase; assumptions: the reason), HTML-escaped when $3 is "html".
quote_of() {
  "$haspec" rules "$1" --json | python3 -c '
import json, sys
rules = {r["id"]: r for r in json.load(sys.stdin)["rules"]}
r = rules[sys.argv[1]]
q = r.get("quote") or r.get("reason") or ""
esc = q.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace(chr(34), "&quot;")
print(esc if sys.argv[2] == "html" else q)' "$2" "${3:-md}"
}

# check_report FILE RULE MACHINE: the rule, its quote, the diagram, the table.
check_report() {
  local file=$1 rule=$2 machine=$3 quote
  [ -s "$file" ] || fail "no report $file"
  quote=$(quote_of "$machine" "$rule")
  [ -n "$quote" ] || fail "no quote for $rule in haspec rules $machine --json"
  grep -qF "$rule" "$file" || fail "$file does not name $rule"
  case $file in
    *.md)
      grep -qF -- "$(quote_of "$machine" "$rule")" "$file" || fail "$file lacks the quote of $rule"
      grep -q '^```mermaid' "$file" || fail "$file has no Mermaid block"
      grep -q '^sequenceDiagram' "$file" || fail "$file has no sequence diagram"
      grep -q '^## Rule coverage' "$file" || fail "$file has no coverage table"
      ;;
    *.html)
      grep -qF -- "$(quote_of "$machine" "$rule" html)" "$file" || fail "$file lacks the quote of $rule"
      grep -q '<svg' "$file" || fail "$file has no SVG diagram"
      if grep -qi '<script\|src="http\|href="http' "$file"; then fail "$file is not self-contained"; fi
      grep -q '<h2>Rule coverage</h2>' "$file" || fail "$file has no coverage table"
      ;;
  esac
}

# The gate against a reference mutant that skips the re-ping.
for ext in md html; do
  set +e
  out=$("$haspec" gate jsa --sut "$ref_jsa --mutant skip-reping" --runs 50 --shrink-seconds 2 \
    --out "$tmp" --report "$tmp/gate.$ext" 2>&1)
  rc=$?
  set -e
  [ "$rc" = 1 ] || fail "gate against the mutant exited $rc: $out"
  grep -q "report written to $tmp/gate.$ext" <<<"$out" || fail "gate did not say where: $out"
  rule=$(grep -o '^  rule [A-Z0-9-]*' <<<"$out" | head -1 | awk '{print $2}')
  [ -n "$rule" ] || fail "no rule in the gate output: $out"
  check_report "$tmp/gate.$ext" "$rule" jsa
done
grep -q 'participant R as' "$tmp/gate.md" || fail "gate.md: no implementation participant"

# A replay of each machine's invalid traces (the first that fails on a rule).
for m in dsm vcs-system vcs-gco jsa; do
  for trace in traces/"${m//-/_}"/invalid/*.jsonl; do
    rule=$(sed -n 's/^# expect-\(violation\|departure\): \([A-Z0-9-]*\).*/\2/p' "$trace" | head -1)
    [ -n "$rule" ] || continue
    for ext in md html; do
      set +e
      out=$("$haspec" replay "$m" "$trace" --report "$tmp/replay.$ext" 2>&1)
      rc=$?
      set -e
      [ "$rc" = 1 ] || fail "replay $trace exited $rc: $out"
      check_report "$tmp/replay.$ext" "$rule" "$m"
    done
    grep -qF "$(basename "$trace")" "$tmp/replay.md" || fail "replay.md does not name the trace"
    break
  done
done

set +e
out=$("$haspec" replay jsa traces/jsa/invalid/set-online-while-active.jsonl --report "$tmp/r.txt" 2>&1)
rc=$?
set -e
[ "$rc" = 2 ] || fail "--report r.txt exited $rc, expected 2 (usage): $out"
echo "report_test: ok"
