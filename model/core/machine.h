// What a machine is: the static interface every engine is generic over.
//
// A machine is a struct of static members over plain value types. Nothing in
// it does I/O, reads a clock or draws random numbers, so one op sequence
// always gives one state sequence. Most members are declared for it by
// HASPEC_MACHINE (model/core/machine_base.h); what each must do:
//
//   using State        value: ==, Hash, Show, JSON round trip; finite for a
//                      given Config once Canonical is applied
//   using Op           std::variant of op structs declared with HASPEC_OP and
//                      Fields() (model/core/op_spec.h): codecs, Show, hash,
//                      enumeration and the fuzz decoder are derived
//   using RuleId       enum generated from rules.def
//   using Observation  what the product reports; every field may be "not
//                      seen" (a partial observation, as logs give)
//   using Config       cluster size, node names (member `Nodes nodes`), the
//                      initial situation
//   Rules()            the catalogue, indexed by RuleId
//   Statuses()         the statuses a node can show, each with its basis
//   StatusChanges()    the changes between them the documents describe
//                      (model/<m>/status_changes.def), each with its basis
//   DefaultConfig(), Initial(config)
//   Refusals(s, op, out)   every precondition rule that forbids op in s
//   Effects(s, op, out)    what op does when accepted (see answers.h)
//   Step(s, op)            derived: the model's one answer
//   Outcomes(s, op, out)   derived: every answer of the model's own
//   CandidateOps(s, out)   the walk distribution: a weighted sample of ops
//                          (ForEachOp gives the complete list)
//   CheckInvariants(s, out, premises)  findings; and, when premises is not
//                          null, each invariant whose premise holds in s (so
//                          coverage can tell a checked invariant from a
//                          vacuous one)
//   CheckTransition(before, op, after, out[, premises])  optional: rules
//                          about a step; with a premises list it reports
//                          each step rule whose premise held, as above
//   CheckAdvisories(s, out)  documented recommendations, never violations
//   Observe(s)             the full observation of s
//   Consistent(s, obs, why)  Fit of a (partial) observation with s
//   NodeStatuses(s, out)   out[i]: index into Statuses() that status slot i
//                          shows in s, or -1 (for coverage)
//   Canonical(s)           one representative of s's symmetry class
//   Hash(s), Show(s, nodes), Show(obs, nodes), JSON codecs for State,
//   Observation and Config
//
// Usage from an engine:
//
//   template <haspec::Machine M> void Run() {
//     auto config = M::DefaultConfig();
//     typename M::State s = M::Initial(config);
//     haspec::ForEachOp<typename M::Op>(config.nodes, [&](const auto& op) {
//       auto o = M::Step(s, op);
//     });
//   }
#ifndef HASPEC_MODEL_CORE_MACHINE_H_
#define HASPEC_MODEL_CORE_MACHINE_H_

#include <array>
#include <concepts>
#include <cstddef>
#include <nlohmann/json_fwd.hpp>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "model/core/nodes.h"
#include "model/core/op_spec.h"
#include "model/core/outcome.h"
#include "model/core/rule.h"

namespace haspec {

template <class M>
using OutcomeOf = Outcome<typename M::State, typename M::RuleId>;
template <class M>
using FindingOf = Finding<typename M::RuleId>;

template <class M>
concept Machine = requires(const typename M::State& s, const typename M::Op& op,
                           const typename M::Observation& obs, const typename M::Config& config,
                           std::vector<typename M::Op>& ops,
                           std::vector<typename M::RuleId>& rule_ids,
                           std::vector<OutcomeOf<M>>& outcomes, std::vector<FindingOf<M>>& findings,
                           std::vector<int>& statuses) {
  { M::kName } -> std::convertible_to<std::string_view>;
  { M::kTitle } -> std::convertible_to<std::string_view>;
  { M::Rules() } -> std::same_as<std::span<const Rule>>;
  { M::Statuses() } -> std::same_as<std::span<const StatusInfo>>;
  { M::StatusChanges() } -> std::same_as<std::span<const StatusChange>>;
  { M::DefaultConfig() } -> std::same_as<typename M::Config>;
  { config.nodes } -> std::convertible_to<const Nodes&>;
  { M::Initial(config) } -> std::same_as<typename M::State>;
  M::Refusals(s, op, rule_ids);
  M::Effects(s, op, outcomes);
  { M::Step(s, op) } -> std::same_as<OutcomeOf<M>>;
  M::Outcomes(s, op, outcomes);
  M::CandidateOps(s, ops);
  M::CheckInvariants(s, findings, &rule_ids);
  M::CheckAdvisories(s, findings);
  { M::Observe(s) } -> std::same_as<typename M::Observation>;
  { M::Consistent(s, obs, &findings) } -> std::same_as<Fit>;
  M::NodeStatuses(s, statuses);
  { M::Canonical(s) } -> std::same_as<typename M::State>;
  { M::Hash(s) } -> std::same_as<std::size_t>;
  { M::Show(s, config.nodes) } -> std::same_as<std::string>;
  { M::Show(op, config.nodes) } -> std::same_as<std::string>;
  { M::Show(obs, config.nodes) } -> std::same_as<std::string>;
  { s == s } -> std::same_as<bool>;
  { obs == obs } -> std::same_as<bool>;
};

// A machine with JSON codecs. Checked where nlohmann/json.hpp is complete
// (codecs, CLI, replay, gate); the step engines need only Machine.
// A machine with JSON codecs. Checked where nlohmann/json.hpp is complete
// (codecs, CLI, replay, gate); the step engines need only Machine. Op codecs
// are derived: OpToJson / OpFromJson in model/core/op_codec.h.
template <class M>
concept CodecMachine = Machine<M> &&
    requires(const typename M::State& s, const typename M::Observation& obs,
             const typename M::Config& c, const Nodes& n, const nlohmann::json& j) {
  { M::StateToJson(s, n) } -> std::same_as<nlohmann::json>;
  { M::StateFromJson(j, n) } -> std::same_as<typename M::State>;
  { M::ObservationToJson(obs, n) } -> std::same_as<nlohmann::json>;
  { M::ObservationFromJson(j, n) } -> std::same_as<typename M::Observation>;
  { M::ConfigToJson(c) } -> std::same_as<nlohmann::json>;
  { M::ConfigFromJson(j) } -> std::same_as<typename M::Config>;
};

// The wire name of an op ("add_standby"): every op struct has kName.
template <class Op>
std::string_view OpName(const Op& op) {
  return std::visit([](const auto& o) { return std::remove_cvref_t<decltype(o)>::kName; }, op);
}

// All op names of a variant, in declaration order.
template <class Op>
constexpr auto OpNames() {
  return []<std::size_t... I>(std::index_sequence<I...>) {
    return std::array<std::string_view, sizeof...(I)>{std::variant_alternative_t<I, Op>::kName...};
  }
  (std::make_index_sequence<std::variant_size_v<Op>>{});
}

// Rules about a step rather than a state ("a Failed host leaves Failed only
// through restore"): a machine that has them declares
//   static void CheckTransition(const State& before, const Op& op,
//                               const State& after, std::vector<Finding>&,
//                               std::vector<RuleId>* premises = nullptr);
// and, given a premises list, names the step rules whose premise held on
// the step (coverage: "the premise ever held"). The premises argument is
// optional in the declaration.
template <Machine M>
inline constexpr bool kReportsStepPremises = requires(const typename M::State& s,
                                                      const typename M::Op& op,
                                                      std::vector<FindingOf<M>>& out,
                                                      std::vector<typename M::RuleId>* premises) {
  M::CheckTransition(s, op, s, out, premises);
};
template <Machine M>
inline constexpr bool kHasStepRules = kReportsStepPremises<M> ||
                                      requires(const typename M::State& s, const typename M::Op& op,
                                               std::vector<FindingOf<M>>& out) {
  M::CheckTransition(s, op, s, out);
};

// The step rules alone: findings into `out` and, when `premises` is given
// and the machine reports them, the step rules whose premise held. Nothing
// for a machine without step rules.
template <Machine M>
void CheckStepRules(const typename M::State& before, const typename M::Op& op,
                    const typename M::State& after, std::vector<FindingOf<M>>& out,
                    std::vector<typename M::RuleId>* premises = nullptr) {
  if constexpr (kReportsStepPremises<M>) {
    M::CheckTransition(before, op, after, out, premises);
  } else if constexpr (kHasStepRules<M>) {
    M::CheckTransition(before, op, after, out);
  }
}

// Every invariant after a step: the state invariants of `after` and the
// step rules.
template <Machine M>
void CheckStep(const typename M::State& before, const typename M::Op& op,
               const typename M::State& after, std::vector<FindingOf<M>>& out,
               std::vector<typename M::RuleId>* premises = nullptr) {
  M::CheckInvariants(after, out, premises);
  CheckStepRules<M>(before, op, after, out, premises);
}

// Whether `r` is one of the machine's scope rules: assumption preconditions
// that bound what a configuration models (which faults the environment
// injects) rather than predict the product. A machine lists them, when it
// has any, as
//   static constexpr RuleId kScopeRules[] = {RuleId::kPreFaultInConfig};
// Exhaustive exploration holds them under every profile: following every
// documented answer would otherwise inject every fault the configuration
// leaves out.
template <Machine M>
constexpr bool IsScopeRule(typename M::RuleId r) {
  if constexpr (requires { M::kScopeRules; }) {
    for (auto s : M::kScopeRules) {
      if (s == r) return true;
    }
  }
  return false;
}

// The rule record behind a RuleId.
template <Machine M>
const Rule& RuleOf(typename M::RuleId id) {
  return M::Rules()[Index(id)];
}

}  // namespace haspec

#endif  // HASPEC_MODEL_CORE_MACHINE_H_
