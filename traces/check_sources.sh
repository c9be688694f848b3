#!/usr/bin/env bash
# Every valid trace (traces/<machine>/valid/*.jsonl) has a row in
# traces/README.md naming its seed document and quoting the sentence it
# plays out, and every quote is in that seed (grep -F; 5 to 12 words).
# Without the seeds (../shared/seeds beside the repository) only the rows
# are checked, and the test says so.
#   traces/check_sources.sh [SEEDS_DIR]
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seeds=${1:-$root/../shared/seeds}
readme=$root/traces/README.md
fail=0
for f in "$root"/traces/*/valid/*.jsonl; do
  rel=${f#"$root"/traces/}
  if ! grep -q "^| $rel |" "$readme"; then
    echo "FAIL $rel: no row in traces/README.md"
    fail=1
  fi
done
if [ ! -d "$seeds" ]; then
  echo "note: $seeds not found: quotes not checked against the seeds"
fi
while IFS='|' read -r _ trace seed quote _; do
  trace=$(echo "$trace" | xargs)
  seed=$(echo "$seed" | xargs)
  quote=$(echo "$quote" | sed 's/^ *//; s/ *$//')
  case "$trace" in *.jsonl) ;; *) continue ;; esac
  if [ ! -f "$root/traces/$trace" ]; then
    echo "FAIL $trace: listed in traces/README.md but no such trace"
    fail=1
    continue
  fi
  words=$(echo "$quote" | wc -w)
  if [ "$words" -lt 5 ] || [ "$words" -gt 12 ]; then
    echo "FAIL $trace: the quote has $words words (5 to 12)"
    fail=1
  fi
  [ -d "$seeds" ] || continue
  file=$(ls "$seeds"/"$seed"_*.txt 2>/dev/null | head -1)
  if [ -z "$file" ] || ! grep -qF -- "$quote" "$file"; then
    echo "FAIL $trace: \"$quote\" is not in seed $seed"
    fail=1
  else
    echo "ok   $trace: seed $seed"
  fi
done < <(grep '^| [a-z_]*/valid/' "$readme")
exit $fail
