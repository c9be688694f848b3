#!/usr/bin/env bash
# Replay throughput for every machine at 1M and 10M events, one core each
# (docs/performance.md, "Replay throughput"): the load average first (other
# work on the machine slows wall times; the bench reports CPU seconds too),
# then replay_bench per machine, then the engine-log importer. The 10M runs
# leave out the nlohmann phases (HASPEC_REPLAY_BENCH_ONLY=simdjson). Trace
# files go to DIR and are removed after each run (10M events are 3-6 GB).
#   bench/replay_bench_all.sh BUILD_DIR [DIR] [CORE]
set -euo pipefail
build=${1:?usage: replay_bench_all.sh BUILD_DIR [DIR] [CORE]}
dir=${2:-/tmp/haspec-replay-bench}
core=${3:-1}
root=$(cd "$(dirname "$0")/.." && pwd)
bench="$build/bench/replay_bench"
mkdir -p "$dir"
echo "# $(date -u +%FT%TZ) load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for events in 1000000 10000000; do
  for machine in dsm vcs-system vcs-gco jsa; do
    only=""
    [ "$events" -gt 1000000 ] && only=simdjson
    echo "\$ HASPEC_REPLAY_BENCH_ONLY=$only taskset -c $core $bench $machine $events"
    HASPEC_REPLAY_BENCH_ONLY=$only taskset -c "$core" "$bench" "$machine" "$events" \
      "$dir/$machine.jsonl"
    rm -f "$dir/$machine.jsonl"
    echo "# load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  done
done
log="$root/traces/vcs_system/logs/node1/engine_A.log"
echo "\$ taskset -c $core $bench --import vcs-system engine-log $log 1000000"
taskset -c "$core" "$bench" --import vcs-system engine-log "$log" 1000000 "$dir/engine_A.log"
rm -f "$dir/engine_A.log"
