// Proof that the VCS system-state properties can fail: each mutant of
// sut/vcs_system/mutants.h breaks one documented rule and must be caught by
// the property named next to it, with a shrunk counterexample. Then rule
// coverage: every rule of the catalogue is decided in a walk or a property,
// fires as an advisory, or is the rule a caught mutant breaks.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "properties/core/mutation.h"
#include "properties/vcs_system/vcs_system_properties.h"
#include "sut/vcs_system/mutants.h"

namespace haspec::vcs_system {
namespace {

using testing::MutantCase;
#define HASPEC_CASE HASPEC_MUTANT_CASE

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
      HASPEC_CASE(DropsChangesMadeDuringRemoteBuild,
                  ChangesDuringRemoteBuildAreAppliedBeforeRunning, "VCS-TR-REMOTE-BUILD-DONE",
                  "VCS-INV-SAME-CONFIG"),
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
                  "VCS-PRE-FORCE-ONE-BUILD", "VCS-TR-FORCE-SUPERSEDES-BUILD",
                  "VCS-INV-ONE-LOCAL-BUILD"),
      // Leaving
      HASPEC_CASE(HastopSkipsLeaving, HastopTakesGroupsOfflineThroughLeaving,
                  "VCS-TR-HASTOP-LEAVING"),
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
      HASPEC_CASE(JoinerForgetsGoneSystems, HasysDeleteOnlyForExitedOrUnknown,
                  "VCS-PRE-HASYS-DELETE-STATE", "VCS-OBS-NOT-SEEN-EXITED"),
      HASPEC_CASE(HasysAddDuplicates, HasysDeleteOnlyForExitedOrUnknown, "VCS-PRE-HASYS-ADD-NEW"),
      HASPEC_CASE(ConfigChangeDuringRemoteBuild, ChangesDuringRemoteBuildAreAppliedBeforeRunning,
                  "VCS-PRE-CONFIG-REJECTED-STATE"),
      HASPEC_CASE(ConfigChangeDuringRemoteBuild, ConfigCommandsRefusedWhereDocumented,
                  "VCS-PRE-CONFIG-REJECTED-STATE"),
      HASPEC_CASE(ConfigChangeWhenNotRunning, ConfigCommandsRefusedWhereDocumented,
                  "VCS-PRE-CONFIG-NEEDS-RUNNING"),
      HASPEC_CASE(CommandsOnStoppedEngine, ConfigCommandsRefusedWhereDocumented,
                  "VCS-PRE-ENGINE-UP"),
      HASPEC_CASE(ConfigChangeNotReplicated, ConfigCommandsRefusedWhereDocumented,
                  "VCS-TR-CONFIG-CHANGE"),
      HASPEC_CASE(ConfigChangeNotReplicated, ChangesDuringRemoteBuildAreAppliedBeforeRunning,
                  "VCS-TR-CONFIG-CHANGE", "VCS-INV-SAME-CONFIG"),
      HASPEC_CASE(GroupsOnlineAnywhere, GroupsComeOnlineOnlyOnARunningSystem,
                  "VCS-PRE-GROUP-ONLINE-RUNNING"),
      // What peers see
      HASPEC_CASE(CrashLooksLikeExit, PeersSeeAFailedSystemAsFaulted, "VCS-TR-CRASH-FAULTED"),
      HASPEC_CASE(CrashLooksLikeExit, EveryEngineShowsWhatItKnows, "VCS-TR-CRASH-FAULTED"),
      HASPEC_CASE(ObservesBuilderAsRunning, EveryEngineShowsWhatItKnows, "VCS-OBS-PEER-STATE"),
      HASPEC_CASE(NeverSeenShownUnknown, EveryEngineShowsWhatItKnows, "VCS-OBS-UNKNOWN-NO-ENTRY",
                  "VCS-OBS-NOT-SEEN-EXITED"),
      HASPEC_CASE(NeverSeenShownUnknown, SystemWithoutAnEntryStaysUnknown,
                  "VCS-OBS-UNKNOWN-NO-ENTRY"),
  };
  return cases;
}

class VcsSystemMutant : public ::testing::TestWithParam<MutantCase> {};

TEST_P(VcsSystemMutant, IsCaughtByItsProperty) { testing::ExpectCaught<VcsSystem>(GetParam()); }

HASPEC_INSTANTIATE_MUTANTS(VcsSystemMutant, Cases());

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

using MachineUnderTest = VcsSystem;

// Every rule is exercised: decided by a step of a long random walk or of a
// targeted property, reported as an advisory, or broken by a caught mutant.
TEST(VcsSystemRuleCoverage, EveryRuleIsExercised) {
  testing::ExpectEveryRuleExercised<VcsSystem>(
      Cases(), {HASPEC_VCS_SYSTEM_PROPERTIES(HASPEC_PROPERTY_ENTRY)},
      {.seed = 1, .walks = 300, .steps = 200});
}

}  // namespace
}  // namespace haspec::vcs_system
