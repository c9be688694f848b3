// Replay of recorded traces: the engine behind `haspec replay` (and the
// test `haspec shrink` runs on each candidate).
//
// A Replayer keeps the set of model states consistent with every event fed
// so far (engine/consistent.h, as the gate does for an implementation's
// answers). An event is an op (with its result, if known, and an
// expectation) and/or a partial observation. Hidden events (steps nobody
// logged) are assumed only where needed: an event the set explains as it
// is, without departing from an assumption, is applied as it is; any other
// event is tried again after up to `hidden` hidden steps from the set
// before it (ReplayOptions says which ops may be hidden), and the better
// verdict is kept. An event that no state explains even then is a failure:
// a violation of the documented rules the set names, or, when it fits only
// states reached by departing from an assumption rule, a departure from it
// (reported once per rule).
//
//   Replayer<Dsm> r(config, {.hidden = 2});
//   if (auto f = r.Feed(event, "a.jsonl:12")) report(*f);
//
// The set is deduplicated by state and bounded (max_states); when the
// bound drops states, verdicts may be mismatches a larger bound would have
// explained, and the report says so (truncated()).
#ifndef HASPEC_ENGINE_REPLAY_H_
#define HASPEC_ENGINE_REPLAY_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/consistent.h"
#include "engine/run.h"
#include "engine/trace.h"
#include "model/core/answers.h"
#include "model/core/machine.h"

namespace haspec {

struct ReplayOptions {
  Profile profile = Profile::kFull;
  int hidden = 2;  // hidden steps tried before an unexplained event
  // Whether commands nobody logged may be hidden steps (events and
  // completions always may). kAuto: only until the trace logs its first
  // command (a log of snapshots alone logs none, so every change it shows
  // came from something unlogged; a trace that logs commands is taken to
  // log them all).
  enum class Commands : std::uint8_t { kAuto, kYes, kNo } hidden_commands = Commands::kAuto;
  std::size_t max_states = 10'000;
  std::size_t context = 3;      // preceding events shown with a failure
  bool from_any_state = false;  // start from every reachable state, not Initial
};

enum class FindingKind : std::uint8_t { kViolation, kDeparture, kDrift, kBadInput };

inline std::string_view ToString(FindingKind k) {
  switch (k) {
    case FindingKind::kViolation:
      return "violation";
    case FindingKind::kDeparture:
      return "departure";
    case FindingKind::kDrift:
      return "vocabulary drift";
    case FindingKind::kBadInput:
      return "bad input";
  }
  return "?";
}

// An event that no consistent state explains, or a line that could not be
// read.
template <Machine M>
struct ReplayFinding {
  FindingKind kind = FindingKind::kViolation;
  std::string where;  // FILE:LINE
  std::string src;    // the original log line, when the event named it
  std::string text;   // the event as read
  std::string phase;  // "answer", "observation" or "" (what did not fit)
  std::vector<Breach<M>> breaches;
  std::vector<std::string> allowed;  // what the model allowed there
  std::vector<std::string> context;  // preceding events, oldest first
  std::string problem;               // drift and bad input: what is wrong
  bool truncated = false;            // the state bound dropped states before it
  int hidden_tried = 0;              // hidden steps tried before failing
};

template <CodecMachine M>
class Replayer {
 public:
  using State = typename M::State;
  using RuleId = typename M::RuleId;
  using Set = ConsistentSet<M>;

  Replayer(const typename M::Config& config, const ReplayOptions& opt)
      : config_(config), opt_(opt), set_(Start(config, opt), opt.max_states) {}

  // Applies one event. Returns a finding when it fails (a violation; a
  // departure, once per assumption rule; drift in its observation); the
  // set then holds where replay goes on (see Resync).
  std::optional<ReplayFinding<M>> Feed(const TraceEvent<M>& ev, const std::string& where) {
    ++events_;
    std::optional<ReplayFinding<M>> out;
    if (!ev.drift.empty()) {
      out = Finding(ev, where, FindingKind::kDrift);
      for (const auto& d : ev.drift) {
        out->problem += (out->problem.empty() ? "" : "; ") + d;
      }
      out->problem =
          "unknown status name (vocabulary drift: the documents do not list it): " + out->problem +
          "; the rest of the event is checked";
    }
    if (!ev.ops.empty() && KindOf(ev.ops.front()) == OpKind::kCommand) logged_command_ = true;
    // The set before the event, kept in a member so that copying it reuses
    // the buffers of the previous event's copy (no allocation per event).
    before_ = set_;
    Attempt a = Apply(set_, ev);
    const bool departed_before = all_departed_;
    if (a.v.fit == Fit::kMismatch || (a.v.fit == Fit::kDeparture && !departed_before)) {
      if (opt_.hidden > 0) {
        Set alt = before_;
        alt.Hidden(opt_.hidden, config_.nodes, HiddenCommands());
        Attempt b = Apply(alt, ev);
        if (Rank(b.v.fit) < Rank(a.v.fit)) {
          ++hidden_used_;
          set_ = std::move(alt);
          a = std::move(b);
        } else if (a.v.fit == Fit::kMismatch) {
          std::swap(set_, before_);
        }
        a.hidden_tried = opt_.hidden;
      } else if (a.v.fit == Fit::kMismatch) {
        std::swap(set_, before_);
      }
    }
    truncated_ = truncated_ || set_.truncated();
    max_size_ = std::max(max_size_, set_.size());
    if (a.v.fit == Fit::kMismatch) {
      if (!out) out = Finding(ev, where, FindingKind::kViolation);
      out->kind = FindingKind::kViolation;
      out->phase = a.phase;
      out->allowed = std::move(a.allowed);
      out->hidden_tried = a.hidden_tried;
      out->truncated = truncated_;
      for (const auto& w : a.v.why) {
        out->breaches.push_back({w.rule, Severity::kViolation, w.detail});
      }
      Resync(ev);
    } else if (a.v.fit == Fit::kDeparture) {
      all_departed_ = true;
      std::vector<Breach<M>> fresh;
      for (const auto& w : a.v.why) {
        if (std::find(reported_.begin(), reported_.end(), w.rule) != reported_.end()) continue;
        reported_.push_back(w.rule);
        fresh.push_back({w.rule, Severity::kDeparture,
                         "the " + a.phase + " fits only states reached by departing from the " +
                             "assumption " + std::string(RuleOf<M>(w.rule).id)});
      }
      if (!fresh.empty() && !out) {
        out = Finding(ev, where, FindingKind::kDeparture);
        out->phase = a.phase;
        out->breaches = std::move(fresh);
        out->hidden_tried = a.hidden_tried;
      }
    } else {
      all_departed_ = false;
    }
    Remember(ev, where);
    return out;
  }

  // A line that could not be read: reported as bad input with the context.
  ReplayFinding<M> BadLine(const TraceEvent<M>& ev, const std::string& where,
                           const std::string& problem) {
    ReplayFinding<M> f = Finding(ev, where, FindingKind::kBadInput);
    f.problem = problem;
    return f;
  }

  const Set& set() const { return set_; }
  std::size_t events() const { return events_; }
  std::size_t hidden_used() const { return hidden_used_; }
  bool hidden_commands() const { return HiddenCommands(); }
  std::size_t max_set_size() const { return max_size_; }
  bool truncated() const { return truncated_; }

 private:
  struct Attempt {
    SetVerdict<M> v;
    std::string phase;
    std::vector<std::string> allowed;
    int hidden_tried = 0;
  };

  bool HiddenCommands() const {
    using C = ReplayOptions::Commands;
    return opt_.hidden_commands == C::kYes ||
           (opt_.hidden_commands == C::kAuto && !logged_command_);
  }

  static int Rank(Fit f) { return f == Fit::kMatch ? 0 : f == Fit::kDeparture ? 1 : 2; }

  static std::vector<State> Start(const typename M::Config& config, const ReplayOptions& opt) {
    if (!opt.from_any_state) return {M::Initial(config)};
    return Reachable(config, opt);
  }

  // Every state reachable from Initial by accepted ops, up to max_states.
  static std::vector<State> Reachable(const typename M::Config& config, const ReplayOptions& opt) {
    Set all({M::Initial(config)}, opt.max_states);
    all.Hidden(1 << 20, config.nodes, true);
    std::vector<State> out;
    out.reserve(all.size());
    for (const auto& m : all.members()) out.push_back(m.state);
    return out;
  }

  // Whether answer `a` meets the event's result, reason and expectation.
  static bool Meets(const TraceEvent<M>& ev, const OutcomeOf<M>& a,
                    const std::vector<RuleId>& refusals) {
    if (ev.accepted && *ev.accepted != a.accepted) return false;
    if (ev.reason && !a.accepted) {
      bool any = a.rule == *ev.reason;
      for (RuleId r : refusals) any = any || r == *ev.reason;
      if (!any) return false;
    }
    return ev.expect.empty() || run_internal::Meets<M>(a, ev.expect, refusals);
  }

  Attempt Apply(Set& set, const TraceEvent<M>& ev) const {
    Attempt at;
    SetVerdict<M> answer;
    if (!ev.ops.empty()) {
      at.phase = "answer";
      answer = set.AnswerIf(ev.ops, [&](const OutcomeOf<M>& a, const std::vector<RuleId>& r) {
        return Meets(ev, a, r);
      });
      if (answer.fit == Fit::kMismatch) {
        at.v = std::move(answer);
        at.allowed = AllowedAnswers(set, ev);
        return at;
      }
    }
    if (ev.obs) {
      SetVerdict<M> seen = set.See(*ev.obs);
      if (seen.fit == Fit::kMismatch) {
        at.phase = "observation";
        at.v = std::move(seen);
        at.allowed = AllowedObservations(set);
        return at;
      }
      if (seen.fit == Fit::kDeparture && answer.fit != Fit::kDeparture) {
        at.phase = ev.ops.empty() ? "observation" : "answer and observation";
      }
      at.v = std::move(seen);
      return at;
    }
    at.v = std::move(answer);
    return at;
  }

  // The answers of the event's op from each state of the set (a few).
  std::vector<std::string> AllowedAnswers(const Set& set, const TraceEvent<M>& ev) const {
    std::vector<std::string> out;
    std::vector<OutcomeOf<M>> answers;
    for (const auto& m : set.members()) {
      for (const auto& op : ev.ops) {
        answers.clear();
        AnswersOf<M>(m.state, op, answers);
        for (const auto& a : answers) {
          std::string s =
              M::Show(op, config_.nodes) + ": " + (a.accepted ? "accepted" : "refused") + " by " +
              std::string(RuleOf<M>(a.rule).id) +
              (a.departs ? " (departing from " + std::string(RuleOf<M>(*a.departs).id) + ")"
                         : std::string()) +
              ", showing " + M::Show(M::Observe(a.next), config_.nodes);
          if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(std::move(s));
          if (out.size() >= kAllowedShown) return out;
        }
      }
    }
    return out;
  }

  std::vector<std::string> AllowedObservations(const Set& set) const {
    std::vector<std::string> out;
    for (const auto& m : set.members()) {
      std::string s = M::Show(M::Observe(m.state), config_.nodes);
      if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(std::move(s));
      if (out.size() >= kAllowedShown) break;
    }
    return out;
  }

  ReplayFinding<M> Finding(const TraceEvent<M>& ev, const std::string& where,
                           FindingKind kind) const {
    ReplayFinding<M> f;
    f.kind = kind;
    f.where = where;
    f.src = ev.src;
    f.text = ev.text;
    for (std::size_t i = 0; i < context_.size(); ++i) {
      f.context.push_back(context_[(oldest_ + i) % context_.size()]);
    }
    return f;
  }

  void Remember(const TraceEvent<M>& ev, const std::string& where) {
    if (opt_.context == 0) return;
    // A ring of the last opt_.context events, oldest at oldest_: each
    // string's buffer is reused, no allocation per event.
    std::string* s;
    if (context_.size() < opt_.context) {
      s = &context_.emplace_back();
    } else {
      s = &context_[oldest_];
      oldest_ = (oldest_ + 1) % context_.size();
    }
    s->assign(where);
    *s += ": ";
    *s += ev.text;
  }

  // After a failure, replay goes on from every reachable state (up to the
  // bound) the failing event fits; when none does, from the set before it
  // (the event is skipped).
  void Resync(const TraceEvent<M>& ev) {
    if (!reachable_) reachable_ = Reachable(config_, opt_);
    Set fresh(*reachable_, opt_.max_states);
    Attempt a = Apply(fresh, ev);
    if (a.v.fit != Fit::kMismatch) set_ = std::move(fresh);
    all_departed_ = false;
    ++resyncs_;
  }

  static constexpr std::size_t kAllowedShown = 6;

  typename M::Config config_;
  ReplayOptions opt_;
  Set set_;
  Set before_{{}, 0};  // scratch: the set before the event being fed
  std::vector<std::string> context_;
  std::size_t oldest_ = 0;
  std::vector<RuleId> reported_;
  std::optional<std::vector<State>> reachable_;
  bool all_departed_ = false;
  bool truncated_ = false;
  bool logged_command_ = false;
  std::size_t events_ = 0, hidden_used_ = 0, max_size_ = 0, resyncs_ = 0;
};

}  // namespace haspec

#endif  // HASPEC_ENGINE_REPLAY_H_
