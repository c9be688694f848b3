#!/usr/bin/env bash
# Executions per CPU-second of one fuzz target, two builds side by side on
# one corpus (docs/performance.md, "Executions per second under ASan + UBSan"):
#
#   bench/fuzz_execs.sh TARGET OLD_BIN_DIR NEW_BIN_DIR [GROW_RUNS] [TIMED_RUNS] [REPEATS]
#   bench/fuzz_execs.sh ops_jsa /tmp/old/fuzz build/sanitize/fuzz
#
# A corpus is grown from corpus/TARGET/{seeds,regressions} with the old
# binary (GROW_RUNS, default 200,000, -seed=1), then each binary runs
# TIMED_RUNS (default 300,000, -seed=2) over its own copy of it on core 1
# with the target's libFuzzer options; user + sys time gives the rate.
# With REPEATS (default 1) the two binaries take turns that many times and
# the median of each is printed last: on a shared machine one run moves by
# 15% or more. Pass the same directory twice to measure one build.
# FUZZ_EXECS_CORE picks another core than 1.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/fuzz/options.sh"
[ $# -ge 3 ] || { sed -n '2,15p' "$0"; exit 2; }
t=$1; grow=${4:-200000}; timed=${5:-300000}; repeats=${6:-1}; core=${FUZZ_EXECS_CORE:-1}
# Absolute: the runs below work in a temporary directory.
old=$(realpath "$2")/fuzz_$t; new=$(realpath "$3")/fuzz_$t
for b in "$old" "$new"; do [ -x "$b" ] || { echo "error: no executable $b" >&2; exit 2; }; done
flags=(); fuzz_flags "$root" "$t" flags
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT
mkdir -p "$w/c"
cp "$root"/corpus/"$t"/seeds/* "$w/c/" 2>/dev/null || true
cp "$root"/corpus/"$t"/regressions/* "$w/c/" 2>/dev/null || true
rm -f "$w"/c/*.trace.jsonl
(cd "$w" && taskset -c "$core" "$old" -runs="$grow" -seed=1 "${flags[@]}" c >grow.log 2>&1) || true
declare -A rates
for ((r = 1; r <= repeats; r++)); do
  for which in old new; do
    bin=$old; [ "$which" = new ] && bin=$new
    rm -rf "${w:?}/$which"
    cp -r "$w/c" "$w/$which"
    (cd "$w" && /usr/bin/time -f "%U %S" -o "time-$which" taskset -c "$core" "$bin" -runs="$timed" \
       -seed=2 "${flags[@]}" "$which" >"timed-$which.log" 2>&1)
    read -r u s <"$w/time-$which"
    cpu=$(echo "$u + $s" | bc)
    rate=$(echo "$timed / $cpu" | bc)
    rates[$which]+="$rate "
    echo "$t $which: $timed runs in $cpu CPU-s = $rate execs/CPU-s" \
         "(corpus of $(ls "$w/c" | wc -l) inputs)"
  done
done
if [ "$repeats" -gt 1 ]; then
  for which in old new; do
    # shellcheck disable=SC2086
    echo "$t $which: median $(printf '%s\n' ${rates[$which]} | sort -n |
      awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2)}')" \
         "execs/CPU-s of $repeats runs (${rates[$which]% })"
  done
fi
