// Proof that the global cluster properties can fail: each mutant of
// sut/vcs_gco/mutants.h breaks one rule and must be caught by the property
// named next to it, with a shrunk counterexample. Then rule coverage: every
// rule of the catalogue is decided in a walk or a property, or is a rule a
// caught mutant breaks (invariants only count when the failure was that
// invariant).
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "engine/walk.h"
#include "properties/vcs_gco/vcs_gco_properties.h"
#include "sut/vcs_gco/mutants.h"

namespace haspec::vcs_gco {
namespace {

struct MutantCase {
  const char* mutant;
  const char* property;
  void (*killer)();
  std::vector<std::string> rules;  // rules the caught mutant breaks
};

void PrintTo(const MutantCase& c, std::ostream* os) { *os << c.mutant << " vs " << c.property; }

#define HASPEC_CASE(mutant, property, ...) \
  MutantCase{#mutant, #property, &props::property<mutants::mutant>, {__VA_ARGS__}}

const std::vector<MutantCase>& Cases() {
  static const std::vector<MutantCase> cases = {
      // Documented transitions and preconditions, each by its own property.
      HASPEC_CASE(JoinSkipsBuild, RemoteClusterJoinsThroughBuild, "GCO-TR-JOIN-BUILD"),
      HASPEC_CASE(SnapshotNeverCompletes, RemoteClusterJoinsThroughBuild, "GCO-TR-SNAPSHOT-RUNNING"),
      HASPEC_CASE(IgnoresLostHeartbeats, LosingEveryHeartbeatMakesLostHb, "GCO-TR-ALL-HEARTBEATS-LOST"),
      HASPEC_CASE(FaultsWithoutInquiry, SilentClusterIsInquiredAbout, "GCO-TR-INQUIRY"),
      HASPEC_CASE(UnknownDespiteAllDown, EveryAnswerDownMeansFaulted, "GCO-TR-INQUIRY-FAULTED"),
      HASPEC_CASE(FaultedDespiteAnswer, AnAnswerNotDownMeansUnknown, "GCO-TR-INQUIRY-UNKNOWN"),
      HASPEC_CASE(FailoverSeenAsConnectionLoss, ConnectorFailoverMakesViewsTransitioning,
                  "GCO-TR-WAC-FAILOVER"),
      HASPEC_CASE(RebuildSkipsBuild, TransitioningViewRebuildsOnceTheConnectorIsBack,
                  "GCO-TR-FAILOVER-REBUILD"),
      HASPEC_CASE(NoExitNotice, GracefulShutdownIsAnnouncedAsExiting, "GCO-TR-EXIT-NOTICE"),
      HASPEC_CASE(ExitedSeenAsLostConn, ExitingBecomesExitedWhenTheConnectionDrops, "GCO-TR-EXITED"),
      HASPEC_CASE(ExitForgetsObservers, ExitingBecomesExitedWhenTheConnectionDrops, "GCO-TR-EXITED"),
      HASPEC_CASE(ConnectionLossIgnored, ConnectionLossWithHeartbeatsAliveIsLostConn, "GCO-TR-CONN-LOST"),
      HASPEC_CASE(ConnectionLossKeepsLink, ConnectionLossWithHeartbeatsAliveIsLostConn,
                  "GCO-TR-CONN-LOST"),
      HASPEC_CASE(HeartbeatReportsDropped, HeartbeatReportsSetTheHeartbeatState,
                  "GCO-TR-HEARTBEAT-STATE"),
      HASPEC_CASE(StartsWithStaleViews, StartedConnectorHoldsEveryRemoteAtInit, "GCO-TR-START-AT-INIT"),
      HASPEC_CASE(ConnectsWithoutHeartbeat, ConnectNeedsALiveHeartbeat,
                  "GCO-PRE-HEARTBEAT-ALIVE-TO-CONNECT"),
      HASPEC_CASE(DownConnectorStillHears, EventsNeedTheObserversConnector, "GCO-PRE-CONNECTOR-UP"),
      HASPEC_CASE(ObserveHidesExiting, ObservationShowsEveryView),
      // Every invariant, through the stateful property.
      HASPEC_CASE(NoExitNotice, InvariantsHoldAfterEveryStep, "GCO-INV-RUNNING-MEANS-PEER-RUNNING"),
      HASPEC_CASE(ExitForgetsObservers, InvariantsHoldAfterEveryStep,
                  "GCO-INV-EXITING-MEANS-PEER-EXITING"),
      HASPEC_CASE(ConnectionLossIgnored, InvariantsHoldAfterEveryStep, "GCO-INV-CONNECTED-VIEWS"),
      HASPEC_CASE(ConnectionLossKeepsLink, InvariantsHoldAfterEveryStep, "GCO-INV-LOST-CONN-HAS-NO-LINK"),
      HASPEC_CASE(FailoverKeepsLinks, InvariantsHoldAfterEveryStep, "GCO-INV-IDLE-VIEWS-HAVE-NO-LINK",
                  "GCO-INV-LINK-NEEDS-TWO-CONNECTORS"),
      HASPEC_CASE(IgnoresLostHeartbeats, InvariantsHoldAfterEveryStep,
                  "GCO-INV-RUNNING-HAS-LIVE-HEARTBEAT"),
      HASPEC_CASE(HeartbeatReturnIgnored, InvariantsHoldAfterEveryStep,
                  "GCO-INV-LOST-HB-HAS-NO-LIVE-HEARTBEAT"),
      HASPEC_CASE(LostConnIgnoresHeartbeatLoss, InvariantsHoldAfterEveryStep,
                  "GCO-INV-LOST-CONN-HAS-LIVE-HEARTBEAT"),
      HASPEC_CASE(CrashKeepsOwnViews, InvariantsHoldAfterEveryStep, "GCO-INV-DOWN-CONNECTOR-HOLDS-NOTHING"),
      HASPEC_CASE(DownConnectorStillHears, InvariantsHoldAfterEveryStep,
                  "GCO-INV-DOWN-CONNECTOR-HOLDS-NOTHING"),
      HASPEC_CASE(ConnectsWithoutHeartbeat, InvariantsHoldAfterEveryStep,
                  "GCO-INV-LOST-CONN-HAS-LIVE-HEARTBEAT"),
  };
  return cases;
}

class VcsGcoMutant : public ::testing::TestWithParam<MutantCase> {};

TEST_P(VcsGcoMutant, IsCaughtByItsProperty) {
  const MutantCase& c = GetParam();
  testing::RuleLog log;
  bool caught;
  {
    testing::RecordRules rec(log);
    caught = testing::Catches(std::string(c.mutant) + " vs " + c.property, c.killer);
  }
  EXPECT_TRUE(caught) << "property " << c.property << " did not catch mutant " << c.mutant;
  for (const std::string& id : c.rules) {
    const Rule* r = FindRule(VcsGco::Rules(), id);
    ASSERT_NE(r, nullptr) << "unknown rule " << id;
    if (r->kind == RuleKind::kInvariant) {
      EXPECT_TRUE(log.broken.count(id)) << c.property << " caught " << c.mutant
                                        << " but not through invariant " << id;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Mutants, VcsGcoMutant, ::testing::ValuesIn(Cases()),
                         [](const auto& param_info) {
                           return std::string(param_info.param.mutant) + "_" + param_info.param.property;
                         });

// Every rule is exercised: decided by a step of a long random walk or of a
// targeted property, or broken by a caught mutant.
TEST(VcsGcoRuleCoverage, EveryRuleIsExercised) {
  std::set<std::string> covered;
  WalkOptions opt;
  opt.seed = 1;
  opt.walks = 300;
  opt.steps = 300;
  auto walk = Walk<VcsGco>(opt);
  ASSERT_FALSE(walk.violation) << walk.violation->finding.detail;
  for (std::size_t i = 0; i < VcsGco::Rules().size(); ++i) {
    if (walk.decided[i] || walk.advised[i]) covered.insert(std::string(VcsGco::Rules()[i].id));
  }
  testing::RuleLog log;
  {
    testing::RecordRules rec(log);
#define HASPEC_X(name) EXPECT_TRUE(rc::check(#name, &props::name<VcsGco>));
    HASPEC_GCO_PROPERTIES(HASPEC_X)
#undef HASPEC_X
  }
  covered.insert(log.decided.begin(), log.decided.end());
  for (const MutantCase& c : Cases()) covered.insert(c.rules.begin(), c.rules.end());
  std::string missing;
  for (const Rule& r : VcsGco::Rules()) {
    if (!covered.count(std::string(r.id))) missing += " " + std::string(r.id);
  }
  EXPECT_TRUE(missing.empty()) << "rules no property exercises:" << missing;
}

}  // namespace
}  // namespace haspec::vcs_gco
