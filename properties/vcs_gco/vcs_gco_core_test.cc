// The global cluster machine against the engine-ready core: the generic
// contract, refusal sets, documented vs assumed answers (precondition,
// landing, status), configurations, partial observations, Canonical and
// saturation of the default configuration.
#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/saturate.h"
#include "model/core/op_codec.h"
#include "model/vcs_gco/listings.h"
#include "properties/core/contract.h"
#include "properties/core/harness.h"
#include "properties/vcs_gco/vcs_gco_properties.h"

namespace haspec::vcs_gco {
namespace {

using nlohmann::json;
using testing::ErrorOf;
using Out = VcsGco::OutcomeT;

HASPEC_CONTRACT_TESTS(VcsGcoContract, VcsGco)

std::vector<std::string> Ids(const std::vector<RuleId>& rules) {
  std::vector<std::string> out;
  for (RuleId r : rules) out.emplace_back(RuleOf<VcsGco>(r).id);
  return out;
}

State Mesh() { return props::Mesh<VcsGco>(); }

State Step(const State& s, const Op& op) {
  auto o = VcsGco::Step(s, op);
  EXPECT_TRUE(o.accepted) << VcsGco::Show(op) << " refused by " << RuleOf<VcsGco>(o.rule).id;
  return o.next;
}

// clus0 -> clus1 in inquiry, clus0 still connected to clus2 (a responder).
State InInquiry() {
  State s = Mesh();
  s = Step(s, HeartbeatDead{0, 1, Heartbeat::kIcmp});
  s = Step(s, HeartbeatDead{0, 1, Heartbeat::kIcmpS});
  s = Step(s, ConnectionLost{0, 1});
  return Step(s, Inquire{0, 1});
}

TEST(VcsGcoRefusals, AnOpRefusedForTwoReasonsListsBoth) {
  // No heartbeat alive yet, and the remote connector is failing over.
  State s = props::Init<VcsGco>();
  s = Step(s, ConnectorFailover{1});
  std::vector<RuleId> why;
  VcsGco::Refusals(s, Connect{0, 1}, why);
  EXPECT_EQ(Ids(why), (std::vector<std::string>{"GCO-PRE-HEARTBEAT-ALIVE-TO-CONNECT",
                                                "GCO-PRE-PEER-CONNECTOR-RUNNING"}));
  EXPECT_EQ(VcsGco::Step(s, Connect{0, 1}).rule, RuleId::kPreHbAliveToConnect);
  // An observer that is down, asked to connect to a view that is up.
  State m = Mesh();
  m = Step(m, ConnectorFailover{0});
  why.clear();
  VcsGco::Refusals(m, Inquire{0, 1}, why);
  EXPECT_EQ(Ids(why),
            (std::vector<std::string>{"GCO-PRE-CONNECTOR-UP", "GCO-PRE-INQUIRY-NEEDS-LOST-HB"}));
}

TEST(VcsGcoRefusals, CatchAllPreconditionsAreSplit) {
  for (const Rule& r : VcsGco::Rules()) {
    EXPECT_NE(r.id, "GCO-PRE-TARGET");
    EXPECT_NE(r.id, "GCO-PRE-VIEW-STATE");
    EXPECT_NE(r.id, "GCO-PRE-CLUSTER-STATE");
  }
  State s = Mesh();
  std::vector<RuleId> why;
  VcsGco::Refusals(s, SnapshotDone{0, 1}, why);
  EXPECT_EQ(Ids(why), std::vector<std::string>{"GCO-PRE-SNAPSHOT-NEEDS-BUILD"});
  why.clear();
  VcsGco::Refusals(s, StartCluster{1}, why);
  EXPECT_EQ(Ids(why), std::vector<std::string>{"GCO-PRE-START-NEEDS-HAD-DOWN"});
  why.clear();
  VcsGco::Refusals(s, ConnectorOnline{1}, why);
  EXPECT_EQ(Ids(why), std::vector<std::string>{"GCO-PRE-ONLINE-NEEDS-FAILOVER"});
}

bool HasAnswer(const std::vector<Out>& all, bool accepted, ClusterState view, bool departs) {
  return std::any_of(all.begin(), all.end(), [&](const Out& o) {
    return o.accepted == accepted && o.next.view(0, 1).state == view &&
           o.departs.has_value() == departs;
  });
}

// Precondition kind: refused by an assumption only, so accepted too under
// the documents; refused by a documented rule, refused under both.
TEST(VcsGcoAnswers, AssumedPreconditionAllowsAcceptanceUnderTheDocuments) {
  State s = Mesh();
  s = Step(s, HeartbeatDead{0, 1, Heartbeat::kIcmp});
  s = Step(s, HeartbeatDead{0, 1, Heartbeat::kIcmpS});  // lost_hb, still connected
  auto own = VcsGco::Step(s, Inquire{0, 1});
  EXPECT_FALSE(own.accepted);
  EXPECT_EQ(own.rule, RuleId::kPreInquiryAfterLinkLoss);
  std::vector<Out> all;
  AnswersOf<VcsGco>(s, Inquire{0, 1}, all);
  EXPECT_TRUE(HasAnswer(all, false, ClusterState::kLostHb, false));  // the model's
  EXPECT_TRUE(HasAnswer(all, true, ClusterState::kInquiry, true));   // the documents'
  for (const Out& o : all) {
    if (o.departs) {
      EXPECT_EQ(*o.departs, RuleId::kPreInquiryAfterLinkLoss);
    }
  }
  // Documented: no connection without a live heartbeat, under both readings.
  State init = props::Init<VcsGco>();
  all.clear();
  AnswersOf<VcsGco>(init, Connect{0, 1}, all);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_FALSE(all[0].accepted);
  EXPECT_EQ(all[0].rule, RuleId::kPreHbAliveToConnect);
}

// Landing kind: a heartbeat back during inquiry. The model ends the inquiry
// (lost_conn); staying in inquiry and unknown are the other defensible
// landings; faulted is none of them (seed 002: the remote cluster is down).
TEST(VcsGcoAnswers, HeartbeatBackDuringInquiryListsTheOtherLandings) {
  State s = InInquiry();
  const Op op = HeartbeatAlive{0, 1, Heartbeat::kIcmp};
  auto own = VcsGco::Step(s, op);
  ASSERT_TRUE(own.accepted);
  EXPECT_EQ(own.rule, RuleId::kAsmHbReturnsInInquiry);
  EXPECT_EQ(own.next.view(0, 1).state, ClusterState::kLostConn);
  std::vector<Out> all;
  AnswersOf<VcsGco>(s, op, all);
  EXPECT_TRUE(HasAnswer(all, true, ClusterState::kLostConn, false));
  EXPECT_TRUE(HasAnswer(all, true, ClusterState::kInquiry, true));
  EXPECT_TRUE(HasAnswer(all, true, ClusterState::kUnknown, true));
  for (const Out& o : all) {
    EXPECT_NE(o.next.view(0, 1).state, ClusterState::kFaulted);
    if (o.departs) {
      EXPECT_EQ(*o.departs, RuleId::kAsmHbReturnsInInquiry);
    }
  }
  // Following the "stay in inquiry" landing, answers that all say down do
  // not make the view faulted while the heartbeat is alive.
  State stay;
  for (const Out& o : all) {
    if (o.accepted && o.departs && o.next.view(0, 1).state == ClusterState::kInquiry) stay = o.next;
  }
  all.clear();
  AnswersOf<VcsGco>(stay, InquiryAnswers{0, 1, 0}, all);
  ASSERT_FALSE(all.empty());
  for (const Out& o : all) EXPECT_NE(o.next.view(0, 1).state, ClusterState::kFaulted);
  // Without the heartbeat, every answer down is faulted (documented).
  auto f = VcsGco::Step(s, InquiryAnswers{0, 1, 0});
  EXPECT_EQ(f.rule, RuleId::kInquiryFaulted);
  EXPECT_EQ(f.next.view(0, 1).state, ClusterState::kFaulted);
}

// The dossier's open questions, each with the model's landing and the others.
TEST(VcsGcoAnswers, DossierAssumptionsListTheirOtherLandings) {
  State mesh = Mesh();
  State lost_conn = Step(mesh, ConnectionLost{0, 1});
  struct Case {
    const char* what;
    State from;
    Op op;
    ClusterState own;
    ClusterState other;
    RuleId assumption;
  };
  State lost_hb = Step(mesh, HeartbeatDead{0, 1, Heartbeat::kIcmp});  // IcmpS HBUNKNOWN
  State faulted = Step(InInquiry(), InquiryAnswers{0, 1, 0});
  const Case cases[] = {
      {"reconnect from lost_conn", lost_conn, Connect{0, 1}, ClusterState::kBuild,
       ClusterState::kRunning, RuleId::kAsmReconnect},
      {"heartbeats lost in lost_conn", lost_conn, HeartbeatDead{0, 1, Heartbeat::kIcmp},
       ClusterState::kLostHb, ClusterState::kInquiry, RuleId::kAsmHbLostNotRunning},
      {"heartbeat back in lost_hb", lost_hb, HeartbeatAlive{0, 1, Heartbeat::kIcmp},
       ClusterState::kRunning, ClusterState::kBuild, RuleId::kAsmHbReturns},
      {"quorum: HBUNKNOWN beside the last live heartbeat", mesh,
       HeartbeatDead{0, 1, Heartbeat::kIcmp}, ClusterState::kLostHb, ClusterState::kRunning,
       RuleId::kAsmHbUnknownNotAlive},
      {"recovery from faulted", faulted, HeartbeatAlive{0, 1, Heartbeat::kIcmp},
       ClusterState::kFaulted, ClusterState::kInit, RuleId::kAsmRecover},
  };
  for (const Case& c : cases) {
    std::vector<Out> all;
    AnswersOf<VcsGco>(c.from, c.op, all);
    EXPECT_EQ(VcsGco::Step(c.from, c.op).next.view(0, 1).state, c.own) << c.what;
    bool found = false;
    for (const Out& o : all) {
      if (o.departs && *o.departs == c.assumption && o.next.view(0, 1).state == c.other)
        found = true;
    }
    EXPECT_TRUE(found) << c.what << ": no departing landing " << kClusterStateNames.Name(c.other);
    EXPECT_EQ(RuleOf<VcsGco>(c.assumption).basis, BasisKind::kAssumption) << c.what;
  }
}

// Status kind: what a cluster shows of itself while its own connector fails
// over is assumed (transitioning); running departs, exiting mismatches.
TEST(VcsGcoAnswers, OwnStateDuringFailoverIsAnAssumedStatus) {
  State s = Step(Mesh(), ConnectorFailover{1});
  Observation obs;
  obs.clusters[1].local = Local::kTransitioning;
  EXPECT_EQ(VcsGco::Consistent(s, obs), Fit::kMatch);
  obs.clusters[1].local = Local::kRunning;
  std::vector<VcsGco::FindingT> why;
  EXPECT_EQ(VcsGco::Consistent(s, obs, &why), Fit::kDeparture);
  ASSERT_FALSE(why.empty());
  EXPECT_EQ(why[0].rule, RuleId::kAsmOwnStateInFailover);
  obs.clusters[1].local = Local::kExiting;
  why.clear();
  EXPECT_EQ(VcsGco::Consistent(s, obs, &why), Fit::kMismatch);
  ASSERT_FALSE(why.empty());
  EXPECT_EQ(why[0].rule, RuleId::kObsOwnState);
}

TEST(VcsGcoObservations, SeenNotSeenAndAbsent) {
  State s = Mesh();
  Observation none;
  EXPECT_EQ(VcsGco::Consistent(s, none), Fit::kMatch);  // saw nothing
  Observation o;
  o.clusters[0].remote[1] = ClusterState::kRunning;  // seen, right
  EXPECT_EQ(VcsGco::Consistent(s, o), Fit::kMatch);
  o.clusters[0].remote[2] = ClusterState::kLostHb;  // seen, wrong
  std::vector<VcsGco::FindingT> why;
  EXPECT_EQ(VcsGco::Consistent(s, o, &why), Fit::kMismatch);
  EXPECT_EQ(why.at(0).rule, RuleId::kObsViewShown);
  // Absent: a cluster has no view of itself; a cluster whose HAD is down
  // shows nothing; but "did not answer" fits it.
  Observation self;
  self.clusters[0].remote[0] = ClusterState::kRunning;
  EXPECT_EQ(VcsGco::Consistent(s, self), Fit::kMismatch);
  State crashed = Step(s, ClusterCrash{2});
  Observation silent;
  silent.clusters[2].reporting = false;
  EXPECT_EQ(VcsGco::Consistent(crashed, silent), Fit::kMatch);
  EXPECT_EQ(VcsGco::Consistent(s, silent), Fit::kMismatch);
  Observation talks;
  talks.clusters[2].local = Local::kRunning;
  EXPECT_EQ(VcsGco::Consistent(crashed, talks), Fit::kMismatch);
  // A heartbeat that is not configured is absent (default: Icmp only).
  State d = VcsGco::Initial(VcsGco::DefaultConfig());
  Observation hb;
  hb.clusters[0].hb[1][1] = HbState::kHbUnknown;
  EXPECT_EQ(VcsGco::Consistent(d, hb), Fit::kMismatch);
  // The default configuration models clus0's views only: what clus1 shows
  // of the others is not held against the model.
  Observation other;
  other.clusters[1].remote[2] = ClusterState::kFaulted;
  EXPECT_EQ(VcsGco::Consistent(d, other), Fit::kMatch);
  // Observe fills every modelled fact.
  Observation full = VcsGco::Observe(d);
  EXPECT_EQ(full.clusters[0].remote[1], ClusterState::kInit);
  EXPECT_EQ(full.clusters[0].hb[1][0], HbState::kHbUnknown);
  EXPECT_FALSE(full.clusters[0].hb[1][1].has_value());
  EXPECT_FALSE(full.clusters[1].remote[2].has_value());
  EXPECT_EQ(full.clusters[1].local, Local::kRunning);
}

TEST(VcsGcoObservations, ListingsGivePartialObservations) {
  const Nodes names({"east", "west", "south"});
  // Only REMOTE CLUSTER STATE for one cluster; nothing from west; south's
  // HAD is down.
  const std::string text =
      "==> east <==\n-- REMOTE CLUSTER STATE\n-- Cluster         State\n\nM  west  RUNNING\n"
      "==> south <==\nVCS ERROR V-16-1-10600 Cannot connect to VCS engine\n";
  Observation o = ParseObservationText(text, names);
  EXPECT_EQ(o.clusters[0].reporting, true);
  EXPECT_EQ(o.clusters[0].remote[1], ClusterState::kRunning);
  EXPECT_FALSE(o.clusters[0].remote[2].has_value());  // not seen, not carried
  EXPECT_FALSE(o.clusters[0].local.has_value());
  EXPECT_FALSE(o.clusters[0].hb[1][0].has_value());
  EXPECT_EQ(o.clusters[1], ClusterReport{});
  EXPECT_EQ(o.clusters[2].reporting, false);
  EXPECT_EQ(ParseObservationText(PrintObservationText(o, names), names), o);
  // hahb -state rows, agreeing with WAN HEARTBEAT STATE.
  const std::string hb =
      "==> west <==\n#Heartbeat       Cluster              State\nIcmp  east  HBALIVE\n"
      "-- WAN HEARTBEAT STATE\nL  Icmp  east  ALIVE\n";
  Observation h = ParseObservationText(hb, names);
  EXPECT_EQ(h.clusters[1].hb[0][0], HbState::kHbAlive);
  EXPECT_EQ(
      ErrorOf([&] { ParseObservationText(hb.substr(0, hb.size() - 6) + "DEAD\n", names); }),
      "line 5: heartbeat Icmp to east is HBDEAD in WAN HEARTBEAT STATE but HBALIVE on line 3");
}

TEST(VcsGcoConfig, CodecRoundTripsAndErrorsNameTheKey) {
  Config c = VcsGco::ConfigFromJson(json::parse(
      R"({"clusters": ["east", "west", "south", "north"], "heartbeats": ["Icmp", "IcmpS"],
          "observers": "all", "start": "all_running"})"));
  EXPECT_EQ(c.nodes.size(), 4u);
  EXPECT_EQ(c.heartbeats, 3);
  EXPECT_EQ(c.observers, 15);
  EXPECT_EQ(c.start, Start::kAllRunning);
  EXPECT_TRUE(VcsGco::ConfigFromJson(VcsGco::ConfigToJson(c)) == c);
  State s = VcsGco::Initial(c);
  EXPECT_EQ(testing::BrokenInvariants<VcsGco>(s), "");
  EXPECT_EQ(s.view(3, 1).state, ClusterState::kRunning);
  EXPECT_EQ(VcsGco::Show(s, c.nodes).substr(0, 24), "{east RUNNING: west=RUNN");
  // Four clusters: "another remote cluster sends a response" from several.
  s = Step(s, HeartbeatDead{0, 1, Heartbeat::kIcmp});
  s = Step(s, HeartbeatDead{0, 1, Heartbeat::kIcmpS});
  s = Step(s, ConnectionLost{0, 1});
  s = Step(s, Inquire{0, 1});
  EXPECT_EQ(VcsGco::Step(s, InquiryAnswers{0, 1, 0b1000}).next.view(0, 1).state,
            ClusterState::kUnknown);
  EXPECT_EQ(VcsGco::Step(s, InquiryAnswers{0, 1, 0b1100}).next.view(0, 1).state,
            ClusterState::kUnknown);
  EXPECT_EQ(VcsGco::Step(s, InquiryAnswers{0, 1, 0}).next.view(0, 1).state, ClusterState::kFaulted);
  auto err = [](const char* text) {
    return ErrorOf([&] { VcsGco::ConfigFromJson(json::parse(text)); });
  };
  EXPECT_EQ(err(R"({"clusters": ["a"]})"),
            "clusters: a global cluster here has 2..6 clusters, got 1");
  EXPECT_EQ(err(R"({"clusters": ["a", "b", "c", "d", "e", "f", "g"]})"),
            "clusters: a global cluster here has 2..6 clusters, got 7");
  EXPECT_EQ(err(R"({"clusters": ["a", "b", "a"]})"), "clusters[2]: duplicate cluster name \"a\"");
  EXPECT_EQ(err(R"({"heartbeats": ["Tcp"]})"),
            "heartbeats[0]: unknown value \"Tcp\" (expected Icmp or IcmpS)");
  EXPECT_EQ(err(R"({"heartbeats": []})"),
            "heartbeats: at least one heartbeat is needed (for example Icmp)");
  EXPECT_EQ(err(R"({"observers": ["clus7"]})"),
            "observers[0]: unknown cluster \"clus7\" (expected clus0, clus1 or clus2)");
  EXPECT_EQ(err(R"({"start": "warm"})"),
            "start: unknown value \"warm\" (expected all_init, all_running or all_exited)");
  EXPECT_EQ(err(R"({"size": 3})"),
            "size: unknown configuration key (expected clusters, heartbeats, observers, start)");
}

TEST(VcsGcoOps, OutOfDomainValuesAreRefusedWithAClearMessage) {
  const Nodes n = VcsGco::DefaultConfig().nodes;
  auto err = [&](const char* text) {
    return ErrorOf([&] { OpFromJson<Op>(json::parse(text), n); });
  };
  EXPECT_EQ(err(R"({"op": "heartbeat_dead", "observer": "clus0", "remote": "clus9"})"),
            "remote: unknown node \"clus9\" (expected clus0, clus1 or clus2)");
  EXPECT_EQ(
      err(R"({"op": "heartbeat_dead", "observer": "clus0", "remote": "clus1", "heartbeat": "Tcp"})"),
      "heartbeat: unknown value \"Tcp\" (expected Icmp or IcmpS)");
  EXPECT_EQ(
      err(R"({"op": "inquiry_answers", "observer": "clus0", "remote": "clus1", "not_down": "clus2"})"),
      "not_down: expected a list of node names, got string");
  EXPECT_EQ(err(R"({"op": "stop_cluster", "cluster": 1})"),
            "cluster: expected a node name, got number");
  // Defaults: the heartbeat is Icmp, no answer says not down.
  const Op dflt = OpFromJson<Op>(
      json::parse(R"({"op": "heartbeat_alive", "observer": "clus0", "remote": "clus1"})"), n);
  const Op want = HeartbeatAlive{0, 1, Heartbeat::kIcmp};
  EXPECT_TRUE(dflt == want);
  EXPECT_EQ(ShowOp(Op{InquiryAnswers{1, 0, 4}}, n),
            "inquiry_answers observer=clus1 remote=clus0 not_down=[clus2]");
  EXPECT_EQ(KindOf(Op{InquiryAnswers{}}), OpKind::kCompletion);
  EXPECT_EQ(KindOf(Op{StopCluster{}}), OpKind::kCommand);
  EXPECT_EQ(KindOf(Op{HeartbeatDead{}}), OpKind::kEvent);
}

TEST(VcsGcoCanonical, IdempotentAndFoldsUnusedSlots) {
  State s = Mesh();
  State garbage = s;
  garbage.view(1, 1).state = ClusterState::kFaulted;  // a view of itself
  garbage.clusters[5].local = Local::kExited;         // a cluster not configured
  State one = VcsGco::Initial(VcsGco::DefaultConfig());
  State g1 = one;
  g1.view(0, 1).hb[1] = HbState::kHbDead;        // IcmpS, not configured
  g1.view(1, 2).state = ClusterState::kRunning;  // clus1 is not an observer
  EXPECT_FALSE(garbage == s);
  EXPECT_TRUE(VcsGco::Canonical(garbage) == VcsGco::Canonical(s));
  EXPECT_TRUE(VcsGco::Canonical(g1) == VcsGco::Canonical(one));
  EXPECT_TRUE(VcsGco::Canonical(VcsGco::Canonical(garbage)) == VcsGco::Canonical(garbage));
}

TEST(VcsGcoSaturation, DefaultConfigurationIsFinite) {
  auto r = Saturate<VcsGco>(VcsGco::DefaultConfig(), {.max_states = 1'000'000});
  std::cout << "vcs-gco default (3 clusters, Icmp, observer clus0): " << r.states << " states, "
            << r.transitions << " transitions, depth " << r.depth << ", " << r.ops
            << " ops per state\n";
  EXPECT_TRUE(r.saturated);
  EXPECT_LT(r.states, 100'000u);
  auto d = Saturate<VcsGco>(VcsGco::DefaultConfig(), {.max_states = 1'000'000, .departures = true});
  std::cout << "  with departures: " << d.states << " states, " << d.transitions
            << " transitions, depth " << d.depth << "\n";
  EXPECT_TRUE(d.saturated);
  EXPECT_GE(d.states, r.states);
}

TEST(VcsGcoDocs, PrintsTheOpTable) { std::cout << OpsMarkdown<Op>(); }

}  // namespace
}  // namespace haspec::vcs_gco
