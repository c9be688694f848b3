// Random walks over a machine: the engine behind `haspec check`, the rule
// coverage test and the step benchmark.
//
// From Initial(config), each step picks one of CandidateOps(state) (the
// machine's weighted walk distribution) with a seeded generator, applies
// Step, checks every invariant and step rule (CheckStep) and records
// coverage. The first broken rule stops the run and keeps the op trace that
// led to it.
//
//   haspec::WalkOptions opt{.seed = 7, .walks = 100, .steps = 200};
//   haspec::WalkReport<Dsm> r = haspec::Walk<Dsm>(opt);
//   if (r.violation) std::cout << r.violation->finding.detail;
//   std::cout << CoverageText(r.coverage);
#ifndef HASPEC_ENGINE_WALK_H_
#define HASPEC_ENGINE_WALK_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "engine/coverage.h"
#include "engine/rng.h"
#include "model/core/machine.h"

namespace haspec {

struct WalkOptions {
  std::uint64_t seed = 1;
  std::uint64_t walks = 100;
  std::uint64_t steps = 200;  // per walk
  Profile profile = Profile::kFull;
  // Draws per step while looking for an accepted op: refused ops are cheap
  // to try but keep a walk from going deep. 1 = uniform over candidates.
  int draws = 4;
  // Called after each walk with (walks done, walks total); may be empty.
  std::function<void(std::uint64_t, std::uint64_t)> progress;
};

template <Machine M>
struct WalkViolation {
  std::uint64_t walk = 0;
  std::vector<typename M::Op> trace;  // ops from Initial(config) to the violation
  typename M::State state;            // the state that breaks the rule
  FindingOf<M> finding;
};

template <Machine M>
struct WalkReport {
  Coverage coverage = NewCoverage<M>();
  std::optional<WalkViolation<M>> violation;
};

template <Machine M>
WalkReport<M> Walk(const WalkOptions& opt, const typename M::Config& config = M::DefaultConfig()) {
  const auto rules = M::Rules();
  WalkReport<M> r;
  CoverageRecorder<M> rec(r.coverage);
  Rng rng(opt.seed);
  const typename M::State init = M::Initial(config);
  std::vector<typename M::Op> ops, trace;
  std::vector<FindingOf<M>> findings;
  std::vector<typename M::RuleId> premises;
  for (std::uint64_t w = 0; w < opt.walks && !r.violation; ++w) {
    typename M::State s = init;
    trace.clear();
    rec.OnState(s);
    for (std::uint64_t i = 0; i < opt.steps; ++i) {
      ops.clear();
      M::CandidateOps(s, ops);
      if (ops.empty()) break;
      const typename M::Op* op = &ops[rng.Below(ops.size())];
      auto o = M::Step(s, *op);
      for (int d = 1; d < opt.draws && !o.accepted; ++d) {
        op = &ops[rng.Below(ops.size())];
        o = M::Step(s, *op);
      }
      trace.push_back(*op);
      rec.OnStep(s, o);
      findings.clear();
      premises.clear();
      CheckStep<M>(s, *op, o.next, findings, &premises);
      if (o.accepted) rec.OnCheckedState(o.next, premises);
      s = std::move(o.next);
      for (auto& f : findings) {
        if (!Enforced(rules[Index(f.rule)], opt.profile)) continue;
        r.violation = WalkViolation<M>{w, trace, s, std::move(f)};
        break;
      }
      if (r.violation) break;
    }
    if (opt.progress) opt.progress(w + 1, opt.walks);
  }
  return r;
}

}  // namespace haspec

#endif  // HASPEC_ENGINE_WALK_H_
