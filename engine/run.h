// Stepping an op trace through a model: the engine behind `haspec run`.
//
// From Initial(config), each op is answered by the model; a stated
// expectation is compared with every answer the documents allow
// (AnswersOf), so an expectation met only by departing from an assumption
// rule is a *departure*, not a violation, and the run follows that answer.
// Every invariant and step rule is checked after every step. Findings are
// classified once: breaking a documented rule is a violation, breaking only
// an assumption rule is a departure. Under Profile::kFull both fail the
// run; under kDocumentedOnly departures are warnings.
//
//   RunReport r = RunOps<Dsm>(config, trace, {.profile = Profile::kFull},
//                             [](const RunStep<Dsm>& s) { print(s); });
//   return r.failed ? 1 : 0;
#ifndef HASPEC_ENGINE_RUN_H_
#define HASPEC_ENGINE_RUN_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "engine/coverage.h"
#include "engine/op_trace.h"
#include "model/core/answers.h"
#include "model/core/machine.h"

namespace haspec {

enum class Severity : std::uint8_t { kViolation, kDeparture };

inline std::string_view ToString(Severity s) {
  return s == Severity::kViolation ? "violation" : "departure";
}

// A rule found broken at a step, classified by its basis.
template <Machine M>
struct Breach {
  typename M::RuleId rule;
  Severity severity;
  std::string detail;
};

template <Machine M>
struct RunStep {
  int line = 0;
  typename M::Op op;
  OutcomeOf<M> outcome;  // the answer the run followed
  std::vector<typename M::RuleId> refusals;
  std::string expect;  // "" when the line states none
  std::vector<Breach<M>> breaches;
};

struct RunOptions {
  Profile profile = Profile::kFull;
  bool keep_going = false;  // continue after a failing step
};

template <Machine M>
struct RunReport {
  typename M::State initial;
  typename M::State final_state;
  std::size_t steps = 0, accepted = 0, violations = 0, departures = 0;
  bool failed = false;         // a violation, or a departure under kFull
  bool stopped_early = false;  // stopped at the first failing step
  Coverage coverage = NewCoverage<M>();
};

namespace run_internal {

template <Machine M>
bool Meets(const OutcomeOf<M>& a, const std::string& want,
           const std::vector<typename M::RuleId>& refusals) {
  if (want == "accepted") return a.accepted;
  if (want == "rejected") return !a.accepted;
  if (RuleOf<M>(a.rule).id == want) return true;
  // A refusal is right when it is any of the preconditions that forbid the
  // op, whatever order an implementation checks them in.
  if (!a.accepted && !a.departs) {
    for (auto r : refusals) {
      if (RuleOf<M>(r).id == want) return true;
    }
  }
  return false;
}

template <Machine M>
Severity SeverityOf(typename M::RuleId r) {
  return IsDocumented(RuleOf<M>(r)) ? Severity::kViolation : Severity::kDeparture;
}

}  // namespace run_internal

// `on_step` is called after each step (may be empty). Stops after the first
// failing step unless opt.keep_going.
template <Machine M>
RunReport<M> RunOps(const typename M::Config& config, const OpTrace<M>& trace,
                    const RunOptions& opt,
                    const std::function<void(const RunStep<M>&)>& on_step = {}) {
  RunReport<M> r;
  CoverageRecorder<M> rec(r.coverage);
  typename M::State s = M::Initial(config);
  r.initial = s;
  rec.OnState(s);
  std::vector<OutcomeOf<M>> answers;
  std::vector<FindingOf<M>> findings;
  std::vector<typename M::RuleId> premises;
  for (std::size_t i = 0; i < trace.ops.size(); ++i) {
    RunStep<M> st{trace.lines[i], trace.ops[i], M::Step(s, trace.ops[i]), {}, trace.expects[i], {}};
    answers.clear();
    AnswersOf<M>(s, st.op, answers, &st.refusals);
    if (!st.expect.empty()) {
      const OutcomeOf<M>* own = nullptr;
      const OutcomeOf<M>* departing = nullptr;
      for (const auto& a : answers) {
        if (!run_internal::Meets<M>(a, st.expect, st.refusals)) continue;
        if (!a.departs && !own) own = &a;
        if (a.departs && !departing) departing = &a;
      }
      if (own) {
        st.outcome = *own;
      } else if (departing) {
        st.outcome = *departing;
        st.breaches.push_back(
            {*departing->departs, Severity::kDeparture,
             "expected " + st.expect + "; the model " +
                 (st.outcome.accepted ? std::string("refuses") : std::string("accepts")) +
                 " here only by the assumption " + std::string(RuleOf<M>(*departing->departs).id)});
      } else {
        const auto& m = st.outcome;
        st.breaches.push_back({m.rule, Severity::kViolation,
                               "expected " + st.expect + " but the documents allow only " +
                                   (m.accepted ? "acceptance" : "refusal") + " by " +
                                   std::string(RuleOf<M>(m.rule).id)});
      }
    }
    findings.clear();
    premises.clear();
    CheckStep<M>(s, st.op, st.outcome.next, findings, &premises);
    for (auto& f : findings) {
      st.breaches.push_back({f.rule, run_internal::SeverityOf<M>(f.rule), std::move(f.detail)});
    }
    rec.OnStep(s, st.outcome, &st.refusals);
    if (st.outcome.accepted) rec.OnCheckedState(st.outcome.next, premises);
    s = st.outcome.next;
    ++r.steps;
    r.accepted += st.outcome.accepted;
    bool failing = false;
    for (const auto& b : st.breaches) {
      if (b.severity == Severity::kViolation) {
        ++r.violations;
        failing = true;
      } else {
        ++r.departures;
        failing = failing || opt.profile == Profile::kFull;
      }
    }
    r.failed = r.failed || failing;
    if (on_step) on_step(st);
    if (failing && !opt.keep_going) {
      r.stopped_early = i + 1 < trace.ops.size();
      break;
    }
  }
  r.final_state = s;
  return r;
}

}  // namespace haspec

#endif  // HASPEC_ENGINE_RUN_H_
