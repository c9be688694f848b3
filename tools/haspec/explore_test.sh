#!/usr/bin/env bash
# haspec explore, the coverage gate and haspec diagram from the command line:
# a complete exploration passes; a budget cut says so; no documented rule
# breaks under --documented-only, and an assumption broken there comes with a
# trace that `haspec run` replays to the same rule; documented status changes
# are reported reached or not (--require-documented-changes fails on one not
# reached); --min-rule-coverage fails a run that missed rules and names them.
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

# The documented-only findings of vcs-system (a second hasys -force during a
# local build) and vcs-gco (connect to an exiting cluster) are fixed: no
# documented rule breaks along every documented answer.
out=$("$haspec" explore vcs-system --documented-only --no-progress --out "$tmp") ||
  fail "documented-only vcs-system exited $?: $out"
grep -q "^SUMMARY: vcs-system: .* 0 rule(s) broken" <<<"$out" || fail "vcs-system: $out"

# An assumption broken under --documented-only is a warning (exit 0) with a
# trace that `haspec run --documented-only` replays to the same rule.
out=$("$haspec" explore vcs-gco --documented-only --no-progress --out "$tmp") ||
  fail "documented-only vcs-gco exited $?: $out"
rule=$(grep -o "^WARNING: vcs-gco: departure of invariant [A-Z-]*" <<<"$out" | head -1 | awk '{print $NF}')
[ -n "$rule" ] || fail "no departure reported: $out"
trace="$tmp/explore-vcs-gco-$rule.jsonl"
[ -f "$trace" ] || fail "no trace $trace"
replay=$("$haspec" run vcs-gco "$trace" --documented-only 2>&1) || fail "replay exited $?: $replay"
grep -q "WARNING: vcs-gco: departure from invariant $rule" <<<"$replay" || fail "replay: $replay"

# Documented status changes: every one reached in jsa; DSM's default
# configuration leaves the password fault out, so Active Mode -> Unknown is a
# FINDING, and --require-documented-changes fails on it.
out=$("$haspec" explore jsa --no-progress --require-documented-changes) || fail "jsa changes: $out"
grep -q "^documented status changes (model/jsa/status_changes.def): 21 of 21 reached" <<<"$out" ||
  fail "jsa documented changes: $out"
set +e
out=$("$haspec" explore dsm --no-progress --require-documented-changes)
rc=$?
set -e
[ "$rc" = 1 ] || fail "dsm --require-documented-changes exited $rc, expected 1"
grep -q '^FINDING: documented status changes no reachable step makes: "Active Mode -> Unknown"' \
  <<<"$out" || fail "dsm finding: $out"
grep -q "^  NOT REACHED  Active Mode -> Unknown" <<<"$out" || fail "dsm report: $out"

"$haspec" explore vcs-gco --json --no-progress | python3 -c '
import json, sys
r = json.load(sys.stdin)
assert r["complete"] and r["symmetry"] and r["verdict"] == "pass", r["verdict"]
assert r["coverage"]["rules_total"] > 0 and r["status_changes"]
changes = r["documented_status_changes"]
assert changes and all(c["reachable"] for c in changes), changes
assert not r["documented_status_changes_unreached"]
assert {c["listed"] for c in r["status_changes"]} >= {"documented", "unlisted"}
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
