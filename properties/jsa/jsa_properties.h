// Targeted properties of the JSA HA machine, one per documented behaviour.
// Each is a template over the machine type so it runs against the model
// (jsa_test.cc) and against the mutants of sut/jsa/mutants.h
// (jsa_mutation_test.cc).
//
// HASPEC_JSA_PROPERTIES(X) lists them once: X(name).
#ifndef HASPEC_PROPERTIES_JSA_JSA_PROPERTIES_H_
#define HASPEC_PROPERTIES_JSA_JSA_PROPERTIES_H_

#include <rapidcheck/state.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "model/core/answers.h"
#include "model/core/op_spec.h"
#include "model/jsa/jsa.h"
#include "model/jsa/status_log.h"
#include "properties/core/harness.h"
#include "properties/core/stateful.h"

namespace haspec::jsa::props {

using testing::Apply;
using testing::Checked;
using testing::GenTraceFrom;

#define HASPEC_JSA_PROPERTIES(X)                                   \
  X(InvariantsHoldAfterEveryStep)                                  \
  X(StandbyBecomesActiveWhenTheActiveHostFails)                    \
  X(PrimaryStaysActiveWhenTheSecondaryFails)                       \
  X(ProcessExitsAndFullDisksCauseNoFailover)                       \
  X(PingTestFailsOverOnlyWhenTheCrossCheckPassesAndTheRepingFails) \
  X(DisputedLandingsOfferStandbyAndOffline)                        \
  X(NoFailoverWhileAHostIsOffline)                                 \
  X(OfflineAndOnlinePassThroughTheirSettingStatuses)               \
  X(SettingTheActiveHostOfflineIsAManualFailover)                  \
  X(TheOnlyActiveHostIsNeverSetOffline)                            \
  X(RefusalsListEveryReason)                                       \
  X(AssumedLandingsOfferTheDocumentedAlternatives)                 \
  X(SecondaryWaitsForAPrimaryThatDidNotFail)                       \
  X(FailedHostStaysFailedUntilRepairedAndRestored)                 \
  X(RestoredHostSynchronizesOnlyWithDiskReplication)               \
  X(RecoveredPrimaryStaysStandbyUntilSwitchedBack)                 \
  X(NeedsLicenseStopsProcessesAndTheLicenseRestoresTheActiveHost)  \
  X(SecondaryBehindNeedsUpgradeAndIsUpgradedByThePrimary)          \
  X(NewPairSynchronizesOnlyWithDiskReplication)                    \
  X(UnprotectedStatesAreReported)                                  \
  X(ObservationsShowEachHostAndSurviveTheStatusLog)

template <class M>
using S = typename M::State;
template <class M>
using O = typename M::OutcomeT;

inline constexpr std::array<Cause, 5> kCauses = {Cause::kPower, Cause::kHeartbeat, Cause::kRaid,
                                                 Cause::kNfsReadOnly, Cause::kNotCapable};

inline std::string StatusOf(const State& s, int h) {
  return std::string(HostName(h)) + " " + std::string(kStatusNames.Label(s.hosts[h].status));
}

#define HASPEC_EXPECT_STATUS(state, host, want)                                          \
  do {                                                                                   \
    if ((state).hosts[host].status != (want)) {                                          \
      RC_FAIL("expected " + std::string(HostName(host)) + " " +                          \
              std::string(kStatusNames.Label(want)) + ", got " + StatusOf(state, host)); \
    }                                                                                    \
  } while (0)

// Active with the cluster IP and services, or idle without either.
#define HASPEC_EXPECT_SERVING(state, host, serving)                                           \
  do {                                                                                        \
    const Host& x_ = (state).hosts[host];                                                     \
    if (x_.services != (serving) || x_.vip != (serving)) {                                    \
      RC_FAIL(std::string(HostName(host)) + (x_.services ? " runs" : " runs no") +            \
              " services and " + (x_.vip ? "holds" : "does not hold") + " the cluster IP (" + \
              StatusOf(state, host) + ")");                                                   \
    }                                                                                         \
  } while (0)

template <class M>
S<M> Accepted(const S<M>& s, const Op& op) {
  auto o = Checked<M>(s, op);
  if (!o.accepted) RC_FAIL(M::Show(op) + " was " + testing::Verdict<M>(o) + " in " + M::Show(s));
  return o.next;
}

inline int ActiveOf(const State& s) { return ActiveHost(s); }

inline bool Healthy(const State& s) {
  const int a = ActiveOf(s);
  return s.paired && a >= 0 && s.hosts[Peer(a)].status == Status::kStandby;
}

// A fresh pair: primary Active, secondary Standby (synchronized first when
// disk replication is on).
template <class M>
S<M> Pair(bool replication) {
  S<M> s = Accepted<M>(M::Initial(), CreatePair{replication});
  if (replication) s = Accepted<M>(s, Complete{kSecondary});
  return s;
}

// A pair after a failover and the primary's recovery: secondary Active,
// primary Standby.
template <class M>
S<M> FailedOverPair(bool replication) {
  S<M> s = Pair<M>(replication);
  s = Accepted<M>(s, HostFails{kPrimary, Cause::kPower});
  s = Accepted<M>(s, RepairHost{kPrimary, false});
  s = Accepted<M>(s, RestoreHost{kPrimary});
  for (int i = 0; i < 2 && s.hosts[kPrimary].status != Status::kStandby; ++i) {
    s = Accepted<M>(s, Complete{kPrimary});
  }
  return s;
}

// The administrator's way back to one Active and one Standby host from any
// state: license, repair, restore, set online, finish what is under way,
// upgrade. Each round applies the first helpful op the machine accepts.
template <class M>
S<M> Heal(S<M> s) {
  for (int round = 0; round < 40 && !Healthy(s); ++round) {
    std::vector<Op> tries;
    tries.reserve(4);
    if (!s.paired) tries.push_back(CreatePair{false});
    if (!s.licensed) tries.push_back(ApplyLicense{});
    for (int h = 0; h < (s.paired ? kHosts : 1); ++h) {
      const auto h8 = static_cast<std::uint8_t>(h);
      switch (s.hosts[h].status) {
        case Status::kFailed:
          tries.push_back(s.hosts[h].repaired ? Op{RestoreHost{h8}} : Op{RepairHost{h8, false}});
          break;
        case Status::kOffline:
          tries.push_back(SetOnline{h8});
          break;
        case Status::kNeedsUpgrade:
          tries.push_back(StartUpgrade{});
          break;
        case Status::kActive:
        case Status::kStandby:
        case Status::kNeedsLicense:
          break;
        default:
          tries.push_back(Complete{h8});
          break;
      }
    }
    bool progressed = false;
    for (const Op& op : tries) {
      auto o = Checked<M>(s, op);
      if (o.accepted) {
        s = o.next;
        progressed = true;
        break;
      }
    }
    if (!progressed) break;
  }
  if (!Healthy(s)) RC_FAIL("could not bring the pair back to Active + Standby: " + M::Show(s));
  return s;
}

// A healthy pair with a random history: a fresh or failed-over pair, random
// candidate ops, then Heal.
template <class M>
S<M> GenHealthyPair() {
  const bool replication = *rc::gen::arbitrary<bool>();
  const bool failed_over = *rc::gen::arbitrary<bool>();
  S<M> start = failed_over ? FailedOverPair<M>(replication) : Pair<M>(replication);
  return Heal<M>((*GenTraceFrom<M>(start)).last);
}

// A healthy pair whose primary is Active (switched back if needed).
template <class M>
S<M> GenPrimaryActivePair() {
  S<M> s = GenHealthyPair<M>();
  if (s.hosts[kPrimary].status != Status::kActive) s = Accepted<M>(s, SwitchPrimaryToActive{});
  return s;
}

// ---- The stateful property -------------------------------------------------

template <class M>
struct StepCommand : rc::state::Command<S<M>, testing::ModelUnderCheck<M>> {
  Op op;
  explicit StepCommand(Op o) : op(std::move(o)) {}
  void checkPreconditions(const S<M>&) const override {}
  void apply(S<M>& s) const override { s = M::Step(s, op).next; }
  void run(const S<M>& s, testing::ModelUnderCheck<M>&) const override {
    auto o = Checked<M>(s, op);
    if (!o.accepted && !(o.next == s)) {
      RC_FAIL(M::Show(op) + " was " + testing::Verdict<M>(o) + " but changed the state to " +
              M::Show(o.next));
    }
  }
  void show(std::ostream& os) const override { os << M::Show(op); }
};

// Ops through which the administrator or the product brings a host back.
inline bool Heals(const Op& op) {
  return std::holds_alternative<RepairHost>(op) || std::holds_alternative<RestoreHost>(op) ||
         std::holds_alternative<Complete>(op) || std::holds_alternative<SetOnline>(op) ||
         std::holds_alternative<StartUpgrade>(op) || std::holds_alternative<ApplyLicense>(op) ||
         std::holds_alternative<SwitchPrimaryToActive>(op);
}

// Random op sequences from a fresh, paired or failed-over start; after every
// step every state invariant and every step invariant (Failed never recovers
// by itself, no failover while Offline, no automatic switch back, process
// exits and full disks change nothing) is checked. Ops that change the state
// are preferred, healing ones most, so that failures are followed by
// recoveries and sequences reach states several admin actions deep; the
// sequences are six times RapidCheck's size.
template <class M>
void InvariantsHoldAfterEveryStep() {
  const int start_kind = *rc::gen::inRange(0, 5);
  S<M> start = start_kind == 0   ? M::Initial()
               : start_kind <= 2 ? Pair<M>(start_kind == 1)
                                 : FailedOverPair<M>(start_kind == 3);
  testing::ModelUnderCheck<M> sut;
  using Cmd = rc::state::Command<S<M>, testing::ModelUnderCheck<M>>;
  auto next = [](const S<M>& s) {
    std::vector<Op> all, heal, move;
    M::CandidateOps(s, all);
    for (const Op& op : all) {
      auto o = M::Step(s, op);
      if (!o.accepted || o.next == s) continue;
      (Heals(op) ? heal : move).push_back(op);
    }
    return rc::gen::exec([all, heal, move] {
      const int w = *rc::gen::inRange(0, 9);  // 4 heal : 3 move : 2 any
      const std::vector<Op>& pool = (w < 4 && !heal.empty())   ? heal
                                    : (w < 7 && !move.empty()) ? move
                                                               : all;
      return std::shared_ptr<const Cmd>(
          std::make_shared<StepCommand<M>>(*rc::gen::elementOf(pool)));
    });
  };
  auto make_start = [start] { return start; };
  const auto cmds = *rc::gen::scale(6.0, rc::state::gen::commands(make_start, next));
  rc::state::runAll(cmds, make_start, sut);
}

// ---- Failover -------------------------------------------------------------------

// Seed 003 and S-QR-FO: whatever documented cause fails the Active host, it
// shows Failed and the Standby becomes Active with the cluster IP.
template <class M>
void StandbyBecomesActiveWhenTheActiveHostFails() {
  S<M> s = GenHealthyPair<M>();
  const int a = ActiveOf(s), p = Peer(a);
  const Cause cause = *rc::gen::elementOf(kCauses);
  auto o = Checked<M>(s, HostFails{static_cast<std::uint8_t>(a), cause});
  HASPEC_EXPECT_RULE(M, o, true,
                     a == kPrimary ? RuleId::kPrimaryFailover : RuleId::kStandbyTakesOver);
  HASPEC_EXPECT_STATUS(o.next, a, Status::kFailed);
  HASPEC_EXPECT_SERVING(o.next, a, false);
  HASPEC_EXPECT_STATUS(o.next, p, Status::kActive);
  HASPEC_EXPECT_SERVING(o.next, p, true);
}

// Seed 003: when the Standby secondary fails, the primary remains active but
// is not protected by HA.
template <class M>
void PrimaryStaysActiveWhenTheSecondaryFails() {
  S<M> s = GenPrimaryActivePair<M>();
  const Cause cause = *rc::gen::elementOf(kCauses);
  auto o = Checked<M>(s, HostFails{kSecondary, cause});
  HASPEC_EXPECT_RULE(M, o, true, RuleId::kSecondaryFails);
  HASPEC_EXPECT_STATUS(o.next, kPrimary, Status::kActive);
  HASPEC_EXPECT_SERVING(o.next, kPrimary, true);
  HASPEC_EXPECT_STATUS(o.next, kSecondary, Status::kFailed);
  std::vector<typename M::FindingT> adv;
  M::CheckAdvisories(o.next, adv);
  bool reported = false;
  for (const auto& f : adv) reported |= f.rule == RuleId::kAdvSecondaryFailed;
  RC_ASSERT(reported);
}

// S-QR-FO: a process that errors or exits, or a disk at 95%, causes no
// failover; nothing the UI shows changes.
template <class M>
void ProcessExitsAndFullDisksCauseNoFailover() {
  S<M> s = GenHealthyPair<M>();
  if (*rc::gen::arbitrary<bool>()) s = (*GenTraceFrom<M>(s)).last;
  const auto h = static_cast<std::uint8_t>(*rc::gen::inRange(0, s.paired ? kHosts : 1));
  auto process = Checked<M>(s, ProcessExits{h});
  HASPEC_EXPECT_RULE(M, process, true, RuleId::kNoFailoverProcess);
  RC_ASSERT(process.next == s);
  auto disk = Checked<M>(s, DiskFull{h});
  HASPEC_EXPECT_RULE(M, disk, true, RuleId::kNoFailoverDisk);
  RC_ASSERT(disk.next == s);
}

// S-QR-874926: a failed sweep puts the Active host in alert mode; the
// Standby's cross-check decides: failed -> no failover; passed -> the
// re-ping decides: passed -> no failover, failed -> failover, the previously
// active host showing Standby or Offline.
template <class M>
void PingTestFailsOverOnlyWhenTheCrossCheckPassesAndTheRepingFails() {
  S<M> s = GenHealthyPair<M>();
  const int a = ActiveOf(s), p = Peer(a);
  const bool x = *rc::gen::arbitrary<bool>(), y = *rc::gen::arbitrary<bool>();
  auto pass = Checked<M>(s, ConnectivityTest{true, x, y});
  HASPEC_EXPECT_RULE(M, pass, true, RuleId::kNetSweepPasses);
  RC_ASSERT(pass.next == s);
  auto cross_fails = Checked<M>(s, ConnectivityTest{false, false, x});
  HASPEC_EXPECT_RULE(M, cross_fails, true, RuleId::kNetStandbyFails);
  RC_ASSERT(cross_fails.next == s);
  auto reping_ok = Checked<M>(s, ConnectivityTest{false, true, true});
  HASPEC_EXPECT_RULE(M, reping_ok, true, RuleId::kNetRepingOk);
  RC_ASSERT(reping_ok.next == s);
  auto fo = Checked<M>(s, ConnectivityTest{false, true, false});
  HASPEC_EXPECT_RULE(M, fo, true, RuleId::kNetFailover);
  HASPEC_EXPECT_STATUS(fo.next, p, Status::kActive);
  HASPEC_EXPECT_SERVING(fo.next, p, true);
  const Status old = fo.next.hosts[a].status;
  if (old != Status::kStandby && old != Status::kOffline) {
    RC_FAIL("the previously active host shows " + StatusOf(fo.next, a) +
            ", not Standby or Offline");
  }
  HASPEC_EXPECT_SERVING(fo.next, a, false);
}

// Where the documents disagree, Outcomes offers both landings: the
// previously active host after a ping-test failover (S-QR-874926 "Offline or
// Standby") and a restored primary beside an Active secondary (S-JSA-FO
// Standby, S-SECNIK Offline). Step's own outcome is one of them.
template <class M>
void DisputedLandingsOfferStandbyAndOffline() {
  auto landings = [](const S<M>& s, const Op& op, int host, RuleId rule) {
    std::vector<O<M>> outs;
    M::Outcomes(s, op, outs);
    std::set<Status> seen;
    for (const auto& o : outs) {
      HASPEC_EXPECT_RULE(M, o, true, rule);
      HASPEC_EXPECT_STATUS(o.next, Peer(host), Status::kActive);
      HASPEC_CHECK_INVARIANTS(M, op, o);
      seen.insert(o.next.hosts[host].status);
    }
    if (seen != std::set<Status>{Status::kStandby, Status::kOffline}) {
      RC_FAIL(M::Show(op) + " offers " + std::to_string(seen.size()) + " landing(s) for the " +
              std::string(HostName(host)) + "; expected Standby and Offline");
    }
    const Status step = M::Step(s, op).next.hosts[host].status;
    RC_ASSERT(seen.count(step) == 1u);
  };
  S<M> s = GenHealthyPair<M>();
  landings(s, ConnectivityTest{false, true, false}, ActiveOf(s), RuleId::kNetFailover);

  S<M> r = GenPrimaryActivePair<M>();
  r = Accepted<M>(r, HostFails{kPrimary, *rc::gen::elementOf(kCauses)});
  r = Accepted<M>(r, RepairHost{kPrimary, *rc::gen::arbitrary<bool>()});
  r = Accepted<M>(r, RestoreHost{kPrimary});
  if (r.disk_replication) r = Accepted<M>(r, Complete{kPrimary});  // Synchronizing
  landings(r, Complete{kPrimary}, kPrimary, RuleId::kRecoveredPrimary);
}

// ---- Offline and online --------------------------------------------------------------

// Seed 003: while a host is Offline, failover cannot occur: neither a failure
// of the Active host nor a failed ping test hands it the Active status.
template <class M>
void NoFailoverWhileAHostIsOffline() {
  S<M> s = GenHealthyPair<M>();
  const int a = ActiveOf(s), p = Peer(a);
  const auto p8 = static_cast<std::uint8_t>(p);
  s = Accepted<M>(Accepted<M>(s, SetOffline{p8}), Complete{p8});
  HASPEC_EXPECT_STATUS(s, p, Status::kOffline);
  auto ping = Checked<M>(s, ConnectivityTest{false, true, false});
  HASPEC_EXPECT_RULE(M, ping, true, RuleId::kNetNoStandby);
  RC_ASSERT(ping.next == s);
  auto fail = Checked<M>(s, HostFails{static_cast<std::uint8_t>(a), *rc::gen::elementOf(kCauses)});
  HASPEC_EXPECT_RULE(M, fail, true, RuleId::kNoFailoverPeerOffline);
  HASPEC_EXPECT_STATUS(fail.next, a, Status::kFailed);
  HASPEC_EXPECT_STATUS(fail.next, p, Status::kOffline);
  HASPEC_EXPECT_SERVING(fail.next, p, false);
}

// Seed 003: Set System Offline shows Setting Offline, then Offline; Set
// System Online shows Setting Online, then Online; the host then rejoins as
// Standby beside the Active host.
template <class M>
void OfflineAndOnlinePassThroughTheirSettingStatuses() {
  S<M> s = GenHealthyPair<M>();
  const auto h = static_cast<std::uint8_t>(*rc::gen::inRange(0, kHosts));
  const bool was_active = s.hosts[h].status == Status::kActive;
  auto off = Checked<M>(s, SetOffline{h});
  HASPEC_EXPECT_RULE(M, off, true, was_active ? RuleId::kManualFailover : RuleId::kSetOffline);
  HASPEC_EXPECT_STATUS(off.next, h, Status::kSettingOffline);
  HASPEC_EXPECT_RULE(M, Checked<M>(off.next, SetOnline{h}), false, RuleId::kPreSetOnlineFrom);
  auto offline = Checked<M>(off.next, Complete{h});
  HASPEC_EXPECT_RULE(M, offline, true, RuleId::kOfflineSettles);
  HASPEC_EXPECT_STATUS(offline.next, h, Status::kOffline);
  HASPEC_EXPECT_RULE(M, Checked<M>(offline.next, SetOffline{h}), false, RuleId::kPreSetOfflineFrom);
  auto on = Checked<M>(offline.next, SetOnline{h});
  HASPEC_EXPECT_RULE(M, on, true, RuleId::kSetOnline);
  HASPEC_EXPECT_STATUS(on.next, h, Status::kSettingOnline);
  auto online = Checked<M>(on.next, Complete{h});
  HASPEC_EXPECT_RULE(M, online, true, RuleId::kOnlineSettles);
  HASPEC_EXPECT_STATUS(online.next, h, Status::kOnline);
  auto back = Checked<M>(online.next, Complete{h});
  HASPEC_EXPECT_RULE(M, back, true, RuleId::kLandStandby);
  HASPEC_EXPECT_STATUS(back.next, h, Status::kStandby);
  for (const S<M>* t : {&off.next, &offline.next, &on.next, &online.next, &back.next}) {
    HASPEC_EXPECT_SERVING(*t, h, false);
  }
}

// S-QR-FO lists a manual failover among the triggers: setting the Active
// host offline hands the Active status to its Standby peer.
template <class M>
void SettingTheActiveHostOfflineIsAManualFailover() {
  S<M> s = GenHealthyPair<M>();
  const int a = ActiveOf(s), p = Peer(a);
  auto o = Checked<M>(s, SetOffline{static_cast<std::uint8_t>(a)});
  HASPEC_EXPECT_RULE(M, o, true, RuleId::kManualFailover);
  HASPEC_EXPECT_STATUS(o.next, a, Status::kSettingOffline);
  HASPEC_EXPECT_SERVING(o.next, a, false);
  HASPEC_EXPECT_STATUS(o.next, p, Status::kActive);
  HASPEC_EXPECT_SERVING(o.next, p, true);
  S<M> t = Accepted<M>(o.next, Complete{static_cast<std::uint8_t>(a)});
  HASPEC_EXPECT_STATUS(t, a, Status::kOffline);
  HASPEC_EXPECT_STATUS(t, p, Status::kActive);
}

// ---- Repair and restore -----------------------------------------------------------------

// Seed 003: a Failed host must be repaired or replaced, then restored.
// Whatever else happens, it stays Failed; restore before repair is refused.
template <class M>
void FailedHostStaysFailedUntilRepairedAndRestored() {
  S<M> s = GenHealthyPair<M>();
  const auto h = static_cast<std::uint8_t>(*rc::gen::inRange(0, kHosts));
  s = Accepted<M>(s, HostFails{h, *rc::gen::elementOf(kCauses)});
  HASPEC_EXPECT_RULE(M, Checked<M>(s, RestoreHost{h}), false, RuleId::kPreRestoreNeedsRepair);
  const auto picks =
      *rc::gen::container<std::vector<std::uint32_t>>(rc::gen::arbitrary<std::uint32_t>());
  std::vector<Op> ops;
  std::string trace;
  for (std::uint32_t pick : picks) {
    ops.clear();
    M::CandidateOps(s, ops);
    std::erase_if(ops, [h](const Op& op) {
      const auto* r = std::get_if<RestoreHost>(&op);
      return r && r->host == h;
    });
    const Op& op = ops[pick % ops.size()];
    trace += "\n  " + M::Show(op);
    s = Checked<M>(s, op).next;
    if (s.hosts[h].status != Status::kFailed) {
      RC_FAIL(std::string(HostName(h)) + " left Failed without a restore:" + trace + "\n  -> " +
              M::Show(s));
    }
  }
  if (!s.hosts[h].repaired) s = Accepted<M>(s, RepairHost{h, *rc::gen::arbitrary<bool>()});
  HASPEC_EXPECT_STATUS(s, h, Status::kFailed);
  auto o = Checked<M>(s, RestoreHost{h});
  HASPEC_EXPECT_RULE(M, o, true, RuleId::kRestore);
  HASPEC_EXPECT_STATUS(o.next, h, Status::kRestoring);
}

// Seed 003 and dossier 4.2: a restored host goes Restoring, then
// Synchronizing only when disk replication is enabled, then Standby.
template <class M>
void RestoredHostSynchronizesOnlyWithDiskReplication() {
  S<M> s = GenHealthyPair<M>();
  const int a = ActiveOf(s), p = Peer(a);
  const auto p8 = static_cast<std::uint8_t>(p);
  s = Accepted<M>(s, HostFails{p8, *rc::gen::elementOf(kCauses)});
  s = Accepted<M>(s, RepairHost{p8, *rc::gen::arbitrary<bool>()});
  s = Accepted<M>(s, RestoreHost{p8});
  auto done = Checked<M>(s, Complete{p8});
  const RuleId landing = p == kPrimary ? RuleId::kRecoveredPrimary : RuleId::kLandStandby;
  if (s.disk_replication) {
    HASPEC_EXPECT_RULE(M, done, true, RuleId::kRestoreSync);
    HASPEC_EXPECT_STATUS(done.next, p, Status::kSynchronizing);
    done = Checked<M>(done.next, Complete{p8});
    HASPEC_EXPECT_RULE(M, done, true, p == kPrimary ? landing : RuleId::kSyncDone);
  } else {
    HASPEC_EXPECT_RULE(M, done, true, landing);
  }
  HASPEC_EXPECT_STATUS(done.next, p, Status::kStandby);
  HASPEC_EXPECT_STATUS(done.next, a, Status::kActive);
}

// S-JSA-FO: a recovered primary does not take the Active status back by
// itself; the administrator switches it back, and the secondary returns to
// Standby.
template <class M>
void RecoveredPrimaryStaysStandbyUntilSwitchedBack() {
  S<M> s = GenPrimaryActivePair<M>();
  HASPEC_EXPECT_RULE(M, Checked<M>(s, SwitchPrimaryToActive{}), false, RuleId::kPreSwitchBack);
  s = Accepted<M>(s, HostFails{kPrimary, *rc::gen::elementOf(kCauses)});
  s = Accepted<M>(s, RepairHost{kPrimary, *rc::gen::arbitrary<bool>()});
  s = Accepted<M>(s, RestoreHost{kPrimary});
  for (int i = 0; i < 2 && s.hosts[kPrimary].status != Status::kStandby; ++i) {
    s = Accepted<M>(s, Complete{kPrimary});
    HASPEC_EXPECT_STATUS(s, kSecondary, Status::kActive);
  }
  HASPEC_EXPECT_STATUS(s, kPrimary, Status::kStandby);
  // Quiet time changes nothing, and a patch waits for the primary to be
  // Active again (only the secondary is ever upgraded by its peer).
  s = Accepted<M>(s, ConnectivityTest{true, true, true});
  s = Accepted<M>(s, ProcessExits{kPrimary});
  HASPEC_EXPECT_RULE(M, Checked<M>(s, PatchPrimary{}), false, RuleId::kPrePatchActivePrimary);
  HASPEC_EXPECT_STATUS(s, kSecondary, Status::kActive);
  auto sw = Checked<M>(s, SwitchPrimaryToActive{});
  HASPEC_EXPECT_RULE(M, sw, true, RuleId::kSwitchPrimaryActive);
  HASPEC_EXPECT_STATUS(sw.next, kPrimary, Status::kActive);
  HASPEC_EXPECT_SERVING(sw.next, kPrimary, true);
  HASPEC_EXPECT_STATUS(sw.next, kSecondary, Status::kStandby);
  HASPEC_EXPECT_SERVING(sw.next, kSecondary, false);
}

// ---- License and upgrade ----------------------------------------------------------------

// Seed 003: Needs License runs no processes. Once a key is applied the host
// that held the Active status gets it back and the other is Standby.
template <class M>
void NeedsLicenseStopsProcessesAndTheLicenseRestoresTheActiveHost() {
  S<M> s = GenHealthyPair<M>();
  const int a = ActiveOf(s);
  auto lost = Checked<M>(s, LicenseLost{});
  HASPEC_EXPECT_RULE(M, lost, true, RuleId::kLicenseLost);
  for (int h = 0; h < kHosts; ++h) {
    HASPEC_EXPECT_STATUS(lost.next, h, Status::kNeedsLicense);
    HASPEC_EXPECT_SERVING(lost.next, h, false);
  }
  auto back = Checked<M>(lost.next, ApplyLicense{});
  HASPEC_EXPECT_RULE(M, back, true, RuleId::kLicenseApplied);
  HASPEC_EXPECT_STATUS(back.next, a, Status::kActive);
  HASPEC_EXPECT_SERVING(back.next, a, true);
  HASPEC_EXPECT_STATUS(back.next, Peer(a), Status::kStandby);
}

// Seed 003: a secondary behind the primary shows Needs Upgrade (no failover
// then), is upgraded by the primary (Upgrading), and serves as Standby again.
template <class M>
void SecondaryBehindNeedsUpgradeAndIsUpgradedByThePrimary() {
  S<M> s = GenPrimaryActivePair<M>();
  auto patched = Checked<M>(s, PatchPrimary{});
  HASPEC_EXPECT_RULE(M, patched, true, RuleId::kLandNeedsUpgrade);
  s = patched.next;
  HASPEC_EXPECT_STATUS(s, kSecondary, Status::kNeedsUpgrade);
  RC_ASSERT(s.secondary_release == Release::kBehind);
  const bool upgrade_first = *rc::gen::arbitrary<bool>();
  if (upgrade_first) s = Accepted<M>(s, StartUpgrade{});
  if (*rc::gen::arbitrary<bool>()) {
    // The primary fails: no failover to a secondary that needs the upgrade,
    // and the upgrade cannot start or finish without the primary.
    auto fail = Checked<M>(s, HostFails{kPrimary, *rc::gen::elementOf(kCauses)});
    HASPEC_EXPECT_RULE(M, fail, true, RuleId::kNoFailoverDuringUpgrade);
    HASPEC_EXPECT_STATUS(fail.next, kSecondary, s.hosts[kSecondary].status);
    HASPEC_EXPECT_SERVING(fail.next, kSecondary, false);
    HASPEC_EXPECT_RULE(
        M, Checked<M>(fail.next, upgrade_first ? Op{Complete{kSecondary}} : Op{StartUpgrade{}}),
        false, RuleId::kPreUpgradeByPrimary);
    return;
  }
  if (!upgrade_first) {
    auto start = Checked<M>(s, StartUpgrade{});
    HASPEC_EXPECT_RULE(M, start, true, RuleId::kUpgradeStart);
    s = start.next;
  }
  HASPEC_EXPECT_STATUS(s, kSecondary, Status::kUpgrading);
  auto done = Checked<M>(s, Complete{kSecondary});
  HASPEC_EXPECT_RULE(M, done, true, RuleId::kUpgradeDone);
  HASPEC_EXPECT_STATUS(done.next, kSecondary, Status::kStandby);
  RC_ASSERT(done.next.secondary_release == Release::kSame);
}

// Seed 003: Synchronizing only with disk replication. A new pair's secondary
// synchronizes first when it is on, then is Standby.
template <class M>
void NewPairSynchronizesOnlyWithDiskReplication() {
  S<M> s = M::Initial();
  if (*rc::gen::arbitrary<bool>()) s = Accepted<M>(s, PatchPrimary{});
  const bool replication = *rc::gen::arbitrary<bool>();
  auto o = Checked<M>(s, CreatePair{replication});
  HASPEC_EXPECT_RULE(M, o, true, RuleId::kCreatePair);
  HASPEC_EXPECT_STATUS(o.next, kPrimary, Status::kActive);
  RC_ASSERT(o.next.secondary_release == Release::kSame);
  if (replication) {
    HASPEC_EXPECT_STATUS(o.next, kSecondary, Status::kSynchronizing);
    o = Checked<M>(o.next, Complete{kSecondary});
    HASPEC_EXPECT_RULE(M, o, true, RuleId::kSyncDone);
  }
  HASPEC_EXPECT_STATUS(o.next, kSecondary, Status::kStandby);
  HASPEC_EXPECT_RULE(M, Checked<M>(o.next, CreatePair{replication}), false, RuleId::kPrePairExists);
}

// ---- What is reported -------------------------------------------------------------------

// The advisories a state deserves, written from seed 003's "not protected"
// sentences: the dumb twin of CheckAdvisories.
inline std::set<RuleId> ExpectedAdvisories(const State& s) {
  std::set<RuleId> want;
  if (!s.paired) want.insert(RuleId::kAdvNoPair);
  for (int h = 0; h < (s.paired ? kHosts : 1); ++h) {
    if (s.hosts[h].status == Status::kFailed) want.insert(RuleId::kAdvFailedNeedsRepair);
  }
  const int a = ActiveOf(s);
  if (a < 0) {
    want.insert(RuleId::kAdvNoActive);
    return want;
  }
  if (!s.paired) return want;
  switch (s.hosts[Peer(a)].status) {
    case Status::kStandby:
      if (a == kSecondary) want.insert(RuleId::kAdvSwitchBack);
      break;
    case Status::kFailed:
      want.insert(a == kPrimary ? RuleId::kAdvSecondaryFailed : RuleId::kAdvUnprotectedOther);
      break;
    case Status::kNeedsUpgrade:
      want.insert(RuleId::kAdvNeedsUpgrade);
      break;
    case Status::kUpgrading:
      want.insert(RuleId::kAdvUpgrading);
      break;
    case Status::kOffline:
      want.insert(RuleId::kAdvPeerOffline);
      break;
    default:
      want.insert(RuleId::kAdvUnprotectedOther);
      break;
  }
  return want;
}

// Seed 003: a Failed, Needs Upgrade, Upgrading or Offline peer leaves the
// Active host "not protected"; such states are reported as advisories.
template <class M>
void UnprotectedStatesAreReported() {
  S<M> s = GenHealthyPair<M>();
  const int a = ActiveOf(s);
  const int event = *rc::gen::inRange(0, 4);
  if (event == 1) s = Accepted<M>(s, HostFails{static_cast<std::uint8_t>(Peer(a)), Cause::kPower});
  if (event == 2) s = (*GenTraceFrom<M>(s)).last;
  std::vector<typename M::FindingT> adv;
  M::CheckAdvisories(s, adv);
  std::set<RuleId> got;
  for (const auto& f : adv) {
    got.insert(f.rule);
    testing::Record<M>(f.rule);
  }
  const std::set<RuleId> want = ExpectedAdvisories(s);
  if (got != want) {
    std::string g, w;
    for (RuleId r : got) g += " " + std::string(RuleOf<M>(r).id);
    for (RuleId r : want) w += " " + std::string(RuleOf<M>(r).id);
    RC_FAIL("advisories for " + M::Show(s) + ":" + g + "; expected:" + w);
  }
}

// The product's view of every reachable state fits it (Consistent says
// kMatch: the secondary absent before the pair exists, each host's status,
// cluster IP and services, the active host, license, replication, release).
// Written as status lines (the assumed log format) and read back, each line
// group is a partial observation of the hosts it names, with nothing carried
// forward, and still fits its state.
template <class M>
void ObservationsShowEachHostAndSurviveTheStatusLog() {
  const auto trace = *GenTraceFrom<M>(*rc::gen::arbitrary<bool>() ? M::Initial() : Pair<M>(true));
  std::vector<StatusLine> lines;
  std::vector<Observation> shown;
  const std::array<std::string, kHosts> names = {"qradar-pri", "qradar-sec"};
  // Each state is shown in full, or only one host's line, to exercise
  // partial groups.
  const auto only =
      *rc::gen::container<std::vector<int>>(trace.states.size(), rc::gen::inRange(0, 3));
  for (std::size_t i = 0; i < trace.states.size(); ++i) {
    const S<M>& s = trace.states[i];
    const Observation obs = M::Observe(s);
    std::vector<typename M::FindingT> why;
    if (M::Consistent(s, obs, &why) != Fit::kMatch) {
      RC_FAIL("the product's view " + M::Show(obs) + " does not fit " + M::Show(s) + ": " +
              testing::Describe<M>(why));
    }
    Observation statuses;
    for (int h = 0; h < kHosts; ++h) {
      if (only[i] != 0 && only[i] != h + 1) continue;
      statuses.hosts[h].status = obs.hosts[h].status;
      if (h == kSecondary && obs.hosts[h].status) statuses.secondary = true;
    }
    if (!statuses.hosts[kPrimary].status && !statuses.hosts[kSecondary].status) continue;
    char ts[64];
    std::snprintf(ts, sizeof ts, "2024-05-01T%02u:%02u:%02uZ", static_cast<unsigned>(i / 3600 % 24),
                  static_cast<unsigned>(i / 60 % 60), static_cast<unsigned>(i % 60));
    AppendObservation(lines, ts, statuses, names);
    shown.push_back(statuses);
    why.clear();
    if (M::Consistent(s, statuses, &why) != Fit::kMatch) {
      RC_FAIL("the statuses " + M::Show(statuses) + " do not fit " + M::Show(s) + ": " +
              testing::Describe<M>(why));
    }
  }
  const auto parsed = ParseStatusLog(FormatStatusLog(lines));
  RC_ASSERT(parsed == lines);
  const auto timed = ObservationsFromLog(parsed);
  RC_ASSERT(timed.size() == shown.size());
  for (std::size_t i = 0; i < shown.size(); ++i) {
    if (!(timed[i].observation == shown[i])) {
      RC_FAIL("line group " + std::to_string(i) + " reads as " + M::Show(timed[i].observation) +
              ", written as " + M::Show(shown[i]));
    }
  }
}

// ---- Refusals and documented answers (issue 7) -------------------------------

// Seed 003: "Data replication is functioning between the active and offline
// HA hosts": an Offline host has an Active peer. Setting the Active host
// offline is accepted only when a Standby peer takes over; the only Active
// host is never set offline.
template <class M>
void TheOnlyActiveHostIsNeverSetOffline() {
  const auto trace = *GenTraceFrom<M>(*rc::gen::arbitrary<bool>() ? M::Initial() : Pair<M>(true));
  for (const S<M>& s : trace.states) {
    const int a = ActiveOf(s);
    if (a < 0) continue;
    const Op op = SetOffline{static_cast<std::uint8_t>(a)};
    auto o = Checked<M>(s, op);
    const bool standby_peer = s.paired && s.hosts[Peer(a)].status == Status::kStandby;
    if (standby_peer) {
      HASPEC_EXPECT_RULE(M, o, true, RuleId::kManualFailover);
      continue;
    }
    if (o.accepted) {
      RC_FAIL("set_offline of the only Active " + std::string(HostName(a)) + " was " +
              testing::Verdict<M>(o) + " in " + M::Show(s) + ", leaving " + M::Show(o.next));
    }
    std::vector<RuleId> why;
    M::Refusals(s, op, why);
    RC_ASSERT(std::find(why.begin(), why.end(), RuleId::kPreOfflineNeedsStandbyPeer) != why.end());
  }
}

// Every precondition that forbids an op, each checked on its own: the dumb
// twin of Refusals, in report order.
inline std::vector<RuleId> ExpectedRefusals(const State& s, const Op& op) {
  auto exists = [&](int h) { return h == kPrimary || s.paired; };
  auto is = [&](int h, Status st) { return exists(h) && s.hosts[h].status == st; };
  int host = -1;
  std::visit(
      [&](const auto& o) {
        if constexpr (requires { o.host; }) host = o.host;
      },
      op);
  if (host >= 0 && !exists(host)) return {RuleId::kPreHostInPair};
  const Status st = host >= 0 ? s.hosts[host].status : Status::kActive;
  std::vector<RuleId> r;
  auto when = [&](bool c, RuleId id) {
    if (c) r.push_back(id);
  };
  if (std::holds_alternative<CreatePair>(op)) {
    when(s.paired, RuleId::kPrePairExists);
    when(!is(kPrimary, Status::kActive), RuleId::kPreCreateFromActive);
  } else if (std::holds_alternative<SetOffline>(op)) {
    when(st != Status::kActive && st != Status::kStandby, RuleId::kPreSetOfflineFrom);
    when(st == Status::kActive && !is(Peer(host), Status::kStandby),
         RuleId::kPreOfflineNeedsStandbyPeer);
  } else if (std::holds_alternative<SetOnline>(op)) {
    when(st != Status::kOffline, RuleId::kPreSetOnlineFrom);
  } else if (std::holds_alternative<RepairHost>(op)) {
    when(st != Status::kFailed, RuleId::kPreRepairFailedOnly);
    when(st == Status::kFailed && s.hosts[host].repaired, RuleId::kPreRepairOnce);
  } else if (std::holds_alternative<RestoreHost>(op)) {
    when(st != Status::kFailed, RuleId::kPreRestoreFailedOnly);
    when(st == Status::kFailed && !s.hosts[host].repaired, RuleId::kPreRestoreNeedsRepair);
  } else if (std::holds_alternative<SwitchPrimaryToActive>(op)) {
    when(!is(kSecondary, Status::kActive), RuleId::kPreSwitchBack);
    when(!is(kPrimary, Status::kStandby), RuleId::kPreSwitchPrimaryStandby);
  } else if (std::holds_alternative<ApplyLicense>(op)) {
    when(s.licensed, RuleId::kPreLicenseNeeded);
  } else if (std::holds_alternative<PatchPrimary>(op)) {
    when(!is(kPrimary, Status::kActive), RuleId::kPrePatchActivePrimary);
  } else if (std::holds_alternative<StartUpgrade>(op)) {
    when(!is(kSecondary, Status::kNeedsUpgrade), RuleId::kPreUpgradeNeedsUpgrade);
    when(!is(kPrimary, Status::kActive), RuleId::kPreUpgradeByPrimary);
  } else if (std::holds_alternative<HostFails>(op)) {
    when(st == Status::kFailed, RuleId::kPreNotFailed);
  } else if (std::holds_alternative<ConnectivityTest>(op)) {
    when(!s.paired, RuleId::kPreNetNeedsPair);
    when(!is(kPrimary, Status::kActive) && !is(kSecondary, Status::kActive),
         RuleId::kPreNetNeedsActive);
  } else if (std::holds_alternative<LicenseLost>(op)) {
    when(!s.licensed, RuleId::kPreLicenseHeld);
  } else if (std::holds_alternative<Complete>(op)) {
    const bool under_way = st == Status::kSettingOffline || st == Status::kSettingOnline ||
                           st == Status::kOnline || st == Status::kRestoring ||
                           st == Status::kSynchronizing || st == Status::kUpgrading;
    when(!under_way, RuleId::kPreCompleteUnderWay);
    when(st == Status::kSynchronizing && !is(Peer(host), Status::kActive),
         RuleId::kPreSyncNeedsSource);
    when(st == Status::kUpgrading && !is(kPrimary, Status::kActive), RuleId::kPreUpgradeByPrimary);
  }
  return r;
}

// Issue 7, section 2: Refusals lists every precondition that forbids an op
// (an op refused for two reasons lists both), only precondition rules, and
// Step rejects by the first of them. Checked for the complete op list in
// every state of a random trace.
template <class M>
void RefusalsListEveryReason() {
  const auto trace = *GenTraceFrom<M>(*rc::gen::arbitrary<bool>() ? M::Initial() : Pair<M>(true));
  const Nodes nodes = M::DefaultConfig().nodes;
  std::vector<Op> ops;
  ForEachOp<Op>(nodes, [&](const Op& op) { ops.push_back(op); });
  std::vector<RuleId> got;
  auto ids = [](const std::vector<RuleId>& v) {
    std::string out;
    for (RuleId r : v) out += " " + std::string(RuleOf<M>(r).id);
    return out.empty() ? std::string(" (none)") : out;
  };
  for (const S<M>& s : trace.states) {
    for (const Op& op : ops) {
      got.clear();
      M::Refusals(s, op, got);
      const std::vector<RuleId> want = ExpectedRefusals(s, op);
      if (got != want) {
        RC_FAIL(M::Show(op) + " in " + M::Show(s) + " is refused by" + ids(got) + "; expected" +
                ids(want));
      }
      for (RuleId r : got) {
        testing::Record<M>(r);
        RC_ASSERT(RuleOf<M>(r).kind == RuleKind::kPrecondition);
      }
      const auto o = M::Step(s, op);
      RC_ASSERT(o.accepted == got.empty());
      if (!o.accepted) RC_ASSERT(o.rule == got.front());
    }
  }
}

// Issue 7, section 3: where an assumption chose a landing among those the
// documents allow, AnswersOf offers the others tagged with that assumption,
// and the model's own answers (Step, Outcomes) stay as they were:
//   * a host set online with no Active peer lands Active (JSA-TR-LAND-ACTIVE);
//     dossier 4.2 "Standby or Active": Standby departs from it;
//   * a restored host beside an Active peer with disk replication
//     synchronizes first (JSA-TR-RESTORE-SYNC); landing at once departs;
//   * an upgraded secondary lands Standby (JSA-TR-UPGRADE-DONE); with disk
//     replication, synchronizing first departs.
// Every departure keeps the documented invariants.
template <class M>
void AssumedLandingsOfferTheDocumentedAlternatives() {
  auto expect = [](const S<M>& s, const Op& op, RuleId assumption, int host, Status alt) {
    std::vector<O<M>> all, own;
    AnswersOf<M>(s, op, all);
    M::Outcomes(s, op, own);
    bool offered = false;
    for (const auto& o : all) {
      if (!o.departs) continue;
      RC_ASSERT(RuleOf<M>(*o.departs).basis == BasisKind::kAssumption);
      offered = offered || (*o.departs == assumption && o.next.hosts[host].status == alt);
      std::vector<typename M::FindingT> f;
      CheckStep<M>(s, op, o.next, f);
      for (const auto& x : f) {
        if (IsDocumented(RuleOf<M>(x.rule))) {
          RC_FAIL("the departure " + M::Show(o.next) + " of " + M::Show(op) + " breaks " +
                  std::string(RuleOf<M>(x.rule).id) + ": " + x.detail);
        }
      }
    }
    if (!offered) {
      RC_FAIL(M::Show(op) + " in " + M::Show(s) + " does not offer " + std::string(HostName(host)) +
              " " + std::string(kStatusNames.Label(alt)) + " departing from " +
              std::string(RuleOf<M>(assumption).id));
    }
    for (const auto& o : own) {
      RC_ASSERT(!o.departs);
      RC_ASSERT(o.next.hosts[host].status != alt);
    }
  };
  // Online with no Active peer.
  S<M> s = GenPrimaryActivePair<M>();
  s = Accepted<M>(Accepted<M>(s, SetOffline{kSecondary}), Complete{kSecondary});
  s = Accepted<M>(s, HostFails{kPrimary, *rc::gen::elementOf(kCauses)});
  s = Accepted<M>(Accepted<M>(s, SetOnline{kSecondary}), Complete{kSecondary});
  HASPEC_EXPECT_STATUS(s, kSecondary, Status::kOnline);
  expect(s, Complete{kSecondary}, RuleId::kLandActive, kSecondary, Status::kStandby);
  // Restored beside an Active peer, with disk replication.
  S<M> r = GenHealthyPair<M>();
  if (r.disk_replication) {
    const auto p = static_cast<std::uint8_t>(Peer(ActiveOf(r)));
    r = Accepted<M>(r, HostFails{p, Cause::kPower});
    r = Accepted<M>(Accepted<M>(r, RepairHost{p, false}), RestoreHost{p});
    expect(r, Complete{p}, RuleId::kRestoreSync, p, Status::kStandby);
  }
  // Upgraded secondary, with disk replication.
  S<M> u = GenPrimaryActivePair<M>();
  if (u.disk_replication) {
    u = Accepted<M>(Accepted<M>(u, PatchPrimary{}), StartUpgrade{});
    expect(u, Complete{kSecondary}, RuleId::kUpgradeDone, kSecondary, Status::kSynchronizing);
  }
}

// Seed 003: the secondary shows Active only when the primary failed. A
// secondary returning beside a primary that is Standby without having failed
// waits as Standby (JSA-TR-LAND-STANDBY-PRIMARY-NOT-FAILED). The model's own
// answers never leave the primary Standby with no Active host, so the state
// is reached through a documented alternative: a restored primary with no
// Active peer landing Standby instead of Active (dossier 4.2).
template <class M>
void SecondaryWaitsForAPrimaryThatDidNotFail() {
  S<M> s = GenPrimaryActivePair<M>();
  s = Accepted<M>(s, HostFails{kSecondary, *rc::gen::elementOf(kCauses)});
  s = Accepted<M>(s, HostFails{kPrimary, *rc::gen::elementOf(kCauses)});
  s = Accepted<M>(Accepted<M>(s, RepairHost{kPrimary, false}), RestoreHost{kPrimary});
  std::vector<O<M>> all;
  AnswersOf<M>(s, Complete{kPrimary}, all);
  auto it = std::find_if(all.begin(), all.end(), [](const O<M>& o) {
    return o.departs && o.next.hosts[kPrimary].status == Status::kStandby;
  });
  if (it == all.end())
    RC_FAIL("no Standby landing offered for the restored primary in " + M::Show(s));
  s = it->next;
  s = Accepted<M>(Accepted<M>(s, RepairHost{kSecondary, false}), RestoreHost{kSecondary});
  auto o = Checked<M>(s, Complete{kSecondary});
  HASPEC_EXPECT_RULE(M, o, true, RuleId::kLandStandbyPrimaryNotFailed);
  HASPEC_EXPECT_STATUS(o.next, kSecondary, Status::kStandby);
  HASPEC_EXPECT_STATUS(o.next, kPrimary, Status::kStandby);
}

}  // namespace haspec::jsa::props

#endif  // HASPEC_PROPERTIES_JSA_JSA_PROPERTIES_H_
