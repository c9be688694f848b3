// The vcs-system reference implementation (sut/vcs_system/reference.h)
// against the model, in process: seeded random walks over the model's
// CandidateOps, and every op of ForEachOp along some walks, each answer and
// observation checked with the consistent state set (engine/consistent.h).
// Without a switch the reference fits the model's own answers (never a
// mismatch, never a departure); every mutant is caught with a mismatch;
// every reading departs from the assumption rule the manifest names and
// never mismatches.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <ostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "engine/consistent.h"
#include "engine/rng.h"
#include "model/core/op_codec.h"
#include "model/vcs_system/vcs_system.h"
#include "sut/vcs_system/reference.h"

namespace haspec::sut::vcs_system {
// Test names and failure messages print a switch by its name.
void PrintTo(const SwitchInfo& s, std::ostream* os) { *os << s.name; }
}  // namespace haspec::sut::vcs_system

namespace haspec::vcs_system {
namespace {

using nlohmann::json;
using V = VcsSystem;
namespace ref = ::haspec::sut::vcs_system;

std::string ReadFile(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// Where a drive ended: the first mismatch (if any) and every assumption
// departed from on the way.
struct Drive {
  bool mismatch = false;
  std::string detail;  // the trace and why, for a mismatch
  std::set<std::string> departures;
  int steps = 0;
};

// One reference and the model states consistent with what it said so far.
class Pair {
 public:
  Pair(const json& config_json, const std::vector<ref::Switch>& switches)
      : config_(V::ConfigFromJson(config_json)), set_({V::Initial(config_)}) {
    for (ref::Switch s : switches) cluster_.Enable(s);
    const json obs = cluster_.Reset(config_json);
    Record(set_.See(V::ObservationFromJson(obs, config_.nodes)), "reset");
  }

  const Config& config() const { return config_; }
  const V::State& AnyState() const { return set_.members().front().state; }
  const Drive& drive() const { return drive_; }

  // Sends `op` to the reference and checks its answer and observation.
  void Step(const Op& op) {
    const json j = OpToJson(op, config_.nodes);
    trace_ += j.dump() + "\n";
    const sut::Result r = cluster_.Apply(j);
    Reply<V> reply{.accepted = r.accepted, .reason = std::nullopt};
    if (!r.accepted && !r.reason.empty()) {
      const Rule* rule = FindRule(V::Rules(), r.reason);
      ASSERT_NE(rule, nullptr) << "unknown reason " << r.reason;
      ASSERT_EQ(rule->kind, RuleKind::kPrecondition) << r.reason << " is not a precondition";
      reply.reason = static_cast<RuleId>(rule - V::Rules().data());
    }
    trace_ += std::string("  -> ") + (r.accepted ? "accepted" : "refused " + r.reason) + " " +
              sut::ObservationOf(r).dump() + "\n";
    ++drive_.steps;
    if (!Record(set_.Answer(op, reply), "answer")) return;
    Record(set_.See(V::ObservationFromJson(sut::ObservationOf(r), config_.nodes)), "observation");
  }

 private:
  bool Record(const SetVerdict<V>& v, const char* what) {
    if (v.fit == Fit::kMismatch && !drive_.mismatch) {
      drive_.mismatch = true;
      drive_.detail = trace_ + "mismatch on the " + what + ":";
      for (const auto& w : v.why)
        drive_.detail += " " + std::string(RuleOf<V>(w.rule).id) + " (" + w.detail + ")";
    }
    if (v.fit == Fit::kDeparture) {
      for (const auto& w : v.why) drive_.departures.insert(std::string(RuleOf<V>(w.rule).id));
    }
    return v.fit != Fit::kMismatch;
  }

  Config config_;
  ConsistentSet<V> set_;
  ref::Cluster cluster_;
  std::string trace_;
  Drive drive_;
};

// A seeded random walk of `steps` ops drawn from the model's CandidateOps.
Drive Walk(const json& config, const std::vector<ref::Switch>& switches, std::uint64_t seed,
           int steps) {
  Pair p(config, switches);
  Rng rng(seed);
  std::vector<Op> ops;
  for (int i = 0; i < steps && !p.drive().mismatch; ++i) {
    ops.clear();
    V::CandidateOps(p.AnyState(), ops);
    p.Step(ops[rng.Below(ops.size())]);
  }
  return p.drive();
}

const json kDefault = json::object();
// User names, a stale and an invalid main.cf, and a system without an entry.
const json kThree = {
    {"systems", {"alpha", "beta", "gamma"}}, {"stale", {"beta"}}, {"invalid", {"gamma"}}};
const json kFour = {{"systems", {"n1", "n2", "n3", "n4"}}, {"no_entry", {"n4"}}};
const json kConfigs[] = {kDefault, kThree, kFour};

TEST(VcsSystemReference, ConformsOnRandomWalks) {
  int steps = 0;
  for (const json& config : kConfigs) {
    for (std::uint64_t seed = 1; seed <= 100; ++seed) {
      const Drive d = Walk(config, {}, seed, 80);
      steps += d.steps;
      ASSERT_FALSE(d.mismatch) << "config " << config.dump() << " seed " << seed << "\n"
                               << d.detail;
      ASSERT_TRUE(d.departures.empty()) << "config " << config.dump() << " seed " << seed
                                        << " departed from " << *d.departures.begin();
    }
  }
  std::cout << steps << " steps checked\n";
}

// Every op of the complete list, from every state along a few walks.
TEST(VcsSystemReference, ConformsOnEveryOp) {
  for (const json& config : {kDefault, kThree}) {
    for (std::uint64_t seed = 1; seed <= 6; ++seed) {
      Pair p(config, {});
      Rng rng(seed * 7919);
      std::vector<Op> ops;
      for (int i = 0; i < 40; ++i) {
        ForEachOp<Op>(p.config().nodes, [&](const Op& op) {
          Pair copy = p;
          copy.Step(op);
          ASSERT_FALSE(copy.drive().mismatch) << copy.drive().detail;
          ASSERT_TRUE(copy.drive().departures.empty()) << V::Show(op);
        });
        ops.clear();
        V::CandidateOps(p.AnyState(), ops);
        p.Step(ops[rng.Below(ops.size())]);
        ASSERT_FALSE(p.drive().mismatch) << p.drive().detail;
      }
    }
  }
}

// The first seed whose walk ends in a mismatch, or 0.
std::uint64_t FindMismatch(ref::Switch s, std::string* detail) {
  for (std::uint64_t seed = 1; seed <= 400; ++seed) {
    for (const json& config : kConfigs) {
      Drive d = Walk(config, {s}, seed, 80);
      if (d.mismatch) {
        *detail = d.detail;
        return seed;
      }
    }
  }
  return 0;
}

std::vector<ref::SwitchInfo> SwitchesOf(ref::SwitchKind kind) {
  std::vector<ref::SwitchInfo> out;
  for (const ref::SwitchInfo& s : ref::Switches()) {
    if (s.kind == kind) out.push_back(s);
  }
  return out;
}

std::string TestName(const testing::TestParamInfo<ref::SwitchInfo>& info) {
  std::string name(info.param.name);
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

TEST(VcsSystemReference, EnoughSwitches) {
  EXPECT_GE(SwitchesOf(ref::SwitchKind::kMutant).size(), 8u);
  EXPECT_GE(SwitchesOf(ref::SwitchKind::kReading).size(), 2u);
}

class Mutant : public testing::TestWithParam<ref::SwitchInfo> {};

TEST_P(Mutant, IsCaught) {
  const ref::SwitchInfo& s = GetParam();
  std::string detail;
  const std::uint64_t seed = FindMismatch(s.id, &detail);
  ASSERT_NE(seed, 0u) << "mutant " << s.name << " was never caught";
  // The verdict line: the rule the mutant broke, as the gate would name it.
  std::cout << "mutant " << s.name << ": caught at seed " << seed << ", "
            << detail.substr(detail.rfind('\n') + 1) << "\n";
}

INSTANTIATE_TEST_SUITE_P(VcsSystemReference, Mutant,
                         testing::ValuesIn(SwitchesOf(ref::SwitchKind::kMutant)), TestName);

class Reading : public testing::TestWithParam<ref::SwitchInfo> {};

TEST_P(Reading, DepartsAndNeverMismatches) {
  const ref::SwitchInfo& s = GetParam();
  int departed = 0;
  for (const json& config : kConfigs) {
    for (std::uint64_t seed = 1; seed <= 100; ++seed) {
      const Drive d = Walk(config, {s.id}, seed, 80);
      ASSERT_FALSE(d.mismatch) << "reading " << s.name << " config " << config.dump() << " seed "
                               << seed << "\n"
                               << d.detail;
      for (const std::string& r : d.departures) {
        EXPECT_EQ(r, s.rule) << "reading " << s.name << " seed " << seed;
      }
      departed += d.departures.count(std::string(s.rule)) > 0;
    }
  }
  EXPECT_GT(departed, 0) << "reading " << s.name << " never departed from " << s.rule;
  std::cout << "reading " << s.name << ": departs from " << s.rule << " on " << departed
            << " walks\n";
}

INSTANTIATE_TEST_SUITE_P(VcsSystemReference, Reading,
                         testing::ValuesIn(SwitchesOf(ref::SwitchKind::kReading)), TestName);

// The manifest the gate and users read lists exactly the reference's
// switches; each names a rule of the catalogue, and a reading an assumption.
TEST(VcsSystemReference, ManifestMatchesSwitches) {
  const json m =
      json::parse(ReadFile(std::string(HASPEC_SOURCE_DIR) + "/sut/vcs_system/manifest.json"));
  EXPECT_EQ(m.at("machine"), "vcs-system");
  EXPECT_EQ(m.at("implementation"), "haspec-ref-vcs-system");
  EXPECT_EQ(m.at("command"), json({"sut/vcs_system/haspec-ref-vcs-system"}));
  const json& sw = m.at("switches");
  ASSERT_EQ(sw.size(), ref::Switches().size());
  for (std::size_t i = 0; i < sw.size(); ++i) {
    const ref::SwitchInfo& s = ref::Switches()[i];
    const std::string kind = s.kind == ref::SwitchKind::kMutant ? "mutant" : "reading";
    EXPECT_EQ(sw[i].at("name"), s.name);
    EXPECT_EQ(sw[i].at("kind"), kind);
    EXPECT_EQ(sw[i].at("flag"), "--" + kind + " " + std::string(s.name));
    EXPECT_EQ(sw[i].at("rule"), s.rule);
    EXPECT_EQ(sw[i].at("bug"), s.bug);
    const Rule* rule = FindRule(V::Rules(), s.rule);
    ASSERT_NE(rule, nullptr) << s.rule;
    // A mutant breaks a documented rule, so both profiles catch it; a reading
    // departs from an assumption only.
    EXPECT_EQ(IsDocumented(*rule), s.kind == ref::SwitchKind::kMutant) << s.name << ": " << s.rule;
  }
}

// Written from the documents: nothing under model/ or engine/.
TEST(VcsSystemReference, NeverIncludesTheModel) {
  for (const char* file : {"reference.h", "reference.cc", "server.cc"}) {
    const std::string text = ReadFile(std::string(HASPEC_SOURCE_DIR) + "/sut/vcs_system/" + file);
    ASSERT_FALSE(text.empty()) << file;
    EXPECT_EQ(text.find("#include \"model/"), std::string::npos) << file;
    EXPECT_EQ(text.find("#include \"engine/"), std::string::npos) << file;
  }
}

TEST(VcsSystemReference, EnvChoicesAreFieldsOfTheMachine) {
  ref::Cluster c;
  for (const std::string& f : c.EnvChoices()) {
    EXPECT_EQ(f, "local_build_done.hacf_error");
  }
  EXPECT_EQ(c.Machine(), std::string(V::kName));
}

TEST(VcsSystemReference, RefusesBadConfigurationsAndOps) {
  ref::Cluster c;
  EXPECT_THROW(c.Reset({{"systems", json::array()}}), std::runtime_error);
  EXPECT_THROW(c.Reset({{"systems", {"a", "a"}}}), std::runtime_error);
  EXPECT_THROW(c.Reset({{"nodes", {"a"}}}), std::runtime_error);
  EXPECT_THROW(c.Reset({{"systems", {"a"}}, {"stale", {"a"}}, {"invalid", {"a"}}}),
               std::runtime_error);
  c.Reset({{"systems", {"a", "b"}}});
  EXPECT_THROW(c.Apply({{"op", "hastart"}, {"sys", "c"}}), std::runtime_error);
  EXPECT_THROW(c.Apply({{"op", "warp"}}), std::runtime_error);
  EXPECT_THROW(c.Apply({{"op", "hastart"}, {"sys", "a"}, {"mode", "fast"}}), std::runtime_error);
  EXPECT_TRUE(c.Apply({{"op", "hastart"}, {"sys", "a"}}).accepted);
}

}  // namespace
}  // namespace haspec::vcs_system
