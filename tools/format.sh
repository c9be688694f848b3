#!/usr/bin/env bash
# Formats every C++ file with clang-format (.clang-format: Google style, 100 columns).
#   tools/format.sh           rewrite files in place
#   tools/format.sh --check   list files that differ and fail (CI)
set -euo pipefail
cd "$(dirname "$0")/.."
fmt=$(command -v clang-format-14 || command -v clang-format || true)
if [ -z "$fmt" ]; then
  tools/deps.sh --format
  fmt=$(command -v clang-format-14 || command -v clang-format)
fi
mapfile -t files < <(git ls-files '*.h' '*.cc')
if [ "${1:-}" = "--check" ]; then
  bad=()
  for f in "${files[@]}"; do
    "$fmt" --style=file "$f" | cmp -s - "$f" || bad+=("$f")
  done
  if [ ${#bad[@]} -gt 0 ]; then
    echo "error: not clang-formatted (run tools/format.sh):" >&2
    printf '  %s\n' "${bad[@]}" >&2
    exit 1
  fi
  echo "formatting ok (${#files[@]} files)"
else
  "$fmt" --style=file -i "${files[@]}"
fi
