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

constexpr auto kStatusNameList = kStatusNames.Labels();

using OutcomeT = Dsm::OutcomeT;


bool ValidSlot(int n) { return n >= 0 && n < kSlots; }
bool IsMember(const State& s, int n) {
  return ValidSlot(n) && s.nodes[n].life == Life::kMember;
}

int CountMembers(const State& s) {
  int c = 0;
  for (const Node& n : s.nodes) c += n.life == Life::kMember;
  return c;
}

// Slot of the Primary, or of the standalone provider before HA; -1 if none.
int LeaderSlot(const State& s) {
  for (int i = 0; i < kSlots; ++i) {
    const Node& n = s.nodes[i];
    if (n.life == Life::kMember &&
        (n.role == Role::kPrimary || n.role == Role::kStandalone)) {
      return i;
    }
  }
  return -1;
}

int PrimarySlot(const State& s) {
  int l = LeaderSlot(s);
  return (l >= 0 && s.nodes[l].role == Role::kPrimary) ? l : -1;
}

bool AnyMember(const State& s, bool (*pred)(const Node&)) {
  for (const Node& n : s.nodes) {
    if (n.life == Life::kMember && pred(n)) return true;
  }
  return false;
}

bool IsSecondary(const Node& n) {
  return n.life == Life::kMember && n.role == Role::kSecondary;
}

// Seed 000: the cluster has Secondaries and every one is down or Lost
// Connectivity.
bool AllSecondariesLost(const State& s) {
  bool any = false;
  for (const Node& n : s.nodes) {
    if (!IsSecondary(n)) continue;
    any = true;
    if (DeriveStatus(n) != Status::kLostConnectivity) return false;
  }
  return any;
}

// Secondaries in `failed` (other than `except`) become Out of Sync.
// Returns whether any did.
bool FailReconfiguration(State& s, std::uint8_t failed, int except) {
  bool any = false;
  for (int i = 0; i < kSlots; ++i) {
    if (i == except || !(failed & (1u << i)) || !IsSecondary(s.nodes[i])) continue;
    s.nodes[i].out_of_sync = true;
    any = true;
  }
  return any;
}

Node FreshVm(std::uint8_t version) {
  Node n;
  n.life = Life::kFresh;
  n.version = version;
  return n;
}

void Retire(Node& n) {
  std::uint8_t v = n.version;
  n = Node{};
  n.life = Life::kRetired;
  n.version = v;
}

// The checks shared by Add, Delete and Promote, in the order a user would
// want them reported.
bool ReconfigurationBlocked(const State& s, RuleId& why) {
  if (AnyMember(s, [](const Node& n) { return n.ha_config; })) {
    why = RuleId::kPreOneReconfig;
    return true;
  }
  if (AllSecondariesLost(s)) {
    why = RuleId::kPreAllSecondariesLost;
    return true;
  }
  return false;
}

bool AnyUpdating(const State& s) {
  return AnyMember(s, [](const Node& n) { return n.updating; });
}

struct Stepper {
  const State& s;

  OutcomeT operator()(const DeployVm& op) const {
    if (!ValidSlot(op.node)) return Rejected(s, RuleId::kPreTargetState);
    const Node& n = s.nodes[op.node];
    if (n.life != Life::kEmpty && n.life != Life::kRetired) {
      return Rejected(s, RuleId::kPreTargetState);
    }
    if (op.previous_ova && s.latest <= 1) return Rejected(s, RuleId::kPreTargetState);
    State t = s;
    t.nodes[op.node] = FreshVm(op.previous_ova ? s.latest - 1 : s.latest);
    if (CountMembers(s) == 0) {
      t.nodes[op.node].life = Life::kMember;
      t.nodes[op.node].role = Role::kStandalone;
      if (t.nodes[op.node].version < t.agent_version) {
        t.agent_version = t.nodes[op.node].version;
      }
    }
    return Accepted(t, RuleId::kDeploy);
  }

  OutcomeT operator()(const ConfigureHa& op) const {
    if (!IsMember(s, op.node) || s.nodes[op.node].role != Role::kStandalone) {
      return Rejected(s, RuleId::kPreTargetState);
    }
    State t = s;
    t.nodes[op.node].role = Role::kPrimary;
    return Accepted(t, RuleId::kConfigureHa);
  }

  OutcomeT operator()(const AddStandby& op) const {
    if (!ValidSlot(op.node)) return Rejected(s, RuleId::kPreTargetState);
    const Node& n = s.nodes[op.node];
    if (n.life == Life::kRetired) return Rejected(s, RuleId::kPreDeletedNeverRejoins);
    if (n.life != Life::kFresh) return Rejected(s, RuleId::kPreTargetState);
    int p = PrimarySlot(s);
    if (p < 0) return Rejected(s, RuleId::kPreTargetState);
    if (CountMembers(s) >= kMaxMembers) return Rejected(s, RuleId::kPreClusterFull);
    if (AnyUpdating(s)) return Rejected(s, RuleId::kPreMaintenanceNoAddDelete);
    RuleId why;
    if (ReconfigurationBlocked(s, why)) return Rejected(s, why);
    if (n.version != s.nodes[p].version) return Rejected(s, RuleId::kPreSameVersion);
    State t = s;
    Node& m = t.nodes[op.node];
    m.life = Life::kMember;
    m.role = Role::kSecondary;
    m.ha_config = true;
    return Accepted(t, RuleId::kAddStandby);
  }

  OutcomeT operator()(const FinishHaConfig& op) const {
    int joining = -1;
    for (int i = 0; i < kSlots; ++i) {
      if (IsMember(s, i) && s.nodes[i].ha_config) joining = i;
    }
    if (joining < 0) return Rejected(s, RuleId::kPreTargetState);
    State t = s;
    t.nodes[joining].ha_config = false;
    bool failed = FailReconfiguration(t, op.failed, -1);
    return Accepted(t, failed ? RuleId::kReconfigFails : RuleId::kHaConfigDone);
  }

  OutcomeT operator()(const DeleteStandby& op) const {
    if (op.channel == Channel::kConsole) return Rejected(s, RuleId::kPreDeleteApiOnly);
    if (op.channel != Channel::kApiOnPrimary) {
      return Rejected(s, RuleId::kPreDeleteOnPrimary);
    }
    if (!IsMember(s, op.node)) return Rejected(s, RuleId::kPreTargetState);
    const Node& n = s.nodes[op.node];
    if (n.role != Role::kSecondary) return Rejected(s, RuleId::kPreDeleteTargetStandby);
    if (n.ha_config) return Rejected(s, RuleId::kPreHaConfigNoOperation);
    if (AnyUpdating(s)) return Rejected(s, RuleId::kPreMaintenanceNoAddDelete);
    RuleId why;
    if (ReconfigurationBlocked(s, why)) return Rejected(s, why);
    State t = s;
    Retire(t.nodes[op.node]);
    bool failed = FailReconfiguration(t, op.failed, op.node);
    return Accepted(t, failed ? RuleId::kReconfigFails : RuleId::kDeleteStandby);
  }

  OutcomeT operator()(const Promote& op) const {
    if (op.run_on != op.node) return Rejected(s, RuleId::kPrePromoteOnStandby);
    if (!IsMember(s, op.node)) return Rejected(s, RuleId::kPreTargetState);
    const Node& n = s.nodes[op.node];
    if (n.role != Role::kSecondary) return Rejected(s, RuleId::kPrePromoteTargetStandby);
    if (n.ha_config) return Rejected(s, RuleId::kPreHaConfigNoOperation);
    RuleId why;
    if (ReconfigurationBlocked(s, why)) return Rejected(s, why);
    if (DeriveStatus(n) != Status::kActiveMode) {
      return Rejected(s, RuleId::kPrePromoteTargetHealthy);
    }
    int p = PrimarySlot(s);
    if (p >= 0 && s.nodes[p].version != n.version) {
      return Rejected(s, RuleId::kPrePromoteSameVersion);
    }
    State t = s;
    if (p >= 0) Retire(t.nodes[p]);
    t.nodes[op.node].role = Role::kPrimary;
    t.nodes[op.node].staged = false;
    bool failed = FailReconfiguration(t, op.failed, op.node);
    return Accepted(t, failed ? RuleId::kReconfigFails : RuleId::kPromote);
  }

  OutcomeT operator()(const ReturnToStandalone& op) const {
    if (!IsMember(s, op.node) || s.nodes[op.node].role == Role::kStandalone) {
      return Rejected(s, RuleId::kPreTargetState);
    }
    return Rejected(s, RuleId::kPreNoReturnToStandalone);
  }

  OutcomeT operator()(const RestoreFromBackup& op) const {
    if (!ValidSlot(op.node) || s.nodes[op.node].life != Life::kFresh) {
      return Rejected(s, RuleId::kPreTargetState);
    }
    int p = PrimarySlot(s);
    if (p < 0 || CountMembers(s) != 1) {
      return Rejected(s, RuleId::kPreRestoreSinglePrimary);
    }
    State t = s;
    std::uint8_t v = s.nodes[p].version;
    Retire(t.nodes[p]);
    Node& m = t.nodes[op.node];
    m = FreshVm(v);
    m.life = Life::kMember;
    m.role = Role::kStandalone;
    return Accepted(t, RuleId::kRestoreFromBackup);
  }

  OutcomeT operator()(const ServiceDown& op) const {
    if (!IsMember(s, op.node)) return Rejected(s, RuleId::kPreTargetState);
    State t = s;
    t.nodes[op.node].services_down |= static_cast<std::uint8_t>(1u << static_cast<int>(op.service));
    return Accepted(t, StatusRule(t.nodes[op.node]));
  }

  OutcomeT operator()(const ServiceUp& op) const {
    if (!IsMember(s, op.node)) return Rejected(s, RuleId::kPreTargetState);
    State t = s;
    t.nodes[op.node].services_down &= static_cast<std::uint8_t>(~(1u << static_cast<int>(op.service)));
    return Accepted(t, RuleId::kServiceRestored);
  }

  OutcomeT operator()(const NodeDown& op) const {
    if (!IsMember(s, op.node)) return Rejected(s, RuleId::kPreTargetState);
    State t = s;
    t.nodes[op.node].reachable = false;
    return Accepted(t, StatusRule(t.nodes[op.node]));
  }

  OutcomeT operator()(const NodeUp& op) const {
    if (!IsMember(s, op.node)) return Rejected(s, RuleId::kPreTargetState);
    State t = s;
    t.nodes[op.node].reachable = true;
    return Accepted(t, RuleId::kServiceRestored);
  }

  OutcomeT operator()(const PasswordExpires& op) const {
    if (!IsMember(s, op.node)) return Rejected(s, RuleId::kPreTargetState);
    State t = s;
    t.nodes[op.node].password_expired = true;
    return Accepted(t, RuleId::kStatusUnknown);
  }

  OutcomeT operator()(const ChangePassword& op) const {
    if (!IsMember(s, op.node)) return Rejected(s, RuleId::kPreTargetState);
    if (s.nodes[op.node].ha_config) return Rejected(s, RuleId::kPreHaConfigNoOperation);
    State t = s;
    t.nodes[op.node].password_expired = false;
    return Accepted(t, RuleId::kChangePassword);
  }

  OutcomeT operator()(const FallBehind& op) const {
    if (!IsMember(s, op.node)) return Rejected(s, RuleId::kPreTargetState);
    if (s.nodes[op.node].role != Role::kSecondary) {
      return Rejected(s, RuleId::kInvOutOfSyncSecondaryOnly);
    }
    State t = s;
    t.nodes[op.node].out_of_sync = true;
    return Accepted(t, RuleId::kStatusOutOfSync);
  }

  OutcomeT operator()(const ReleaseUpdate&) const {
    if (s.latest >= kMaxVersion) return Rejected(s, RuleId::kPreOneRollout);
    for (const Node& n : s.nodes) {
      if (n.life == Life::kMember && n.version != s.latest) {
        return Rejected(s, RuleId::kPreOneRollout);
      }
    }
    State t = s;
    ++t.latest;
    return Accepted(t, RuleId::kRelease);
  }

  // Guards shared by stage and apply, in reporting order.
  bool UpdateBlocked(int node, Via via, RuleId& why) const {
    if (via != Via::kNodeAddress) { why = RuleId::kPreUpdateNotViaLb; return true; }
    if (!IsMember(s, node) || s.nodes[node].version >= s.latest) {
      why = RuleId::kPreTargetState;
      return true;
    }
    if (s.nodes[node].ha_config) { why = RuleId::kPreHaConfigNoOperation; return true; }
    if (DeriveStatus(s.nodes[node]) != Status::kActiveMode) {
      why = RuleId::kPreUpdateActiveOnly;
      return true;
    }
    return false;
  }

  OutcomeT operator()(const StageUpdate& op) const {
    RuleId why;
    if (UpdateBlocked(op.node, op.via, why)) return Rejected(s, why);
    State t = s;
    t.nodes[op.node].staged = true;
    return Accepted(t, RuleId::kStage);
  }

  OutcomeT operator()(const ApplyUpdate& op) const {
    RuleId why;
    if (UpdateBlocked(op.node, op.via, why)) return Rejected(s, why);
    if (!s.nodes[op.node].staged) return Rejected(s, RuleId::kPreApplyNeedsStage);
    if (AnyUpdating(s)) return Rejected(s, RuleId::kPreSequential);
    if (s.nodes[op.node].role == Role::kSecondary) {
      int p = PrimarySlot(s);
      if (p >= 0 && s.nodes[p].version < s.latest) {
        return Rejected(s, RuleId::kPrePrimaryFirst);
      }
    }
    State t = s;
    t.nodes[op.node].updating = true;
    return Accepted(t, RuleId::kApply);
  }

  OutcomeT operator()(const CompleteUpdate& op) const {
    if (!IsMember(s, op.node) || !s.nodes[op.node].updating) {
      return Rejected(s, RuleId::kPreTargetState);
    }
    State t = s;
    Node& n = t.nodes[op.node];
    n.updating = false;
    n.staged = false;
    n.version = s.latest;
    return Accepted(t, RuleId::kUpdateComplete);
  }

  OutcomeT operator()(const UpdateAgents&) const {
    if (s.agent_version >= s.latest || CountMembers(s) == 0) {
      return Rejected(s, RuleId::kPreTargetState);
    }
    for (const Node& n : s.nodes) {
      if (n.life == Life::kMember && (n.version != s.latest || n.updating)) {
        return Rejected(s, RuleId::kPreAgentsAfterProviders);
      }
    }
    State t = s;
    t.agent_version = s.latest;
    return Accepted(t, RuleId::kAgentUpdate);
  }

  OutcomeT operator()(const Request& op) const {
    if (!IsMember(s, op.node)) return Rejected(s, RuleId::kPreTargetState);
    if (DeriveStatus(s.nodes[op.node]) != Status::kActiveMode) {
      return Rejected(s, RuleId::kPreLbActiveOnly);
    }
    if (!op.write) return Accepted(s, RuleId::kReadAnyNode);
    int l = LeaderSlot(s);
    if (l < 0 || DeriveStatus(s.nodes[l]) == Status::kLostConnectivity) {
      return Rejected(s, RuleId::kPreWriteNeedsPrimary);
    }
    return Accepted(s, RuleId::kWriteToPrimary);
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

}  // namespace

std::string NodeName(int slot) { return "n" + std::to_string(slot); }

RuleId StatusRule(const Node& n) {
  if (n.password_expired) return RuleId::kStatusUnknown;
  if (!n.reachable || (n.services_down & kCoreServices)) {
    return RuleId::kStatusLostConnectivity;
  }
  if (n.ha_config) return RuleId::kStatusHaConfig;
  if (n.updating) return RuleId::kStatusMaintenance;
  if (n.out_of_sync && n.role == Role::kSecondary) return RuleId::kStatusOutOfSync;
  if (n.services_down) return RuleId::kStatusCritical;
  return RuleId::kStatusActive;
}

Status DeriveStatus(const Node& n) {
  switch (StatusRule(n)) {
    case RuleId::kStatusUnknown: return Status::kUnknown;
    case RuleId::kStatusLostConnectivity: return Status::kLostConnectivity;
    case RuleId::kStatusHaConfig: return Status::kHaConfigInProgress;
    case RuleId::kStatusMaintenance: return Status::kMaintenanceMode;
    case RuleId::kStatusOutOfSync: return Status::kOutOfSync;
    case RuleId::kStatusCritical: return Status::kCritical;
    default: return Status::kActiveMode;
  }
}

std::span<const Rule> Dsm::Rules() { return kRules; }
std::span<const std::string_view> Dsm::StatusNames() { return kStatusNameList; }

Dsm::OutcomeT Dsm::Step(const State& s, const Op& op) {
  return std::visit(Stepper{s}, op);
}

void Dsm::CandidateOps(const State& s, std::vector<Op>& out) {
  // Reconfiguration failure choices: none, each Secondary alone, all of them.
  std::uint8_t all_secondaries = 0;
  for (int i = 0; i < kSlots; ++i) {
    if (IsSecondary(s.nodes[i])) all_secondaries |= static_cast<std::uint8_t>(1u << i);
  }
  std::array<std::uint8_t, kSlots + 2> masks{};
  int nmasks = 0;
  masks[nmasks++] = 0;
  for (int i = 0; i < kSlots; ++i) {
    if (all_secondaries & (1u << i)) masks[nmasks++] = static_cast<std::uint8_t>(1u << i);
  }
  if (std::popcount(all_secondaries) > 1) masks[nmasks++] = all_secondaries;

  bool configuring = false;
  for (const Node& n : s.nodes) configuring |= n.life == Life::kMember && n.ha_config;
  if (configuring) {
    for (int m = 0; m < nmasks; ++m) out.push_back(FinishHaConfig{masks[m]});
  }
  out.push_back(ReleaseUpdate{});
  out.push_back(UpdateAgents{});

  int leader = LeaderSlot(s);
  for (int i = 0; i < kSlots; ++i) {
    const auto n8 = static_cast<std::uint8_t>(i);
    const Node& n = s.nodes[i];
    switch (n.life) {
      case Life::kEmpty:
      case Life::kRetired:
        out.push_back(DeployVm{n8, false});
        if (s.latest > 1) out.push_back(DeployVm{n8, true});
        if (n.life == Life::kRetired) out.push_back(AddStandby{n8});
        break;
      case Life::kFresh:
        out.push_back(AddStandby{n8});
        out.push_back(RestoreFromBackup{n8});
        break;
      case Life::kMember: {
        if (n.role == Role::kStandalone) out.push_back(ConfigureHa{n8});
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
        for (int sv = 0; sv < static_cast<int>(kServiceNames.size()); ++sv) {
          auto svc = static_cast<Service>(sv);
          if (n.services_down & (1u << sv)) {
            out.push_back(ServiceUp{n8, svc});
          } else {
            out.push_back(ServiceDown{n8, svc});
          }
        }
        out.push_back(n.reachable ? Op{NodeDown{n8}} : Op{NodeUp{n8}});
        out.push_back(n.password_expired ? Op{ChangePassword{n8}}
                                         : Op{PasswordExpires{n8}});
        out.push_back(FallBehind{n8});
        out.push_back(StageUpdate{n8, Via::kNodeAddress});
        out.push_back(StageUpdate{n8, Via::kLoadBalancer});
        out.push_back(ApplyUpdate{n8, Via::kNodeAddress});
        out.push_back(ApplyUpdate{n8, Via::kLoadBalancer});
        if (n.updating) out.push_back(CompleteUpdate{n8});
        out.push_back(Request{n8, false});
        out.push_back(Request{n8, true});
        break;
      }
    }
  }
}

void Dsm::CheckInvariants(const State& s, std::vector<FindingT>& out) {
  int primaries = 0, standalones = 0, secondaries = 0, members = 0, updating = 0;
  int primary = -1;
  std::uint8_t vmin = 255, vmax = 0;
  for (int i = 0; i < kSlots; ++i) {
    const Node& n = s.nodes[i];
    if (n.life != Life::kMember) continue;
    ++members;
    primaries += n.role == Role::kPrimary;
    standalones += n.role == Role::kStandalone;
    secondaries += n.role == Role::kSecondary;
    updating += n.updating;
    if (n.role == Role::kPrimary) primary = i;
    vmin = std::min(vmin, n.version);
    vmax = std::max(vmax, n.version);
    if (n.out_of_sync && n.role != Role::kSecondary) {
      out.push_back({RuleId::kInvOutOfSyncSecondaryOnly,
                     "node " + NodeName(i) + " is Out of Sync but its role is " +
                         std::string(kRoleNames.Label(n.role))});
    }
  }
  if (members == 0) return;
  bool ha = primaries + secondaries > 0;
  if (ha ? (primaries != 1 || standalones != 0) : standalones != 1) {
    out.push_back({RuleId::kInvOnePrimary,
                   std::to_string(primaries) + " Primary, " + std::to_string(secondaries) +
                       " Secondary and " + std::to_string(standalones) +
                       " Standalone members"});
  }
  if (members > kMaxMembers) {
    out.push_back({RuleId::kInvClusterSize,
                   "the cluster has " + std::to_string(members) + " nodes (at most 4)"});
  }
  if (vmax - vmin > 1) {
    out.push_back({RuleId::kInvOneVersion,
                   "members run versions " + std::to_string(vmin) + " to " +
                       std::to_string(vmax)});
  }
  if (updating > 1) {
    out.push_back({RuleId::kInvOneNodeUpdating,
                   std::to_string(updating) + " nodes are consuming an update at once"});
  }
  if (primary >= 0) {
    for (int i = 0; i < kSlots; ++i) {
      const Node& n = s.nodes[i];
      if (IsSecondary(n) && n.version > s.nodes[primary].version) {
        out.push_back({RuleId::kInvStandbyNotAhead,
                       "Standby " + NodeName(i) + " runs version " + std::to_string(n.version) +
                           " but the Primary " + NodeName(primary) + " runs " +
                           std::to_string(s.nodes[primary].version)});
      }
    }
  }
  if (s.agent_version > vmin) {
    out.push_back({RuleId::kInvAgentsAfterProviders,
                   "Agents run version " + std::to_string(s.agent_version) +
                       " but a Provider node runs " + std::to_string(vmin)});
  }
}

void Dsm::CheckAdvisories(const State& s, std::vector<FindingT>& out) {
  int members = 0, secondaries = 0, active_secondaries = 0, lost = 0;
  bool ha = false;
  for (int i = 0; i < kSlots; ++i) {
    const Node& n = s.nodes[i];
    if (n.life != Life::kMember) continue;
    ++members;
    ha |= n.role != Role::kStandalone;
    Status st = DeriveStatus(n);
    if (n.role == Role::kSecondary) {
      ++secondaries;
      active_secondaries += st == Status::kActiveMode;
      lost += st == Status::kLostConnectivity;
    }
    if (st == Status::kOutOfSync) {
      out.push_back({RuleId::kAdvDeleteOutOfSync,
                     "node " + NodeName(i) + " is Out of Sync: delete it"});
    }
  }
  if (!ha) return;
  if (members < 3) {
    out.push_back({RuleId::kAdvBelowMinimum,
                   "the HA cluster has " + std::to_string(members) + " node(s); 3 to 4 are supported"});
  }
  if (secondaries > 0 && active_secondaries == 0) {
    out.push_back({RuleId::kAdvActiveSecondary, "no Secondary is in Active Mode"});
  }
  if (secondaries > 0 && lost == secondaries) {
    out.push_back({RuleId::kAdvSecondariesLost,
                   "all " + std::to_string(secondaries) + " Secondaries are Lost Connectivity"});
  }
}

Observation Dsm::Observe(const State& s) {
  Observation o;
  for (int i = 0; i < kSlots; ++i) {
    const Node& n = s.nodes[i];
    if (n.life != Life::kMember) continue;
    o.nodes.push_back({static_cast<std::uint8_t>(i), n.role, DeriveStatus(n)});
  }
  return o;
}

std::size_t Dsm::Hash(const State& s) {
  std::size_t h = 0;
  for (const Node& n : s.nodes) {
    HashCombine(h, (static_cast<unsigned>(n.life) << 0) | (static_cast<unsigned>(n.role) << 2) |
                       (static_cast<unsigned>(n.services_down) << 4) |
                       (static_cast<unsigned>(n.version) << 12) |
                       (static_cast<unsigned>(n.reachable) << 20) |
                       (static_cast<unsigned>(n.password_expired) << 21) |
                       (static_cast<unsigned>(n.ha_config) << 22) |
                       (static_cast<unsigned>(n.out_of_sync) << 23) |
                       (static_cast<unsigned>(n.staged) << 24) |
                       (static_cast<unsigned>(n.updating) << 25));
  }
  HashCombine(h, s.latest);
  HashCombine(h, s.agent_version);
  return h;
}

std::string Dsm::Show(const State& s) {
  std::vector<std::string> parts;
  for (int i = 0; i < kSlots; ++i) {
    const Node& n = s.nodes[i];
    if (n.life == Life::kEmpty) continue;
    std::string p = NodeName(i) + ":";
    if (n.life != Life::kMember) {
      p += std::string(kLifeNames.Name(n.life)) + " v" + std::to_string(n.version);
      parts.push_back(p);
      continue;
    }
    p += std::string(kRoleNames.Name(n.role)) + "/" +
         std::string(kStatusNames.Name(DeriveStatus(n))) + " v" + std::to_string(n.version);
    for (int sv = 0; sv < static_cast<int>(kServiceNames.size()); ++sv) {
      if (n.services_down & (1u << sv)) {
        p += " -" + std::string(kServiceNames.Name(static_cast<Service>(sv)));
      }
    }
    if (!n.reachable) p += " down";
    if (n.password_expired) p += " pw-expired";
    if (n.out_of_sync) p += " behind";
    if (n.staged) p += " staged";
    parts.push_back(p);
  }
  return "{" + Join(parts, ", ") + (parts.empty() ? "" : ", ") + "latest v" +
         std::to_string(s.latest) + ", agents v" + std::to_string(s.agent_version) + "}";
}

std::string Dsm::Show(const Op& op) {
  struct Printer {
    std::string operator()(const DeployVm& o) const {
      return "deploy_vm " + NodeName(o.node) + (o.previous_ova ? " (previous .ova)" : "");
    }
    std::string operator()(const ConfigureHa& o) const { return "configure_ha " + NodeName(o.node); }
    std::string operator()(const AddStandby& o) const { return "add_standby " + NodeName(o.node); }
    std::string operator()(const FinishHaConfig& o) const {
      return "finish_ha_config" + Failed(o.failed);
    }
    std::string operator()(const DeleteStandby& o) const {
      return "delete_standby " + NodeName(o.node) + " via " +
             std::string(kChannelNames.Name(o.channel)) + Failed(o.failed);
    }
    std::string operator()(const Promote& o) const {
      return "promote " + NodeName(o.node) + " run on " + NodeName(o.run_on) + Failed(o.failed);
    }
    std::string operator()(const ReturnToStandalone& o) const {
      return "return_to_standalone " + NodeName(o.node);
    }
    std::string operator()(const RestoreFromBackup& o) const {
      return "restore_from_backup " + NodeName(o.node);
    }
    std::string operator()(const ServiceDown& o) const {
      return "service_down " + NodeName(o.node) + " " + std::string(kServiceNames.Name(o.service));
    }
    std::string operator()(const ServiceUp& o) const {
      return "service_up " + NodeName(o.node) + " " + std::string(kServiceNames.Name(o.service));
    }
    std::string operator()(const NodeDown& o) const { return "node_down " + NodeName(o.node); }
    std::string operator()(const NodeUp& o) const { return "node_up " + NodeName(o.node); }
    std::string operator()(const PasswordExpires& o) const {
      return "password_expires " + NodeName(o.node);
    }
    std::string operator()(const ChangePassword& o) const {
      return "change_password " + NodeName(o.node);
    }
    std::string operator()(const FallBehind& o) const { return "fall_behind " + NodeName(o.node); }
    std::string operator()(const ReleaseUpdate&) const { return "release_update"; }
    std::string operator()(const StageUpdate& o) const {
      return "stage_update " + NodeName(o.node) + " via " + std::string(kViaNames.Name(o.via));
    }
    std::string operator()(const ApplyUpdate& o) const {
      return "apply_update " + NodeName(o.node) + " via " + std::string(kViaNames.Name(o.via));
    }
    std::string operator()(const CompleteUpdate& o) const {
      return "complete_update " + NodeName(o.node);
    }
    std::string operator()(const UpdateAgents&) const { return "update_agents"; }
    std::string operator()(const Request& o) const {
      return std::string(o.write ? "write" : "read") + " request to " + NodeName(o.node);
    }
    static std::string Failed(std::uint8_t mask) {
      if (!mask) return "";
      std::vector<std::string> names;
      for (int i = 0; i < kSlots; ++i) {
        if (mask & (1u << i)) names.push_back(NodeName(i));
      }
      return " (reconfiguration fails on " + Join(names, ", ") + ")";
    }
  };
  return std::visit(Printer{}, op);
}

std::string Dsm::Show(const Observation& o) {
  std::vector<std::string> parts;
  for (const NodeView& v : o.nodes) {
    parts.push_back(NodeName(v.node) + " " + std::string(kRoleNames.Name(v.role)) + " " +
                    std::string(kStatusNames.Label(v.status)));
  }
  return "[" + Join(parts, "; ") + "]";
}

}  // namespace haspec::dsm
