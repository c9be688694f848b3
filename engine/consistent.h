// The set of model states consistent with everything seen so far: the
// machinery the gate (answers of an implementation) and replay (partial
// observations of a recorded cluster) share.
//
// Each member is a model state plus, when the path to it departed from an
// assumption rule (an answer or status the documents allow but the model
// did not choose), the first such rule. A state reached both ways is kept
// once, without the departure.
//
//   ConsistentSet<Dsm> set({Dsm::Initial(config)});
//   auto v = set.Answer(op, {.accepted = false, .reason = RuleId::kPreClusterFull});
//   auto w = set.See(observation);
//   if (w.fit == Fit::kMismatch) report(w.why);
//   set.Hidden(2, nodes);   // events or completions nobody logged, up to 2 deep
#ifndef HASPEC_ENGINE_CONSISTENT_H_
#define HASPEC_ENGINE_CONSISTENT_H_

#include <cstddef>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/state_bytes.h"
#include "model/core/answers.h"
#include "model/core/machine.h"
#include "model/core/op_spec.h"

namespace haspec {

// What came back for one op. Unknown parts (a log that does not say) are
// left empty and match anything.
template <Machine M>
struct Reply {
  std::optional<bool> accepted;
  std::optional<typename M::RuleId> reason;  // for a refusal: any precondition that forbids
};

// The fit of one step or observation with the set, and why.
template <Machine M>
struct SetVerdict {
  Fit fit = Fit::kMatch;
  // kDeparture: the assumption rules departed from; kMismatch: the rules
  // that decided the model's answers (or the documented rules a status
  // contradicts), with details.
  std::vector<FindingOf<M>> why;
};

template <Machine M>
class ConsistentSet {
 public:
  using State = typename M::State;
  using RuleId = typename M::RuleId;

  struct Member {
    State state;
    std::optional<RuleId> departed;  // first assumption departed from on the way
  };

  explicit ConsistentSet(const std::vector<State>& initial, std::size_t max_states = 100'000)
      : max_states_(max_states) {
    for (const auto& s : initial) Add(members_, index_, {s, std::nullopt});
  }

  const std::vector<Member>& members() const { return members_; }
  std::size_t size() const { return members_.size(); }
  bool empty() const { return members_.empty(); }
  // True when the set hit max_states and dropped states (verdicts may then
  // report a mismatch that a larger bound would have explained).
  bool truncated() const { return truncated_; }

  // Keeps the answers of `op` that fit `reply`. When none fits, the set is
  // left unchanged and the verdict says why.
  SetVerdict<M> Answer(const typename M::Op& op, const Reply<M>& reply) {
    return Answer(std::vector<typename M::Op>{op}, reply);
  }

  // The same for an op whose environment choices the implementation made
  // itself: any of `alternatives` (the op with each value of those fields)
  // may be what happened.
  SetVerdict<M> Answer(const std::vector<typename M::Op>& alternatives, const Reply<M>& reply) {
    return AnswerIf(alternatives, [&](const OutcomeOf<M>& a, const std::vector<RuleId>& refusals) {
      return Fits(a, reply, refusals);
    });
  }

  // The same, keeping the answers for which `fits(answer, refusals)` holds
  // (refusals: every precondition that forbids the op in that member).
  // Replay states what came back as "accepted", "rejected" or a rule ID,
  // which a Reply cannot say (a rule that decides an acceptance).
  template <class FitsFn>
  SetVerdict<M> AnswerIf(const std::vector<typename M::Op>& alternatives, FitsFn fits) {
    // The set's own buffers: replay and the gate call this once per event,
    // and fresh vectors each time were most of the set's cost.
    std::vector<Member>& next = buf_.next;
    Index& idx = buf_.index;
    std::vector<OutcomeOf<M>>& answers = buf_.answers;
    std::vector<RuleId>& refusals = buf_.refusals;
    next.clear();
    if (!idx.empty()) idx.clear();
    SetVerdict<M> v;
    for (const Member& m : members_) {
      for (const auto& op : alternatives) {
        answers.clear();
        AnswersOf<M>(m.state, op, answers, &refusals);
        for (const auto& a : answers) {
          if (!fits(a, std::as_const(refusals))) continue;
          auto dep = m.departed ? m.departed : a.departs;
          Add(next, idx, {a.next, dep});
        }
      }
    }
    if (!next.empty()) {
      members_.swap(next);
      index_.swap(idx);
      return Summarise();
    }
    // No answer fits: the explanation says what the model itself answered.
    for (const Member& m : members_) {
      for (const auto& op : alternatives) {
        answers.clear();
        AnswersOf<M>(m.state, op, answers, &refusals);
        const auto own = M::Step(m.state, op);
        std::string what = own.accepted ? "the model accepts" : "the model refuses";
        if (!own.accepted && refusals.size() > 1) {
          what += " (also refused by";
          for (std::size_t i = 1; i < refusals.size(); ++i) {
            what += " " + std::string(RuleOf<M>(refusals[i]).id);
          }
          what += ")";
        }
        v.why.push_back({own.rule, what});
      }
    }
    v.fit = Fit::kMismatch;
    Dedupe(v.why);
    return v;
  }

  // Keeps the states a (partial) observation fits.
  SetVerdict<M> See(const typename M::Observation& obs) {
    std::vector<Member>& next = buf_.next;
    Index& idx = buf_.index;
    std::vector<FindingOf<M>>& why = buf_.why;
    next.clear();
    if (!idx.empty()) idx.clear();
    SetVerdict<M> v;
    for (const Member& m : members_) {
      why.clear();
      Fit f = M::Consistent(m.state, obs, &why);
      if (f == Fit::kMismatch) {
        for (auto& w : why) v.why.push_back(std::move(w));
        continue;
      }
      std::optional<RuleId> dep = m.departed;
      if (f == Fit::kDeparture && !dep && !why.empty()) dep = why.front().rule;
      Add(next, idx, {m.state, dep});
    }
    if (next.empty()) {
      v.fit = Fit::kMismatch;
      Dedupe(v.why);
      return v;
    }
    members_.swap(next);
    index_.swap(idx);
    return Summarise();
  }

  // Adds every state reachable by up to `depth` hidden steps: accepted ops
  // of kind event or completion (and, with commands = true, commands nobody
  // logged), every field value in its domain.
  void Hidden(int depth, const Nodes& nodes, bool commands = false) {
    std::vector<typename M::Op> ops;
    ForEachOp<typename M::Op>(nodes, [&](const typename M::Op& op) {
      OpKind k = KindOf(op);
      if (k != OpKind::kCommand || commands) ops.push_back(op);
    });
    std::size_t begin = 0;
    std::vector<OutcomeOf<M>> answers;
    for (int d = 0; d < depth; ++d) {
      const std::size_t end = members_.size();
      for (std::size_t i = begin; i < end; ++i) {
        for (const auto& op : ops) {
          answers.clear();
          AnswersOf<M>(members_[i].state, op, answers);
          for (const auto& a : answers) {
            if (!a.accepted || SameState(a.next, members_[i].state)) continue;
            auto dep = members_[i].departed ? members_[i].departed : a.departs;
            Add(members_, index_, {a.next, dep});
          }
        }
      }
      begin = end;
    }
  }

 private:
  struct Hasher {
    std::size_t operator()(const State& s) const { return StateHash<M>(s); }
  };
  struct Same {
    bool operator()(const State& a, const State& b) const { return SameState(a, b); }
  };
  using Index = std::unordered_map<State, std::size_t, Hasher, Same>;

  static bool Fits(const OutcomeOf<M>& a, const Reply<M>& r, const std::vector<RuleId>& refusals) {
    if (r.accepted && *r.accepted != a.accepted) return false;
    if (!a.accepted && r.reason && !a.departs) {
      for (RuleId x : refusals) {
        if (x == *r.reason) return true;
      }
      return false;
    }
    return true;
  }

  // A set of a few states (the usual case: a conforming implementation
  // leaves one or two) is searched in place; the hash index is built once
  // the set outgrows that.
  static constexpr std::size_t kLinear = 8;

  void Add(std::vector<Member>& into, Index& idx, Member m) {
    std::size_t at = into.size();
    if (into.size() <= kLinear) {
      for (std::size_t k = 0; k < into.size(); ++k) {
        if (SameState(into[k].state, m.state)) at = k;
      }
    } else {
      if (idx.empty()) {
        for (std::size_t k = 0; k < into.size(); ++k) idx.emplace(into[k].state, k);
      }
      if (auto it = idx.find(m.state); it != idx.end()) at = it->second;
    }
    if (at < into.size()) {
      if (!m.departed) into[at].departed.reset();
      return;
    }
    if (into.size() >= max_states_) {
      truncated_ = true;
      return;
    }
    if (!idx.empty()) idx.emplace(m.state, into.size());
    into.push_back(std::move(m));
  }

  static void Dedupe(std::vector<FindingOf<M>>& why) {
    std::vector<FindingOf<M>> out;
    for (auto& w : why) {
      bool seen = false;
      for (const auto& o : out) seen = seen || (o.rule == w.rule && o.detail == w.detail);
      if (!seen) out.push_back(std::move(w));
    }
    why = std::move(out);
  }

  // kMatch when some member never departed; else kDeparture naming the
  // assumptions departed from.
  SetVerdict<M> Summarise() const {
    SetVerdict<M> v;
    for (const Member& m : members_) {
      if (!m.departed) return v;
    }
    v.fit = Fit::kDeparture;
    for (const Member& m : members_) {
      v.why.push_back({*m.departed, "departs from the assumption"});
    }
    Dedupe(v.why);
    return v;
  }

  // Buffers reused from call to call; not part of the set's value (a copy
  // starts with its own, empty).
  struct Buffers {
    std::vector<Member> next;
    Index index;
    std::vector<OutcomeOf<M>> answers;
    std::vector<RuleId> refusals;
    std::vector<FindingOf<M>> why;
    Buffers() = default;
    Buffers(const Buffers&) {}
    Buffers& operator=(const Buffers&) { return *this; }
    Buffers(Buffers&&) noexcept = default;
    Buffers& operator=(Buffers&&) noexcept = default;
    ~Buffers() = default;
  };

  std::vector<Member> members_;
  Index index_;
  std::size_t max_states_;
  bool truncated_ = false;
  Buffers buf_;
};

}  // namespace haspec

#endif  // HASPEC_ENGINE_CONSISTENT_H_
