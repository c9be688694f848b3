// Proof that the DSM properties can fail: each mutant of sut/dsm/mutants.h
// breaks one documented rule and must be caught by the property named next
// to it, with a shrunk counterexample. Then rule coverage: every rule of the
// catalogue is decided in a walk or a property, fires as an advisory, or is
// the rule a caught mutant breaks.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "properties/core/mutation.h"
#include "properties/dsm/dsm_properties.h"
#include "sut/dsm/mutants.h"

namespace haspec::dsm {
namespace {

using testing::MutantCase;
#define HASPEC_CASE HASPEC_MUTANT_CASE

const std::vector<MutantCase>& Cases() {
  static const std::vector<MutantCase> cases = {
      HASPEC_CASE(IgnoresLostSecondaries, AddDeletePromoteFailWhenAllSecondariesLost,
                  "DSM-PRE-ALL-SECONDARIES-LOST"),
      HASPEC_CASE(AddsDuringMaintenance, NoAddOrDeleteWhileANodeIsInMaintenance,
                  "DSM-PRE-MAINTENANCE-NO-ADD-DELETE"),
      HASPEC_CASE(OperatesOnHaConfigNode, NoOperationOnANodeInHaConfig,
                  "DSM-PRE-HA-CONFIG-NO-OPERATION", "DSM-PRE-ONE-RECONFIGURATION"),
      HASPEC_CASE(ReconfigurationNeverFails, FailedReconfigurationMakesSecondaryOutOfSync,
                  "DSM-TR-RECONFIG-FAIL-OUT-OF-SYNC"),
      HASPEC_CASE(OutOfSyncPrimary, FailedReconfigurationMakesSecondaryOutOfSync,
                  "DSM-INV-OUT-OF-SYNC-SECONDARY-ONLY", "DSM-PRE-FALL-BEHIND-SECONDARY"),
      HASPEC_CASE(DeletedNodeRejoins, DeletedNodeIsNeverRegisteredAgain,
                  "DSM-PRE-DELETED-NEVER-REJOINS"),
      HASPEC_CASE(DeletesFromAnywhere, DeleteOnlyThroughTheApiOnThePrimary,
                  "DSM-PRE-DELETE-API-ONLY", "DSM-PRE-DELETE-ON-PRIMARY"),
      HASPEC_CASE(PromoteKeepsOldPrimary, PromoteRunsOnTheStandbyAndRemovesTheOldPrimary,
                  "DSM-INV-ONE-PRIMARY", "DSM-TR-PROMOTE"),
      HASPEC_CASE(StandbyBeforePrimary, UpdatesGoPrimaryFirstThenOneStandbyAtATime,
                  "DSM-INV-STANDBY-NOT-AHEAD", "DSM-PRE-PRIMARY-FIRST"),
      HASPEC_CASE(SimultaneousUpdates, UpdatesGoPrimaryFirstThenOneStandbyAtATime,
                  "DSM-INV-ONE-NODE-UPDATING", "DSM-PRE-STANDBYS-SEQUENTIAL"),
      HASPEC_CASE(AgentsUpdateEarly, AgentsUpdateOnlyAfterEveryProviderNode,
                  "DSM-INV-AGENTS-AFTER-PROVIDERS", "DSM-PRE-AGENTS-AFTER-PROVIDERS"),
      HASPEC_CASE(ForwardsToAnyNode, LoadBalancerForwardsOnlyToActiveNodes,
                  "DSM-PRE-LB-ACTIVE-ONLY"),
      HASPEC_CASE(FifthNode, ClusterNeverGrowsBeyondFourNodes, "DSM-INV-CLUSTER-SIZE",
                  "DSM-PRE-CLUSTER-FULL"),
      HASPEC_CASE(OverlappingRollouts, RolloutsKeepOneVersion, "DSM-INV-ONE-VERSION"),
      HASPEC_CASE(OverlappingRollouts, StandbysRunThePrimarysVersion, "DSM-PRE-ONE-ROLLOUT"),
      HASPEC_CASE(UpdatesThroughLoadBalancer, UpdatesGoPrimaryFirstThenOneStandbyAtATime,
                  "DSM-PRE-UPDATE-NOT-VIA-LB"),
      HASPEC_CASE(UpdatesUnhealthyNode, UpdatesGoPrimaryFirstThenOneStandbyAtATime,
                  "DSM-PRE-UPDATE-ACTIVE-ONLY"),
      HASPEC_CASE(ReturnsToStandalone, NoReturnFromHaToStandalone,
                  "DSM-PRE-NO-RETURN-TO-STANDALONE"),
      HASPEC_CASE(MixedVersionJoin, StandbysRunThePrimarysVersion, "DSM-PRE-SAME-VERSION"),
      HASPEC_CASE(CriticalBeforeLostConnectivity, StatusFollowsTheDocumentedConditions,
                  "DSM-STATUS-PRECEDENCE", "DSM-STATUS-LOST-CONNECTIVITY"),
      HASPEC_CASE(ActiveDespiteServiceDown, StatusFollowsTheDocumentedConditions,
                  "DSM-STATUS-ACTIVE", "DSM-STATUS-CRITICAL"),
      HASPEC_CASE(FirstReasonOnly, RefusalsNameEveryReasonAUserCanActOn, "DSM-PRE-CLUSTER-FULL"),
      HASPEC_CASE(NodeUpRestartsServices, NodeUpKeepsServicesUnlessTheDocumentsReadingIsUsed,
                  "DSM-TR-NODE-UP-KEEPS-SERVICES"),
      HASPEC_CASE(HidesDownService, ViewsShowTheModelsFacts, "DSM-OBS-APPLIANCE-STATUS"),
      HASPEC_CASE(ListsRetiredNodes, ViewsShowTheModelsFacts, "DSM-OBS-HA-NODES"),
  };
  return cases;
}

class DsmMutant : public ::testing::TestWithParam<MutantCase> {};

TEST_P(DsmMutant, IsCaughtByItsProperty) { testing::ExpectCaught<Dsm>(GetParam()); }

HASPEC_INSTANTIATE_MUTANTS(DsmMutant, Cases());

using MachineUnderTest = Dsm;

TEST(DsmRuleCoverage, EveryRuleIsExercised) {
  testing::ExpectEveryRuleExercised<Dsm>(Cases(), {HASPEC_DSM_PROPERTIES(HASPEC_PROPERTY_ENTRY)},
                                         {.seed = 1, .walks = 300, .steps = 200});
}

}  // namespace
}  // namespace haspec::dsm
