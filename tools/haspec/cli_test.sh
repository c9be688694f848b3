#!/usr/bin/env bash
# End-to-end checks of the haspec CLI: outputs and exit codes.
#   cli_test.sh path/to/haspec
set -u
haspec=$1
fail=0
expect() {  # expect CODE DESCRIPTION -- COMMAND...
  local want=$1 what=$2; shift 3
  local out rc
  out=$("$@" 2>&1); rc=$?
  if [ "$rc" -ne "$want" ]; then
    echo "FAIL: $what: exit $rc, expected $want"; echo "$out" | head -20; fail=1
  else
    echo "ok: $what"
  fi
  LAST=$out
}
contains() {
  if ! grep -qF -- "$1" <<<"$LAST"; then echo "FAIL: output lacks '$1'"; echo "$LAST" | head -20; fail=1; fi
}

expect 0 "machines lists dsm" -- "$haspec" machines
contains "dsm"
expect 0 "machines --json is JSON" -- "$haspec" machines --json
python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert any(m["name"]=="dsm" and m["statuses"]==7 for m in d)' "$LAST" \
  || { echo "FAIL: machines --json content"; fail=1; }
expect 0 "rules dsm" -- "$haspec" rules dsm
contains "DSM-PRE-ALL-SECONDARIES-LOST"
contains "basis: seed 000_aec1892a11a02c4c.txt"
expect 0 "rules dsm --json" -- "$haspec" rules dsm --json --kind invariant
python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["rules"] and all(r["kind"]=="invariant" for r in d["rules"])' "$LAST" \
  || { echo "FAIL: rules --json content"; fail=1; }
expect 0 "rules --documented-only drops assumptions" -- "$haspec" rules dsm --documented-only
if grep -q "assumption:" <<<"$LAST"; then echo "FAIL: assumption listed"; fail=1; fi
expect 2 "unknown machine is a usage error" -- "$haspec" rules nosuch
contains 'unknown machine "nosuch"'
expect 2 "unknown flag is a usage error" -- "$haspec" check --bogus
expect 2 "zero walks is a usage error" -- "$haspec" check --walks 0
expect 0 "check passes on the bundled models" -- "$haspec" check --walks 20 --steps 50
contains "SUMMARY:"
expect 0 "check --json" -- "$haspec" check dsm --walks 5 --json
python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d[0]["verdict"]=="pass" and d[0]["steps"]>0' "$LAST" \
  || { echo "FAIL: check --json content"; fail=1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
printf '{"op": "deploy_vm", "node": "n0"}\n\n# comment\n{"op": "deploy_vm", "node": "n9"}\n' >"$tmp/bad.jsonl"
expect 3 "run: a bad op names file and line" -- "$haspec" run dsm "$tmp/bad.jsonl"
contains "bad.jsonl:4: node: unknown node \"n9\""
printf '{"op": "deploy_vm", "node": "n0"\n' >"$tmp/broken.jsonl"
expect 3 "run: broken JSON names file and line" -- "$haspec" run dsm "$tmp/broken.jsonl"
contains "broken.jsonl:1: not valid JSON"
expect 3 "run: a missing file is bad input" -- "$haspec" run dsm "$tmp/none.jsonl"
printf '{"op": "deploy_vm", "node": "n0", "expect": "DSM-PRE-TARGET-STATE"}\n' >"$tmp/expect.jsonl"
expect 1 "run: an unmet expectation is a violation" -- "$haspec" run dsm "$tmp/expect.jsonl"
contains "ERROR: dsm: expected DSM-PRE-TARGET-STATE"
printf '{"op": "deploy_vm", "node": "n0", "expect": "NO-SUCH-RULE"}\n' >"$tmp/rule.jsonl"
expect 3 "run: an unknown rule in expect is bad input" -- "$haspec" run dsm "$tmp/rule.jsonl"
expect 0 "help lists exit codes" -- "$haspec" --help
contains "Exit codes:"
exit $fail
