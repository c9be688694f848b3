// What a JSA step costs: Step and the invariant checks allocate nothing when
// no rule is broken. (The step rate is measured by bench/steps_bench, never
// asserted in a test.)
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <vector>

#include "engine/rng.h"
#include "model/jsa/jsa.h"

namespace {
std::atomic<long> allocations{0};
}  // namespace

// Counts every allocation in this test binary.
void* operator new(std::size_t n) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace haspec::jsa {
namespace {

// Seeded walks recorded as (state, op) pairs, restarting every 200 steps.
struct Recorded {
  std::vector<State> states;
  std::vector<Op> ops;
};

Recorded Record(std::size_t n) {
  Recorded r;
  r.states.reserve(n);
  r.ops.reserve(n);
  Rng rng(42);
  std::vector<Op> candidates;
  State s = Jsa::Initial();
  for (std::size_t i = 0; i < n; ++i) {
    if (i % 200 == 0) s = Jsa::Initial();
    candidates.clear();
    Jsa::CandidateOps(s, candidates);
    r.states.push_back(s);
    r.ops.push_back(candidates[rng.Below(candidates.size())]);
    s = Jsa::Step(s, r.ops.back()).next;
  }
  return r;
}

TEST(JsaStepCost, StepAndInvariantChecksDoNotAllocate) {
  const Recorded r = Record(100000);
  std::vector<Jsa::FindingT> findings;
  findings.reserve(16);
  std::size_t broken = 0;
  const long before = allocations.load();
  for (std::size_t i = 0; i < r.ops.size(); ++i) {
    auto o = Jsa::Step(r.states[i], r.ops[i]);
    Jsa::CheckInvariants(o.next, findings);
    Jsa::CheckTransition(r.states[i], r.ops[i], o.next, findings);
    broken += findings.size();
    findings.clear();
  }
  const long during = allocations.load() - before;
  EXPECT_EQ(broken, 0u);
  EXPECT_EQ(during, 0) << during << " allocations in " << r.ops.size() << " steps";
}

}  // namespace
}  // namespace haspec::jsa
