// Proof that the global cluster properties can fail: each mutant of
// sut/vcs_gco/mutants.h breaks one rule and must be caught by the property
// named next to it, with a shrunk counterexample. Then rule coverage: every
// rule of the catalogue is decided in a walk or a property, or is a rule a
// caught mutant breaks (invariants only count when the failure was that
// invariant).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "properties/core/mutation.h"
#include "properties/vcs_gco/vcs_gco_properties.h"
#include "sut/vcs_gco/mutants.h"

namespace haspec::vcs_gco {
namespace {

using testing::MutantCase;
#define HASPEC_CASE HASPEC_MUTANT_CASE

const std::vector<MutantCase>& Cases() {
  static const std::vector<MutantCase> cases = {
      // Documented transitions and preconditions, each by its own property.
      HASPEC_CASE(JoinSkipsBuild, RemoteClusterJoinsThroughBuild, "GCO-TR-JOIN-BUILD"),
      HASPEC_CASE(SnapshotNeverCompletes, RemoteClusterJoinsThroughBuild,
                  "GCO-TR-SNAPSHOT-RUNNING"),
      HASPEC_CASE(IgnoresLostHeartbeats, LosingEveryHeartbeatMakesLostHb,
                  "GCO-TR-ALL-HEARTBEATS-LOST", "GCO-INV-RUNNING-NOT-ALL-HEARTBEATS-DEAD"),
      HASPEC_CASE(FaultsWithoutInquiry, SilentClusterIsInquiredAbout, "GCO-TR-INQUIRY",
                  "GCO-STEP-FAULTED-FROM-INQUIRY"),
      HASPEC_CASE(FaultedWhileHeartbeatAlive, HeartbeatBackDuringInquiryIsNeverFaulted,
                  "GCO-ASM-HEARTBEAT-RETURNS-IN-INQUIRY", "GCO-STEP-FAULTED-ONLY-WHEN-SILENT"),
      HASPEC_CASE(CrashSeenAsExit, InvariantsHoldAfterEveryStep, "GCO-STEP-EXITED-FROM-EXITING"),
      HASPEC_CASE(UnknownDespiteAllDown, EveryAnswerDownMeansFaulted, "GCO-TR-INQUIRY-FAULTED"),
      HASPEC_CASE(FaultedDespiteAnswer, AnAnswerNotDownMeansUnknown, "GCO-TR-INQUIRY-UNKNOWN"),
      HASPEC_CASE(FailoverSeenAsConnectionLoss, ConnectorFailoverMakesViewsTransitioning,
                  "GCO-TR-WAC-FAILOVER"),
      HASPEC_CASE(RebuildSkipsBuild, TransitioningViewRebuildsOnceTheConnectorIsBack,
                  "GCO-TR-FAILOVER-REBUILD"),
      HASPEC_CASE(NoExitNotice, GracefulShutdownIsAnnouncedAsExiting, "GCO-TR-EXIT-NOTICE"),
      HASPEC_CASE(ExitedSeenAsLostConn, ExitingBecomesExitedWhenTheConnectionDrops,
                  "GCO-TR-EXITED"),
      HASPEC_CASE(ExitForgetsObservers, ExitingBecomesExitedWhenTheConnectionDrops, "GCO-TR-EXITED",
                  "GCO-INV-EXITING-MEANS-PEER-EXITING"),
      HASPEC_CASE(ConnectionLossIgnored, ConnectionLossWithHeartbeatsAliveIsLostConn,
                  "GCO-TR-CONN-LOST"),
      HASPEC_CASE(ConnectionLossKeepsLink, ConnectionLossWithHeartbeatsAliveIsLostConn,
                  "GCO-TR-CONN-LOST"),
      HASPEC_CASE(HeartbeatReportsDropped, HeartbeatReportsSetTheHeartbeatState,
                  "GCO-TR-HEARTBEAT-STATE"),
      HASPEC_CASE(StartsWithStaleViews, StartedConnectorHoldsEveryRemoteAtInit,
                  "GCO-TR-START-AT-INIT"),
      HASPEC_CASE(ConnectsWithoutHeartbeat, ConnectNeedsALiveHeartbeat,
                  "GCO-PRE-HEARTBEAT-ALIVE-TO-CONNECT"),
      HASPEC_CASE(DownConnectorStillHears, EventsNeedTheObserversConnector, "GCO-PRE-CONNECTOR-UP"),
      HASPEC_CASE(AcceptsSelfHeartbeat, EventsNameTwoDifferentClusters,
                  "GCO-PRE-TWO-DIFFERENT-CLUSTERS"),
      HASPEC_CASE(ObserveHidesExiting, ObservationShowsEveryView),
      // Every invariant, through the stateful property.
      HASPEC_CASE(NoExitNotice, InvariantsHoldAfterEveryStep, "GCO-INV-RUNNING-MEANS-PEER-RUNNING"),
      HASPEC_CASE(ConnectionLossIgnored, InvariantsHoldAfterEveryStep, "GCO-INV-CONNECTED-VIEWS"),
      HASPEC_CASE(ConnectionLossKeepsLink, InvariantsHoldAfterEveryStep,
                  "GCO-INV-LOST-CONN-HAS-NO-LINK"),
      HASPEC_CASE(FailoverKeepsLinks, InvariantsHoldAfterEveryStep,
                  "GCO-INV-IDLE-VIEWS-HAVE-NO-LINK", "GCO-INV-LINK-NEEDS-TWO-CONNECTORS"),
      HASPEC_CASE(IgnoresLostHeartbeats, InvariantsHoldAfterEveryStep,
                  "GCO-INV-RUNNING-HAS-LIVE-HEARTBEAT"),
      HASPEC_CASE(HeartbeatReturnIgnored, InvariantsHoldAfterEveryStep,
                  "GCO-INV-LOST-HB-HAS-NO-LIVE-HEARTBEAT"),
      HASPEC_CASE(LostConnIgnoresHeartbeatLoss, InvariantsHoldAfterEveryStep,
                  "GCO-INV-LOST-CONN-HAS-LIVE-HEARTBEAT"),
      HASPEC_CASE(CrashKeepsOwnViews, InvariantsHoldAfterEveryStep,
                  "GCO-INV-DOWN-CONNECTOR-HOLDS-NOTHING"),
      HASPEC_CASE(DownConnectorStillHears, InvariantsHoldAfterEveryStep,
                  "GCO-INV-DOWN-CONNECTOR-HOLDS-NOTHING"),
      HASPEC_CASE(ConnectsWithoutHeartbeat, InvariantsHoldAfterEveryStep,
                  "GCO-INV-LOST-CONN-HAS-LIVE-HEARTBEAT"),
  };
  return cases;
}

class VcsGcoMutant : public ::testing::TestWithParam<MutantCase> {};

TEST_P(VcsGcoMutant, IsCaughtByItsProperty) { testing::ExpectCaught<VcsGco>(GetParam()); }

HASPEC_INSTANTIATE_MUTANTS(VcsGcoMutant, Cases());

using MachineUnderTest = VcsGco;

TEST(VcsGcoRuleCoverage, EveryRuleIsExercised) {
  testing::ExpectEveryRuleExercised<VcsGco>(Cases(),
                                            {HASPEC_GCO_PROPERTIES(HASPEC_PROPERTY_ENTRY)});
}

}  // namespace
}  // namespace haspec::vcs_gco
