// Implementations for the in-process gate tests (tools/haspec/CMakeLists.txt,
// haspec_add_gate_test): the JSA reference, which conforms; one of its
// mutants, which the gate must catch; and an implementation of a machine
// haspec does not know, which must end in exit 4.
#ifndef HASPEC_TOOLS_HASPEC_GATE_RUNNER_TEST_H_
#define HASPEC_TOOLS_HASPEC_GATE_RUNNER_TEST_H_

#include <memory>
#include <string>

#include "sut/jsa/reference.h"
#include "sut/protocol/server.h"

namespace haspec::gate_runner_test {

inline std::unique_ptr<sut::Implementation> JsaReference() {
  return std::make_unique<sut::jsa::HaCluster>();
}

inline std::unique_ptr<sut::Implementation> JsaSkipReping() {
  auto pair = std::make_unique<sut::jsa::HaCluster>();
  pair->Enable("skip-reping");
  return pair;
}

class UnknownMachine : public sut::jsa::HaCluster {
 public:
  std::string Machine() const override { return "no-such-machine"; }
};

inline std::unique_ptr<sut::Implementation> Unknown() { return std::make_unique<UnknownMachine>(); }

}  // namespace haspec::gate_runner_test

#endif  // HASPEC_TOOLS_HASPEC_GATE_RUNNER_TEST_H_
