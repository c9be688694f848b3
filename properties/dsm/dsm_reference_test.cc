// The DSM reference implementation (sut/dsm/reference.h) against the model,
// in process: random walks over the model's CandidateOps and, at every few
// steps, every op of ForEachOp, each answer and observation checked with the
// consistent state set the gate uses (engine/consistent.h).
//
//   * as written, the reference is never a mismatch nor a departure: it
//     conforms to the model's own answers;
//   * each mutant of sut/dsm/manifest.json is caught (a mismatch) by some
//     seeded search;
//   * each alternative reading is a departure naming the manifest's rule,
//     never a mismatch;
//   * the reference never includes the model (it is written independently).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "engine/consistent.h"
#include "engine/rng.h"
#include "model/core/op_codec.h"
#include "model/core/rule.h"
#include "model/dsm/dsm.h"
#include "sut/dsm/reference.h"

namespace haspec::dsm {
namespace {

using nlohmann::json;
using sut::dsm_ref::DsmReference;
using Set = ConsistentSet<Dsm>;

RuleId RuleIdOf(const std::string& id) {
  const Rule* r = FindRule(Dsm::Rules(), id);
  if (r == nullptr) throw std::runtime_error("the reference gave an unknown rule " + id);
  return static_cast<RuleId>(r - Dsm::Rules().data());
}

std::string IdOf(RuleId r) { return std::string(Dsm::Rules()[Index(r)].id); }

// Configurations the searches run under: the default, UUID names with every
// fault, and a full cluster to start from (updates and promotes sooner).
const std::vector<json>& Configs() {
  static const std::vector<json> configs = {
      json::object(),
      {{"nodes",
        {"e6e517e5-fca0-4778-96bd-52cb374fb87d", "7fd97971-f6b8-4f04-b931-231a55dc3a48",
         "8a6cf2d7-187f-41b1-96f3-adbd74d5af20", "0b2c6f0e-5d0a-4a8e-9a43-2f7d1c3b9e11",
         "c41d9e77-3a52-4f6b-8e0d-6a9f2b1c7d35"}},
       {"faults", "all"}},
      {{"nodes", {"p1", "s1", "s2", "s3", "spare"}},
       {"faults", "all"},
       {"start", "cluster"},
       {"members", 4}},
      {{"nodes", {"p1", "s1", "s2", "spare1", "spare2"}},
       {"faults", {"apms", "postgres", "rabbitMQ", "vm_down", "catch_up"}},
       {"start", "cluster"}},
  };
  return configs;
}

struct RunResult {
  Fit worst = Fit::kMatch;
  std::set<std::string> rules;  // of the verdicts at the worst fit
  std::string trace;            // the ops so far and the failing verdict
};

// One in-process run of the reference beside the consistent state set.
class Session {
 public:
  Session(const std::vector<std::string>& switches, const json& config)
      : config_(Dsm::ConfigFromJson(config)), set_({Dsm::Initial(config_)}) {
    for (const auto& s : switches) {
      if (!ref_.Enable(s)) throw std::runtime_error("unknown switch " + s);
    }
    const json obs = ref_.Reset(config);
    Note(set_.See(Dsm::ObservationFromJson(obs, config_.nodes)), "reset", "");
  }

  const Config& config() const { return config_; }
  const RunResult& result() const { return out_; }
  const Set& set() const { return set_; }

  // Applies `op` to both.
  void Step(const Op& op) {
    std::string line;
    for (const auto& v : Apply(ref_, set_, op, line)) Note(v.first, v.second, line);
    trace_ += line;
  }

  // What `op` would give from here, on copies: the every-op check without
  // copying the trace.
  void Try(const Op& op) {
    DsmReference ref = ref_;
    Set set = set_;
    std::string line;
    for (const auto& v : Apply(ref, set, op, line)) Note(v.first, v.second, line);
  }

 private:
  using Verdicts = std::vector<std::pair<SetVerdict<Dsm>, const char*>>;

  Verdicts Apply(DsmReference& ref, Set& set, const Op& op, std::string& line) const {
    const json j = OpToJson(op, config_.nodes);
    sut::Result r = ref.Apply(j);
    Reply<Dsm> reply{r.accepted, std::nullopt};
    if (!r.accepted && !r.reason.empty()) reply.reason = RuleIdOf(r.reason);
    line = j.dump() + " -> " + (r.accepted ? "accepted" : "refused " + r.reason) + "\n";
    Verdicts out;
    out.emplace_back(set.Answer(op, reply), "answer");
    if (out.back().first.fit == Fit::kMismatch) return out;
    out.emplace_back(set.See(Dsm::ObservationFromJson(sut::ObservationOf(r), config_.nodes)),
                     "observation");
    return out;
  }

  void Note(const SetVerdict<Dsm>& v, const char* what, const std::string& line) {
    if (v.fit > out_.worst) {
      out_.worst = v.fit;
      out_.rules.clear();
      out_.trace = trace_ + line + "  " + what + ":";
      for (const auto& w : v.why) out_.trace += " " + IdOf(w.rule) + " (" + w.detail + ")";
    }
    if (v.fit == out_.worst && v.fit != Fit::kMatch) {
      for (const auto& w : v.why) out_.rules.insert(IdOf(w.rule));
    }
  }

  Config config_;
  DsmReference ref_;
  Set set_;
  std::string trace_;
  RunResult out_;
};

template <class... T>
constexpr std::uint32_t Types() {
  return ((1u << Op(T{}).index()) | ...);
}

const std::vector<std::uint32_t>& Scenarios() {
  static const std::vector<std::uint32_t> scenarios = {
      Types<ReleaseUpdate, StageUpdate, ApplyUpdate, CompleteUpdate, UpdateAgents>(),
      Types<DeployVm, ConfigureHa, AddStandby, FinishHaConfig, DeleteStandby, Promote,
            RestoreFromBackup>(),
      Types<ServiceDown, ServiceUp, NodeDown, NodeUp, PasswordExpires, ChangePassword, FallBehind,
            Request>(),
      // Changing the membership in the middle of a rollout.
      Types<ReleaseUpdate, StageUpdate, ApplyUpdate, DeployVm, AddStandby, FinishHaConfig,
            DeleteStandby>(),
  };
  return scenarios;
}

// A seeded random walk: candidates from a state the set still holds. Odd
// seeds mostly prefer ops the model accepts, so the walk goes deep, and draw
// uniformly one step in four, so refusals (where most bugs hide) still come;
// even seeds always draw uniformly. Two seeds in three are swarm walks: only
// some op types are drawn (a random half, or one scenario's), so long
// sequences of a few kinds (a whole update rollout, growing the cluster
// without deleting) happen. With `every_op`, every few steps every op of
// ForEachOp is also tried on a copy.
RunResult Walk(const std::vector<std::string>& switches, const json& config, std::uint64_t seed,
               int steps, int every_op = 0) {
  Session run(switches, config);
  Rng rng(seed);
  const int draws = seed % 2 ? 4 : 1;
  std::uint32_t types = ~0u;
  if (seed % 3 == 0) types = static_cast<std::uint32_t>(rng.Next());
  if (seed % 3 == 2) {
    // A scenario (a rollout, growing and shrinking the cluster, health
    // events) with a little noise from a random eighth of the other types.
    const auto& focus = Scenarios()[(seed / 3) % Scenarios().size()];
    types = focus | static_cast<std::uint32_t>(rng.Next() & rng.Next() & rng.Next());
  }
  std::vector<Op> all, ops;
  for (int i = 0; i < steps && run.result().worst != Fit::kMismatch; ++i) {
    if (every_op > 0 && i % every_op == 0) {
      ForEachOp<Op>(run.config().nodes, [&](const Op& op) {
        if (run.result().worst == Fit::kMatch) run.Try(op);
      });
      if (run.result().worst != Fit::kMatch) break;
    }
    const Dsm::State s = run.set().members().front().state;
    all.clear();
    ops.clear();
    Dsm::CandidateOps(s, all);
    for (const Op& op : all) {
      if (types >> op.index() & 1) ops.push_back(op);
    }
    if (ops.empty()) ops = all;
    const Op* op = &ops[rng.Below(ops.size())];
    const int n = rng.Below(4) == 0 ? 1 : draws;  // now and then a refusal, even deep
    for (int d = 1; d < n && !Dsm::Step(s, *op).accepted; ++d) {
      op = &ops[rng.Below(ops.size())];
    }
    run.Step(*op);
  }
  return run.result();
}

struct Switch {
  std::string name, kind, rule;
};

std::vector<Switch> Manifest() {
  std::ifstream f(std::string(HASPEC_SOURCE_DIR) + "/sut/dsm/manifest.json");
  json m = json::parse(f);
  std::vector<Switch> out;
  for (const json& s : m.at("switches")) {
    out.push_back({s.at("name"), s.at("kind"), s.at("rule")});
  }
  return out;
}

// Searches seeds and configurations until `done` says the outcome is what
// was looked for; returns the first such outcome, or the last one.
template <class Done>
RunResult Search(const std::vector<std::string>& switches, Done done, int* walks = nullptr) {
  RunResult last;
  int n = 0;
  for (std::uint64_t seed = 1; seed <= 200; ++seed) {
    for (const json& c : Configs()) {
      ++n;
      last = Walk(switches, c, seed, 120);
      if (done(last)) {
        if (walks) *walks = n;
        return last;
      }
    }
  }
  if (walks) *walks = n;
  return last;
}

TEST(DsmReference, ConformsOnRandomWalks) {
  for (std::uint64_t seed = 1; seed <= 30; ++seed) {
    for (const json& c : Configs()) {
      RunResult o = Walk({}, c, seed, 150);
      ASSERT_EQ(o.worst, Fit::kMatch) << "config " << c.dump() << " seed " << seed << "\n"
                                      << o.trace;
    }
  }
}

TEST(DsmReference, AnswersEveryOpAsTheModel) {
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    for (const json& c : Configs()) {
      RunResult o = Walk({}, c, seed, 40, /*every_op=*/8);
      ASSERT_EQ(o.worst, Fit::kMatch) << "config " << c.dump() << " seed " << seed << "\n"
                                      << o.trace;
    }
  }
}

TEST(DsmReference, ManifestListsTheReferenceSwitches) {
  const auto manifest = Manifest();
  const auto switches = sut::dsm_ref::Switches();
  ASSERT_EQ(manifest.size(), switches.size());
  int mutants = 0, readings = 0;
  for (std::size_t i = 0; i < manifest.size(); ++i) {
    EXPECT_EQ(manifest[i].name, switches[i].name);
    EXPECT_EQ(manifest[i].rule, switches[i].rule);
    const bool mutant = switches[i].kind == sut::dsm_ref::SwitchKind::kMutant;
    EXPECT_EQ(manifest[i].kind, mutant ? "mutant" : "reading");
    EXPECT_NE(FindRule(Dsm::Rules(), manifest[i].rule), nullptr) << manifest[i].rule;
    (mutant ? mutants : readings) += 1;
  }
  EXPECT_GE(mutants, 8);
  EXPECT_GE(readings, 2);
}

TEST(DsmReference, EveryMutantIsCaught) {
  for (const Switch& s : Manifest()) {
    if (s.kind != "mutant") continue;
    const auto t0 = std::chrono::steady_clock::now();
    int walks = 0;
    RunResult o = Search(
        {s.name}, [](const RunResult& x) { return x.worst == Fit::kMismatch; }, &walks);
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_EQ(o.worst, Fit::kMismatch) << "mutant " << s.name << " was not caught";
    std::cout << "[ mutant  ] " << s.name << ": caught after " << walks << " walk(s), " << ms
              << " ms;";
    for (const auto& r : o.rules) std::cout << " " << r;
    std::cout << "\n";
  }
}

TEST(DsmReference, EveryReadingIsADepartureNamingItsRule) {
  for (const Switch& s : Manifest()) {
    if (s.kind != "reading") continue;
    int walks = 0;
    bool mismatch = false;
    RunResult o = Search(
        {s.name},
        [&](const RunResult& x) {
          mismatch = mismatch || x.worst == Fit::kMismatch;
          return mismatch || (x.worst == Fit::kDeparture && x.rules.count(s.rule));
        },
        &walks);
    ASSERT_NE(o.worst, Fit::kMismatch) << "reading " << s.name << " is a mismatch\n" << o.trace;
    ASSERT_EQ(o.worst, Fit::kDeparture) << "reading " << s.name << " never departs";
    EXPECT_TRUE(o.rules.count(s.rule)) << "reading " << s.name << " departs from other rules";
    std::cout << "[ reading ] " << s.name << ": departure from " << s.rule << " after " << walks
              << " walk(s)\n";
    // And never a mismatch, on many walks.
    for (std::uint64_t seed = 1; seed <= 10; ++seed) {
      for (const json& c : Configs()) {
        RunResult w = Walk({s.name}, c, seed, 150);
        ASSERT_NE(w.worst, Fit::kMismatch) << "reading " << s.name << " seed " << seed << "\n"
                                           << w.trace;
        if (w.worst == Fit::kDeparture) {
          for (const auto& r : w.rules) EXPECT_EQ(r, s.rule) << "reading " << s.name;
        }
      }
    }
  }
}

// Written from the documents: the reference's sources include nothing of the
// model or the engines.
TEST(DsmReference, IncludesNeitherModelNorEngine) {
  for (const char* file : {"sut/dsm/reference.h", "sut/dsm/reference.cc", "sut/dsm/server.cc"}) {
    std::ifstream f(std::string(HASPEC_SOURCE_DIR) + "/" + file);
    ASSERT_TRUE(f) << file;
    std::string line;
    while (std::getline(f, line)) {
      if (line.rfind("#include", 0) != 0) continue;
      EXPECT_EQ(line.find("model/"), std::string::npos) << file << ": " << line;
      EXPECT_EQ(line.find("engine/"), std::string::npos) << file << ": " << line;
    }
  }
}

TEST(DsmReference, ReportsTheModelsObservationShape) {
  DsmReference ref;
  const json config = {{"nodes", {"a", "b", "c"}}, {"start", "cluster"}};
  const Config c = Dsm::ConfigFromJson(config);
  ref.Reset(config);
  const json obs =
      sut::ObservationOf(ref.Apply({{"op", "service_down"}, {"node", "b"}, {"service", "apms"}}));
  State s = Dsm::Initial(c);
  s = Dsm::Step(s, ServiceDown{1, Service::kApms}).next;
  EXPECT_EQ(obs, Dsm::ObservationToJson(Dsm::Observe(s), c.nodes));
}

}  // namespace
}  // namespace haspec::dsm
