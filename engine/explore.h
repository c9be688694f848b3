// Exhaustive breadth-first exploration of every state a machine can reach
// from a configuration's initial state, with every invariant checked on
// every state and every step rule on every edge: what `haspec explore` and
// `haspec diagram` run.
//
// Which answers are followed:
//   * Profile::kFull: the model's own answers (Outcomes): the states a
//     product that answers as the model does can reach; every broken rule,
//     documented or assumption, is a failure (a broken assumption is
//     reported as a departure).
//   * Profile::kDocumentedOnly: every answer the documents allow
//     (AnswersOf, the same set the gate and `haspec run` accept): the states
//     some product that keeps to the documents can reach. Only documented
//     rules are then held: a broken assumption rule is a warning. A
//     machine's scope rules (IsScopeRule: which faults a configuration
//     injects) still bound the environment.
//
// States are stored once, packed, in discovery order in one array (the
// breadth-first queue itself), with a flat open-addressing table of ids
// keyed by a precomputed hash; each state keeps its parent and the op and
// answer that led to it, so a violation comes with a shortest op path from
// the initial state. Invariants are checked on each stored state (after
// Canonical and, with symmetry, renaming: the rules must not depend on
// folded facts or names, which the naive-twin test checks), step rules on
// each edge as the op gives it.
//
// Per state, the complete op list is tried: ops of one RefusalKey (they
// differ only in environment choices no precondition reads) share one
// Refusals call; a state without padding is hashed by its bytes; each
// stored state keeps the statuses it shows, so an edge's status changes
// read them instead of deriving the landing's again (unless symmetry
// renamed its slots).
//
//   ExploreOptions opt;                          // full profile, symmetry on
//   ExploreReport<Dsm> r = Explore<Dsm>(config, opt);
//   r.complete, r.states, r.transitions, r.depth, r.coverage, r.violations
//   std::vector<Dsm::Op> path = r.violations[0].path;   // replayable
//
// Symmetry (engine/symmetry.h): states that differ only by the names of
// interchangeable nodes are stored once, as one renaming; a path is then
// rebuilt on the concrete states, op by op, so it replays as it stands.
#ifndef HASPEC_ENGINE_EXPLORE_H_
#define HASPEC_ENGINE_EXPLORE_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "engine/coverage.h"
#include "engine/state_bytes.h"
#include "engine/symmetry.h"
#include "model/core/machine.h"
#include "model/core/op_spec.h"

namespace haspec {

struct ExploreProgress {
  std::uint64_t states = 0, transitions = 0, depth = 0, frontier = 0;
  double seconds = 0;
};

struct ExploreOptions {
  std::uint64_t max_states = 20'000'000;
  Profile profile = Profile::kFull;
  bool symmetry = true;  // when the machine declares symmetric nodes
  // Called after each breadth-first level and about every 2^18 states.
  std::function<void(const ExploreProgress&)> progress;
};

// A rule broken somewhere: the first (so shortest) place found.
template <Machine M>
struct ExploreViolation {
  typename M::RuleId rule;
  std::string detail;
  bool enforced = true;                   // a failure under the profile (else a warning)
  std::vector<typename M::Op> path;       // from Initial(config), as found
  std::vector<bool> departs;              // per path op: the answer departs from an assumption
  std::vector<typename M::State> states;  // per path op: the state it lands in
  typename M::State state;                // the state the path ends in
  std::uint64_t count = 0;                // states and edges that break it
};

// Status changes the exploration saw, per status pair (from * k + to): op
// types (bit = variant index) of edges decided by a documented rule along
// the model's own answer, and of the others (decided by an assumption rule,
// or departing from one).
struct StatusGraph {
  std::size_t k = 0;
  std::vector<std::uint64_t> documented_ops, assumed_ops;
  bool Reached(std::size_t from, std::size_t to) const {
    return documented_ops[from * k + to] | assumed_ops[from * k + to];
  }
};

template <Machine M>
struct ExploreReport {
  bool complete = false;          // every reachable state visited (not cut by max_states)
  std::uint64_t states = 0;       // stored states (symmetry classes with symmetry)
  std::uint64_t transitions = 0;  // accepted answers followed (state, op, landing)
  std::uint64_t depth = 0;        // longest shortest path
  std::uint64_t ops = 0;          // ops tried per state (the complete list)
  std::uint64_t bytes = 0;        // memory of the state store and table
  double seconds = 0;
  bool symmetry = false;  // symmetry reduction was used
  Coverage coverage = NewCoverage<M>();
  StatusGraph graph;
  std::vector<ExploreViolation<M>> violations;  // one per broken rule, in the order found

  bool Failed() const {
    for (const auto& v : violations) {
      if (v.enforced) return true;
    }
    return false;
  }
};

namespace explore_internal {

// States in discovery order, found by a flat open-addressing table of
// (32-bit hash tag, id + 1) words.
template <class State>
class StateStore {
 public:
  StateStore() { table_.assign(1u << 12, 0); }
  std::size_t size() const { return states_.size(); }
  const State& operator[](std::size_t i) const { return states_[i]; }
  std::uint64_t bytes() const {
    return states_.capacity() * sizeof(State) + table_.capacity() * sizeof(std::uint64_t);
  }

  // The id of s, inserting it when new (`inserted` tells).
  std::uint32_t Insert(const State& s, std::uint64_t hash, bool& inserted) {
    if ((states_.size() + 1) * 2 > table_.size()) Grow();
    const std::uint64_t tag = hash >> 32;
    const std::size_t mask = table_.size() - 1;
    for (std::size_t i = tag & mask;; i = (i + 1) & mask) {
      const std::uint64_t w = table_[i];
      if (w == 0) {
        states_.push_back(s);
        table_[i] = (tag << 32) | states_.size();
        inserted = true;
        return static_cast<std::uint32_t>(states_.size() - 1);
      }
      if ((w >> 32) == tag && SameState(states_[(w & 0xffffffffu) - 1], s)) {
        inserted = false;
        return static_cast<std::uint32_t>((w & 0xffffffffu) - 1);
      }
    }
  }

 private:
  void Grow() {
    std::vector<std::uint64_t> old(table_.size() * 2, 0);
    old.swap(table_);
    const std::size_t mask = table_.size() - 1;
    for (std::uint64_t w : old) {
      if (w == 0) continue;
      std::size_t i = (w >> 32) & mask;
      while (table_[i] != 0) i = (i + 1) & mask;
      table_[i] = w;
    }
  }
  std::vector<State> states_;
  std::vector<std::uint64_t> table_;
};

}  // namespace explore_internal

// The explorer. Explore() below runs one; the class also keeps the stored
// states for tests and tools that need them (size(), state(), Form()).
template <Machine M>
class Explorer {
 public:
  using State = typename M::State;
  using Op = typename M::Op;
  using RuleId = typename M::RuleId;
  using OutcomeT = OutcomeOf<M>;

  Explorer(const typename M::Config& config, ExploreOptions opt)
      : config_(config), opt_(std::move(opt)), nodes_(config.nodes.size()) {
    static_assert(std::variant_size_v<Op> <= 64, "op types are kept as 64-bit masks");
    if (M::Statuses().size() > 32767) {
      throw std::logic_error("explore: status rows hold at most 32,767 statuses");
    }
    ForEachOp<Op>(config.nodes, [&](const Op& op) { ops_.push_back(op); });
    // Runs of ops of one RefusalKey (differing only in environment choices
    // no precondition reads; ForEachOp gives them one after another when
    // those fields come last) share their refusals: run_end_[i] is where
    // the run starting at op i ends.
    run_end_.assign(ops_.size(), 0);
    for (std::uint32_t i = 0; i < ops_.size();) {
      const Op key = RefusalKey(ops_[i]);
      std::uint32_t end = i + 1;
      while (end < ops_.size() && RefusalKey(ops_[end]) == key) ++end;
      run_end_[i] = end;
      i = end;
    }
    rules_ = M::Rules();
    sym_ = opt_.symmetry && SymmetricMachine<M>;
  }

  ExploreReport<M> Run() {
    const auto t0 = std::chrono::steady_clock::now();
    ExploreReport<M> r;
    r.ops = ops_.size();
    r.symmetry = sym_;
    const std::size_t k = M::Statuses().size();
    r.graph.k = k;
    r.graph.documented_ops.assign(k * k, 0);
    r.graph.assumed_ops.assign(k * k, 0);
    report_ = &r;
    violation_of_.assign(rules_.size(), -1);

    const State init = Form(M::Initial(config_));
    bool inserted = false;
    store_.Insert(init, Hash(init), inserted);
    links_.push_back({0, 0});
    OnNewState(0);
    std::size_t level_end = 1, next_report = 1u << 18;
    std::uint64_t depth = 0;
    bool cut = false;
    State s{};
    for (std::size_t id = 0; id < store_.size(); ++id) {
      if (id == level_end) {
        ++depth;
        level_end = store_.size();
        Progress(r, depth, level_end - id, t0);
      }
      s = store_[id];  // a copy: the store grows while s expands
      Expand(static_cast<std::uint32_t>(id), s, cut);
      if (cut) break;
      if (store_.size() >= next_report) {
        next_report += 1u << 18;
        Progress(r, depth, level_end - id, t0);
      }
    }
    r.complete = !cut;
    r.states = store_.size();
    r.depth = depth;
    r.bytes = store_.bytes() + links_.capacity() * sizeof(Link) + status_of_.capacity();
    for (auto& v : r.violations) Concretise(v);
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    report_ = nullptr;
    return r;
  }

  // The stored states (canonical, renamed with symmetry), in discovery order.
  std::size_t size() const { return store_.size(); }
  const State& state(std::size_t i) const { return store_[i]; }
  // The form a state is stored in (`renamed`: whether symmetry renamed
  // nodes, so that slot i of the form is not slot i of s).
  State Form(const State& s, bool* renamed = nullptr) const {
    State c = M::Canonical(s);
    if (sym_) return SymmetricForm<M>(c, nodes_, renamed);
    if (renamed != nullptr) *renamed = false;
    return c;
  }

 private:
  struct Link {
    std::uint32_t parent;
    std::uint32_t op_answer;  // op index << 8 | answer index (departing answers >= 128)
  };

  static std::uint64_t Hash(const State& s) { return StateHash<M>(s); }

  void Progress(ExploreReport<M>& r, std::uint64_t depth, std::size_t frontier,
                std::chrono::steady_clock::time_point t0) {
    if (!opt_.progress) return;
    ExploreProgress p;
    p.states = store_.size();
    p.transitions = r.transitions;
    p.depth = depth;
    p.frontier = frontier;
    p.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    opt_.progress(p);
  }

  // Invariants, premises, advisories and statuses of stored state `id`.
  void OnNewState(std::uint32_t id) {
    Coverage& c = report_->coverage;
    const State& s = store_[id];
    findings_.clear();
    premises_.clear();
    M::CheckInvariants(s, findings_, &premises_);
    ++c.states;
    for (RuleId p : premises_) ++c.premise[Index(p)];
    for (auto& f : findings_) Found(f, id, std::nullopt);
    findings_.clear();
    M::CheckAdvisories(s, findings_);
    for (const auto& f : findings_) ++c.advised[Index(f.rule)];
    shown_.clear();
    M::NodeStatuses(s, shown_);
    for (int x : shown_) {
      if (x >= 0) ++c.status_seen[static_cast<std::size_t>(x)];
    }
    // Kept per state while every state shows as many slots.
    if (id == 0) {
      status_width_ = shown_.size();
      statuses_kept_ = true;
    }
    if (!statuses_kept_) return;
    if (shown_.size() != status_width_) {
      statuses_kept_ = false;
      return;
    }
    for (int x : shown_) status_of_.push_back(static_cast<std::int16_t>(x));
  }

  // The statuses the stored state `id` (that is, s) shows, as NodeStatuses
  // gives them: its row in the store while kept (valid until the next state
  // is stored), else derived into `buf`.
  std::span<const std::int16_t> StatusesOf(std::uint32_t id, const State& s,
                                           std::vector<std::int16_t>& buf) {
    if (statuses_kept_) {
      return {status_of_.data() + std::size_t{id} * status_width_, status_width_};
    }
    return Derived(s, buf);
  }
  // NodeStatuses(s), as 16-bit entries in `buf`.
  std::span<const std::int16_t> Derived(const State& s, std::vector<std::int16_t>& buf) {
    shown_.clear();
    M::NodeStatuses(s, shown_);
    buf.assign(shown_.begin(), shown_.end());
    return buf;
  }

  // A finding in state `id` (an invariant: the path to id) or on the edge
  // `edge` out of state id (a step rule: the path to id, then that edge).
  void Found(FindingOf<M>& f, std::uint32_t id, std::optional<Link> edge) {
    const std::size_t i = Index(f.rule);
    if (violation_of_[i] >= 0) {
      ++report_->violations[static_cast<std::size_t>(violation_of_[i])].count;
      return;
    }
    violation_of_[i] = static_cast<int>(report_->violations.size());
    ExploreViolation<M> v;
    v.rule = f.rule;
    v.detail = std::move(f.detail);
    v.enforced = Enforced(rules_[i], opt_.profile);
    v.count = 1;
    report_->violations.push_back(std::move(v));
    pending_.push_back({id, edge});
  }

  // Follows one accepted answer `o` of op `oi` from stored state `id`.
  void Follow(std::uint32_t id, const State& s, std::uint32_t oi, std::uint32_t answer,
              const OutcomeT& o, bool documented, bool& cut) {
    ExploreReport<M>& r = *report_;
    ++r.transitions;
    const Op& op = ops_[oi];
    ++r.coverage.decided[Index(o.rule)];
    const Link link{id, oi << 8 | answer};
    if constexpr (kHasStepRules<M>) {
      findings_.clear();
      premises_.clear();
      CheckStepRules<M>(s, op, o.next, findings_, &premises_);
      for (RuleId p : premises_) ++r.coverage.premise[Index(p)];
      for (auto& f : findings_) Found(f, id, link);
    }
    bool renamed = false;
    const State next = Form(o.next, &renamed);
    bool inserted = false;
    const std::uint32_t nid = store_.Insert(next, Hash(next), inserted);
    if (inserted) {
      links_.push_back(link);
      OnNewState(nid);
      if (store_.size() >= opt_.max_states) cut = true;
    }
    // Status changes, slot by slot, as the op gives them: the landing's
    // statuses as stored, unless symmetry renamed its slots (Canonical
    // keeps statuses: the contract tests check it).
    const std::span<const std::int16_t> after =
        renamed ? Derived(o.next, after_) : StatusesOf(nid, next, after_);
    const std::size_t k = r.graph.k;
    const std::uint64_t bit = std::uint64_t{1} << op.index();
    for (std::size_t i = 0; i < before_.size() && i < after.size(); ++i) {
      const int x = before_[i], y = after[i];
      if (x >= 0 && y >= 0 && x != y) {
        const std::size_t cell = static_cast<std::size_t>(x) * k + static_cast<std::size_t>(y);
        ++r.coverage.status_moves[cell];
        (documented ? r.graph.documented_ops : r.graph.assumed_ops)[cell] |= bit;
      }
    }
  }

  void Expand(std::uint32_t id, const State& s, bool& cut) {
    ExploreReport<M>& r = *report_;
    Coverage& c = r.coverage;
    const bool all_answers = opt_.profile == Profile::kDocumentedOnly;
    // A copy: storing a state may move the rows.
    const auto before = StatusesOf(id, s, before_);
    if (before.data() != before_.data()) before_.assign(before.begin(), before.end());
    for (std::uint32_t run = 0; run < ops_.size() && !cut; run = run_end_[run]) {
      // One Refusals call for the whole run, counted for each op of it
      // tried (all of them, unless the state budget cuts the run short).
      const std::uint32_t end = run_end_[run];
      why_.clear();
      M::Refusals(s, ops_[run], why_);
      std::uint32_t oi = run;
      if (!why_.empty()) {
        bool documented = false;
        for (RuleId w : why_) {
          documented = documented || IsDocumented(rules_[Index(w)]) || IsScopeRule<M>(w);
        }
        // Refused by assumptions only: the documents let it go ahead.
        if (!all_answers || documented) oi = end;
        for (; oi < end && !cut; ++oi) {
          effects_.clear();
          M::Effects(s, ops_[oi], effects_);
          // An op that means nothing here is then accepted as a no-op.
          if (effects_.empty()) effects_.push_back(Departing(s, why_.front(), why_.front()));
          for (std::size_t a = 0; a < effects_.size() && a < 128 && !cut; ++a) {
            Follow(id, s, oi, static_cast<std::uint32_t>(128 + a), effects_[a], false, cut);
          }
        }
        const std::uint64_t n = oi - run;
        c.steps += n;
        c.rejected += n;
        c.decided[Index(why_.front())] += n;
        for (RuleId w : why_) c.refused[Index(w)] += n;
        continue;
      }
      for (; oi < end && !cut; ++oi) {
        effects_.clear();
        M::Effects(s, ops_[oi], effects_);
        bool own = false;
        for (const auto& e : effects_) own = own || !e.departs;
        if (!own) {
          throw std::logic_error(std::string(M::kName) +
                                 ": an op no precondition refuses has no effect");
        }
        for (std::size_t a = 0; a < effects_.size() && a < 128 && !cut; ++a) {
          const OutcomeT& e = effects_[a];
          if (e.departs && !all_answers) continue;
          const bool documented = !e.departs && IsDocumented(rules_[Index(e.rule)]);
          Follow(id, s, oi, static_cast<std::uint32_t>(e.departs ? 128 + a : a), e, documented,
                 cut);
        }
      }
      c.steps += oi - run;
      c.accepted += oi - run;
    }
  }

  // The stored path to state `id`: op indices and answers.
  std::vector<Link> LinksTo(std::uint32_t id) const {
    std::vector<Link> out;
    for (std::uint32_t i = id; i != 0; i = links_[i].parent) out.push_back(links_[i]);
    return {out.rbegin(), out.rend()};
  }

  // The answers of op from concrete state a that the exploration follows,
  // numbered as Link::op_answer does.
  void Answers(const State& a, const Op& op, std::vector<std::pair<std::uint32_t, OutcomeT>>& out) {
    out.clear();
    const bool all_answers = opt_.profile == Profile::kDocumentedOnly;
    std::vector<RuleId> why;
    M::Refusals(a, op, why);
    std::vector<OutcomeT> effects;
    bool documented = false;
    for (RuleId w : why) {
      documented = documented || IsDocumented(rules_[Index(w)]) || IsScopeRule<M>(w);
    }
    if (!why.empty() && (!all_answers || documented)) return;
    M::Effects(a, op, effects);
    if (!why.empty() && effects.empty()) effects.push_back(Departing(a, why.front(), why.front()));
    for (std::size_t i = 0; i < effects.size() && i < 128; ++i) {
      const bool departs = !why.empty() || effects[i].departs.has_value();
      if (departs && !all_answers) continue;
      out.emplace_back(static_cast<std::uint32_t>(departs ? 128 + i : i), effects[i]);
    }
  }

  // Rebuilds a violation's path on concrete states from the initial state:
  // each stored step names a stored state; the concrete state is a renaming
  // of it, so some op and answer from there lands on a renaming of the next
  // stored state (the stored op itself when nothing was renamed).
  void Concretise(ExploreViolation<M>& v) {
    const std::size_t vi = static_cast<std::size_t>(&v - report_->violations.data());
    const auto [id, edge] = pending_[vi];
    std::vector<Link> links = LinksTo(id);
    if (edge) links.push_back(*edge);
    State a = M::Initial(config_), prev = a, before = a;
    std::vector<std::pair<std::uint32_t, OutcomeT>> answers;
    for (const Link& l : links) {
      const Op& stored_op = ops_[l.op_answer >> 8];
      // The stored state this step reaches, recomputed from its parent.
      State want{};
      bool found = false;
      Answers(store_[l.parent], stored_op, answers);
      for (const auto& [n, o] : answers) {
        if (n == (l.op_answer & 0xff)) {
          want = Form(o.next);
          found = true;
        }
      }
      if (!found) throw std::logic_error("explore: a stored path does not replay");
      auto try_op = [&](const Op& op) {
        Answers(a, op, answers);
        for (const auto& [n, o] : answers) {
          if (Form(o.next) == want) {
            v.path.push_back(op);
            v.departs.push_back(n >= 128);
            v.states.push_back(o.next);
            a = o.next;
            return true;
          }
        }
        return false;
      };
      bool stepped = try_op(stored_op);
      for (std::size_t i = 0; i < ops_.size() && !stepped; ++i) stepped = try_op(ops_[i]);
      if (!stepped) throw std::logic_error("explore: a path does not replay under renaming");
      before = prev;
      prev = a;
    }
    v.state = a;
    // The detail again, on the concrete states: with symmetry the stored
    // state names other nodes.
    std::vector<FindingOf<M>> f;
    if (v.path.empty()) {
      M::CheckInvariants(a, f);
    } else {
      CheckStep<M>(before, v.path.back(), a, f);
    }
    for (auto& x : f) {
      if (x.rule == v.rule) {
        v.detail = std::move(x.detail);
        break;
      }
    }
  }

  const typename M::Config config_;
  ExploreOptions opt_;
  std::size_t nodes_;
  bool sym_ = false;
  std::span<const Rule> rules_;
  std::vector<Op> ops_;
  explore_internal::StateStore<State> store_;
  std::vector<Link> links_;
  ExploreReport<M>* report_ = nullptr;
  std::vector<int> violation_of_;  // per rule: index into violations, or -1
  std::vector<std::pair<std::uint32_t, std::optional<Link>>> pending_;
  // Buffers reused across states.
  std::vector<RuleId> why_, premises_;
  std::vector<std::uint32_t> run_end_;  // per first op of a run of one RefusalKey: its end
  std::vector<OutcomeT> effects_;
  std::vector<FindingOf<M>> findings_;
  std::vector<int> shown_;
  std::vector<std::int16_t> before_, after_;
  // Per stored state, its statuses (status_width_ entries, while kept).
  std::vector<std::int16_t> status_of_;
  std::size_t status_width_ = 0;
  bool statuses_kept_ = false;
};

template <Machine M>
ExploreReport<M> Explore(const typename M::Config& config, ExploreOptions opt = {}) {
  Explorer<M> e(config, std::move(opt));
  return e.Run();
}

}  // namespace haspec

#endif  // HASPEC_ENGINE_EXPLORE_H_
