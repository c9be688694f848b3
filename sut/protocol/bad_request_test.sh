#!/bin/sh
# A reference server given a request that is not JSON it can read answers
# with an error message and exit 2, whatever the fault: never a crash (a
# number beyond a double, 1e999, once escaped as nlohmann's out_of_range).
# Usage: bad_request_test.sh SERVER
server=$1
status=0
for line in '{"type": "hello", "protocol": 1e999}' '{"type": "hello", "protocol": 1' 'hello'; do
  out=$(printf '%s\n' "$line" | "$server" 2>&1)
  rc=$?
  if [ "$rc" -ne 2 ] || ! printf '%s' "$out" | grep -q '"type":"error"' ||
     ! printf '%s' "$out" | grep -q 'not valid JSON'; then
    echo "FAIL: $line -> exit $rc (want 2 and a \"not valid JSON\" error), output:"
    printf '%s\n' "$out" | head -5
    status=1
  else
    echo "ok: $line"
  fi
done
exit $status
