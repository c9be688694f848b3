// The global cluster properties run against the model, and the five
// documented sequences of DOSSIER.md 2.2 (S-VCS41-CLU) as plain tests.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "engine/walk.h"
#include "properties/vcs_gco/vcs_gco_properties.h"

namespace haspec::vcs_gco {
namespace {

#define HASPEC_X(name) \
  RC_GTEST_PROP(VcsGlobalCluster, name, ()) { props::name<VcsGco>(); }
HASPEC_GCO_PROPERTIES(HASPEC_X)
#undef HASPEC_X

using props::U8;

// Applies ops in turn from `s`, expecting each accepted, and returns the
// states cluster 0 sees cluster 1 in after each op.
std::vector<std::string> Sequence(State& s, std::initializer_list<Op> ops) {
  std::vector<std::string> seen;
  for (const Op& op : ops) {
    auto o = VcsGco::Step(s, op);
    EXPECT_TRUE(o.accepted) << VcsGco::Show(op) << " refused by " << RuleOf<VcsGco>(o.rule).id
                            << " in " << VcsGco::Show(s);
    std::vector<VcsGco::FindingT> f;
    VcsGco::CheckInvariants(o.next, f);
    for (const auto& x : f) ADD_FAILURE() << RuleOf<VcsGco>(x.rule).id << ": " << x.detail;
    s = o.next;
    std::string st(kClusterStateNames.Name(*VcsGco::Observe(s).clusters[0].remote[1]));
    if (seen.empty() || seen.back() != st) seen.push_back(st);
  }
  return seen;
}

using Names = std::vector<std::string>;

TEST(VcsGlobalClusterSequences, G1RemoteClusterJoins) {
  State s = props::Init<VcsGco>();
  EXPECT_EQ(
      Sequence(s, {HeartbeatAlive{0, 1, Heartbeat::kIcmp}, Connect{0, 1}, SnapshotDone{0, 1}}),
      (Names{"INIT", "BUILD", "RUNNING"}));
}

TEST(VcsGlobalClusterSequences, G2AllHeartbeatsLostEveryInquirySaysDown) {
  State s = props::Mesh<VcsGco>();
  Sequence(s, {HeartbeatAlive{0, 1, Heartbeat::kIcmpS}});
  EXPECT_EQ(
      Sequence(s, {HeartbeatDead{0, 1, Heartbeat::kIcmp}, HeartbeatDead{0, 1, Heartbeat::kIcmpS},
                   ConnectionLost{0, 1}, Inquire{0, 1}, InquiryAnswers{0, 1, 0}}),
      (Names{"RUNNING", "LOST_HB", "INQUIRY", "FAULTED"}));
}

TEST(VcsGlobalClusterSequences, G3AllHeartbeatsLostOneInquirySaysUp) {
  State s = props::Mesh<VcsGco>();
  Sequence(s, {HeartbeatAlive{0, 1, Heartbeat::kIcmpS}});
  EXPECT_EQ(
      Sequence(s, {HeartbeatDead{0, 1, Heartbeat::kIcmpS}, HeartbeatDead{0, 1, Heartbeat::kIcmp},
                   ConnectionLost{0, 1}, Inquire{0, 1}, InquiryAnswers{0, 1, 1u << 2}}),
      (Names{"RUNNING", "LOST_HB", "INQUIRY", "UNKNOWN"}));
}

TEST(VcsGlobalClusterSequences, G4ConnectorFailsOverInsideTheRemoteCluster) {
  State s = props::Mesh<VcsGco>();
  EXPECT_EQ(
      Sequence(s, {ConnectorFailover{1}, ConnectorOnline{1}, Connect{0, 1}, SnapshotDone{0, 1}}),
      (Names{"TRANSITIONING", "BUILD", "RUNNING"}));
}

TEST(VcsGlobalClusterSequences, G5RemoteClusterStoppedGracefully) {
  State s = props::Mesh<VcsGco>();
  EXPECT_EQ(Sequence(s, {StopCluster{1}, ClusterExited{1}}), (Names{"EXITING", "EXITED"}));
  EXPECT_EQ(s.clusters[1].local, Local::kExited);
  EXPECT_EQ(VcsGco::Observe(s).clusters[1].reporting, false);
}

// The documented steps name the documented rule, so they stay enforced under
// Profile::kDocumentedOnly; the undocumented ones name an assumption rule.
TEST(VcsGlobalClusterRules, UndocumentedExitsCiteAssumptionRules) {
  State mesh = props::Mesh<VcsGco>();
  struct Case {
    const char* what;
    State from;
    Op op;
    RuleId want;
  };
  State lost_conn = VcsGco::Step(mesh, ConnectionLost{0, 1}).next;
  State lost_hb =
      VcsGco::Step(mesh, HeartbeatDead{0, 1, Heartbeat::kIcmp}).next;  // IcmpS is HBUNKNOWN
  State faulted = props::Silence<VcsGco>(mesh, 0, 1);
  faulted = VcsGco::Step(faulted, Inquire{0, 1}).next;
  faulted = VcsGco::Step(faulted, InquiryAnswers{0, 1, 0}).next;
  faulted = VcsGco::Step(faulted, HeartbeatAlive{0, 1, Heartbeat::kIcmp}).next;
  const Case cases[] = {
      {"reconnect from lost_conn", lost_conn, Connect{0, 1}, RuleId::kAsmReconnect},
      {"heartbeat loss in lost_conn", lost_conn, HeartbeatDead{0, 1, Heartbeat::kIcmp},
       RuleId::kAsmHbLostNotRunning},
      {"heartbeat back in lost_hb", lost_hb, HeartbeatAlive{0, 1, Heartbeat::kIcmpS},
       RuleId::kAsmHbReturns},
      {"last live heartbeat beside an HBUNKNOWN one", mesh, HeartbeatDead{0, 1, Heartbeat::kIcmp},
       RuleId::kAsmHbUnknownNotAlive},
      {"recovery from faulted", faulted, Connect{0, 1}, RuleId::kAsmRecover},
      {"crash", mesh, ClusterCrash{1}, RuleId::kAsmCrash},
  };
  for (const Case& c : cases) {
    auto o = VcsGco::Step(c.from, c.op);
    EXPECT_TRUE(o.accepted) << c.what;
    EXPECT_EQ(RuleOf<VcsGco>(o.rule).id, RuleOf<VcsGco>(c.want).id) << c.what;
    EXPECT_EQ(RuleOf<VcsGco>(o.rule).basis, BasisKind::kAssumption) << c.what;
  }
}

TEST(VcsGlobalClusterRules, CatalogueCounts) {
  int documented = 0, assumed = 0;
  for (const Rule& r : VcsGco::Rules()) (IsDocumented(r) ? documented : assumed) += 1;
  EXPECT_EQ(documented + assumed, static_cast<int>(VcsGco::Rules().size()));
  EXPECT_GT(documented, 0);
  EXPECT_GT(assumed, 0);
}

TEST(VcsGlobalClusterWalk, LongWalksBreakNoInvariant) {
  WalkOptions opt;
  opt.seed = 3;
  opt.walks = 200;
  opt.steps = 300;
  auto r = Walk<VcsGco>(opt);
  ASSERT_FALSE(r.violation) << RuleOf<VcsGco>(r.violation->finding.rule).id << ": "
                            << r.violation->finding.detail;
  EXPECT_GT(r.coverage.accepted, r.coverage.steps / 2) << "walks mostly bounce off preconditions";
}

TEST(VcsGlobalClusterWalk, StepAndInvariantsAreTotalOnArbitraryFields) {
  // Out-of-range fields and self-pairs are refused by the configuration
  // preconditions with the state unchanged, never undefined behaviour; every
  // outcome, refused or not, keeps the invariants.
  const State s = props::Mesh<VcsGco>();
  int refused = 0;
  auto check = [&](const Op& op, std::optional<RuleId> want) {
    const auto o = VcsGco::Step(s, op);
    std::vector<VcsGco::FindingT> f;
    VcsGco::CheckInvariants(o.next, f);
    for (const auto& x : f) {
      ADD_FAILURE() << "after " << VcsGco::Show(op) << ": " << RuleOf<VcsGco>(x.rule).id << ": "
                    << x.detail;
    }
    if (!want) return;
    ++refused;
    EXPECT_FALSE(o.accepted) << VcsGco::Show(op) << " was accepted";
    EXPECT_EQ(RuleOf<VcsGco>(o.rule).id, RuleOf<VcsGco>(*want).id) << VcsGco::Show(op);
    EXPECT_TRUE(o.next == s) << VcsGco::Show(op) << " changed the state to "
                             << VcsGco::Show(o.next);
  };
  for (int a = 0; a < 6; ++a) {
    for (int b = 0; b < 6; ++b) {
      std::optional<RuleId> pair;
      if (a >= props::kClusters || b >= props::kClusters) {
        pair = RuleId::kPreClusterConfigured;
      } else if (a == b) {
        pair = RuleId::kPreTwoClusters;
      }
      for (int h = 0; h < 4; ++h) {
        std::optional<RuleId> hb = pair;
        if (!hb && h >= props::kHeartbeats) hb = RuleId::kPreHeartbeatConfigured;
        check(HeartbeatAlive{U8(a), U8(b), static_cast<Heartbeat>(h)}, hb);
        check(HeartbeatDead{U8(a), U8(b), static_cast<Heartbeat>(h)}, hb);
        check(InquiryAnswers{U8(a), U8(b), U8(0xff)}, pair ? pair : RuleId::kPreAnswersNeedInquiry);
      }
      check(Connect{U8(a), U8(b)}, pair ? pair : RuleId::kPreConnectNeedsNoLink);
      if (a >= props::kClusters) check(StopCluster{U8(a)}, RuleId::kPreClusterConfigured);
    }
  }
  EXPECT_GT(refused, 0);
}

}  // namespace
}  // namespace haspec::vcs_gco
