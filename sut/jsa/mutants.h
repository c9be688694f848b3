// Deliberately broken variants of the JSA HA model. Each breaks one
// documented rule the way a real HA manager might; the property tests must
// catch every one (properties/jsa/jsa_mutation_test.cc).
//
// A mutant overrides Refusals and/or Effects (or Observe, CheckAdvisories)
// and repeats HASPEC_MACHINE_DERIVED, so its Step, Outcomes and AnswersOf
// are the mutated ones. Three shapes cover most of them:
//   * EffectsMutant<Self>: Self::Mutate(s, op, outcome) edits each landing;
//   * OpMutant<Self>: Self::Rewrite(s, op) is the op the broken product
//     actually acts on (refusals and effects both);
//   * StateMutant<Self>: Self::Believe(s, op) is the state the broken
//     product believes it is in (refusals and effects both).
//
//   static_assert(haspec::Machine<haspec::jsa::mutants::OfflinePeerTakesOver>);
#ifndef HASPEC_SUT_JSA_MUTANTS_H_
#define HASPEC_SUT_JSA_MUTANTS_H_

#include <algorithm>
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

template <class Self>
struct EffectsMutant : Jsa {
  static void Effects(const State& s, const Op& op, std::vector<OutcomeT>& out) {
    const std::size_t first = out.size();
    Jsa::Effects(s, op, out);
    for (std::size_t i = first; i < out.size(); ++i) Self::Mutate(s, op, out[i]);
  }
};

template <class Self>
struct OpMutant : Jsa {
  static void Refusals(const State& s, const Op& op, std::vector<RuleId>& out) {
    Jsa::Refusals(s, Self::Rewrite(s, op), out);
  }
  static void Effects(const State& s, const Op& op, std::vector<OutcomeT>& out) {
    Jsa::Effects(s, Self::Rewrite(s, op), out);
  }
};

template <class Self>
struct StateMutant : Jsa {
  static void Refusals(const State& s, const Op& op, std::vector<RuleId>& out) {
    Jsa::Refusals(Self::Believe(s, op), op, out);
  }
  static void Effects(const State& s, const Op& op, std::vector<OutcomeT>& out) {
    Jsa::Effects(Self::Believe(s, op), op, out);
  }
};

// ---- Failover ---------------------------------------------------------------

// A read-only NFS mount is not noticed: the Active host keeps serving.
struct NfsReadOnlyIgnored : OpMutant<NfsReadOnlyIgnored> {
  static Op Rewrite(const State& s, const Op& op) {
    auto* f = As<HostFails>(op);
    if (f && f->cause == Cause::kNfsReadOnly && s.hosts[f->host].status == Status::kActive) {
      return ProcessExits{f->host};
    }
    return op;
  }
  HASPEC_MACHINE_DERIVED(NfsReadOnlyIgnored)
};

// A failing Standby secondary takes the Active primary down with it.
struct SecondaryFailureStopsPrimary : EffectsMutant<SecondaryFailureStopsPrimary> {
  static void Mutate(const State&, const Op&, OutcomeT& o) {
    if (o.rule == RuleId::kSecondaryFails) Stop(o.next.hosts[kPrimary], Status::kStandby);
  }
  HASPEC_MACHINE_DERIVED(SecondaryFailureStopsPrimary)
};

// The old Active host keeps the cluster IP after a failover.
struct FailoverLeavesClusterIp : EffectsMutant<FailoverLeavesClusterIp> {
  static void Mutate(const State&, const Op& op, OutcomeT& o) {
    if (o.rule == RuleId::kPrimaryFailover || o.rule == RuleId::kStandbyTakesOver) {
      o.next.hosts[As<HostFails>(op)->host].vip = true;
    }
  }
  HASPEC_MACHINE_DERIVED(FailoverLeavesClusterIp)
};

// The new Active host gets the cluster IP but its services are not started.
struct TakeoverWithoutServices : EffectsMutant<TakeoverWithoutServices> {
  static void Mutate(const State&, const Op& op, OutcomeT& o) {
    if (o.rule == RuleId::kPrimaryFailover || o.rule == RuleId::kStandbyTakesOver) {
      o.next.hosts[Peer(As<HostFails>(op)->host)].services = false;
    }
  }
  HASPEC_MACHINE_DERIVED(TakeoverWithoutServices)
};

// A QRadar process exiting on the Active host triggers a failover.
struct ProcessExitFailsOver : OpMutant<ProcessExitFailsOver> {
  static Op Rewrite(const State& s, const Op& op) {
    auto* p = As<ProcessExits>(op);
    if (p && s.hosts[p->host].status == Status::kActive) {
      return HostFails{p->host, Cause::kNotCapable};
    }
    return op;
  }
  HASPEC_MACHINE_DERIVED(ProcessExitFailsOver)
};

// A disk at 95% fails the host over.
struct FullDiskFailsOver : OpMutant<FullDiskFailsOver> {
  static Op Rewrite(const State& s, const Op& op) {
    auto* d = As<DiskFull>(op);
    if (d && s.hosts[d->host].status == Status::kActive) {
      return HostFails{d->host, Cause::kNotCapable};
    }
    return op;
  }
  HASPEC_MACHINE_DERIVED(FullDiskFailsOver)
};

// ---- Network connectivity test ------------------------------------------------

// The Standby's failed cross-check is ignored: the re-ping alone decides.
struct IgnoresStandbyCrossCheck : OpMutant<IgnoresStandbyCrossCheck> {
  static Op Rewrite(const State&, const Op& op) {
    if (auto* t = As<ConnectivityTest>(op))
      return ConnectivityTest{t->sweep_ok, true, t->reping_ok};
    return op;
  }
  HASPEC_MACHINE_DERIVED(IgnoresStandbyCrossCheck)
};

// A failed sweep fails over at once, without the re-ping.
struct FailsOverWithoutReping : OpMutant<FailsOverWithoutReping> {
  static Op Rewrite(const State&, const Op& op) {
    if (auto* t = As<ConnectivityTest>(op)) {
      return ConnectivityTest{t->sweep_ok, t->standby_ok, t->sweep_ok};
    }
    return op;
  }
  HASPEC_MACHINE_DERIVED(FailsOverWithoutReping)
};

// The previously active host is marked Failed after a ping-test failover.
struct PingFailoverMarksFailed : EffectsMutant<PingFailoverMarksFailed> {
  static void Mutate(const State& s, const Op&, OutcomeT& o) {
    if (o.rule == RuleId::kNetFailover) Stop(o.next.hosts[ActiveHost(s)], Status::kFailed);
  }
  HASPEC_MACHINE_DERIVED(PingFailoverMarksFailed)
};

// Only the first landing is offered where the documents allow Standby or
// Offline (ping-test failover, recovered primary).
struct OffersOnlyStandbyLanding : Jsa {
  static void Effects(const State& s, const Op& op, std::vector<OutcomeT>& out) {
    const std::size_t first = out.size();
    Jsa::Effects(s, op, out);
    bool own = false;
    std::vector<OutcomeT> kept;
    for (std::size_t i = first; i < out.size(); ++i) {
      if (!out[i].departs && own) continue;
      own = own || !out[i].departs;
      kept.push_back(out[i]);
    }
    out.resize(first);
    out.insert(out.end(), kept.begin(), kept.end());
  }
  HASPEC_MACHINE_DERIVED(OffersOnlyStandbyLanding)
};

// ---- Offline and online ---------------------------------------------------------

// The Standby takes over from a failing Active host although it is Offline.
struct OfflinePeerTakesOver : EffectsMutant<OfflinePeerTakesOver> {
  static void Mutate(const State&, const Op& op, OutcomeT& o) {
    auto* f = As<HostFails>(op);
    if (o.rule == RuleId::kNoFailoverPeerOffline && f) {
      Serve(o.next.hosts[Peer(f->host)]);
      o.next.holder = static_cast<std::uint8_t>(Peer(f->host));
    }
  }
  HASPEC_MACHINE_DERIVED(OfflinePeerTakesOver)
};

// Set System Offline goes straight to Offline.
struct SkipsSettingOffline : EffectsMutant<SkipsSettingOffline> {
  static void Mutate(const State&, const Op& op, OutcomeT& o) {
    if (auto* x = As<SetOffline>(op)) o.next.hosts[x->host].status = Status::kOffline;
  }
  HASPEC_MACHINE_DERIVED(SkipsSettingOffline)
};

// Setting Online goes straight back to Standby, never showing Online.
struct SkipsOnline : Jsa {
  static void Effects(const State& s, const Op& op, std::vector<OutcomeT>& out) {
    auto* c = As<Complete>(op);
    if (c && s.hosts[c->host].status == Status::kSettingOnline && (c->host == 0 || s.paired)) {
      std::vector<OutcomeT> online;
      Jsa::Effects(s, op, online);
      Jsa::Effects(online.front().next, op, out);
      return;
    }
    Jsa::Effects(s, op, out);
  }
  HASPEC_MACHINE_DERIVED(SkipsOnline)
};

// Setting the Active host offline leaves the pair with no Active host.
struct ManualFailoverLeavesNoActive : EffectsMutant<ManualFailoverLeavesNoActive> {
  static void Mutate(const State&, const Op& op, OutcomeT& o) {
    if (o.rule == RuleId::kManualFailover) {
      const int p = Peer(As<SetOffline>(op)->host);
      Stop(o.next.hosts[p], Status::kStandby);
      o.next.holder = static_cast<std::uint8_t>(Peer(p));
    }
  }
  HASPEC_MACHINE_DERIVED(ManualFailoverLeavesNoActive)
};

// The only Active host is set offline although no Standby peer can take
// over (issue 7: seed 003 describes Offline beside an active host).
struct OfflinesTheOnlyActiveHost : Jsa {
  static void Refusals(const State& s, const Op& op, std::vector<RuleId>& out) {
    const std::size_t first = out.size();
    Jsa::Refusals(s, op, out);
    out.erase(std::remove(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(),
                          RuleId::kPreOfflineNeedsStandbyPeer),
              out.end());
  }
  HASPEC_MACHINE_DERIVED(OfflinesTheOnlyActiveHost)
};

// The old Active host stays Active when set offline, beside its new peer.
struct TwoActiveAfterManualFailover : EffectsMutant<TwoActiveAfterManualFailover> {
  static void Mutate(const State&, const Op& op, OutcomeT& o) {
    if (o.rule == RuleId::kManualFailover) Serve(o.next.hosts[As<SetOffline>(op)->host]);
  }
  HASPEC_MACHINE_DERIVED(TwoActiveAfterManualFailover)
};

// An Offline host keeps its services running.
struct OfflineKeepsServices : EffectsMutant<OfflineKeepsServices> {
  static void Mutate(const State&, const Op& op, OutcomeT& o) {
    if (o.rule == RuleId::kOfflineSettles) o.next.hosts[As<Complete>(op)->host].services = true;
  }
  HASPEC_MACHINE_DERIVED(OfflineKeepsServices)
};

// ---- Repair, restore, switch back -----------------------------------------------

// A Failed host comes back by itself once the product "completes" it.
struct FailedHostRecoversByItself : StateMutant<FailedHostRecoversByItself> {
  static State Believe(const State& s, const Op& op) {
    auto* c = As<Complete>(op);
    if (c && s.hosts[c->host].status == Status::kFailed && (c->host == kPrimary || s.paired)) {
      State t = s;
      Stop(t.hosts[c->host], Status::kRestoring);
      t.hosts[c->host].repaired = false;
      return t;
    }
    return s;
  }
  HASPEC_MACHINE_DERIVED(FailedHostRecoversByItself)
};

// Restore is accepted on a Failed host that was never repaired.
struct RestoreWithoutRepair : StateMutant<RestoreWithoutRepair> {
  static State Believe(const State& s, const Op& op) {
    auto* r = As<RestoreHost>(op);
    if (!r) return s;
    State t = s;
    t.hosts[r->host].repaired = t.hosts[r->host].status == Status::kFailed;
    return t;
  }
  HASPEC_MACHINE_DERIVED(RestoreWithoutRepair)
};

// Repair is accepted on any host and marks it repaired.
struct RepairMarksAnyHost : Jsa {
  static void Refusals(const State& s, const Op& op, std::vector<RuleId>& out) {
    auto* r = As<RepairHost>(op);
    if (r && (r->host == kPrimary || s.paired)) return;
    Jsa::Refusals(s, op, out);
  }
  static void Effects(const State& s, const Op& op, std::vector<OutcomeT>& out) {
    auto* r = As<RepairHost>(op);
    if (r && (r->host == kPrimary || s.paired)) {
      State t = s;
      t.hosts[r->host].repaired = true;
      out.push_back(Accepted(t, RuleId::kRepair));
      return;
    }
    Jsa::Effects(s, op, out);
  }
  HASPEC_MACHINE_DERIVED(RepairMarksAnyHost)
};

// Repairing the secondary installs a newer release than the primary runs.
struct RepairInstallsNewerSoftware : EffectsMutant<RepairInstallsNewerSoftware> {
  static void Mutate(const State&, const Op& op, OutcomeT& o) {
    auto* r = As<RepairHost>(op);
    if (r && r->host == kSecondary) o.next.secondary_release = Release::kAhead;
  }
  HASPEC_MACHINE_DERIVED(RepairInstallsNewerSoftware)
};

// A restored host starts its services while Restoring.
struct RestoringStartsServices : EffectsMutant<RestoringStartsServices> {
  static void Mutate(const State&, const Op& op, OutcomeT& o) {
    if (o.rule == RuleId::kRestore) o.next.hosts[As<RestoreHost>(op)->host].services = true;
  }
  HASPEC_MACHINE_DERIVED(RestoringStartsServices)
};

// A restored host synchronizes even without disk replication.
struct RestoreAlwaysSynchronizes : EffectsMutant<RestoreAlwaysSynchronizes> {
  static void Mutate(const State& s, const Op& op, OutcomeT& o) {
    auto* c = As<Complete>(op);
    if (c && s.hosts[c->host].status == Status::kRestoring &&
        o.next.hosts[c->host].status == Status::kStandby) {
      Stop(o.next.hosts[c->host], Status::kSynchronizing);
      o.rule = RuleId::kRestoreSync;
    }
  }
  HASPEC_MACHINE_DERIVED(RestoreAlwaysSynchronizes)
};

// With disk replication, a restored host skips Synchronizing (the departure
// becomes the model's own answer).
struct RestoreSkipsSynchronizing : Jsa {
  static void Effects(const State& s, const Op& op, std::vector<OutcomeT>& out) {
    const std::size_t first = out.size();
    Jsa::Effects(s, op, out);
    if (out.size() > first && out[first].rule == RuleId::kRestoreSync) {
      out.erase(out.begin() + static_cast<std::ptrdiff_t>(first));
      for (std::size_t i = first; i < out.size(); ++i) out[i].departs.reset();
    }
  }
  HASPEC_MACHINE_DERIVED(RestoreSkipsSynchronizing)
};

// A recovered primary takes the Active status back by itself.
struct RecoveredPrimaryRetakesActive : EffectsMutant<RecoveredPrimaryRetakesActive> {
  static void Mutate(const State&, const Op&, OutcomeT& o) {
    if (o.rule == RuleId::kRecoveredPrimary) {
      Stop(o.next.hosts[kSecondary], Status::kStandby);
      Serve(o.next.hosts[kPrimary]);
      o.next.holder = kPrimary;
    }
  }
  HASPEC_MACHINE_DERIVED(RecoveredPrimaryRetakesActive)
};

// Switching the primary back leaves the cluster IP on the secondary.
struct SwitchKeepsClusterIpOnSecondary : EffectsMutant<SwitchKeepsClusterIpOnSecondary> {
  static void Mutate(const State&, const Op&, OutcomeT& o) {
    if (o.rule == RuleId::kSwitchPrimaryActive) o.next.hosts[kSecondary].vip = true;
  }
  HASPEC_MACHINE_DERIVED(SwitchKeepsClusterIpOnSecondary)
};

// After the switch back the secondary keeps its services running.
struct SwitchBackKeepsSecondaryServices : EffectsMutant<SwitchBackKeepsSecondaryServices> {
  static void Mutate(const State&, const Op&, OutcomeT& o) {
    if (o.rule == RuleId::kSwitchPrimaryActive) o.next.hosts[kSecondary].services = true;
  }
  HASPEC_MACHINE_DERIVED(SwitchBackKeepsSecondaryServices)
};

// ---- License --------------------------------------------------------------------

// Without a license the Active host keeps its processes running.
struct LicenseLossKeepsProcesses : EffectsMutant<LicenseLossKeepsProcesses> {
  static void Mutate(const State& s, const Op&, OutcomeT& o) {
    const int a = ActiveHost(s);
    if (o.rule == RuleId::kLicenseLost && a >= 0) o.next.hosts[a].services = true;
  }
  HASPEC_MACHINE_DERIVED(LicenseLossKeepsProcesses)
};

// Losing the license leaves the Standby host Standby.
struct LicenseLossSparesStandby : EffectsMutant<LicenseLossSparesStandby> {
  static void Mutate(const State& s, const Op&, OutcomeT& o) {
    if (o.rule != RuleId::kLicenseLost) return;
    for (int h = 0; h < kHosts; ++h) {
      if (s.hosts[h].status == Status::kStandby && (h == kPrimary || s.paired)) {
        o.next.hosts[h].status = Status::kStandby;
      }
    }
  }
  HASPEC_MACHINE_DERIVED(LicenseLossSparesStandby)
};

// Applying the license always brings the primary back first, so after a
// failover the primary takes Active from the secondary.
struct LicensePrefersPrimary : StateMutant<LicensePrefersPrimary> {
  static State Believe(const State& s, const Op& op) {
    if (!As<ApplyLicense>(op)) return s;
    State t = s;
    t.holder = kPrimary;
    return t;
  }
  HASPEC_MACHINE_DERIVED(LicensePrefersPrimary)
};

// Applying the license always brings the secondary back first, as if the
// pair had failed over, so it turns Active although the primary never failed.
struct LicensePrefersSecondary : StateMutant<LicensePrefersSecondary> {
  static State Believe(const State& s, const Op& op) {
    if (!As<ApplyLicense>(op) || !s.paired) return s;
    State t = s;
    t.holder = kSecondary;
    return t;
  }
  HASPEC_MACHINE_DERIVED(LicensePrefersSecondary)
};

// A returning secondary takes Active beside a primary that is merely away
// (Offline, Needs License, ...), and marks itself the role holder so the
// state alone looks consistent.
struct SecondaryTakesRoleFromAbsentPrimary : EffectsMutant<SecondaryTakesRoleFromAbsentPrimary> {
  static void Mutate(const State&, const Op&, OutcomeT& o) {
    if (o.rule == RuleId::kLandStandbyPrimaryNotFailed) {
      Serve(o.next.hosts[kSecondary]);
      o.next.holder = kSecondary;
      o.rule = RuleId::kLandActive;
    }
  }
  HASPEC_MACHINE_DERIVED(SecondaryTakesRoleFromAbsentPrimary)
};

// ---- Upgrade --------------------------------------------------------------------

// A patched primary leaves its secondary Standby on the old release.
struct PatchKeepsSecondaryStandby : EffectsMutant<PatchKeepsSecondaryStandby> {
  static void Mutate(const State& s, const Op& op, OutcomeT& o) {
    if (As<PatchPrimary>(op) && o.rule == RuleId::kLandNeedsUpgrade) {
      o.next.hosts[kSecondary].status = s.hosts[kSecondary].status;
    }
  }
  HASPEC_MACHINE_DERIVED(PatchKeepsSecondaryStandby)
};

// The patch goes to whichever host is Active; a Standby primary then shows
// Needs Upgrade.
struct PatchesTheActiveHost : Jsa {
  static bool Applies(const State& s, const Op& op) {
    return As<PatchPrimary>(op) && s.paired && s.hosts[kSecondary].status == Status::kActive &&
           s.hosts[kPrimary].status == Status::kStandby;
  }
  static void Refusals(const State& s, const Op& op, std::vector<RuleId>& out) {
    if (!Applies(s, op)) Jsa::Refusals(s, op, out);
  }
  static void Effects(const State& s, const Op& op, std::vector<OutcomeT>& out) {
    if (!Applies(s, op)) return Jsa::Effects(s, op, out);
    State t = s;
    t.hosts[kPrimary].status = Status::kNeedsUpgrade;
    out.push_back(Accepted(t, RuleId::kLandNeedsUpgrade));
  }
  HASPEC_MACHINE_DERIVED(PatchesTheActiveHost)
};

// The patch goes to whichever host is Active and it upgrades a Standby
// primary right away.
struct UpgradesTheStandbyPrimary : Jsa {
  static void Refusals(const State& s, const Op& op, std::vector<RuleId>& out) {
    if (!PatchesTheActiveHost::Applies(s, op)) Jsa::Refusals(s, op, out);
  }
  static void Effects(const State& s, const Op& op, std::vector<OutcomeT>& out) {
    if (!PatchesTheActiveHost::Applies(s, op)) return Jsa::Effects(s, op, out);
    State t = s;
    t.hosts[kPrimary].status = Status::kUpgrading;
    out.push_back(Accepted(t, RuleId::kUpgradeStart));
  }
  HASPEC_MACHINE_DERIVED(UpgradesTheStandbyPrimary)
};

// An upgrade of the secondary finishes although the primary is not Active.
struct UpgradeFinishesWithoutPrimary : Jsa {
  static void Refusals(const State& s, const Op& op, std::vector<RuleId>& out) {
    const std::size_t first = out.size();
    Jsa::Refusals(s, op, out);
    if (As<Complete>(op)) {
      out.erase(std::remove(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(),
                            RuleId::kPreUpgradeByPrimary),
                out.end());
    }
  }
  static void Effects(const State& s, const Op& op, std::vector<OutcomeT>& out) {
    auto* c = As<Complete>(op);
    if (c && c->host == kSecondary && s.paired &&
        s.hosts[kSecondary].status == Status::kUpgrading &&
        s.hosts[kPrimary].status != Status::kActive) {
      State t = s;
      t.secondary_release = Release::kSame;
      Stop(t.hosts[kSecondary], Status::kStandby);
      out.push_back(Accepted(t, RuleId::kUpgradeDone));
      return;
    }
    Jsa::Effects(s, op, out);
  }
  HASPEC_MACHINE_DERIVED(UpgradeFinishesWithoutPrimary)
};

// A secondary in Needs Upgrade takes over from a failing primary.
struct NeedsUpgradeSecondaryTakesOver : EffectsMutant<NeedsUpgradeSecondaryTakesOver> {
  static void Mutate(const State& s, const Op& op, OutcomeT& o) {
    if (o.rule == RuleId::kNoFailoverDuringUpgrade && As<HostFails>(op) &&
        s.hosts[kSecondary].status == Status::kNeedsUpgrade) {
      Serve(o.next.hosts[kSecondary]);
      o.next.holder = kSecondary;
    }
  }
  HASPEC_MACHINE_DERIVED(NeedsUpgradeSecondaryTakesOver)
};

// ---- Pair creation --------------------------------------------------------------

// A new pair synchronizes even without disk replication.
struct PairAlwaysSynchronizes : EffectsMutant<PairAlwaysSynchronizes> {
  static void Mutate(const State&, const Op&, OutcomeT& o) {
    if (o.rule == RuleId::kCreatePair) Stop(o.next.hosts[kSecondary], Status::kSynchronizing);
  }
  HASPEC_MACHINE_DERIVED(PairAlwaysSynchronizes)
};

// ---- Answers --------------------------------------------------------------------

// Reports only the first reason an op is refused.
struct FirstRefusalOnly : Jsa {
  static void Refusals(const State& s, const Op& op, std::vector<RuleId>& out) {
    const std::size_t first = out.size();
    Jsa::Refusals(s, op, out);
    if (out.size() > first + 1) out.resize(first + 1);
  }
  HASPEC_MACHINE_DERIVED(FirstRefusalOnly)
};

// Offers only the model's own landings: the documented alternatives an
// assumption excluded (Standby instead of Active on return, landing without
// synchronizing) are lost.
struct NoDepartures : Jsa {
  static void Effects(const State& s, const Op& op, std::vector<OutcomeT>& out) {
    const std::size_t first = out.size();
    Jsa::Effects(s, op, out);
    out.erase(std::remove_if(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(),
                             [](const OutcomeT& o) { return o.departs.has_value(); }),
              out.end());
  }
  HASPEC_MACHINE_DERIVED(NoDepartures)
};

// ---- What is reported ---------------------------------------------------------------

// Observe: a Failed host is shown Offline.
struct ShowsFailedAsOffline : Jsa {
  static Observation Observe(const State& s) {
    Observation o = Jsa::Observe(s);
    for (auto& h : o.hosts) {
      if (h.status == Status::kFailed) h.status = Status::kOffline;
    }
    return o;
  }
};

// Observe: the cluster IP is reported on the Standby host too.
struct ShowsVipOnStandby : Jsa {
  static Observation Observe(const State& s) {
    Observation o = Jsa::Observe(s);
    for (auto& h : o.hosts) {
      if (h.status == Status::kStandby) h.vip = true;
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
