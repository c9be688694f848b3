// Invariant-checked steps per second, per registered machine.
//
// Op sequences are recorded once from seeded random walks (CandidateOps from
// Initial(), restarting every 200 steps); the timed loop replays them: Step,
// then every invariant (CheckStep: state invariants, plus rules about the step
// where a machine has them). Candidate enumeration is outside the
// timed loop because the figure is about the model, not the generator.
//
//   build/default/bench/steps_bench --benchmark_min_time=1
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "engine/rng.h"
#include "model/registry.h"

namespace haspec {
namespace {

constexpr std::size_t kWalkLength = 200;
constexpr std::size_t kRecorded = 1 << 16;

template <Machine M>
std::vector<typename M::Op> RecordWalks(std::uint64_t seed) {
  std::vector<typename M::Op> ops, candidates;
  ops.reserve(kRecorded);
  Rng rng(seed);
  typename M::State s = M::Initial();
  while (ops.size() < kRecorded) {
    if (ops.size() % kWalkLength == 0) s = M::Initial();
    candidates.clear();
    M::CandidateOps(s, candidates);
    const auto& op = candidates[rng.Below(candidates.size())];
    ops.push_back(op);
    s = M::Step(s, op).next;
  }
  return ops;
}

template <Machine M>
void InvariantCheckedSteps(benchmark::State& bs) {
  const auto ops = RecordWalks<M>(42);
  std::vector<FindingOf<M>> findings;
  std::size_t i = 0, broken = 0;
  typename M::State s = M::Initial();
  for (auto _ : bs) {
    if (i % kWalkLength == 0) s = M::Initial();
    auto o = M::Step(s, ops[i]);
    CheckStep<M>(s, ops[i], o.next, findings);
    s = o.next;
    broken += findings.size();
    findings.clear();
    benchmark::DoNotOptimize(s);
    if (++i == ops.size()) i = 0;
  }
  if (broken) bs.SkipWithError("an invariant broke during the benchmark");
  bs.SetItemsProcessed(static_cast<std::int64_t>(bs.iterations()));
}

template <Machine M>
void CandidateOpsAndStep(benchmark::State& bs) {
  std::vector<typename M::Op> candidates;
  Rng rng(7);
  std::size_t i = 0;
  typename M::State s = M::Initial();
  for (auto _ : bs) {
    if (i++ % kWalkLength == 0) s = M::Initial();
    candidates.clear();
    M::CandidateOps(s, candidates);
    s = M::Step(s, candidates[rng.Below(candidates.size())]).next;
    benchmark::DoNotOptimize(s);
  }
  bs.SetItemsProcessed(static_cast<std::int64_t>(bs.iterations()));
}

const bool kRegistered = [] {
  ForEachMachine([]<Machine M>() {
    benchmark::RegisterBenchmark(("InvariantCheckedSteps/" + std::string(M::kName)).c_str(),
                                 &InvariantCheckedSteps<M>);
    benchmark::RegisterBenchmark(("RandomWalkSteps/" + std::string(M::kName)).c_str(),
                                 &CandidateOpsAndStep<M>);
  });
  return true;
}();

}  // namespace
}  // namespace haspec

BENCHMARK_MAIN();
