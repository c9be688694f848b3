// Differential test of the JSA reference implementation (sut/jsa/reference.h)
// against the model: the reference is driven in process with op sequences
// and every answer and observation is checked with the consistent state set
// the gate uses (engine/consistent.h).
//
//   * no switch: never a mismatch, never a departure, on random walks and on
//     every op of the complete op list in every visited state;
//   * each mutant: some seeded walk finds a mismatch;
//   * each reading: some walk departs from the rule the manifest names, and
//     no walk finds a mismatch;
//   * sut/jsa/manifest.json lists exactly the reference's switches, and the
//     reference never includes the model or the engines.
#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "engine/consistent.h"
#include "model/core/op_codec.h"
#include "model/jsa/jsa.h"
#include "sut/jsa/reference.h"

namespace haspec::jsa {
namespace {

using nlohmann::json;
using Reference = sut::jsa::HaCluster;
using Set = ConsistentSet<Jsa>;

// The configurations the walks cycle through: every initial situation, and
// the product's own host names.
std::vector<Config> Configs() {
  std::vector<Config> out;
  out.push_back(Jsa::DefaultConfig());
  out.push_back(Jsa::ConfigFromJson(json{{"pair", "synchronized"}, {"disk_replication", true}}));
  out.push_back(Jsa::ConfigFromJson(json{{"pair", "synchronized"}, {"disk_replication", false}}));
  out.push_back(Jsa::ConfigFromJson(json{{"pair", "synchronizing"}}));
  out.push_back(Jsa::ConfigFromJson(
      json{{"hosts", {{"primary", "qradar-pri"}, {"secondary", "qradar-sec"}}}}));
  out.push_back(
      Jsa::ConfigFromJson(json{{"hosts", {{"primary", "jsa-a.example"}, {"secondary", "jsa_b"}}},
                               {"pair", "synchronized"},
                               {"disk_replication", true}}));
  return out;
}

std::optional<RuleId> ReasonId(const std::string& reason) {
  if (reason.empty()) return std::nullopt;
  const Rule* r = FindRule(Jsa::Rules(), reason);
  if (r == nullptr) {
    ADD_FAILURE() << "the reference refused with \"" << reason << "\", not a rule of jsa";
    return std::nullopt;
  }
  return static_cast<RuleId>(r - Jsa::Rules().data());
}

std::string RuleName(RuleId r) { return std::string(Jsa::Rules()[static_cast<std::size_t>(r)].id); }

std::string Why(const SetVerdict<Jsa>& v) {
  std::string out;
  for (const auto& f : v.why) out += "\n    " + RuleName(f.rule) + ": " + f.detail;
  return out;
}

// The reference and the model's consistent set, side by side.
struct Pair {
  Config config;
  std::vector<std::string> switches;
  Reference ref;
  Set set;
  std::vector<Op> path;                     // the ops applied so far
  std::vector<std::string>* log = nullptr;  // when set, one line per answer

  Pair(const Config& c, const std::vector<std::string>& on)
      : config(c), switches(on), set({Jsa::Initial(c)}) {
    for (const auto& s : switches) ref.Enable(s);
  }

  // Resets the reference and checks its initial view.
  SetVerdict<Jsa> Start() {
    json shown = ref.Reset(Jsa::ConfigToJson(config));
    if (log) log->push_back("reset " + Jsa::ConfigToJson(config).dump() + " -> " + shown.dump());
    return set.See(Jsa::ObservationFromJson(shown, config.nodes));
  }

  // Applies op to both; the verdict of the answer, then of the view.
  SetVerdict<Jsa> Step(const Op& op) {
    path.push_back(op);
    const json j = OpToJson(op, config.nodes);
    const sut::Result r = ref.Apply(j);
    if (log) {
      log->push_back(j.dump() + " -> " + (r.accepted ? "accepted" : "refused " + r.reason) + " " +
                     sut::ObservationOf(r).dump());
    }
    SetVerdict<Jsa> v = set.Answer(op, {r.accepted, ReasonId(r.reason)});
    if (v.fit == Fit::kMismatch) return v;
    return set.See(Jsa::ObservationFromJson(sut::ObservationOf(r), config.nodes));
  }

  // The answers so far, one per line: replayed on a fresh pair so that the
  // hot path builds no text.
  std::string Trace() const {
    std::vector<std::string> lines;
    Pair replay(config, switches);
    replay.log = &lines;
    replay.Start();
    for (const Op& op : path) replay.Step(op);
    std::string out;
    for (const auto& t : lines) out += "\n  " + t;
    return out;
  }
};

// What a batch of walks found.
struct Findings {
  int walks = 0;
  std::string first_mismatch;  // the trace and why, or "" when none
  int mismatch_walk = -1;
  std::set<RuleId> departed;  // assumption rules departed from
  std::string first_departure;
};

std::vector<Op> AllOps(const Nodes& nodes) {
  std::vector<Op> ops;
  ForEachOp<Op>(nodes, [&](const Op& op) { ops.push_back(op); });
  return ops;
}

// Seeded random walks: three ops in four from the model's walk distribution
// (CandidateOps, which goes deep), the rest from the complete op list.
// Stops at the first mismatch.
Findings Walk(const std::vector<std::string>& switches, int walks, int length, std::uint32_t seed) {
  Findings f;
  const std::vector<Config> configs = Configs();
  std::mt19937 rng(seed);
  std::vector<Op> candidates;
  for (int w = 0; w < walks; ++w) {
    ++f.walks;
    const Config& c = configs[static_cast<std::size_t>(w) % configs.size()];
    const std::vector<Op> all = AllOps(c.nodes);
    Pair p(c, switches);
    auto judge = [&](const SetVerdict<Jsa>& v) {
      if (v.fit == Fit::kMismatch) {
        f.first_mismatch = p.Trace() + "\n  mismatch:" + Why(v);
        f.mismatch_walk = w;
        return false;
      }
      if (v.fit == Fit::kDeparture) {
        for (const auto& why : v.why) f.departed.insert(why.rule);
        if (f.first_departure.empty()) f.first_departure = p.Trace() + "\n  departs:" + Why(v);
      }
      return true;
    };
    if (!judge(p.Start())) return f;
    for (int i = 0; i < length; ++i) {
      Op op;
      if (rng() % 4 != 0) {
        candidates.clear();
        Jsa::CandidateOps(p.set.members().front().state, candidates);
        op = candidates[rng() % candidates.size()];
      } else {
        op = all[rng() % all.size()];
      }
      if (!judge(p.Step(op))) return f;
    }
  }
  return f;
}

std::vector<const sut::jsa::Switch*> SwitchesOf(sut::jsa::SwitchKind kind) {
  std::vector<const sut::jsa::Switch*> out;
  for (const auto& s : sut::jsa::Switches()) {
    if (s.kind == kind) out.push_back(&s);
  }
  return out;
}

TEST(JsaReference, ConformsToTheModelOnRandomWalks) {
  const Findings f = Walk({}, 600, 40, 20261122);
  EXPECT_EQ(f.first_mismatch, "") << "walk " << f.mismatch_walk << ":" << f.first_mismatch;
  EXPECT_TRUE(f.departed.empty()) << "the plain reference departs:" << f.first_departure;
}

// Breadth-first over every state the reference reaches (a state is the set
// of model states consistent with it so far), every op of the complete op
// list (every host, cause and ping outcome) in each. Stops at the first
// mismatch, which is then a shortest one.
Findings Explore(const std::vector<std::string>& switches, const Config& c,
                 std::set<std::string>* statuses = nullptr, std::size_t* states = nullptr) {
  Findings f;
  const std::vector<Op> all = AllOps(c.nodes);
  auto key = [](const Set& set) {
    std::vector<std::string> parts;
    for (const auto& m : set.members()) {
      // Departure tags are left out: what the reference may answer next
      // depends on the model states only.
      parts.push_back(Jsa::Show(Jsa::Canonical(m.state)));
    }
    std::sort(parts.begin(), parts.end());
    std::string k;
    for (const auto& p : parts) k += p + ";";
    return k;
  };
  auto judge = [&](const Pair& p, const SetVerdict<Jsa>& v) {
    if (v.fit == Fit::kMismatch) {
      f.first_mismatch = p.Trace() + "\n  mismatch:" + Why(v);
      return false;
    }
    if (v.fit == Fit::kDeparture) {
      for (const auto& why : v.why) f.departed.insert(why.rule);
      if (f.first_departure.empty()) f.first_departure = p.Trace() + "\n  departs:" + Why(v);
    }
    return true;
  };
  std::set<std::string> seen;
  std::deque<Pair> frontier;
  Pair start(c, switches);
  if (!judge(start, start.Start())) return f;
  seen.insert(key(start.set));
  frontier.push_back(start);
  while (!frontier.empty()) {
    Pair p = std::move(frontier.front());
    frontier.pop_front();
    for (const Op& op : all) {
      Pair next = p;
      if (!judge(next, next.Step(op))) return f;
      if (statuses != nullptr) {
        for (const auto& m : next.set.members()) {
          for (int h = 0; h < (m.state.paired ? kHosts : 1); ++h) {
            statuses->insert(std::string(kStatusNames.Name(m.state.hosts[h].status)));
          }
        }
      }
      if (seen.insert(key(next.set)).second) frontier.push_back(std::move(next));
    }
  }
  if (states != nullptr) *states = seen.size();
  return f;
}

// The reference conforms in every state it reaches, under every op, and
// reaches every status of seed 003.
TEST(JsaReference, ConformsInEveryReachableState) {
  std::set<std::string> statuses;
  for (const Config& c : Configs()) {
    std::size_t states = 0;
    const Findings f = Explore({}, c, &statuses, &states);
    EXPECT_EQ(f.first_mismatch, "") << f.first_mismatch;
    EXPECT_TRUE(f.departed.empty()) << "the plain reference departs:" << f.first_departure;
    std::cout << "[ states   ] " << states << " from " << Jsa::ConfigToJson(c).dump() << "\n";
    EXPECT_GT(states, 50u);
  }
  EXPECT_EQ(statuses.size(), kStatusNames.size());
}

// Each mutant: seeded walks from every initial situation find a mismatch.
class JsaMutant : public testing::TestWithParam<std::string_view> {};

TEST_P(JsaMutant, IsCaught) {
  const sut::jsa::Switch* m = sut::jsa::FindSwitch(GetParam());
  ASSERT_NE(m, nullptr);
  ASSERT_NE(FindRule(Jsa::Rules(), m->rule), nullptr) << m->name << ": " << m->rule;
  const Findings f = Walk({std::string(m->name)}, 3000, 40, 1);
  ASSERT_NE(f.first_mismatch, "") << "mutant " << m->name << " (" << m->rule << ") survived "
                                  << f.walks << " walks";
  std::cout << "[ caught   ] " << m->name << " in walk " << f.mismatch_walk
            << f.first_mismatch.substr(f.first_mismatch.find("\n  mismatch:")) << "\n";
}

TEST(JsaReference, HasEightMutantsAndTwoReadings) {
  EXPECT_GE(SwitchesOf(sut::jsa::SwitchKind::kMutant).size(), 8u);
  EXPECT_GE(SwitchesOf(sut::jsa::SwitchKind::kReading).size(), 2u);
}

// Each reading, on random walks and over every state it reaches from each
// initial situation: it departs from the assumption rule the manifest
// names, from no other, and never breaks a documented rule.
class JsaReading : public testing::TestWithParam<std::string_view> {};

TEST_P(JsaReading, DepartsOnlyFromItsAssumption) {
  const sut::jsa::Switch* r = sut::jsa::FindSwitch(GetParam());
  ASSERT_NE(r, nullptr);
  const Rule* rule = FindRule(Jsa::Rules(), r->rule);
  ASSERT_NE(rule, nullptr) << r->name;
  EXPECT_FALSE(IsDocumented(*rule)) << r->name << ": " << r->rule << " is not an assumption";
  const auto id = static_cast<RuleId>(rule - Jsa::Rules().data());
  std::vector<Findings> searches = {Walk({std::string(r->name)}, 300, 40, 3)};
  for (const Config& c : Configs()) searches.push_back(Explore({std::string(r->name)}, c));
  bool departed = false;
  for (const Findings& f : searches) {
    EXPECT_EQ(f.first_mismatch, "") << "reading " << r->name << ":" << f.first_mismatch;
    departed = departed || f.departed.count(id) > 0;
    for (RuleId d : f.departed) {
      EXPECT_EQ(d, id) << "reading " << r->name << " also departs from " << RuleName(d) << ":"
                       << f.first_departure;
    }
  }
  EXPECT_TRUE(departed) << "reading " << r->name << " never departed from " << r->rule;
}

std::vector<std::string_view> NamesOf(sut::jsa::SwitchKind kind) {
  std::vector<std::string_view> out;
  for (const auto* s : SwitchesOf(kind)) out.push_back(s->name);
  return out;
}

std::string TestName(const testing::TestParamInfo<std::string_view>& info) {
  std::string n;
  for (char c : info.param) n += c == '-' ? '_' : c;
  return n;
}

INSTANTIATE_TEST_SUITE_P(Switches, JsaMutant,
                         testing::ValuesIn(NamesOf(sut::jsa::SwitchKind::kMutant)), TestName);
INSTANTIATE_TEST_SUITE_P(Switches, JsaReading,
                         testing::ValuesIn(NamesOf(sut::jsa::SwitchKind::kReading)), TestName);

// A few answers worked by hand, each from a sentence of the documents.
TEST(JsaReference, WorkedAnswers) {
  Reference ref;
  ref.Reset({{"pair", "synchronized"}, {"hosts", {{"primary", "a"}, {"secondary", "b"}}}});
  // Seed 003: if the primary fails, the secondary assumes its role.
  auto r = ref.Apply({{"op", "host_fails"}, {"host", "a"}, {"cause", "raid"}});
  EXPECT_TRUE(r.accepted);
  EXPECT_EQ(sut::ObservationOf(r)["hosts"]["a"]["status"], "FAILED");
  EXPECT_EQ(sut::ObservationOf(r)["hosts"]["b"]["status"], "ACTIVE");
  EXPECT_EQ(sut::ObservationOf(r)["active"], "b");
  // Seed 003: repaired or replaced, and then restored.
  r = ref.Apply({{"op", "restore_host"}, {"host", "a"}});
  EXPECT_FALSE(r.accepted);
  EXPECT_EQ(r.reason, "JSA-PRE-RESTORE-NEEDS-REPAIR");
  EXPECT_TRUE(ref.Apply({{"op", "repair_host"}, {"host", "a"}, {"replace", true}}).accepted);
  EXPECT_TRUE(ref.Apply({{"op", "restore_host"}, {"host", "a"}}).accepted);
  // S-JSA-FO: the recovered primary acts as the standby system.
  r = ref.Apply({{"op", "complete"}, {"host", "a"}});
  EXPECT_EQ(sut::ObservationOf(r)["hosts"]["a"]["status"], "STANDBY");
  r = ref.Apply({{"op", "switch_primary_to_active"}});
  EXPECT_TRUE(r.accepted);
  EXPECT_EQ(sut::ObservationOf(r)["active"], "a");
  EXPECT_EQ(sut::ObservationOf(r)["hosts"]["b"]["status"], "STANDBY");
}

TEST(JsaReference, RefusesWhatItCannotParse) {
  Reference ref;
  EXPECT_THROW(ref.Reset({{"pair", "tripled"}}), std::runtime_error);
  EXPECT_THROW(ref.Reset({{"hosts", {{"primary", "x"}, {"secondary", "x"}}}}), std::runtime_error);
  EXPECT_THROW(ref.Reset({{"pair", "synchronizing"}, {"disk_replication", false}}),
               std::runtime_error);
  EXPECT_THROW(ref.Reset({{"disk_replication", true}}), std::runtime_error);
  ref.Reset(json::object());
  EXPECT_THROW(ref.Apply({{"op", "reboot"}}), std::runtime_error);
  EXPECT_THROW(ref.Apply({{"op", "set_offline"}, {"host", "nobody"}}), std::runtime_error);
  EXPECT_THROW(ref.Apply({{"op", "host_fails"}, {"host", "primary"}, {"cause", "x"}}),
               std::runtime_error);
  EXPECT_THROW(ref.Enable("no-such-switch"), std::invalid_argument);
  // Before the pair exists the secondary is absent, and ops naming it are
  // refused, not errors.
  auto r = ref.Apply({{"op", "complete"}, {"host", "secondary"}});
  EXPECT_FALSE(r.accepted);
  EXPECT_EQ(r.reason, "JSA-PRE-HOST-IN-PAIR");
  EXPECT_EQ(sut::ObservationOf(r)["hosts"]["secondary"], "absent");
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(JsaReference, ManifestListsEverySwitch) {
  const std::string path = std::string(HASPEC_SOURCE_DIR) + "/sut/jsa/manifest.json";
  const json m = json::parse(ReadFile(path));
  EXPECT_EQ(m.at("machine"), "jsa");
  EXPECT_EQ(m.at("implementation"), "haspec-ref-jsa");
  EXPECT_EQ(m.at("command"), json::array({"sut/jsa/haspec-ref-jsa"}));
  const json& listed = m.at("switches");
  const auto switches = sut::jsa::Switches();
  ASSERT_EQ(listed.size(), switches.size()) << path;
  for (std::size_t i = 0; i < switches.size(); ++i) {
    const auto& s = switches[i];
    const json& e = listed[i];
    const std::string kind(sut::jsa::KindName(s.kind));
    EXPECT_EQ(e.at("name"), std::string(s.name));
    EXPECT_EQ(e.at("kind"), kind) << s.name;
    EXPECT_EQ(e.at("flag"), "--" + kind + " " + std::string(s.name));
    EXPECT_EQ(e.at("rule"), std::string(s.rule)) << s.name;
    EXPECT_EQ(e.at("bug"), std::string(s.bug)) << s.name;
    EXPECT_NE(FindRule(Jsa::Rules(), s.rule), nullptr) << s.name << ": " << s.rule;
  }
}

// Written from the documents: the reference includes nothing of the model
// or of the engines that check it.
TEST(JsaReference, NeverIncludesTheModel) {
  for (const char* file : {"reference.h", "reference.cc", "server.cc"}) {
    std::istringstream in(ReadFile(std::string(HASPEC_SOURCE_DIR) + "/sut/jsa/" + file));
    std::string line;
    int includes = 0;
    while (std::getline(in, line)) {
      if (line.rfind("#include", 0) != 0) continue;
      ++includes;
      EXPECT_EQ(line.find("model/"), std::string::npos) << file << ": " << line;
      EXPECT_EQ(line.find("engine/"), std::string::npos) << file << ": " << line;
    }
    EXPECT_GT(includes, 0) << file << " not found";
  }
}

}  // namespace
}  // namespace haspec::jsa
