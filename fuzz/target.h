// How a fuzz target file declares its one entry point. Built with libFuzzer
// (HASPEC_FUZZ, clang), HASPEC_FUZZ_TARGET(name) is LLVMFuzzerTestOneInput
// and each target is its own binary fuzz_<name>. Built for replay (any
// compiler, no libFuzzer), every target file goes into one program,
// haspec-fuzz-replay, where the macro registers the function under its name
// so the replay driver can run corpus/<name>/ through it.
//
//   #include "fuzz/target.h"
//   HASPEC_FUZZ_TARGET(ops_dsm) { return haspec::fuzz::OpSequence<Dsm>(data, size); }
#ifndef HASPEC_FUZZ_TARGET_H_
#define HASPEC_FUZZ_TARGET_H_

#include <cstddef>
#include <cstdint>

#ifdef HASPEC_FUZZ_REPLAY

namespace haspec::fuzz {
using TargetFn = int (*)(const std::uint8_t*, std::size_t);
// Adds a target to the replay driver's table; returns true.
bool RegisterTarget(const char* name, TargetFn fn);
}  // namespace haspec::fuzz

// A planted-bug build of a target registers under its name plus this suffix
// (fuzz/CMakeLists.txt: ops_dsm_planted), beside the real one.
#ifndef HASPEC_FUZZ_NAME_SUFFIX
#define HASPEC_FUZZ_NAME_SUFFIX
#endif
#define HASPEC_FUZZ_STRINGIFY_(x) #x
#define HASPEC_FUZZ_STRINGIFY(x) HASPEC_FUZZ_STRINGIFY_(x)

#define HASPEC_FUZZ_TARGET(name)                                                           \
  static int HaspecFuzz_##name(const std::uint8_t* data, std::size_t size);                \
  [[maybe_unused]] static const bool haspec_fuzz_registered_##name =                       \
      ::haspec::fuzz::RegisterTarget(#name HASPEC_FUZZ_STRINGIFY(HASPEC_FUZZ_NAME_SUFFIX), \
                                     &HaspecFuzz_##name);                                  \
  static int HaspecFuzz_##name(const std::uint8_t* data, std::size_t size)

#else

#define HASPEC_FUZZ_TARGET(name) \
  extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)

#endif

#endif  // HASPEC_FUZZ_TARGET_H_
