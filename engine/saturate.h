// Plain breadth-first search of every state reachable from a machine's
// initial state under its complete op list: the finiteness check of the
// core (a machine whose default configuration does not saturate under a
// bound has an unbounded counter somewhere). The fast explorer lives in
// engine/explore.h; this one is deliberately simple and serves as its naive
// twin.
//
//   SaturateReport r = Saturate<Dsm>(Dsm::DefaultConfig(), {.max_states = 1'000'000});
//   if (!r.saturated) ...;   // r.states, r.transitions, r.depth
#ifndef HASPEC_ENGINE_SATURATE_H_
#define HASPEC_ENGINE_SATURATE_H_

#include <cstdint>
#include <deque>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

#include "model/core/machine.h"
#include "model/core/op_spec.h"

namespace haspec {

struct SaturateOptions {
  std::uint64_t max_states = 2'000'000;
  bool departures = false;  // also follow answers that depart from assumptions (not scope rules)
  // Also check every invariant and step rule on every accepted edge
  // (CheckStep on the landing as the op gave it) and record the statuses
  // shown: the naive twin of engine/explore.h.
  bool check = false;
};

struct SaturateReport {
  bool saturated = false;         // every reachable state visited
  std::uint64_t states = 0;       // canonical states
  std::uint64_t transitions = 0;  // accepted (state, op, landing) edges
  std::uint64_t depth = 0;        // longest shortest path
  std::uint64_t ops = 0;          // ops tried per state (the complete list)
  // With `check`: the rules some state or edge breaks (indices into
  // Rules()), and the statuses some status slot shows (indices into
  // Statuses()).
  std::set<std::size_t> broken;
  std::set<int> statuses;
};

template <Machine M>
SaturateReport Saturate(const typename M::Config& config, const SaturateOptions& opt = {}) {
  using State = typename M::State;
  struct Hasher {
    std::size_t operator()(const State& s) const { return M::Hash(s); }
  };
  std::vector<typename M::Op> ops;
  ForEachOp<typename M::Op>(config.nodes, [&](const typename M::Op& op) { ops.push_back(op); });
  SaturateReport r;
  r.ops = ops.size();
  std::unordered_set<State, Hasher> seen;
  std::deque<std::pair<State, std::uint64_t>> frontier;
  State init = M::Canonical(M::Initial(config));
  seen.insert(init);
  frontier.emplace_back(init, 0);
  std::vector<OutcomeOf<M>> outs;
  std::vector<typename M::RuleId> why;
  std::vector<FindingOf<M>> findings;
  std::vector<int> shown;
  auto check_state = [&](const State& s) {
    for (const auto& f : findings) r.broken.insert(Index(f.rule));
    findings.clear();
    shown.clear();
    M::NodeStatuses(s, shown);
    for (int x : shown) {
      if (x >= 0) r.statuses.insert(x);
    }
  };
  if (opt.check) {
    M::CheckInvariants(init, findings);
    check_state(init);
  }
  while (!frontier.empty()) {
    auto [s, d] = std::move(frontier.front());
    frontier.pop_front();
    if (d > r.depth) r.depth = d;
    for (const auto& op : ops) {
      outs.clear();
      if (opt.departures) {
        AnswersOf<M>(s, op, outs, &why);
        // A scope rule (model/core/machine.h) refuses: nothing goes ahead.
        for (auto w : why) {
          if (IsScopeRule<M>(w)) outs.clear();
        }
      } else {
        M::Outcomes(s, op, outs);
      }
      for (auto& o : outs) {
        if (!o.accepted) continue;
        ++r.transitions;
        if (opt.check) {
          CheckStep<M>(s, op, o.next, findings);
          check_state(o.next);
        }
        State c = M::Canonical(o.next);
        if (seen.insert(c).second) {
          if (seen.size() > opt.max_states) {
            r.states = seen.size();
            return r;
          }
          frontier.emplace_back(std::move(c), d + 1);
        }
      }
    }
  }
  r.saturated = true;
  r.states = seen.size();
  return r;
}

}  // namespace haspec

#endif  // HASPEC_ENGINE_SATURATE_H_
