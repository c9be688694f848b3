# Sourced by the fuzz scripts: the libFuzzer flags a target runs with, from
# fuzz/<target>.options (the [libfuzzer] section, "key = value" per line, the
# file OSS-Fuzz and ClusterFuzzLite read from $OUT/fuzz_<target>.options)
# and fuzz/<target>.dict. One place, so that a local campaign, the CI smoke
# run and the planted-bug timings run a target as the fuzzing service does.
#
#   flags=(); fuzz_flags "$root" ops_dsm flags; "$bin" "${flags[@]}" corpus/
#   fuzz_flags_in "$OUT" ops_dsm flags      # the copies build.sh put in $OUT
fuzz_flags() {
  _fuzz_flags_of "$1/fuzz/$2.options" "$1/fuzz/$2.dict" "$3"
}
fuzz_flags_in() {
  _fuzz_flags_of "$1/fuzz_$2.options" "$1/fuzz_$2.dict" "$3"
}
_fuzz_flags_of() {
  local file=$1 dict=$2
  local -n into=$3
  local section="" line key value
  into=()
  if [ -f "$file" ]; then
    while IFS= read -r line || [ -n "$line" ]; do
      line=${line%%#*}
      line=$(echo "$line" | tr -d '[:space:]')
      [ -z "$line" ] && continue
      case "$line" in
        \[*\]) section=${line#[}; section=${section%]}; continue ;;
      esac
      [ "$section" = libfuzzer ] || continue
      key=${line%%=*}
      value=${line#*=}
      into+=("-$key=$value")
    done <"$file"
  fi
  if [ -f "$dict" ]; then into+=("-dict=$dict"); fi
}

# The files build.sh puts in $OUT for a target: the binary, its seed corpus,
# and the copies of its .options and .dict where the target has them.
fuzz_out_files() {
  local root=$1 target=$2
  local -n files=$3
  files=("fuzz_$target" "fuzz_${target}_seed_corpus.zip")
  if [ -f "$root/fuzz/$target.options" ]; then files+=("fuzz_$target.options"); fi
  if [ -f "$root/fuzz/$target.dict" ]; then files+=("fuzz_$target.dict"); fi
}
