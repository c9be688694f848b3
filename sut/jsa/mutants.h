// Deliberately broken variants of the JSA HA model. Each breaks one
// documented rule the way a real HA manager might; the property tests must
// catch every one (properties/jsa/jsa_mutation_test.cc). They also serve as
// faulty systems under test for the gate.
//
//   static_assert(haspec::Machine<haspec::jsa::mutants::OfflinePeerTakesOver>);
#ifndef HASPEC_SUT_JSA_MUTANTS_H_
#define HASPEC_SUT_JSA_MUTANTS_H_

#include <variant>
#include <vector>

#include "model/jsa/jsa.h"

namespace haspec::jsa::mutants {

using OutcomeT = Jsa::OutcomeT;

template <class T>
const T* As(const Op& op) {
  return std::get_if<T>(&op);
}

inline void Serve(Host& x) {
  x.status = Status::kActive;
  x.services = true;
  x.vip = true;
}
inline void Stop(Host& x, Status st) {
  x.status = st;
  x.services = false;
  x.vip = false;
}
inline int ActiveIn(const State& s) {
  if (s.hosts[kPrimary].status == Status::kActive) return kPrimary;
  if (s.paired && s.hosts[kSecondary].status == Status::kActive) return kSecondary;
  return -1;
}

// ---- Failover ---------------------------------------------------------------

// A read-only NFS mount is not noticed: the host keeps serving.
struct NfsReadOnlyIgnored : Jsa {
  static OutcomeT Step(const State& s, const Op& op) {
    auto* f = As<HostFails>(op);
    if (f && f->cause == Cause::kNfsReadOnly && f->host < kHosts &&
        s.hosts[f->host].status == Status::kActive) {
      return {s, RuleId::kNoFailoverProcess, true};
    }
    return Jsa::Step(s, op);
  }
};

// A failing Standby secondary takes the Active primary down with it.
struct SecondaryFailureStopsPrimary : Jsa {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = Jsa::Step(s, op);
    if (o.accepted && o.rule == RuleId::kSecondaryFails) Stop(o.next.hosts[kPrimary], Status::kStandby);
    return o;
  }
};

// The old Active host keeps the cluster IP after a failover.
struct FailoverLeavesClusterIp : Jsa {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = Jsa::Step(s, op);
    if (o.accepted && (o.rule == RuleId::kPrimaryFailover || o.rule == RuleId::kStandbyTakesOver)) {
      o.next.hosts[As<HostFails>(op)->host].vip = true;
    }
    return o;
  }
};

// The new Active host gets the cluster IP but its services are not started.
struct TakeoverWithoutServices : Jsa {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = Jsa::Step(s, op);
    if (o.accepted && (o.rule == RuleId::kPrimaryFailover || o.rule == RuleId::kStandbyTakesOver)) {
      o.next.hosts[Peer(As<HostFails>(op)->host)].services = false;
    }
    return o;
  }
};

// A QRadar process exiting on the Active host triggers a failover.
struct ProcessExitFailsOver : Jsa {
  static OutcomeT Step(const State& s, const Op& op) {
    auto* p = As<ProcessExits>(op);
    if (p && p->host < kHosts && s.hosts[p->host].status == Status::kActive) {
      return Jsa::Step(s, HostFails{p->host, Cause::kNotCapable});
    }
    return Jsa::Step(s, op);
  }
};

// A disk at 95% fails the host over.
struct FullDiskFailsOver : Jsa {
  static OutcomeT Step(const State& s, const Op& op) {
    auto* d = As<DiskFull>(op);
    if (d && d->host < kHosts && s.hosts[d->host].status == Status::kActive) {
      return Jsa::Step(s, HostFails{d->host, Cause::kNotCapable});
    }
    return Jsa::Step(s, op);
  }
};

// ---- Network connectivity test ------------------------------------------------

// The Standby's failed cross-check is ignored: the re-ping alone decides.
struct IgnoresStandbyCrossCheck : Jsa {
  static OutcomeT Step(const State& s, const Op& op) {
    if (auto* t = As<ConnectivityTest>(op)) {
      return Jsa::Step(s, ConnectivityTest{t->sweep_ok, true, t->reping_ok});
    }
    return Jsa::Step(s, op);
  }
};

// A failed sweep fails over at once, without the re-ping.
struct FailsOverWithoutReping : Jsa {
  static OutcomeT Step(const State& s, const Op& op) {
    if (auto* t = As<ConnectivityTest>(op)) {
      return Jsa::Step(s, ConnectivityTest{t->sweep_ok, t->standby_ok, t->sweep_ok});
    }
    return Jsa::Step(s, op);
  }
};

// The previously active host is marked Failed after a ping-test failover.
struct PingFailoverMarksFailed : Jsa {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = Jsa::Step(s, op);
    if (o.accepted && o.rule == RuleId::kNetFailover) Stop(o.next.hosts[ActiveIn(s)], Status::kFailed);
    return o;
  }
};

// Outcomes offers only Standby where the documents allow Standby or Offline.
struct OffersOnlyStandbyLanding : Jsa {
  static void Outcomes(const State& s, const Op& op, std::vector<OutcomeT>& out) {
    out.push_back(Jsa::Step(s, op));
  }
};

// ---- Offline and online ---------------------------------------------------------

// The Standby takes over from a failing Active host although it is Offline.
struct OfflinePeerTakesOver : Jsa {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = Jsa::Step(s, op);
    auto* f = As<HostFails>(op);
    if (o.accepted && o.rule == RuleId::kNoFailoverPeerOffline && f) {
      Serve(o.next.hosts[Peer(f->host)]);
      o.next.failed_over = Peer(f->host) == kSecondary;
    }
    return o;
  }
};

// Set System Offline goes straight to Offline.
struct SkipsSettingOffline : Jsa {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = Jsa::Step(s, op);
    auto* x = As<SetOffline>(op);
    if (o.accepted && x) o.next.hosts[x->host].status = Status::kOffline;
    return o;
  }
};

// Setting Online goes straight back to Standby, never showing Online.
struct SkipsOnline : Jsa {
  static OutcomeT Step(const State& s, const Op& op) {
    auto* c = As<Complete>(op);
    if (c && c->host < kHosts && s.hosts[c->host].status == Status::kSettingOnline) {
      OutcomeT o = Jsa::Step(s, op);
      return Jsa::Step(o.next, op);
    }
    return Jsa::Step(s, op);
  }
};

// Setting the Active host offline leaves the pair with no Active host.
struct ManualFailoverLeavesNoActive : Jsa {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = Jsa::Step(s, op);
    auto* x = As<SetOffline>(op);
    if (o.accepted && o.rule == RuleId::kManualFailover) {
      Stop(o.next.hosts[Peer(x->host)], Status::kStandby);
      o.next.failed_over = false;
    }
    return o;
  }
};

// The old Active host stays Active when set offline, beside its new peer.
struct TwoActiveAfterManualFailover : Jsa {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = Jsa::Step(s, op);
    if (o.accepted && o.rule == RuleId::kManualFailover) Serve(o.next.hosts[As<SetOffline>(op)->host]);
    return o;
  }
};

// An Offline host keeps its services running.
struct OfflineKeepsServices : Jsa {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = Jsa::Step(s, op);
    if (o.accepted && o.rule == RuleId::kOfflineSettles) o.next.hosts[As<Complete>(op)->host].services = true;
    return o;
  }
};

// ---- Repair, restore, switch back -----------------------------------------------

// A Failed host comes back by itself once the product "completes" it.
struct FailedHostRecoversByItself : Jsa {
  static OutcomeT Step(const State& s, const Op& op) {
    auto* c = As<Complete>(op);
    if (c && c->host < kHosts && s.hosts[c->host].status == Status::kFailed &&
        (c->host == kPrimary || s.paired)) {
      State t = s;
      Stop(t.hosts[c->host], Status::kRestoring);
      return Jsa::Step(t, op);
    }
    return Jsa::Step(s, op);
  }
};

// Restore is accepted on a Failed host that was never repaired.
struct RestoreWithoutRepair : Jsa {
  static OutcomeT Step(const State& s, const Op& op) {
    auto* r = As<RestoreHost>(op);
    if (r && r->host < kHosts) {
      State t = s;
      t.hosts[r->host].repaired = t.hosts[r->host].status == Status::kFailed;
      return Jsa::Step(t, op);
    }
    return Jsa::Step(s, op);
  }
};

// Repair is accepted on any host and marks it repaired.
struct RepairMarksAnyHost : Jsa {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = Jsa::Step(s, op);
    auto* r = As<RepairHost>(op);
    if (!o.accepted && r && r->host < kHosts && (r->host == kPrimary || s.paired)) {
      o.next.hosts[r->host].repaired = true;
      o.accepted = true;
      o.rule = RuleId::kRepair;
    }
    return o;
  }
};

// Repairing the secondary installs a newer release than the primary runs.
struct RepairInstallsNewerSoftware : Jsa {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = Jsa::Step(s, op);
    auto* r = As<RepairHost>(op);
    if (o.accepted && r && r->host == kSecondary) {
      o.next.hosts[kSecondary].version = static_cast<std::uint8_t>(s.hosts[kPrimary].version + 1);
    }
    return o;
  }
};

// A restored host starts its services while Restoring.
struct RestoringStartsServices : Jsa {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = Jsa::Step(s, op);
    if (o.accepted && o.rule == RuleId::kRestore) o.next.hosts[As<RestoreHost>(op)->host].services = true;
    return o;
  }
};

// A restored host synchronizes even without disk replication.
struct RestoreAlwaysSynchronizes : Jsa {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = Jsa::Step(s, op);
    auto* c = As<Complete>(op);
    if (o.accepted && c && s.hosts[c->host].status == Status::kRestoring &&
        o.next.hosts[c->host].status == Status::kStandby) {
      Stop(o.next.hosts[c->host], Status::kSynchronizing);
      o.rule = RuleId::kRestoreSync;
    }
    return o;
  }
};

// With disk replication, a restored host skips Synchronizing.
struct RestoreSkipsSynchronizing : Jsa {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = Jsa::Step(s, op);
    if (o.accepted && o.rule == RuleId::kRestoreSync) return Jsa::Step(o.next, op);
    return o;
  }
};

// A recovered primary takes the Active status back by itself.
struct RecoveredPrimaryRetakesActive : Jsa {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = Jsa::Step(s, op);
    if (o.accepted && o.rule == RuleId::kRecoveredPrimary) {
      Stop(o.next.hosts[kSecondary], Status::kStandby);
      Serve(o.next.hosts[kPrimary]);
      o.next.failed_over = false;
    }
    return o;
  }
};

// Switching the primary back leaves the cluster IP on the secondary.
struct SwitchKeepsClusterIpOnSecondary : Jsa {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = Jsa::Step(s, op);
    if (o.accepted && o.rule == RuleId::kSwitchPrimaryActive) o.next.hosts[kSecondary].vip = true;
    return o;
  }
};

// After the switch back the secondary keeps its services running.
struct SwitchBackKeepsSecondaryServices : Jsa {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = Jsa::Step(s, op);
    if (o.accepted && o.rule == RuleId::kSwitchPrimaryActive) o.next.hosts[kSecondary].services = true;
    return o;
  }
};

// ---- License --------------------------------------------------------------------

// Without a license the Active host keeps its processes running.
struct LicenseLossKeepsProcesses : Jsa {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = Jsa::Step(s, op);
    const int a = ActiveIn(s);
    if (o.accepted && o.rule == RuleId::kLicenseLost && a >= 0) o.next.hosts[a].services = true;
    return o;
  }
};

// Losing the license leaves the Standby host Standby.
struct LicenseLossSparesStandby : Jsa {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = Jsa::Step(s, op);
    if (!o.accepted || o.rule != RuleId::kLicenseLost) return o;
    for (int h = 0; h < kHosts; ++h) {
      if (s.hosts[h].status == Status::kStandby && (h == kPrimary || s.paired)) {
        o.next.hosts[h].status = Status::kStandby;
      }
    }
    return o;
  }
};

// Applying the license always brings the primary back first, so after a
// failover the primary takes Active from the secondary.
struct LicensePrefersPrimary : Jsa {
  static OutcomeT Step(const State& s, const Op& op) {
    if (As<ApplyLicense>(op) && s.failed_over) {
      State t = s;
      t.failed_over = false;
      return Jsa::Step(t, op);
    }
    return Jsa::Step(s, op);
  }
};

// Applying the license always brings the secondary back first, as if the
// pair had failed over, so it turns Active although the primary never failed.
struct LicensePrefersSecondary : Jsa {
  static OutcomeT Step(const State& s, const Op& op) {
    if (As<ApplyLicense>(op) && s.paired && !s.failed_over) {
      State t = s;
      t.failed_over = true;
      return Jsa::Step(t, op);
    }
    return Jsa::Step(s, op);
  }
};

// A returning secondary takes Active beside a primary that is merely away
// (Offline, Needs License, ...), and marks the pair failed over so the state
// alone looks consistent.
struct SecondaryTakesRoleFromAbsentPrimary : Jsa {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = Jsa::Step(s, op);
    if (o.accepted && o.rule == RuleId::kLandStandbyPrimaryNotFailed) {
      Serve(o.next.hosts[kSecondary]);
      o.next.failed_over = true;
      o.rule = RuleId::kLandActive;
    }
    return o;
  }
};

// ---- Upgrade --------------------------------------------------------------------

// A patched primary leaves its secondary Standby on the old version.
struct PatchKeepsSecondaryStandby : Jsa {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = Jsa::Step(s, op);
    if (o.accepted && As<PatchPrimary>(op) && o.rule == RuleId::kLandNeedsUpgrade) {
      o.next.hosts[kSecondary].status = s.hosts[kSecondary].status;
    }
    return o;
  }
};

// The patch goes to whichever host is Active; a Standby primary then shows
// Needs Upgrade.
struct PatchesTheActiveHost : Jsa {
  static OutcomeT Step(const State& s, const Op& op) {
    if (As<PatchPrimary>(op) && s.paired && s.hosts[kSecondary].status == Status::kActive &&
        s.hosts[kPrimary].status == Status::kStandby) {
      State t = s;
      ++t.hosts[kSecondary].version;
      t.hosts[kPrimary].status = Status::kNeedsUpgrade;
      return {t, RuleId::kLandNeedsUpgrade, true};
    }
    return Jsa::Step(s, op);
  }
};

// The patch goes to whichever host is Active and it upgrades a Standby
// primary right away.
struct UpgradesTheStandbyPrimary : Jsa {
  static OutcomeT Step(const State& s, const Op& op) {
    if (As<PatchPrimary>(op) && s.paired && s.hosts[kSecondary].status == Status::kActive &&
        s.hosts[kPrimary].status == Status::kStandby) {
      State t = s;
      t.hosts[kPrimary].status = Status::kUpgrading;
      return {t, RuleId::kUpgradeStart, true};
    }
    return Jsa::Step(s, op);
  }
};

// An upgrade of the secondary finishes although the primary is not Active.
struct UpgradeFinishesWithoutPrimary : Jsa {
  static OutcomeT Step(const State& s, const Op& op) {
    auto* c = As<Complete>(op);
    if (c && c->host == kSecondary && s.paired && s.hosts[kSecondary].status == Status::kUpgrading &&
        s.hosts[kPrimary].status != Status::kActive) {
      State t = s;
      t.hosts[kSecondary].version = s.hosts[kPrimary].version;
      Stop(t.hosts[kSecondary], Status::kStandby);
      return {t, RuleId::kUpgradeDone, true};
    }
    return Jsa::Step(s, op);
  }
};

// A secondary in Needs Upgrade takes over from a failing primary.
struct NeedsUpgradeSecondaryTakesOver : Jsa {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = Jsa::Step(s, op);
    if (o.accepted && o.rule == RuleId::kNoFailoverDuringUpgrade && As<HostFails>(op) &&
        s.hosts[kSecondary].status == Status::kNeedsUpgrade) {
      Serve(o.next.hosts[kSecondary]);
      o.next.failed_over = true;
    }
    return o;
  }
};

// ---- Pair creation --------------------------------------------------------------

// A new pair synchronizes even without disk replication.
struct PairAlwaysSynchronizes : Jsa {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = Jsa::Step(s, op);
    if (o.accepted && o.rule == RuleId::kCreatePair) Stop(o.next.hosts[kSecondary], Status::kSynchronizing);
    return o;
  }
};

// ---- What is reported ---------------------------------------------------------------

// Observe: a Failed host is shown Offline.
struct ShowsFailedAsOffline : Jsa {
  static Observation Observe(const State& s) {
    Observation o = Jsa::Observe(s);
    for (auto& h : o.hosts) {
      if (h == Status::kFailed) h = Status::kOffline;
    }
    return o;
  }
};

// Advisories: a Failed secondary is not reported as leaving the primary
// unprotected.
struct SilentAboutFailedSecondary : Jsa {
  static void CheckAdvisories(const State& s, std::vector<FindingT>& out) {
    std::vector<FindingT> all;
    Jsa::CheckAdvisories(s, all);
    for (auto& f : all) {
      if (f.rule != RuleId::kAdvSecondaryFailed) out.push_back(std::move(f));
    }
  }
};

}  // namespace haspec::jsa::mutants

#endif  // HASPEC_SUT_JSA_MUTANTS_H_
