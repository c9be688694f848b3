#!/usr/bin/env bash
# Installs the Debian packages haspec builds with, if any is missing.
# Runs apt-get as root (directly, or through sudo when available).
#   tools/deps.sh [--fuzz] [--format]
#     --fuzz    also clang-14, libFuzzer's runtime, and zip (seed corpora for OSS-Fuzz)
#     --format  also clang-format (tools/format.sh)
set -euo pipefail
# libsimdjson-dev: only the replay bench's reference parser (bench/replay_bench.cc).
pkgs=(cmake make g++ libgtest-dev libgmock-dev libbenchmark-dev librapidcheck-dev
      nlohmann-json3-dev libcli11-dev libsimdjson-dev python3)
for arg in "$@"; do
  case "$arg" in
    --fuzz) pkgs+=(clang-14 libclang-rt-14-dev zip unzip) ;;
    --format) pkgs+=(clang-format) ;;
    *) echo "error: unknown option $arg" >&2; exit 2 ;;
  esac
done
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "haspec: installing missing packages: ${missing[*]}" >&2
as_root=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "error: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  as_root=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
