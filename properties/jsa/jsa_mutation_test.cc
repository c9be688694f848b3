// Proof that the JSA properties can fail: each mutant of sut/jsa/mutants.h
// breaks one documented rule and must be caught by the property named next
// to it, with a shrunk counterexample. Then rule coverage: every rule of the
// catalogue is decided in a walk or a property, fires as an advisory, or is
// the rule a caught mutant breaks.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "engine/walk.h"
#include "properties/jsa/jsa_properties.h"
#include "sut/jsa/mutants.h"

namespace haspec::jsa {
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
      // Invariants, caught by the stateful property through that invariant.
      HASPEC_CASE(TwoActiveAfterManualFailover, InvariantsHoldAfterEveryStep, "JSA-INV-ONE-ACTIVE"),
      HASPEC_CASE(FailoverLeavesClusterIp, InvariantsHoldAfterEveryStep, "JSA-INV-VIP-ON-ACTIVE"),
      HASPEC_CASE(TakeoverWithoutServices, InvariantsHoldAfterEveryStep, "JSA-INV-ACTIVE-SERVICES"),
      HASPEC_CASE(SwitchBackKeepsSecondaryServices, InvariantsHoldAfterEveryStep,
                  "JSA-INV-STANDBY-NO-SERVICES"),
      HASPEC_CASE(LicenseLossKeepsProcesses, InvariantsHoldAfterEveryStep,
                  "JSA-INV-NEEDS-LICENSE-NO-PROCESSES"),
      HASPEC_CASE(OfflineKeepsServices, InvariantsHoldAfterEveryStep,
                  "JSA-INV-OFFLINE-SERVICES-STOPPED"),
      HASPEC_CASE(RestoringStartsServices, InvariantsHoldAfterEveryStep,
                  "JSA-INV-ONLY-ACTIVE-RUNS-SERVICES"),
      HASPEC_CASE(LicensePrefersSecondary, InvariantsHoldAfterEveryStep,
                  "JSA-INV-SECONDARY-ACTIVE-PRIMARY-FAILED"),
      HASPEC_CASE(SecondaryTakesRoleFromAbsentPrimary, InvariantsHoldAfterEveryStep,
                  "JSA-INV-SECONDARY-ACTIVE-PRIMARY-FAILED", "JSA-TR-LAND-STANDBY-PRIMARY-NOT-FAILED"),
      HASPEC_CASE(PairAlwaysSynchronizes, InvariantsHoldAfterEveryStep,
                  "JSA-INV-SYNC-NEEDS-REPLICATION"),
      HASPEC_CASE(RepairInstallsNewerSoftware, InvariantsHoldAfterEveryStep,
                  "JSA-INV-SECONDARY-NOT-AHEAD"),
      HASPEC_CASE(PatchKeepsSecondaryStandby, InvariantsHoldAfterEveryStep,
                  "JSA-INV-BEHIND-SHOWS-NEEDS-UPGRADE"),
      HASPEC_CASE(LicenseLossSparesStandby, InvariantsHoldAfterEveryStep, "JSA-INV-LICENSE"),
      HASPEC_CASE(RepairMarksAnyHost, InvariantsHoldAfterEveryStep, "JSA-INV-WELL-FORMED"),
      HASPEC_CASE(FailedHostRecoversByItself, InvariantsHoldAfterEveryStep,
                  "JSA-INV-FAILED-NEEDS-RESTORE"),
      HASPEC_CASE(RecoveredPrimaryRetakesActive, InvariantsHoldAfterEveryStep,
                  "JSA-INV-NO-AUTOMATIC-SWITCH-BACK"),
      HASPEC_CASE(ProcessExitFailsOver, InvariantsHoldAfterEveryStep),
      // Targeted properties, each against the bugs of its rule. Bugs that
      // need a rare combination (an op refused in a state a few admin actions
      // deep) are credited here, where the property drives the machine there.
      HASPEC_CASE(NfsReadOnlyIgnored, StandbyBecomesActiveWhenTheActiveHostFails,
                  "JSA-TR-PRIMARY-FAILOVER", "JSA-TR-STANDBY-TAKES-OVER"),
      HASPEC_CASE(TakeoverWithoutServices, StandbyBecomesActiveWhenTheActiveHostFails),
      HASPEC_CASE(SecondaryFailureStopsPrimary, PrimaryStaysActiveWhenTheSecondaryFails,
                  "JSA-TR-SECONDARY-FAILS"),
      HASPEC_CASE(ProcessExitFailsOver, ProcessExitsAndFullDisksCauseNoFailover,
                  "JSA-TR-NO-FAILOVER-PROCESS-EXIT"),
      HASPEC_CASE(FullDiskFailsOver, ProcessExitsAndFullDisksCauseNoFailover,
                  "JSA-TR-NO-FAILOVER-DISK-95"),
      HASPEC_CASE(IgnoresStandbyCrossCheck, PingTestFailsOverOnlyWhenTheCrossCheckPassesAndTheRepingFails,
                  "JSA-TR-NET-STANDBY-CROSS-CHECK-FAILS"),
      HASPEC_CASE(FailsOverWithoutReping, PingTestFailsOverOnlyWhenTheCrossCheckPassesAndTheRepingFails,
                  "JSA-TR-NET-REPING-SUCCEEDS"),
      HASPEC_CASE(PingFailoverMarksFailed, PingTestFailsOverOnlyWhenTheCrossCheckPassesAndTheRepingFails,
                  "JSA-TR-NET-FAILOVER"),
      HASPEC_CASE(OffersOnlyStandbyLanding, DisputedLandingsOfferStandbyAndOffline,
                  "JSA-TR-NET-FAILOVER", "JSA-TR-RECOVERED-PRIMARY-LANDING"),
      HASPEC_CASE(OfflinePeerTakesOver, NoFailoverWhileAHostIsOffline,
                  "JSA-TR-NO-FAILOVER-PEER-OFFLINE", "JSA-INV-NO-FAILOVER-WHILE-OFFLINE"),
      HASPEC_CASE(SkipsSettingOffline, OfflineAndOnlinePassThroughTheirSettingStatuses,
                  "JSA-TR-SET-OFFLINE", "JSA-TR-OFFLINE-SETTLES"),
      HASPEC_CASE(SkipsOnline, OfflineAndOnlinePassThroughTheirSettingStatuses,
                  "JSA-TR-ONLINE-SETTLES", "JSA-TR-LAND-STANDBY"),
      HASPEC_CASE(ManualFailoverLeavesNoActive, SettingTheActiveHostOfflineIsAManualFailover,
                  "JSA-TR-MANUAL-FAILOVER"),
      HASPEC_CASE(FailedHostRecoversByItself, FailedHostStaysFailedUntilRepairedAndRestored,
                  "JSA-TR-RESTORE"),
      HASPEC_CASE(RestoreWithoutRepair, FailedHostStaysFailedUntilRepairedAndRestored,
                  "JSA-PRE-RESTORE-NEEDS-REPAIR", "JSA-TR-REPAIR"),
      HASPEC_CASE(RestoreAlwaysSynchronizes, RestoredHostSynchronizesOnlyWithDiskReplication,
                  "JSA-TR-RESTORE-SYNC"),
      HASPEC_CASE(RestoreSkipsSynchronizing, RestoredHostSynchronizesOnlyWithDiskReplication,
                  "JSA-TR-RESTORE-SYNC", "JSA-TR-SYNC-DONE"),
      HASPEC_CASE(RecoveredPrimaryRetakesActive, RecoveredPrimaryStaysStandbyUntilSwitchedBack,
                  "JSA-TR-RECOVERED-PRIMARY-LANDING"),
      HASPEC_CASE(SwitchKeepsClusterIpOnSecondary, RecoveredPrimaryStaysStandbyUntilSwitchedBack,
                  "JSA-TR-SWITCH-PRIMARY-ACTIVE"),
      HASPEC_CASE(PatchesTheActiveHost, RecoveredPrimaryStaysStandbyUntilSwitchedBack,
                  "JSA-INV-NEEDS-UPGRADE-SECONDARY-ONLY", "JSA-PRE-PATCH-ACTIVE-PRIMARY"),
      HASPEC_CASE(UpgradesTheStandbyPrimary, RecoveredPrimaryStaysStandbyUntilSwitchedBack,
                  "JSA-INV-UPGRADING-SECONDARY-ONLY"),
      HASPEC_CASE(LicenseLossSparesStandby, NeedsLicenseStopsProcessesAndTheLicenseRestoresTheActiveHost,
                  "JSA-TR-LICENSE-LOST"),
      HASPEC_CASE(LicensePrefersPrimary, NeedsLicenseStopsProcessesAndTheLicenseRestoresTheActiveHost,
                  "JSA-TR-LICENSE-APPLIED", "JSA-INV-NO-AUTOMATIC-SWITCH-BACK"),
      HASPEC_CASE(PatchKeepsSecondaryStandby, SecondaryBehindNeedsUpgradeAndIsUpgradedByThePrimary,
                  "JSA-TR-LAND-NEEDS-UPGRADE"),
      HASPEC_CASE(NeedsUpgradeSecondaryTakesOver, SecondaryBehindNeedsUpgradeAndIsUpgradedByThePrimary,
                  "JSA-TR-NO-FAILOVER-DURING-UPGRADE"),
      HASPEC_CASE(UpgradeFinishesWithoutPrimary, SecondaryBehindNeedsUpgradeAndIsUpgradedByThePrimary,
                  "JSA-PRE-UPGRADE-BY-PRIMARY", "JSA-TR-UPGRADE-DONE"),
      HASPEC_CASE(PairAlwaysSynchronizes, NewPairSynchronizesOnlyWithDiskReplication,
                  "JSA-TR-CREATE-PAIR"),
      HASPEC_CASE(SilentAboutFailedSecondary, UnprotectedStatesAreReported,
                  "JSA-ADV-UNPROTECTED-SECONDARY-FAILED"),
      HASPEC_CASE(SilentAboutFailedSecondary, PrimaryStaysActiveWhenTheSecondaryFails),
      HASPEC_CASE(ShowsFailedAsOffline, ObservationsShowEachHostAndSurviveTheStatusLog),
  };
  return cases;
}

class JsaMutant : public ::testing::TestWithParam<MutantCase> {};

TEST_P(JsaMutant, IsCaughtByItsProperty) {
  const MutantCase& c = GetParam();
  testing::RuleLog log;
  bool caught;
  {
    testing::RecordRules rec(log);
    caught = testing::Catches(std::string(c.mutant) + " vs " + c.property, c.killer);
  }
  EXPECT_TRUE(caught) << "property " << c.property << " did not catch mutant " << c.mutant;
  // An invariant is credited only if the failure was that invariant.
  for (const std::string& id : c.rules) {
    const Rule* r = FindRule(Jsa::Rules(), id);
    ASSERT_NE(r, nullptr) << "unknown rule " << id;
    if (r->kind == RuleKind::kInvariant) {
      EXPECT_TRUE(log.broken.count(id)) << c.property << " caught " << c.mutant
                                        << " but not through invariant " << id;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Mutants, JsaMutant, ::testing::ValuesIn(Cases()),
                         [](const auto& param_info) {
                           return std::string(param_info.param.mutant) + "_" + param_info.param.property;
                         });

// Every property of HASPEC_JSA_PROPERTIES has at least one mutant it kills.
TEST(JsaMutants, EveryPropertyCatchesAPlantedBug) {
  std::set<std::string> killers;
  for (const MutantCase& c : Cases()) killers.insert(c.property);
  std::string missing;
#define HASPEC_X(name) if (!killers.count(#name)) missing += " " #name;
  HASPEC_JSA_PROPERTIES(HASPEC_X)
#undef HASPEC_X
  EXPECT_TRUE(missing.empty()) << "properties without a mutant:" << missing;
}

// Every rule is exercised: decided by a step of a long random walk or of a
// targeted property, reported as an advisory, or broken by a caught mutant.
TEST(JsaRuleCoverage, EveryRuleIsExercised) {
  std::set<std::string> covered;
  WalkOptions opt;
  opt.seed = 1;
  opt.walks = 300;
  opt.steps = 200;
  auto walk = Walk<Jsa>(opt);
  ASSERT_FALSE(walk.violation) << walk.violation->finding.detail;
  for (std::size_t i = 0; i < Jsa::Rules().size(); ++i) {
    if (walk.decided[i] || walk.advised[i]) covered.insert(std::string(Jsa::Rules()[i].id));
  }
  testing::RuleLog log;
  {
    testing::RecordRules rec(log);
#define HASPEC_X(name) EXPECT_TRUE(rc::check(#name, &props::name<Jsa>));
    HASPEC_JSA_PROPERTIES(HASPEC_X)
#undef HASPEC_X
  }
  covered.insert(log.decided.begin(), log.decided.end());
  for (const MutantCase& c : Cases()) covered.insert(c.rules.begin(), c.rules.end());
  std::string missing;
  for (const Rule& r : Jsa::Rules()) {
    if (!covered.count(std::string(r.id))) missing += " " + std::string(r.id);
  }
  EXPECT_TRUE(missing.empty()) << "rules no property exercises:" << missing;
}

}  // namespace
}  // namespace haspec::jsa
