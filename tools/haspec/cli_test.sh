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
printf '{"op": "deploy_vm", "node": "n0", "expect": "DSM-PRE-SLOT-FREE"}\n' >"$tmp/expect.jsonl"
expect 1 "run: an unmet expectation is a violation" -- "$haspec" run dsm "$tmp/expect.jsonl"
contains "ERROR: dsm: violation of transition DSM-TR-DEPLOY"
printf '{"op": "deploy_vm", "node": "n0", "expect": "NO-SUCH-RULE"}\n' >"$tmp/rule.jsonl"
expect 3 "run: an unknown rule in expect is bad input" -- "$haspec" run dsm "$tmp/rule.jsonl"
printf '{"op": "service_down", "node": "n0", "service": 200}\n' >"$tmp/domain.jsonl"
expect 3 "run: a value outside its domain is bad input" -- "$haspec" run dsm "$tmp/domain.jsonl"
contains "domain.jsonl:1: service:"
printf '{"op": "deploy_vm", "node": "n0", "nod": "n1"}\n' >"$tmp/field.jsonl"
expect 3 "run: an unknown field is bad input" -- "$haspec" run dsm "$tmp/field.jsonl"
contains "field.jsonl:1: nod: unknown field of op deploy_vm"

# Documented answers and assumed answers: configure_ha on a node that is not
# a member is refused only by an assumption.
printf '{"op": "deploy_vm", "node": "n0"}\n{"op": "configure_ha", "node": "n1", "expect": "accepted"}\n' >"$tmp/assumed.jsonl"
expect 1 "run: a departure fails the full profile" -- "$haspec" run dsm "$tmp/assumed.jsonl"
contains "ERROR: dsm: departure from precondition DSM-PRE-MEMBER"
expect 0 "run --documented-only: a departure is a warning" -- "$haspec" run dsm "$tmp/assumed.jsonl" --documented-only
contains "WARNING: dsm: departure from precondition DSM-PRE-MEMBER"
contains "1 departure(s) from assumptions (warnings)"

# --json: one object per step; --keep-going goes past a failing step.
printf '{"op": "deploy_vm", "node": "n0", "expect": "rejected"}\n{"op": "deploy_vm", "node": "n0", "expect": "accepted"}\n{"op": "configure_ha", "node": "n0"}\n' >"$tmp/two.jsonl"
expect 1 "run stops at the first failing step" -- "$haspec" run dsm "$tmp/two.jsonl" --json
python3 -c '
import json,sys
rows=[json.loads(l) for l in sys.argv[1].splitlines()]
assert rows[0]["initial"] and "observation" in rows[0], rows[0]
assert len(rows)==3 and rows[1]["line"]==1 and rows[1]["findings"][0]["severity"]=="violation", rows
assert rows[-1]["summary"] and rows[-1]["stopped_early"] and rows[-1]["verdict"]=="fail", rows[-1]
' "$LAST" || { echo "FAIL: run --json content"; fail=1; }
expect 1 "run --keep-going steps every op" -- "$haspec" run dsm "$tmp/two.jsonl" --json --keep-going
python3 -c '
import json,sys
rows=[json.loads(l) for l in sys.argv[1].splitlines()]
steps=[r for r in rows if "line" in r]
assert [r["line"] for r in steps]==[1,2,3], steps
assert steps[1]["refusals"]==["DSM-PRE-SLOT-FREE"] and steps[1]["departs"]=="DSM-PRE-SLOT-FREE", steps[1]
assert rows[-1]["violations"]==1 and rows[-1]["departures"]==1 and not rows[-1]["stopped_early"], rows[-1]
' "$LAST" || { echo "FAIL: run --keep-going content"; fail=1; }

# Configurations: the product's own node names.
printf '{"nodes": ["e6e517e5-fca0-4778-96bd-52cb374fb87d", "7fd97971-f6b8-4f04-b931-231a55dc3a48"]}\n' >"$tmp/uuid.json"
printf '{"op": "deploy_vm", "node": "e6e517e5-fca0-4778-96bd-52cb374fb87d", "expect": "accepted"}\n' >"$tmp/uuid.jsonl"
expect 0 "run --config: nodes named as the product names them" -- "$haspec" run dsm "$tmp/uuid.jsonl" --config "$tmp/uuid.json"
contains "deploy_vm node=e6e517e5-fca0-4778-96bd-52cb374fb87d"
expect 3 "run: a node the configuration lacks is bad input" -- "$haspec" run dsm "$tmp/uuid.jsonl"
printf '{"nodes": ["a", "a"]}\n' >"$tmp/dup.json"
expect 3 "run --config: a bad configuration names its file" -- "$haspec" run dsm "$tmp/uuid.jsonl" --config "$tmp/dup.json"
contains "dup.json:"

expect 0 "ops dsm lists kinds and environment choices" -- "$haspec" ops dsm
contains "[environment choice]"
contains "[completion]"
expect 0 "ops --json" -- "$haspec" ops jsa --json
python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["ops"] and {o["kind"] for o in d["ops"]} <= {"command","event","completion"}' "$LAST" \
  || { echo "FAIL: ops --json content"; fail=1; }
expect 0 "statuses cite their definitions" -- "$haspec" statuses vcs-system
contains "defined in 004_8f69e7f3cbec2e41.txt"
expect 0 "check --json carries the coverage record" -- "$haspec" check jsa --walks 5 --json
python3 -c 'import json,sys; d=json.loads(sys.argv[1]); c=d[0]["coverage"]; assert c["premise"] and c["decided"] and c["rules_exercised"]>0' "$LAST" \
  || { echo "FAIL: check --json coverage"; fail=1; }
expect 0 "help lists exit codes" -- "$haspec" --help
contains "Exit codes:"
exit $fail
