#!/usr/bin/env bash
# Replay throughput for every machine at 1M and 10M events, one core each
# (docs/performance.md, "Replay throughput"): the load average first (other
# work on the machine slows wall times; the bench reports CPU seconds too),
# then per machine replay_bench and, on the same 1M-event file, the command
# itself (`haspec replay`, timed by /usr/bin/time), then the engine-log
# importer. Each phase runs REPEATS times and the fastest counts
# (HASPEC_REPLAY_BENCH_REPEATS); the observation is written on every
# OBS_EVERY-th op event (HASPEC_REPLAY_BENCH_OBS_EVERY; 10 gives lines of
# the weight the issue's reference figures were measured on). The 10M runs
# leave out the nlohmann phases (HASPEC_REPLAY_BENCH_ONLY=fast). Trace files
# go to DIR and are removed after each run (10M events are 1-4 GB).
#   [REPEATS=3] [OBS_EVERY=10] bench/replay_bench_all.sh BUILD_DIR [DIR] [CORE]
set -euo pipefail
build=${1:?usage: replay_bench_all.sh BUILD_DIR [DIR] [CORE]}
dir=${2:-/tmp/haspec-replay-bench}
core=${3:-1}
root=$(cd "$(dirname "$0")/.." && pwd)
bench="$build/bench/replay_bench"
haspec="$build/tools/haspec/haspec"
export HASPEC_REPLAY_BENCH_REPEATS=${REPEATS:-3}
export HASPEC_REPLAY_BENCH_OBS_EVERY=${OBS_EVERY:-10}
mkdir -p "$dir"
echo "# $(date -u +%FT%TZ) load average: $(cut -d' ' -f1-3 /proc/loadavg)," \
     "repeats $HASPEC_REPLAY_BENCH_REPEATS, observation every $HASPEC_REPLAY_BENCH_OBS_EVERY"
for events in 1000000 10000000; do
  for machine in dsm vcs-system vcs-gco jsa; do
    only=""
    [ "$events" -gt 1000000 ] && only=fast
    echo "\$ HASPEC_REPLAY_BENCH_ONLY=$only taskset -c $core $bench $machine $events"
    HASPEC_REPLAY_BENCH_ONLY=$only taskset -c "$core" "$bench" "$machine" "$events" \
      "$dir/$machine.jsonl"
    if [ "$events" -eq 1000000 ]; then
      for _ in $(seq "$HASPEC_REPLAY_BENCH_REPEATS"); do
        /usr/bin/time -f "haspec replay $machine: %U s user + %S s sys, %e s wall, %M KiB peak" \
          taskset -c "$core" "$haspec" replay "$machine" "$dir/$machine.jsonl" >/dev/null
      done
    fi
    rm -f "$dir/$machine.jsonl"
    echo "# load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  done
done
log="$root/traces/vcs_system/logs/node1/engine_A.log"
echo "\$ taskset -c $core $bench --import vcs-system engine-log $log 1000000"
taskset -c "$core" "$bench" --import vcs-system engine-log "$log" 1000000 "$dir/engine_A.log"
rm -f "$dir/engine_A.log"
