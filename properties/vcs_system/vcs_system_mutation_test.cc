// Proof that the VCS system-state properties can fail: each mutant of
// sut/vcs_system/mutants.h breaks one documented rule and must be caught by
// the property named next to it, with a shrunk counterexample. Then rule
// coverage: every rule of the catalogue is decided in a walk or a property,
// fires as an advisory, or is the rule a caught mutant breaks.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "engine/walk.h"
#include "properties/vcs_system/vcs_system_properties.h"
#include "sut/vcs_system/mutants.h"

namespace haspec::vcs_system {
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
      // Joining
      HASPEC_CASE(LocalBuildBesideRunningPeer, DiscoveryFollowsThePeersStates,
                  "VCS-TR-DISCOVER-REMOTE-BUILD", "VCS-INV-LOCAL-BUILD-ALONE"),
      HASPEC_CASE(BuildsFromHighestRunning, RemoteBuildCopiesTheLowestNumberedRunningSystem,
                  "VCS-TR-BUILD-FROM-LOWEST"),
      HASPEC_CASE(BuildsFromHighestRunning, DiscoveryFollowsThePeersStates,
                  "VCS-TR-BUILD-FROM-LOWEST"),
      HASPEC_CASE(TwoLocalBuilds, OneLocalBuildAtATimeOthersWaitThenCopyIt,
                  "VCS-TR-DISCOVER-CURRENT-PEER-WAIT", "VCS-INV-ONE-LOCAL-BUILD"),
      HASPEC_CASE(LocalBuildIgnoresAdminWait, AdminWaitWhenTheRunningConfigurationIsLost,
                  "VCS-TR-DISCOVER-ADMIN-WAIT"),
      HASPEC_CASE(JoinSkipsBuild, DiscoveryFollowsThePeersStates, "VCS-INV-RUNNING-VIA-BUILD"),
      HASPEC_CASE(StartsInDiscoverWait, InvariantsHoldAfterEveryStep, "VCS-INV-STARTS-IN-INITING"),
      HASPEC_CASE(StaleJoinsAsCurrent, HastartOptionsDecideCurrentOrStale, "VCS-TR-JOIN-STALE",
                  "VCS-INV-CURRENT-STALE-FLAG"),
      HASPEC_CASE(HastartStaleIgnored, HastartOptionsDecideCurrentOrStale, "VCS-TR-HASTART-STALE"),
      HASPEC_CASE(HastartForceIgnored, HastartOptionsDecideCurrentOrStale, "VCS-TR-HASTART-FORCE"),
      HASPEC_CASE(UnconfiguredSystemJoins, SystemWithoutAnEntryStaysUnknown,
                  "VCS-TR-HASTART-UNKNOWN"),
      // Builds
      HASPEC_CASE(DropsChangesMadeDuringRemoteBuild, ChangesDuringRemoteBuildAreAppliedBeforeRunning,
                  "VCS-TR-REMOTE-BUILD-DONE", "VCS-INV-SAME-CONFIG"),
      HASPEC_CASE(IgnoresHacfError, AdminWaitWhenTheRunningConfigurationIsLost,
                  "VCS-TR-HACF-ERROR-ADMIN-WAIT"),
      HASPEC_CASE(PeerWaitersStayAfterBuild, OneLocalBuildAtATimeOthersWaitThenCopyIt,
                  "VCS-TR-PEER-WAIT-TO-REMOTE-BUILD", "VCS-INV-PEER-WAIT-HAS-BUILDER"),
      HASPEC_CASE(PeerWaitersStranded, PeerWaitersDecideAgainWhenTheBuilderGoes,
                  "VCS-TR-BUILDER-LOST", "VCS-INV-PEER-WAIT-HAS-BUILDER"),
      HASPEC_CASE(StaleAdminWaitIgnoresLocalBuild, StaleAdminWaitWaitsForAValidSystem,
                  "VCS-TR-STALE-ADMIN-TO-PEER-WAIT", "VCS-INV-STALE-ADMIN-WAIT-NO-SOURCE"),
      HASPEC_CASE(BuilderKeepsGoingAlone, AdminWaitWhenTheRunningConfigurationIsLost,
                  "VCS-TR-LAST-RUNNING-LEAVES", "VCS-INV-REMOTE-BUILD-SOURCE"),
      HASPEC_CASE(SnapshotSourceNotRetaken, AdminWaitWhenTheRunningConfigurationIsLost,
                  "VCS-TR-SNAPSHOT-SOURCE-LEAVES", "VCS-INV-REMOTE-BUILD-SOURCE"),
      // ADMIN_WAIT and STALE_ADMIN_WAIT
      HASPEC_CASE(AdminWaitRetriesDiscovery, AdminWaitIsLeftOnlyByTheDocumentedPaths,
                  "VCS-INV-ADMIN-WAIT-EXITS"),
      HASPEC_CASE(StaleAdminWaitRetries, StaleAdminWaitWaitsForAValidSystem,
                  "VCS-INV-STALE-ADMIN-WAIT-EXITS"),
      HASPEC_CASE(StaleAdminWaitRetries, AdminWaitIsLeftOnlyByTheDocumentedPaths,
                  "VCS-INV-STALE-ADMIN-WAIT-EXITS"),
      HASPEC_CASE(ForcedBuildLeavesPeersWaiting, HasysForceRecoversAnAdminWaitCluster,
                  "VCS-TR-FORCED-BUILD-PEERS", "VCS-INV-ADMIN-WAIT-NO-RUNNING"),
      HASPEC_CASE(HasysForceOnStaleAdminWait, StaleAdminWaitWaitsForAValidSystem,
                  "VCS-PRE-HASYS-FORCE-ADMIN-WAIT"),
      HASPEC_CASE(SecondForcedBuild, HasysForceRecoversAnAdminWaitCluster,
                  "VCS-PRE-FORCE-ONE-BUILD", "VCS-INV-ONE-LOCAL-BUILD"),
      // Leaving
      HASPEC_CASE(HastopSkipsLeaving, HastopTakesGroupsOfflineThroughLeaving, "VCS-TR-HASTOP-LEAVING"),
      HASPEC_CASE(HastopLeavesGroupsOnline, HastopTakesGroupsOfflineThroughLeaving,
                  "VCS-TR-LEAVING-TO-EXITING", "VCS-INV-HASTOP-GROUPS-OFFLINE"),
      HASPEC_CASE(LeavingSkipsDiskWrite, HastopTakesGroupsOfflineThroughLeaving,
                  "VCS-TR-LEAVING-TO-EXITING"),
      HASPEC_CASE(HastopForceStopsGroups, HastopForceLeavesGroupsRunning,
                  "VCS-TR-HASTOP-FORCE-GROUPS-RUN"),
      HASPEC_CASE(ExitSeenAsFaulted, HastopTakesGroupsOfflineThroughLeaving,
                  "VCS-TR-EXITING-TO-EXITED", "VCS-INV-VIEW-OF-GONE-SYSTEM"),
      HASPEC_CASE(ExitSeenAsFaulted, HastopForceLeavesGroupsRunning,
                  "VCS-TR-EXITING-FORCIBLY-TO-EXITED", "VCS-INV-VIEW-OF-GONE-SYSTEM"),
      HASPEC_CASE(CrashRecordedAsExited, PeersSeeAFailedSystemAsFaulted, "VCS-TR-CRASH-FAULTED",
                  "VCS-INV-VIEW-OF-GONE-SYSTEM"),
      // Commands
      HASPEC_CASE(DeletesFaultedSystem, HasysDeleteOnlyForExitedOrUnknown,
                  "VCS-PRE-HASYS-DELETE-STATE"),
      HASPEC_CASE(HasysAddDuplicates, HasysDeleteOnlyForExitedOrUnknown, "VCS-PRE-HASYS-ADD-NEW"),
      HASPEC_CASE(ConfigChangeDuringRemoteBuild, ChangesDuringRemoteBuildAreAppliedBeforeRunning,
                  "VCS-PRE-CONFIG-REJECTED-STATE"),
      HASPEC_CASE(ConfigChangeDuringRemoteBuild, ConfigCommandsRefusedWhereDocumented,
                  "VCS-PRE-CONFIG-REJECTED-STATE"),
      HASPEC_CASE(ConfigChangeWhenNotRunning, ConfigCommandsRefusedWhereDocumented,
                  "VCS-PRE-CONFIG-NEEDS-RUNNING"),
      HASPEC_CASE(CommandsOnStoppedEngine, ConfigCommandsRefusedWhereDocumented, "VCS-PRE-ENGINE-UP"),
      HASPEC_CASE(ConfigChangeNotReplicated, ConfigCommandsRefusedWhereDocumented, "VCS-TR-CONFIG-CHANGE"),
      HASPEC_CASE(ConfigChangeNotReplicated, ChangesDuringRemoteBuildAreAppliedBeforeRunning,
                  "VCS-TR-CONFIG-CHANGE", "VCS-INV-SAME-CONFIG"),
      HASPEC_CASE(GroupsOnlineAnywhere, GroupsComeOnlineOnlyOnARunningSystem,
                  "VCS-PRE-GROUP-ONLINE-RUNNING"),
      // What peers see
      HASPEC_CASE(CrashLooksLikeExit, PeersSeeAFailedSystemAsFaulted, "VCS-TR-CRASH-FAULTED"),
      HASPEC_CASE(CrashLooksLikeExit, EveryEngineShowsWhatItKnows, "VCS-TR-CRASH-FAULTED"),
      HASPEC_CASE(ObservesPeerLagging, EveryEngineShowsWhatItKnows, "VCS-OBS-PEER-STATE"),
      HASPEC_CASE(NeverSeenShownExited, EveryEngineShowsWhatItKnows, "VCS-OBS-NEVER-SEEN-UNKNOWN"),
      HASPEC_CASE(NeverSeenShownExited, SystemWithoutAnEntryStaysUnknown, "VCS-OBS-NEVER-SEEN-UNKNOWN"),
  };
  return cases;
}

class VcsSystemMutant : public ::testing::TestWithParam<MutantCase> {};

TEST_P(VcsSystemMutant, IsCaughtByItsProperty) {
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
    const Rule* r = FindRule(VcsSystem::Rules(), id);
    ASSERT_NE(r, nullptr) << "unknown rule " << id;
    if (r->kind == RuleKind::kInvariant) {
      EXPECT_TRUE(log.broken.count(id)) << c.property << " caught " << c.mutant
                                        << " but not through invariant " << id;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Mutants, VcsSystemMutant, ::testing::ValuesIn(Cases()),
                         [](const auto& param_info) {
                           return std::string(param_info.param.mutant) + "_" + param_info.param.property;
                         });

// Every property is shown to catch at least one mutant.
TEST(VcsSystemMutants, EveryPropertyCatchesAMutant) {
  std::set<std::string> killers;
  for (const MutantCase& c : Cases()) killers.insert(c.property);
  std::string idle;
#define HASPEC_X(name) \
  if (!killers.count(#name)) idle += " " #name;
  HASPEC_VCS_SYSTEM_PROPERTIES(HASPEC_X)
#undef HASPEC_X
  EXPECT_TRUE(idle.empty()) << "properties with no mutant to catch:" << idle;
}

// Every rule is exercised: decided by a step of a long random walk or of a
// targeted property, reported as an advisory, or broken by a caught mutant.
TEST(VcsSystemRuleCoverage, EveryRuleIsExercised) {
  std::set<std::string> covered;
  WalkOptions opt;
  opt.seed = 1;
  opt.walks = 300;
  opt.steps = 200;
  auto walk = Walk<VcsSystem>(opt);
  ASSERT_FALSE(walk.violation) << RuleOf<VcsSystem>(walk.violation->finding.rule).id << ": "
                               << walk.violation->finding.detail;
  for (std::size_t i = 0; i < VcsSystem::Rules().size(); ++i) {
    if (walk.decided[i] || walk.advised[i]) covered.insert(std::string(VcsSystem::Rules()[i].id));
  }
  testing::RuleLog log;
  {
    testing::RecordRules rec(log);
#define HASPEC_X(name) EXPECT_TRUE(rc::check(#name, &props::name<VcsSystem>));
    HASPEC_VCS_SYSTEM_PROPERTIES(HASPEC_X)
#undef HASPEC_X
  }
  covered.insert(log.decided.begin(), log.decided.end());
  for (const MutantCase& c : Cases()) covered.insert(c.rules.begin(), c.rules.end());
  std::string missing;
  for (const Rule& r : VcsSystem::Rules()) {
    if (!covered.count(std::string(r.id))) missing += " " + std::string(r.id);
  }
  EXPECT_TRUE(missing.empty()) << "rules no property exercises:" << missing;
}

}  // namespace
}  // namespace haspec::vcs_system
