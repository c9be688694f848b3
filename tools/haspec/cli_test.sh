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
printf '{"op": "deploy_vm", "node": "n0", "note": 1e999}\n' >"$tmp/huge.jsonl"
expect 3 "run: a number beyond a double is bad input" -- "$haspec" run dsm "$tmp/huge.jsonl"
contains "huge.jsonl:1: not valid JSON"
printf '{"nodes": ["n0", "n1"], "max_members": 1e999}\n' >"$tmp/huge-config.json"
expect 3 "check: a configuration with a number beyond a double is bad input" -- \
  "$haspec" check dsm --walks 1 --config "$tmp/huge-config.json"
contains "huge-config.json: not valid JSON"
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

# Observations: a line's "obs" (partial: keys left out are not seen) must fit
# a state the trace allows, as the gate checks an implementation.
src=$(cd "$(dirname "$0")/../.." && pwd)
dsm_config=$src/sut/dsm/gate-config.json
printf '{"op": "deploy_vm", "node": "n0", "obs": {"nodes": {"n0": {"status": "ACTIVE_MODE"}}}}\n{"op": "service_down", "node": "n0", "service": "postgres", "expect": "accepted", "obs": {"nodes": {"n0": {"listed": true, "status": "LOST_CONNECTIVITY"}}}}\n' >"$tmp/obs.jsonl"
expect 0 "run: an observation the model shows fits" -- "$haspec" run dsm "$tmp/obs.jsonl" --config "$dsm_config"
contains "seen [n0 Lost Connectivity] fits"
contains "2 observation(s) checked"
sed 's/"LOST_CONNECTIVITY"/"CRITICAL"/' "$tmp/obs.jsonl" >"$tmp/obs-status.jsonl"
expect 1 "run: a wrong status in obs is a violation of the status rule" -- "$haspec" run dsm "$tmp/obs-status.jsonl" --config "$dsm_config"
contains "ERROR: dsm: violation of transition DSM-STATUS-CRITICAL at $tmp/obs-status.jsonl:2: the observation n0 shows Critical"
expect 1 "run --json: the observation verdict per step" -- "$haspec" run dsm "$tmp/obs-status.jsonl" --config "$dsm_config" --json
python3 -c '
import json,sys
rows=[json.loads(l) for l in sys.argv[1].splitlines()]
assert rows[1]["obs_verdict"]=={"fit":"match","why":[]} and rows[1]["obs"]["nodes"]["n0"]["status"]=="ACTIVE_MODE", rows[1]
v=rows[2]["obs_verdict"]; assert v["fit"]=="mismatch" and v["why"][0]["rule"]=="DSM-STATUS-CRITICAL", v
assert rows[2]["findings"][0]["severity"]=="violation", rows[2]
assert rows[-1]["observations"]==2 and rows[-1]["verdict"]=="fail", rows[-1]
' "$LAST" || { echo "FAIL: run --json observation verdict"; fail=1; }
# VCS GCO: Icmp brings the view up, IcmpS has not reported when Icmp dies; a
# view still RUNNING fits only the landing GCO-ASM-HBUNKNOWN-COUNTS-AS-LOST
# excludes.
gco_pair='"observer": "clus0", "remote": "clus1"'
{ printf '{"op": "heartbeat_alive", %s, "heartbeat": "Icmp"}\n' "$gco_pair"
  printf '{"op": "connect", %s}\n{"op": "snapshot_done", %s}\n' "$gco_pair" "$gco_pair"
  printf '{"op": "heartbeat_dead", %s, "heartbeat": "Icmp", "obs": {"clusters": [{"cluster": "clus0", "remote": [{"cluster": "clus1", "state": "RUNNING"}]}]}}\n' "$gco_pair"
} >"$tmp/gco-running.jsonl"
gco_config=$src/sut/vcs_gco/gate-config.json
expect 1 "run: an obs fitting only a departing landing fails the full profile" -- "$haspec" run vcs-gco "$tmp/gco-running.jsonl" --config "$gco_config"
contains "ERROR: vcs-gco: departure from transition GCO-ASM-HBUNKNOWN-COUNTS-AS-LOST at $tmp/gco-running.jsonl:4: the observation fits only a landing that departs"
if grep -q "violation of" <<<"$LAST"; then echo "FAIL: a departure reported as a violation"; fail=1; fi
expect 0 "run --documented-only: an obs fitting only a departing landing is a warning" -- "$haspec" run vcs-gco "$tmp/gco-running.jsonl" --config "$gco_config" --documented-only
contains "WARNING: vcs-gco: departure from transition GCO-ASM-HBUNKNOWN-COUNTS-AS-LOST"
sed 's/"state": "RUNNING"/"state": "LOST_HB"/' "$tmp/gco-running.jsonl" >"$tmp/gco-lost.jsonl"
expect 0 "run: the model's own landing fits" -- "$haspec" run vcs-gco "$tmp/gco-lost.jsonl" --config "$gco_config"
sed 's/"state": "RUNNING"/"state": "INIT"/' "$tmp/gco-running.jsonl" >"$tmp/gco-init.jsonl"
expect 1 "run: an obs no landing fits is a violation" -- "$haspec" run vcs-gco "$tmp/gco-init.jsonl" --config "$gco_config"
contains "ERROR: vcs-gco: violation of invariant GCO-OBS-VIEWS-SHOWN at $tmp/gco-init.jsonl:4"
printf '{"obs": {"nodes": {"n0": {"listed": true}}}}\n{"op": "deploy_vm", "node": "n0"}\n' >"$tmp/obs-initial.jsonl"
expect 1 "run: an initial observation line is checked" -- "$haspec" run dsm "$tmp/obs-initial.jsonl"
contains "ERROR: dsm: violation of transition DSM-OBS-HA-NODES at $tmp/obs-initial.jsonl:1"
printf '{"op": "deploy_vm", "node": "n0", "obs": "ACTIVE_MODE"}\n' >"$tmp/obs-type.jsonl"
expect 3 "run: an obs that is no object is bad input" -- "$haspec" run dsm "$tmp/obs-type.jsonl"
contains "obs-type.jsonl:1: obs: expected an object"
printf '# c\n{"op": "deploy_vm", "node": "n0", "obs": {"nodes": {"n0": {"stat": "ACTIVE_MODE"}}}}\n' >"$tmp/obs-field.jsonl"
expect 3 "run: an unknown obs field names its path" -- "$haspec" run dsm "$tmp/obs-field.jsonl"
contains "obs-field.jsonl:2: obs.nodes.n0.stat: unknown field"
printf '{"op": "deploy_vm", "node": "n0", "obs": {"nodes": {"n0": {"status": "BOGUS"}}}}\n' >"$tmp/obs-value.jsonl"
expect 3 "run: a bad obs value names its path" -- "$haspec" run dsm "$tmp/obs-value.jsonl"
contains "obs-value.jsonl:1: obs.nodes.n0.status: unknown value \"BOGUS\""
printf '# a gate counterexample that failed at reset has no lines\n' >"$tmp/empty.jsonl"
expect 0 "run: an empty trace passes but says it checked nothing" -- "$haspec" run dsm "$tmp/empty.jsonl"
contains "WARNING: $tmp/empty.jsonl holds no ops and no observation: nothing was checked"
# End to end: a gate counterexample that fails on an observation fails the
# replay against the model too (the bundled reference sits beside haspec).
ref_dsm=$(dirname "$haspec")/../../sut/dsm/haspec-ref-dsm
if [ -x "$ref_dsm" ]; then
  for mutant in vpostgres-down-critical down-vm-shows-active; do
    mkdir -p "$tmp/$mutant"
    expect 1 "gate catches $mutant" -- "$haspec" gate dsm --sut "$ref_dsm --mutant $mutant" \
      --config "$dsm_config" --out "$tmp/$mutant" --shrink-seconds 2
    contains "rule DSM-STATUS-"
    expect 1 "run replays the $mutant counterexample as a violation" -- \
      "$haspec" run dsm "$tmp/$mutant/gate-dsm-seed1.jsonl" --config "$dsm_config"
    contains "the observation n"
    contains "SUMMARY: "
  done
else
  echo "skip: gate counterexample replay ($ref_dsm not built)"
fi

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
