// The reference global cluster (sut/vcs_gco/) against the model, in
// process: seeded random walks over the model's CandidateOps drive the
// reference through the protocol's JSON, and every answer and observation
// is held against the set of model states consistent with what came back
// (engine/consistent.h), as `haspec gate` does. At sampled steps every op
// of the complete op list (ForEachOp) is tried on copies.
//
// With no switch the reference never mismatches and never departs; each
// mutant is caught as a mismatch; each alternative reading departs, naming
// the assumption rule the manifest gives, and never mismatches.
#include <gtest/gtest.h>

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
#include "model/vcs_gco/vcs_gco.h"
#include "sut/vcs_gco/reference.h"

namespace haspec::vcs_gco {
namespace {

using nlohmann::json;
using M = VcsGco;
namespace ref = haspec::sut::vcs_gco;

// The configurations every walk runs over: the default, a larger mesh with
// the product's own names, two heartbeats and every connector simulated,
// a stopped global cluster, and two observers of three clusters.
std::vector<json> Configs() {
  return {
      json::object(),
      {{"clusters", {"east", "west", "south", "north"}},
       {"heartbeats", {"Icmp", "IcmpS"}},
       {"observers", "all"},
       {"start", "all_running"}},
      {{"clusters", {"paris", "tokyo"}}, {"observers", "all"}, {"start", "all_exited"}},
      {{"heartbeats", {"Icmp", "IcmpS"}}, {"observers", {"clus0", "clus1"}}},
  };
}

// What one walk found.
struct Found {
  bool mismatch = false;
  std::set<std::string> departures;  // assumption rules departed from
  bool walk_departed = false;        // the walk itself (not only a tried op) departed
  std::string report;                // the trace up to the first mismatch
};

std::string RulesOf(const std::vector<FindingOf<M>>& why) {
  std::string out;
  for (const auto& w : why) out += " " + std::string(RuleOf<M>(w.rule).id) + " (" + w.detail + ")";
  return out;
}

// Sends `op` to the reference and narrows `set` with its answer and its
// observation. Returns the verdict after both.
SetVerdict<M> Drive(ref::GlobalCluster& impl, ConsistentSet<M>& set, const M::Op& op,
                    const Nodes& nodes, std::string* line, std::string* obs) {
  const json j = OpToJson(op, nodes);
  const sut::Result r = impl.Apply(j);
  Reply<M> reply;
  reply.accepted = r.accepted;
  if (!r.accepted && !r.reason.empty()) {
    const Rule* rule = FindRule(M::Rules(), r.reason);
    EXPECT_NE(rule, nullptr) << "reason " << r.reason << " is not a rule of vcs-gco";
    if (rule) reply.reason = static_cast<M::RuleId>(rule - M::Rules().data());
  }
  if (line) {
    *line = j.dump() + " -> " + (r.accepted ? "accepted" : "refused " + r.reason);
    if (obs) *obs = sut::ObservationOf(r).dump();
  }
  SetVerdict<M> v = set.Answer(op, reply);
  if (v.fit == Fit::kMismatch) return v;
  return set.See(M::ObservationFromJson(sut::ObservationOf(r), nodes));
}

void Note(Found& f, const SetVerdict<M>& v, const std::string& line, const std::string& obs,
          const std::string& trace) {
  if (v.fit == Fit::kDeparture) {
    for (const auto& w : v.why) f.departures.insert(std::string(RuleOf<M>(w.rule).id));
  }
  if (v.fit == Fit::kMismatch && !f.mismatch) {
    f.mismatch = true;
    f.report = trace + "  " + line + "\n  shows " + obs + "\n  MISMATCH:" + RulesOf(v.why) + "\n";
  }
}

// The last few lines of a trace: enough to read a counterexample.
void Keep(std::string& trace, const std::string& line) {
  constexpr std::size_t kMaxLines = 12;
  trace += "  " + line + "\n";
  std::size_t lines = 0;
  for (char ch : trace) lines += ch == '\n';
  if (lines <= kMaxLines + 1) return;
  const std::size_t header = trace.find('\n') + 1;
  const std::size_t second = trace.find('\n', header) + 1;
  trace.replace(header, second - header, "  ...\n");
}

// One seeded walk of `steps` ops; every `sweep` steps (0: never) each op of
// the complete list is also tried on copies of the reference and the set,
// and the walk takes the first op found departing, if any.
Found Walk(const json& config, std::uint64_t seed, int steps, int sweep,
           const std::vector<ref::Mutant>& mutants, const std::vector<ref::Reading>& readings,
           const std::vector<json>& lead_in = {}) {
  const M::Config c = M::ConfigFromJson(config);
  ref::GlobalCluster impl;
  for (auto m : mutants) impl.Enable(m);
  for (auto r : readings) impl.Enable(r);
  Found f;
  std::string trace = "config " + config.dump() + " seed " + std::to_string(seed) + "\n";
  ConsistentSet<M> set({M::Initial(c)});
  const json initial = impl.Reset(config);
  Note(f, set.See(M::ObservationFromJson(initial, c.nodes)), "reset", initial.dump(), trace);
  if (f.mismatch) return f;
  // A directed lead-in (ops as the protocol sends them) before the walk.
  for (const json& j : lead_in) {
    const M::Op op = OpFromJson<M::Op>(j, c.nodes, "lead-in");
    std::string line, obs;
    const auto v = Drive(impl, set, op, c.nodes, &line, &obs);
    Note(f, v, line, obs, trace);
    if (f.mismatch) return f;
    f.walk_departed = f.walk_departed || v.fit == Fit::kDeparture;
    Keep(trace, line);
  }
  Rng rng(seed);
  std::vector<M::Op> ops;
  for (int i = 0; i < steps; ++i) {
    // An op the sweep found departing is taken next, so that a walk goes on
    // past its departure (a reading must not turn into a mismatch later).
    std::optional<M::Op> departing;
    if (sweep > 0 && i % sweep == 0) {
      ForEachOp<M::Op>(c.nodes, [&](const M::Op& op) {
        if (f.mismatch) return;
        ref::GlobalCluster copy = impl;
        ConsistentSet<M> s = set;
        std::string line, obs;
        const auto v = Drive(copy, s, op, c.nodes, &line, &obs);
        Note(f, v, "(tried) " + line, obs, trace);
        if (v.fit == Fit::kDeparture && !departing && !f.walk_departed) departing = op;
      });
      if (f.mismatch) return f;
    }
    const M::State& here = set.members()[rng.Below(set.size())].state;
    ops.clear();
    M::CandidateOps(here, ops);
    const M::Op op = departing ? *departing : ops[rng.Below(ops.size())];
    std::string line, obs;
    const auto v = Drive(impl, set, op, c.nodes, &line, &obs);
    Note(f, v, line, obs, trace);
    if (f.mismatch) return f;
    f.walk_departed = f.walk_departed || v.fit == Fit::kDeparture;
    Keep(trace, line);
  }
  return f;
}

TEST(VcsGcoReference, ConformsToTheModelOnEveryConfiguration) {
  int walks = 0;
  for (const json& config : Configs()) {
    for (std::uint64_t seed = 1; seed <= 6; ++seed, ++walks) {
      Found f = Walk(config, seed, 150, 15, {}, {});
      ASSERT_FALSE(f.mismatch) << f.report;
      ASSERT_TRUE(f.departures.empty()) << "departs from " << *f.departures.begin() << " on "
                                        << config.dump() << " seed " << seed;
    }
  }
  EXPECT_EQ(walks, 24);
}

TEST(VcsGcoReference, EveryMutantIsCaughtAsAMismatch) {
  const auto switches = ref::MutantSwitches();
  for (std::size_t i = 0; i < switches.size(); ++i) {
    const auto m = static_cast<ref::Mutant>(i);
    std::optional<Found> caught;
    for (std::uint64_t seed = 1; seed <= 40 && !caught; ++seed) {
      for (const json& config : Configs()) {
        Found f = Walk(config, seed, 100, 10, {m}, {});
        if (f.mismatch) {
          caught = f;
          break;
        }
      }
    }
    ASSERT_TRUE(caught.has_value()) << "mutant " << switches[i].name << " was never caught";
    // The counterexample, for the record (and to see the mismatch is the
    // bug the switch describes).
    std::cout << "mutant " << switches[i].name << " caught:\n" << caught->report;
  }
}

// Where each reading's point is reached by a short directed lead-in (a
// random walk reaches some of them only rarely): the configuration and the
// ops, in the reading's enum order.
struct LeadIn {
  json config;
  std::vector<json> ops;
};
std::vector<LeadIn> ReadingLeadIns() {
  auto pair = [](const char* op, json extra = json::object()) {
    json j = {{"op", op}, {"observer", "clus0"}, {"remote", "clus1"}};
    j.update(extra);
    return j;
  };
  const json alive = pair("heartbeat_alive");
  const json dead = pair("heartbeat_dead");
  const json connect = pair("connect");
  const json snapshot = pair("snapshot_done");
  return {
      // own-state-running-during-failover: clus0's connector fails over.
      {json::object(), {{{"op", "connector_failover"}, {"cluster", "clus0"}}}},
      // reconnect-resumes-running: running, the TCP connection drops, it
      // comes back while the heartbeat still answers.
      {json::object(), {alive, connect, snapshot, pair("connection_lost"), connect}},
      // inquire-while-connected: the only heartbeat dies, the TCP
      // connection holds, inquiry starts.
      {json::object(), {alive, connect, snapshot, dead, pair("inquire")}},
      // hbunknown-counts-alive: Icmp brings the view up, IcmpS has not
      // reported yet when Icmp dies.
      {{{"heartbeats", {"Icmp", "IcmpS"}}}, {alive, connect, snapshot, dead}},
  };
}

TEST(VcsGcoReference, EveryReadingDepartsNamingItsRuleAndNeverMismatches) {
  const auto switches = ref::ReadingSwitches();
  const auto lead_ins = ReadingLeadIns();
  ASSERT_EQ(lead_ins.size(), switches.size());
  for (std::size_t i = 0; i < switches.size(); ++i) {
    const auto r = static_cast<ref::Reading>(i);
    const std::string name(switches[i].name);
    std::set<std::string> departures;
    // Random walks from every configuration's start.
    for (const json& config : Configs()) {
      for (std::uint64_t seed = 1; seed <= 2; ++seed) {
        Found f = Walk(config, seed, 100, 15, {}, {r});
        ASSERT_FALSE(f.mismatch) << "reading " << name << ":\n" << f.report;
        departures.insert(f.departures.begin(), f.departures.end());
      }
    }
    // Walks that go on after the reading departed: it must never turn into
    // a mismatch later.
    for (std::uint64_t seed = 1; seed <= 4; ++seed) {
      Found f = Walk(lead_ins[i].config, seed, 100, 15, {}, {r}, lead_ins[i].ops);
      ASSERT_FALSE(f.mismatch) << "reading " << name << ":\n" << f.report;
      EXPECT_TRUE(f.walk_departed) << "reading " << name << ": the lead-in did not depart";
      departures.insert(f.departures.begin(), f.departures.end());
    }
    EXPECT_EQ(departures, std::set<std::string>{std::string(switches[i].rule)})
        << "reading " << name;
  }
}

TEST(VcsGcoReference, SwitchesNameRulesOfTheMachineOfTheRightKind) {
  for (const auto& s : ref::MutantSwitches()) {
    const Rule* r = FindRule(M::Rules(), s.rule);
    ASSERT_NE(r, nullptr) << s.name << ": " << s.rule;
    EXPECT_TRUE(IsDocumented(*r)) << "mutant " << s.name << " concerns an assumption";
    EXPECT_EQ(ref::MutantNamed(s.name).has_value(), true);
  }
  for (const auto& s : ref::ReadingSwitches()) {
    const Rule* r = FindRule(M::Rules(), s.rule);
    ASSERT_NE(r, nullptr) << s.name << ": " << s.rule;
    EXPECT_FALSE(IsDocumented(*r)) << "reading " << s.name << " names a documented rule";
  }
  EXPECT_GE(ref::MutantSwitches().size(), 8u);
  EXPECT_GE(ref::ReadingSwitches().size(), 2u);
}

TEST(VcsGcoReference, ManifestListsEverySwitch) {
  std::ifstream in(std::string(HASPEC_SOURCE_DIR) + "/sut/vcs_gco/manifest.json");
  ASSERT_TRUE(in) << "sut/vcs_gco/manifest.json is missing";
  const json m = json::parse(in);
  EXPECT_EQ(m.at("machine"), "vcs-gco");
  EXPECT_EQ(m.at("implementation"), "haspec-ref-vcs-gco");
  EXPECT_EQ(m.at("command"), json({"sut/vcs_gco/haspec-ref-vcs-gco"}));
  std::set<std::string> listed;
  for (const json& s : m.at("switches")) {
    const std::string name = s.at("name");
    const std::string kind = s.at("kind");
    listed.insert(kind + ":" + name);
    const auto& all = kind == "mutant" ? ref::MutantSwitches() : ref::ReadingSwitches();
    const ref::Switch* found = nullptr;
    for (const auto& x : all) {
      if (x.name == name) found = &x;
    }
    ASSERT_NE(found, nullptr) << kind << " " << name << " is not a switch of the reference";
    EXPECT_EQ(s.at("flag"), "--" + kind + " " + name);
    EXPECT_EQ(s.at("rule"), std::string(found->rule)) << name;
    EXPECT_EQ(s.at("bug"), std::string(found->what)) << name;
  }
  EXPECT_EQ(listed.size(), ref::MutantSwitches().size() + ref::ReadingSwitches().size());
}

TEST(VcsGcoReference, IsWrittenWithoutTheModel) {
  for (const char* file : {"reference.h", "reference.cc", "server.cc"}) {
    std::ifstream in(std::string(HASPEC_SOURCE_DIR) + "/sut/vcs_gco/" + file);
    ASSERT_TRUE(in) << file;
    const std::string text((std::istreambuf_iterator<char>(in)), {});
    EXPECT_EQ(text.find("#include \"model/"), std::string::npos) << file << " includes model/";
    EXPECT_EQ(text.find("#include \"engine/"), std::string::npos) << file << " includes engine/";
  }
}

TEST(VcsGcoReference, RefusesMalformedInputAndAnswersUnknownClusters) {
  ref::GlobalCluster impl;
  EXPECT_THROW(impl.Reset({{"clusters", {"a"}}}), std::runtime_error);
  EXPECT_THROW(impl.Reset({{"clusters", {"a", "a"}}}), std::runtime_error);
  EXPECT_THROW(impl.Reset({{"size", 3}}), std::runtime_error);
  impl.Reset({{"clusters", {"east", "west"}}});
  EXPECT_THROW(impl.Apply({{"op", "fly"}}), std::runtime_error);
  EXPECT_THROW(impl.Apply({{"op", "connect"}, {"observer", "east"}}), std::runtime_error);
  EXPECT_THROW(impl.Apply({{"op", "connect"}, {"observer", "east"}, {"remote", "west"}, {"x", 1}}),
               std::runtime_error);
  const auto r = impl.Apply({{"op", "stop_cluster"}, {"cluster", "north"}});
  EXPECT_FALSE(r.accepted);
  EXPECT_EQ(r.reason, "GCO-PRE-CLUSTER-CONFIGURED");
}

}  // namespace
}  // namespace haspec::vcs_gco
