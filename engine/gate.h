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

#include <chrono>
#include <functional>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "engine/consistent.h"
#include "engine/coverage.h"
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
    if (!hello_.reset && started_) {
      client_.Restart();
      client_.Hello(machine_, config_);
    }
    started_ = true;
    return client_.Reset(c);
  }
  sut::Reply Apply(const nlohmann::json& op, long seq) override { return client_.Apply(op, seq); }
  void Close() override { client_.Close(); }
  std::string StderrTail() const override { return client_.StderrTail(); }

 private:
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
      return sut::Reply{r.accepted, r.reason, r.observation};
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

}  // namespace gate_internal

// Runs one sequence against the target from a reset. Steps up to the first
// failing one (a violation; or a departure under the full profile). Throws
// sut::SutError when the implementation fails as a program.
template <CodecMachine M>
GateFailure<M> RunSequence(GateTarget& target, const typename M::Config& config,
                           const sut::HelloReply& hello, const std::vector<typename M::Op>& fixed,
                           const std::vector<std::uint32_t>* picks, Profile profile,
                           GateReport<M>* report, bool& failed) {
  const Nodes& nodes = config.nodes;
  GateFailure<M> run;
  failed = false;
  ConsistentSet<M> set({M::Initial(config)});
  auto parse_obs = [&](const nlohmann::json& j) {
    try {
      return M::ObservationFromJson(j, nodes);
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
  nlohmann::json init = target.Reset(M::ConfigToJson(config));
  if (!init.is_null()) {
    auto v = set.See(parse_obs(init));
    note_departures(v);
    if (fails(v.fit)) {
      GateStep<M> st{};
      st.fit = v.fit;
      st.why = v.why;
      st.reply.observation = init;
      st.allowed.push_back(M::Initial(config));
      run.steps.push_back(std::move(st));
      run.fit = v.fit;
      run.at_reset = true;
      failed = true;
      return run;
    }
  }
  CoverageRecorder<M>* rec = nullptr;
  std::optional<CoverageRecorder<M>> rec_storage;
  if (report) {
    rec_storage.emplace(report->coverage);
    rec = &*rec_storage;
  }
  std::vector<typename M::Op> cand, alts;
  const std::size_t n = picks ? picks->size() : fixed.size();
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
  for (std::size_t i = first; i < n; ++i) {
    const auto before = set.members();
    typename M::Op op;
    if (picks) {
      cand.clear();
      M::CandidateOps(before.front().state, cand);
      if (swarm != ~0u) {
        std::erase_if(cand,
                      [&](const typename M::Op& c) { return !(swarm >> (c.index() % 31) & 1); });
        if (cand.empty()) M::CandidateOps(before.front().state, cand);
      }
      if (cand.empty()) break;
      // Like the walks, prefer an op the model accepts so that sequences go
      // deep: up to four draws derived from the pick (deterministic, so a
      // shrunk pick list replays the same ops).
      // One pick in four takes its op as drawn, refused or not: mutants that
      // accept what the documents forbid only show on refused ops.
      std::uint64_t x = (*picks)[i];
      op = cand[x % cand.size()];
      const int draws = ((x >> 29) & 3) == 0 ? 1 : 4;
      for (int d = 1; d < draws && !M::Step(before.front().state, op).accepted; ++d) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        op = cand[(x >> 33) % cand.size()];
      }
    } else {
      op = fixed[i];
    }
    GateStep<M> st{op, gate_internal::Strip<M>(op, nodes, hello.env_choices, alts), {}, {}, {}, {}};
    for (std::size_t k = 0; k < before.size() && k < 3; ++k) st.allowed.push_back(before[k].state);
    st.reply = target.Apply(st.sent, static_cast<long>(i + 1));
    if (report) ++report->ops;
    Reply<M> reply{st.reply.accepted, std::nullopt};
    if (!st.reply.reason.empty()) {
      const Rule* r = FindRule(M::Rules(), st.reply.reason);
      if (r) {
        reply.reason = static_cast<typename M::RuleId>(r - M::Rules().data());
      } else if (report) {
        report->warnings.push_back("the implementation gave the reason \"" + st.reply.reason +
                                   "\", which is no rule of " + std::string(M::kName) +
                                   "; it was ignored");
      }
    }
    auto v = set.Answer(alts, reply);
    if (v.fit != Fit::kMismatch && !st.reply.observation.is_null()) {
      auto w = set.See(parse_obs(st.reply.observation));
      if (w.fit != Fit::kMatch) v = w;
    }
    note_departures(v);
    st.fit = v.fit;
    st.why = v.why;
    if (rec && v.fit != Fit::kMismatch && !set.empty()) {
      const auto& m0 = before.front().state;
      auto o = M::Step(m0, op);
      rec->OnStep(m0, o);
      if (o.accepted) rec->OnState(o.next);
    }
    run.steps.push_back(std::move(st));
    if (fails(v.fit)) {
      run.fit = v.fit;
      failed = true;
      return run;
    }
  }
  return run;
}

// Generated runs; on a failure, the shrunk counterexample. Throws
// sut::SutError when the implementation fails as a program.
template <CodecMachine M>
GateReport<M> Gate(GateTarget& target, const typename M::Config& config, const GateOptions& opt) {
  GateReport<M> report;
  const nlohmann::json config_json = M::ConfigToJson(config);
  const sut::HelloReply hello = target.Hello(std::string(M::kName), config_json);
  report.implementation = hello.implementation;
  std::optional<sut::SutError> sut_error;
  std::optional<GateFailure<M>> last_failure;
  int runs = 0;
  std::chrono::steady_clock::time_point shrink_deadline;
  auto property = [&]() {
    // Shrinking removes ops; a pick's value never shrinks (a smaller value
    // picks an unrelated op, which only costs replays against the
    // implementation).
    auto picks = *rc::gen::scale(2.0, rc::gen::container<std::vector<std::uint32_t>>(
                                          rc::gen::noShrink(rc::gen::arbitrary<std::uint32_t>())));
    if (picks.size() > static_cast<std::size_t>(opt.max_ops) + 1) picks.resize(opt.max_ops + 1);
    if (sut_error) return;  // finish quickly; the error is reported below
    // Out of shrinking time: every further candidate "passes" without
    // running, so RapidCheck stops with the smallest failure found.
    if (last_failure && std::chrono::steady_clock::now() > shrink_deadline) return;
    bool failed = false;
    GateFailure<M> run;
    try {
      run = RunSequence<M>(target, config, hello, {}, &picks, opt.profile,
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
        shrink_deadline = std::chrono::steady_clock::now() +
                          std::chrono::milliseconds(static_cast<long>(opt.shrink_seconds * 1000));
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
  report.runs = runs;
  if (sut_error) throw *sut_error;
  if (last_failure) report.failure = std::move(last_failure);
  return report;
}

}  // namespace haspec

#endif  // HASPEC_ENGINE_GATE_H_
