// Global cluster codecs: states, ops and observations round-trip through
// JSON and through the operator listings; both spellings of every state name
// are accepted; bad input fails with the field path or line number and the
// problem.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "model/core/op_codec.h"
#include "model/core/parse_error.h"
#include "model/vcs_gco/listings.h"
#include "properties/core/harness.h"
#include "properties/core/json_paths.h"
#include "properties/vcs_gco/vcs_gco_properties.h"

namespace haspec::vcs_gco {
namespace {

using nlohmann::json;

const Nodes kNames = props::PropConfig().nodes;

rc::Gen<testing::Trace<VcsGco>> GenAnyTrace() {
  return rc::gen::mapcat(rc::gen::arbitrary<bool>(), [](bool mesh) {
    return testing::GenTraceFrom<VcsGco>(mesh ? props::Mesh<VcsGco>() : props::Init<VcsGco>());
  });
}

RC_GTEST_PROP(VcsGcoCodec, StatesOpsAndObservationsRoundTripThroughJson, ()) {
  auto t = *GenAnyTrace();
  const Nodes& n = kNames;
  RC_ASSERT(VcsGco::StateFromJson(VcsGco::StateToJson(t.last, n), n) == t.last);
  for (const Op& op : t.ops) RC_ASSERT(OpFromJson<Op>(OpToJson(op, n), n) == op);
  Observation o = VcsGco::Observe(t.last);
  RC_ASSERT(VcsGco::ObservationFromJson(VcsGco::ObservationToJson(o, n), n) == o);
}

RC_GTEST_PROP(VcsGcoListings, ObservationsRoundTripThroughTheListings, ()) {
  auto t = *GenAnyTrace();
  Observation o = VcsGco::Observe(t.last);
  std::string text = PrintObservationText(o, kNames);
  RC_LOG() << text;
  RC_ASSERT(ParseObservationText(text, kNames) == o);
}

RC_GTEST_PROP(VcsGcoListings, LowerCaseSeedSpellingsParseToTheSameObservation, ()) {
  auto t = *GenAnyTrace();
  Observation o = VcsGco::Observe(t.last);
  std::string text = PrintObservationText(o, kNames);
  // Lower-case every state word, as seed 002 prints them.
  std::string lowered;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t e = text.find('\n', i);
    if (e == std::string::npos) e = text.size();
    std::string line = text.substr(i, e - i);
    if (line.rfind("L ", 0) == 0 || line.rfind("M ", 0) == 0) {
      std::size_t k = line.find_last_of(' ') + 1;
      for (std::size_t j = k; j < line.size(); ++j) {
        if (line[j] >= 'A' && line[j] <= 'Z') line[j] = static_cast<char>(line[j] - 'A' + 'a');
      }
    }
    lowered += line + "\n";
    i = e + 1;
  }
  RC_ASSERT(ParseObservationText(lowered, kNames) == o);
}

using testing::ErrorOf;

using testing::ObjectPaths;

// A misspelt key in any object of a real observation (a fixed-key object or
// a map keyed by heartbeat) ends the parse at that key's path: the gate
// stops instead of reading the fact as "not seen".
RC_GTEST_PROP(VcsGcoCodec, AnUnknownKeyAnywhereInAnObservationIsRejectedAtItsPath, ()) {
  auto t = *GenAnyTrace();
  const json good = VcsGco::ObservationToJson(VcsGco::Observe(t.last), kNames);
  std::vector<std::pair<std::string, json::json_pointer>> objects;
  ObjectPaths(good, "", json::json_pointer(), objects);
  for (const auto& [path, at] : objects) {
    json bad = good;
    bad[at]["satus"] = "RUNNING";
    const std::string want = path.empty() ? "satus" : path + ".satus";
    try {
      VcsGco::ObservationFromJson(bad, kNames);
      RC_FAIL("accepted an unknown key at " + want + ": " + bad.dump());
    } catch (const ParseError& e) {
      RC_ASSERT(e.where() == want);
      RC_ASSERT(e.problem().rfind("unknown ", 0) == 0);
    }
  }
}

TEST(VcsGcoCodec, UnknownKeysAreRejectedAtEveryLevel) {
  auto obs = [](const char* text) {
    return ErrorOf([&] { VcsGco::ObservationFromJson(json::parse(text), kNames); });
  };
  EXPECT_EQ(obs(R"({"clusters": [], "cluster": "clus0"})"),
            "cluster: unknown field (expected clusters)");
  EXPECT_EQ(obs(R"({"clusters": [{"cluster": "clus0", "satus": "RUNNING"}]})"),
            "clusters[0].satus: unknown field (expected cluster, reporting, state, remote)");
  EXPECT_EQ(obs(R"({"clusters": [{"cluster": "clus0",
                    "remote": [{"cluster": "clus1", "State": "RUNNING"}]}]})"),
            "clusters[0].remote[0].State: unknown field (expected cluster, state, heartbeats)");
  EXPECT_EQ(obs(R"({"clusters": [{"cluster": "clus0",
                    "remote": [{"cluster": "clus1", "heartbeats": {"Icmpp": "HBALIVE"}}]}]})"),
            "clusters[0].remote[0].heartbeats.Icmpp: unknown heartbeat (expected Icmp or IcmpS)");

  auto state = [](const char* text) {
    return ErrorOf([&] { VcsGco::StateFromJson(json::parse(text), kNames); });
  };
  EXPECT_EQ(state(R"({"observer": ["clus0"], "clusters": []})"),
            "observer: unknown field (expected machine, heartbeats, observers, clusters)");
  EXPECT_EQ(state(R"({"clusters": [{"cluster": "clus0", "local": "RUNNING"}]})"),
            "clusters[0].local: unknown field (expected cluster, state, views)");
  EXPECT_EQ(state(R"({"observers": ["clus0"], "clusters": [{"cluster": "clus0",
                      "views": [{"cluster": "clus1", "state": "INIT", "conected": true}]}]})"),
            "clusters[0].views[0].conected: unknown field (expected cluster, state, connected, "
            "heartbeats)");
  // What StateToJson writes, "machine" included, is read back.
  EXPECT_EQ(state(VcsGco::StateToJson(props::Init<VcsGco>(), kNames).dump().c_str()),
            "(no error: the input was accepted)");

  EXPECT_EQ(ErrorOf([] { VcsGco::ConfigFromJson(json::parse(R"({"observer": "all"})")); }),
            "observer: unknown configuration key (expected clusters, heartbeats, observers, "
            "start)");
}

TEST(VcsGcoNames, BothSpellingsParseOneIsPrinted) {
  for (const auto& e : kClusterStateNames.entries) {
    EXPECT_EQ(kClusterStateNames.Parse(e.label), e.value) << e.label;  // seed: lower case
    EXPECT_EQ(kClusterStateNames.Parse(e.name), e.value) << e.name;    // CLI: upper case
    for (char c : e.name) EXPECT_FALSE(c >= 'a' && c <= 'z') << "output name " << e.name;
  }
  EXPECT_EQ(kHbStateNames.Parse("hbalive"), HbState::kHbAlive);
  EXPECT_EQ(kHbStateNames.Parse("HBDEAD"), HbState::kHbDead);
  EXPECT_EQ(kHbStateNames.Parse("ALIVE"), HbState::kHbAlive);  // [RECON] hastatus sample
  EXPECT_EQ(kClusterStateNames.Parse("Lost_Hb"), ClusterState::kLostHb);
  EXPECT_FALSE(kClusterStateNames.Parse("LOST HB"));
  json j = VcsGco::StateToJson(props::Init<VcsGco>(), kNames);
  EXPECT_EQ(j["clusters"][0]["views"][0]["state"], "INIT");
  EXPECT_EQ(j["clusters"][0]["views"][0]["heartbeats"]["Icmp"], "HBUNKNOWN");
}

TEST(VcsGcoCodec, StateAcceptsLowerCaseAndDefaults) {
  json j = json::parse(R"({"heartbeats": ["Icmp", "IcmpS"], "observers": ["clus0", "clus1"],
      "clusters": [
      {"cluster": "clus0", "views": [{"cluster": "clus1", "state": "running", "connected": true,
                                       "heartbeats": {"icmp": "hbalive"}}]},
      {"cluster": "clus1", "state": "exiting"},
      {"cluster": "clus2"}]})");
  State s = VcsGco::StateFromJson(j, kNames);
  EXPECT_EQ(s.view(0, 1).state, ClusterState::kRunning);
  EXPECT_TRUE(s.view(0, 1).connected);
  EXPECT_EQ(s.view(0, 1).hb[0], HbState::kHbAlive);
  EXPECT_EQ(s.view(0, 1).hb[1], HbState::kHbUnknown);
  EXPECT_EQ(s.clusters[1].local, Local::kExiting);
  EXPECT_EQ(s.view(0, 2), View{});
  EXPECT_EQ(s.observers, 3);
}

TEST(VcsGcoCodec, ErrorsNameTheField) {
  auto err = [](const char* text) {
    return ErrorOf([&] { VcsGco::StateFromJson(json::parse(text), kNames); });
  };
  EXPECT_EQ(err(R"({"clusters": {}})"), "clusters: expected an array, got object");
  EXPECT_EQ(err(R"({"observers": ["clus0"], "clusters": [{"cluster": "clus0",
                    "views": [{"cluster": "clus1", "state": "UP"}]}]})"),
            "clusters[0].views[0].state: unknown value \"UP\" (expected INIT, BUILD, RUNNING, "
            "LOST_HB, LOST_CONN, UNKNOWN, FAULTED, EXITING, EXITED, INQUIRY or TRANSITIONING)");
  EXPECT_EQ(
      err(R"({"clusters": [{"cluster": "clus0", "views": [{"cluster": "clus0", "state": "INIT"}]}]})"),
      "clusters[0].views[0].cluster: clus0 cannot hold a view of itself");
  EXPECT_EQ(err(R"({"clusters": [{"cluster": "clus0"}, {"cluster": "clus1"}]})"),
            "clusters: clus2 is missing");
  EXPECT_EQ(err(R"({"clusters": [{"cluster": "clus1", "views": []}]})"),
            "clusters[0].views: clus1 is not an observer: its views are not modelled");
  EXPECT_EQ(err(R"({"clusters": [{"cluster": "clus0",
                    "views": [{"cluster": "clus1", "state": "INIT", "heartbeats": {"Tcp": "HBALIVE"}}]}]})"),
            "clusters[0].views[0].heartbeats.Tcp: unknown heartbeat (expected Icmp or IcmpS)");
  EXPECT_EQ(
      err(R"({"clusters": [{"cluster": "clus0",
                    "views": [{"cluster": "clus1", "state": "INIT", "heartbeats": {"IcmpS": "HBALIVE"}}]}]})"),
      "clusters[0].views[0].heartbeats.IcmpS: heartbeat not configured (configured: [\"Icmp\"])");
  EXPECT_EQ(ErrorOf([] {
              OpFromJson<Op>(json::parse(R"({"op": "connect", "observer": "clus0"})"), kNames);
            }),
            "remote: missing field (node name)");
  EXPECT_EQ(
      ErrorOf([] { OpFromJson<Op>(json::parse(R"({"op": "reboot"})"), kNames); }).substr(0, 26),
      "op: unknown op \"reboot\" (e");
}

TEST(VcsGcoCodec, OpsUseClusterAndHeartbeatNames) {
  EXPECT_EQ(OpToJson(Op{HeartbeatAlive{0, 2, Heartbeat::kIcmpS}}, kNames),
            json::parse(R"({"op": "heartbeat_alive", "observer": "clus0", "remote": "clus2",
                            "heartbeat": "IcmpS"})"));
  EXPECT_EQ(OpToJson(Op{InquiryAnswers{1, 0, 4}}, kNames),
            json::parse(R"({"op": "inquiry_answers", "observer": "clus1", "remote": "clus0",
                            "not_down": ["clus2"]})"));
}

// What an operator on clus0 would paste: full hastatus -sum (other sections
// included) plus haclus -state, in the seed's lower case here and there.
constexpr const char* kClus0 = R"(#Cluster         Attribute            Value
clus0            ClusState            RUNNING
clus1            ClusState            RUNNING
clus0            ClusterAddress       10.0.0.1

-- SYSTEM STATE
-- System               State                Frozen

A  sysA                 RUNNING              0

-- WAN HEARTBEAT STATE
-- Heartbeat       To                   State

L  Icmp            clus1                ALIVE
L  IcmpS           clus1                hbdead
L  Icmp            clus2                HBDEAD
L  IcmpS           clus2                HBUNKNOWN

-- REMOTE CLUSTER STATE
-- Cluster         State

M  clus1           RUNNING
M  clus2           lost_hb

-- REMOTE SYSTEM STATE
-- cluster:system       State                Frozen
N  clus1:sysC           RUNNING              0
)";

TEST(VcsGcoListings, ParsesARealisticBlock) {
  ClusterReport r = ParseClusterReport(kClus0, kNames, 0);
  EXPECT_EQ(r.reporting, true);
  EXPECT_EQ(r.local, Local::kRunning);
  EXPECT_EQ(r.remote[1], ClusterState::kRunning);
  EXPECT_EQ(r.remote[2], ClusterState::kLostHb);
  EXPECT_EQ(r.hb[1][0], HbState::kHbAlive);
  EXPECT_EQ(r.hb[1][1], HbState::kHbDead);
  EXPECT_EQ(r.hb[2][1], HbState::kHbUnknown);
  // Printed back in one spelling, and parsed back to the same report.
  std::string printed = PrintClusterReport(kNames, 0, r);
  EXPECT_NE(printed.find("L  Icmp            clus1                HBALIVE"), std::string::npos)
      << printed;
  EXPECT_NE(printed.find("M  clus2           LOST_HB"), std::string::npos) << printed;
  EXPECT_EQ(ParseClusterReport(printed, kNames, 0), r);
}

TEST(VcsGcoListings, SilentClusterShowsTheEngineError) {
  Observation o = VcsGco::Observe(VcsGco::Step(props::Mesh<VcsGco>(), ClusterCrash{2}).next);
  std::string text = PrintObservationText(o, kNames);
  EXPECT_NE(text.find("==> clus2 <==\nVCS ERROR V-16-1-10600 Cannot connect to VCS engine\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(ParseObservationText(text, kNames), o);
}

std::string Replace(std::string s, std::string_view from, std::string_view to) {
  auto at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

TEST(VcsGcoListings, ErrorsNameTheLineAndTheProblem) {
  const std::string good = kClus0;
  auto err = [](const std::string& text) {
    return ErrorOf([&] { ParseClusterReport(text, kNames, 0); });
  };
  EXPECT_EQ(
      err(Replace(good, "M  clus2           lost_hb", "M  clus2           LOST-HB")),
      "line 23: unknown remote cluster state \"LOST-HB\" (expected INIT, BUILD, RUNNING, LOST_HB, "
      "LOST_CONN, UNKNOWN, FAULTED, EXITING, EXITED, INQUIRY or TRANSITIONING)");
  EXPECT_EQ(err(Replace(good, "L  IcmpS           clus2", "L  Tcp             clus2")),
            "line 17: unknown heartbeat \"Tcp\" (expected Icmp or IcmpS)");
  EXPECT_EQ(err(Replace(good, "L  Icmp            clus2                HBDEAD",
                        "L  Icmp            clus1                HBALIVE")),
            "line 16: second row for heartbeat Icmp to clus1 (first on line 14)");
  EXPECT_EQ(err(Replace(good, "M  clus1           RUNNING", "M  clus1           BUILD")),
            "line 22: clus1 is BUILD in REMOTE CLUSTER STATE but RUNNING on line 3");
  EXPECT_EQ(
      err(Replace(good, "M  clus2           lost_hb", "M  clus0           RUNNING")),
      "line 23: REMOTE CLUSTER STATE row names clus0, the cluster this listing comes from; only "
      "remote clusters belong here");
  EXPECT_EQ(
      err(Replace(good, "L  IcmpS           clus2                HBUNKNOWN", "L  IcmpS  clus2")),
      "line 17: WAN HEARTBEAT STATE row \"L IcmpS clus2\" is not \"L <heartbeat> <to cluster> "
      "<state>\"");
  // A row left out is not seen, not an error.
  ClusterReport partial = ParseClusterReport(
      Replace(good, "L  IcmpS           clus2                HBUNKNOWN\n", ""), kNames, 0);
  EXPECT_FALSE(partial.hb[2][1].has_value());
  EXPECT_EQ(partial.hb[2][0], HbState::kHbDead);
  EXPECT_EQ(err("M  clus1  RUNNING\n"),
            "line 1: row before any heading (expected \"#Cluster Attribute Value\", \"#Heartbeat "
            "Cluster State\" or a \"-- ... STATE\" title first)");
}

TEST(VcsGcoListings, ObservationErrorsNameTheLine) {
  const std::string good = PrintObservationText(VcsGco::Observe(props::Mesh<VcsGco>()), kNames);
  EXPECT_EQ(ErrorOf([&] {
              ParseObservationText(Replace(good, "==> clus2 <==", "==> clus1 <=="), kNames);
            }),
            "line 37: second block for clus1 (first on line 19)");
  EXPECT_EQ(ErrorOf([&] {
              ParseObservationText(Replace(good, "==> clus2 <==", "==> clus7 <=="), kNames);
            }),
            "line 37: unknown cluster \"clus7\" in block header (expected clus0, clus1 or clus2)");
  EXPECT_EQ(ErrorOf([&] { ParseObservationText("hello\n" + good, kNames); }),
            "line 1: text before the first \"==> <cluster> <==\" block header");
  // A cluster without a block is not seen at all.
  Observation o = ParseObservationText(good.substr(0, good.find("==> clus1 <==")), kNames);
  EXPECT_EQ(o.clusters[1], ClusterReport{});
  EXPECT_EQ(o.clusters[0].local, Local::kRunning);
}

}  // namespace
}  // namespace haspec::vcs_gco
