#include "model/jsa/jsa.h"

#include <cstdint>

#include "model/core/hash.h"

namespace haspec::jsa {
namespace {

constexpr Rule kRules[] = {
#define HASPEC_RULE HASPEC_RULE_ENTRY
#include "model/jsa/rules.def"
#undef HASPEC_RULE
};

constexpr auto kStatusList = StatusInfos(kStatusNames);

using OutcomeT = Jsa::OutcomeT;
using FindingT = Jsa::FindingT;

bool Exists(const State& s, int h) { return h == kPrimary || (h == kSecondary && s.paired); }

bool Is(const State& s, int h, Status st) { return Exists(s, h) && s.hosts[h].status == st; }

// A host in any status but Active: nothing runs, no cluster IP.
void Idle(Host& x, Status st) {
  x.status = st;
  x.services = false;
  x.vip = false;
}

// Seed 003: the active system runs all services; S-QR-SEQ: the cluster IP
// moves to it. It now holds the active role.
void Activate(State& t, int h) {
  Host& x = t.hosts[h];
  x.status = Status::kActive;
  x.services = true;
  x.vip = true;
  t.holder = static_cast<std::uint8_t>(h);
}

// Seed 003: the secondary shows Active only when the primary HA host failed.
// The role already on the secondary, or a primary Failed or Restoring, is
// such a failure that the primary has not recovered from.
bool PrimaryFailed(const State& s) {
  const Status st = s.hosts[kPrimary].status;
  return s.holder == kSecondary || st == Status::kFailed || st == Status::kRestoring;
}

// Why the Active host's failure hands the role to nobody: the peer is not
// Standby.
RuleId NoFailoverRule(Status peer) {
  switch (peer) {
    case Status::kOffline:
      return RuleId::kNoFailoverPeerOffline;
    case Status::kNeedsUpgrade:
    case Status::kUpgrading:
      return RuleId::kNoFailoverDuringUpgrade;
    default:
      return RuleId::kNoFailoverNoStandby;
  }
}

// Where a host coming back into the pair lands (set online, restored,
// synchronized, upgraded, licensed). `restored` marks the end of a restore,
// where a primary beside an Active secondary is JSA-TR-RECOVERED-PRIMARY.
RuleId Land(State& t, int h, bool restored) {
  Host& x = t.hosts[h];
  if (!t.licensed) {
    Idle(x, Status::kNeedsLicense);
    return RuleId::kLandNeedsLicense;
  }
  if (h == kSecondary && t.secondary_release == Release::kBehind) {
    Idle(x, Status::kNeedsUpgrade);
    return RuleId::kLandNeedsUpgrade;
  }
  if (Is(t, Peer(h), Status::kActive)) {
    Idle(x, Status::kStandby);
    return (restored && h == kPrimary) ? RuleId::kRecoveredPrimary : RuleId::kLandStandby;
  }
  if (h == kSecondary && !PrimaryFailed(t)) {
    Idle(x, Status::kStandby);
    return RuleId::kLandStandbyPrimaryNotFailed;
  }
  Activate(t, h);
  return RuleId::kLandActive;
}

// The landings of host h returning from `pre`, appended to `out`: the
// model's own first; the recovered primary's Offline landing as a second
// answer of its own (S-JSA-FO Standby, S-SECNIK Offline); and, where
// JSA-TR-LAND-ACTIVE chose Active, Standby as a departure (dossier 4.2:
// "Standby or Active", the landing [RECON]). `rename` maps the landing rule
// to the rule reported (e.g. a Standby landing after a sync is SYNC-DONE).
template <class Rename>
void PushLandings(const State& pre, int h, bool restored, Rename rename,
                  std::vector<OutcomeT>& out) {
  State t = pre;
  const RuleId r = Land(t, h, restored);
  out.push_back(Accepted(t, rename(r)));
  if (r == RuleId::kRecoveredPrimary) {
    State off = t;
    Idle(off.hosts[h], Status::kOffline);
    out.push_back(Accepted(off, rename(r)));
  }
  if (r == RuleId::kLandActive) {
    State standby = pre;
    Idle(standby.hosts[h], Status::kStandby);
    out.push_back(Departing(standby, r, RuleId::kLandActive));
  }
}

RuleId Same(RuleId r) { return r; }

bool Transitional(Status st) {
  switch (st) {
    case Status::kSettingOffline:
    case Status::kSettingOnline:
    case Status::kOnline:
    case Status::kRestoring:
    case Status::kSynchronizing:
    case Status::kUpgrading:
      return true;
    default:
      return false;
  }
}

// ---- Refusals: every precondition that forbids the op, in report order. ----

struct RefusalsOf {
  const State& s;
  std::vector<RuleId>& out;

  // The host named must exist; nothing else is said of a missing secondary.
  bool Missing(std::uint8_t h) const {
    if (Exists(s, h)) return false;
    out.push_back(RuleId::kPreHostInPair);
    return true;
  }

  void operator()(const CreatePair&) const {
    if (s.paired) out.push_back(RuleId::kPrePairExists);
    if (!Is(s, kPrimary, Status::kActive)) out.push_back(RuleId::kPreCreateFromActive);
  }
  void operator()(const SetOffline& op) const {
    if (Missing(op.host)) return;
    const Status st = s.hosts[op.host].status;
    if (st != Status::kActive && st != Status::kStandby) out.push_back(RuleId::kPreSetOfflineFrom);
    if (st == Status::kActive && !Is(s, Peer(op.host), Status::kStandby)) {
      out.push_back(RuleId::kPreOfflineNeedsStandbyPeer);
    }
  }
  void operator()(const SetOnline& op) const {
    if (Missing(op.host)) return;
    if (s.hosts[op.host].status != Status::kOffline) out.push_back(RuleId::kPreSetOnlineFrom);
  }
  void operator()(const RepairHost& op) const {
    if (Missing(op.host)) return;
    if (s.hosts[op.host].status != Status::kFailed) {
      out.push_back(RuleId::kPreRepairFailedOnly);
    } else if (s.hosts[op.host].repaired) {
      out.push_back(RuleId::kPreRepairOnce);
    }
  }
  void operator()(const RestoreHost& op) const {
    if (Missing(op.host)) return;
    if (s.hosts[op.host].status != Status::kFailed) {
      out.push_back(RuleId::kPreRestoreFailedOnly);
    } else if (!s.hosts[op.host].repaired) {
      out.push_back(RuleId::kPreRestoreNeedsRepair);
    }
  }
  void operator()(const SwitchPrimaryToActive&) const {
    if (!Is(s, kSecondary, Status::kActive)) out.push_back(RuleId::kPreSwitchBack);
    if (!Is(s, kPrimary, Status::kStandby)) out.push_back(RuleId::kPreSwitchPrimaryStandby);
  }
  void operator()(const ApplyLicense&) const {
    if (s.licensed) out.push_back(RuleId::kPreLicenseNeeded);
  }
  void operator()(const PatchPrimary&) const {
    if (!Is(s, kPrimary, Status::kActive)) out.push_back(RuleId::kPrePatchActivePrimary);
  }
  void operator()(const StartUpgrade&) const {
    if (!Is(s, kSecondary, Status::kNeedsUpgrade)) out.push_back(RuleId::kPreUpgradeNeedsUpgrade);
    if (!Is(s, kPrimary, Status::kActive)) out.push_back(RuleId::kPreUpgradeByPrimary);
  }
  void operator()(const HostFails& op) const {
    if (Missing(op.host)) return;
    if (s.hosts[op.host].status == Status::kFailed) out.push_back(RuleId::kPreNotFailed);
  }
  void operator()(const ConnectivityTest&) const {
    if (!s.paired) out.push_back(RuleId::kPreNetNeedsPair);
    if (ActiveHost(s) < 0) out.push_back(RuleId::kPreNetNeedsActive);
  }
  void operator()(const ProcessExits& op) const { Missing(op.host); }
  void operator()(const DiskFull& op) const { Missing(op.host); }
  void operator()(const LicenseLost&) const {
    if (!s.licensed) out.push_back(RuleId::kPreLicenseHeld);
  }
  void operator()(const Complete& op) const {
    if (Missing(op.host)) return;
    const Status st = s.hosts[op.host].status;
    if (!Transitional(st)) out.push_back(RuleId::kPreCompleteUnderWay);
    if (st == Status::kSynchronizing && !Is(s, Peer(op.host), Status::kActive)) {
      out.push_back(RuleId::kPreSyncNeedsSource);
    }
    if (st == Status::kUpgrading && !Is(s, kPrimary, Status::kActive)) {
      out.push_back(RuleId::kPreUpgradeByPrimary);
    }
  }
};

// ---- Effects: what the op does when accepted, preconditions ignored. ----

struct EffectsOf {
  const State& s;
  std::vector<OutcomeT>& out;

  void operator()(const CreatePair& op) const {
    if (s.paired) return;
    State t = s;
    t.paired = true;
    t.disk_replication = op.disk_replication;
    t.hosts[kSecondary] = Host{};
    t.secondary_release = Release::kSame;
    if (op.disk_replication) {
      Idle(t.hosts[kSecondary], Status::kSynchronizing);
      out.push_back(Accepted(t, RuleId::kCreatePair));
      return;
    }
    PushLandings(
        t, kSecondary, false, [](RuleId) { return RuleId::kCreatePair; }, out);
  }

  void operator()(const SetOffline& op) const {
    if (!Exists(s, op.host)) return;
    const Status was = s.hosts[op.host].status;
    if (was == Status::kFailed || was == Status::kOffline || was == Status::kSettingOffline) return;
    State t = s;
    Idle(t.hosts[op.host], Status::kSettingOffline);
    const int p = Peer(op.host);
    if (was == Status::kActive && Is(s, p, Status::kStandby)) {
      Activate(t, p);
      out.push_back(Accepted(t, RuleId::kManualFailover));
      return;
    }
    out.push_back(Accepted(t, RuleId::kSetOffline));
  }

  void operator()(const SetOnline& op) const {
    if (!Is(s, op.host, Status::kOffline)) return;
    State t = s;
    Idle(t.hosts[op.host], Status::kSettingOnline);
    out.push_back(Accepted(t, RuleId::kSetOnline));
  }

  void operator()(const RepairHost& op) const {
    if (!Is(s, op.host, Status::kFailed) || s.hosts[op.host].repaired) return;
    State t = s;
    t.hosts[op.host].repaired = true;
    out.push_back(Accepted(t, RuleId::kRepair));
  }

  void operator()(const RestoreHost& op) const {
    if (!Is(s, op.host, Status::kFailed)) return;
    State t = s;
    t.hosts[op.host].repaired = false;
    Idle(t.hosts[op.host], Status::kRestoring);
    out.push_back(Accepted(t, RuleId::kRestore));
  }

  void operator()(const SwitchPrimaryToActive&) const {
    if (!Is(s, kSecondary, Status::kActive) || !Is(s, kPrimary, Status::kStandby)) return;
    State t = s;
    Idle(t.hosts[kSecondary], Status::kStandby);
    Activate(t, kPrimary);
    out.push_back(Accepted(t, RuleId::kSwitchPrimaryActive));
  }

  void operator()(const ApplyLicense&) const {
    if (s.licensed) return;
    State t = s;
    t.licensed = true;
    // The host that holds the active role lands first and so gets it back.
    const int order[2] = {s.holder, Peer(s.holder)};
    for (int h : order) {
      if (Is(t, h, Status::kNeedsLicense)) Land(t, h, false);
    }
    out.push_back(Accepted(t, RuleId::kLicenseApplied));
  }

  void operator()(const PatchPrimary&) const {
    if (!Is(s, kPrimary, Status::kActive)) return;
    State t = s;
    if (!s.paired) {
      out.push_back(Accepted(t, RuleId::kPatchPrimary));
      return;
    }
    t.secondary_release = Release::kBehind;
    if (Is(s, kSecondary, Status::kStandby) || Is(s, kSecondary, Status::kSynchronizing)) {
      Idle(t.hosts[kSecondary], Status::kNeedsUpgrade);
      out.push_back(Accepted(t, RuleId::kLandNeedsUpgrade));
      return;
    }
    out.push_back(Accepted(t, RuleId::kPatchPrimary));
  }

  void operator()(const StartUpgrade&) const {
    if (!Is(s, kSecondary, Status::kNeedsUpgrade)) return;
    State t = s;
    Idle(t.hosts[kSecondary], Status::kUpgrading);
    out.push_back(Accepted(t, RuleId::kUpgradeStart));
  }

  void operator()(const HostFails& op) const {
    if (!Exists(s, op.host) || s.hosts[op.host].status == Status::kFailed) return;
    const int h = op.host, p = Peer(h);
    const Status was = s.hosts[h].status;
    State t = s;
    Idle(t.hosts[h], Status::kFailed);
    t.hosts[h].repaired = false;
    if (was != Status::kActive) {
      const bool standby_secondary =
          h == kSecondary && was == Status::kStandby && Is(s, kPrimary, Status::kActive);
      out.push_back(Accepted(t, standby_secondary ? RuleId::kSecondaryFails : RuleId::kHostFails));
      return;
    }
    if (!Exists(s, p)) {
      out.push_back(Accepted(t, RuleId::kHostFails));
      return;
    }
    if (s.hosts[p].status != Status::kStandby) {
      out.push_back(Accepted(t, NoFailoverRule(s.hosts[p].status)));
      return;
    }
    Activate(t, p);
    out.push_back(
        Accepted(t, h == kPrimary ? RuleId::kPrimaryFailover : RuleId::kStandbyTakesOver));
  }

  void operator()(const ConnectivityTest& op) const {
    const int a = ActiveHost(s);
    if (a < 0) return;
    if (op.sweep_ok) {
      out.push_back(Accepted(s, RuleId::kNetSweepPasses));
      return;
    }
    const int p = Peer(a);
    // Alert mode needs a Standby to cross-check; an Offline host runs no
    // ping tests at all.
    if (!Is(s, p, Status::kStandby)) {
      out.push_back(Accepted(s, RuleId::kNetNoStandby));
      return;
    }
    if (!op.standby_ok) {
      out.push_back(Accepted(s, RuleId::kNetStandbyFails));
      return;
    }
    if (op.reping_ok) {
      out.push_back(Accepted(s, RuleId::kNetRepingOk));
      return;
    }
    // S-QR-874926: "previously active appliance displays Offline or
    // Standby": both are the model's own answers.
    State t = s;
    Idle(t.hosts[a], Status::kStandby);
    Activate(t, p);
    out.push_back(Accepted(t, RuleId::kNetFailover));
    Idle(t.hosts[a], Status::kOffline);
    out.push_back(Accepted(t, RuleId::kNetFailover));
  }

  void operator()(const ProcessExits& op) const {
    if (Exists(s, op.host)) out.push_back(Accepted(s, RuleId::kNoFailoverProcess));
  }

  void operator()(const DiskFull& op) const {
    if (Exists(s, op.host)) out.push_back(Accepted(s, RuleId::kNoFailoverDisk));
  }

  void operator()(const LicenseLost&) const {
    if (!s.licensed) return;
    State t = s;
    t.licensed = false;
    for (int h = 0; h < kHosts; ++h) {
      if (Is(s, h, Status::kActive) || Is(s, h, Status::kStandby)) {
        Idle(t.hosts[h], Status::kNeedsLicense);
      }
    }
    out.push_back(Accepted(t, RuleId::kLicenseLost));
  }

  void operator()(const Complete& op) const {
    if (!Exists(s, op.host)) return;
    const int h = op.host, p = Peer(h);
    State t = s;
    switch (s.hosts[h].status) {
      case Status::kSettingOffline:
        Idle(t.hosts[h], Status::kOffline);
        out.push_back(Accepted(t, RuleId::kOfflineSettles));
        return;
      case Status::kSettingOnline:
        Idle(t.hosts[h], Status::kOnline);
        out.push_back(Accepted(t, RuleId::kOnlineSettles));
        return;
      case Status::kOnline:
        PushLandings(s, h, false, Same, out);
        return;
      case Status::kRestoring: {
        // A secondary left behind by a patch needs the upgrade before it
        // can hold a copy of the primary's data.
        if (s.disk_replication && Is(s, p, Status::kActive) &&
            !(h == kSecondary && s.secondary_release == Release::kBehind)) {
          Idle(t.hosts[h], Status::kSynchronizing);
          out.push_back(Accepted(t, RuleId::kRestoreSync));
          // Dossier 4.2: "Restoring -> (Synchronizing) -> Standby", the
          // sequencing [RECON]: landing at once is allowed too.
          const std::size_t first = out.size();
          PushLandings(s, h, true, Same, out);
          for (std::size_t i = first; i < out.size(); ++i) out[i].departs = RuleId::kRestoreSync;
          return;
        }
        PushLandings(s, h, true, Same, out);
        return;
      }
      case Status::kSynchronizing:
        PushLandings(
            s, h, true, [](RuleId r) { return r == RuleId::kLandStandby ? RuleId::kSyncDone : r; },
            out);
        return;
      case Status::kUpgrading: {
        t.secondary_release = Release::kSame;
        const std::size_t first = out.size();
        PushLandings(
            t, h, false,
            [](RuleId r) { return r == RuleId::kLandStandby ? RuleId::kUpgradeDone : r; }, out);
        // Dossier 4.2 marks the landing after Upgrading [RECON]: with disk
        // replication the upgraded secondary may synchronize first.
        if (out[first].rule == RuleId::kUpgradeDone && s.disk_replication) {
          State sync = t;
          Idle(sync.hosts[h], Status::kSynchronizing);
          out.push_back(Departing(sync, RuleId::kUpgradeDone, RuleId::kUpgradeDone));
        }
        return;
      }
      default:
        return;
    }
  }
};

std::string Label(Status st) { return std::string(kStatusNames.Label(st)); }
std::string Name(int h) { return std::string(HostName(h)); }

bool IsFailoverTrigger(const Op& op) {
  return IsOp<HostFails>(op) || IsOp<ConnectivityTest>(op) || IsOp<SetOffline>(op);
}

// Ops through which the secondary may lose the active role to the primary.
bool SecondaryLosesRole(const Op& op) {
  if (IsOp<SwitchPrimaryToActive>(op) || IsOp<ConnectivityTest>(op)) {
    return true;
  }
  if (const auto* f = std::get_if<HostFails>(&op)) return f->host == kSecondary;
  if (const auto* o = std::get_if<SetOffline>(&op)) return o->host == kSecondary;
  return false;
}

// "qradar-pri (primary)", or just "primary" when the host is named so.
std::string HostLabel(const Nodes& nodes, int h) {
  std::string name = nodes.Name(h);
  if (name == HostName(h)) return name;
  return name + " (" + Name(h) + ")";
}

}  // namespace

std::string_view HostName(int host) { return kRoleNames.Name(static_cast<Role>(host)); }

int ActiveHost(const State& s) {
  for (int h = 0; h < kHosts; ++h) {
    if (Is(s, h, Status::kActive)) return h;
  }
  return -1;
}

std::span<const Rule> Jsa::Rules() { return kRules; }
std::span<const StatusInfo> Jsa::Statuses() { return kStatusList; }
std::span<const StatusChange> Jsa::StatusChanges() {
  static constexpr StatusChange kChanges[] = {
#define HASPEC_STATUS_CHANGE HASPEC_STATUS_CHANGE_ENTRY
#include "model/jsa/status_changes.def"
#undef HASPEC_STATUS_CHANGE
  };
  return kChanges;
}

Config Jsa::DefaultConfig() { return Config{}; }

State Jsa::Initial(const Config& c) {
  State s;
  Activate(s, kPrimary);
  if (c.pair == InitialPair::kNone) return s;
  s.paired = true;
  s.disk_replication = c.disk_replication || c.pair == InitialPair::kSynchronizing;
  Idle(s.hosts[kSecondary],
       c.pair == InitialPair::kSynchronizing ? Status::kSynchronizing : Status::kStandby);
  return s;
}

void Jsa::Refusals(const State& s, const Op& op, std::vector<RuleId>& out) {
  std::visit(RefusalsOf{s, out}, op);
}

void Jsa::Effects(const State& s, const Op& op, std::vector<OutcomeT>& out) {
  std::visit(EffectsOf{s, out}, op);
}

State Jsa::Canonical(const State& s) {
  State c = s;
  if (!c.paired) {
    c.hosts[kSecondary] = Host{};
    c.disk_replication = false;
    c.secondary_release = Release::kSame;
  }
  const int a = ActiveHost(c);
  if (a >= 0) c.holder = static_cast<std::uint8_t>(a);
  return c;
}

void Jsa::CandidateOps(const State& s, std::vector<Op>& out) {
  if (!s.paired) {
    out.push_back(CreatePair{true});
    out.push_back(CreatePair{false});
  }
  out.push_back(ConnectivityTest{true, true, true});
  out.push_back(ConnectivityTest{false, false, true});
  out.push_back(ConnectivityTest{false, true, true});
  out.push_back(ConnectivityTest{false, true, false});
  out.push_back(SwitchPrimaryToActive{});
  out.push_back(s.licensed ? Op{LicenseLost{}} : Op{ApplyLicense{}});
  out.push_back(PatchPrimary{});
  out.push_back(StartUpgrade{});
  // One failure cause per host, varied with the state: every cause is tried
  // over a walk without failures swamping it (properties try every cause).
  const std::size_t hash = Hash(s);
  const auto cause = static_cast<Cause>(hash % kCauseNames.size());
  const int a = ActiveHost(s);
  const auto busy = static_cast<std::uint8_t>(a < 0 ? kPrimary : a);
  out.push_back(ProcessExits{busy});
  out.push_back(DiskFull{busy});
  for (int h = 0; h < (s.paired ? kHosts : 1); ++h) {
    const auto h8 = static_cast<std::uint8_t>(h);
    const Host& x = s.hosts[h];
    if (x.status != Status::kFailed) {
      out.push_back(HostFails{h8, x.status == Status::kActive ? cause : Cause::kPower});
    }
    out.push_back(SetOffline{h8});
    out.push_back(SetOnline{h8});
    out.push_back(Complete{h8});
    out.push_back(RepairHost{h8, (hash >> 8) % 2 == 0});
    out.push_back(RestoreHost{h8});
  }
}

void Jsa::CheckInvariants(const State& s, std::vector<FindingT>& out,
                          std::vector<RuleId>* premises) {
  auto premise = [premises](RuleId r) {
    if (premises) premises->push_back(r);
  };
  const Host& pri = s.hosts[kPrimary];
  const Host& sec = s.hosts[kSecondary];
  const int n = s.paired ? kHosts : 1;
  bool any_active = false, any_vip = false, any_standby = false, any_license = false,
       any_offline = false, any_other = false, any_needs_upgrade = false, any_upgrading = false,
       any_sync = false, any_repaired = false;
  for (int h = 0; h < n; ++h) {
    const Host& x = s.hosts[h];
    const bool active = x.status == Status::kActive;
    any_active |= active;
    any_vip |= x.vip;
    any_standby |= x.status == Status::kStandby;
    any_license |= x.status == Status::kNeedsLicense;
    any_offline |= x.status == Status::kOffline;
    any_other |= !active && x.status != Status::kStandby && x.status != Status::kNeedsLicense &&
                 x.status != Status::kOffline;
    any_needs_upgrade |= x.status == Status::kNeedsUpgrade;
    any_upgrading |= x.status == Status::kUpgrading;
    any_sync |= x.status == Status::kSynchronizing;
    any_repaired |= x.repaired;
    if (x.vip != active) {
      out.push_back({RuleId::kInvVipOnActive,
                     x.vip ? Name(h) + " holds the cluster IP but is " + Label(x.status)
                           : Name(h) + " is Active without the cluster IP"});
    }
    if (active && !x.services) {
      out.push_back({RuleId::kInvActiveServices, Name(h) + " is Active but runs no services"});
    }
    if (!active && x.services) {
      RuleId r = x.status == Status::kStandby        ? RuleId::kInvStandbyNoServices
                 : x.status == Status::kNeedsLicense ? RuleId::kInvNeedsLicenseNoProcesses
                 : x.status == Status::kOffline      ? RuleId::kInvOfflineServicesStopped
                                                     : RuleId::kInvOtherNoServices;
      out.push_back({r, Name(h) + " is " + Label(x.status) + " but runs services"});
    }
    if (h == kPrimary && x.status == Status::kNeedsUpgrade) {
      out.push_back({RuleId::kInvNeedsUpgradeSecondaryOnly, "the primary shows Needs Upgrade"});
    }
    if (h == kPrimary && x.status == Status::kUpgrading) {
      out.push_back({RuleId::kInvUpgradingSecondaryOnly, "the primary shows Upgrading"});
    }
    if (x.status == Status::kSynchronizing && !s.disk_replication) {
      out.push_back({RuleId::kInvSyncNeedsReplication,
                     Name(h) + " is Synchronizing but disk replication is disabled"});
    }
    if (x.status == Status::kNeedsLicense && s.licensed) {
      out.push_back(
          {RuleId::kInvLicense, Name(h) + " shows Needs License but the pair is licensed"});
    }
    if (!s.licensed && (active || x.status == Status::kStandby)) {
      out.push_back({RuleId::kInvLicense,
                     Name(h) + " is " + Label(x.status) + " but the pair has no license"});
    }
    if (x.repaired && x.status != Status::kFailed) {
      out.push_back(
          {RuleId::kInvWellFormed, Name(h) + " is marked repaired but is " + Label(x.status)});
    }
  }
  if (any_active || any_vip) premise(RuleId::kInvVipOnActive);
  if (any_active) premise(RuleId::kInvActiveServices);
  if (any_standby) premise(RuleId::kInvStandbyNoServices);
  if (any_license) premise(RuleId::kInvNeedsLicenseNoProcesses);
  if (any_offline) premise(RuleId::kInvOfflineServicesStopped);
  if (any_other) premise(RuleId::kInvOtherNoServices);
  if (any_needs_upgrade) premise(RuleId::kInvNeedsUpgradeSecondaryOnly);
  if (any_upgrading) premise(RuleId::kInvUpgradingSecondaryOnly);
  if (any_sync) premise(RuleId::kInvSyncNeedsReplication);
  if (any_license || !s.licensed) premise(RuleId::kInvLicense);
  if (!s.paired || any_repaired || any_active) premise(RuleId::kInvWellFormed);
  const int a = ActiveHost(s);
  if (a >= 0 && s.holder != a) {
    out.push_back({RuleId::kInvWellFormed,
                   Name(a) + " is Active but the active role is held by " + Name(s.holder)});
  }
  if (!s.paired) {
    if (sec != Host{} || s.holder != kPrimary || s.disk_replication ||
        s.secondary_release != Release::kSame) {
      out.push_back({RuleId::kInvWellFormed,
                     "no HA pair exists but the secondary, its release, the role holder or "
                     "replication is set"});
    }
    return;
  }
  if (any_active) premise(RuleId::kInvOneActive);
  premise(RuleId::kInvSecondaryNotAhead);
  if (pri.status == Status::kActive && sec.status == Status::kActive) {
    out.push_back({RuleId::kInvOneActive, "primary and secondary are both Active"});
  }
  if (sec.status == Status::kActive) {
    premise(RuleId::kInvSecondaryActiveMeansPrimaryFailed);
    if (pri.status == Status::kActive) {
      out.push_back({RuleId::kInvSecondaryActiveMeansPrimaryFailed,
                     "the secondary is Active but the primary is Active too"});
    }
  }
  if (s.secondary_release == Release::kAhead) {
    out.push_back(
        {RuleId::kInvSecondaryNotAhead, "the secondary runs a newer release than the primary"});
  }
  const bool serving = sec.status == Status::kActive || sec.status == Status::kStandby ||
                       sec.status == Status::kSynchronizing;
  if (serving || sec.status == Status::kNeedsUpgrade) {
    premise(RuleId::kInvBehindNeedsUpgrade);
  }
  if ((serving && s.secondary_release != Release::kSame) ||
      (sec.status == Status::kNeedsUpgrade && s.secondary_release != Release::kBehind)) {
    out.push_back({RuleId::kInvBehindNeedsUpgrade,
                   "the secondary is " + Label(sec.status) + " and " +
                       std::string(kReleaseNames.Label(s.secondary_release))});
  }
}

void Jsa::CheckTransition(const State& before, const Op& op, const State& after,
                          std::vector<FindingT>& out, std::vector<RuleId>* premises) {
  auto premise = [premises](RuleId r) {
    if (premises) premises->push_back(r);
  };
  bool failed_before = false;
  for (int h = 0; h < (before.paired ? kHosts : 1); ++h) {
    if (before.hosts[h].status != Status::kFailed) continue;
    failed_before = true;
    if (after.hosts[h].status == Status::kFailed) continue;
    const auto* r = std::get_if<RestoreHost>(&op);
    if (!r || r->host != h) {
      out.push_back({RuleId::kInvFailedStays,
                     Name(h) + " left Failed for " + Label(after.hosts[h].status) + " on " +
                         Jsa::Show(op) + " (only restore_host may end Failed)"});
    }
  }
  if (failed_before) premise(RuleId::kInvFailedStays);
  int offline = -1;
  for (int h = 0; h < (before.paired ? kHosts : 1); ++h) {
    if (before.hosts[h].status == Status::kOffline) offline = h;
  }
  if (offline >= 0) premise(RuleId::kInvNoFailoverWhileOffline);
  // A failure, ping test or offline request hands the role to nobody while a
  // host is Offline; no op at all (completion, landing, license) makes the
  // Offline host itself Active.
  for (int h = 0; offline >= 0 && h < kHosts; ++h) {
    if (after.hosts[h].status == Status::kActive && before.hosts[h].status != Status::kActive &&
        (IsFailoverTrigger(op) || h == offline)) {
      out.push_back({RuleId::kInvNoFailoverWhileOffline, Name(h) + " became Active on " +
                                                             Jsa::Show(op) + " while " +
                                                             Name(offline) + " was Offline"});
    }
  }
  // The secondary takes the role only from a primary that fails now (a
  // failure, ping test or manual failover of the Active primary), failed
  // before and has not recovered (Failed, Restoring), or already lost the
  // role to it: not from one that is merely away. The holder written in
  // `after` is not trusted here.
  const Status pri_before = before.hosts[kPrimary].status;
  const Status pri_after = after.hosts[kPrimary].status;
  if (before.paired && after.hosts[kSecondary].status == Status::kActive &&
      before.hosts[kSecondary].status != Status::kActive) {
    premise(RuleId::kInvSecondaryActiveMeansPrimaryFailed);
  }
  if (before.paired && after.hosts[kSecondary].status == Status::kActive &&
      before.hosts[kSecondary].status != Status::kActive && before.holder != kSecondary &&
      pri_after != Status::kFailed && pri_after != Status::kRestoring &&
      !(pri_before == Status::kActive && IsFailoverTrigger(op))) {
    out.push_back({RuleId::kInvSecondaryActiveMeansPrimaryFailed,
                   "the secondary became Active on " + Jsa::Show(op) + " but the primary " +
                       (pri_before == pri_after
                            ? "is " + Label(pri_after)
                            : "went from " + Label(pri_before) + " to " + Label(pri_after)) +
                       " and never failed"});
  }
  const Host& sec = before.hosts[kSecondary];
  const bool secondary_holds_role =
      before.paired && (sec.status == Status::kActive ||
                        (before.holder == kSecondary && sec.status == Status::kNeedsLicense));
  if (secondary_holds_role) premise(RuleId::kInvNoAutoSwitchBack);
  if (secondary_holds_role && before.hosts[kPrimary].status != Status::kActive &&
      after.hosts[kPrimary].status == Status::kActive && !SecondaryLosesRole(op)) {
    out.push_back({RuleId::kInvNoAutoSwitchBack,
                   "the primary took Active from the " + Label(sec.status) + " secondary on " +
                       Jsa::Show(op) + " without the administrator's switch"});
  }
  const bool process = IsOp<ProcessExits>(op);
  if ((process || IsOp<DiskFull>(op)) && !(before == after)) {
    out.push_back({process ? RuleId::kNoFailoverProcess : RuleId::kNoFailoverDisk,
                   Jsa::Show(op) + " changed the pair from " + Jsa::Show(before) + " to " +
                       Jsa::Show(after)});
  }
}

void Jsa::CheckAdvisories(const State& s, std::vector<FindingT>& out) {
  const int a = ActiveHost(s);
  if (!s.paired) {
    out.push_back({RuleId::kAdvNoPair, "no HA pair: the primary is not protected by HA"});
  }
  for (int h = 0; h < (s.paired ? kHosts : 1); ++h) {
    if (s.hosts[h].status == Status::kFailed) {
      out.push_back({RuleId::kAdvFailedNeedsRepair,
                     Name(h) + " is Failed: repair or replace it, then restore it"});
    }
  }
  if (a < 0) {
    out.push_back({RuleId::kAdvNoActive, "no host is Active"});
    return;
  }
  if (!s.paired) return;
  const int p = Peer(a);
  const Status ps = s.hosts[p].status;
  const std::string unprotected =
      "the Active " + Name(a) + " is not protected by HA: " + Name(p) + " is " + Label(ps);
  switch (ps) {
    case Status::kStandby:
      if (a == kSecondary) {
        out.push_back({RuleId::kAdvSwitchBack,
                       "the secondary is Active and the primary Standby: switch the primary back "
                       "to active"});
      }
      return;
    case Status::kFailed:
      out.push_back({p == kSecondary ? RuleId::kAdvSecondaryFailed : RuleId::kAdvUnprotectedOther,
                     unprotected});
      return;
    case Status::kNeedsUpgrade:
      out.push_back({RuleId::kAdvNeedsUpgrade, unprotected});
      return;
    case Status::kUpgrading:
      out.push_back({RuleId::kAdvUpgrading, unprotected});
      return;
    case Status::kOffline:
      out.push_back({RuleId::kAdvPeerOffline, unprotected});
      return;
    default:
      out.push_back({RuleId::kAdvUnprotectedOther, unprotected});
      return;
  }
}

Observation Jsa::Observe(const State& s) {
  Observation o;
  for (int h = 0; h < (s.paired ? kHosts : 1); ++h) {
    const Host& x = s.hosts[h];
    o.hosts[h] = HostObservation{x.status, x.vip, x.services};
  }
  o.secondary = s.paired;
  o.active = ActiveHost(s);
  o.licensed = s.licensed;
  o.disk_replication = s.disk_replication;
  o.secondary_release = s.secondary_release;
  return o;
}

Fit Jsa::Consistent(const State& s, const Observation& o, std::vector<FindingT>* why) {
  Fit fit = Fit::kMatch;
  auto mismatch = [&](RuleId r, std::string detail) {
    fit = Fit::kMismatch;
    if (why) why->push_back({r, std::move(detail)});
  };
  auto departure = [&](RuleId r, std::string detail) {
    if (fit == Fit::kMatch) fit = Fit::kDeparture;
    if (why) why->push_back({r, std::move(detail)});
  };
  const HostObservation& so = o.hosts[kSecondary];
  const bool secondary_seen = so.status || so.vip || so.services;
  if (o.secondary && *o.secondary != s.paired) {
    mismatch(RuleId::kObsShown, *o.secondary ? "the secondary is shown but no HA pair exists"
                                             : "the secondary is shown absent but the pair exists");
  }
  if (secondary_seen && !s.paired) {
    mismatch(RuleId::kObsShown,
             "the secondary's status or services are shown but no HA pair exists");
  }
  for (int h = 0; h < (s.paired ? kHosts : 1); ++h) {
    const Host& x = s.hosts[h];
    const HostObservation& ho = o.hosts[h];
    if (ho.status && *ho.status != x.status) {
      mismatch(RuleId::kObsShown,
               Name(h) + " is shown " + Label(*ho.status) + " but is " + Label(x.status));
    }
    if (ho.vip && *ho.vip != x.vip) {
      mismatch(RuleId::kInvVipOnActive, Name(h) + (*ho.vip ? " holds" : " does not hold") +
                                            " the cluster IP but is " + Label(x.status));
    }
    if (ho.services && *ho.services != x.services) {
      const std::string d =
          Name(h) + (*ho.services ? " runs" : " runs no") + " services but is " + Label(x.status);
      switch (x.status) {
        case Status::kActive:
          mismatch(RuleId::kInvActiveServices, d);
          break;
        case Status::kStandby:
          mismatch(RuleId::kInvStandbyNoServices, d);
          break;
        case Status::kNeedsLicense:
          mismatch(RuleId::kInvNeedsLicenseNoProcesses, d);
          break;
        case Status::kOffline:
          mismatch(RuleId::kInvOfflineServicesStopped, d);
          break;
        // Seed 003 says nothing of the services of the other statuses: only
        // the assumption keeps them stopped.
        default:
          departure(RuleId::kInvOtherNoServices, d);
          break;
      }
    }
  }
  if (o.active && *o.active != ActiveHost(s)) {
    const int a = ActiveHost(s);
    mismatch(RuleId::kObsShown, (*o.active < 0 ? std::string("no host") : Name(*o.active)) +
                                    " is shown active but " +
                                    (a < 0 ? std::string("no host") : Name(a)) + " is");
  }
  if (o.licensed && *o.licensed != s.licensed) {
    mismatch(RuleId::kObsShown, std::string("the pair is shown ") +
                                    (*o.licensed ? "licensed" : "unlicensed") + " but is not");
  }
  if (o.disk_replication && *o.disk_replication != s.disk_replication) {
    mismatch(RuleId::kObsShown, std::string("disk replication is shown ") +
                                    (*o.disk_replication ? "on" : "off") + " but is not");
  }
  if (o.secondary_release && *o.secondary_release != s.secondary_release) {
    mismatch(RuleId::kObsShown,
             "the secondary is shown " + std::string(kReleaseNames.Label(*o.secondary_release)) +
                 " but is " + std::string(kReleaseNames.Label(s.secondary_release)));
  }
  return fit;
}

void Jsa::NodeStatuses(const State& s, std::vector<int>& out) {
  out.push_back(static_cast<int>(s.hosts[kPrimary].status));
  out.push_back(s.paired ? static_cast<int>(s.hosts[kSecondary].status) : -1);
}

std::size_t Jsa::Hash(const State& s) {
  std::size_t h = 0;
  for (const Host& x : s.hosts) {
    HashCombine(h, static_cast<unsigned>(x.status) | (static_cast<unsigned>(x.services) << 4) |
                       (static_cast<unsigned>(x.vip) << 5) |
                       (static_cast<unsigned>(x.repaired) << 6));
  }
  HashCombine(h, static_cast<unsigned>(s.paired) |
                     (static_cast<unsigned>(s.disk_replication) << 1) |
                     (static_cast<unsigned>(s.licensed) << 2) |
                     (static_cast<unsigned>(s.secondary_release) << 3) |
                     (static_cast<unsigned>(s.holder) << 5));
  return h;
}

std::string Jsa::Show(const State& s, const Nodes& nodes) {
  std::string out = "{";
  for (int h = 0; h < (s.paired ? kHosts : 1); ++h) {
    const Host& x = s.hosts[h];
    if (h) out += ", ";
    out += HostLabel(nodes, h) + " " + Label(x.status);
    if (x.services) out += " services";
    if (x.vip) out += " vip";
    if (x.repaired) out += " repaired";
  }
  if (!s.paired) out += ", no pair";
  if (s.paired) out += s.disk_replication ? ", replication" : ", no replication";
  if (s.secondary_release != Release::kSame) {
    out += ", secondary " + std::string(kReleaseNames.Label(s.secondary_release));
  }
  if (!s.licensed) out += ", unlicensed";
  if (ActiveHost(s) < 0) out += ", active role held by " + nodes.Name(s.holder);
  return out + "}";
}

std::string Jsa::Show(const Observation& o, const Nodes& nodes) {
  std::string out = "[";
  auto part = [&](const std::string& p) {
    if (out.size() > 1) out += "; ";
    out += p;
  };
  for (int h = 0; h < kHosts; ++h) {
    const HostObservation& ho = o.hosts[h];
    if (h == kSecondary && o.secondary && !*o.secondary) {
      part(HostLabel(nodes, h) + " absent");
      continue;
    }
    if (!ho.status && !ho.vip && !ho.services) {
      if (h == kSecondary && o.secondary) part(HostLabel(nodes, h) + " present");
      continue;
    }
    std::string p = HostLabel(nodes, h);
    if (ho.status) p += " " + Label(*ho.status);
    if (ho.vip) p += *ho.vip ? " vip" : " no-vip";
    if (ho.services) p += *ho.services ? " services" : " no-services";
    part(p);
  }
  if (o.active) part("active " + (*o.active < 0 ? std::string("none") : nodes.Name(*o.active)));
  if (o.licensed) part(*o.licensed ? "licensed" : "unlicensed");
  if (o.disk_replication) part(*o.disk_replication ? "replication" : "no replication");
  if (o.secondary_release) {
    part("secondary " + std::string(kReleaseNames.Label(*o.secondary_release)));
  }
  return out + "]";
}

}  // namespace haspec::jsa
