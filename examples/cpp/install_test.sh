#!/usr/bin/env bash
# The whole chain a C++ user follows (README.md): install haspec from a
# build tree to a temporary prefix, configure and build this example project
# against it with find_package(haspec), run its ctest suite (the in-process
# gate and the installed CLI gating the example's server).
#   install_test.sh BUILD_DIR [CMAKE_ARGS...]
# CMAKE_ARGS (compiler, flags) go to the example's configure step.
set -eu
build=$(cd "$1" && pwd); shift
here=$(cd "$(dirname "$0")" && pwd)
cmake=${CMAKE:-cmake}
ctest=${CTEST:-ctest}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
step() { echo "== $*"; }

step "install $build to $tmp/prefix"
"$cmake" --install "$build" --prefix "$tmp/prefix" >"$tmp/install.log" \
  || { cat "$tmp/install.log"; exit 1; }
for f in bin/haspec bin/haspec-ref-jsa lib/cmake/haspec/haspecConfig.cmake \
         lib/cmake/haspec/haspecConfigVersion.cmake include/engine/gate.h \
         include/sut/protocol/server.h include/tools/haspec/gate_runner.h; do
  [ -e "$tmp/prefix/$f" ] || { echo "FAIL: $f not installed"; exit 1; }
done
# Programs: the CLI and the reference servers, no tests or benchmarks.
for p in "$tmp/prefix/bin"/*; do
  case $(basename "$p") in
    haspec | haspec-ref-*) ;;
    *) echo "FAIL: $p is installed"; exit 1 ;;
  esac
done
if find "$tmp/prefix/lib" -name '*test*' -o -name '*bench*' | grep .; then
  echo "FAIL: a test or benchmark library was installed"; exit 1
fi
# Every header an installed header includes (by a repository-root path) is
# installed too.
(cd "$tmp/prefix/include" && grep -rhoE '^#include "[^"]+"' . | sort -u | cut -d'"' -f2) |
  while read -r inc; do
    [ -e "$tmp/prefix/include/$inc" ] ||
      { echo "FAIL: $inc is included but not installed"; exit 1; }
  done
"$tmp/prefix/bin/haspec" machines >/dev/null

step "configure examples/cpp against it"
"$cmake" -S "$here" -B "$tmp/example" -DCMAKE_PREFIX_PATH="$tmp/prefix" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >"$tmp/configure.log" \
  || { cat "$tmp/configure.log"; exit 1; }
# Everything must come from the prefix, nothing from the source tree.
repo=$(cd "$here/../.." && pwd)
flags=$tmp/example/CMakeFiles/my_jsa.dir/flags.make
if grep -qE -- "(-I|-isystem )$repo( |/|\$)" "$flags" ||
   ! grep -qF -- "$tmp/prefix/include" "$flags"; then
  echo "FAIL: the example compiles with haspec's source tree on its include path"; exit 1
fi

step "build"
"$cmake" --build "$tmp/example" -j2

step "ctest"
(cd "$tmp/example" && "$ctest" --output-on-failure)
grep -q '<testsuites tests="1" failures="0" errors="0">' "$tmp/example/my_jsa_gate.xml" \
  || { echo "FAIL: no passing JUnit report from the in-process gate"; exit 1; }
echo "ok: examples/cpp builds against an installed haspec and passes its gate"
