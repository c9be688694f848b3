#!/usr/bin/env bash
# Formats every C++ file with clang-format (.clang-format: Google style, 100 columns).
#   tools/format.sh                   rewrite every tracked C++ file in place
#   tools/format.sh FILE...           rewrite these files only
#   tools/format.sh --check [FILE...] list files that differ and fail (CI)
set -euo pipefail
cd "$(dirname "$0")/.."
fmt=$(command -v clang-format-14 || command -v clang-format || true)
if [ -z "$fmt" ]; then
  tools/deps.sh --format
  fmt=$(command -v clang-format-14 || command -v clang-format)
fi
check=0
if [ "${1:-}" = "--check" ]; then
  check=1
  shift
fi
if [ $# -gt 0 ]; then
  files=("$@")
  for f in "${files[@]}"; do
    [ -f "$f" ] || { echo "error: $f: no such file" >&2; exit 2; }
  done
else
  mapfile -t files < <(git ls-files '*.h' '*.cc')
fi
if [ "$check" = 1 ]; then
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
