// Building blocks for property tests over any machine.
//
//   // A reachable state: a random trace of candidate ops from Initial().
//   Trace<Dsm> t = *GenTrace<Dsm>();
//   // Apply an op and record which rule decided it (for rule coverage).
//   auto o = Apply<Dsm>(t.last, haspec::dsm::NodeDown{1});
//   RC_ASSERT(!o.accepted);
//   // Does a property catch a broken model? (mutation testing)
//   EXPECT_TRUE(Catches("mutant X", &MyProperty<MutantX>));
//
// Properties are templates over the machine type, so one body runs against
// the model and against each mutant in sut/<machine>/mutants.h.
#ifndef HASPEC_PROPERTIES_CORE_HARNESS_H_
#define HASPEC_PROPERTIES_CORE_HARNESS_H_

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <cstdint>
#include <iostream>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "model/core/machine.h"
#include "model/core/parse_error.h"

namespace haspec::testing {

// While a RecordRules is alive, the IDs of rules that decide a step (Apply)
// and of invariants found broken (BrokenInvariants) are collected.
struct RuleLog {
  std::set<std::string> decided;
  std::set<std::string> broken;
};
inline thread_local RuleLog* rule_log = nullptr;

class RecordRules {
 public:
  explicit RecordRules(RuleLog& into) : prev_(rule_log) { rule_log = &into; }
  ~RecordRules() { rule_log = prev_; }
  RecordRules(const RecordRules&) = delete;
  RecordRules& operator=(const RecordRules&) = delete;

 private:
  RuleLog* prev_;
};

template <Machine M>
void Record(typename M::RuleId r) {
  if (rule_log) rule_log->decided.insert(std::string(RuleOf<M>(r).id));
}

// M::Step, noting the deciding rule for the coverage test.
template <Machine M>
OutcomeOf<M> Apply(const typename M::State& s, const typename M::Op& op) {
  auto o = M::Step(s, op);
  Record<M>(o.rule);
  return o;
}

// Applies ops in order and returns the final state.
template <Machine M>
typename M::State Run(typename M::State s, std::initializer_list<typename M::Op> ops) {
  for (const auto& op : ops) s = Apply<M>(s, op).next;
  return s;
}

// The invariant findings, as one printable string ("" if none).
template <Machine M>
std::string Describe(const std::vector<FindingOf<M>>& f) {
  std::string out;
  for (const auto& x : f) {
    if (rule_log) rule_log->broken.insert(std::string(RuleOf<M>(x.rule).id));
    out += std::string(RuleOf<M>(x.rule).id) + ": " + x.detail + "; ";
  }
  return out;
}

// Findings of the state invariants of `s`.
template <Machine M>
std::string BrokenInvariants(const typename M::State& s) {
  std::vector<FindingOf<M>> f;
  M::CheckInvariants(s, f);
  return Describe<M>(f);
}

// Findings of every invariant after the step before --op--> after.
template <Machine M>
std::string BrokenByStep(const typename M::State& before, const typename M::Op& op,
                         const typename M::State& after) {
  std::vector<FindingOf<M>> f;
  CheckStep<M>(before, op, after, f);
  return Describe<M>(f);
}

// A trace of ops from a start state, with the state after each.
template <Machine M>
struct Trace {
  typename M::State start;
  std::vector<typename M::Op> ops;
  std::vector<typename M::State> states;  // states[i] follows ops[i]
  typename M::State last;
};

template <Machine M>
Trace<M> TraceFrom(const typename M::State& start, const std::vector<std::uint32_t>& picks) {
  Trace<M> t{start, {}, {}, start};
  std::vector<typename M::Op> ops;
  for (std::uint32_t p : picks) {
    ops.clear();
    M::CandidateOps(t.last, ops);
    if (ops.empty()) break;
    const auto& op = ops[p % ops.size()];
    t.ops.push_back(op);
    t.last = Apply<M>(t.last, op).next;
    t.states.push_back(t.last);
  }
  return t;
}

// How RapidCheck prints a Trace in a counterexample (found by ADL).
template <Machine M>
void showValue(const Trace<M>& t, std::ostream& os) {
  os << "trace of " << t.ops.size() << " ops from " << M::Show(t.start) << "\n";
  for (std::size_t i = 0; i < t.ops.size(); ++i) {
    os << "  " << i + 1 << ". " << M::Show(t.ops[i]) << "  ->  " << M::Show(t.states[i]) << "\n";
  }
}

// Random reachable traces from `start`. Shrinks toward fewer, earlier ops.
template <Machine M>
rc::Gen<Trace<M>> GenTraceFrom(typename M::State start) {
  return rc::gen::map(
      rc::gen::container<std::vector<std::uint32_t>>(rc::gen::arbitrary<std::uint32_t>()),
      [start](const std::vector<std::uint32_t>& picks) { return TraceFrom<M>(start, picks); });
}

template <Machine M>
rc::Gen<Trace<M>> GenTrace() {
  return GenTraceFrom<M>(M::Initial());
}

// "accepted by DSM-TR-ADD-STANDBY" / "rejected by DSM-PRE-CLUSTER-FULL".
template <Machine M>
std::string Verdict(const OutcomeOf<M>& o) {
  return std::string(o.accepted ? "accepted by " : "rejected by ") +
         std::string(RuleOf<M>(o.rule).id);
}

// Fails the property unless `outcome` was accepted (or rejected, as
// `want_accepted` says) by the rule `want_rule`.
#define HASPEC_EXPECT_RULE(M, outcome, want_accepted, want_rule)                               \
  do {                                                                                         \
    const auto& o_ = (outcome);                                                                \
    if (o_.accepted != (want_accepted) || o_.rule != (want_rule)) {                            \
      RC_FAIL(std::string("expected ") + ((want_accepted) ? "accepted by " : "rejected by ") + \
              std::string(::haspec::RuleOf<M>(want_rule).id) + ", got " +                      \
              ::haspec::testing::Verdict<M>(o_) + " in " + M::Show(o_.next));                  \
    }                                                                                          \
  } while (0)

// Fails the property if `o` led to a state that breaks an invariant.
#define HASPEC_CHECK_INVARIANTS(M, op, outcome)                                                   \
  do {                                                                                            \
    std::string broken_ = ::haspec::testing::BrokenInvariants<M>((outcome).next);                 \
    if (!broken_.empty()) {                                                                       \
      RC_FAIL("after " + M::Show(op) + ": " + broken_ + "\n  state: " + M::Show((outcome).next)); \
    }                                                                                             \
  } while (0)

// Applies `op` with Apply, fails the property on any invariant the step
// breaks (CheckStep), and returns the outcome.
template <Machine M>
OutcomeOf<M> Checked(const typename M::State& s, const typename M::Op& op) {
  auto o = Apply<M>(s, op);
  std::string broken = BrokenByStep<M>(s, op, o.next);
  if (!broken.empty()) {
    RC_FAIL("after " + M::Show(op) + ": " + broken + "\n  state: " + M::Show(o.next));
  }
  return o;
}

// The message of the ParseError `fn` throws, for codec tests.
template <class F>
std::string ErrorOf(F&& fn) {
  try {
    fn();
  } catch (const ParseError& e) {
    return e.what();
  }
  return "(no error: the input was accepted)";
}

// Runs `property` as a RapidCheck property (its RC_ASSERTs fail it) and
// returns true when RapidCheck finds a counterexample. The shrunk
// counterexample is printed, as for any failing property. When `failing` is
// given, it receives the rules decided and the invariants broken in the
// failing runs only (the counterexample and its shrinking steps), so that a
// caught mutant is credited only with rules its counterexample exercised.
inline bool Catches(std::string_view what, void (*property)(), RuleLog* failing = nullptr) {
  std::cout << "--- expecting a counterexample: " << what << "\n";
  if (failing == nullptr) return !rc::check(std::string(what), property);
  return !rc::check(std::string(what), [property, failing] {
    RuleLog run;
    RecordRules rec(run);
    try {
      property();
    } catch (const rc::detail::CaseResult& r) {
      if (r.type == rc::detail::CaseResult::Type::Failure) {
        failing->decided.insert(run.decided.begin(), run.decided.end());
        failing->broken.insert(run.broken.begin(), run.broken.end());
      }
      throw;
    } catch (...) {
      failing->decided.insert(run.decided.begin(), run.decided.end());
      failing->broken.insert(run.broken.begin(), run.broken.end());
      throw;
    }
  });
}

}  // namespace haspec::testing

#endif  // HASPEC_PROPERTIES_CORE_HARNESS_H_
