// Targeted properties of the DSM Provider HA machine, one per documented
// rule or group of rules. Each is a template over the machine type so it runs
// against the model (dsm_test.cc) and against the mutants of
// sut/dsm/mutants.h (dsm_mutation_test.cc).
//
// HASPEC_DSM_PROPERTIES(X) lists them once: X(name).
#ifndef HASPEC_PROPERTIES_DSM_DSM_PROPERTIES_H_
#define HASPEC_PROPERTIES_DSM_DSM_PROPERTIES_H_

#include <string>

#include "model/dsm/dsm.h"
#include "properties/core/harness.h"
#include "properties/core/stateful.h"

namespace haspec::dsm::props {

using testing::Apply;
using testing::Checked;
using testing::GenTraceFrom;

#define HASPEC_DSM_PROPERTIES(X)                      \
  X(InvariantsHoldAfterEveryStep)                     \
  X(AddDeletePromoteFailWhenAllSecondariesLost)       \
  X(NoAddOrDeleteWhileANodeIsInMaintenance)           \
  X(NoOperationOnANodeInHaConfig)                     \
  X(FailedReconfigurationMakesSecondaryOutOfSync)     \
  X(StatusFollowsTheDocumentedConditions)             \
  X(DeletedNodeIsNeverRegisteredAgain)                \
  X(DeleteOnlyThroughTheApiOnThePrimary)              \
  X(PromoteRunsOnTheStandbyAndRemovesTheOldPrimary)   \
  X(UpdatesGoPrimaryFirstThenOneStandbyAtATime)       \
  X(AgentsUpdateOnlyAfterEveryProviderNode)           \
  X(LoadBalancerForwardsOnlyToActiveNodes)            \
  X(ClusterNeverGrowsBeyondFourNodes)                 \
  X(NoReturnFromHaToStandalone)                       \
  X(StandbysRunThePrimarysVersion)                   \
  X(RolloutsKeepOneVersion)

template <class M>
using S = typename M::State;

inline constexpr std::uint8_t kAll = 0x1f;

// A healthy HA cluster: n0 Primary and `standbys` Secondaries n1.. in Active
// Mode, plus one fresh VM in the next slot if room is left.
template <class M>
S<M> HealthyCluster(int standbys) {
  S<M> s = M::Initial();
  s = Apply<M>(s, DeployVm{0}).next;
  s = Apply<M>(s, ConfigureHa{0}).next;
  for (int i = 1; i <= standbys; ++i) {
    auto n = static_cast<std::uint8_t>(i);
    s = Apply<M>(s, DeployVm{n}).next;
    s = Apply<M>(s, AddStandby{n}).next;
    s = Apply<M>(s, FinishHaConfig{0}).next;
  }
  if (standbys + 1 < kSlots) s = Apply<M>(s, DeployVm{static_cast<std::uint8_t>(standbys + 1)}).next;
  return s;
}

// A healthy cluster of 2 to 4 nodes, then a random trace of events from it.
template <class M>
S<M> GenClusterState() {
  int standbys = *rc::gen::inRange(1, 4);
  return (*GenTraceFrom<M>(HealthyCluster<M>(standbys))).last;
}

inline bool IsSecondary(const Node& n) { return n.life == Life::kMember && n.role == Role::kSecondary; }

template <class M>
int Primary(const S<M>& s) {
  for (int i = 0; i < kSlots; ++i) {
    if (s.nodes[i].life == Life::kMember && s.nodes[i].role == Role::kPrimary) return i;
  }
  return -1;
}

template <class M>
void InvariantsHoldAfterEveryStep() {
  int standbys = *rc::gen::inRange(0, 4);
  testing::InvariantsHoldAfterEveryStep<M>(standbys == 0 ? M::Initial() : HealthyCluster<M>(standbys));
}

template <class M>
void RolloutsKeepOneVersion() {
  int standbys = *rc::gen::inRange(1, 4);
  S<M> s = HealthyCluster<M>(standbys);
  for (int round = 0; round < 2; ++round) {
    s = Checked<M>(s, ReleaseUpdate{}).next;
    s = Checked<M>(s, StageUpdate{0}).next;
    s = Checked<M>(s, ApplyUpdate{0}).next;
    s = Checked<M>(s, CompleteUpdate{0}).next;
  }
}

template <class M>
void AddDeletePromoteFailWhenAllSecondariesLost() {
  int standbys = *rc::gen::inRange(1, 3);
  S<M> s = HealthyCluster<M>(standbys);
  for (int i = 1; i <= standbys; ++i) {
    auto n = static_cast<std::uint8_t>(i);
    bool whole_vm = *rc::gen::arbitrary<bool>();
    s = whole_vm ? Apply<M>(s, NodeDown{n}).next
                 : Apply<M>(s, ServiceDown{n, *rc::gen::element(Service::kApms, Service::kPostgres)}).next;
  }
  RC_LOG() << "all Secondaries lost: " << M::Show(s) << "\n";
  auto fresh = static_cast<std::uint8_t>(standbys + 1);
  auto target = static_cast<std::uint8_t>(*rc::gen::inRange(1, standbys + 1));
  HASPEC_EXPECT_RULE(M, Apply<M>(s, AddStandby{fresh}), false, RuleId::kPreAllSecondariesLost);
  HASPEC_EXPECT_RULE(M, Apply<M>(s, DeleteStandby{target, Channel::kApiOnPrimary, 0}), false,
                     RuleId::kPreAllSecondariesLost);
  HASPEC_EXPECT_RULE(M, Apply<M>(s, Promote{target, target, 0}), false, RuleId::kPreAllSecondariesLost);
  // One Secondary back up is enough for Delete to go ahead.
  S<M> up = Apply<M>(s, NodeUp{target}).next;
  up = Apply<M>(up, ServiceUp{target, Service::kApms}).next;
  up = Apply<M>(up, ServiceUp{target, Service::kPostgres}).next;
  auto other = static_cast<std::uint8_t>(target == 1 ? standbys : 1);
  if (other != target) {
    HASPEC_EXPECT_RULE(M, Apply<M>(up, DeleteStandby{other, Channel::kApiOnPrimary, 0}), true,
                       RuleId::kDeleteStandby);
  }
}

template <class M>
void NoAddOrDeleteWhileANodeIsInMaintenance() {
  int standbys = *rc::gen::inRange(1, 3);
  S<M> s = HealthyCluster<M>(standbys);
  s = Apply<M>(s, ReleaseUpdate{}).next;
  s = Apply<M>(s, StageUpdate{0}).next;
  s = Apply<M>(s, ApplyUpdate{0}).next;
  RC_ASSERT(DeriveStatus(s.nodes[0]) == Status::kMaintenanceMode);
  auto target = static_cast<std::uint8_t>(*rc::gen::inRange(1, standbys + 1));
  HASPEC_EXPECT_RULE(M, Apply<M>(s, DeleteStandby{target, Channel::kApiOnPrimary, 0}), false,
                     RuleId::kPreMaintenanceNoAddDelete);
  // The fresh VM runs the previous release, so a same-version check alone
  // would refuse it too; deploy one on the new release to isolate the rule.
  auto fresh = static_cast<std::uint8_t>(standbys + 1);
  s.nodes[fresh].version = s.latest;
  HASPEC_EXPECT_RULE(M, Apply<M>(s, AddStandby{fresh}), false, RuleId::kPreMaintenanceNoAddDelete);
}

template <class M>
void NoOperationOnANodeInHaConfig() {
  int standbys = *rc::gen::inRange(1, 3);
  S<M> s = HealthyCluster<M>(standbys);
  auto joining = static_cast<std::uint8_t>(standbys + 1);
  s = Apply<M>(s, AddStandby{joining}).next;
  RC_ASSERT(DeriveStatus(s.nodes[joining]) == Status::kHaConfigInProgress);
  HASPEC_EXPECT_RULE(M, Apply<M>(s, DeleteStandby{joining, Channel::kApiOnPrimary, 0}), false,
                     RuleId::kPreHaConfigNoOperation);
  HASPEC_EXPECT_RULE(M, Apply<M>(s, Promote{joining, joining, 0}), false, RuleId::kPreHaConfigNoOperation);
  HASPEC_EXPECT_RULE(M, Apply<M>(s, ChangePassword{joining}), false, RuleId::kPreHaConfigNoOperation);
  // And no second reconfiguration while this one runs.
  HASPEC_EXPECT_RULE(M, Apply<M>(s, DeleteStandby{1, Channel::kApiOnPrimary, 0}), false,
                     RuleId::kPreOneReconfig);
  auto done = Apply<M>(s, FinishHaConfig{0});
  HASPEC_EXPECT_RULE(M, done, true, RuleId::kHaConfigDone);
  RC_ASSERT(DeriveStatus(done.next.nodes[joining]) == Status::kActiveMode);
}

template <class M>
void FailedReconfigurationMakesSecondaryOutOfSync() {
  int standbys = *rc::gen::inRange(2, 4);
  S<M> s = HealthyCluster<M>(standbys);
  auto victim = static_cast<std::uint8_t>(*rc::gen::inRange(1, standbys + 1));
  auto mask = static_cast<std::uint8_t>(1u << victim);
  int which = *rc::gen::inRange(0, 3);
  typename M::OutcomeT o;
  if (which == 0) {
    auto fresh = static_cast<std::uint8_t>(standbys + 1);
    if (fresh >= kSlots || standbys + 1 >= kMaxMembers) fresh = 0;
    if (fresh == 0) {  // full cluster: reconfigure through a delete instead
      which = 1;
    } else {
      s = Apply<M>(s, AddStandby{fresh}).next;
      o = Apply<M>(s, FinishHaConfig{mask});
    }
  }
  auto other = static_cast<std::uint8_t>(victim == 1 ? 2 : 1);
  if (which == 1) o = Apply<M>(s, DeleteStandby{other, Channel::kApiOnPrimary, mask});
  if (which == 2) o = Apply<M>(s, Promote{other, other, mask});
  HASPEC_EXPECT_RULE(M, o, true, RuleId::kReconfigFails);
  // The Primary never falls Out of Sync.
  HASPEC_EXPECT_RULE(M, Checked<M>(o.next, FallBehind{static_cast<std::uint8_t>(Primary<M>(o.next))}), false,
                     RuleId::kInvOutOfSyncSecondaryOnly);
  Observation obs = M::Observe(o.next);
  bool seen = false;
  for (const NodeView& v : obs.nodes) {
    if (v.node == victim) {
      seen = true;
      RC_ASSERT(v.status == Status::kOutOfSync);
      RC_ASSERT(v.role == Role::kSecondary);
    } else {
      RC_ASSERT(v.status != Status::kOutOfSync);
    }
  }
  RC_ASSERT(seen);
}

// The dumb twin of DeriveStatus, written from the seed's table and the
// precedence assumption, checked against Observe on random reachable states.
inline Status ExpectedStatus(const Node& n) {
  const bool core_down = !n.reachable || (n.services_down & kCoreServices);
  if (n.password_expired) return Status::kUnknown;
  if (core_down) return Status::kLostConnectivity;
  if (n.ha_config) return Status::kHaConfigInProgress;
  if (n.updating) return Status::kMaintenanceMode;
  if (n.out_of_sync && n.role == Role::kSecondary) return Status::kOutOfSync;
  if (n.services_down != 0) return Status::kCritical;
  return Status::kActiveMode;
}

template <class M>
void StatusFollowsTheDocumentedConditions() {
  S<M> s = GenClusterState<M>();
  // Pile several conditions on one node so precedence matters.
  auto n = static_cast<std::uint8_t>(*rc::gen::inRange(0, kSlots));
  if (s.nodes[n].life == Life::kMember) {
    if (*rc::gen::arbitrary<bool>()) s = Apply<M>(s, ServiceDown{n, Service::kRabbitmq}).next;
    if (*rc::gen::arbitrary<bool>()) s = Apply<M>(s, ServiceDown{n, Service::kApms}).next;
    if (*rc::gen::arbitrary<bool>()) s = Apply<M>(s, FallBehind{n}).next;
    if (*rc::gen::arbitrary<bool>()) s = Apply<M>(s, PasswordExpires{n}).next;
  }
  Observation obs = M::Observe(s);
  int members = 0;
  for (const Node& node : s.nodes) members += node.life == Life::kMember;
  RC_ASSERT(static_cast<int>(obs.nodes.size()) == members);
  for (const NodeView& v : obs.nodes) {
    const Node& node = s.nodes[v.node];
    Status want = ExpectedStatus(node);
    if (v.status != want || v.role != node.role) {
      RC_FAIL(NodeName(v.node) + " shows " + std::string(kRoleNames.Name(v.role)) + " " +
              std::string(kStatusNames.Label(v.status)) + " but its facts say " +
              std::string(kRoleNames.Name(node.role)) + " " + std::string(kStatusNames.Label(want)) +
              " in " + M::Show(s));
    }
    if (v.status == Status::kOutOfSync) RC_ASSERT(v.role == Role::kSecondary);
  }
}

template <class M>
void DeletedNodeIsNeverRegisteredAgain() {
  int standbys = *rc::gen::inRange(1, 4);
  S<M> s = HealthyCluster<M>(standbys);
  auto victim = static_cast<std::uint8_t>(*rc::gen::inRange(1, standbys + 1));
  auto o = Apply<M>(s, DeleteStandby{victim, Channel::kApiOnPrimary, 0});
  HASPEC_EXPECT_RULE(M, o, true, RuleId::kDeleteStandby);
  for (const NodeView& v : M::Observe(o.next).nodes) RC_ASSERT(v.node != victim);
  HASPEC_EXPECT_RULE(M, Apply<M>(o.next, AddStandby{victim}), false, RuleId::kPreDeletedNeverRejoins);
  // A fresh VM deployed in its place can join.
  S<M> again = Apply<M>(o.next, DeployVm{victim}).next;
  HASPEC_EXPECT_RULE(M, Apply<M>(again, AddStandby{victim}), true, RuleId::kAddStandby);
}

template <class M>
void DeleteOnlyThroughTheApiOnThePrimary() {
  int standbys = *rc::gen::inRange(2, 4);
  S<M> s = HealthyCluster<M>(standbys);
  auto victim = static_cast<std::uint8_t>(*rc::gen::inRange(1, standbys + 1));
  HASPEC_EXPECT_RULE(M, Apply<M>(s, DeleteStandby{victim, Channel::kConsole, 0}), false,
                     RuleId::kPreDeleteApiOnly);
  HASPEC_EXPECT_RULE(M, Apply<M>(s, DeleteStandby{victim, Channel::kApiOnStandby, 0}), false,
                     RuleId::kPreDeleteOnPrimary);
  HASPEC_EXPECT_RULE(M, Apply<M>(s, DeleteStandby{0, Channel::kApiOnPrimary, 0}), false,
                     RuleId::kPreDeleteTargetStandby);
  HASPEC_EXPECT_RULE(M, Apply<M>(s, DeleteStandby{victim, Channel::kApiOnPrimary, 0}), true,
                     RuleId::kDeleteStandby);
}

template <class M>
void PromoteRunsOnTheStandbyAndRemovesTheOldPrimary() {
  int standbys = *rc::gen::inRange(1, 4);
  S<M> s = HealthyCluster<M>(standbys);
  auto target = static_cast<std::uint8_t>(*rc::gen::inRange(1, standbys + 1));
  HASPEC_EXPECT_RULE(M, Apply<M>(s, Promote{target, 0, 0}), false, RuleId::kPrePromoteOnStandby);
  HASPEC_EXPECT_RULE(M, Apply<M>(s, Promote{0, 0, 0}), false, RuleId::kPrePromoteTargetStandby);
  S<M> sick = Apply<M>(s, ServiceDown{target, Service::kMonitoring}).next;
  if (standbys > 1) {
    HASPEC_EXPECT_RULE(M, Apply<M>(sick, Promote{target, target, 0}), false,
                       RuleId::kPrePromoteTargetHealthy);
  }
  auto o = Checked<M>(s, Promote{target, target, 0});
  HASPEC_EXPECT_RULE(M, o, true, RuleId::kPromote);
  Observation obs = M::Observe(o.next);
  int primaries = 0;
  for (const NodeView& v : obs.nodes) {
    RC_ASSERT(v.node != 0);  // the old Primary left the cluster
    primaries += v.role == Role::kPrimary;
    if (v.node == target) RC_ASSERT(v.role == Role::kPrimary);
    else RC_ASSERT(v.role == Role::kSecondary);
  }
  RC_ASSERT(primaries == 1);
  RC_ASSERT(static_cast<int>(obs.nodes.size()) == standbys);
  HASPEC_EXPECT_RULE(M, Apply<M>(o.next, AddStandby{0}), false, RuleId::kPreDeletedNeverRejoins);
}

template <class M>
void UpdatesGoPrimaryFirstThenOneStandbyAtATime() {
  int standbys = *rc::gen::inRange(2, 4);
  S<M> s = HealthyCluster<M>(standbys);
  s = Apply<M>(s, ReleaseUpdate{}).next;
  auto a = static_cast<std::uint8_t>(*rc::gen::inRange(1, standbys + 1));
  auto b = static_cast<std::uint8_t>(a == 1 ? 2 : 1);
  HASPEC_EXPECT_RULE(M, Apply<M>(s, StageUpdate{0, Via::kLoadBalancer}), false, RuleId::kPreUpdateNotViaLb);
  for (std::uint8_t n : {std::uint8_t{0}, a, b}) s = Apply<M>(s, StageUpdate{n}).next;
  auto early = Checked<M>(s, ApplyUpdate{a});
  if (early.accepted) Checked<M>(early.next, CompleteUpdate{a});
  HASPEC_EXPECT_RULE(M, early, false, RuleId::kPrePrimaryFirst);
  S<M> critical = Apply<M>(s, ServiceDown{0, Service::kProvider}).next;
  HASPEC_EXPECT_RULE(M, Apply<M>(critical, ApplyUpdate{0}), false, RuleId::kPreUpdateActiveOnly);
  HASPEC_EXPECT_RULE(M, Apply<M>(s, ApplyUpdate{0, Via::kLoadBalancer}), false, RuleId::kPreUpdateNotViaLb);
  auto o = Apply<M>(s, ApplyUpdate{0});
  HASPEC_EXPECT_RULE(M, o, true, RuleId::kApply);
  RC_ASSERT(DeriveStatus(o.next.nodes[0]) == Status::kMaintenanceMode);
  HASPEC_EXPECT_RULE(M, Checked<M>(o.next, ApplyUpdate{a}), false, RuleId::kPreSequential);
  s = Apply<M>(o.next, CompleteUpdate{0}).next;
  HASPEC_EXPECT_RULE(M, Apply<M>(s, ApplyUpdate{a}), true, RuleId::kApply);
  s = Apply<M>(s, ApplyUpdate{a}).next;
  HASPEC_EXPECT_RULE(M, Checked<M>(s, ApplyUpdate{b}), false, RuleId::kPreSequential);
  s = Apply<M>(s, CompleteUpdate{a}).next;
  HASPEC_EXPECT_RULE(M, Apply<M>(s, ApplyUpdate{b}), true, RuleId::kApply);
  RC_ASSERT(testing::BrokenInvariants<M>(Apply<M>(s, ApplyUpdate{b}).next).empty());
}

template <class M>
void AgentsUpdateOnlyAfterEveryProviderNode() {
  int standbys = *rc::gen::inRange(1, 4);
  S<M> s = HealthyCluster<M>(standbys);
  s = Apply<M>(s, ReleaseUpdate{}).next;
  for (int i = 0; i <= standbys; ++i) {
    HASPEC_EXPECT_RULE(M, Checked<M>(s, UpdateAgents{}), false, RuleId::kPreAgentsAfterProviders);
    auto n = static_cast<std::uint8_t>(i);
    s = Apply<M>(s, StageUpdate{n}).next;
    s = Apply<M>(s, ApplyUpdate{n}).next;
    s = Apply<M>(s, CompleteUpdate{n}).next;
  }
  HASPEC_EXPECT_RULE(M, Apply<M>(s, UpdateAgents{}), true, RuleId::kAgentUpdate);
}

template <class M>
void LoadBalancerForwardsOnlyToActiveNodes() {
  S<M> s = GenClusterState<M>();
  for (int i = 0; i < kSlots; ++i) {
    auto n = static_cast<std::uint8_t>(i);
    if (s.nodes[i].life != Life::kMember) continue;
    bool write = *rc::gen::arbitrary<bool>();
    auto o = Apply<M>(s, Request{n, write});
    bool active = DeriveStatus(s.nodes[i]) == Status::kActiveMode;
    if (!active) {
      HASPEC_EXPECT_RULE(M, o, false, RuleId::kPreLbActiveOnly);
    } else if (!write) {
      HASPEC_EXPECT_RULE(M, o, true, RuleId::kReadAnyNode);
    }
  }
  // A write reaching an Active Secondary is forwarded to the Primary, and
  // refused while the Primary has lost connectivity.
  S<M> c = HealthyCluster<M>(2);
  HASPEC_EXPECT_RULE(M, Apply<M>(c, Request{1, true}), true, RuleId::kWriteToPrimary);
  c = Apply<M>(c, NodeDown{0}).next;
  HASPEC_EXPECT_RULE(M, Apply<M>(c, Request{1, true}), false, RuleId::kPreWriteNeedsPrimary);
}

template <class M>
void ClusterNeverGrowsBeyondFourNodes() {
  S<M> s = HealthyCluster<M>(3);
  HASPEC_EXPECT_RULE(M, Checked<M>(s, AddStandby{4}), false, RuleId::kPreClusterFull);
  s = (*GenTraceFrom<M>(s)).last;
  int members = 0;
  for (const Node& n : s.nodes) members += n.life == Life::kMember;
  RC_ASSERT(members <= kMaxMembers);
}

template <class M>
void NoReturnFromHaToStandalone() {
  int standbys = *rc::gen::inRange(1, 4);
  S<M> s = HealthyCluster<M>(standbys);
  auto n = static_cast<std::uint8_t>(*rc::gen::inRange(0, standbys + 1));
  HASPEC_EXPECT_RULE(M, Apply<M>(s, ReturnToStandalone{n}), false, RuleId::kPreNoReturnToStandalone);
  auto fresh = static_cast<std::uint8_t>(standbys + 1);
  if (fresh < kSlots) {
    HASPEC_EXPECT_RULE(M, Apply<M>(s, RestoreFromBackup{fresh}), false, RuleId::kPreRestoreSinglePrimary);
  }
  // Delete every Standby: the last Primary's backup restores onto a fresh VM.
  for (int i = 1; i <= standbys; ++i) {
    s = Apply<M>(s, DeleteStandby{static_cast<std::uint8_t>(i), Channel::kApiOnPrimary, 0}).next;
  }
  s = Apply<M>(s, DeployVm{1}).next;
  auto o = Apply<M>(s, RestoreFromBackup{1});
  HASPEC_EXPECT_RULE(M, o, true, RuleId::kRestoreFromBackup);
  Observation obs = M::Observe(o.next);
  RC_ASSERT(obs.nodes.size() == 1u);
  RC_ASSERT(obs.nodes[0].role == Role::kStandalone);
}

template <class M>
void StandbysRunThePrimarysVersion() {
  int standbys = *rc::gen::inRange(1, 3);
  S<M> s = HealthyCluster<M>(standbys);
  s = Apply<M>(s, ReleaseUpdate{}).next;
  auto fresh = static_cast<std::uint8_t>(standbys + 2);
  s = Apply<M>(s, DeployVm{fresh, false}).next;  // runs the new .ova
  HASPEC_EXPECT_RULE(M, Apply<M>(s, AddStandby{fresh}), false, RuleId::kPreSameVersion);
  // After the Primary updates, a Standby on the old release cannot be promoted.
  s = Apply<M>(s, StageUpdate{0}).next;
  s = Apply<M>(s, ApplyUpdate{0}).next;
  s = Apply<M>(s, CompleteUpdate{0}).next;
  HASPEC_EXPECT_RULE(M, Apply<M>(s, AddStandby{fresh}), true, RuleId::kAddStandby);
  HASPEC_EXPECT_RULE(M, Apply<M>(s, Promote{1, 1, 0}), false, RuleId::kPrePromoteSameVersion);
  HASPEC_EXPECT_RULE(M, Apply<M>(s, ReleaseUpdate{}), false, RuleId::kPreOneRollout);
}

}  // namespace haspec::dsm::props

#endif  // HASPEC_PROPERTIES_DSM_DSM_PROPERTIES_H_
