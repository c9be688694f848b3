// Routes to everything the coverage record counts: for each coverage item
// (a rule deciding a step, a rule among an op's refusals, an invariant's
// premise holding, a status shown, a status change), the first op sequence
// from a configuration's initial state found to reach it, by a
// breadth-first search of the model (shortest routes) and then random walks
// (deep ones).
//
// The gate uses the routes to steer part of its runs: random sequences
// rarely complete a scenario ten ops deep in a five-node cluster with
// faults (a full cluster, a rolling update half done), and a bug that only
// shows there goes unseen. A run steered to an item replays the route, then
// continues at random.
//
//   Routes<Dsm> r = FindRoutes<Dsm>(config, {.max_states = 20'000});
//   for (const auto& t : r.targets) ...;   // t.what, t.ops
//
// States are deduplicated by the hash of their canonical form only (a
// collision loses a route, never correctness: routes are hints). The search
// search stops at a state budget (see RouteOptions).
#ifndef HASPEC_ENGINE_REACH_H_
#define HASPEC_ENGINE_REACH_H_

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <deque>
#include <string>
#include <unordered_set>
#include <variant>
#include <vector>

#include "engine/coverage.h"
#include "engine/rng.h"
#include "model/core/machine.h"
#include "model/core/op_spec.h"
#include "model/core/scratch.h"

namespace haspec {

// The budgets are counts, so one configuration always gives the same routes
// (a gate run is reproducible from its seed); max_seconds is only a safety
// net for huge configurations, and when it cuts a search short the routes
// depend on the machine's speed. It is generous: under sanitizers the
// default budgets take several seconds for the five-node DSM configuration.
struct RouteOptions {
  std::uint64_t max_states = 10'000;  // breadth-first search budget
  std::uint64_t walks = 1'000;        // then random walks of the model
  std::uint64_t steps = 60;           // per walk
  std::uint64_t seed = 1;
  double max_seconds = 120.0;
};

template <Machine M>
struct Routes {
  struct Target {
    std::string what;                 // e.g. "refused by DSM-PRE-CLUSTER-FULL"
    std::vector<typename M::Op> ops;  // from the initial state
    std::size_t item = 0;             // see CoverageItemSeen
  };
  std::vector<Target> targets;  // in the order found (shortest first)
  std::uint64_t states = 0;     // states visited
  bool complete = false;        // every reachable state was visited
};

// Whether a coverage record counts item (numbered as Routes::Target::item:
// rules deciding, rules refusing, premises, statuses, status changes, an op
// type refused by one rule alone). The record does not count the last kind:
// never seen.
inline bool CoverageItemSeen(const Coverage& c, std::size_t item) {
  const std::size_t n = c.rules.size(), k = c.statuses.size();
  if (item >= 3 * n + k + k * k) return false;
  if (item < n) return c.decided[item] != 0;
  if (item < 2 * n) return c.refused[item - n] != 0;
  if (item < 3 * n) return c.premise[item - 2 * n] != 0;
  if (item < 3 * n + k) return c.status_seen[item - 3 * n] != 0;
  return c.status_moves[item - 3 * n - k] != 0;
}

// The first item number of the last kind (an op type refused by one rule
// alone), which a Coverage does not keep.
inline std::size_t AloneItemBase(const Coverage& c) {
  const std::size_t n = c.rules.size(), k = c.statuses.size();
  return 3 * n + k + k * k;
}

namespace reach_internal {

// Records the coverage items a state and its ops reach, each once, with the
// route that reached it first.
template <Machine M>
class Prober {
 public:
  using State = typename M::State;
  using Op = typename M::Op;

  explicit Prober(Routes<M>& r)
      : r_(r),
        n_(M::Rules().size()),
        k_(M::Statuses().size()),
        v_(std::variant_size_v<Op>),
        found_(3 * n_ + k_ + k_ * k_ + n_ * v_, 0) {
    ForEachOpType<Op>([&]<class T>(std::size_t) { op_names_.emplace_back(T::kName); });
  }

  // Items of state s (premises, statuses); `route` returns the ops that led
  // to s.
  template <class Route>
  void OnState(const State& s, Route&& route) {
    premises_->clear();
    findings_->clear();
    M::CheckInvariants(s, *findings_, &*premises_);
    for (auto p : *premises_) Reach(2 * n_ + static_cast<std::size_t>(p), route, nullptr);
    before_->clear();
    M::NodeStatuses(s, *before_);
    for (int x : *before_) {
      if (x >= 0) Reach(3 * n_ + static_cast<std::size_t>(x), route, nullptr);
    }
  }
  // Items of op in s (the state last given to OnState): refusals, deciding
  // rules, status changes. Fills `outs` with the model's answers.
  template <class Route>
  void OnOp(const State& s, const Op& op, std::vector<OutcomeOf<M>>& outs, Route&& route) {
    refusals_->clear();
    M::Refusals(s, op, *refusals_);
    for (auto f : *refusals_) Reach(n_ + static_cast<std::size_t>(f), route, &op);
    // A bug that drops one precondition (often from one op only) shows
    // only where it is the sole reason for refusing that op.
    if (refusals_->size() == 1) {
      Reach(3 * n_ + k_ + k_ * k_ + static_cast<std::size_t>(refusals_->front()) * v_ + op.index(),
            route, &op);
    }
    outs.clear();
    if (!refusals_->empty()) {
      // A refused op's answer is its first refusal (Outcomes is derived
      // from Refusals and Effects, model/core/answers.h): no need to build
      // it, which copies the state.
      Reach(static_cast<std::size_t>(refusals_->front()), route, &op);
      return;
    }
    M::Outcomes(s, op, outs);
    for (const auto& o : outs) {
      Reach(static_cast<std::size_t>(o.rule), route, &op);
      if (!o.accepted) continue;
      // Step invariants: their premise holds on the step, not in a state.
      if constexpr (kReportsStepPremises<M>) {
        premises_->clear();
        findings_->clear();
        CheckStepRules<M>(s, op, o.next, *findings_, &*premises_);
        for (auto p : *premises_) Reach(2 * n_ + static_cast<std::size_t>(p), route, &op);
      }
      after_->clear();
      M::NodeStatuses(o.next, *after_);
      for (std::size_t i = 0; i < before_->size() && i < after_->size(); ++i) {
        const int x = (*before_)[i], y = (*after_)[i];
        if (x >= 0 && y >= 0 && x != y) {
          Reach(3 * n_ + k_ + static_cast<std::size_t>(x) * k_ + static_cast<std::size_t>(y), route,
                &op);
        }
      }
    }
  }

 private:
  template <class Route>
  void Reach(std::size_t item, Route& route, const Op* last) {
    if (found_[item]) return;
    found_[item] = 1;
    std::vector<Op> ops = route();
    if (last) ops.push_back(*last);
    r_.targets.push_back({Label(item), std::move(ops), item});
  }
  std::string Label(std::size_t item) const {
    if (item < n_) return "decided by " + std::string(M::Rules()[item].id);
    if (item < 2 * n_) return "refused by " + std::string(M::Rules()[item - n_].id);
    if (item < 3 * n_) return "premise of " + std::string(M::Rules()[item - 2 * n_].id);
    if (item < 3 * n_ + k_) return "status " + std::string(M::Statuses()[item - 3 * n_].label);
    if (item >= 3 * n_ + k_ + k_ * k_) {
      const std::size_t m = item - 3 * n_ - k_ - k_ * k_;
      return op_names_[m % v_] + " refused by " + std::string(M::Rules()[m / v_].id) + " alone";
    }
    const std::size_t m = item - 3 * n_ - k_;
    return "status change " + std::string(M::Statuses()[m / k_].label) + " -> " +
           std::string(M::Statuses()[m % k_].label);
  }

  Routes<M>& r_;
  std::size_t n_, k_, v_;
  // Items: decided, refused, premise, status, change, then an op type
  // refused by one rule alone.
  std::vector<char> found_;
  std::vector<std::string> op_names_;
  Scratch<typename M::RuleId> refusals_, premises_;
  Scratch<FindingOf<M>> findings_;
  Scratch<int> before_, after_;
};

}  // namespace reach_internal

// A breadth-first search over the model's canonical states (exact routes,
// shortest, but shallow within the budget); then, with the time left,
// random walks like the gate's own (accepted ops preferred, half of them
// over a random subset of op types), which reach deep scenarios such as a
// cluster filled node by node.
template <Machine M>
Routes<M> FindRoutes(const typename M::Config& config, const RouteOptions& opt = {}) {
  using State = typename M::State;
  using Op = typename M::Op;
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::microseconds(static_cast<std::int64_t>(opt.max_seconds * 1e6));
  std::vector<Op> ops;
  ForEachOp<Op>(
      config.nodes, [&](const Op& op) { ops.push_back(op); }, EnvChoices::kSample);
  Routes<M> r;
  reach_internal::Prober<M> probe(r);
  std::vector<OutcomeOf<M>> outs;

  // The search tree: each visited state's parent and the op that led to it.
  struct Node {
    std::uint32_t parent;
    Op op;
  };
  std::vector<Node> tree{{0, Op{}}};
  std::unordered_set<std::uint64_t> seen;
  std::deque<std::pair<State, std::uint32_t>> frontier;
  const State init = M::Initial(config);
  seen.insert(M::Hash(M::Canonical(init)));
  frontier.emplace_back(init, 0);
  std::uint64_t visited = 0;
  bool out_of_time = false;
  while (!frontier.empty()) {
    if ((visited++ & 255) == 0 && std::chrono::steady_clock::now() > deadline) {
      out_of_time = true;
      break;
    }
    auto [s, at] = std::move(frontier.front());
    frontier.pop_front();
    auto route = [&, at = at] {
      std::vector<Op> path;
      for (std::uint32_t i = at; i != 0; i = tree[i].parent) path.push_back(tree[i].op);
      return std::vector<Op>(path.rbegin(), path.rend());
    };
    probe.OnState(s, route);
    for (const Op& op : ops) {
      probe.OnOp(s, op, outs, route);
      for (const auto& o : outs) {
        if (!o.accepted || seen.size() >= opt.max_states) continue;
        if (seen.insert(M::Hash(M::Canonical(o.next))).second) {
          tree.push_back({at, op});
          frontier.emplace_back(o.next, static_cast<std::uint32_t>(tree.size() - 1));
        }
      }
    }
  }
  r.states = seen.size();
  r.complete = !out_of_time && seen.size() < opt.max_states;
  if (r.complete) return r;
  tree.clear();
  frontier.clear();

  // Walks start from the initial state or from a state where an earlier
  // walk found something new (and the route to it), so that they go deeper
  // and deeper into the scenarios the model allows.
  struct Cell {
    State s;
    std::vector<Op> path;
  };
  std::vector<Cell> archive{{init, {}}};
  Rng rng(opt.seed);
  std::vector<Op> path, cand;
  for (std::uint64_t w = 0; w < opt.walks && std::chrono::steady_clock::now() < deadline; ++w) {
    const std::uint64_t swarm = (w & 1) ? rng.Next() : ~std::uint64_t{0};
    const bool calm = (w & 12) == 12;
    const Cell& from = (w & 2) ? archive[rng.Below(archive.size())] : archive[0];
    State s = from.s;
    path = from.path;
    auto route = [&] { return path; };
    for (std::uint64_t i = 0; i < opt.steps; ++i) {
      const std::size_t known = r.targets.size();
      probe.OnState(s, route);
      cand.clear();
      M::CandidateOps(s, cand);
      for (const Op& op : cand) probe.OnOp(s, op, outs, route);
      if (r.targets.size() > known && path.size() < 4 * opt.steps) {
        for (const Op& op : ops) probe.OnOp(s, op, outs, route);
        archive.push_back({s, path});
      }
      // A quarter of the walks leave events (faults, releases) out: they
      // carry a scenario through (a rolling update, a cluster filling up)
      // that faults would keep interrupting.
      std::erase_if(cand, [&](const Op& c) {
        return !(swarm >> (c.index() % 64) & 1) || (calm && KindOf(c) == OpKind::kEvent);
      });
      if (cand.empty()) M::CandidateOps(s, cand);
      if (cand.empty()) break;
      const Op* op = &cand[rng.Below(cand.size())];
      auto o = M::Step(s, *op);
      for (int d = 1; d < 4 && !o.accepted; ++d) {
        op = &cand[rng.Below(cand.size())];
        o = M::Step(s, *op);
      }
      path.push_back(*op);
      if (o.accepted) s = std::move(o.next);
    }
  }
  return r;
}

}  // namespace haspec

#endif  // HASPEC_ENGINE_REACH_H_
