// haspec gate MACHINE --sut 'COMMAND ARGS': check an implementation against
// the model with generated op sequences (docs/gate.md, docs/sut-protocol.md).
// The options, the gate and its report are gate_runner's, which in-process
// gates of C++ implementations (GateMain) share.
#include <iostream>
#include <memory>
#include <stdexcept>

#include "engine/gate.h"
#include "tools/haspec/command.h"
#include "tools/haspec/common.h"
#include "tools/haspec/gate_runner.h"

namespace haspec::cli {
namespace {

struct Args {
  GateArgs gate;
  std::string sut;
  double timeout = 10;
};

int Run(const Args& a) {
  const std::string command = "haspec gate " + a.gate.machine + " --sut '" + a.sut + "'";
  return RunGate(a.gate, command, [&]() -> std::unique_ptr<GateTarget> {
    std::vector<std::string> argv;
    try {
      argv = sut::SplitCommand(a.sut);
    } catch (const std::invalid_argument& e) {
      std::cerr << "error: --sut: " << e.what() << "\n";
      return nullptr;
    }
    if (argv.empty()) {
      std::cerr << "error: --sut is empty\n";
      return nullptr;
    }
    sut::ClientOptions copt;
    copt.timeout_ms = static_cast<int>(a.timeout * 1000);
    return std::make_unique<SubprocessTarget>(argv, copt);
  });
}

std::function<int()> Declare(CLI::App& sub) {
  auto a = std::make_shared<Args>();
  sub.add_option("MACHINE", a->gate.machine, "Machine name (see `haspec machines`)")
      ->required()
      ->check(MachineValidator());
  sub.add_option("--sut", a->sut,
                 "Command that starts the implementation (split into arguments, never given to "
                 "a shell); it speaks docs/sut-protocol.md on stdin/stdout")
      ->required();
  AddGateOptions(sub, a->gate, &a->timeout);
  return [a] { return Run(*a); };
}

const RegisterCommand kReg{
    {45, "gate",
     "Check an implementation (any language, over docs/sut-protocol.md) against the model with "
     "generated op sequences; a mismatch is shrunk to a minimal counterexample",
     &Declare}};

}  // namespace
}  // namespace haspec::cli
