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

#define HASPEC_DSM_PROPERTIES(X)                        \
  X(InvariantsHoldAfterEveryStep)                       \
  X(RefusalsNameEveryReasonAUserCanActOn)               \
  X(ViewsShowTheModelsFacts)                            \
  X(NodeUpKeepsServicesUnlessTheDocumentsReadingIsUsed) \
  X(AddDeletePromoteFailWhenAllSecondariesLost)         \
  X(NoAddOrDeleteWhileANodeIsInMaintenance)             \
  X(NoOperationOnANodeInHaConfig)                       \
  X(FailedReconfigurationMakesSecondaryOutOfSync)       \
  X(StatusFollowsTheDocumentedConditions)               \
  X(DeletedNodeIsNeverRegisteredAgain)                  \
  X(DeleteOnlyThroughTheApiOnThePrimary)                \
  X(PromoteRunsOnTheStandbyAndRemovesTheOldPrimary)     \
  X(UpdatesGoPrimaryFirstThenOneStandbyAtATime)         \
  X(AgentsUpdateOnlyAfterEveryProviderNode)             \
  X(LoadBalancerForwardsOnlyToActiveNodes)              \
  X(ClusterNeverGrowsBeyondFourNodes)                   \
  X(NoReturnFromHaToStandalone)                         \
  X(StandbysRunThePrimarysVersion)                      \
  X(RolloutsKeepOneVersion)

template <class M>
using S = typename M::State;

// Properties run on a configuration big enough for a full cluster and a
// spare VM, with every fault: n0..n4.
inline constexpr int kSlots = 5;
inline Config FullConfig() {
  Config c;
  c.nodes = Nodes::Numbered(kSlots);
  c.faults = kAllFaults;
  return c;
}

template <class M>
S<M> Empty() {
  return M::Initial(FullConfig());
}

// A healthy HA cluster: n0 Primary and `standbys` Secondaries n1.. in Active
// Mode, plus one fresh VM in the next slot if room is left.
template <class M>
S<M> HealthyCluster(int standbys) {
  S<M> s = Empty<M>();
  s = Apply<M>(s, DeployVm{0}).next;
  s = Apply<M>(s, ConfigureHa{0}).next;
  for (int i = 1; i <= standbys; ++i) {
    auto n = static_cast<std::uint8_t>(i);
    s = Apply<M>(s, DeployVm{n}).next;
    s = Apply<M>(s, AddStandby{n}).next;
    s = Apply<M>(s, FinishHaConfig{0}).next;
  }
  if (standbys + 1 < kSlots)
    s = Apply<M>(s, DeployVm{static_cast<std::uint8_t>(standbys + 1)}).next;
  return s;
}

// A healthy cluster of 2 to 4 nodes, then a random trace of events from it.
template <class M>
S<M> GenClusterState() {
  int standbys = *rc::gen::inRange(1, 4);
  return (*GenTraceFrom<M>(HealthyCluster<M>(standbys))).last;
}

inline bool IsSecondary(const Node& n) {
  return n.life == Life::kMember && n.role == Role::kSecondary;
}

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
  testing::InvariantsHoldAfterEveryStep<M>(standbys == 0 ? Empty<M>()
                                                         : HealthyCluster<M>(standbys));
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
    s = whole_vm
            ? Apply<M>(s, NodeDown{n}).next
            : Apply<M>(s, ServiceDown{n, *rc::gen::element(Service::kApms, Service::kPostgres)})
                  .next;
    // Seed 000 counts a Secondary that is down whatever it shows: an expired
    // password makes it show Unknown, not Lost Connectivity.
    if (*rc::gen::arbitrary<bool>()) s = Apply<M>(s, PasswordExpires{n}).next;
  }
  RC_LOG() << "all Secondaries lost: " << M::Show(s) << "\n";
  auto fresh = static_cast<std::uint8_t>(standbys + 1);
  auto target = static_cast<std::uint8_t>(*rc::gen::inRange(1, standbys + 1));
  HASPEC_EXPECT_RULE(M, Apply<M>(s, AddStandby{fresh}), false, RuleId::kPreAllSecondariesLost);
  HASPEC_EXPECT_RULE(M, Apply<M>(s, DeleteStandby{target, Channel::kApiOnPrimary, 0}), false,
                     RuleId::kPreAllSecondariesLost);
  HASPEC_EXPECT_RULE(M, Apply<M>(s, Promote{target, target, 0}), false,
                     RuleId::kPreAllSecondariesLost);
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
  s.nodes[fresh].behind = 0;
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
  HASPEC_EXPECT_RULE(M, Apply<M>(s, Promote{joining, joining, 0}), false,
                     RuleId::kPreHaConfigNoOperation);
  HASPEC_EXPECT_RULE(M, Apply<M>(s, ChangePassword{joining}), false,
                     RuleId::kPreHaConfigNoOperation);
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
  HASPEC_EXPECT_RULE(M,
                     Checked<M>(o.next, FallBehind{static_cast<std::uint8_t>(Primary<M>(o.next))}),
                     false, RuleId::kPreFallBehindSecondary);
  Observation obs = M::Observe(o.next);
  for (int i = 0; i < kSlots; ++i) {
    const NodeObs& v = obs.nodes[i];
    if (i == victim) {
      RC_ASSERT(v.status == Status::kOutOfSync);
      RC_ASSERT(v.role == Role::kSecondary);
    } else {
      RC_ASSERT(v.status != Status::kOutOfSync);
    }
  }
}

// Fails unless `obs` fits `s` exactly; each finding's rule is recorded as
// decided, so a caught observation mutant is credited with the rule it broke.
template <class M>
void ExpectFits(const S<M>& s, const Observation& obs) {
  std::vector<FindingOf<M>> why;
  Fit fit = M::Consistent(s, obs, &why);
  if (fit == Fit::kMatch) return;
  std::string detail;
  for (const auto& f : why) {
    testing::Record<M>(f.rule);
    detail += std::string(RuleOf<M>(f.rule).id) + ": " + f.detail + "; ";
  }
  RC_FAIL(std::string(fit == Fit::kDeparture ? "departure" : "mismatch") + ": " + detail + "in " +
          M::Show(s));
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
  // The model's own precedence must fit (kMatch); a status another
  // condition would justify is a departure and fails here too, citing the
  // precedence assumption.
  ExpectFits<M>(s, obs);
  for (int i = 0; i < kSlots; ++i) {
    const NodeObs& v = obs.nodes[i];
    const Node& node = s.nodes[i];
    RC_ASSERT(v.listed == std::optional<bool>(node.life == Life::kMember));
    if (node.life != Life::kMember) continue;
    Status want = ExpectedStatus(node);
    if (v.status != want || v.role != node.role) {
      RC_FAIL("n" + std::to_string(i) + " shows " + std::string(kRoleNames.Name(*v.role)) + " " +
              std::string(kStatusNames.Label(*v.status)) + " but its facts say " +
              std::string(kRoleNames.Name(node.role)) + " " +
              std::string(kStatusNames.Label(want)) + " in " + M::Show(s));
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
  RC_ASSERT(M::Observe(o.next).nodes[victim].listed == std::optional<bool>(false));
  HASPEC_EXPECT_RULE(M, Apply<M>(o.next, AddStandby{victim}), false,
                     RuleId::kPreDeletedNeverRejoins);
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
  int primaries = 0, listed = 0;
  RC_ASSERT(obs.nodes[0].listed == std::optional<bool>(false));  // the old Primary left
  for (int i = 0; i < kSlots; ++i) {
    const NodeObs& v = obs.nodes[i];
    if (!v.listed || !*v.listed) continue;
    ++listed;
    primaries += v.role == Role::kPrimary;
    if (i == target)
      RC_ASSERT(v.role == Role::kPrimary);
    else
      RC_ASSERT(v.role == Role::kSecondary);
  }
  RC_ASSERT(primaries == 1);
  RC_ASSERT(listed == standbys);
  HASPEC_EXPECT_RULE(M, Apply<M>(o.next, AddStandby{0}), false, RuleId::kPreDeletedNeverRejoins);
}

template <class M>
void UpdatesGoPrimaryFirstThenOneStandbyAtATime() {
  int standbys = *rc::gen::inRange(2, 4);
  S<M> s = HealthyCluster<M>(standbys);
  s = Apply<M>(s, ReleaseUpdate{}).next;
  auto a = static_cast<std::uint8_t>(*rc::gen::inRange(1, standbys + 1));
  auto b = static_cast<std::uint8_t>(a == 1 ? 2 : 1);
  HASPEC_EXPECT_RULE(M, Apply<M>(s, StageUpdate{0, Via::kLoadBalancer}), false,
                     RuleId::kPreUpdateNotViaLb);
  for (std::uint8_t n : {std::uint8_t{0}, a, b}) s = Apply<M>(s, StageUpdate{n}).next;
  auto early = Checked<M>(s, ApplyUpdate{a});
  if (early.accepted) Checked<M>(early.next, CompleteUpdate{a});
  HASPEC_EXPECT_RULE(M, early, false, RuleId::kPrePrimaryFirst);
  S<M> critical = Apply<M>(s, ServiceDown{0, Service::kProvider}).next;
  HASPEC_EXPECT_RULE(M, Apply<M>(critical, ApplyUpdate{0}), false, RuleId::kPreUpdateActiveOnly);
  HASPEC_EXPECT_RULE(M, Apply<M>(s, ApplyUpdate{0, Via::kLoadBalancer}), false,
                     RuleId::kPreUpdateNotViaLb);
  auto o = Apply<M>(s, ApplyUpdate{0});
  HASPEC_EXPECT_RULE(M, o, true, RuleId::kApply);
  RC_ASSERT(DeriveStatus(o.next.nodes[0]) == Status::kMaintenanceMode);
  // Refused while the Primary updates (for two reasons: one at a time, and
  // the Primary is not done yet).
  RC_ASSERT(!Checked<M>(o.next, ApplyUpdate{a}).accepted);
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
  // refused while the Primary's VM is down, even when its expired password
  // makes it show Unknown rather than Lost Connectivity.
  S<M> c = HealthyCluster<M>(2);
  HASPEC_EXPECT_RULE(M, Apply<M>(c, Request{1, true}), true, RuleId::kWriteToPrimary);
  c = Apply<M>(c, NodeDown{0}).next;
  if (*rc::gen::arbitrary<bool>()) c = Apply<M>(c, PasswordExpires{0}).next;
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
  HASPEC_EXPECT_RULE(M, Apply<M>(s, ReturnToStandalone{n}), false,
                     RuleId::kPreNoReturnToStandalone);
  auto fresh = static_cast<std::uint8_t>(standbys + 1);
  if (fresh < kSlots) {
    HASPEC_EXPECT_RULE(M, Apply<M>(s, RestoreFromBackup{fresh}), false,
                       RuleId::kPreRestoreSinglePrimary);
  }
  // Delete every Standby: the last Primary's backup restores onto a fresh VM.
  for (int i = 1; i <= standbys; ++i) {
    s = Apply<M>(s, DeleteStandby{static_cast<std::uint8_t>(i), Channel::kApiOnPrimary, 0}).next;
  }
  s = Apply<M>(s, DeployVm{1}).next;
  auto o = Apply<M>(s, RestoreFromBackup{1});
  HASPEC_EXPECT_RULE(M, o, true, RuleId::kRestoreFromBackup);
  Observation obs = M::Observe(o.next);
  int listed = 0;
  for (const NodeObs& v : obs.nodes) listed += v.listed.value_or(false);
  RC_ASSERT(listed == 1);
  RC_ASSERT(obs.nodes[1].role == std::optional<Role>(Role::kStandalone));
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

// Every reason that forbids an op is reported, each one a user can act on,
// and none of them an invariant.
template <class M>
void RefusalsNameEveryReasonAUserCanActOn() {
  auto refusals = [](const S<M>& s, const Op& op) {
    std::vector<RuleId> why;
    M::Refusals(s, op, why);
    return why;
  };
  S<M> s = HealthyCluster<M>(3);  // n0 Primary, n1..n3 Secondaries, n4 fresh
  // Add to a full cluster while a node is updating: both reasons.
  S<M> busy = Apply<M>(s, ReleaseUpdate{}).next;
  busy = Apply<M>(busy, StageUpdate{0}).next;
  busy = Apply<M>(busy, ApplyUpdate{0}).next;
  busy.nodes[4].behind = busy.nodes[0].behind;
  RC_ASSERT(refusals(busy, AddStandby{4}) ==
            (std::vector<RuleId>{RuleId::kPreClusterFull, RuleId::kPreMaintenanceNoAddDelete}));
  HASPEC_EXPECT_RULE(M, Apply<M>(busy, AddStandby{4}), false, RuleId::kPreClusterFull);
  // Naming a slot the configuration does not have, or the wrong kind of
  // node, each with its own rule.
  HASPEC_EXPECT_RULE(M, Apply<M>(s, NodeDown{5}), false, RuleId::kPreNodeConfigured);
  HASPEC_EXPECT_RULE(M, Apply<M>(s, DeployVm{1}), false, RuleId::kPreSlotFree);
  HASPEC_EXPECT_RULE(M, Apply<M>(s, ConfigureHa{0}), false, RuleId::kPreConfigureHaStandalone);
  HASPEC_EXPECT_RULE(M, Apply<M>(s, ConfigureHa{4}), false, RuleId::kPreMember);
  HASPEC_EXPECT_RULE(M, Apply<M>(s, AddStandby{2}), false, RuleId::kPreAlreadyMember);
  HASPEC_EXPECT_RULE(M, Apply<M>(s, RestoreFromBackup{2}), false, RuleId::kPreRestoreNewVm);
  HASPEC_EXPECT_RULE(M, Apply<M>(s, FinishHaConfig{0}), false, RuleId::kPreConfigRunning);
  HASPEC_EXPECT_RULE(M, Apply<M>(s, CompleteUpdate{1}), false, RuleId::kPreUpdating);
  HASPEC_EXPECT_RULE(M, Apply<M>(s, UpdateAgents{}), false, RuleId::kPreAgentsBehind);
  HASPEC_EXPECT_RULE(M, Apply<M>(s, StageUpdate{1}), false, RuleId::kPreUpdateAvailable);
  S<M> one = Apply<M>(Empty<M>(), DeployVm{0}).next;
  HASPEC_EXPECT_RULE(M, Apply<M>(one, AddStandby{1}), false, RuleId::kPreVmDeployed);
  HASPEC_EXPECT_RULE(M, Apply<M>(one, ReturnToStandalone{0}), false, RuleId::kPreReturnFromHa);
  S<M> two = Apply<M>(one, DeployVm{1}).next;
  HASPEC_EXPECT_RULE(M, Apply<M>(two, AddStandby{1}), false, RuleId::kPreAddNeedsPrimary);
  // Staging on a node that is up but not Active is refused only by an
  // assumption; consuming (apply) by the documented rule.
  S<M> sick = Apply<M>(s, ReleaseUpdate{}).next;
  sick = Apply<M>(sick, ServiceDown{1, Service::kMonitoring}).next;
  HASPEC_EXPECT_RULE(M, Apply<M>(sick, StageUpdate{1}), false, RuleId::kPreStageActiveOnly);
  // A fault the configuration leaves out.
  S<M> narrow = Apply<M>(M::Initial(Config{}), DeployVm{0}).next;
  HASPEC_EXPECT_RULE(M, Apply<M>(narrow, NodeDown{0}), false, RuleId::kPreFaultInConfig);
  // Whatever the state, no refusal cites an invariant or is listed twice.
  S<M> any = GenClusterState<M>();
  std::vector<Op> ops;
  M::CandidateOps(any, ops);
  for (const Op& op : ops) {
    auto why = refusals(any, op);
    for (std::size_t i = 0; i < why.size(); ++i) {
      RC_ASSERT(RuleOf<M>(why[i]).kind == RuleKind::kPrecondition);
      for (std::size_t k = 0; k < i; ++k) RC_ASSERT(why[k] != why[i]);
    }
    RC_ASSERT(why.empty() == M::Step(any, op).accepted);
  }
}

// Both views show the state's facts: /appliance/provider-ha-nodes lists the
// members with role and status, /appliance/status each service of a node
// whose VM is up.
template <class M>
void ViewsShowTheModelsFacts() {
  S<M> s = GenClusterState<M>();
  if (*rc::gen::arbitrary<bool>()) {  // a node deleted along the way
    for (int i = 1; i < kSlots; ++i) {
      auto o = Apply<M>(s, DeleteStandby{static_cast<std::uint8_t>(i), Channel::kApiOnPrimary, 0});
      if (o.accepted) {
        s = o.next;
        break;
      }
    }
  }
  const Observation obs = M::Observe(s);
  ExpectFits<M>(s, obs);
  for (int i = 0; i < kSlots; ++i) {
    const Node& n = s.nodes[i];
    const NodeObs& v = obs.nodes[i];
    RC_ASSERT(v.listed == std::optional<bool>(n.life == Life::kMember));
    if (n.life != Life::kMember || !n.reachable) continue;
    for (int sv = 0; sv < kShownServices; ++sv) {
      RC_ASSERT(v.services[sv].has_value());
      RC_ASSERT((*v.services[sv] != ServiceState::kActive) == ((n.services_down >> sv & 1) != 0));
    }
  }
}

// node_up keeps the services that were down (the model's assumption); a boot
// that restarts them all is the departure the documents allow.
template <class M>
void NodeUpKeepsServicesUnlessTheDocumentsReadingIsUsed() {
  S<M> s = HealthyCluster<M>(2);
  s = Apply<M>(s, ServiceDown{1, Service::kRabbitmq}).next;
  s = Apply<M>(s, NodeDown{1}).next;
  auto o = Apply<M>(s, NodeUp{1});
  HASPEC_EXPECT_RULE(M, o, true, RuleId::kNodeUpKeepsServices);
  RC_ASSERT(DeriveStatus(o.next.nodes[1]) == Status::kCritical);
  std::vector<OutcomeOf<M>> all;
  AnswersOf<M>(s, NodeUp{1}, all);
  bool restarted = false;
  for (const auto& a : all) {
    restarted |= a.accepted && a.departs == RuleId::kNodeUpKeepsServices &&
                 DeriveStatus(a.next.nodes[1]) == Status::kActiveMode;
  }
  RC_ASSERT(restarted);
}

}  // namespace haspec::dsm::props

#endif  // HASPEC_PROPERTIES_DSM_DSM_PROPERTIES_H_
