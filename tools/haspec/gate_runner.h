// The gate as a program: its options, its report (summary, coverage, the
// failure with its minimal sequence, the counterexample trace, JUnit XML) and
// its exit codes (engine/exit_codes.h), shared by `haspec gate --sut` (an
// implementation in a child process) and by GateMain (a C++ implementation in
// this process, which is what haspec_add_gate_test builds).
//
//   // my_jsa_gate.cc (haspec_add_gate_test generates this file)
//   #include "tools/haspec/gate_runner.h"
//   #include "my_jsa.h"
//   int main(int argc, char** argv) {
//     return haspec::GateMain(argc, argv, [] { return my::MakeJsa(); });
//   }
//
//   $ ./my_jsa_gate --runs 500 --seed 7 --junit gate.xml
//
// The machine is the one the implementation names (Implementation::Machine).
#ifndef HASPEC_TOOLS_HASPEC_GATE_RUNNER_H_
#define HASPEC_TOOLS_HASPEC_GATE_RUNNER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sut/protocol/server.h"

namespace CLI {
class App;
}

namespace haspec {

class GateTarget;

// The gate's options, as `haspec gate` and GateMain take them.
struct GateArgs {
  std::string machine;
  std::string config;  // --config FILE; empty: the machine's default
  std::string junit;   // --junit FILE; empty: none
  std::string out = ".";
  std::string trace;  // --trace FILE: replay it instead of generating
  int runs = 200;
  int max_ops = 60;
  std::uint64_t seed = 1;
  double shrink_seconds = 10;
  bool documented_only = false;
  bool no_steer = false;
  double min_rule_coverage = 0;  // --min-rule-coverage P (tools/haspec/common.h)
  std::string report;            // --report FILE.md|FILE.html (engine/report.h); empty: none
  std::vector<std::string> scenarios;
};

// Declares the gate's options on `app`, in `haspec gate --help` order.
// `timeout`, when not null, is declared too (--timeout, seconds per reply:
// only a child process can hang).
void AddGateOptions(CLI::App& app, GateArgs& args, double* timeout);

// Makes the target to gate; returns null after printing why it cannot (a
// usage error). Called once the configuration has been read.
using GateTargetFactory = std::function<std::unique_ptr<GateTarget>()>;

// Gates the implementation `make_target` gives as machine `args.machine` and
// prints the report on stdout (progress on stderr when it is a terminal).
// `command` is how a user reruns this gate, without options ("haspec gate
// jsa --sut 'my-jsa'", "./my_jsa_gate"): the report's replay and reproduce
// lines start with it. Returns an exit code of engine/exit_codes.h.
int RunGate(const GateArgs& args, const std::string& command, const GateTargetFactory& make_target);

// Creates a C++ implementation; may throw (reported as the implementation's
// failure, exit 4).
using ImplementationFactory = std::function<std::unique_ptr<sut::Implementation>()>;

// A gate program for a C++ implementation: parses the gate's options from
// argv (--runs, --max-ops, --seed, --shrink-seconds, --documented-only,
// --config, --junit, --out, --trace, --scenario, --no-steer; --help), gates
// the implementation in this process and returns the exit code: 0 conforms,
// 1 does not conform, 2 bad command line, 3 bad input file, 4 the
// implementation failed (threw, or names a machine haspec does not know),
// 70 internal error. The factory is called once, after the options parse.
int GateMain(int argc, char** argv, const ImplementationFactory& make);

// The same for an implementation that already exists.
int GateMain(int argc, char** argv, sut::Implementation& impl);

}  // namespace haspec

#endif  // HASPEC_TOOLS_HASPEC_GATE_RUNNER_H_
