#!/usr/bin/env bash
# Ops per second through `haspec gate` and each bundled C++ reference
# implementation over the subprocess protocol (pipe round trips, JSON both
# ways, the consistent-state set, coverage), with the CPU each side spends
# per op.
#
#   bench/gate_throughput.sh [BUILD_DIR] [RUNS]     (defaults: build/default, 2000)
#
# Two placements: `split` pins haspec to core 0 and the implementation to
# core 1 (one core each, the target's setting); `same` pins both to core 0.
# Steering is off so that every machine runs the same ops for a seed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build/default}"
runs="${2:-2000}"
haspec="$build/tools/haspec/haspec"
[ -x "$haspec" ] || { echo "error: $haspec is not built" >&2; exit 2; }
command -v taskset >/dev/null || { echo "error: taskset (util-linux) is needed" >&2; exit 2; }
[ "$(nproc)" -ge 2 ] || { echo "error: two cores are needed for the split placement" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Wraps the implementation so that its own CPU time is recorded.
cat >"$tmp/timed.sh" <<'EOF'
#!/bin/sh
out=$1; shift
exec /usr/bin/time -f "%U %S" -o "$out" "$@"
EOF
chmod +x "$tmp/timed.sh"

printf '%-11s %-6s %8s %10s %14s %14s\n' machine place ops "ops/s" "haspec us/op" "impl us/op"
for m in dsm vcs-system vcs-gco jsa; do
  d=${m//-/_}
  cfg=()
  [ -f "$root/sut/$d/gate-config.json" ] && cfg=(--config "$root/sut/$d/gate-config.json")
  for place in split same; do
    hcore=0
    icore=1
    [ "$place" = same ] && icore=0
    start=$(date +%s.%N)
    # haspec's own rusage includes its reaped child (the wrapper and the
    # implementation), so the implementation's time is subtracted.
    /usr/bin/time -f "%U %S" -o "$tmp/haspec.time" taskset -c $hcore "$haspec" gate "$m" \
      --sut "$tmp/timed.sh $tmp/impl.time taskset -c $icore $build/sut/$d/haspec-ref-$m" \
      "${cfg[@]}" --runs "$runs" --no-steer >"$tmp/out" 2>&1 || {
      echo "error: the gate failed on $m:" >&2
      tail -5 "$tmp/out" >&2
      exit 1
    }
    end=$(date +%s.%N)
    ops=$(sed -n 's/.*run(s), \([0-9]*\) ops.*/\1/p' "$tmp/out" | head -1)
    read -r hu hs <"$tmp/haspec.time"
    read -r iu is <"$tmp/impl.time"
    awk -v m="$m" -v p="$place" -v ops="$ops" -v s="$start" -v e="$end" \
      -v hu="$hu" -v hs="$hs" -v iu="$iu" -v is="$is" 'BEGIN {
        wall = e - s; impl = iu + is; own = hu + hs - impl;
        printf "%-11s %-6s %8d %10.0f %14.1f %14.1f\n", m, p, ops, ops / wall,
               own / ops * 1e6, impl / ops * 1e6 }'
  done
done
