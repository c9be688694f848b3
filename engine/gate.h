// The gate: drives an implementation with generated op sequences and checks
// every answer against the set of model states consistent with the answers
// so far (engine/consistent.h). RapidCheck generates the sequences and
// shrinks a failing one to a minimal counterexample.
//
// An implementation is reached through a GateTarget (JSON level, so the
// same engine serves a child process speaking docs/sut-protocol.md and an
// in-process C++ sut::Implementation).
//
//   SubprocessTarget t(sut::SplitCommand("build/default/sut/dsm/haspec-ref-dsm"), {});
//   GateReport<Dsm> r = Gate<Dsm>(t, config, {.runs = 100, .max_ops = 40, .seed = 1});
//   if (r.failure) print(r.failure->steps);
//
// Include only from .cc files: it pulls in nlohmann/json.hpp and RapidCheck.
#ifndef HASPEC_ENGINE_GATE_H_
#define HASPEC_ENGINE_GATE_H_

#include <rapidcheck.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <iostream>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/consistent.h"
#include "engine/coverage.h"
#include "engine/reach.h"
#include "model/core/machine.h"
#include "model/core/op_codec.h"
#include "model/core/parse_error.h"
#include "sut/protocol/client.h"
#include "sut/protocol/server.h"

namespace haspec {

// What the gate needs from an implementation.
class GateTarget {
 public:
  virtual ~GateTarget() = default;
  virtual sut::HelloReply Hello(const std::string& machine, const nlohmann::json& config) = 0;
  virtual nlohmann::json Reset(const nlohmann::json& config) = 0;
  virtual sut::Reply Apply(const nlohmann::json& op, long seq) = 0;
  // Applies ops (each as JSON text) in order, numbered from first_seq,
  // handing each reply to on_reply until it returns false. A target may
  // pipeline the requests.
  virtual void ApplyMany(const std::vector<std::string>& ops, long first_seq,
                         const sut::Client::ReplyHandler& on_reply) {
    for (std::size_t i = 0; i < ops.size(); ++i) {
      sut::Reply r = Apply(nlohmann::json::parse(ops[i]), first_seq + static_cast<long>(i));
      if (!on_reply(i, r)) return;
    }
  }
  // Resets to config, hands the initial observation to on_ready (null for
  // none) and, unless it returns false, applies ops as ApplyMany does. A
  // target may send the reset and the ops together.
  virtual void ResetThenApplyMany(const nlohmann::json& config, const std::vector<std::string>& ops,
                                  const sut::Client::ReadyHandler& on_ready,
                                  const sut::Client::ReplyHandler& on_reply) {
    nlohmann::json init = Reset(config);
    if (on_ready(init)) ApplyMany(ops, 1, on_reply);
  }
  virtual void Close() {}
  virtual std::string StderrTail() const { return ""; }
};

// A child process speaking the protocol.
class SubprocessTarget : public GateTarget {
 public:
  SubprocessTarget(std::vector<std::string> argv, sut::ClientOptions opt)
      : client_(std::move(argv), opt) {}
  sut::HelloReply Hello(const std::string& m, const nlohmann::json& c) override {
    hello_ = client_.Hello(m, c);
    machine_ = m;
    config_ = c;
    return hello_;
  }
  nlohmann::json Reset(const nlohmann::json& c) override {
    Fresh();
    return client_.Reset(c);
  }
  void ResetThenApplyMany(const nlohmann::json& c, const std::vector<std::string>& ops,
                          const sut::Client::ReadyHandler& on_ready,
                          const sut::Client::ReplyHandler& on_reply) override {
    Fresh();
    client_.ResetThenApplyMany(c, ops, 1, kWindow, on_ready, on_reply);
  }
  sut::Reply Apply(const nlohmann::json& op, long seq) override { return client_.Apply(op, seq); }
  void ApplyMany(const std::vector<std::string>& ops, long first_seq,
                 const sut::Client::ReplyHandler& on_reply) override {
    client_.ApplyMany(ops, first_seq, kWindow, on_reply);
  }
  void Close() override { client_.Close(); }
  std::string StderrTail() const override { return client_.StderrTail(); }

 private:
  // Requests in flight: with a fast implementation the round trips, not the
  // work, dominate; 64 requests and their replies fit the pipes' buffers.
  static constexpr std::size_t kWindow = 64;

  // An implementation that cannot reset is started afresh for each run.
  void Fresh() {
    if (!hello_.reset && started_) {
      client_.Restart();
      client_.Hello(machine_, config_);
    }
    started_ = true;
  }

  sut::Client client_;
  sut::HelloReply hello_;
  std::string machine_;
  nlohmann::json config_;
  bool started_ = false;
};

// A C++ implementation in this process (haspec_add_gate_test).
class InProcessTarget : public GateTarget {
  // An exception from the implementation is its failure, not haspec's.
  template <class F>
  static auto Guard(F f) {
    try {
      return f();
    } catch (const std::exception& e) {
      throw sut::SutError(std::string("the implementation threw: ") + e.what());
    }
  }

 public:
  explicit InProcessTarget(sut::Implementation& impl) : impl_(impl) {}
  sut::HelloReply Hello(const std::string& m, const nlohmann::json&) override {
    if (m != impl_.Machine()) {
      throw sut::SutError("the implementation is for machine " + impl_.Machine() + ", not " + m);
    }
    return {impl_.Name(), impl_.EnvChoices(), true};
  }
  nlohmann::json Reset(const nlohmann::json& c) override {
    return Guard([&] { return impl_.Reset(c); });
  }
  sut::Reply Apply(const nlohmann::json& op, long) override {
    return Guard([&] {
      sut::Result r = impl_.Apply(op);
      return sut::Reply{r.accepted, r.reason, std::move(r.observation),
                        std::move(r.observation_text)};
    });
  }

 private:
  sut::Implementation& impl_;
};

struct GateOptions {
  int runs = 200;    // generated sequences
  int max_ops = 60;  // longest sequence
  std::uint64_t seed = 1;
  Profile profile = Profile::kFull;
  // Called after each run with (runs done, runs planned); may be empty.
  std::function<void(int, int)> progress;
  // Time allowed for shrinking a counterexample (each try replays a
  // sequence against the implementation); the smallest found by then is
  // reported.
  double shrink_seconds = 10;
  // Steering: after the first `unsteered` runs, two runs in three first
  // follow a route the model found to a coverage item the gate has not
  // exercised yet (engine/reach.h), then continue at random. Routes are
  // searched once, before the first steered run.
  bool steer = true;
  RouteOptions routes;
  // Runs before steering starts: plain random runs catch most bugs within
  // milliseconds, before the route search (up to a second) is paid for.
  int unsteered = 20;
};

// One step of a run, as sent and answered.
template <Machine M>
struct GateStep {
  typename M::Op op;    // as generated (environment choices included)
  nlohmann::json sent;  // as sent (choices the implementation cannot make left out)
  sut::Reply reply;
  Fit fit = Fit::kMatch;  // of the answer and observation together
  std::vector<FindingOf<M>> why;
  std::vector<typename M::State> allowed;  // model states before the step (a few)
};

template <Machine M>
struct GateFailure {
  std::vector<GateStep<M>> steps;  // the shrunk sequence; the last step differs
  Fit fit = Fit::kMismatch;        // kMismatch (violation) or kDeparture
  bool at_reset = false;           // the initial observation already differs
};

template <Machine M>
struct GateReport {
  std::string implementation;
  int runs = 0;
  std::uint64_t ops = 0;
  Coverage coverage = NewCoverage<M>();
  std::optional<GateFailure<M>> failure;
  // Departures seen under --documented-only (warnings), by rule.
  std::set<typename M::RuleId> departures;
  std::vector<std::string> warnings;
  int steered = 0;            // runs that followed a route
  std::size_t routes = 0;     // coverage items the model found routes to
  double routes_seconds = 0;  // spent finding them
  int found_in_run = 0;       // the run that failed first (1-based), 0 = none
  double found_seconds = 0;   // time to that failure, from the gate's start
  std::size_t found_ops = 0;  // its length before shrinking
  // Ops refused by one rule alone, [rule * op types + op type]: a coverage
  // item of the route search (engine/reach.h) the record does not keep.
  std::vector<char> refused_alone;
};

namespace gate_internal {

// The op as sent: without the environment-choice fields the implementation
// cannot inject. `alternatives` receives every op the implementation may
// then have carried out (each value of each left-out field).
template <CodecMachine M>
nlohmann::json Strip(const typename M::Op& op, const Nodes& nodes,
                     const std::vector<std::string>& supported,
                     std::vector<typename M::Op>& alternatives) {
  nlohmann::json j = OpToJson(op, nodes);
  alternatives.assign(1, op);
  std::visit(
      [&](const auto& o) {
        using T = std::remove_cvref_t<decltype(o)>;
        ForEachField<T>([&](const auto& f) {
          if (!f.env_choice) return;
          const std::string key = std::string(T::kName) + "." + std::string(f.name);
          for (const auto& s : supported) {
            if (s == key) return;
          }
          j.erase(std::string(f.name));
          std::vector<typename M::Op> more;
          for (const auto& alt : alternatives) {
            T t = std::get<T>(alt);
            for (std::size_t i = 0; i < f.domain.Count(nodes); ++i) {
              f.Set(t, f.domain.At(i, nodes));
              more.push_back(typename M::Op{t});
            }
          }
          alternatives = std::move(more);
        });
      },
      op);
  return j;
}

// Caches of pure functions the gate calls for every op: a conforming
// implementation shows the same few observations again and again, and a
// run draws from a few hundred ops. Each cache belongs to one node list
// (and, for ops, one set of injectable choices) and is bounded.
inline constexpr std::size_t kCacheEntries = 1 << 16;

template <CodecMachine M>
struct SentOp {
  std::string text;                          // the op as sent (Strip), as JSON text
  std::vector<typename M::Op> alternatives;  // what the implementation may have done
};

template <CodecMachine M>
const SentOp<M>& SendableOp(const typename M::Op& op, const Nodes& nodes,
                            const std::vector<std::string>& supported) {
  struct Hasher {
    std::size_t operator()(const typename M::Op& o) const { return HashOp(o); }
  };
  struct Cache {
    Nodes nodes;
    std::vector<std::string> supported;
    std::unordered_map<typename M::Op, SentOp<M>, Hasher> map;
  };
  thread_local Cache cache;
  if (!(cache.nodes == nodes) || cache.supported != supported) {
    cache = {nodes, supported, {}};
  }
  if (auto it = cache.map.find(op); it != cache.map.end()) return it->second;
  if (cache.map.size() >= kCacheEntries) cache.map.clear();
  SentOp<M> e;
  e.text = Strip<M>(op, nodes, supported, e.alternatives).dump();
  return cache.map.emplace(op, std::move(e)).first->second;
}

// The observation an implementation wrote as text. Throws ParseError or
// nlohmann::json::exception as ObservationFromJson does.
template <CodecMachine M>
const typename M::Observation& DecodeObservation(const std::string& text, const Nodes& nodes) {
  struct Cache {
    Nodes nodes;
    std::unordered_map<std::string, typename M::Observation> map;
  };
  thread_local Cache cache;
  if (!(cache.nodes == nodes)) cache = {nodes, {}};
  if (auto it = cache.map.find(text); it != cache.map.end()) return it->second;
  if (cache.map.size() >= kCacheEntries) cache.map.clear();
  auto obs = M::ObservationFromJson(nlohmann::json::parse(text), nodes);
  return cache.map.emplace(text, std::move(obs)).first->second;
}

// The rule a reason names, by its ID (nullopt for no rule of M).
template <Machine M>
std::optional<typename M::RuleId> RuleNamed(const std::string& id) {
  static const auto* index = [] {
    auto* m = new std::unordered_map<std::string, typename M::RuleId>;
    for (std::size_t i = 0; i < M::Rules().size(); ++i) {
      m->emplace(std::string(M::Rules()[i].id), static_cast<typename M::RuleId>(i));
    }
    return m;
  }();
  auto it = index->find(id);
  if (it == index->end()) return std::nullopt;
  return it->second;
}

}  // namespace gate_internal

// Runs one sequence against the target from a reset: the ops of `fixed`,
// then (when picks is not null) ops drawn by the picks. Steps up to the
// first failing one (a violation; or a departure under the full profile).
// Throws sut::SutError when the implementation fails as a program.
template <CodecMachine M>
GateFailure<M> RunSequence(GateTarget& target, const typename M::Config& config,
                           const sut::HelloReply& hello, const std::vector<typename M::Op>& fixed,
                           const std::vector<std::uint32_t>* picks, Profile profile,
                           GateReport<M>* report, bool& failed) {
  const Nodes& nodes = config.nodes;
  GateFailure<M> run;
  failed = false;
  ConsistentSet<M> set({M::Initial(config)});
  // Decodes a reply's observation, as text (through the cache) or as JSON.
  std::optional<typename M::Observation> obs_storage;
  auto parse_obs = [&](const sut::Reply& r) -> const typename M::Observation& {
    try {
      if (!r.observation_text.empty()) {
        return gate_internal::DecodeObservation<M>(r.observation_text, nodes);
      }
      return obs_storage.emplace(M::ObservationFromJson(r.observation, nodes));
    } catch (const ParseError& e) {
      throw sut::SutError(std::string("the implementation reported an observation haspec cannot "
                                      "read: ") +
                          e.what());
    } catch (const nlohmann::json::exception& e) {
      throw sut::SutError(std::string("the implementation reported a malformed observation: ") +
                          e.what());
    }
  };
  auto fails = [&](Fit f) {
    return f == Fit::kMismatch || (f == Fit::kDeparture && profile == Profile::kFull);
  };
  auto note_departures = [&](const SetVerdict<M>& v) {
    if (v.fit == Fit::kDeparture && report) {
      for (const auto& w : v.why) report->departures.insert(w.rule);
    }
  };
  CoverageRecorder<M>* rec = nullptr;
  std::optional<CoverageRecorder<M>> rec_storage;
  if (report) {
    rec_storage.emplace(report->coverage);
    rec = &*rec_storage;
  }
  // The ops of the run are chosen up front along the model's own answers
  // (what a conforming implementation answers), so they can be pipelined
  // to the implementation; a run that departs only continues until its
  // first failure anyway.
  std::vector<typename M::Op> ops(fixed.begin(), fixed.end()), cand;
  // Swarm testing: half the runs draw from a random subset of the op types
  // (the first pick is the subset), which reaches long scenarios (a full
  // update rollout, a cluster filling up) that a draw over every op rarely
  // completes.
  std::uint32_t swarm = ~0u;
  std::size_t first = 0;
  if (picks && !picks->empty() && ((*picks)[0] >> 31)) {
    swarm = (*picks)[0];
    first = 1;
  }
  if (picks && picks->size() > first) {
    typename M::State m = M::Initial(config);
    for (const auto& op : fixed) {
      auto o = M::Step(m, op);
      if (o.accepted) m = std::move(o.next);
    }
    for (std::size_t i = first; i < picks->size(); ++i) {
      cand.clear();
      M::CandidateOps(m, cand);
      if (swarm != ~0u) {
        std::erase_if(cand,
                      [&](const typename M::Op& c) { return !(swarm >> (c.index() % 31) & 1); });
        if (cand.empty()) M::CandidateOps(m, cand);
      }
      if (cand.empty()) break;
      // Like the walks, prefer an op the model accepts so that sequences go
      // deep: up to four draws derived from the pick (deterministic, so a
      // shrunk pick list replays the same ops).
      // One pick in four takes its op as drawn, refused or not: mutants that
      // accept what the documents forbid only show on refused ops.
      std::uint64_t x = (*picks)[i];
      typename M::Op op = cand[x % cand.size()];
      auto o = M::Step(m, op);
      const int draws = ((x >> 29) & 3) == 0 ? 1 : 4;
      for (int d = 1; d < draws && !o.accepted; ++d) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        op = cand[(x >> 33) % cand.size()];
        o = M::Step(m, op);
      }
      ops.push_back(op);
      if (o.accepted) m = std::move(o.next);
    }
  }
  // The ops as sent (JSON text) and what the implementation may have done
  // for each; a step record gets the JSON only if the run fails.
  std::vector<std::string> sent(ops.size());
  std::vector<std::vector<typename M::Op>> alts(ops.size());
  for (std::size_t i = 0; i < ops.size(); ++i) {
    const auto& e = gate_internal::SendableOp<M>(ops[i], nodes, hello.env_choices);
    sent[i] = e.text;
    alts[i] = e.alternatives;
  }
  // The reset goes out with the first ops; its observation is checked
  // before any reply to them.
  auto on_ready = [&](nlohmann::json& init) {
    if (init.is_null()) return true;
    auto v = set.See(parse_obs(sut::Reply{false, "", init, ""}));
    note_departures(v);
    if (!fails(v.fit)) return true;
    GateStep<M> st{};
    st.fit = v.fit;
    st.why = v.why;
    st.reply.observation = std::move(init);
    st.allowed.push_back(M::Initial(config));
    run.steps.push_back(std::move(st));
    run.fit = v.fit;
    run.at_reset = true;
    failed = true;
    return false;
  };
  target.ResetThenApplyMany(
      M::ConfigToJson(config), sent, on_ready, [&](std::size_t i, sut::Reply& got) {
        const typename M::Op& op = ops[i];
        // The reply moves into the step record, with a few of the states the
        // model allowed before it (for the report).
        GateStep<M> st{op, {}, std::move(got), {}, {}, {}};
        for (std::size_t k = 0; k < set.size() && k < 3; ++k) {
          st.allowed.push_back(set.members()[k].state);
        }
        if (report) ++report->ops;
        Reply<M> reply{st.reply.accepted, std::nullopt};
        if (!st.reply.reason.empty()) {
          if (auto r = gate_internal::RuleNamed<M>(st.reply.reason)) {
            reply.reason = *r;
          } else if (report) {
            std::string w = "the implementation gave the reason \"" + st.reply.reason +
                            "\", which is no rule of " + std::string(M::kName) + "; it was ignored";
            if (std::find(report->warnings.begin(), report->warnings.end(), w) ==
                report->warnings.end()) {
              report->warnings.push_back(std::move(w));
            }
          }
        }
        auto v = set.Answer(alts[i], reply);
        if (v.fit != Fit::kMismatch &&
            (!st.reply.observation_text.empty() || !st.reply.observation.is_null())) {
          auto w = set.See(parse_obs(st.reply));
          if (w.fit != Fit::kMatch) v = w;
        }
        note_departures(v);
        st.fit = v.fit;
        st.why = v.why;
        if (rec && v.fit != Fit::kMismatch && !set.empty()) {
          const auto& m0 = st.allowed.front();
          auto o = M::Step(m0, op);
          Scratch<typename M::RuleId> refusals;
          M::Refusals(m0, op, *refusals);
          rec->OnStep(m0, o, &*refusals);
          if (refusals->size() == 1) {
            const std::size_t types = std::variant_size_v<typename M::Op>;
            report->refused_alone.resize(M::Rules().size() * types);
            report
                ->refused_alone[static_cast<std::size_t>(refusals->front()) * types + op.index()] =
                1;
          }
          if (o.accepted) {
            rec->OnTransition(m0, op, o.next);
            rec->OnState(o.next);
          }
        }
        run.steps.push_back(std::move(st));
        if (fails(v.fit)) {
          run.fit = v.fit;
          failed = true;
          return false;
        }
        return true;
      });
  if (failed && !run.at_reset) {
    // Kept for a report: the requests and observations as JSON.
    for (std::size_t k = 0; k < run.steps.size(); ++k) {
      run.steps[k].sent = nlohmann::json::parse(sent[k]);
      sut::MaterializeObservation(run.steps[k].reply);
    }
  }
  return run;
}

namespace gate_internal {

// Removes ops from a failing sequence while it still fails the same way:
// chunks of half its length, then smaller, down to single ops. Catches what
// shrinking the picks cannot (a steered run's route, ops a later pick
// depends on). Stops at the deadline with the smallest failure found.
template <CodecMachine M>
void ShrinkOps(GateTarget& target, const typename M::Config& config, const sut::HelloReply& hello,
               Profile profile, std::chrono::steady_clock::time_point deadline,
               GateFailure<M>& failure) {
  if (failure.at_reset) return;
  auto ops_of = [](const GateFailure<M>& f) {
    std::vector<typename M::Op> ops;
    for (const auto& st : f.steps) ops.push_back(st.op);
    return ops;
  };
  std::vector<typename M::Op> ops = ops_of(failure);
  for (std::size_t chunk = std::max<std::size_t>(ops.size() / 2, 1); chunk >= 1; chunk /= 2) {
    for (std::size_t i = 0; i < ops.size();) {
      if (std::chrono::steady_clock::now() > deadline) return;
      std::vector<typename M::Op> cut(ops.begin(), ops.begin() + static_cast<std::ptrdiff_t>(i));
      cut.insert(cut.end(),
                 ops.begin() + static_cast<std::ptrdiff_t>(std::min(i + chunk, ops.size())),
                 ops.end());
      bool failed = false;
      auto run = RunSequence<M>(target, config, hello, cut, nullptr, profile, nullptr, failed);
      if (failed && run.fit == failure.fit) {
        failure = std::move(run);
        ops = ops_of(failure);
      } else {
        i += chunk;
      }
    }
    if (chunk == 1) break;
  }
}

}  // namespace gate_internal

namespace gate_internal {

// One generated search: opt.runs runs, failing on what `fail` counts as a
// failure; the first failing run is shrunk (RapidCheck on the picks, then
// ShrinkOps). `routes` is found on first use and kept for a second search.
template <CodecMachine M>
void Search(GateTarget& target, const typename M::Config& config, const sut::HelloReply& hello,
            const GateOptions& opt, const std::vector<std::vector<typename M::Op>>& scenarios,
            Profile fail, std::optional<Routes<M>>& routes,
            std::chrono::steady_clock::time_point t0, GateReport<M>& report) {
  using Op = typename M::Op;
  auto since = [](std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
  };
  std::optional<sut::SutError> sut_error;
  std::optional<GateFailure<M>> last_failure;
  int runs = 0;
  std::chrono::steady_clock::time_point shrink_deadline;
  const auto shrink_budget =
      std::chrono::milliseconds(static_cast<long>(opt.shrink_seconds * 1000));
  std::size_t cursor = 0;
  const std::vector<Op> no_route;
  std::vector<Op> failing_route;  // the route of the run that failed first
  auto next_route = [&]() -> const std::vector<Op>& {
    if (!routes) {
      const auto r0 = std::chrono::steady_clock::now();
      Routes<M> found = FindRoutes<M>(config, opt.routes);
      routes.emplace();
      for (const auto& sc : scenarios) {
        routes->targets.push_back({"a scenario", sc, std::numeric_limits<std::size_t>::max()});
      }
      for (auto& t : found.targets) routes->targets.push_back(std::move(t));
      report.routes = routes->targets.size();
      report.routes_seconds = since(r0);
    }
    const auto& t = routes->targets;
    if (t.empty()) return no_route;
    // First every item the gate has not exercised yet, in the order found
    // (scenarios, then shortest routes first); then all of them, in turn.
    auto seen = [&](std::size_t item) {
      const std::size_t alone = AloneItemBase(report.coverage);
      if (item < alone) return CoverageItemSeen(report.coverage, item);
      return item - alone < report.refused_alone.size() && report.refused_alone[item - alone];
    };
    while (cursor < t.size() && seen(t[cursor].item)) ++cursor;
    ++report.steered;
    return t[cursor++ % t.size()].ops;
  };
  auto property = [&]() {
    // Shrinking removes ops; a pick's value never shrinks (a smaller value
    // picks an unrelated op, which only costs replays against the
    // implementation).
    auto picks = *rc::gen::scale(2.0, rc::gen::container<std::vector<std::uint32_t>>(
                                          rc::gen::noShrink(rc::gen::arbitrary<std::uint32_t>())));
    if (sut_error) return;  // finish quickly; the error is reported below
    // Out of shrinking time: every further candidate "passes" without
    // running, so RapidCheck stops with the smallest failure found.
    if (last_failure && std::chrono::steady_clock::now() > shrink_deadline) return;
    const std::vector<Op>& route =
        last_failure
            ? failing_route
            : (opt.steer && runs >= opt.unsteered && runs % 2 == 1 ? next_route() : no_route);
    const std::size_t room =
        std::max<std::size_t>(static_cast<std::size_t>(opt.max_ops), route.size() + 5) -
        route.size();
    if (picks.size() > room + 1) picks.resize(room + 1);
    bool failed = false;
    GateFailure<M> run;
    try {
      run = RunSequence<M>(target, config, hello, route, &picks, fail,
                           last_failure ? nullptr : &report, failed);
    } catch (const sut::SutError& e) {
      sut_error = e;
      return;
    }
    if (!last_failure) {
      ++runs;
      if (opt.progress) opt.progress(runs, opt.runs);
    }
    if (failed) {
      if (!last_failure) {
        // Half the time for shrinking the picks, the rest for ShrinkOps.
        shrink_deadline = std::chrono::steady_clock::now() + shrink_budget / 2;
        failing_route = route;
        report.found_in_run = runs;
        report.found_seconds = since(t0);
        report.found_ops = run.steps.size();
      }
      last_failure = std::move(run);
      RC_FAIL("the implementation departs from the model");
    }
  };
  rc::detail::TestParams params;
  params.seed = opt.seed;
  params.maxSuccess = opt.runs;
  params.maxSize = opt.max_ops;
  struct Quiet : rc::detail::TestListener {
    void onTestCaseFinished(const rc::detail::CaseDescription&) override {}
    void onShrinkTried(const rc::detail::CaseDescription&, bool) override {}
    void onTestFinished(const rc::detail::TestMetadata&, const rc::detail::TestResult&) override {}
  } quiet;
  rc::detail::TestMetadata meta{"haspec-gate", std::string(M::kName)};
  {
    // RapidCheck announces its configuration on std::cerr when it first
    // loads it; the gate reports its own seed.
    std::ostringstream sink;
    std::streambuf* saved = std::cerr.rdbuf(sink.rdbuf());
    struct Restore {
      std::streambuf* b;
      ~Restore() { std::cerr.rdbuf(b); }
    } restore{saved};
    rc::detail::checkProperty(rc::detail::toProperty(property), meta, params, quiet);
  }
  report.runs += runs;
  if (sut_error) throw *sut_error;
  if (last_failure) {
    try {
      ShrinkOps<M>(target, config, hello, fail, shrink_deadline + shrink_budget / 2, *last_failure);
    } catch (const sut::SutError& e) {
      report.warnings.push_back(std::string("the implementation failed while the counterexample "
                                            "was being shrunk, which stopped there: ") +
                                e.what());
    }
    report.failure = std::move(last_failure);
  }
}

}  // namespace gate_internal

// Generated runs; on a failure, the shrunk counterexample. `scenarios` are
// extra routes to steer by (documented scenarios, TraceRoutes), tried
// before the model's own. Throws sut::SutError when the implementation
// fails as a program.
//
// Violations come first under either profile: the search follows the
// implementation past a departure (as --documented-only does) and fails
// only on a violation. Under the full profile, when it found none but saw
// departures, a second search fails on the first departure, for its
// counterexample.
template <CodecMachine M>
GateReport<M> Gate(GateTarget& target, const typename M::Config& config, const GateOptions& opt,
                   const std::vector<std::vector<typename M::Op>>& scenarios = {}) {
  const auto t0 = std::chrono::steady_clock::now();
  GateReport<M> report;
  const sut::HelloReply hello = target.Hello(std::string(M::kName), M::ConfigToJson(config));
  report.implementation = hello.implementation;
  std::optional<Routes<M>> routes;
  gate_internal::Search<M>(target, config, hello, opt, scenarios, Profile::kDocumentedOnly, routes,
                           t0, report);
  if (opt.profile == Profile::kFull && !report.failure && !report.departures.empty()) {
    GateReport<M> second;
    second.routes = report.routes;
    second.routes_seconds = report.routes_seconds;
    gate_internal::Search<M>(target, config, hello, opt, scenarios, Profile::kFull, routes, t0,
                             second);
    report.runs += second.runs;
    report.ops += second.ops;
    report.steered += second.steered;
    report.failure = std::move(second.failure);
    report.found_in_run = second.found_in_run;
    report.found_seconds = second.found_seconds;
    report.found_ops = second.found_ops;
    for (auto& w : second.warnings) report.warnings.push_back(std::move(w));
  }
  return report;
}

}  // namespace haspec

#endif  // HASPEC_ENGINE_GATE_H_
