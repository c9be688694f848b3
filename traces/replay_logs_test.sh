#!/usr/bin/env bash
# haspec replay --format on the realistic logs under traces/<machine>/logs:
# replaying a raw log directly must give the verdict that replaying what
# `haspec import` wrote from it (the reviewed golden FILE.events.jsonl)
# gives: the same exit code, the same rules in the same order, the same
# counts; and every finding must name the raw FILE:LINE. Two raw files of
# one cluster in different formats merge by time like their traces do.
#   traces/replay_logs_test.sh HASPEC [NAME]
set -uo pipefail
haspec=$(realpath "$1")
only=${2:-}
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

# name machine "format..." "file..." "extra replay options"
cases=(
  "vcs-system-engine-log|vcs-system|engine-log|node1/engine_A.log|"
  "vcs-system-hasys-state|vcs-system|hasys-state|hasys-state.txt|--from-any-state --keep-going"
  "vcs-system-hastatus-sum|vcs-system|hastatus-sum|node1/hastatus-sum.txt|--from-any-state"
  "vcs-system-merged|vcs-system|engine-log hastatus-sum|node1/engine_A.log node1/hastatus-sum.txt|--keep-going"
  "vcs-gco-engine-log|vcs-gco|engine-log|clus_east/engine_A.log|--keep-going"
  "vcs-gco-haclus-state|vcs-gco|haclus-state|haclus-state.txt|--from-any-state --keep-going"
  "dsm-rest-capture|dsm|rest-capture|provider-ha.capture|"
  "jsa-status-log|jsa|status-log|ha-status.log|"
)

# The verdict of a replay's output, without file names: each finding's
# kind and rules, then each per-file summary's counts, then the exit code.
verdict() {
  sed -nE 's/^(ERROR|WARNING|DRIFT): [^ ]+: (.*)$/\1 \2/p; s/^SUMMARY [^:]+: (.*)$/SUMMARY \1/p' "$1" |
    sed -E 's/vocabulary drift: .*/vocabulary drift/'
  echo "exit $2"
}

for c in "${cases[@]}"; do
  IFS='|' read -r name machine formats files opts <<<"$c"
  case "$only" in "" | "$name") ;; *) continue ;; esac
  dir="$root/traces/${machine//-/_}/logs"
  read -ra fmt <<<"$formats"
  read -ra in <<<"$files"
  read -ra extra <<<"$opts"
  args=()
  traces=()
  for f in "${fmt[@]}"; do args+=(--format "$f"); done
  for f in "${in[@]}"; do traces+=("$f.events.jsonl"); done
  (cd "$dir" && "$haspec" replay "$machine" --config config.json "${extra[@]}" "${args[@]}" \
    "${in[@]}") >"$tmp/raw.txt" 2>&1
  raw_rc=$?
  (cd "$dir" && "$haspec" replay "$machine" --config config.json "${extra[@]}" "${traces[@]}") \
    >"$tmp/trace.txt" 2>&1
  trace_rc=$?
  verdict "$tmp/raw.txt" $raw_rc >"$tmp/raw.v"
  verdict "$tmp/trace.txt" $trace_rc >"$tmp/trace.v"
  if [ $raw_rc -ge 64 ] || ! diff -u "$tmp/trace.v" "$tmp/raw.v" >"$tmp/diff"; then
    echo "FAIL $name: --format gives another verdict than the imported trace (exit $raw_rc, want $trace_rc)"
    cat "$tmp/diff"
    head -30 "$tmp/raw.txt"
    fail=1
    continue
  fi
  # Findings name the raw input's FILE:LINE: the log line the imported
  # trace's findings came from ("from the log line FILE:LINE").
  sed -nE 's/^  from the log line (.*)$/\1/p' "$tmp/trace.txt" >"$tmp/trace.where"
  sed -nE 's/^(ERROR|WARNING|DRIFT): ([^ ]+): .*$/\2/p' "$tmp/raw.txt" >"$tmp/raw.where"
  if ! diff -u "$tmp/trace.where" "$tmp/raw.where"; then
    echo "FAIL $name: the findings do not name the raw FILE:LINE the imported trace gives"
    fail=1
    continue
  fi
  echo "ok   $name: $(tail -1 "$tmp/raw.v"), $(grep -c '' "$tmp/raw.v") verdict line(s) as imported"
done

# Bad raw input through replay: FILE:LINE of the raw file, exit 3.
expect() {
  local name=$1 code=$2 regex=$3
  shift 3
  "$haspec" replay "$@" >"$tmp/out" 2>&1
  local rc=$?
  if [ "$rc" != "$code" ] || ! grep -Eq -- "$regex" "$tmp/out"; then
    echo "FAIL bad-input $name: exit $rc (want $code), output:"
    head -20 "$tmp/out"
    fail=1
  else
    echo "ok   bad-input $name: $(grep -Em1 -- "$regex" "$tmp/out")"
  fi
}
if [ -z "$only" ] || [ "$only" = bad-input ]; then
  log=(vcs-system --format engine-log --option observer=sys0)
  line='2024/05/01 10:00:00 VCS NOTICE V-16-1-10322 System sys0 (Node '"'"'0'"'"') changed state from'
  printf '%s EXITED to INITING\n%s INITING to ZOMBIE\n' "$line" "$line" >"$tmp/drift.log"
  expect drift 3 "^DRIFT: $tmp/drift.log:2: vocabulary drift: .*ZOMBIE" "${log[@]}" "$tmp/drift.log"
  printf '%s EXITED to INITING\n2024/13/01 10:00:01 VCS NOTICE V-16-1-10322 System sys0 (Node '"'"'0'"'"') changed state from INITING to CURRENT_DISCOVER_WAIT\n' \
    "$line" >"$tmp/time.log"
  expect bad-time 3 "^ERROR: $tmp/time.log:2: bad time" "${log[@]}" "$tmp/time.log"
  printf '{"haspec_trace": 1}\n' >"$tmp/trace.jsonl"
  expect not-a-log 3 "^ERROR: $tmp/trace.jsonl:1: not a VCS engine log" "${log[@]}" \
    "$tmp/trace.jsonl"
  : >"$tmp/empty.log"
  expect empty 3 "$tmp/empty.log(:0)?: empty file, not a engine-log input" "${log[@]}" "$tmp/empty.log"
  expect missing 3 "$tmp/nope.log: no such file" "${log[@]}" "$tmp/nope.log"
  expect no-observer 3 "cannot tell which system wrote this log" vcs-system --format engine-log \
    "$tmp/time.log"
  expect unknown-format 2 'vcs-system has no format "syslog"' vcs-system --format syslog "$tmp/time.log"
  expect unknown-option 2 'format engine-log has no option "color"' "${log[@]}" --option color=1 \
    "$tmp/time.log"
  expect format-count 2 'give one for every input, or one per FILE' vcs-system --format engine-log \
    --format hasys-state "$tmp/time.log"
  # A cluster directory of raw logs: every file below it but traces and
  # configurations, each node's log in a directory named after the node.
  mkdir -p "$tmp/fleet/c1/sys0" "$tmp/fleet/c1/sys1"
  printf '%s EXITED to INITING\n' "$line" >"$tmp/fleet/c1/sys0/engine_A.log"
  sed 's/System sys0/System sys1/' "$tmp/fleet/c1/sys0/engine_A.log" >"$tmp/fleet/c1/sys1/engine_A.log"
  printf '{}\n' >"$tmp/fleet/c1/config.json"
  expect cluster-dir 0 'SUMMARY: 2 file\(s\), 2 event\(s\)' vcs-system --format engine-log \
    --cluster "$tmp/fleet/c1"
fi
exit $fail
