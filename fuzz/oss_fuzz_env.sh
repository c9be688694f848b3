# Sourced, not run: the compilers and flags OSS-Fuzz sets for a libFuzzer
# build with ASan + UBSan, in one place. The sanitizer build of the test suite
# (tools/build.sh sanitize) and the CI fuzz stage (fuzz/ci.sh) both build
# through .clusterfuzzlite/build.sh with these, into the same directory, so
# CI compiles the sanitized code once for both.
#
#   . fuzz/oss_fuzz_env.sh      # sets CC CXX CFLAGS CXXFLAGS LIB_FUZZING_ENGINE WORK
_haspec_flags="-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=address,undefined"
_haspec_flags+=" -fno-sanitize-recover=all -fsanitize=fuzzer-no-link"
export CC=${CC_FUZZ:-clang-14} CXX=${CXX_FUZZ:-clang++-14}
export CFLAGS=$_haspec_flags CXXFLAGS=$_haspec_flags LIB_FUZZING_ENGINE=-fsanitize=fuzzer
export WORK=${WORK:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/build/sanitize}
unset _haspec_flags
