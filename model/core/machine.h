// What a machine is: the static interface every engine is generic over.
//
// A machine is a struct of static members over plain value types. Nothing in
// it does I/O, reads a clock or draws random numbers, so one op sequence
// always gives one state sequence:
//
//   struct Machine {
//     using State = ...;        // value: ==, Hash, Show, JSON round trip
//     using Op = std::variant<...>;  // each alternative has kName
//     using RuleId = ...;       // enum generated from rules.def
//     using Observation = ...;  // what the product reports, per node
//     static constexpr std::string_view kName, kTitle;
//     static std::span<const Rule> Rules();         // indexed by RuleId
//     static std::span<const std::string_view> StatusNames();
//     static State Initial();
//     static Outcome<State, RuleId> Step(const State&, const Op&);
//     static void Outcomes(const State&, const Op&, std::vector<Outcome>&);
//     static void CandidateOps(const State&, std::vector<Op>&);
//     static void CheckInvariants(const State&, std::vector<Finding>&);
//     // optional: rules about one step; see CheckStep below
//     static void CheckTransition(const State& before, const Op&,
//                                 const State& after, std::vector<Finding>&);
//     static void CheckAdvisories(const State&, std::vector<Finding>&);
//     static Observation Observe(const State&);
//     static std::size_t Hash(const State&);
//     static std::string Show(const State&), Show(const Op&),
//                        Show(const Observation&);
//     // JSON codecs (nlohmann::json, declared through json_fwd.hpp)
//     static nlohmann::json StateToJson(const State&);
//     static State StateFromJson(const nlohmann::json&);   // throws ParseError
//     static nlohmann::json OpToJson(const Op&);
//     static Op OpFromJson(const nlohmann::json&);         // throws ParseError
//     static nlohmann::json ObservationToJson(const Observation&);
//     static Observation ObservationFromJson(const nlohmann::json&);
//   };
//
// Usage from an engine:
//
//   template <haspec::Machine M> void Run() {
//     typename M::State s = M::Initial();
//     std::vector<typename M::Op> ops;
//     M::CandidateOps(s, ops);
//     auto o = M::Step(s, ops.front());
//   }
#ifndef HASPEC_MODEL_CORE_MACHINE_H_
#define HASPEC_MODEL_CORE_MACHINE_H_

#include <array>
#include <concepts>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "model/core/outcome.h"
#include "model/core/rule.h"

namespace haspec {

template <class M>
using OutcomeOf = Outcome<typename M::State, typename M::RuleId>;
template <class M>
using FindingOf = Finding<typename M::RuleId>;

template <class M>
concept Machine = requires(const typename M::State& s,
                           const typename M::Op& op,
                           const typename M::Observation& obs,
                           std::vector<typename M::Op>& ops,
                           std::vector<OutcomeOf<M>>& outcomes,
                           std::vector<FindingOf<M>>& findings) {
  { M::kName } -> std::convertible_to<std::string_view>;
  { M::kTitle } -> std::convertible_to<std::string_view>;
  { M::Rules() } -> std::same_as<std::span<const Rule>>;
  { M::StatusNames() } -> std::same_as<std::span<const std::string_view>>;
  { M::Initial() } -> std::same_as<typename M::State>;
  { M::Step(s, op) } -> std::same_as<OutcomeOf<M>>;
  M::Outcomes(s, op, outcomes);
  M::CandidateOps(s, ops);
  M::CheckInvariants(s, findings);
  M::CheckAdvisories(s, findings);
  { M::Observe(s) } -> std::same_as<typename M::Observation>;
  { M::Hash(s) } -> std::same_as<std::size_t>;
  { M::Show(s) } -> std::same_as<std::string>;
  { M::Show(op) } -> std::same_as<std::string>;
  { M::Show(obs) } -> std::same_as<std::string>;
  { s == s } -> std::same_as<bool>;
  { obs == obs } -> std::same_as<bool>;
};

// A machine with JSON codecs. Checked where nlohmann/json.hpp is complete
// (codecs, CLI, replay, gate); the step engines need only Machine.
template <class M>
concept CodecMachine = Machine<M> && requires(const typename M::State& s,
                                              const typename M::Op& op,
                                              const typename M::Observation& obs,
                                              const nlohmann::json& j) {
  { M::StateToJson(s) } -> std::same_as<nlohmann::json>;
  { M::StateFromJson(j) } -> std::same_as<typename M::State>;
  { M::OpToJson(op) } -> std::same_as<nlohmann::json>;
  { M::OpFromJson(j) } -> std::same_as<typename M::Op>;
  { M::ObservationToJson(obs) } -> std::same_as<nlohmann::json>;
  { M::ObservationFromJson(j) } -> std::same_as<typename M::Observation>;
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
    return std::array<std::string_view, sizeof...(I)>{
        std::variant_alternative_t<I, Op>::kName...};
  }(std::make_index_sequence<std::variant_size_v<Op>>{});
}

// Every invariant after a step: the state invariants of `after`, and, for a
// machine that also has rules about a step rather than a state ("a Failed
// host leaves Failed only through restore"), its
//   static void CheckTransition(const State& before, const Op& op,
//                               const State& after, std::vector<Finding>&);
template <Machine M>
void CheckStep(const typename M::State& before, const typename M::Op& op,
               const typename M::State& after, std::vector<FindingOf<M>>& out) {
  M::CheckInvariants(after, out);
  if constexpr (requires { M::CheckTransition(before, op, after, out); }) {
    M::CheckTransition(before, op, after, out);
  }
}

// The rule record behind a RuleId.
template <Machine M>
const Rule& RuleOf(typename M::RuleId id) {
  return M::Rules()[Index(id)];
}

}  // namespace haspec

#endif  // HASPEC_MODEL_CORE_MACHINE_H_
