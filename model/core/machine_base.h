// What every machine struct shares: its value types, sensible defaults, and
// the declarations the Machine concept asks for, so a machine's header only
// says what is its own.
//
//   struct Dsm : MachineBase<Dsm, State, Op, RuleId, Observation> {
//     static constexpr std::string_view kName = "dsm";
//     static constexpr std::string_view kTitle = "...";
//     HASPEC_MACHINE_FUNCTIONS
//   };
//
// The machine defines the declared functions in its .cc files (codecs in
// codec.cc). A machine may hide a default (Initial, Outcomes,
// CheckAdvisories) by declaring its own.
#ifndef HASPEC_MODEL_CORE_MACHINE_BASE_H_
#define HASPEC_MODEL_CORE_MACHINE_BASE_H_

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "model/core/outcome.h"
#include "model/core/rule.h"

namespace haspec {

template <class Self, class StateT, class OpT, class RuleIdT, class ObservationT>
struct MachineBase {
  using State = StateT;
  using Op = OpT;
  using RuleId = RuleIdT;
  using Observation = ObservationT;
  using OutcomeT = Outcome<State, RuleId>;
  using FindingT = Finding<RuleId>;

  static State Initial() { return State{}; }
  // Deterministic machines have one outcome per op: Step's.
  static void Outcomes(const State& s, const Op& op, std::vector<OutcomeT>& out) {
    out.push_back(Self::Step(s, op));
  }
  static void CheckAdvisories(const State&, std::vector<FindingT>&) {}
};

// Declarations every machine defines; see model/core/machine.h for what
// each must do.
#define HASPEC_MACHINE_FUNCTIONS                                             \
  static std::span<const ::haspec::Rule> Rules();                            \
  static std::span<const std::string_view> StatusNames();                    \
  static OutcomeT Step(const State& s, const Op& op);                        \
  static void CandidateOps(const State& s, std::vector<Op>& out);            \
  static void CheckInvariants(const State& s, std::vector<FindingT>& out);   \
  static Observation Observe(const State& s);                                \
  static std::size_t Hash(const State& s);                                   \
  static std::string Show(const State& s);                                   \
  static std::string Show(const Op& op);                                     \
  static std::string Show(const Observation& o);                             \
  /* JSON codecs; the FromJson functions throw ParseError. */                \
  static nlohmann::json StateToJson(const State& s);                         \
  static State StateFromJson(const nlohmann::json& j);                       \
  static nlohmann::json OpToJson(const Op& op);                              \
  static Op OpFromJson(const nlohmann::json& j);                             \
  static nlohmann::json ObservationToJson(const Observation& o);             \
  static Observation ObservationFromJson(const nlohmann::json& j);

}  // namespace haspec

#endif  // HASPEC_MODEL_CORE_MACHINE_BASE_H_
