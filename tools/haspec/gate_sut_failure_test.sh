#!/usr/bin/env bash
# The implementation is never trusted: every way a system under test can
# misbehave ends the gate with exit code 4, a message naming what happened
# (with the last stderr lines where there are any), within a bounded time,
# and no process left behind.
#   gate_sut_failure_test.sh path/to/haspec
set -u
haspec=$1
fake="$(dirname "$0")/testdata/fake_sut.py"
fail=0
check() {  # check MODE EXPECTED_TEXT
  local mode=$1 want=$2 out rc start end
  start=$(date +%s)
  out=$(timeout 60 "$haspec" gate jsa --sut "python3 $fake $mode" --timeout 2 --runs 5 --out /tmp 2>&1)
  rc=$?
  end=$(date +%s)
  if [ "$rc" -ne 4 ]; then
    echo "FAIL: $mode: exit $rc, expected 4"; echo "$out" | tail -8; fail=1; return
  fi
  if ! grep -qF -- "$want" <<<"$out"; then
    echo "FAIL: $mode: output lacks '$want'"; echo "$out" | tail -8; fail=1; return
  fi
  if [ $((end - start)) -gt 15 ]; then
    echo "FAIL: $mode: took $((end - start)) s"; fail=1; return
  fi
  if pgrep -f "fake_sut.py $mode" >/dev/null; then
    echo "FAIL: $mode: a fake_sut.py process was left running"; pkill -9 -f "fake_sut.py $mode"
    fail=1; return
  fi
  echo "ok: $mode ($((end - start)) s)"
}
check crash "killed by signal 11"
check crash "fake: about to crash"
check hang "did not reply within 2000 ms"
check ignore-term "did not reply within 2000 ms"
check garbage "not JSON"
check bad-observation "reported a malformed observation"
check garbage-after-observation "not JSON"
check partial "in the middle of a line"
check oversized "bytes without ending the reply line"
check stderr-flood "did not reply within 2000 ms"
check stderr-flood "fake: noise line"
check wrong-version "speaks protocol 2"
check wrong-machine "is for machine \"dsm\""
check exit0-at-start "exited with status 0"
check exit0 "exited with status 0"
check error "cannot reach the appliance"
out=$("$haspec" gate jsa --sut "/nonexistent/sut-binary" 2>&1); rc=$?
if [ "$rc" -ne 4 ] || ! grep -qF "cannot start /nonexistent/sut-binary" <<<"$out"; then
  echo "FAIL: a missing program: exit $rc"; echo "$out" | tail -3; fail=1
else
  echo "ok: missing program"
fi
exit $fail
