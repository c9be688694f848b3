// One coverage record for every engine (walks today; the gate, replay and
// the explorer fill the same type): which rules decided a step, which
// preconditions refused, which invariants had their premise hold (checked
// non-vacuously, not merely evaluated), which advisories fired, and which
// statuses and status changes the status slots showed.
//
//   Coverage c = NewCoverage<Dsm>();
//   CoverageRecorder<Dsm> rec(c);
//   rec.OnState(s);                                  // initial state
//   rec.OnStep(s, outcome, &refusals);               // after each step
//   rec.OnState(outcome.next);
//   std::cout << CoverageText(c);
//   double pct = c.RulePercent();                    // rules exercised
#ifndef HASPEC_ENGINE_COVERAGE_H_
#define HASPEC_ENGINE_COVERAGE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/core/machine.h"
#include "model/core/scratch.h"

namespace haspec {

struct Coverage {
  std::string machine;
  std::vector<const Rule*> rules;
  std::vector<std::string_view> statuses;  // labels, indexed like Statuses()
  std::uint64_t steps = 0, accepted = 0, rejected = 0, states = 0;
  std::vector<std::uint64_t> decided;       // per rule: steps it decided
  std::vector<std::uint64_t> refused;       // per rule: times among an op's refusals
  std::vector<std::uint64_t> premise;       // per invariant: states where its premise held
  std::vector<std::uint64_t> advised;       // per advisory: findings
  std::vector<std::uint64_t> status_seen;   // per status: status slots showing it
  std::vector<std::uint64_t> status_moves;  // [from * n + to]: a slot changed from -> to

  // A rule counts as exercised when it decided or refused a step, when its
  // premise held (invariants), or when it fired (advisories).
  bool Exercised(std::size_t i) const {
    return decided[i] || refused[i] || premise[i] || advised[i];
  }
  std::size_t ExercisedCount() const {
    std::size_t n = 0;
    for (std::size_t i = 0; i < rules.size(); ++i) n += Exercised(i);
    return n;
  }
  double RulePercent() const {
    return rules.empty()
               ? 100.0
               : 100.0 * static_cast<double>(ExercisedCount()) / static_cast<double>(rules.size());
  }
  // Adds another record of the same machine.
  void Merge(const Coverage& o) {
    steps += o.steps;
    accepted += o.accepted;
    rejected += o.rejected;
    states += o.states;
    auto add = [](std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b) {
      for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) a[i] += b[i];
    };
    add(decided, o.decided);
    add(refused, o.refused);
    add(premise, o.premise);
    add(advised, o.advised);
    add(status_seen, o.status_seen);
    add(status_moves, o.status_moves);
  }
};

template <Machine M>
Coverage NewCoverage() {
  Coverage c;
  c.machine = std::string(M::kName);
  for (const Rule& r : M::Rules()) c.rules.push_back(&r);
  for (const StatusInfo& s : M::Statuses()) c.statuses.push_back(s.label);
  const std::size_t n = c.rules.size(), k = c.statuses.size();
  c.decided.assign(n, 0);
  c.refused.assign(n, 0);
  c.premise.assign(n, 0);
  c.advised.assign(n, 0);
  c.status_seen.assign(k, 0);
  c.status_moves.assign(k * k, 0);
  return c;
}

// Fills a Coverage from the states and steps an engine visits.
template <Machine M>
class CoverageRecorder {
 public:
  explicit CoverageRecorder(Coverage& c) : c_(c) {}

  // A state the engine reached: premises, advisories and statuses.
  void OnState(const typename M::State& s) {
    Scratch<FindingOf<M>> findings;
    Scratch<typename M::RuleId> premises;
    M::CheckInvariants(s, *findings, &*premises);
    OnCheckedState(s, *premises);
  }
  // The same, for an engine that already ran CheckInvariants (or CheckStep)
  // with a premises list.
  void OnCheckedState(const typename M::State& s, const std::vector<typename M::RuleId>& premises) {
    ++c_.states;
    for (auto r : premises) ++c_.premise[Index(r)];
    Scratch<FindingOf<M>> findings;
    M::CheckAdvisories(s, *findings);
    for (const auto& f : *findings) ++c_.advised[Index(f.rule)];
    Scratch<int> st;
    M::NodeStatuses(s, *st);
    for (int x : *st) {
      if (x >= 0) ++c_.status_seen[static_cast<std::size_t>(x)];
    }
  }

  // The premises of the step invariants (CheckTransition) on an accepted
  // step, for an engine that records the state after it with OnState,
  // which checks the state's invariants only. (CheckStep with a premises
  // list gives both; pass those to OnCheckedState instead.)
  void OnTransition(const typename M::State& before, const typename M::Op& op,
                    const typename M::State& after) {
    if constexpr (kReportsStepPremises<M>) {
      Scratch<FindingOf<M>> findings;
      Scratch<typename M::RuleId> premises;
      CheckStepRules<M>(before, op, after, *findings, &*premises);
      for (auto r : *premises) ++c_.premise[Index(r)];
    }
  }

  // A step: the deciding rule, the refusals (when known) and the status
  // changes. Record the state it lands in with OnState / OnCheckedState.
  void OnStep(const typename M::State& before, const OutcomeOf<M>& o,
              const std::vector<typename M::RuleId>* refusals = nullptr) {
    ++c_.steps;
    (o.accepted ? c_.accepted : c_.rejected) += 1;
    ++c_.decided[Index(o.rule)];
    if (refusals) {
      for (auto r : *refusals) ++c_.refused[Index(r)];
    } else if (!o.accepted) {
      ++c_.refused[Index(o.rule)];
    }
    if (o.accepted) {
      Scratch<int> a, b;
      M::NodeStatuses(before, *a);
      M::NodeStatuses(o.next, *b);
      const std::size_t k = c_.statuses.size();
      for (std::size_t i = 0; i < a->size() && i < b->size(); ++i) {
        int x = (*a)[i], y = (*b)[i];
        if (x >= 0 && y >= 0 && x != y) {
          ++c_.status_moves[static_cast<std::size_t>(x) * k + static_cast<std::size_t>(y)];
        }
      }
    }
  }

 private:
  Coverage& c_;
};

// A human summary: counts, rules never exercised, statuses never shown.
inline std::string CoverageText(const Coverage& c) {
  std::string out = c.machine + ": " + std::to_string(c.steps) + " steps (" +
                    std::to_string(c.accepted) + " accepted), " + std::to_string(c.states) +
                    " states; rules exercised " + std::to_string(c.ExercisedCount()) + "/" +
                    std::to_string(c.rules.size());
  std::string missed;
  for (std::size_t i = 0; i < c.rules.size(); ++i) {
    if (!c.Exercised(i)) missed += " " + std::string(c.rules[i]->id);
  }
  if (!missed.empty()) out += "\n  not exercised:" + missed;
  std::string unseen;
  for (std::size_t i = 0; i < c.statuses.size(); ++i) {
    if (!c.status_seen[i]) unseen += " \"" + std::string(c.statuses[i]) + "\"";
  }
  if (!unseen.empty()) out += "\n  statuses never shown:" + unseen;
  std::size_t moves = 0;
  for (auto m : c.status_moves) moves += m != 0;
  out += "\n  distinct status changes seen: " + std::to_string(moves);
  return out;
}

}  // namespace haspec

#endif  // HASPEC_ENGINE_COVERAGE_H_
