#include "my_jsa.h"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sut/jsa/reference.h"

namespace example {
namespace {

// Each method is what the gate asks of a product; here the bundled reference
// answers. Replace the delegation with calls into your own code.
class MyJsa : public haspec::sut::Implementation {
 public:
  // The machine whose model judges this implementation (`haspec machines`).
  std::string Machine() const override { return "jsa"; }
  // Shown in the gate's report.
  std::string Name() const override { return "example MyJsa (" + pair_.Name() + ")"; }
  // The environment choices (op.field) this implementation decides itself;
  // the gate leaves them out of the ops it sends and accepts any value
  // consistent with what the implementation then shows.
  std::vector<std::string> EnvChoices() const override { return pair_.EnvChoices(); }
  // Starts over from the configuration (the machine's README lists its
  // keys) and returns what the product shows, or null for nothing.
  nlohmann::json Reset(const nlohmann::json& config) override { return pair_.Reset(config); }
  // One op (docs/sut-protocol.md has every op's JSON): accepted, or refused
  // with a rule ID as the reason if known, and the observation after it.
  haspec::sut::Result Apply(const nlohmann::json& op) override { return pair_.Apply(op); }

 private:
  haspec::sut::jsa::HaCluster pair_;
};

}  // namespace

std::unique_ptr<haspec::sut::Implementation> MakeJsa() { return std::make_unique<MyJsa>(); }

}  // namespace example
