// The haspec subcommands register themselves here, one file each
// (cmd_<name>.cc), so main.cc never grows with a new engine:
//
//   namespace {
//   std::function<int()> Declare(CLI::App& sub) {
//     auto args = std::make_shared<Args>();
//     sub.add_option("MACHINE", args->machine, "...")->required();
//     return [args] { return Run(*args); };
//   }
//   const RegisterCommand kReg{{30, "run", "Step an op trace through a model", &Declare}};
//   }
//
// Shared options (machine names, --config, --documented-only, --json) and
// shared printing live in common.h.
#ifndef HASPEC_TOOLS_HASPEC_COMMAND_H_
#define HASPEC_TOOLS_HASPEC_COMMAND_H_

#include <CLI/CLI.hpp>
#include <functional>
#include <vector>

namespace haspec::cli {

struct Command {
  int order;  // position in --help
  const char* name;
  const char* help;
  // Declares the subcommand's options on `sub` and returns what runs it
  // (an exit code from engine/exit_codes.h).
  std::function<int()> (*declare)(CLI::App& sub);
};

inline std::vector<const Command*>& AllCommands() {
  static std::vector<const Command*> all;
  return all;
}

struct RegisterCommand {
  explicit RegisterCommand(const Command& c) : command(c) { AllCommands().push_back(&command); }
  Command command;
};

}  // namespace haspec::cli

#endif  // HASPEC_TOOLS_HASPEC_COMMAND_H_
