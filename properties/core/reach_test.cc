// The routes the gate steers by (engine/reach.h), over every registered
// machine: each route, replayed through the model, reaches the coverage
// item it is filed under; and the search is not vacuous (it finds a route
// to everything a long random walk covers).
#include "engine/reach.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "engine/walk.h"
#include "model/registry.h"

namespace haspec {
namespace {

// Small budgets keep the test quick; the gate uses larger ones.
constexpr RouteOptions kBudget{.max_states = 3'000, .walks = 200, .steps = 40};

// Every state the model may be in after `ops` (each op's landings, or the
// same state when it is refused).
template <Machine M>
std::vector<typename M::State> StatesAfter(const typename M::Config& config,
                                           const std::vector<typename M::Op>& ops) {
  std::vector<typename M::State> cur{M::Initial(config)}, next;
  std::vector<OutcomeOf<M>> outs;
  for (const auto& op : ops) {
    next.clear();
    for (const auto& s : cur) {
      outs.clear();
      M::Outcomes(s, op, outs);
      bool moved = false;
      for (auto& o : outs) {
        if (o.accepted) {
          next.push_back(std::move(o.next));
          moved = true;
        }
      }
      if (!moved) next.push_back(s);
      if (next.size() > 2'000) break;
    }
    cur.swap(next);
  }
  return cur;
}

template <Machine M>
void RoutesReachTheirItems() {
  SCOPED_TRACE(std::string(M::kName));
  const auto config = M::DefaultConfig();
  const Routes<M> r = FindRoutes<M>(config, kBudget);
  ASSERT_FALSE(r.targets.empty());
  const std::size_t n = M::Rules().size(), k = M::Statuses().size();
  std::set<std::size_t> items;
  for (const auto& t : r.targets) {
    EXPECT_TRUE(items.insert(t.item).second) << "two routes to " << t.what;
    // Statuses and state invariants' premises hold in the state a route
    // ends in; every other item (a step invariant's premise too) is about
    // the route's last op.
    const bool premise = t.item >= 2 * n && t.item < 3 * n;
    const bool of_state = t.item >= 2 * n && t.item < 3 * n + k;
    // Probe the states `prefix` may end in, as the search did, with `last`
    // from each when given.
    auto reaches = [&](const std::vector<typename M::Op>& prefix, const typename M::Op* last) {
      Routes<M> again;
      reach_internal::Prober<M> probe(again);
      std::vector<OutcomeOf<M>> outs;
      auto no_route = [] { return std::vector<typename M::Op>{}; };
      for (const auto& s : StatesAfter<M>(config, prefix)) {
        probe.OnState(s, no_route);
        if (last) probe.OnOp(s, *last, outs, no_route);
      }
      bool found = false;
      for (const auto& u : again.targets) found = found || u.item == t.item;
      return found;
    };
    bool reached = of_state && reaches(t.ops, nullptr);
    if (!reached && (!of_state || premise)) {
      ASSERT_FALSE(t.ops.empty()) << t.what;
      const std::vector<typename M::Op> prefix(t.ops.begin(), t.ops.end() - 1);
      reached = reaches(prefix, &t.ops.back());
    }
    EXPECT_TRUE(reached) << "the route filed under \"" << t.what << "\" (" << t.ops.size()
                         << " ops) does not reach it";
  }
}

TEST(Reach, EveryRouteReachesItsItem) {
  ForEachMachine([]<Machine M>() { RoutesReachTheirItems<M>(); });
}

template <Machine M>
void RoutesCoverWhatWalksCover() {
  SCOPED_TRACE(std::string(M::kName));
  const auto config = M::DefaultConfig();
  const Routes<M> r = FindRoutes<M>(config, {.max_states = 20'000, .walks = 1'000});
  const Coverage walked = Walk<M>({.seed = 3, .walks = 200, .steps = 100}, config).coverage;
  std::set<std::string> routed;
  for (const auto& t : r.targets) routed.insert(t.what);
  for (std::size_t i = 0; i < walked.rules.size(); ++i) {
    const std::string id(walked.rules[i]->id);
    if (walked.decided[i]) {
      EXPECT_TRUE(routed.count("decided by " + id)) << id;
    }
    if (walked.refused[i]) {
      EXPECT_TRUE(routed.count("refused by " + id)) << id;
    }
    if (walked.premise[i]) {
      EXPECT_TRUE(routed.count("premise of " + id)) << id;
    }
  }
  for (std::size_t i = 0; i < walked.statuses.size(); ++i) {
    if (walked.status_seen[i]) {
      EXPECT_TRUE(routed.count("status " + std::string(walked.statuses[i]))) << walked.statuses[i];
    }
  }
}

TEST(Reach, RoutesCoverEverythingARandomWalkCovers) {
  ForEachMachine([]<Machine M>() { RoutesCoverWhatWalksCover<M>(); });
}

}  // namespace
}  // namespace haspec
