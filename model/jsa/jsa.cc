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

constexpr auto kStatusNameList = kStatusNames.Labels();

using OutcomeT = Jsa::OutcomeT;


bool Exists(const State& s, int h) { return h == kPrimary || (h == kSecondary && s.paired); }

bool Is(const State& s, int h, Status st) { return Exists(s, h) && s.hosts[h].status == st; }

int ActiveHost(const State& s) {
  for (int h = 0; h < kHosts; ++h) {
    if (Is(s, h, Status::kActive)) return h;
  }
  return -1;
}

// A host in any status but Active: nothing runs, no cluster IP.
void Idle(Host& x, Status st) {
  x.status = st;
  x.services = false;
  x.vip = false;
}

// Seed 003: the active system runs all services; S-QR-SEQ: the cluster IP
// moves to it. The primary taking the role ends a failover; only the real
// failover paths (FailOverTo) mark one.
void Activate(State& t, int h) {
  Host& x = t.hosts[h];
  x.status = Status::kActive;
  x.services = true;
  x.vip = true;
  if (h == kPrimary) t.failed_over = false;
}

// A failover from the Active host to its Standby peer `p` (failure, ping
// test, manual failover).
void FailOverTo(State& t, int p) {
  Activate(t, p);
  if (p == kSecondary) t.failed_over = true;
}

// Seed 003: the secondary shows Active only when the primary HA host failed.
// A Restoring primary has failed and is not back yet.
bool PrimaryFailed(const State& s) {
  const Status st = s.hosts[kPrimary].status;
  return s.failed_over || st == Status::kFailed || st == Status::kRestoring;
}

// Why the Active host's failure hands the role to nobody: the peer is not
// Standby.
RuleId NoFailoverRule(Status peer) {
  switch (peer) {
    case Status::kOffline: return RuleId::kNoFailoverPeerOffline;
    case Status::kNeedsUpgrade:
    case Status::kUpgrading: return RuleId::kNoFailoverDuringUpgrade;
    default: return RuleId::kNoFailoverNoStandby;
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
  if (h == kSecondary && x.version < t.hosts[kPrimary].version) {
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
  if (h == kSecondary) t.failed_over = true;
  return RuleId::kLandActive;
}

struct Stepper {
  const State& s;

  bool Bad(std::uint8_t h) const { return h >= kHosts || !Exists(s, h); }

  OutcomeT operator()(const CreatePair& op) const {
    if (s.paired || !Is(s, kPrimary, Status::kActive)) return Rejected(s, RuleId::kPreCreatePair);
    State t = s;
    t.paired = true;
    t.disk_replication = op.disk_replication;
    t.hosts[kSecondary] = Host{};
    t.hosts[kSecondary].version = s.hosts[kPrimary].version;
    if (op.disk_replication) {
      Idle(t.hosts[kSecondary], Status::kSynchronizing);
    } else {
      Land(t, kSecondary, false);
    }
    return Accepted(t, RuleId::kCreatePair);
  }

  OutcomeT operator()(const SetOffline& op) const {
    if (Bad(op.host)) return Rejected(s, RuleId::kPreTarget);
    Status was = s.hosts[op.host].status;
    if (was != Status::kActive && was != Status::kStandby) {
      return Rejected(s, RuleId::kPreSetOfflineFrom);
    }
    State t = s;
    Idle(t.hosts[op.host], Status::kSettingOffline);
    int p = Peer(op.host);
    if (was == Status::kActive && Is(s, p, Status::kStandby)) {
      FailOverTo(t, p);
      return Accepted(t, RuleId::kManualFailover);
    }
    return Accepted(t, RuleId::kSetOffline);
  }

  OutcomeT operator()(const SetOnline& op) const {
    if (Bad(op.host)) return Rejected(s, RuleId::kPreTarget);
    if (s.hosts[op.host].status != Status::kOffline) return Rejected(s, RuleId::kPreSetOnlineFrom);
    State t = s;
    Idle(t.hosts[op.host], Status::kSettingOnline);
    return Accepted(t, RuleId::kSetOnline);
  }

  OutcomeT operator()(const RepairHost& op) const {
    if (Bad(op.host) || s.hosts[op.host].status != Status::kFailed || s.hosts[op.host].repaired) {
      return Rejected(s, RuleId::kPreTarget);
    }
    State t = s;
    t.hosts[op.host].repaired = true;
    return Accepted(t, RuleId::kRepair);
  }

  OutcomeT operator()(const RestoreHost& op) const {
    if (Bad(op.host) || s.hosts[op.host].status != Status::kFailed) {
      return Rejected(s, RuleId::kPreTarget);
    }
    if (!s.hosts[op.host].repaired) return Rejected(s, RuleId::kPreRestoreNeedsRepair);
    State t = s;
    t.hosts[op.host].repaired = false;
    Idle(t.hosts[op.host], Status::kRestoring);
    return Accepted(t, RuleId::kRestore);
  }

  OutcomeT operator()(const SwitchPrimaryToActive&) const {
    if (!Is(s, kPrimary, Status::kStandby) || !Is(s, kSecondary, Status::kActive)) {
      return Rejected(s, RuleId::kPreSwitchBack);
    }
    State t = s;
    Idle(t.hosts[kSecondary], Status::kStandby);
    Activate(t, kPrimary);
    return Accepted(t, RuleId::kSwitchPrimaryActive);
  }

  OutcomeT operator()(const ApplyLicense&) const {
    if (s.licensed) return Rejected(s, RuleId::kPreTarget);
    State t = s;
    t.licensed = true;
    // The host that held the active role lands first and so gets it back.
    const int order[2] = {s.failed_over ? kSecondary : kPrimary,
                          s.failed_over ? kPrimary : kSecondary};
    for (int h : order) {
      if (Is(t, h, Status::kNeedsLicense)) Land(t, h, false);
    }
    return Accepted(t, RuleId::kLicenseApplied);
  }

  OutcomeT operator()(const PatchPrimary&) const {
    if (!Is(s, kPrimary, Status::kActive)) return Rejected(s, RuleId::kPrePatchActivePrimary);
    if (s.hosts[kPrimary].version >= kMaxVersion) return Rejected(s, RuleId::kPreTarget);
    State t = s;
    ++t.hosts[kPrimary].version;
    if (Is(s, kSecondary, Status::kStandby) || Is(s, kSecondary, Status::kSynchronizing)) {
      Idle(t.hosts[kSecondary], Status::kNeedsUpgrade);
      return Accepted(t, RuleId::kLandNeedsUpgrade);
    }
    return Accepted(t, RuleId::kPatchPrimary);
  }

  OutcomeT operator()(const StartUpgrade&) const {
    if (!Is(s, kSecondary, Status::kNeedsUpgrade)) return Rejected(s, RuleId::kPreTarget);
    if (!Is(s, kPrimary, Status::kActive)) return Rejected(s, RuleId::kPreUpgradeByPrimary);
    State t = s;
    Idle(t.hosts[kSecondary], Status::kUpgrading);
    return Accepted(t, RuleId::kUpgradeStart);
  }

  OutcomeT operator()(const HostFails& op) const {
    if (Bad(op.host) || s.hosts[op.host].status == Status::kFailed) {
      return Rejected(s, RuleId::kPreTarget);
    }
    const int h = op.host, p = Peer(h);
    const Status was = s.hosts[h].status;
    State t = s;
    Idle(t.hosts[h], Status::kFailed);
    t.hosts[h].repaired = false;
    if (was != Status::kActive) {
      bool standby_secondary = h == kSecondary && was == Status::kStandby &&
                               Is(s, kPrimary, Status::kActive);
      return Accepted(t, standby_secondary ? RuleId::kSecondaryFails : RuleId::kHostFails);
    }
    if (!Exists(s, p)) return Accepted(t, RuleId::kHostFails);
    if (s.hosts[p].status != Status::kStandby) return Accepted(t, NoFailoverRule(s.hosts[p].status));
    FailOverTo(t, p);
    return Accepted(t, h == kPrimary ? RuleId::kPrimaryFailover : RuleId::kStandbyTakesOver);
  }

  OutcomeT operator()(const ConnectivityTest& op) const {
    const int a = ActiveHost(s);
    if (a < 0 || !s.paired) return Rejected(s, RuleId::kPreNetNeedsActive);
    if (op.sweep_ok) return Accepted(s, RuleId::kNetSweepPasses);
    const int p = Peer(a);
    // Alert mode needs a Standby to cross-check; an Offline host runs no
    // ping tests at all.
    if (s.hosts[p].status != Status::kStandby) return Accepted(s, RuleId::kNetNoStandby);
    if (!op.standby_ok) return Accepted(s, RuleId::kNetStandbyFails);
    if (op.reping_ok) return Accepted(s, RuleId::kNetRepingOk);
    State t = s;
    Idle(t.hosts[a], Status::kStandby);
    FailOverTo(t, p);
    return Accepted(t, RuleId::kNetFailover);
  }

  OutcomeT operator()(const ProcessExits& op) const {
    if (Bad(op.host)) return Rejected(s, RuleId::kPreTarget);
    return Accepted(s, RuleId::kNoFailoverProcess);
  }

  OutcomeT operator()(const DiskFull& op) const {
    if (Bad(op.host)) return Rejected(s, RuleId::kPreTarget);
    return Accepted(s, RuleId::kNoFailoverDisk);
  }

  OutcomeT operator()(const LicenseLost&) const {
    if (!s.licensed) return Rejected(s, RuleId::kPreTarget);
    State t = s;
    t.licensed = false;
    for (int h = 0; h < kHosts; ++h) {
      if (Is(s, h, Status::kActive) || Is(s, h, Status::kStandby)) {
        Idle(t.hosts[h], Status::kNeedsLicense);
      }
    }
    return Accepted(t, RuleId::kLicenseLost);
  }

  OutcomeT operator()(const Complete& op) const {
    if (Bad(op.host)) return Rejected(s, RuleId::kPreTarget);
    const int h = op.host, p = Peer(h);
    State t = s;
    switch (s.hosts[h].status) {
      case Status::kSettingOffline:
        Idle(t.hosts[h], Status::kOffline);
        return Accepted(t, RuleId::kOfflineSettles);
      case Status::kSettingOnline:
        Idle(t.hosts[h], Status::kOnline);
        return Accepted(t, RuleId::kOnlineSettles);
      case Status::kOnline:
        return Accepted(t, Land(t, h, false));
      case Status::kRestoring:
        // A secondary left behind by a patch needs the upgrade before it
        // can hold a copy of the primary's data.
        if (s.disk_replication && Is(s, p, Status::kActive) &&
            !(h == kSecondary && s.hosts[h].version < s.hosts[kPrimary].version)) {
          Idle(t.hosts[h], Status::kSynchronizing);
          return Accepted(t, RuleId::kRestoreSync);
        }
        return Accepted(t, Land(t, h, true));
      case Status::kSynchronizing: {
        if (!Is(s, p, Status::kActive)) return Rejected(s, RuleId::kPreSyncNeedsSource);
        RuleId r = Land(t, h, true);
        return Accepted(t, r == RuleId::kLandStandby ? RuleId::kSyncDone : r);
      }
      case Status::kUpgrading: {
        if (!Is(s, kPrimary, Status::kActive)) return Rejected(s, RuleId::kPreUpgradeByPrimary);
        t.hosts[h].version = s.hosts[kPrimary].version;
        RuleId r = Land(t, h, false);
        return Accepted(t, r == RuleId::kLandStandby ? RuleId::kUpgradeDone : r);
      }
      default:
        return Rejected(s, RuleId::kPreTarget);
    }
  }
};

std::string Label(Status st) { return std::string(kStatusNames.Label(st)); }
std::string Name(int h) { return std::string(HostName(h)); }

bool IsFailoverTrigger(const Op& op) {
  return std::holds_alternative<HostFails>(op) || std::holds_alternative<ConnectivityTest>(op) ||
         std::holds_alternative<SetOffline>(op);
}

// Ops through which the secondary may lose the active role to the primary.
bool SecondaryLosesRole(const Op& op) {
  if (std::holds_alternative<SwitchPrimaryToActive>(op) ||
      std::holds_alternative<ConnectivityTest>(op)) {
    return true;
  }
  if (const auto* f = std::get_if<HostFails>(&op)) return f->host == kSecondary;
  if (const auto* o = std::get_if<SetOffline>(&op)) return o->host == kSecondary;
  return false;
}

}  // namespace

std::string_view HostName(int host) { return kRoleNames.Name(static_cast<Role>(host)); }

std::span<const Rule> Jsa::Rules() { return kRules; }
std::span<const std::string_view> Jsa::StatusNames() { return kStatusNameList; }

State Jsa::Initial() {
  State s;
  Activate(s, kPrimary);
  return s;
}

Jsa::OutcomeT Jsa::Step(const State& s, const Op& op) { return std::visit(Stepper{s}, op); }

void Jsa::Outcomes(const State& s, const Op& op, std::vector<OutcomeT>& out) {
  OutcomeT o = Step(s, op);
  out.push_back(o);
  if (!o.accepted) return;
  // The documents disagree on where these hosts land: Standby (Step's
  // choice) or Offline.
  int lands = -1;
  if (o.rule == RuleId::kRecoveredPrimary) lands = kPrimary;
  if (o.rule == RuleId::kNetFailover) lands = ActiveHost(s);
  if (lands < 0) return;
  Idle(o.next.hosts[lands], Status::kOffline);
  out.push_back(o);
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
  const auto cause = static_cast<Cause>(Hash(s) % kCauseNames.size());
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
    out.push_back(RepairHost{h8, x.version % 2 == 0});
    out.push_back(RestoreHost{h8});
  }
}

void Jsa::CheckInvariants(const State& s, std::vector<FindingT>& out) {
  const Host& pri = s.hosts[kPrimary];
  const Host& sec = s.hosts[kSecondary];
  for (int h = 0; h < (s.paired ? kHosts : 1); ++h) {
    const Host& x = s.hosts[h];
    const bool active = x.status == Status::kActive;
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
      out.push_back({RuleId::kInvLicense, Name(h) + " shows Needs License but the pair is licensed"});
    }
    if (!s.licensed && (active || x.status == Status::kStandby)) {
      out.push_back({RuleId::kInvLicense,
                     Name(h) + " is " + Label(x.status) + " but the pair has no license"});
    }
    if (x.repaired && x.status != Status::kFailed) {
      out.push_back({RuleId::kInvWellFormed,
                     Name(h) + " is marked repaired but is " + Label(x.status)});
    }
  }
  if (!s.paired) {
    if (sec != Host{} || s.failed_over || s.disk_replication) {
      out.push_back({RuleId::kInvWellFormed,
                     "no HA pair exists but the secondary, failed-over or replication flag is set"});
    }
    return;
  }
  if (pri.status == Status::kActive && sec.status == Status::kActive) {
    out.push_back({RuleId::kInvOneActive, "primary and secondary are both Active"});
  }
  if (sec.status == Status::kActive && (!s.failed_over || pri.status == Status::kActive)) {
    out.push_back({RuleId::kInvSecondaryActiveMeansPrimaryFailed,
                   "the secondary is Active but the primary is " + Label(pri.status) +
                       (s.failed_over ? "" : " and never failed over")});
  }
  if (s.failed_over && pri.status == Status::kActive && sec.status != Status::kActive) {
    out.push_back({RuleId::kInvWellFormed, "the pair is marked failed over but the primary is Active"});
  }
  if (sec.version > pri.version) {
    out.push_back({RuleId::kInvSecondaryNotAhead,
                   "the secondary runs version " + std::to_string(sec.version) +
                       " but the primary runs " + std::to_string(pri.version)});
  }
  const bool serving = sec.status == Status::kActive || sec.status == Status::kStandby ||
                       sec.status == Status::kSynchronizing;
  if ((serving && sec.version != pri.version) ||
      (sec.status == Status::kNeedsUpgrade && sec.version >= pri.version)) {
    out.push_back({RuleId::kInvBehindNeedsUpgrade,
                   "the secondary is " + Label(sec.status) + " on version " +
                       std::to_string(sec.version) + " while the primary runs " +
                       std::to_string(pri.version)});
  }
}

void Jsa::CheckTransition(const State& before, const Op& op, const State& after,
                          std::vector<FindingT>& out) {
  for (int h = 0; h < (before.paired ? kHosts : 1); ++h) {
    if (before.hosts[h].status != Status::kFailed || after.hosts[h].status == Status::kFailed) {
      continue;
    }
    const auto* r = std::get_if<RestoreHost>(&op);
    if (!r || r->host != h) {
      out.push_back({RuleId::kInvFailedStays,
                     Name(h) + " left Failed for " + Label(after.hosts[h].status) + " on " +
                         Jsa::Show(op) + " (only restore_host may end Failed)"});
    }
  }
  int offline = -1;
  for (int h = 0; h < (before.paired ? kHosts : 1); ++h) {
    if (before.hosts[h].status == Status::kOffline) offline = h;
  }
  // A failure, ping test or offline request hands the role to nobody while a
  // host is Offline; no op at all (completion, landing, license) makes the
  // Offline host itself Active.
  for (int h = 0; offline >= 0 && h < kHosts; ++h) {
    if (after.hosts[h].status == Status::kActive && before.hosts[h].status != Status::kActive &&
        (IsFailoverTrigger(op) || h == offline)) {
      out.push_back({RuleId::kInvNoFailoverWhileOffline,
                     Name(h) + " became Active on " + Jsa::Show(op) + " while " +
                         Name(offline) + " was Offline"});
    }
  }
  // The secondary takes the role only from a primary that failed now (a
  // failure, ping test or manual failover of the Active primary), failed
  // before, or already lost the role to it: not from one that is merely
  // away. `failed_over` alone is not trusted here.
  const Status pri_before = before.hosts[kPrimary].status;
  const Status pri_after = after.hosts[kPrimary].status;
  if (before.paired && after.hosts[kSecondary].status == Status::kActive &&
      before.hosts[kSecondary].status != Status::kActive && !before.failed_over &&
      pri_after != Status::kFailed && pri_after != Status::kRestoring &&
      !(pri_before == Status::kActive && IsFailoverTrigger(op))) {
    out.push_back({RuleId::kInvSecondaryActiveMeansPrimaryFailed,
                   "the secondary became Active on " + Jsa::Show(op) + " but the primary " +
                       (pri_before == pri_after ? "is " + Label(pri_after)
                                                : "went from " + Label(pri_before) + " to " +
                                                      Label(pri_after)) +
                       " and never failed"});
  }
  const Host& sec = before.hosts[kSecondary];
  const bool secondary_holds_role =
      before.paired && (sec.status == Status::kActive ||
                        (before.failed_over && sec.status == Status::kNeedsLicense));
  if (secondary_holds_role && before.hosts[kPrimary].status != Status::kActive &&
      after.hosts[kPrimary].status == Status::kActive && !SecondaryLosesRole(op)) {
    out.push_back({RuleId::kInvNoAutoSwitchBack,
                   "the primary took Active from the " + Label(sec.status) + " secondary on " +
                       Jsa::Show(op) + " without the administrator's switch"});
  }
  const bool process = std::holds_alternative<ProcessExits>(op);
  if ((process || std::holds_alternative<DiskFull>(op)) && !(before == after)) {
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
  const std::string unprotected = "the Active " + Name(a) + " is not protected by HA: " + Name(p) +
                                  " is " + Label(ps);
  switch (ps) {
    case Status::kStandby:
      if (a == kSecondary) {
        out.push_back({RuleId::kAdvSwitchBack,
                       "the secondary is Active and the primary Standby: switch the primary back to active"});
      }
      return;
    case Status::kFailed:
      out.push_back({p == kSecondary ? RuleId::kAdvSecondaryFailed : RuleId::kAdvUnprotectedOther,
                     unprotected});
      return;
    case Status::kNeedsUpgrade: out.push_back({RuleId::kAdvNeedsUpgrade, unprotected}); return;
    case Status::kUpgrading: out.push_back({RuleId::kAdvUpgrading, unprotected}); return;
    case Status::kOffline: out.push_back({RuleId::kAdvPeerOffline, unprotected}); return;
    default: out.push_back({RuleId::kAdvUnprotectedOther, unprotected}); return;
  }
}

Observation Jsa::Observe(const State& s) {
  Observation o;
  o.hosts[kPrimary] = s.hosts[kPrimary].status;
  if (s.paired) o.hosts[kSecondary] = s.hosts[kSecondary].status;
  return o;
}

std::size_t Jsa::Hash(const State& s) {
  std::size_t h = 0;
  for (const Host& x : s.hosts) {
    HashCombine(h, static_cast<unsigned>(x.status) | (static_cast<unsigned>(x.services) << 4) |
                       (static_cast<unsigned>(x.vip) << 5) |
                       (static_cast<unsigned>(x.repaired) << 6) |
                       (static_cast<unsigned>(x.version) << 8));
  }
  HashCombine(h, static_cast<unsigned>(s.paired) | (static_cast<unsigned>(s.disk_replication) << 1) |
                     (static_cast<unsigned>(s.licensed) << 2) |
                     (static_cast<unsigned>(s.failed_over) << 3));
  return h;
}

std::string Jsa::Show(const State& s) {
  std::string out = "{";
  for (int h = 0; h < (s.paired ? kHosts : 1); ++h) {
    const Host& x = s.hosts[h];
    if (h) out += ", ";
    out += Name(h) + " " + Label(x.status) + " v" + std::to_string(x.version);
    if (x.services) out += " services";
    if (x.vip) out += " vip";
    if (x.repaired) out += " repaired";
  }
  if (!s.paired) out += ", no pair";
  if (s.paired) out += s.disk_replication ? ", replication" : ", no replication";
  if (!s.licensed) out += ", unlicensed";
  if (s.failed_over) out += ", failed over";
  return out + "}";
}

std::string Jsa::Show(const Op& op) {
  struct Printer {
    std::string operator()(const CreatePair& o) const {
      return std::string("create_pair") + (o.disk_replication ? " with" : " without") +
             " disk replication";
    }
    std::string operator()(const SetOffline& o) const { return "set_offline " + Name(o.host); }
    std::string operator()(const SetOnline& o) const { return "set_online " + Name(o.host); }
    std::string operator()(const RepairHost& o) const {
      return (o.replace ? "repair_host (replace) " : "repair_host ") + Name(o.host);
    }
    std::string operator()(const RestoreHost& o) const { return "restore_host " + Name(o.host); }
    std::string operator()(const SwitchPrimaryToActive&) const { return "switch_primary_to_active"; }
    std::string operator()(const ApplyLicense&) const { return "apply_license"; }
    std::string operator()(const PatchPrimary&) const { return "patch_primary"; }
    std::string operator()(const StartUpgrade&) const { return "start_upgrade"; }
    std::string operator()(const HostFails& o) const {
      return "host_fails " + Name(o.host) + " (" + std::string(kCauseNames.Name(o.cause)) + ")";
    }
    std::string operator()(const ConnectivityTest& o) const {
      if (o.sweep_ok) return "connectivity_test (sweep ok)";
      return std::string("connectivity_test (sweep fails, standby cross-check ") +
             (o.standby_ok ? "ok" : "fails") + ", re-ping " + (o.reping_ok ? "ok" : "fails") + ")";
    }
    std::string operator()(const ProcessExits& o) const { return "process_exits " + Name(o.host); }
    std::string operator()(const DiskFull& o) const { return "disk_full " + Name(o.host); }
    std::string operator()(const LicenseLost&) const { return "license_lost"; }
    std::string operator()(const Complete& o) const { return "complete " + Name(o.host); }
  };
  return std::visit(Printer{}, op);
}

std::string Jsa::Show(const Observation& o) {
  std::string out = "[";
  for (int h = 0; h < kHosts; ++h) {
    if (!o.hosts[h]) continue;
    if (out.size() > 1) out += "; ";
    out += Name(h) + " " + Label(*o.hosts[h]);
  }
  return out + "]";
}

}  // namespace haspec::jsa
