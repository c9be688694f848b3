#!/usr/bin/env bash
# haspec import on every realistic log under traces/<machine>/logs/: its
# events must equal the reviewed golden file beside it (FILE.events.jsonl),
# and bad input must end in exit 3 (2 for a bad command line) with FILE:LINE
# and the problem.
#   tools/haspec/import_test.sh HASPEC [NAME]     NAME: run one case only
#   UPDATE=1 tools/haspec/import_test.sh HASPEC   rewrite the golden files
set -uo pipefail
haspec=$(realpath "$1")
only=${2:-}
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

# name machine format file (relative to traces/<dir>/logs)
cases=(
  "vcs-system-engine-log vcs-system engine-log node1/engine_A.log"
  "vcs-system-hasys-state vcs-system hasys-state hasys-state.txt"
  "vcs-system-hastatus-sum vcs-system hastatus-sum node1/hastatus-sum.txt"
  "vcs-gco-engine-log vcs-gco engine-log clus_east/engine_A.log"
  "vcs-gco-haclus-state vcs-gco haclus-state haclus-state.txt"
  "dsm-rest-capture dsm rest-capture provider-ha.capture"
  "jsa-status-log jsa status-log ha-status.log"
)

for c in "${cases[@]}"; do
  read -r name machine format file <<<"$c"
  case "$only" in "" | "$name") ;; bad-input) continue ;; *) continue ;; esac
  dir="$root/traces/${machine//-/_}/logs"
  golden="$dir/$file.events.jsonl"
  if ! (cd "$dir" && "$haspec" import "$machine" --format "$format" --config config.json -q \
          "$file" -o "$tmp/out.jsonl"); then
    echo "FAIL $name: haspec import exited $?"
    fail=1
    continue
  fi
  if [ -n "${UPDATE:-}" ]; then
    cp "$tmp/out.jsonl" "$golden"
  elif ! diff -u "$golden" "$tmp/out.jsonl"; then
    echo "FAIL $name: events differ from ${golden#"$root"/}"
    fail=1
  else
    echo "ok   $name: $(($(wc -l <"$golden") - 1)) events"
  fi
done

# expect NAME CODE REGEX ARGS...: exit CODE and stderr matching REGEX.
expect() {
  local name=$1 code=$2 regex=$3
  shift 3
  "$haspec" import "$@" >"$tmp/stdout" 2>"$tmp/stderr"
  local rc=$?
  if [ "$rc" != "$code" ] || ! grep -Eq -- "$regex" "$tmp/stderr"; then
    echo "FAIL bad-input $name: exit $rc (want $code), stderr:"
    cat "$tmp/stderr"
    fail=1
  else
    echo "ok   bad-input $name: $(head -1 "$tmp/stderr")"
  fi
}

if [ -z "$only" ] || [ "$only" = bad-input ]; then
  log=(vcs-system --format engine-log --option observer=sys0)
  expect missing-file 3 "^error: $tmp/nope.log: no such file" "${log[@]}" "$tmp/nope.log"
  expect directory 3 "^error: $tmp: is a directory" "${log[@]}" "$tmp"
  : >"$tmp/empty.log"
  expect empty-file 3 "^error: $tmp/empty.log: empty file" "${log[@]}" "$tmp/empty.log"
  printf '{"haspec_trace": 1}\n' >"$tmp/trace.jsonl"
  expect not-a-log 3 "^error: $tmp/trace.jsonl:1: not a VCS engine log" "${log[@]}" \
    "$tmp/trace.jsonl"
  head -c 3000000 /dev/zero | tr '\0' 'x' >"$tmp/long.log"
  expect long-line 3 "^error: $tmp/long.log:1: line longer than 1048576 bytes" "${log[@]}" \
    "$tmp/long.log"
  printf '2024/05/01 10:00:00 VCS INFO V-16-1-1 x\n\xff\xfe\x00\n' >"$tmp/binary.log"
  expect nul-byte 3 "^error: $tmp/binary.log:2: NUL byte" "${log[@]}" "$tmp/binary.log"
  printf '2024/05/01 10:00:00 VCS NOTICE V-16-1-10322 System sys1 (Node '"'"'1'"'"') changed state from RUNNING to ZOMBIE\n' >"$tmp/drift.log"
  expect unknown-state 3 "^error: $tmp/drift.log:1: unknown system state \"ZOMBIE\"" \
    "${log[@]}" "$tmp/drift.log"
  expect no-observer 3 "cannot tell which system wrote this log" \
    vcs-system --format engine-log "$tmp/drift.log"
  expect unknown-format 2 "has no format \"syslog\" \(formats: engine-log, hasys-state or hastatus-sum\)" \
    vcs-system --format syslog "$tmp/drift.log"
  expect unknown-option 2 "format engine-log has no option \"zone\"" \
    vcs-system --format engine-log --option zone=Z "$tmp/drift.log"
  printf '@ 2024-05-01T10:00:00Z GET /appliance/status n0\n{"postgres": "ACTIVE",\n "apms": \n' \
    >"$tmp/cut.capture"
  expect truncated-payload 3 "^error: $tmp/cut.capture:3: expected a quoted string" \
    dsm --format rest-capture "$tmp/cut.capture"
  # A bad input leaves no trace file behind.
  expect no-partial-output 3 "not a VCS engine log" "${log[@]}" "$tmp/trace.jsonl" -o "$tmp/t.jsonl"
  if [ -e "$tmp/t.jsonl" ] || [ -e "$tmp/t.jsonl.partial" ]; then
    echo "FAIL bad-input no-partial-output: a trace file was left"
    fail=1
  fi
fi
exit $fail
