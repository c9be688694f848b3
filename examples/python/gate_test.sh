#!/bin/sh
# ctest examples/python/jsa-gate: the Python example passes `haspec gate jsa` under both
# profiles, and the same example with a planted bug (JSA_EXAMPLE_BUG=1) fails with a
# violation, which shows this test can fail.
#
# Usage: gate_test.sh HASPEC_BINARY REPO_ROOT   (PYTHON3 may name the interpreter)
set -u
if [ $# -ne 2 ]; then
    echo "usage: $0 HASPEC_BINARY REPO_ROOT" >&2
    exit 2
fi
haspec=$1
root=$2
python=${PYTHON3:-python3}
# --sut is split into arguments without a shell: keep it free of spaces by running from
# the repository root with a relative script path.
sut="$python examples/python/jsa_sut.py"
out=$(mktemp -d "${TMPDIR:-/tmp}/jsa-gate.XXXXXX") || exit 1
trap 'rm -rf "$out"' EXIT
cd "$root" || exit 1

status=0
for profile in "" "--documented-only"; do
    echo "== haspec gate jsa ${profile:-(full profile)}"
    # $profile is deliberately unquoted: empty means no argument.
    if "$haspec" gate jsa --sut "$sut" --out "$out" $profile >"$out/log" 2>&1; then
        grep '^SUMMARY' "$out/log"
    else
        rc=$?
        cat "$out/log"
        echo "FAIL: gate ${profile:-(full profile)} exited $rc, expected 0" >&2
        status=1
    fi
done

echo "== mutant: JSA_EXAMPLE_BUG=1 (restore accepted without repair) must be a violation"
JSA_EXAMPLE_BUG=1 "$haspec" gate jsa --sut "$sut" --out "$out" --documented-only \
    >"$out/log" 2>&1
rc=$?
if [ "$rc" -eq 1 ] && grep -q 'violation' "$out/log" \
        && grep -q 'JSA-PRE-RESTORE-NEEDS-REPAIR' "$out/log"; then
    grep '^SUMMARY' "$out/log"
else
    cat "$out/log"
    echo "FAIL: the mutant gate exited $rc, expected 1 with a violation of" \
         "JSA-PRE-RESTORE-NEEDS-REPAIR" >&2
    status=1
fi
exit $status
