#!/usr/bin/env bash
# One gate check of one bundled implementation switch (sut/manifest.json):
#   gate_switch_test.sh HASPEC BUILD_DIR MACHINE COMMAND KIND [FLAG RULE]
# KIND none:    the gate passes under both profiles;
# KIND mutant:  the gate fails (exit 1) with a violation under both profiles;
# KIND reading: the full profile fails with an assumption departure naming
#               RULE; --documented-only passes, warning about RULE.
# HASPEC_GATE_CONFIG, when set, is the --config file the gate runs with.
set -u
haspec=$1 build=$2 machine=$3 command=$4 kind=$5 flag=${6:-} rule=${7:-}
sut="$build/$command $flag"
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
run() {  # run WANT_EXIT PROFILE_FLAGS...
  local want=$1; shift
  local log rc
  local config=()
  [ -n "${HASPEC_GATE_CONFIG:-}" ] && config=(--config "$HASPEC_GATE_CONFIG")
  log=$("$haspec" gate "$machine" --sut "$sut" --out "$out" --shrink-seconds 2 "${config[@]}" "$@" 2>&1); rc=$?
  LAST=$log
  if [ "$rc" -ne "$want" ]; then
    echo "FAIL: haspec gate $machine --sut '$sut' $*: exit $rc, expected $want"
    echo "$log" | tail -40
    exit 1
  fi
}
has() { grep -qF -- "$1" <<<"$LAST" || { echo "FAIL: output lacks '$1'"; echo "$LAST" | tail -40; exit 1; }; }
case "$kind" in
  none)
    run 0
    run 0 --documented-only
    ;;
  mutant)
    run 1
    has "ERROR: $machine: violation"
    has "replay against the model: haspec run"
    run 1 --documented-only
    has "ERROR: $machine: violation"
    ;;
  reading)
    run 1
    has "ERROR: $machine: assumption departure"
    has "$rule"
    run 0 --documented-only
    has "WARNING: departure from assumption $rule"
    ;;
  *) echo "unknown kind $kind"; exit 2 ;;
esac
echo "ok: $machine $kind $flag"
