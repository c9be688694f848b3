// What every machine struct shares: its value types, sensible defaults, and
// the declarations the Machine concept asks for, so a machine's header only
// says what is its own.
//
//   struct Dsm : MachineBase<Dsm, State, Op, RuleId, Observation, Config> {
//     static constexpr std::string_view kName = "dsm";
//     static constexpr std::string_view kTitle = "...";
//     HASPEC_MACHINE(Dsm)
//   };
//
// The machine defines the declared functions in its .cc files (codecs in
// codec.cc). Step, Outcomes, the op codecs and Show(op) are derived (from
// Refusals, Effects and the op declarations); Canonical and CheckAdvisories
// default to nothing special and a machine may hide them with its own.
#ifndef HASPEC_MODEL_CORE_MACHINE_BASE_H_
#define HASPEC_MODEL_CORE_MACHINE_BASE_H_

#include <cstddef>
#include <nlohmann/json_fwd.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/core/answers.h"
#include "model/core/nodes.h"
#include "model/core/op_spec.h"
#include "model/core/outcome.h"
#include "model/core/rule.h"

namespace haspec {

template <class Self, class StateT, class OpT, class RuleIdT, class ObservationT, class ConfigT>
struct MachineBase {
  using State = StateT;
  using Op = OpT;
  using RuleId = RuleIdT;
  using Observation = ObservationT;
  using Config = ConfigT;
  using OutcomeT = Outcome<State, RuleId>;
  using FindingT = Finding<RuleId>;

  static void CheckAdvisories(const State&, std::vector<FindingT>&) {}
  // Symmetric or irrelevant hidden facts folded to one representative.
  static State Canonical(const State& s) { return s; }
};

// Declarations every machine defines (see model/core/machine.h for what
// each must do), plus the derived members, written inline here so that
// `M::Initial()` and `M::Show(op)` keep working with the default names.
#define HASPEC_MACHINE(Self)                                                                 \
  static std::span<const ::haspec::Rule> Rules();                                            \
  static std::span<const ::haspec::StatusInfo> Statuses();                                   \
  /* The status changes the documents describe (model/<m>/status_changes.def). */            \
  static std::span<const ::haspec::StatusChange> StatusChanges();                            \
  static Config DefaultConfig();                                                             \
  static State Initial(const Config& c);                                                     \
  static void Refusals(const State& s, const Op& op, std::vector<RuleId>& out);              \
  static void Effects(const State& s, const Op& op, std::vector<OutcomeT>& out);             \
  static void CandidateOps(const State& s, std::vector<Op>& out);                            \
  static void CheckInvariants(const State& s, std::vector<FindingT>& out,                    \
                              std::vector<RuleId>* premises = nullptr);                      \
  static Observation Observe(const State& s);                                                \
  static ::haspec::Fit Consistent(const State& s, const Observation& o,                      \
                                  std::vector<FindingT>* why = nullptr);                     \
  static void NodeStatuses(const State& s, std::vector<int>& out);                           \
  static std::size_t Hash(const State& s);                                                   \
  static std::string Show(const State& s, const ::haspec::Nodes& n);                         \
  static std::string Show(const Observation& o, const ::haspec::Nodes& n);                   \
  /* JSON codecs; the FromJson functions throw ParseError. */                                \
  static nlohmann::json StateToJson(const State& s, const ::haspec::Nodes& n);               \
  static State StateFromJson(const nlohmann::json& j, const ::haspec::Nodes& n);             \
  static nlohmann::json ObservationToJson(const Observation& o, const ::haspec::Nodes& n);   \
  static Observation ObservationFromJson(const nlohmann::json& j, const ::haspec::Nodes& n); \
  static nlohmann::json ConfigToJson(const Config& c);                                       \
  static Config ConfigFromJson(const nlohmann::json& j);                                     \
  /* Conveniences with the default configuration's names. */                                 \
  static State Initial() { return Initial(DefaultConfig()); }                                \
  static std::string Show(const Op& op, const ::haspec::Nodes& n) {                          \
    return ::haspec::ShowOp(op, n);                                                          \
  }                                                                                          \
  static std::string Show(const Op& op) { return Show(op, DefaultConfig().nodes); }          \
  static std::string Show(const State& s) { return Show(s, DefaultConfig().nodes); }         \
  static std::string Show(const Observation& o) { return Show(o, DefaultConfig().nodes); }   \
  HASPEC_MACHINE_DERIVED(Self)

// Step and Outcomes derived from Self's Refusals and Effects. A mutant (a
// deliberately broken variant in sut/<machine>/mutants.h) overrides
// Refusals or Effects and repeats this line, so that every answer it gives
// (Step, Outcomes, AnswersOf) is the mutated one.
#define HASPEC_MACHINE_DERIVED(Self)                                               \
  static OutcomeT Step(const State& s, const Op& op) {                             \
    return ::haspec::StepFromParts<Self>(s, op);                                   \
  }                                                                                \
  /* The answers the model itself gives (no departures), for walks. */             \
  static void Outcomes(const State& s, const Op& op, std::vector<OutcomeT>& out) { \
    ::haspec::Scratch<OutcomeT> all;                                               \
    ::haspec::AnswersOf<Self>(s, op, *all);                                        \
    for (auto& o : *all) {                                                         \
      if (!o.departs) out.push_back(std::move(o));                                 \
    }                                                                              \
  }

}  // namespace haspec

#endif  // HASPEC_MODEL_CORE_MACHINE_BASE_H_
