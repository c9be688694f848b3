// What a step returns, and what an invariant check reports.
//
//   Outcome<State, RuleId> o = Machine::Step(s, op);
//   if (!o.accepted) report(Machine::Rules()[Index(o.rule)].id);
//
// Three kinds of result are never mixed: a rejected op (the model says the
// system must refuse it) is an Outcome with accepted == false; a broken rule
// is a Finding; a harness error (bad file, crashed SUT) is an exception or an
// exit code of the engine, never a value here.
#ifndef HASPEC_MODEL_CORE_OUTCOME_H_
#define HASPEC_MODEL_CORE_OUTCOME_H_

#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>

namespace haspec {

template <class E>
constexpr std::size_t Index(E e) {
  return static_cast<std::size_t>(static_cast<std::underlying_type_t<E>>(e));
}

// The result of applying one op to one state. `rule` names the rule that
// decided it: the transition rule that fired when accepted, the precondition
// that forbids the op when rejected. A rejected op leaves `next` == the input.
//
// `departs` is set on an answer the model allows only because the documents
// are silent: it names the assumption rule that the model's own answer rests
// on and that this answer departs from (another landing than the assumed
// one; accepted where only an assumption refuses; refused where only an
// assumption accepts). The model's own answers never carry it.
template <class State, class RuleId>
struct Outcome {
  State next;
  RuleId rule;
  bool accepted;
  std::optional<RuleId> departs{};
};

// Shorthands for Step / Effects implementations.
template <class State, class RuleId>
constexpr Outcome<State, RuleId> Accepted(const State& next, RuleId rule) {
  return {next, rule, true};
}
template <class State, class RuleId>
constexpr Outcome<State, RuleId> Rejected(const State& unchanged, RuleId rule) {
  return {unchanged, rule, false};
}
// An accepted landing the model does not choose but the documents allow:
// `assumption` is the rule that chose the model's landing instead.
template <class State, class RuleId>
constexpr Outcome<State, RuleId> Departing(const State& next, RuleId rule, RuleId assumption) {
  return {next, rule, true, assumption};
}

// A rule found broken (invariant) or worth a word (advisory) in a state.
// `detail` carries the offending values: "node n2 is Out of Sync but role is
// Primary".
template <class RuleId>
struct Finding {
  RuleId rule;
  std::string detail;
};

// How an observation (or an answer) fits a model state:
//   kMatch      the model's own answer;
//   kDeparture  allowed by the documents, excluded only by assumption rules
//               (the findings name them);
//   kMismatch   excluded by a documented rule (the findings name it).
enum class Fit : std::uint8_t { kMatch, kDeparture, kMismatch };

}  // namespace haspec

#endif  // HASPEC_MODEL_CORE_OUTCOME_H_
