#!/usr/bin/env bash
# A fuzzing campaign over one, several or all targets (docs/fuzzing.md).
#
#   fuzz/campaign.sh [-t SECONDS] [-j FORKS] [-b BUILD_DIR] [-w WORK_DIR] [TARGET...]
#
#   -t  seconds per target (default 60)
#   -j  libFuzzer fork-mode workers per target (default: the number of cores)
#   -b  a HASPEC_FUZZ build (default build/fuzz, the 'fuzz' preset); built if needed
#   -n  use the binaries already built in BUILD_DIR
#   -w  where working corpora and artifacts live between campaigns (default
#       build/fuzz-work); never corpus/ itself
#   TARGET  names as in corpus/ (ops_dsm, trace_jsa, ...); default every target
#
# Per target: libFuzzer's fork mode runs -j workers for -t seconds over the
# working corpus, seeded with corpus/<target>/{seeds,regressions}; progress
# lines (inputs, coverage, exec/s) show while it runs. Afterwards the working
# corpus is set-cover merged (-set_cover_merge=1: the smallest set of inputs
# with the same coverage) and kept for the next campaign; each finding is
# minimised (-minimize_crash=1) and saved as corpus/<target>/regressions/<name>
# with a readable trace beside it (<name>.trace.jsonl, where the target writes
# one). A summary prints exec/s, coverage and findings per target. The exit
# status is 1 when anything was found.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/fuzz/options.sh"
seconds=60
forks=$(nproc)
build=$root/build/fuzz
work=$root/build/fuzz-work
build_first=1
while getopts "t:j:b:w:nh" opt; do
  case $opt in
    t) seconds=$OPTARG ;;
    j) forks=$OPTARG ;;
    b) build=$OPTARG ;;
    w) work=$OPTARG ;;
    n) build_first=0 ;;
    *) sed -n '2,23p' "$0"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(ls "$root/corpus")
fi

if [ "$build_first" = 1 ]; then
  if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake --preset fuzz -B "$build" >/dev/null
  fi
  cmake --build "$build" -j2 --target $(printf 'fuzz_%s ' "${targets[@]}") >/dev/null
fi

# What a crashing input breaks, for grouping: the rule IDs a finding names,
# or the error and the first frames of haspec's own code on the stack.
crash_cause() {
  local out
  out=$("$1" -timeout=25 "$2" 2>&1 || true)
  if grep -q '==haspec-fuzz== FINDING' <<<"$out"; then
    sed -n '/==haspec-fuzz== FINDING/,/^ops:/p' <<<"$out" |
      grep -oE '\b[A-Z]{2,}(-[A-Z0-9]+)+\b' | sort -u | paste -sd' ' | sed 's/^/finding: /' ||
      true
    return 0
  fi
  local kind frames
  kind=$(grep -m1 -oE "ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer): [a-z -]+|runtime error: [a-z ]+|what\(\): +[^0-9'\"]{1,60}|ALARM: working on the last Unit" <<<"$out" |
         head -n 1 || true)
  frames=$(grep -E '^ *#[0-9]+ 0x[0-9a-f]+ in ' <<<"$out" | grep -F "$root/" |
           grep -vE "$root/(fuzz/|engine/fuzz_)" | grep -oE '[^/ ]+\.(cc|h):[0-9]+' | head -n 2 |
           paste -sd' ' || true)
  echo "${kind:-crash} at ${frames:-?}"
}

summary=()
found_total=0
for t in "${targets[@]}"; do
  bin=$build/fuzz/fuzz_$t
  [ -x "$bin" ] || { echo "campaign: no target $t (ls corpus/ lists them)" >&2; exit 2; }
  dir=$work/$t
  mkdir -p "$dir/corpus" "$dir/artifacts" "$dir/traces"
  inputs=()
  for sub in seeds regressions; do
    [ -d "$root/corpus/$t/$sub" ] && inputs+=("$root/corpus/$t/$sub")
  done
  flags=()
  fuzz_flags "$root" "$t" flags  # fuzz/<t>.options and fuzz/<t>.dict
  log=$dir/campaign.log
  echo "== $t: ${seconds}s, $forks fork(s), working corpus $dir/corpus"
  # The first corpus directory is the one libFuzzer writes to: the working
  # corpus, never the checked-in one.
  set +e
  HASPEC_FUZZ_TRACES=$dir/traces "$bin" -fork="$forks" -ignore_crashes=1 -ignore_ooms=1 \
    -ignore_timeouts=1 -max_total_time="$seconds" -artifact_prefix="$dir/artifacts/" \
    -print_final_stats=1 "${flags[@]}" "$dir/corpus" "${inputs[@]}" >"$log" 2>&1 &
  pid=$!
  # Progress: libFuzzer's periodic status lines, one every few seconds.
  last=""
  while kill -0 "$pid" 2>/dev/null; do
    sleep 5
    line=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
    if [ -n "$line" ] && [ "$line" != "$last" ]; then
      echo "   $t: $line"
      last=$line
    fi
  done
  wait "$pid"
  set -e
  final=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
  # Fork mode's lines say "exec/s 1392", the single-process ones "exec/s: 1392".
  execs=$(grep -oE 'exec/s:? [0-9]+' <<<"$final" | awk '{print $2}' || true)
  cov=$(grep -oE 'cov: [0-9]+' <<<"$final" | awk '{print $2}' || true)
  ft=$(grep -oE 'ft: [0-9]+' <<<"$final" | awk '{print $2}' || true)

  # Set-cover merge: the smallest working corpus with the same coverage.
  merged=$dir/corpus.merged
  rm -rf "$merged"
  mkdir -p "$merged"
  "$bin" -set_cover_merge=1 "$merged" "$dir/corpus" "${inputs[@]}" >"$dir/merge.log" 2>&1 || true
  kept=$(find "$merged" -type f | wc -l)
  if [ "$kept" -gt 0 ]; then
    rm -rf "$dir/corpus"
    mv "$merged" "$dir/corpus"
  else
    rm -rf "$merged"
  fi

  # Findings: one per cause (fork mode saves every crashing input, often
  # dozens of one fault), smallest input first; each minimised and saved as
  # a regression input with its trace.
  found=0
  crashes=0
  declare -A causes=()
  mapfile -t artifacts < <(find "$dir/artifacts" -maxdepth 1 -type f \
    \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' \) -printf '%s %p\n' |
    sort -n | cut -d' ' -f2-)
  for crash in "${artifacts[@]}"; do
    [ -f "$crash" ] || continue
    crashes=$((crashes + 1))
    cause=$(crash_cause "$bin" "$crash")
    if [ -n "${causes[$cause]:-}" ]; then
      rm -f "$crash"
      continue
    fi
    causes[$cause]=1
    found=$((found + 1))
    echo "   $t: cause $found: $cause"
    name=$(basename "$crash")
    min=$dir/artifacts/min-$name
    "$bin" -minimize_crash=1 -max_total_time=30 -timeout=25 -exact_artifact_path="$min" "$crash" \
      >"$dir/minimize.log" 2>&1 || true
    [ -f "$min" ] || cp "$crash" "$min"
    reg=$root/corpus/$t/regressions
    mkdir -p "$reg"
    cp "$min" "$reg/$name"
    # Run it once more to write its trace and keep the report.
    rm -rf "$dir/traces"/*
    HASPEC_FUZZ_TRACES=$dir/traces "$bin" -timeout=25 "$min" >"$reg/$name.log.txt" 2>&1 || true
    tr=$(ls "$dir/traces"/*.jsonl 2>/dev/null | head -n 1 || true)
    if [ -n "$tr" ]; then cp "$tr" "$reg/$name.trace.jsonl"; fi
    sed -n '/==haspec-fuzz== FINDING/,/^trace:/p' "$reg/$name.log.txt" | head -n 40
    grep -m1 -B2 -A8 -E 'ERROR: (AddressSanitizer|libFuzzer)|runtime error' "$reg/$name.log.txt" |
      grep -v '^ *#[0-9]' || true
    rm -f "$reg/$name.log.txt" "$crash"
    echo "   $t: finding saved as corpus/$t/regressions/$name"
  done
  if [ "$crashes" -gt "$found" ]; then
    echo "   $t: $crashes crashing inputs, $found distinct cause(s) (by broken rules or stack)"
  fi
  found_total=$((found_total + found))
  summary+=("$(printf '%-22s exec/s %-8s cov %-6s ft %-6s corpus %-5s findings %s' \
    "$t" "${execs:-?}" "${cov:-?}" "${ft:-?}" "$kept" "$found")")
done

echo "== summary (${seconds}s per target, $forks fork(s))"
printf '%s\n' "${summary[@]}"
[ "$found_total" -eq 0 ]
