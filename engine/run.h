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
// A line's "obs" (a partial observation) is checked after its op against
// the set of model states consistent with the trace so far
// (engine/consistent.h, as the gate checks an implementation): every
// landing the documents allow for each op, kept when it meets the line's
// expectation and fits every observation. An observation no such state
// fits is a violation of the rules the machine's Consistent names; one
// that fits only states reached by departing from an assumption is a
// departure from it. The run then follows a state the observation fits.
// A trace without observations is stepped exactly as before (one state).
//
//   RunReport r = RunOps<Dsm>(config, trace, {.profile = Profile::kFull},
//                             [](const RunStep<Dsm>& s) { print(s); });
//   return r.failed ? 1 : 0;
#ifndef HASPEC_ENGINE_RUN_H_
#define HASPEC_ENGINE_RUN_H_

#include <algorithm>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "engine/consistent.h"
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
  // What the product answered, when the line recorded it: "accepted",
  // "rejected" or "" (unknown), and a rule ID or "".
  std::string result, reason;
  // The line's observation and how it fits the states consistent with the
  // trace so far (seen_why: the rules SetVerdict names); unset when the
  // line has none.
  std::optional<typename M::Observation> seen;
  Fit seen_fit = Fit::kMatch;
  std::vector<FindingOf<M>> seen_why;
  // The initial observation line: no op; outcome.next is the initial state.
  bool initial = false;
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
  std::size_t observations = 0;  // "obs" fields checked
  bool failed = false;           // a violation, or a departure under kFull
  bool stopped_early = false;    // stopped at the first failing step
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

// What a line wants of the answer, for reports: "rejected",
// "result rejected, reason RULE", "DSM-PRE-X, result accepted"; "" for none.
inline std::string Wanted(const std::string& expect, const std::string& result,
                          const std::string& reason) {
  std::string out = expect;
  if (!result.empty()) out += (out.empty() ? "" : ", ") + std::string("result ") + result;
  if (!reason.empty()) out += (out.empty() ? "" : ", ") + std::string("reason ") + reason;
  return out;
}

template <Machine M>
Severity SeverityOf(typename M::RuleId r) {
  return IsDocumented(RuleOf<M>(r)) ? Severity::kViolation : Severity::kDeparture;
}

template <class T>
bool Contains(const std::vector<T>& v, const T& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// Findings of a set verdict: a mismatch is a violation of each rule it
// names; a departure is reported once per assumption over the whole run
// (once departed, every later verdict of the set names it again).
template <Machine M>
void AddSetBreaches(const SetVerdict<M>& v, const std::string& prefix,
                    std::vector<typename M::RuleId>& reported, std::vector<Breach<M>>& out) {
  if (v.fit == Fit::kMismatch) {
    for (const auto& w : v.why) out.push_back({w.rule, Severity::kViolation, prefix + w.detail});
    return;
  }
  if (v.fit != Fit::kDeparture) return;
  for (const auto& w : v.why) {
    if (Contains(reported, w.rule)) continue;
    reported.push_back(w.rule);
    out.push_back({w.rule, Severity::kDeparture,
                   prefix + "fits only a landing that departs from the assumption " +
                       std::string(RuleOf<M>(w.rule).id)});
  }
}

}  // namespace run_internal

// How a set verdict reads in reports.
inline std::string_view ToString(Fit f) {
  switch (f) {
    case Fit::kMatch:
      return "match";
    case Fit::kDeparture:
      return "departure";
    case Fit::kMismatch:
      return "mismatch";
  }
  return "?";
}

// `on_step` is called after each step (may be empty), and first for the
// initial observation line when the trace has one. Stops after the first
// failing step unless opt.keep_going.
template <Machine M>
RunReport<M> RunOps(const typename M::Config& config, const OpTrace<M>& trace,
                    const RunOptions& opt,
                    const std::function<void(const RunStep<M>&)>& on_step = {}) {
  using RuleId = typename M::RuleId;
  RunReport<M> r;
  CoverageRecorder<M> rec(r.coverage);
  typename M::State s = M::Initial(config);
  r.initial = s;
  rec.OnState(s);
  std::vector<OutcomeOf<M>> answers;
  std::vector<FindingOf<M>> findings;
  std::vector<RuleId> premises;
  // Only a trace with observations tracks the set of consistent states.
  const bool observing = trace.HasObservations();
  ConsistentSet<M> set({s});
  std::vector<RuleId> reported;  // departures reported so far
  // Counts the step's findings and reports it; true when the run stops.
  auto finish = [&](const RunStep<M>& st, bool more) {
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
      r.stopped_early = more;
      return true;
    }
    return false;
  };
  if (trace.initial_observation) {
    RunStep<M> st{};
    st.line = trace.initial_observation_line;
    st.initial = true;
    st.outcome.next = s;
    st.seen = trace.initial_observation;
    auto w = set.See(*st.seen);
    st.seen_fit = w.fit;
    st.seen_why = w.why;
    ++r.observations;
    run_internal::AddSetBreaches<M>(w, "the initial observation ", reported, st.breaches);
    if (finish(st, !trace.ops.empty())) {
      r.final_state = s;
      return r;
    }
  }
  for (std::size_t i = 0; i < trace.ops.size(); ++i) {
    RunStep<M> st{trace.lines[i], trace.ops[i], M::Step(s, trace.ops[i]), {}, trace.expects[i], {}};
    if (i < trace.results.size()) st.result = trace.results[i];
    if (i < trace.reasons.size()) st.reason = trace.reasons[i];
    answers.clear();
    AnswersOf<M>(s, st.op, answers, &st.refusals);
    bool expect_violated = false, expect_departed = false;
    // The expectation and the recorded answer (result, reason) alike: the
    // answer the run follows must meet every one the line states.
    auto meets = [&](const OutcomeOf<M>& a, const std::vector<RuleId>& refusals) {
      return (st.expect.empty() || run_internal::Meets<M>(a, st.expect, refusals)) &&
             (st.result.empty() || run_internal::Meets<M>(a, st.result, refusals)) &&
             (st.reason.empty() || (!a.accepted && run_internal::Meets<M>(a, st.reason, refusals)));
    };
    const std::string wanted = run_internal::Wanted(st.expect, st.result, st.reason);
    if (!wanted.empty()) {
      const OutcomeOf<M>* own = nullptr;
      const OutcomeOf<M>* departing = nullptr;
      for (const auto& a : answers) {
        if (!meets(a, st.refusals)) continue;
        if (!a.departs && !own) own = &a;
        if (a.departs && !departing) departing = &a;
      }
      if (own) {
        st.outcome = *own;
      } else if (departing) {
        st.outcome = *departing;
        expect_departed = true;
        st.breaches.push_back(
            {*departing->departs, Severity::kDeparture,
             "expected " + wanted + "; the model " +
                 (st.outcome.accepted ? std::string("refuses") : std::string("accepts")) +
                 " here only by the assumption " + std::string(RuleOf<M>(*departing->departs).id)});
      } else {
        const auto& m = st.outcome;
        expect_violated = true;
        st.breaches.push_back({m.rule, Severity::kViolation,
                               "expected " + wanted + " but the documents allow only " +
                                   (m.accepted ? "acceptance" : "refusal") + " by " +
                                   std::string(RuleOf<M>(m.rule).id)});
      }
    }
    const typename M::State* before = &s;
    std::vector<typename ConsistentSet<M>::Member> members_before;
    if (observing) {
      members_before = set.members();
      auto v = set.AnswerIf({st.op}, meets);
      if (v.fit == Fit::kMismatch) {
        // No state the set holds gives that answer (a violation the single
        // state reported above): go on from the followed answer, as without
        // observations.
        set = ConsistentSet<M>({st.outcome.next});
      } else {
        // The set's verdict is the gate's: a landing of an earlier step that
        // the followed state did not take may give the answer.
        if (expect_violated || (expect_departed && v.fit == Fit::kMatch)) {
          st.breaches.clear();
        } else if (expect_departed) {
          reported.push_back(*st.outcome.departs);
        }
        run_internal::AddSetBreaches<M>(
            v, "the answer " + (wanted.empty() ? std::string() : wanted + " "), reported,
            st.breaches);
      }
      if (trace.observations[i]) {
        st.seen = trace.observations[i];
        auto w = set.See(*st.seen);
        st.seen_fit = w.fit;
        st.seen_why = w.why;
        ++r.observations;
        run_internal::AddSetBreaches<M>(w, "the observation ", reported, st.breaches);
      }
      // Follow a state the set holds: the one followed so far when it is
      // still there, else one reached without departing if any.
      bool kept = false;
      for (const auto& m : set.members()) kept = kept || m.state == st.outcome.next;
      if (!kept && !set.empty()) {
        const auto* pick = &set.members().front();
        for (const auto& m : set.members()) {
          if (!m.departed) {
            pick = &m;
            break;
          }
        }
        for (const auto& b : members_before) {
          std::vector<OutcomeOf<M>> alt;
          std::vector<RuleId> refusals;
          AnswersOf<M>(b.state, st.op, alt, &refusals);
          for (const auto& a : alt) {
            if (a.next == pick->state && meets(a, refusals)) {
              st.outcome = a;
              st.refusals = refusals;
              before = &b.state;
              kept = true;
              break;
            }
          }
          if (kept) break;
        }
      }
    }
    findings.clear();
    premises.clear();
    CheckStep<M>(*before, st.op, st.outcome.next, findings, &premises);
    for (auto& f : findings) {
      st.breaches.push_back({f.rule, run_internal::SeverityOf<M>(f.rule), std::move(f.detail)});
    }
    rec.OnStep(*before, st.outcome, &st.refusals);
    if (st.outcome.accepted) rec.OnCheckedState(st.outcome.next, premises);
    s = st.outcome.next;
    ++r.steps;
    r.accepted += st.outcome.accepted;
    if (finish(st, i + 1 < trace.ops.size())) break;
  }
  r.final_state = s;
  return r;
}

}  // namespace haspec

#endif  // HASPEC_ENGINE_RUN_H_
