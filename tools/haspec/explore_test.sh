#!/usr/bin/env bash
# haspec explore, the coverage gate and haspec diagram from the command line:
# a complete exploration passes; a budget cut says so; a rule broken under
# --documented-only (a finding of the vcs-system model: an assumption
# precondition alone keeps a documented invariant) fails with a trace that
# `haspec run` replays to the same rule; --min-rule-coverage fails a run that
# missed rules and names them.
#   tools/haspec/explore_test.sh path/to/haspec
set -euo pipefail
haspec=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

out=$("$haspec" explore jsa --no-progress) || fail "explore jsa exited $?"
grep -q "complete: every reachable state was visited" <<<"$out" || fail "jsa not complete"
grep -q "^SUMMARY: jsa: .* 0 rule(s) broken" <<<"$out" || fail "jsa summary: $out"

out=$("$haspec" explore dsm --max-states 500 --no-progress) || fail "budget run exited $?"
grep -q "WARNING: stopped at --max-states 500" <<<"$out" || fail "no budget warning"

set +e
out=$("$haspec" explore vcs-system --documented-only --no-progress --out "$tmp")
rc=$?
set -e
[ "$rc" = 1 ] || fail "documented-only vcs-system exited $rc, expected 1"
rule=$(grep -o "^ERROR: vcs-system: violation of invariant [A-Z-]*" <<<"$out" | head -1 | awk '{print $NF}')
[ -n "$rule" ] || fail "no violation reported: $out"
trace="$tmp/explore-vcs-system-$rule.jsonl"
[ -f "$trace" ] || fail "no trace $trace"
set +e
replay=$("$haspec" run vcs-system "$trace" --documented-only 2>&1)
rc=$?
set -e
[ "$rc" = 1 ] || fail "replay exited $rc, expected 1: $replay"
grep -q "ERROR: vcs-system: violation of invariant $rule" <<<"$replay" || fail "replay: $replay"

"$haspec" explore vcs-gco --json --no-progress | python3 -c '
import json, sys
r = json.load(sys.stdin)
assert r["complete"] and r["symmetry"] and r["verdict"] == "pass", r["verdict"]
assert r["coverage"]["rules_total"] > 0 and r["status_changes"]
' || fail "explore --json"

set +e
out=$("$haspec" check jsa --walks 1 --steps 3 --min-rule-coverage 100)
rc=$?
set -e
[ "$rc" = 1 ] || fail "coverage gate exited $rc, expected 1"
grep -q "ERROR: jsa: rule coverage .* is below --min-rule-coverage 100%; not exercised: JSA-" \
  <<<"$out" || fail "coverage gate message: $out"
"$haspec" check jsa --walks 1 --steps 3 --min-rule-coverage 0 >/dev/null || fail "P=0 failed"
"$haspec" explore jsa --no-progress --min-rule-coverage 50 >/dev/null || fail "explore P=50"
echo "explore_test: ok"
