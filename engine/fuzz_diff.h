// The differential fuzz targets (diff_<machine>, fuzz/): the model, with
// the gate's consistent-set verdicts under --documented-only, against a
// reference implementation in this process.
//
// Include only from .cc files: it pulls in nlohmann/json.hpp and the gate.
#ifndef HASPEC_ENGINE_FUZZ_DIFF_H_
#define HASPEC_ENGINE_FUZZ_DIFF_H_

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "engine/consistent.h"
#include "engine/fuzz_common.h"
#include "engine/gate.h"
#include "engine/op_decoder.h"
#include "model/core/machine.h"
#include "sut/protocol/client.h"
#include "sut/protocol/server.h"

namespace haspec::fuzz {

// The differential target pays JSON both ways per op: shorter sequences.
inline constexpr std::size_t kMaxDiffOps = 48;

// ---------------------------------------------------------------------------
// The model against a reference implementation.

// A reference implementation in this process, reset for every input.
template <CodecMachine M>
class DifferentialRig {
 public:
  explicit DifferentialRig(sut::Implementation& impl, typename M::Config config)
      : target_(impl), config_(std::move(config)) {
    hello_ = target_.Hello(std::string(M::kName), M::ConfigToJson(config_));
  }

  // Runs the ops `data` decodes to against the reference, with the
  // gate's consistent-set verdicts under --documented-only: an answer or
  // observation no documented reading allows is a finding, and so is the
  // reference failing as a program.
  int Run(const std::uint8_t* data, std::size_t size) {
    ops_.clear();
    ByteReader in(data, size);
    while (ops_.size() < kMaxDiffOps) {
      auto op = DecodeOp<typename M::Op>(in, config_.nodes);
      if (!op) break;
      ops_.push_back(std::move(*op));
    }
    bool failed = false;
    GateFailure<M> f;
    try {
      f = RunSequence<M>(target_, config_, hello_, ops_, nullptr, Profile::kDocumentedOnly, nullptr,
                         failed);
    } catch (const sut::SutError& e) {
      Fail(std::string(M::kName) + ": the reference implementation failed: " + e.what() +
           "\nops:\n" + ShowOps());
    }
    if (failed) Report(f, data, size);
    return 0;
  }

 private:
  std::string ShowOps() const {
    std::string s;
    for (std::size_t i = 0; i < ops_.size(); ++i) {
      s += "  " + std::to_string(i + 1) + ". " + M::Show(ops_[i], config_.nodes) + "\n";
    }
    return s;
  }

  [[noreturn]] void Report(const GateFailure<M>& f, const std::uint8_t* data, std::size_t size) {
    std::ostringstream why;
    why << M::kName << ": the reference implementation and the model disagree"
        << (f.at_reset ? " at reset" : "") << " (documented rules):\n";
    std::ostringstream trace;
    trace << "# haspec fuzz finding: " << M::kName
          << ": the reference's answers as \"expect\", what it showed as \"obs\";\n"
          << "# haspec run " << M::kName
          << " --documented-only <this file> shows where the model disagrees\n";
    for (std::size_t i = 0; i < f.steps.size(); ++i) {
      const auto& st = f.steps[i];
      if (f.at_reset) {
        why << "  initial observation " << st.reply.observation.dump() << "\n";
        trace << nlohmann::json{{"obs", st.reply.observation}}.dump() << "\n";
        break;
      }
      const bool known = st.reply.reason.empty() || FindRule(M::Rules(), st.reply.reason);
      const std::string answer =
          st.reply.accepted ? "accepted"
                            : (st.reply.reason.empty() || !known ? "rejected" : st.reply.reason);
      why << "  " << (i + 1) << ". " << M::Show(st.op, config_.nodes) << " -> " << answer;
      if (!st.reply.observation.is_null()) why << ", shows " << st.reply.observation.dump();
      why << "\n";
      nlohmann::json j = st.sent;
      j["expect"] = answer;
      if (!st.reply.observation.is_null()) j["obs"] = st.reply.observation;
      trace << j.dump() << "\n";
    }
    if (!f.steps.empty()) {
      why << "why:\n";
      for (const auto& w : f.steps.back().why) {
        why << "  " << RuleOf<M>(w.rule).id << ": " << w.detail << "\n";
      }
    }
    const std::string path = TracePath(M::kName, InputHash(data, size));
    WriteFile(path, trace.str());
    why << "trace: " << path << "\n";
    Fail(why.str());
  }

  InProcessTarget target_;
  typename M::Config config_;
  sut::HelloReply hello_;
  std::vector<typename M::Op> ops_;
};

template <CodecMachine M>
int Differential(const std::uint8_t* data, std::size_t size, sut::Implementation& impl) {
  static DifferentialRig<M> rig(impl, M::DefaultConfig());
  return rig.Run(data, size);
}

}  // namespace haspec::fuzz

#endif  // HASPEC_ENGINE_FUZZ_DIFF_H_
