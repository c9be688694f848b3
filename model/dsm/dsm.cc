#include "model/dsm/dsm.h"

#include <algorithm>
#include <bit>

#include "model/core/hash.h"

namespace haspec::dsm {
namespace {

constexpr Rule kRules[] = {
#define HASPEC_RULE HASPEC_RULE_ENTRY
#include "model/dsm/rules.def"
#undef HASPEC_RULE
};

constexpr auto kStatusList = StatusInfos(kStatusNames);

using OutcomeT = Dsm::OutcomeT;

bool InConfig(const State& s, int n) { return n >= 0 && n < s.slots && n < kMaxSlots; }
bool IsMember(const State& s, int n) { return InConfig(s, n) && s.nodes[n].life == Life::kMember; }
bool IsSecondary(const Node& n) { return n.life == Life::kMember && n.role == Role::kSecondary; }

int CountMembers(const State& s) {
  int c = 0;
  for (int i = 0; i < s.slots; ++i) c += s.nodes[i].life == Life::kMember;
  return c;
}

// Slot of the Primary, or of the standalone provider before HA; -1 if none.
int LeaderSlot(const State& s) {
  for (int i = 0; i < s.slots; ++i) {
    const Node& n = s.nodes[i];
    if (n.life == Life::kMember && (n.role == Role::kPrimary || n.role == Role::kStandalone)) {
      return i;
    }
  }
  return -1;
}

int PrimarySlot(const State& s) {
  int l = LeaderSlot(s);
  return (l >= 0 && s.nodes[l].role == Role::kPrimary) ? l : -1;
}

template <class Pred>
bool AnyMember(const State& s, Pred pred) {
  for (int i = 0; i < s.slots; ++i) {
    if (s.nodes[i].life == Life::kMember && pred(s.nodes[i])) return true;
  }
  return false;
}

bool AnyUpdating(const State& s) {
  return AnyMember(s, [](const Node& n) { return n.updating; });
}
bool AnyConfiguring(const State& s) {
  return AnyMember(s, [](const Node& n) { return n.ha_config; });
}

// Seed 000: "If all the Secondary nodes of a cluster are down or have Lost
// Connectivity as the status". Tested on the facts, so a down Secondary whose
// password also expired (shown Unknown) still counts; a cluster without
// Secondaries is not blocked (a lone Primary adds its first Standby).
bool AllSecondariesLost(const State& s) {
  bool any = false;
  for (int i = 0; i < s.slots; ++i) {
    const Node& n = s.nodes[i];
    if (!IsSecondary(n)) continue;
    any = true;
    if (!DownOrCoreLost(n)) return false;
  }
  return any;
}

std::uint8_t Behind(std::uint8_t b) { return std::min<std::uint8_t>(b, kMaxBehind); }

// Secondaries (after the op) in `failed` become Out of Sync. Returns the rule
// that decides the op: `ok` when nothing failed, the documented failure rule
// when a Secondary failed, the assumption rule when `failed` names only
// nodes that are not Secondaries (the Primary, the promoted or deleted node).
RuleId FailReconfiguration(State& t, std::uint8_t failed, RuleId ok) {
  bool secondary = false, other = false;
  for (int i = 0; i < kMaxSlots; ++i) {
    if (!(failed >> i & 1)) continue;
    if (i < t.slots && IsSecondary(t.nodes[i])) {
      t.nodes[i].out_of_sync = true;
      secondary = true;
    } else {
      other = true;
    }
  }
  if (secondary) return RuleId::kReconfigFails;
  return other ? RuleId::kReconfigFailNotSecondary : ok;
}

Node Member(Role role, std::uint8_t behind) {
  Node n;
  n.life = Life::kMember;
  n.role = role;
  n.behind = behind;
  return n;
}

void Retire(Node& n) {
  n = Node{};
  n.life = Life::kRetired;
}

std::uint8_t ServiceMask(Service sv) {
  auto i = static_cast<unsigned>(sv);
  return i < kServiceCount ? static_cast<std::uint8_t>(1u << i) : 0;
}

// ---- Refusals ------------------------------------------------------------
// Every precondition that forbids an op, in the order a user would fix
// them. A check that needs a fact another refusal says is missing (the
// target's version when the slot is empty) is skipped, not guessed.

struct Refuser {
  const State& s;
  std::vector<RuleId>& out;

  void Add(RuleId r) { out.push_back(r); }

  // Configured slot and member; false when the rest cannot be checked.
  bool NeedMember(int node) {
    if (!InConfig(s, node)) {
      Add(RuleId::kPreNodeConfigured);
      return false;
    }
    if (s.nodes[node].life != Life::kMember) {
      Add(RuleId::kPreMember);
      return false;
    }
    return true;
  }

  // Add, Delete and Promote: the checks shared by every reconfiguration.
  void Reconfiguration() {
    if (AnyConfiguring(s)) Add(RuleId::kPreOneReconfig);
    if (AllSecondariesLost(s)) Add(RuleId::kPreAllSecondariesLost);
  }

  void operator()(const DeployVm& op) {
    if (!InConfig(s, op.node)) return Add(RuleId::kPreNodeConfigured);
    Life l = s.nodes[op.node].life;
    if (l != Life::kEmpty && l != Life::kRetired) Add(RuleId::kPreSlotFree);
  }

  void operator()(const ConfigureHa& op) {
    if (!NeedMember(op.node)) return;
    if (s.nodes[op.node].role != Role::kStandalone) Add(RuleId::kPreConfigureHaStandalone);
  }

  void operator()(const AddStandby& op) {
    if (!InConfig(s, op.node)) return Add(RuleId::kPreNodeConfigured);
    const Node& n = s.nodes[op.node];
    switch (n.life) {
      case Life::kRetired:
        Add(RuleId::kPreDeletedNeverRejoins);
        break;
      case Life::kEmpty:
        Add(RuleId::kPreVmDeployed);
        break;
      case Life::kMember:
        Add(RuleId::kPreAlreadyMember);
        break;
      case Life::kFresh:
        break;
    }
    int p = PrimarySlot(s);
    if (p < 0) Add(RuleId::kPreAddNeedsPrimary);
    if (CountMembers(s) >= kMaxMembers) Add(RuleId::kPreClusterFull);
    if (AnyUpdating(s)) Add(RuleId::kPreMaintenanceNoAddDelete);
    Reconfiguration();
    // The Standby must run the Primary's version; before HA is configured
    // (refused only by the assumption DSM-PRE-ADD-NEEDS-PRIMARY) the
    // provider it joins is the standalone leader, which the add makes the
    // Primary, so the documented rule compares with it.
    const int joins = p >= 0 ? p : LeaderSlot(s);
    if (n.life == Life::kFresh && joins >= 0 && n.behind != s.nodes[joins].behind) {
      Add(RuleId::kPreSameVersion);
    }
  }

  void operator()(const FinishHaConfig&) {
    if (!AnyConfiguring(s)) Add(RuleId::kPreConfigRunning);
  }

  void operator()(const DeleteStandby& op) {
    if (op.channel == Channel::kConsole) Add(RuleId::kPreDeleteApiOnly);
    if (op.channel == Channel::kApiOnStandby) Add(RuleId::kPreDeleteOnPrimary);
    if (!NeedMember(op.node)) return;
    const Node& n = s.nodes[op.node];
    if (n.role != Role::kSecondary) Add(RuleId::kPreDeleteTargetStandby);
    if (n.ha_config) Add(RuleId::kPreHaConfigNoOperation);
    if (AnyUpdating(s)) Add(RuleId::kPreMaintenanceNoAddDelete);
    Reconfiguration();
  }

  void operator()(const Promote& op) {
    if (op.run_on != op.node) Add(RuleId::kPrePromoteOnStandby);
    if (!NeedMember(op.node)) return;
    const Node& n = s.nodes[op.node];
    const bool standby = n.role == Role::kSecondary;
    if (!standby) Add(RuleId::kPrePromoteTargetStandby);
    if (n.ha_config) Add(RuleId::kPreHaConfigNoOperation);
    Reconfiguration();
    if (!standby) return;  // which Standbys may be promoted is moot
    if (DeriveStatus(n) != Status::kActiveMode) Add(RuleId::kPrePromoteTargetHealthy);
    int p = PrimarySlot(s);
    if (p >= 0 && s.nodes[p].behind != n.behind) Add(RuleId::kPrePromoteSameVersion);
  }

  void operator()(const ReturnToStandalone& op) {
    if (!NeedMember(op.node)) return;
    Add(s.nodes[op.node].role == Role::kStandalone ? RuleId::kPreReturnFromHa
                                                   : RuleId::kPreNoReturnToStandalone);
  }

  void operator()(const RestoreFromBackup& op) {
    if (!InConfig(s, op.node)) return Add(RuleId::kPreNodeConfigured);
    if (s.nodes[op.node].life != Life::kFresh) Add(RuleId::kPreRestoreNewVm);
    if (PrimarySlot(s) < 0 || CountMembers(s) != 1) Add(RuleId::kPreRestoreSinglePrimary);
  }

  // A fault event on a member, of a kind the configuration injects.
  bool Fault(int node, Faults fault) {
    if (!NeedMember(node)) return false;
    if (!(s.faults & fault)) Add(RuleId::kPreFaultInConfig);
    return true;
  }
  void operator()(const ServiceDown& op) { Fault(op.node, ServiceMask(op.service)); }
  void operator()(const ServiceUp& op) { NeedMember(op.node); }
  void operator()(const NodeDown& op) { Fault(op.node, kFaultVmDown); }
  void operator()(const NodeUp& op) { NeedMember(op.node); }
  void operator()(const PasswordExpires& op) { Fault(op.node, kFaultPassword); }
  void operator()(const ChangePassword& op) {
    if (!NeedMember(op.node)) return;
    if (s.nodes[op.node].ha_config) Add(RuleId::kPreHaConfigNoOperation);
  }

  void operator()(const FallBehind& op) {
    if (!Fault(op.node, kFaultCatchUp)) return;
    if (s.nodes[op.node].role != Role::kSecondary) Add(RuleId::kPreFallBehindSecondary);
  }

  void operator()(const ReleaseUpdate&) {
    if (AnyMember(s, [](const Node& n) { return n.behind != 0; })) Add(RuleId::kPreOneRollout);
  }

  // Shared by stage and apply, in reporting order.
  bool Update(int node, Via via) {
    if (via != Via::kNodeAddress) Add(RuleId::kPreUpdateNotViaLb);
    if (!NeedMember(node)) return false;
    const Node& n = s.nodes[node];
    if (n.behind == 0) Add(RuleId::kPreUpdateAvailable);
    if (n.ha_config) Add(RuleId::kPreHaConfigNoOperation);
    return true;
  }

  void operator()(const StageUpdate& op) {
    if (!Update(op.node, op.via)) return;
    if (DeriveStatus(s.nodes[op.node]) != Status::kActiveMode) {
      Add(RuleId::kPreStageActiveOnly);
    }
  }

  void operator()(const ApplyUpdate& op) {
    if (!Update(op.node, op.via)) return;
    const Node& n = s.nodes[op.node];
    if (DeriveStatus(n) != Status::kActiveMode) Add(RuleId::kPreUpdateActiveOnly);
    if (!n.staged) Add(RuleId::kPreApplyNeedsStage);
    if (AnyUpdating(s)) Add(RuleId::kPreSequential);
    if (n.role == Role::kSecondary) {
      int p = PrimarySlot(s);
      if (p >= 0 && s.nodes[p].behind > 0) Add(RuleId::kPrePrimaryFirst);
    }
  }

  void operator()(const CompleteUpdate& op) {
    if (!NeedMember(op.node)) return;
    if (!s.nodes[op.node].updating) Add(RuleId::kPreUpdating);
  }

  void operator()(const UpdateAgents&) {
    if (s.agents_behind == 0) Add(RuleId::kPreAgentsBehind);
    if (AnyMember(s, [](const Node& n) { return n.behind != 0 || n.updating; })) {
      Add(RuleId::kPreAgentsAfterProviders);
    }
  }

  void operator()(const Request& op) {
    if (!NeedMember(op.node)) return;
    if (DeriveStatus(s.nodes[op.node]) != Status::kActiveMode) Add(RuleId::kPreLbActiveOnly);
    if (!op.write) return;
    int l = LeaderSlot(s);
    if (l < 0 || DownOrCoreLost(s.nodes[l])) Add(RuleId::kPreWriteNeedsPrimary);
  }
};

// ---- Effects ---------------------------------------------------------------
// What an op does once accepted, preconditions ignored. Empty where the op
// means nothing (it names no node it could act on).

struct Effector {
  const State& s;
  std::vector<OutcomeT>& out;

  void Land(const State& t, RuleId r) { out.push_back(Accepted(t, r)); }

  void operator()(const DeployVm& op) {
    if (!InConfig(s, op.node)) return;
    Life l = s.nodes[op.node].life;
    if (l != Life::kEmpty && l != Life::kRetired) return;
    State t = s;
    Node& n = t.nodes[op.node];
    n = Node{};
    n.life = Life::kFresh;
    n.behind = op.previous_ova ? 1 : 0;
    if (CountMembers(s) == 0) {
      n.life = Life::kMember;
      n.role = Role::kStandalone;
      t.agents_behind = std::max(t.agents_behind, n.behind);
    }
    Land(t, RuleId::kDeploy);
  }

  void operator()(const ConfigureHa& op) {
    if (!IsMember(s, op.node) || s.nodes[op.node].role != Role::kStandalone) return;
    State t = s;
    t.nodes[op.node].role = Role::kPrimary;
    Land(t, RuleId::kConfigureHa);
  }

  // A fresh VM (or, were the rule broken, a retired one) joins as a
  // Secondary; a standalone provider it joins becomes the Primary.
  void operator()(const AddStandby& op) {
    if (!InConfig(s, op.node)) return;
    Life l = s.nodes[op.node].life;
    if (l != Life::kFresh && l != Life::kRetired) return;
    int leader = LeaderSlot(s);
    if (leader < 0) return;
    State t = s;
    t.nodes[leader].role = Role::kPrimary;
    Node& m = t.nodes[op.node];
    // A retired VM last ran the cluster's release.
    m = Member(Role::kSecondary,
               l == Life::kFresh ? s.nodes[op.node].behind : s.nodes[leader].behind);
    m.ha_config = true;
    Land(t, RuleId::kAddStandby);
  }

  void operator()(const FinishHaConfig& op) {
    if (!AnyConfiguring(s)) return;
    State t = s;
    for (int i = 0; i < t.slots; ++i) t.nodes[i].ha_config = false;
    Land(t, FailReconfiguration(t, op.failed, RuleId::kHaConfigDone));
  }

  void operator()(const DeleteStandby& op) {
    if (!IsMember(s, op.node) || s.nodes[op.node].role != Role::kSecondary) return;
    State t = s;
    Retire(t.nodes[op.node]);
    Land(t, FailReconfiguration(t, op.failed, RuleId::kDeleteStandby));
  }

  void operator()(const Promote& op) {
    if (!IsMember(s, op.node) || s.nodes[op.node].role != Role::kSecondary) return;
    State t = s;
    int p = PrimarySlot(s);
    if (p >= 0) Retire(t.nodes[p]);
    Node& n = t.nodes[op.node];
    n.role = Role::kPrimary;
    n.out_of_sync = false;
    Land(t, FailReconfiguration(t, op.failed, RuleId::kPromote));
  }

  void operator()(const ReturnToStandalone&) {}

  void operator()(const RestoreFromBackup& op) {
    if (!InConfig(s, op.node) || s.nodes[op.node].life != Life::kFresh) return;
    int p = LeaderSlot(s);
    if (p < 0) return;
    State t = s;
    std::uint8_t behind = s.nodes[p].behind;
    for (int i = 0; i < t.slots; ++i) {
      if (t.nodes[i].life == Life::kMember) Retire(t.nodes[i]);
    }
    t.nodes[op.node] = Member(Role::kStandalone, behind);
    Land(t, RuleId::kRestoreFromBackup);
  }

  void operator()(const ServiceDown& op) {
    if (!IsMember(s, op.node)) return;
    State t = s;
    t.nodes[op.node].services_down |= ServiceMask(op.service);
    Land(t, StatusRule(t.nodes[op.node]));
  }

  void operator()(const ServiceUp& op) {
    if (!IsMember(s, op.node)) return;
    State t = s;
    t.nodes[op.node].services_down &= static_cast<std::uint8_t>(~ServiceMask(op.service));
    Land(t, RuleId::kServiceRestored);
  }

  void operator()(const NodeDown& op) {
    if (!IsMember(s, op.node)) return;
    State t = s;
    t.nodes[op.node].reachable = false;
    Land(t, StatusRule(t.nodes[op.node]));
  }

  // The model keeps the services as they were (an assumption); a VM whose
  // boot restarts every service is the other landing the documents allow.
  void operator()(const NodeUp& op) {
    if (!IsMember(s, op.node)) return;
    State t = s;
    t.nodes[op.node].reachable = true;
    const bool was_down = !s.nodes[op.node].reachable && s.nodes[op.node].services_down;
    Land(t, was_down ? RuleId::kNodeUpKeepsServices : RuleId::kServiceRestored);
    if (was_down) {
      t.nodes[op.node].services_down = 0;
      out.push_back(Departing(t, RuleId::kServiceRestored, RuleId::kNodeUpKeepsServices));
    }
  }

  void operator()(const PasswordExpires& op) {
    if (!IsMember(s, op.node)) return;
    State t = s;
    t.nodes[op.node].password_expired = true;
    Land(t, RuleId::kStatusUnknown);
  }

  void operator()(const ChangePassword& op) {
    if (!IsMember(s, op.node)) return;
    State t = s;
    t.nodes[op.node].password_expired = false;
    Land(t, RuleId::kChangePassword);
  }

  void operator()(const FallBehind& op) {
    if (!IsMember(s, op.node)) return;
    State t = s;
    t.nodes[op.node].out_of_sync = true;
    Land(t, RuleId::kStatusOutOfSync);
  }

  void operator()(const ReleaseUpdate&) {
    State t = s;
    for (int i = 0; i < t.slots; ++i) {
      Node& n = t.nodes[i];
      if (n.life != Life::kMember && n.life != Life::kFresh) continue;
      n.behind = Behind(static_cast<std::uint8_t>(n.behind + 1));
      n.staged = false;  // what was staged is no longer the newest release
    }
    t.agents_behind = Behind(static_cast<std::uint8_t>(t.agents_behind + 1));
    Land(t, RuleId::kRelease);
  }

  void operator()(const StageUpdate& op) {
    if (!IsMember(s, op.node)) return;
    State t = s;
    t.nodes[op.node].staged = true;
    Land(t, RuleId::kStage);
  }

  void operator()(const ApplyUpdate& op) {
    if (!IsMember(s, op.node)) return;
    State t = s;
    t.nodes[op.node].updating = true;
    Land(t, RuleId::kApply);
  }

  void operator()(const CompleteUpdate& op) {
    if (!IsMember(s, op.node) || !s.nodes[op.node].updating) return;
    State t = s;
    Node& n = t.nodes[op.node];
    n.updating = false;
    n.staged = false;
    n.behind = 0;
    Land(t, RuleId::kUpdateComplete);
  }

  void operator()(const UpdateAgents&) {
    State t = s;
    t.agents_behind = 0;
    Land(t, RuleId::kAgentUpdate);
  }

  void operator()(const Request& op) {
    if (!IsMember(s, op.node)) return;
    Land(s, op.write ? RuleId::kWriteToPrimary : RuleId::kReadAnyNode);
  }
};

std::string Join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

// The name findings use: CheckInvariants and Consistent get no Nodes, so
// they name slots by number.
std::string SlotName(int i) { return "n" + std::to_string(i); }

// A slot's name; slots beyond the names given are n<i>.
std::string NameOf(const Nodes& nodes, int i) {
  if (i >= 0 && static_cast<std::size_t>(i) < nodes.size()) return nodes.Name(i);
  return "n" + std::to_string(i);
}

RuleId RuleOfStatus(Status st) {
  switch (st) {
    case Status::kUnknown:
      return RuleId::kStatusUnknown;
    case Status::kLostConnectivity:
      return RuleId::kStatusLostConnectivity;
    case Status::kHaConfigInProgress:
      return RuleId::kStatusHaConfig;
    case Status::kMaintenanceMode:
      return RuleId::kStatusMaintenance;
    case Status::kOutOfSync:
      return RuleId::kStatusOutOfSync;
    case Status::kCritical:
      return RuleId::kStatusCritical;
    case Status::kActiveMode:
      break;
  }
  return RuleId::kStatusActive;
}

}  // namespace

// ---- Status derivation --------------------------------------------------

bool DownOrCoreLost(const Node& n) { return !n.reachable || (n.services_down & kCoreServices); }

bool StatusConditionHolds(const Node& n, Status st) {
  switch (st) {
    case Status::kUnknown:
      return n.password_expired;
    case Status::kLostConnectivity:
      return DownOrCoreLost(n);
    case Status::kHaConfigInProgress:
      return n.ha_config;
    case Status::kMaintenanceMode:
      return n.updating;
    case Status::kOutOfSync:
      return n.out_of_sync && n.role == Role::kSecondary;
    case Status::kCritical:
      return (n.services_down & ~kCoreServices) != 0;
    case Status::kActiveMode:
      break;
  }
  // Active Mode: healthy, and no other status's condition holds.
  for (Status other : {Status::kUnknown, Status::kLostConnectivity, Status::kHaConfigInProgress,
                       Status::kMaintenanceMode, Status::kOutOfSync, Status::kCritical}) {
    if (StatusConditionHolds(n, other)) return false;
  }
  return true;
}

Status DeriveStatus(const Node& n) {
  for (const auto& e : kStatusNames.entries) {  // table order is the precedence
    if (StatusConditionHolds(n, e.value)) return e.value;
  }
  return Status::kActiveMode;
}

RuleId StatusRule(const Node& n) { return RuleOfStatus(DeriveStatus(n)); }

// ---- Catalogue and configuration -----------------------------------------

std::span<const Rule> Dsm::Rules() { return kRules; }
std::span<const StatusInfo> Dsm::Statuses() { return kStatusList; }
std::span<const StatusChange> Dsm::StatusChanges() {
  static constexpr StatusChange kChanges[] = {
#define HASPEC_STATUS_CHANGE HASPEC_STATUS_CHANGE_ENTRY
#include "model/dsm/status_changes.def"
#undef HASPEC_STATUS_CHANGE
  };
  return kChanges;
}

Config Dsm::DefaultConfig() { return Config{}; }

State Dsm::Initial(const Config& c) {
  State s;
  s.slots = static_cast<std::uint8_t>(std::clamp<std::size_t>(c.nodes.size(), 0, kMaxSlots));
  s.faults = c.faults;
  switch (c.start) {
    case Start::kEmpty:
      break;
    case Start::kStandalone:
      if (s.slots > 0) s.nodes[0] = Member(Role::kStandalone, 0);
      break;
    case Start::kCluster: {
      int k = std::clamp(c.members, 1, std::min<int>(kMaxMembers, s.slots));
      if (s.slots == 0) break;
      s.nodes[0] = Member(Role::kPrimary, 0);
      for (int i = 1; i < k; ++i) s.nodes[i] = Member(Role::kSecondary, 0);
      break;
    }
  }
  return s;
}

// ---- Step halves -----------------------------------------------------------

void Dsm::Refusals(const State& s, const Op& op, std::vector<RuleId>& out) {
  std::visit(Refuser{s, out}, op);
}

void Dsm::Effects(const State& s, const Op& op, std::vector<OutcomeT>& out) {
  std::visit(Effector{s, out}, op);
}

void Dsm::CandidateOps(const State& s, std::vector<Op>& out) {
  // Reconfiguration failure choices: none (most), each Secondary alone, all
  // of them, and the Primary (an explicit, assumed no-op).
  std::uint8_t secondaries = 0;
  for (int i = 0; i < s.slots; ++i) {
    if (IsSecondary(s.nodes[i])) secondaries |= static_cast<std::uint8_t>(1u << i);
  }
  std::array<std::uint8_t, kMaxSlots + 4> masks{};
  int nmasks = 0;
  masks[nmasks++] = 0;
  masks[nmasks++] = 0;
  for (int i = 0; i < s.slots; ++i) {
    if (secondaries >> i & 1) masks[nmasks++] = static_cast<std::uint8_t>(1u << i);
  }
  if (std::popcount(secondaries) > 1) masks[nmasks++] = secondaries;
  const int primary = PrimarySlot(s);
  if (primary >= 0) masks[nmasks++] = static_cast<std::uint8_t>(1u << primary);

  if (AnyConfiguring(s)) {
    for (int m = 0; m < nmasks; ++m) out.push_back(FinishHaConfig{masks[m]});
    out.push_back(FinishHaConfig{0});
    out.push_back(FinishHaConfig{0});
  }
  out.push_back(ReleaseUpdate{});
  out.push_back(UpdateAgents{});

  const int leader = LeaderSlot(s);
  for (int i = 0; i < s.slots; ++i) {
    const auto n8 = static_cast<std::uint8_t>(i);
    const Node& n = s.nodes[i];
    switch (n.life) {
      case Life::kEmpty:
      case Life::kRetired:
        out.push_back(DeployVm{n8, false});
        out.push_back(DeployVm{n8, false});
        out.push_back(DeployVm{n8, true});
        if (n.life == Life::kRetired) out.push_back(AddStandby{n8});
        out.push_back(ConfigureHa{n8});
        break;
      case Life::kFresh:
        out.push_back(AddStandby{n8});
        out.push_back(AddStandby{n8});
        out.push_back(RestoreFromBackup{n8});
        break;
      case Life::kMember: {
        if (n.role == Role::kStandalone) {
          out.push_back(ConfigureHa{n8});
          out.push_back(ConfigureHa{n8});
        }
        for (int m = 0; m < nmasks; ++m) {
          out.push_back(DeleteStandby{n8, Channel::kApiOnPrimary, masks[m]});
          out.push_back(Promote{n8, n8, masks[m]});
        }
        out.push_back(DeleteStandby{n8, Channel::kConsole, 0});
        out.push_back(DeleteStandby{n8, Channel::kApiOnStandby, 0});
        if (leader >= 0 && leader != i) {
          out.push_back(Promote{n8, static_cast<std::uint8_t>(leader), 0});
        }
        out.push_back(ReturnToStandalone{n8});
        for (int sv = 0; sv < kServiceCount; ++sv) {
          auto svc = static_cast<Service>(sv);
          const bool may_fail = s.faults >> sv & 1;
          if (n.services_down >> sv & 1) {
            out.push_back(ServiceUp{n8, svc});
          } else if (may_fail || sv % 4 == 1) {  // a few refused ones too
            out.push_back(ServiceDown{n8, svc});
          }
        }
        out.push_back(n.reachable ? Op{NodeDown{n8}} : Op{NodeUp{n8}});
        out.push_back(n.password_expired ? Op{ChangePassword{n8}} : Op{PasswordExpires{n8}});
        out.push_back(FallBehind{n8});
        out.push_back(StageUpdate{n8, Via::kNodeAddress});
        out.push_back(StageUpdate{n8, Via::kLoadBalancer});
        out.push_back(ApplyUpdate{n8, Via::kNodeAddress});
        out.push_back(ApplyUpdate{n8, Via::kLoadBalancer});
        if (n.updating) {
          out.push_back(CompleteUpdate{n8});
          out.push_back(CompleteUpdate{n8});
        }
        out.push_back(Request{n8, false});
        out.push_back(Request{n8, true});
        break;
      }
    }
  }
}

// ---- Invariants --------------------------------------------------------------

void Dsm::CheckInvariants(const State& s, std::vector<FindingT>& out,
                          std::vector<RuleId>* premises) {
  int primaries = 0, standalones = 0, secondaries = 0, members = 0, updating = 0;
  int primary = -1;
  std::uint8_t bmin = 255, bmax = 0;
  bool out_of_sync = false;
  for (int i = 0; i < s.slots; ++i) {
    const Node& n = s.nodes[i];
    if (n.life != Life::kMember) continue;
    ++members;
    primaries += n.role == Role::kPrimary;
    standalones += n.role == Role::kStandalone;
    secondaries += n.role == Role::kSecondary;
    updating += n.updating;
    if (n.role == Role::kPrimary) primary = i;
    bmin = std::min(bmin, n.behind);
    bmax = std::max(bmax, n.behind);
    out_of_sync |= n.out_of_sync;
    if (n.out_of_sync && n.role != Role::kSecondary) {
      out.push_back({RuleId::kInvOutOfSyncSecondaryOnly,
                     "node " + SlotName(i) + " is Out of Sync but its role is " +
                         std::string(kRoleNames.Label(n.role))});
    }
  }
  if (premises && out_of_sync) premises->push_back(RuleId::kInvOutOfSyncSecondaryOnly);
  if (members == 0) return;
  if (premises) {
    premises->push_back(RuleId::kInvOnePrimary);
    premises->push_back(RuleId::kInvClusterSize);
    premises->push_back(RuleId::kInvAgentsAfterProviders);
    if (members > 1) premises->push_back(RuleId::kInvOneVersion);
    if (updating > 0) premises->push_back(RuleId::kInvOneNodeUpdating);
    if (primary >= 0 && secondaries > 0) premises->push_back(RuleId::kInvStandbyNotAhead);
  }
  bool ha = primaries + secondaries > 0;
  if (ha ? (primaries != 1 || standalones != 0) : standalones != 1) {
    out.push_back({RuleId::kInvOnePrimary,
                   std::to_string(primaries) + " Primary, " + std::to_string(secondaries) +
                       " Secondary and " + std::to_string(standalones) + " Standalone members"});
  }
  if (members > kMaxMembers) {
    out.push_back({RuleId::kInvClusterSize,
                   "the cluster has " + std::to_string(members) + " nodes (at most 4)"});
  }
  if (bmax - bmin > 1) {
    out.push_back({RuleId::kInvOneVersion, "members run from " + std::to_string(bmin) + " to " +
                                               std::to_string(bmax) +
                                               " releases behind the newest"});
  }
  if (updating > 1) {
    out.push_back({RuleId::kInvOneNodeUpdating,
                   std::to_string(updating) + " nodes are consuming an update at once"});
  }
  if (primary >= 0) {
    for (int i = 0; i < s.slots; ++i) {
      const Node& n = s.nodes[i];
      if (IsSecondary(n) && n.behind < s.nodes[primary].behind) {
        out.push_back({RuleId::kInvStandbyNotAhead,
                       "Standby " + SlotName(i) + " is " + std::to_string(n.behind) +
                           " release(s) behind but the Primary " + SlotName(primary) + " is " +
                           std::to_string(s.nodes[primary].behind)});
      }
    }
  }
  if (s.agents_behind < bmax) {
    out.push_back({RuleId::kInvAgentsAfterProviders,
                   "Agents are " + std::to_string(s.agents_behind) +
                       " release(s) behind but a Provider node is " + std::to_string(bmax)});
  }
}

void Dsm::CheckAdvisories(const State& s, std::vector<FindingT>& out) {
  int members = 0, secondaries = 0, active_secondaries = 0, lost = 0;
  bool ha = false;
  for (int i = 0; i < s.slots; ++i) {
    const Node& n = s.nodes[i];
    if (n.life != Life::kMember) continue;
    ++members;
    ha |= n.role != Role::kStandalone;
    Status st = DeriveStatus(n);
    if (n.role == Role::kSecondary) {
      ++secondaries;
      active_secondaries += st == Status::kActiveMode;
      lost += DownOrCoreLost(n);
    }
    if (st == Status::kOutOfSync) {
      out.push_back(
          {RuleId::kAdvDeleteOutOfSync, "node " + SlotName(i) + " is Out of Sync: delete it"});
    }
  }
  if (!ha) return;
  if (members < 3) {
    out.push_back({RuleId::kAdvBelowMinimum, "the HA cluster has " + std::to_string(members) +
                                                 " node(s); 3 to 4 are supported"});
  }
  if (secondaries > 0 && active_secondaries == 0) {
    out.push_back({RuleId::kAdvActiveSecondary, "no Secondary is in Active Mode"});
  }
  if (secondaries > 0 && lost == secondaries) {
    out.push_back({RuleId::kAdvSecondariesLost,
                   "all " + std::to_string(secondaries) +
                       " Secondaries are down or have apms or vpostgresql down"});
  }
}

// ---- Observation -------------------------------------------------------------

Observation Dsm::Observe(const State& s) {
  Observation o;
  for (int i = 0; i < s.slots; ++i) {
    const Node& n = s.nodes[i];
    NodeObs& v = o.nodes[i];
    v.listed = n.life == Life::kMember;
    if (n.life != Life::kMember) continue;  // the model knows no other VM's services
    v.role = n.role;
    v.status = DeriveStatus(n);
    v.behind = n.behind;
    v.answers = n.reachable;
    if (!n.reachable) continue;
    for (int sv = 0; sv < kShownServices; ++sv) {
      // The model does not tell INACTIVE from FAILED; it shows FAILED.
      v.services[sv] = (n.services_down >> sv & 1) ? ServiceState::kFailed : ServiceState::kActive;
    }
  }
  return o;
}

Fit Dsm::Consistent(const State& s, const Observation& obs, std::vector<FindingT>* why) {
  Fit fit = Fit::kMatch;
  auto note = [&](Fit f, RuleId r, std::string detail) {
    if (f > fit) fit = f;
    if (why) why->push_back({r, std::move(detail)});
  };
  for (int i = 0; i < kMaxSlots; ++i) {
    const NodeObs& v = obs.nodes[i];
    const std::string name = SlotName(i);
    const bool member = i < s.slots && s.nodes[i].life == Life::kMember;
    const Node& n = s.nodes[i];
    if (v.listed && *v.listed != member) {
      note(Fit::kMismatch, RuleId::kObsHaNodes,
           name + (member ? " is a member but is not listed" : " is listed but is no member"));
    }
    if (!member) {
      if (v.role || v.status || v.behind) {
        note(Fit::kMismatch, RuleId::kObsHaNodes,
             name + " is shown with a role or status but is no member");
      }
      if ((v.answers && *v.answers) ||
          std::any_of(v.services.begin(), v.services.end(), [](const auto& x) { return x; })) {
        if (i >= s.slots) {
          note(Fit::kMismatch, RuleId::kObsApplianceStatus, name + " is not a configured slot");
        }
      }
      continue;
    }
    if (v.role && *v.role != n.role) {
      note(Fit::kMismatch, RuleId::kObsHaNodes,
           name + " is shown " + std::string(kRoleNames.Name(*v.role)) + " but is " +
               std::string(kRoleNames.Name(n.role)));
    }
    if (v.behind && *v.behind != n.behind) {
      note(Fit::kMismatch, RuleId::kObsHaNodes,
           name + " is shown " + std::to_string(*v.behind) + " release(s) behind but is " +
               std::to_string(n.behind));
    }
    if (v.status) {
      const Status own = DeriveStatus(n);
      if (*v.status != own) {
        const std::string shown(kStatusNames.Label(*v.status));
        if (StatusConditionHolds(n, *v.status)) {
          note(Fit::kDeparture, RuleId::kStatusPrecedence,
               name + " shows " + shown +
                   ", whose condition holds, where the assumed precedence "
                   "picks " +
                   std::string(kStatusNames.Label(own)));
        } else {
          note(Fit::kMismatch, RuleOfStatus(*v.status),
               name + " shows " + shown + " but its condition does not hold (the node is " +
                   std::string(kStatusNames.Label(own)) + ")");
        }
      }
    }
    if (v.answers && *v.answers != n.reachable) {
      note(Fit::kMismatch, RuleId::kObsApplianceStatus,
           name + (n.reachable ? "'s /appliance/status did not answer but its VM is up"
                               : "'s /appliance/status answered but its VM is down"));
    }
    for (int sv = 0; sv < kShownServices; ++sv) {
      if (!v.services[sv]) continue;
      const std::string svc(kServiceNames.Name(static_cast<Service>(sv)));
      if (!n.reachable) {
        note(Fit::kMismatch, RuleId::kObsApplianceStatus,
             name + " reports " + svc + " but its VM is down");
        continue;
      }
      const bool down = n.services_down >> sv & 1;
      if ((*v.services[sv] != ServiceState::kActive) != down) {
        note(Fit::kMismatch, RuleId::kObsApplianceStatus,
             name + " reports " + svc + " " +
                 std::string(kServiceStateNames.Name(*v.services[sv])) + " but it is " +
                 (down ? "down" : "up"));
      }
    }
  }
  return fit;
}

Observation Merge(const Observation& a, const Observation& b) {
  Observation o = a;
  for (int i = 0; i < kMaxSlots; ++i) {
    NodeObs& x = o.nodes[i];
    const NodeObs& y = b.nodes[i];
    if (y.listed) x.listed = y.listed;
    if (y.role) x.role = y.role;
    if (y.status) x.status = y.status;
    if (y.behind) x.behind = y.behind;
    if (y.answers) x.answers = y.answers;
    for (int sv = 0; sv < kShownServices; ++sv) {
      if (y.services[sv]) x.services[sv] = y.services[sv];
    }
  }
  return o;
}

void Dsm::NodeStatuses(const State& s, std::vector<int>& out) {
  for (int i = 0; i < s.slots; ++i) {
    const Node& n = s.nodes[i];
    out.push_back(n.life == Life::kMember ? static_cast<int>(DeriveStatus(n)) : -1);
  }
}

// ---- Canonical form, hash, show -----------------------------------------------

// Facts that can never show nor matter again are folded: everything of an
// empty or retired slot, the services and health of a fresh VM (not
// modelled). A member's facts are all kept: /appliance/status shows each
// service by name, so no two services are interchangeable, and a fact hidden
// now (the services of a down VM, coredns behind another Critical service)
// shows again later. The configuration's fault set bounds them instead.
State Dsm::Canonical(const State& s) {
  State t = s;
  for (int i = 0; i < kMaxSlots; ++i) {
    Node& n = t.nodes[i];
    if (i >= t.slots) {
      n = Node{};
      continue;
    }
    switch (n.life) {
      case Life::kEmpty:
        n = Node{};
        break;
      case Life::kRetired:
        Retire(n);
        break;
      case Life::kFresh: {
        std::uint8_t b = n.behind;
        n = Node{};
        n.life = Life::kFresh;
        n.behind = b;
        break;
      }
      case Life::kMember:
        break;
    }
  }
  return t;
}

std::uint64_t Dsm::NodeKey(const State& s, int i) {
  const Node& n = s.nodes[i];
  return static_cast<std::uint64_t>(n.life) | (static_cast<std::uint64_t>(n.role) << 2) |
         (static_cast<std::uint64_t>(n.services_down) << 4) |
         (static_cast<std::uint64_t>(n.behind) << 12) |
         (static_cast<std::uint64_t>(n.reachable) << 14) |
         (static_cast<std::uint64_t>(n.password_expired) << 15) |
         (static_cast<std::uint64_t>(n.ha_config) << 16) |
         (static_cast<std::uint64_t>(n.out_of_sync) << 17) |
         (static_cast<std::uint64_t>(n.staged) << 18) |
         (static_cast<std::uint64_t>(n.updating) << 19);
}

State Dsm::PermuteNodes(const State& s, std::span<const std::uint8_t> to) {
  State t = s;
  for (std::size_t i = 0; i < to.size() && i < kMaxSlots; ++i) t.nodes[to[i]] = s.nodes[i];
  return t;
}

std::size_t Dsm::Hash(const State& s) {
  std::size_t h = s.slots;
  HashCombine(h, s.faults);
  HashCombine(h, s.agents_behind);
  for (const Node& n : s.nodes) {
    HashCombine(h, static_cast<unsigned>(n.life) | (static_cast<unsigned>(n.role) << 2) |
                       (static_cast<unsigned>(n.services_down) << 4) |
                       (static_cast<unsigned>(n.behind) << 12) |
                       (static_cast<unsigned>(n.reachable) << 14) |
                       (static_cast<unsigned>(n.password_expired) << 15) |
                       (static_cast<unsigned>(n.ha_config) << 16) |
                       (static_cast<unsigned>(n.out_of_sync) << 17) |
                       (static_cast<unsigned>(n.staged) << 18) |
                       (static_cast<unsigned>(n.updating) << 19));
  }
  return h;
}

std::string Dsm::Show(const State& s, const Nodes& nodes) {
  std::vector<std::string> parts;
  for (int i = 0; i < s.slots; ++i) {
    const Node& n = s.nodes[i];
    if (n.life == Life::kEmpty) continue;
    std::string p = NameOf(nodes, i) + ":";
    if (n.life != Life::kMember) {
      p += std::string(kLifeNames.Name(n.life));
      if (n.life == Life::kFresh && n.behind) p += " -" + std::to_string(n.behind);
      parts.push_back(p);
      continue;
    }
    p += std::string(kRoleNames.Name(n.role)) + "/" +
         std::string(kStatusNames.Name(DeriveStatus(n)));
    if (n.behind) p += " -" + std::to_string(n.behind);
    for (int sv = 0; sv < kServiceCount; ++sv) {
      if (n.services_down >> sv & 1) {
        p += " " + std::string(kServiceNames.Name(static_cast<Service>(sv))) + "-down";
      }
    }
    if (!n.reachable) p += " vm-down";
    if (n.password_expired) p += " pw-expired";
    if (n.ha_config) p += " configuring";
    if (n.out_of_sync) p += " behind-primary";
    if (n.staged) p += " staged";
    if (n.updating) p += " updating";
    parts.push_back(p);
  }
  std::string agents = "agents -" + std::to_string(s.agents_behind);
  parts.push_back(agents);
  return "{" + Join(parts, ", ") + "}";
}

std::string Dsm::Show(const Observation& o, const Nodes& nodes) {
  std::vector<std::string> parts;
  for (int i = 0; i < kMaxSlots; ++i) {
    const NodeObs& v = o.nodes[i];
    std::vector<std::string> f;
    if (v.listed && !*v.listed) f.push_back("not listed");
    if (v.role) f.push_back(std::string(kRoleNames.Name(*v.role)));
    if (v.status) f.push_back(std::string(kStatusNames.Label(*v.status)));
    if (v.behind && *v.behind) f.push_back("-" + std::to_string(*v.behind));
    if (v.answers && !*v.answers) f.push_back("no /appliance/status");
    for (int sv = 0; sv < kShownServices; ++sv) {
      if (v.services[sv] && *v.services[sv] != ServiceState::kActive) {
        f.push_back(std::string(kServiceNames.Name(static_cast<Service>(sv))) + " " +
                    std::string(kServiceStateNames.Name(*v.services[sv])));
      }
    }
    if (f.empty()) continue;
    if (v.listed && !*v.listed && f.size() == 1) continue;  // non-members: noise
    parts.push_back(NameOf(nodes, i) + " " + Join(f, " "));
  }
  return "[" + Join(parts, "; ") + "]";
}

}  // namespace haspec::dsm
