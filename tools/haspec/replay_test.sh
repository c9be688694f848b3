#!/bin/bash
# haspec replay and shrink from the command line: bad input (each a precise
# file:line message and exit 3, never a crash), vocabulary drift, merging of
# several files, --keep-going, -j, JUnit, shrink. Usage: replay_test.sh HASPEC
set -u
haspec=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fails=0

# expect CODE PATTERN -- COMMAND...: the exit code and a line matching PATTERN.
expect() {
  local code=$1 pattern=$2
  shift 3
  local out rc
  out=$("$@" 2>&1)
  rc=$?
  if [[ $rc -ne $code ]] || ! grep -qE -- "$pattern" <<<"$out"; then
    echo "FAIL: $* -> exit $rc (want $code), output:"
    echo "$out" | head -20
    echo "  (wanted a line matching: $pattern)"
    fails=$((fails + 1))
  fi
  if [[ $rc -ge 64 ]]; then
    echo "FAIL (crash, exit $rc): $*"
    fails=$((fails + 1))
  fi
}

ok='{"op": "hastart", "sys": "sys0", "result": "accepted"}'
printf '%s\n' "$ok" >"$dir/ok.jsonl"
expect 0 'conforms' -- "$haspec" replay vcs-system "$dir/ok.jsonl"

# Malformed JSON.
printf '%s\n{"op": "join", "sys": \n' "$ok" >"$dir/malformed.jsonl"
expect 3 'malformed.jsonl:2: not valid JSON' -- "$haspec" replay vcs-system "$dir/malformed.jsonl"
# Invalid UTF-8 (inside a string).
printf '%s\n{"op": "join", "sys": "sys0", "note": "\xff\xfe"}\n' "$ok" >"$dir/utf8.jsonl"
expect 3 'utf8.jsonl:2: invalid UTF-8 at byte' -- "$haspec" replay vcs-system "$dir/utf8.jsonl"
# Numbers out of range.
printf '%s\n{"op": "hastart", "sys": "sys0", "t": 99999999999999999999999}\n' "$ok" \
  >"$dir/range.jsonl"
expect 3 'range.jsonl:2: t: expected an ISO 8601' -- "$haspec" replay vcs-system "$dir/range.jsonl"
printf '{"op": "host_fails", "host": "primary", "cause": 340282366920938463463374607431768211456}\n' \
  >"$dir/range2.jsonl"
expect 3 'range2.jsonl:1: cause' -- "$haspec" replay jsa "$dir/range2.jsonl"
# A number beyond a double: not valid JSON (nlohmann's out_of_range once escaped).
printf '%s\n{"op": "hastart", "sys": "sys0", "t": 1e999}\n' "$ok" >"$dir/range3.jsonl"
expect 3 'range3.jsonl:2: not valid JSON' -- "$haspec" replay vcs-system "$dir/range3.jsonl"
# A truncated last line.
printf '%s\n{"op": "join", "sy' "$ok" >"$dir/truncated.jsonl"
expect 3 'truncated.jsonl:2: truncated last line' -- "$haspec" replay vcs-system "$dir/truncated.jsonl"
# An unknown status name: vocabulary drift, its own verdict.
printf '%s\n{"obs": {"observers": [{"observer": "sys0", "states": {"sys0": "HIBERNATING"}}]}}\n' \
  "$ok" >"$dir/drift.jsonl"
expect 3 'DRIFT: .*drift.jsonl:2: vocabulary drift: .*HIBERNATING' -- \
  "$haspec" replay vcs-system "$dir/drift.jsonl"
expect 3 '1 vocabulary drift' -- "$haspec" replay vcs-system "$dir/drift.jsonl"
# A 100 MB line: refused without being read whole (the limit is 1 MiB).
{
  printf '%s\n{"op": "join", "sys": "sys0", "note": "' "$ok"
  head -c 100000000 /dev/zero | tr '\0' 'a'
  printf '"}\n%s\n' "$ok"
} >"$dir/huge.jsonl"
expect 3 'huge.jsonl:2: line longer than 1048576 bytes' -- \
  "$haspec" replay vcs-system "$dir/huge.jsonl" --keep-going
rm -f "$dir/huge.jsonl"
# Empty file, a directory, a missing file, a file that is not a trace.
: >"$dir/empty.jsonl"
expect 3 'empty.jsonl: empty' -- "$haspec" replay vcs-system "$dir/empty.jsonl"
expect 3 ': is a directory' -- "$haspec" replay vcs-system "$dir"
expect 3 'missing.jsonl: cannot open' -- "$haspec" replay vcs-system "$dir/missing.jsonl"
printf '2025-01-12 10:00:01 VCS INFO V-16-1-10077 Received new cluster membership\n' \
  >"$dir/log.jsonl"
expect 3 'log.jsonl:1: not a haspec trace' -- "$haspec" replay vcs-system "$dir/log.jsonl"
# A header for another machine; an unsupported version.
printf '{"haspec_trace": 1, "machine": "dsm"}\n' >"$dir/other.jsonl"
expect 3 'other.jsonl:1: header: the trace is for machine "dsm"' -- \
  "$haspec" replay vcs-system "$dir/other.jsonl"
printf '{"haspec_trace": 7, "machine": "dsm"}\n' >"$dir/v7.jsonl"
expect 3 'v7.jsonl:1: header: haspec_trace: unsupported trace format version 7' -- \
  "$haspec" replay dsm "$dir/v7.jsonl"
# --keep-going reports every bad line and still checks the rest: the
# violation on line 4 is found after the bad lines 2 and 3 (exit 1 wins).
printf '%s\n{bad\n{"op": "nope"}\n{"op": "hastart", "sys": "sys1", "result": "rejected"}\n' \
  "$ok" >"$dir/many.jsonl"
expect 1 'many.jsonl:4: violation' -- "$haspec" replay vcs-system "$dir/many.jsonl" --keep-going
expect 1 '2 bad line\(s\)' -- "$haspec" replay vcs-system "$dir/many.jsonl" --keep-going
expect 3 'many.jsonl:2: not valid JSON' -- "$haspec" replay vcs-system "$dir/many.jsonl"

# Two files of one cluster, merged by time: alone, b.jsonl's join has no
# hastart before it; merged, a.jsonl's hastart comes first.
printf '{"t": "2025-01-12T10:00:00Z", "op": "hastart", "sys": "sys0", "result": "accepted"}\n' \
  >"$dir/a.jsonl"
printf '{"t": "2025-01-12T10:00:01Z", "op": "join", "sys": "sys0", "expect": "VCS-TR-JOIN-CURRENT"}\n' \
  >"$dir/b.jsonl"
expect 0 'SUMMARY: 2 file\(s\), 2 event\(s\)' -- "$haspec" replay vcs-system "$dir/b.jsonl" "$dir/a.jsonl"
expect 1 'b.jsonl:1: violation' -- "$haspec" replay vcs-system --hidden 0 "$dir/b.jsonl"
# Clock skew: b's join stamped a second BEFORE a's hastart fits only with --skew.
printf '{"t": "2025-01-12T09:59:59Z", "op": "join", "sys": "sys0", "expect": "VCS-TR-JOIN-CURRENT"}\n' \
  >"$dir/b.jsonl"
expect 1 'violation' -- "$haspec" replay vcs-system --hidden 0 "$dir/a.jsonl" "$dir/b.jsonl"
expect 0 'taken in the order .*a.jsonl:1 .*b.jsonl:1' -- \
  "$haspec" replay vcs-system --hidden 0 --skew 2 "$dir/a.jsonl" "$dir/b.jsonl"
# Two swaps: b's discover (stamped first) belongs after both of a's events.
printf '%s\n' '{"t": "2025-01-12T10:00:00Z", "op": "hastart", "sys": "sys0", "result": "accepted"}' \
  '{"t": "2025-01-12T10:00:01Z", "op": "join", "sys": "sys0", "result": "accepted"}' >"$dir/a2.jsonl"
printf '{"t": "2025-01-12T09:59:59Z", "op": "discover", "sys": "sys0", "expect": "VCS-TR-DISCOVER-LOCAL-BUILD"}\n' \
  >"$dir/b2.jsonl"
expect 1 'b2.jsonl:1: violation' -- "$haspec" replay vcs-system --hidden 0 "$dir/a2.jsonl" "$dir/b2.jsonl"
expect 0 'taken in the order .*a2.jsonl:1 .*a2.jsonl:2 .*b2.jsonl:1' -- \
  "$haspec" replay vcs-system --hidden 0 --skew 3 "$dir/a2.jsonl" "$dir/b2.jsonl"
# Outside the window (3 s apart, skew 1): the failure stands.
expect 1 'b2.jsonl:1: violation' -- \
  "$haspec" replay vcs-system --hidden 0 --skew 1 "$dir/a2.jsonl" "$dir/b2.jsonl"
# Backwards: a's snapshot (sys0 not answering, stamped after b's hastart)
# happened before it; the hastart was applied first and fit, the snapshot
# fails after it, and the window reaches back over the hastart.
printf '{"t": "2025-01-12T10:00:00Z", "obs": {"observers": [{"observer": "sys0", "answered": false}]}}\n' \
  >"$dir/a3.jsonl"
printf '{"t": "2025-01-12T09:59:59Z", "op": "hastart", "sys": "sys0", "result": "accepted"}\n' \
  >"$dir/b3.jsonl"
expect 1 'a3.jsonl:1: violation' -- "$haspec" replay vcs-system --hidden 0 "$dir/a3.jsonl" "$dir/b3.jsonl"
expect 0 'taken in the order .*a3.jsonl:1 .*b3.jsonl:1' -- \
  "$haspec" replay vcs-system --hidden 0 --skew 2 "$dir/a3.jsonl" "$dir/b3.jsonl"

# --min-rule-coverage: one hastart exercises a few rules, not all of them.
expect 1 'rule coverage .* is below --min-rule-coverage 100' -- \
  "$haspec" replay vcs-system --min-rule-coverage 100 "$dir/ok.jsonl"
expect 0 'conforms' -- "$haspec" replay vcs-system --min-rule-coverage 1 "$dir/ok.jsonl"
expect 1 'not exercised:.* VCS-TR-HASTOP' -- \
  "$haspec" replay vcs-system --min-rule-coverage 100 "$dir/ok.jsonl"

# haspec run holds a recorded result and reason to the model's answer.
printf '{"op": "hastart", "sys": "sys0", "result": "rejected"}\n' >"$dir/run1.jsonl"
expect 1 'violation of transition VCS-TR-HASTART-INITING at .*run1.jsonl:1: expected result rejected' -- \
  "$haspec" run vcs-system "$dir/run1.jsonl"
# sys1 copies sys0's configuration (REMOTE_BUILD) when a configuration
# command is typed on it: refused, as the log says, for the documented rule.
printf '%s\n' '{"op": "hastart", "sys": "sys0"}' '{"op": "join", "sys": "sys0"}' \
  '{"op": "discover", "sys": "sys0"}' '{"op": "hastart", "sys": "sys1"}' \
  '{"op": "join", "sys": "sys1"}' '{"op": "discover", "sys": "sys1"}' \
  '{"op": "local_build_done", "sys": "sys0"}' \
  '{"op": "config_change", "on": "sys1", "result": "rejected", "reason": "VCS-PRE-CONFIG-REJECTED-STATE"}' \
  >"$dir/run2.jsonl"
expect 0 'SUMMARY: 8 of 8 ops stepped .* 0 violation' -- "$haspec" run vcs-system "$dir/run2.jsonl"
sed 's/VCS-PRE-CONFIG-REJECTED-STATE/VCS-PRE-HASYS-FORCE-ADMIN-WAIT/' "$dir/run2.jsonl" >"$dir/run3.jsonl"
expect 1 'run3.jsonl:8: expected result rejected, reason VCS-PRE-HASYS-FORCE-ADMIN-WAIT but' -- \
  "$haspec" run vcs-system "$dir/run3.jsonl"
sed 's/"rejected", "reason": "VCS-PRE-CONFIG-REJECTED-STATE"/"accepted"/' "$dir/run2.jsonl" >"$dir/run4.jsonl"
expect 1 'violation of precondition VCS-PRE-CONFIG-REJECTED-STATE at .*run4.jsonl:8' -- \
  "$haspec" run vcs-system "$dir/run4.jsonl"
expect 1 '"result":"accepted"' -- "$haspec" run --json vcs-system "$dir/run4.jsonl"
printf '{"op": "hastart", "sys": "sys0", "result": "maybe"}\n' >"$dir/run5.jsonl"
expect 3 'run5.jsonl:1: result: expected accepted, rejected or unknown' -- \
  "$haspec" run vcs-system "$dir/run5.jsonl"
printf '{"op": "hastart", "sys": "sys0", "reason": "VCS-TR-HASTART-INITING"}\n' >"$dir/run6.jsonl"
expect 3 'run6.jsonl:1: reason: only a rejected result has a reason' -- \
  "$haspec" run vcs-system "$dir/run6.jsonl"

# Many clusters in parallel, with a JUnit report.
mkdir -p "$dir/c1" "$dir/c2"
cp "$dir/ok.jsonl" "$dir/c1/"
cp "$dir/many.jsonl" "$dir/c2/"
expect 3 'SUMMARY: 2 cluster\(s\), 1 not conforming' -- \
  "$haspec" replay vcs-system --cluster "$dir/c1" --cluster "$dir/c2" -j 2 --junit "$dir/j.xml"
grep -q '<failure message=' "$dir/j.xml" || { echo "FAIL: no failure in the JUnit report"; fails=$((fails + 1)); }

# Shrink: a violation after unrelated events shrinks to the events it needs.
{
  printf '%s\n' '{"op": "hastart", "sys": "sys1", "result": "accepted"}'
  printf '%s\n' '{"op": "hastart", "sys": "sys0", "result": "accepted", "obs": {"observers": [{"observer": "sys0", "answered": true, "states": {"sys0": "INITING"}}]}}'
  printf '%s\n' '{"op": "join", "sys": "sys1"}'
  printf '%s\n' '{"op": "join", "sys": "sys0", "result": "rejected"}'
} >"$dir/long.jsonl"
# (--hidden 0: with hidden events, a crash of sys0 would explain the refusal)
expect 1 'violation' -- "$haspec" replay vcs-system --hidden 0 "$dir/long.jsonl"
expect 0 '4 -> 2 event' -- "$haspec" shrink vcs-system --hidden 0 "$dir/long.jsonl" -o "$dir/short.jsonl"
expect 0 'EXPECTED' -- "$haspec" replay vcs-system --hidden 0 --check-directives "$dir/short.jsonl"
expect 2 'does not fail' -- "$haspec" shrink vcs-system "$dir/ok.jsonl" -o "$dir/x.jsonl"

if [[ $fails -gt 0 ]]; then
  echo "$fails check(s) failed"
  exit 1
fi
echo "all replay CLI checks passed"
