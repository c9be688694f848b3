// Steps per second, per registered machine, on the walk distribution.
//
// InvariantCheckedSteps/<machine>: op sequences are recorded once from
// seeded walks drawn the way `haspec check` draws them (CandidateOps, up to
// four draws per step preferring an accepted op, restarting every 200
// steps); the timed loop replays them: Step, then every invariant and step
// rule (CheckStep). Candidate enumeration is outside the timed loop.
//
// CheckWalkSteps/<machine>: exactly what `haspec check` does per step, timed
// whole: CandidateOps, the draws, Step, CheckStep with invariant premises,
// coverage, advisories (engine/walk.h).
//
// Each figure carries the share of steps the model accepted ("accepted"),
// since a refused op is cheaper than an accepted one.
//
//   build/default/bench/steps_bench --benchmark_min_time=1
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "engine/rng.h"
#include "engine/walk.h"
#include "model/registry.h"

namespace haspec {
namespace {

constexpr std::size_t kWalkLength = 200;
constexpr std::size_t kRecorded = 1 << 16;
constexpr int kDraws = 4;  // as WalkOptions::draws

template <Machine M>
std::vector<typename M::Op> RecordWalks(std::uint64_t seed) {
  std::vector<typename M::Op> ops, candidates;
  ops.reserve(kRecorded);
  Rng rng(seed);
  const typename M::State init = M::Initial();
  typename M::State s = init;
  while (ops.size() < kRecorded) {
    if (ops.size() % kWalkLength == 0) s = init;
    candidates.clear();
    M::CandidateOps(s, candidates);
    const typename M::Op* op = &candidates[rng.Below(candidates.size())];
    auto o = M::Step(s, *op);
    for (int d = 1; d < kDraws && !o.accepted; ++d) {
      op = &candidates[rng.Below(candidates.size())];
      o = M::Step(s, *op);
    }
    ops.push_back(*op);
    s = o.next;
  }
  return ops;
}

template <Machine M>
void InvariantCheckedSteps(benchmark::State& bs) {
  const auto ops = RecordWalks<M>(42);
  std::vector<FindingOf<M>> findings;
  std::size_t i = 0, broken = 0, accepted = 0;
  const typename M::State init = M::Initial();
  typename M::State s = init;
  for (auto _ : bs) {
    if (i % kWalkLength == 0) s = init;
    auto o = M::Step(s, ops[i]);
    CheckStep<M>(s, ops[i], o.next, findings);
    accepted += o.accepted;
    s = std::move(o.next);
    broken += findings.size();
    findings.clear();
    benchmark::DoNotOptimize(s);
    if (++i == ops.size()) i = 0;
  }
  if (broken) bs.SkipWithError("an invariant broke during the benchmark");
  bs.SetItemsProcessed(static_cast<std::int64_t>(bs.iterations()));
  bs.counters["accepted"] = static_cast<double>(accepted) / static_cast<double>(bs.iterations());
}

template <Machine M>
void CheckWalkSteps(benchmark::State& bs) {
  std::uint64_t steps = 0, accepted = 0, seed = 1;
  for (auto _ : bs) {
    WalkReport<M> r = Walk<M>({.seed = seed++, .walks = 1, .steps = kWalkLength});
    if (r.violation) bs.SkipWithError("a rule broke during the benchmark");
    steps += r.coverage.steps;
    accepted += r.coverage.accepted;
  }
  bs.SetItemsProcessed(static_cast<std::int64_t>(steps));
  bs.counters["accepted"] = static_cast<double>(accepted) / static_cast<double>(steps);
}

const bool kRegistered = [] {
  ForEachMachine([]<Machine M>() {
    benchmark::RegisterBenchmark(("InvariantCheckedSteps/" + std::string(M::kName)).c_str(),
                                 &InvariantCheckedSteps<M>);
    benchmark::RegisterBenchmark(("CheckWalkSteps/" + std::string(M::kName)).c_str(),
                                 &CheckWalkSteps<M>);
  });
  return true;
}();

}  // namespace
}  // namespace haspec

BENCHMARK_MAIN();
