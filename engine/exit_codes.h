// haspec's exit codes, defined once. `haspec --help` and docs/cli.md list
// them from this table.
//
//   return static_cast<int>(ExitCode::kViolation);
#ifndef HASPEC_ENGINE_EXIT_CODES_H_
#define HASPEC_ENGINE_EXIT_CODES_H_

#include <string_view>

namespace haspec {

#define HASPEC_EXIT_CODES(X)                                                    \
  X(kOk, 0, "every check passed")                                               \
  X(kViolation, 1, "a rule was broken: the model, a trace or a SUT disagrees")  \
  X(kUsage, 2, "bad command line (unknown machine, flag or value)")             \
  X(kBadInput, 3, "an input file is unreadable or malformed (file:line named)") \
  X(kSutError, 4, "the system under test crashed, hung or spoke garbage")       \
  X(kInternal, 70, "internal error in haspec itself")

enum class ExitCode : int {
#define HASPEC_X(name, value, text) name = value,
  HASPEC_EXIT_CODES(HASPEC_X)
#undef HASPEC_X
};

struct ExitCodeInfo {
  ExitCode code;
  std::string_view name;
  std::string_view meaning;
};

inline constexpr ExitCodeInfo kExitCodes[] = {
#define HASPEC_X(name, value, text) {ExitCode::name, #name, text},
    HASPEC_EXIT_CODES(HASPEC_X)
#undef HASPEC_X
};

}  // namespace haspec

#endif  // HASPEC_ENGINE_EXIT_CODES_H_
