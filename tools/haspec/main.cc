// haspec: the command-line entry point. Subcommands register themselves
// (tools/haspec/command.h, one cmd_<name>.cc each); nothing here knows a
// particular machine or engine.
#include <algorithm>
#include <iostream>
#include <sstream>

#include "tools/haspec/command.h"
#include "tools/haspec/common.h"

namespace haspec::cli {
namespace {

std::string Footer() {
  std::ostringstream os;
  os << "Exit codes:\n";
  for (const ExitCodeInfo& e : kExitCodes) {
    os << "  " << static_cast<int>(e.code) << "  " << e.meaning << "\n";
  }
  os << "\nMachines: " << MachineNames() << "\nDocs: README.md and docs/ in the source tree.";
  return os.str();
}

int Main(int argc, char** argv) {
  CLI::App app{
      "haspec: executable reference models of HA cluster state machines, and the engines that "
      "check things against them."};
  app.footer(Footer());
  app.require_subcommand(1);
  app.set_version_flag("--version", "haspec 0.1.0");

  auto commands = AllCommands();
  std::sort(commands.begin(), commands.end(),
            [](const Command* a, const Command* b) { return a->order < b->order; });
  std::vector<std::pair<CLI::App*, std::function<int()>>> runners;
  for (const Command* c : commands) {
    CLI::App* sub = app.add_subcommand(c->name, c->help);
    runners.emplace_back(sub, c->declare(*sub));
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : Code(ExitCode::kUsage);
  }
  for (auto& [sub, run] : runners) {
    if (*sub) return run();
  }
  return Code(ExitCode::kUsage);
}

}  // namespace
}  // namespace haspec::cli

int main(int argc, char** argv) {
  try {
    return haspec::cli::Main(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "internal error: " << e.what() << "\n";
    return static_cast<int>(haspec::ExitCode::kInternal);
  }
}
