// Step, and the set of answers the documents allow, derived from a
// machine's two hand-written halves:
//
//   static void Refusals(const State&, const Op&, std::vector<RuleId>&);
//     every precondition rule that forbids the op here, in report order
//     (empty: the op is allowed). Only precondition rules, never invariants.
//   static void Effects(const State&, const Op&, std::vector<OutcomeT>&);
//     appends what the op does when accepted, preconditions ignored: the model's
//     own landings first (no `departs`), then landings the documents allow
//     but an assumption rule excluded (`departs` names it). May be empty
//     when the op means nothing in this state.
//
//   auto o = StepFromParts<Dsm>(s, op);        // the model's one answer
//   std::vector<OutcomeOf<Dsm>> all;
//   AnswersOf<Dsm>(s, op, all);                // every answer, departures tagged
#ifndef HASPEC_MODEL_CORE_ANSWERS_H_
#define HASPEC_MODEL_CORE_ANSWERS_H_

#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "model/core/op_spec.h"
#include "model/core/outcome.h"
#include "model/core/rule.h"
#include "model/core/scratch.h"

namespace haspec {

// The model's answer without a copy of `s` when it refuses: true when it
// accepts `op`, with the state it lands in moved into `next`; false when it
// refuses (`next` untouched). `rule` gets the deciding rule either way: the
// first refusal, else the first landing without `departs`. Throws
// std::logic_error when the machine offers no answer at all (a model bug the
// contract test reports). `why` and `effects` are the caller's buffers (a
// loop that steps millions of times keeps its own).
template <class M>
bool StepInto(const typename M::State& s, const typename M::Op& op, typename M::State& next,
              typename M::RuleId& rule, std::vector<typename M::RuleId>& why,
              std::vector<Outcome<typename M::State, typename M::RuleId>>& effects) {
  why.clear();
  M::Refusals(s, op, why);
  if (!why.empty()) {
    rule = why.front();
    return false;
  }
  effects.clear();
  M::Effects(s, op, effects);
  for (auto& e : effects) {
    if (!e.departs) {
      next = std::move(e.next);
      rule = e.rule;
      return e.accepted;  // true but for a machine that breaks Effects' contract
    }
  }
  throw std::logic_error(std::string(M::kName) + ": an op no precondition refuses has no effect");
}

// The model's answer as an Outcome: rejected by the first refusal (`next`
// the state as it was), else the first landing without `departs`.
template <class M>
Outcome<typename M::State, typename M::RuleId> StepFromParts(const typename M::State& s,
                                                             const typename M::Op& op) {
  Scratch<typename M::RuleId> why;
  Scratch<Outcome<typename M::State, typename M::RuleId>> effects;
  Outcome<typename M::State, typename M::RuleId> o{typename M::State{}, typename M::RuleId{},
                                                   false};
  o.accepted = StepInto<M>(s, op, o.next, o.rule, *why, *effects);
  if (!o.accepted) o.next = s;
  return o;
}

// Every answer the documents allow for `op` in `s`, appended to `out`:
// the model's own (no `departs`) and those that depart only from assumption
// rules (`departs` set):
//   * refused by preconditions that are all assumptions: accepted too, with
//     the effects (or, when the op means nothing here, as a no-op);
//   * accepted: the other landings Effects lists; and, for a command,
//     refused as well when the rule that decides the acceptance is an
//     assumption (events and completions happen; they are not refused).
// `refusals`, when given, receives the full refusal set.
template <class M>
void AnswersOf(const typename M::State& s, const typename M::Op& op,
               std::vector<Outcome<typename M::State, typename M::RuleId>>& out,
               std::vector<typename M::RuleId>* refusals = nullptr) {
  using RuleId = typename M::RuleId;
  const auto rules = M::Rules();
  // The refusals go straight into the caller's vector when there is one.
  std::optional<Scratch<RuleId>> own_why;
  if (!refusals) refusals = &*own_why.emplace();
  std::vector<RuleId>& why = *refusals;
  why.clear();
  M::Refusals(s, op, why);
  if (!why.empty()) {
    out.push_back(Rejected(s, why.front()));
    for (RuleId r : why) {
      if (IsDocumented(rules[Index(r)])) return;
    }
    const std::size_t first = out.size();
    M::Effects(s, op, out);  // appended after the refusal, then tagged
    if (out.size() == first) {
      out.push_back(Departing(s, why.front(), why.front()));
      return;
    }
    for (std::size_t i = first; i < out.size(); ++i) out[i].departs = why.front();
    return;
  }
  // Effects appends to `out` directly: the model's own landings and the
  // departing ones, as AnswersOf lists them.
  const std::size_t first = out.size();
  M::Effects(s, op, out);
  std::size_t own = out.size();
  for (std::size_t i = first; i < out.size(); ++i) {
    if (!out[i].departs) {
      own = i;
      break;
    }
  }
  if (own == out.size()) {
    throw std::logic_error(std::string(M::kName) + ": an op no precondition refuses has no effect");
  }
  // Only a command can be refused by the product; an event or a completion
  // happens, so there is no refusal to allow.
  if (!IsDocumented(rules[Index(out[own].rule)]) && KindOf(op) == OpKind::kCommand) {
    Outcome<typename M::State, RuleId> r = Rejected(s, out[own].rule);
    r.departs = out[own].rule;
    out.push_back(std::move(r));
  }
}

}  // namespace haspec

#endif  // HASPEC_MODEL_CORE_ANSWERS_H_
