// Proof that the JSA properties can fail: each mutant of sut/jsa/mutants.h
// breaks one documented rule and must be caught by the property named next
// to it, with a shrunk counterexample. Then rule coverage: every rule of the
// catalogue is decided in a walk or a property, has its premise hold, fires
// as an advisory, or is exercised by a caught mutant's counterexample.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "properties/core/mutation.h"
#include "properties/jsa/jsa_properties.h"
#include "sut/jsa/mutants.h"

namespace haspec::jsa {
namespace {

using testing::MutantCase;

const std::vector<MutantCase>& Cases() {
  static const std::vector<MutantCase> cases = {
      // Invariants, caught by the stateful property through that invariant.
      HASPEC_MUTANT_CASE(TwoActiveAfterManualFailover, InvariantsHoldAfterEveryStep,
                         "JSA-INV-ONE-ACTIVE"),
      HASPEC_MUTANT_CASE(FailoverLeavesClusterIp, InvariantsHoldAfterEveryStep,
                         "JSA-INV-VIP-ON-ACTIVE"),
      HASPEC_MUTANT_CASE(TakeoverWithoutServices, InvariantsHoldAfterEveryStep,
                         "JSA-INV-ACTIVE-SERVICES"),
      HASPEC_MUTANT_CASE(SwitchBackKeepsSecondaryServices, InvariantsHoldAfterEveryStep,
                         "JSA-INV-STANDBY-NO-SERVICES"),
      HASPEC_MUTANT_CASE(LicenseLossKeepsProcesses, InvariantsHoldAfterEveryStep,
                         "JSA-INV-NEEDS-LICENSE-NO-PROCESSES"),
      HASPEC_MUTANT_CASE(OfflineKeepsServices, InvariantsHoldAfterEveryStep,
                         "JSA-INV-OFFLINE-SERVICES-STOPPED"),
      HASPEC_MUTANT_CASE(RestoringStartsServices, InvariantsHoldAfterEveryStep,
                         "JSA-INV-ONLY-ACTIVE-RUNS-SERVICES"),
      HASPEC_MUTANT_CASE(LicensePrefersSecondary, InvariantsHoldAfterEveryStep,
                         "JSA-INV-SECONDARY-ACTIVE-PRIMARY-FAILED"),
      HASPEC_MUTANT_CASE(PairAlwaysSynchronizes, InvariantsHoldAfterEveryStep,
                         "JSA-INV-SYNC-NEEDS-REPLICATION"),
      HASPEC_MUTANT_CASE(RepairInstallsNewerSoftware, InvariantsHoldAfterEveryStep,
                         "JSA-INV-SECONDARY-NOT-AHEAD"),
      HASPEC_MUTANT_CASE(PatchKeepsSecondaryStandby, InvariantsHoldAfterEveryStep,
                         "JSA-INV-BEHIND-SHOWS-NEEDS-UPGRADE"),
      HASPEC_MUTANT_CASE(LicenseLossSparesStandby, InvariantsHoldAfterEveryStep, "JSA-INV-LICENSE"),
      HASPEC_MUTANT_CASE(RepairMarksAnyHost, InvariantsHoldAfterEveryStep, "JSA-INV-WELL-FORMED"),
      HASPEC_MUTANT_CASE(FailedHostRecoversByItself, InvariantsHoldAfterEveryStep,
                         "JSA-INV-FAILED-NEEDS-RESTORE"),
      HASPEC_MUTANT_CASE(RecoveredPrimaryRetakesActive, InvariantsHoldAfterEveryStep,
                         "JSA-INV-NO-AUTOMATIC-SWITCH-BACK"),
      HASPEC_MUTANT_CASE(ProcessExitFailsOver, InvariantsHoldAfterEveryStep),
      // Targeted properties, each against the bugs of its rule. Bugs that
      // need a rare combination (an op refused in a state a few admin actions
      // deep) are credited here, where the property drives the machine there.
      HASPEC_MUTANT_CASE(NfsReadOnlyIgnored, StandbyBecomesActiveWhenTheActiveHostFails,
                         "JSA-TR-PRIMARY-FAILOVER", "JSA-TR-STANDBY-TAKES-OVER"),
      HASPEC_MUTANT_CASE(TakeoverWithoutServices, StandbyBecomesActiveWhenTheActiveHostFails),
      HASPEC_MUTANT_CASE(SecondaryFailureStopsPrimary, PrimaryStaysActiveWhenTheSecondaryFails,
                         "JSA-TR-SECONDARY-FAILS"),
      HASPEC_MUTANT_CASE(ProcessExitFailsOver, ProcessExitsAndFullDisksCauseNoFailover,
                         "JSA-TR-NO-FAILOVER-PROCESS-EXIT"),
      HASPEC_MUTANT_CASE(FullDiskFailsOver, ProcessExitsAndFullDisksCauseNoFailover,
                         "JSA-TR-NO-FAILOVER-DISK-95"),
      HASPEC_MUTANT_CASE(IgnoresStandbyCrossCheck,
                         PingTestFailsOverOnlyWhenTheCrossCheckPassesAndTheRepingFails,
                         "JSA-TR-NET-STANDBY-CROSS-CHECK-FAILS"),
      HASPEC_MUTANT_CASE(FailsOverWithoutReping,
                         PingTestFailsOverOnlyWhenTheCrossCheckPassesAndTheRepingFails,
                         "JSA-TR-NET-REPING-SUCCEEDS"),
      HASPEC_MUTANT_CASE(PingFailoverMarksFailed,
                         PingTestFailsOverOnlyWhenTheCrossCheckPassesAndTheRepingFails,
                         "JSA-TR-NET-FAILOVER"),
      HASPEC_MUTANT_CASE(OffersOnlyStandbyLanding, DisputedLandingsOfferStandbyAndOffline,
                         "JSA-TR-NET-FAILOVER", "JSA-TR-RECOVERED-PRIMARY-LANDING"),
      HASPEC_MUTANT_CASE(OfflinePeerTakesOver, NoFailoverWhileAHostIsOffline,
                         "JSA-TR-NO-FAILOVER-PEER-OFFLINE", "JSA-INV-NO-FAILOVER-WHILE-OFFLINE"),
      HASPEC_MUTANT_CASE(SkipsSettingOffline, OfflineAndOnlinePassThroughTheirSettingStatuses,
                         "JSA-TR-SET-OFFLINE"),
      HASPEC_MUTANT_CASE(SkipsOnline, OfflineAndOnlinePassThroughTheirSettingStatuses,
                         "JSA-TR-ONLINE-SETTLES"),
      HASPEC_MUTANT_CASE(ManualFailoverLeavesNoActive, SettingTheActiveHostOfflineIsAManualFailover,
                         "JSA-TR-MANUAL-FAILOVER"),
      HASPEC_MUTANT_CASE(OfflinesTheOnlyActiveHost, TheOnlyActiveHostIsNeverSetOffline,
                         "JSA-PRE-OFFLINE-NEEDS-STANDBY-PEER"),
      HASPEC_MUTANT_CASE(FailedHostRecoversByItself, FailedHostStaysFailedUntilRepairedAndRestored,
                         "JSA-TR-RESTORE"),
      HASPEC_MUTANT_CASE(RestoreWithoutRepair, FailedHostStaysFailedUntilRepairedAndRestored,
                         "JSA-PRE-RESTORE-NEEDS-REPAIR"),
      HASPEC_MUTANT_CASE(RestoreAlwaysSynchronizes, RestoredHostSynchronizesOnlyWithDiskReplication,
                         "JSA-TR-RESTORE-SYNC"),
      HASPEC_MUTANT_CASE(RestoreSkipsSynchronizing, RestoredHostSynchronizesOnlyWithDiskReplication,
                         "JSA-TR-RESTORE-SYNC"),
      HASPEC_MUTANT_CASE(RecoveredPrimaryRetakesActive,
                         RecoveredPrimaryStaysStandbyUntilSwitchedBack,
                         "JSA-TR-RECOVERED-PRIMARY-LANDING"),
      HASPEC_MUTANT_CASE(SwitchKeepsClusterIpOnSecondary,
                         RecoveredPrimaryStaysStandbyUntilSwitchedBack,
                         "JSA-TR-SWITCH-PRIMARY-ACTIVE"),
      HASPEC_MUTANT_CASE(PatchesTheActiveHost, RecoveredPrimaryStaysStandbyUntilSwitchedBack,
                         "JSA-INV-NEEDS-UPGRADE-SECONDARY-ONLY", "JSA-PRE-PATCH-ACTIVE-PRIMARY"),
      HASPEC_MUTANT_CASE(UpgradesTheStandbyPrimary, RecoveredPrimaryStaysStandbyUntilSwitchedBack,
                         "JSA-INV-UPGRADING-SECONDARY-ONLY"),
      HASPEC_MUTANT_CASE(LicenseLossSparesStandby,
                         NeedsLicenseStopsProcessesAndTheLicenseRestoresTheActiveHost,
                         "JSA-TR-LICENSE-LOST"),
      HASPEC_MUTANT_CASE(LicensePrefersPrimary,
                         NeedsLicenseStopsProcessesAndTheLicenseRestoresTheActiveHost,
                         "JSA-TR-LICENSE-APPLIED", "JSA-INV-NO-AUTOMATIC-SWITCH-BACK"),
      HASPEC_MUTANT_CASE(PatchKeepsSecondaryStandby,
                         SecondaryBehindNeedsUpgradeAndIsUpgradedByThePrimary,
                         "JSA-TR-LAND-NEEDS-UPGRADE"),
      HASPEC_MUTANT_CASE(NeedsUpgradeSecondaryTakesOver,
                         SecondaryBehindNeedsUpgradeAndIsUpgradedByThePrimary,
                         "JSA-TR-NO-FAILOVER-DURING-UPGRADE"),
      HASPEC_MUTANT_CASE(UpgradeFinishesWithoutPrimary,
                         SecondaryBehindNeedsUpgradeAndIsUpgradedByThePrimary,
                         "JSA-PRE-UPGRADE-BY-PRIMARY"),
      HASPEC_MUTANT_CASE(PairAlwaysSynchronizes, NewPairSynchronizesOnlyWithDiskReplication,
                         "JSA-TR-CREATE-PAIR"),
      HASPEC_MUTANT_CASE(
          SecondaryTakesRoleFromAbsentPrimary, SecondaryWaitsForAPrimaryThatDidNotFail,
          "JSA-INV-SECONDARY-ACTIVE-PRIMARY-FAILED", "JSA-TR-LAND-STANDBY-PRIMARY-NOT-FAILED"),
      HASPEC_MUTANT_CASE(SilentAboutFailedSecondary, UnprotectedStatesAreReported,
                         "JSA-ADV-UNPROTECTED-SECONDARY-FAILED"),
      HASPEC_MUTANT_CASE(SilentAboutFailedSecondary, PrimaryStaysActiveWhenTheSecondaryFails),
      HASPEC_MUTANT_CASE(ShowsFailedAsOffline, ObservationsShowEachHostAndSurviveTheStatusLog,
                         "JSA-OBS-SHOWN"),
      HASPEC_MUTANT_CASE(ShowsVipOnStandby, ObservationsShowEachHostAndSurviveTheStatusLog,
                         "JSA-INV-VIP-ON-ACTIVE"),
      // Issue 7: the refusal set and the documented alternatives.
      HASPEC_MUTANT_CASE(FirstRefusalOnly, RefusalsListEveryReason),
      HASPEC_MUTANT_CASE(NoDepartures, AssumedLandingsOfferTheDocumentedAlternatives),
  };
  return cases;
}

class JsaMutant : public ::testing::TestWithParam<MutantCase> {};

TEST_P(JsaMutant, IsCaughtByItsProperty) { testing::ExpectCaught<Jsa>(GetParam()); }

HASPEC_INSTANTIATE_MUTANTS(JsaMutant, Cases());

// Every property of HASPEC_JSA_PROPERTIES has at least one mutant it kills.
TEST(JsaMutants, EveryPropertyCatchesAPlantedBug) {
  std::set<std::string> killers;
  for (const MutantCase& c : Cases()) killers.insert(c.property);
  std::string missing;
#define HASPEC_X(name) \
  if (!killers.count(#name)) missing += " " #name;
  HASPEC_JSA_PROPERTIES(HASPEC_X)
#undef HASPEC_X
  EXPECT_TRUE(missing.empty()) << "properties without a mutant:" << missing;
}

using MachineUnderTest = Jsa;

TEST(JsaRuleCoverage, EveryRuleIsExercised) {
  testing::ExpectEveryRuleExercised<Jsa>(Cases(), {HASPEC_JSA_PROPERTIES(HASPEC_PROPERTY_ENTRY)},
                                         {.seed = 1, .walks = 300, .steps = 200});
}

}  // namespace
}  // namespace haspec::jsa
