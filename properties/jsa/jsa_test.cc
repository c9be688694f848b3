// The JSA HA properties, run against the model, and worked examples: every
// status reached along a documented path, and every transition of dossier
// 4.2 as one concrete step.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "engine/walk.h"
#include "properties/jsa/jsa_properties.h"

namespace haspec::jsa {
namespace {

#define HASPEC_X(name) \
  RC_GTEST_PROP(JsaHa, name, ()) { props::name<Jsa>(); }
HASPEC_JSA_PROPERTIES(HASPEC_X)
#undef HASPEC_X

// Step is total: any op, host numbers out of range included, gives an
// outcome; a refused op leaves the state as it was.
RC_GTEST_PROP(JsaHa, StepIsTotalAndRefusalsChangeNothing, ()) {
  const auto t = *testing::GenTraceFrom<Jsa>(*rc::gen::arbitrary<bool>() ? Jsa::Initial()
                                                                         : props::Pair<Jsa>(true));
  const auto h = *rc::gen::inRange<int>(0, 256);
  const auto h8 = static_cast<std::uint8_t>(h);
  const Op ops[] = {SetOffline{h8},
                    SetOnline{h8},
                    RepairHost{h8, true},
                    RestoreHost{h8},
                    HostFails{h8, Cause::kRaid},
                    ProcessExits{h8},
                    DiskFull{h8},
                    Complete{h8}};
  for (const Op& op : ops) {
    auto o = Jsa::Step(t.last, op);
    if (!o.accepted) RC_ASSERT(o.next == t.last);
    if (h >= kHosts) RC_ASSERT(!o.accepted);
  }
}

// Outcomes starts with Step's outcome and adds an alternative only for the
// two disputed landings.
RC_GTEST_PROP(JsaHa, OutcomesAddAnAlternativeOnlyWhereTheDocumentsDisagree, ()) {
  const auto t = *testing::GenTraceFrom<Jsa>(props::Pair<Jsa>(*rc::gen::arbitrary<bool>()));
  std::vector<Op> ops;
  Jsa::CandidateOps(t.last, ops);
  for (const Op& op : ops) {
    std::vector<Jsa::OutcomeT> outs;
    Jsa::Outcomes(t.last, op, outs);
    RC_ASSERT(!outs.empty());
    const auto step = Jsa::Step(t.last, op);
    RC_ASSERT(outs[0].next == step.next);
    const bool disputed = step.accepted && (step.rule == RuleId::kNetFailover ||
                                            step.rule == RuleId::kRecoveredPrimary);
    RC_ASSERT(outs.size() == (disputed ? 2u : 1u));
  }
}

// ---- Worked examples ------------------------------------------------------------

State Steps(State s, std::initializer_list<Op> ops) {
  for (const Op& op : ops) {
    auto o = Jsa::Step(s, op);
    EXPECT_TRUE(o.accepted) << Jsa::Show(op) << " refused by " << RuleOf<Jsa>(o.rule).id << " in "
                            << Jsa::Show(s);
    s = o.next;
  }
  return s;
}

State Pair(bool replication) {
  State s = Steps(Jsa::Initial(), {CreatePair{replication}});
  return replication ? Steps(s, {Complete{kSecondary}}) : s;
}

// What System and License Management shows: the status of each host.
std::string Statuses(const State& s) {
  Observation o;
  for (int h = 0; h < (s.paired ? kHosts : 1); ++h) o.hosts[h].status = s.hosts[h].status;
  return Jsa::Show(o);
}

// A documented path to each of the twelve statuses of seed 003.
TEST(JsaStatuses, EveryStatusIsReachedAlongADocumentedPath) {
  struct Case {
    Status status;
    int host;
    State state;
  };
  const State pair = Pair(true);
  const State off = Steps(pair, {SetOffline{kSecondary}});
  const State failed = Steps(pair, {HostFails{kPrimary, Cause::kPower}});
  const Case cases[] = {
      {Status::kActive, kPrimary, pair},
      {Status::kStandby, kSecondary, pair},
      {Status::kFailed, kPrimary, failed},
      {Status::kSynchronizing, kSecondary, Steps(Jsa::Initial(), {CreatePair{true}})},
      {Status::kSettingOffline, kSecondary, off},
      {Status::kOffline, kSecondary, Steps(off, {Complete{kSecondary}})},
      {Status::kSettingOnline, kSecondary,
       Steps(off, {Complete{kSecondary}, SetOnline{kSecondary}})},
      {Status::kOnline, kSecondary,
       Steps(off, {Complete{kSecondary}, SetOnline{kSecondary}, Complete{kSecondary}})},
      {Status::kRestoring, kPrimary, Steps(failed, {RepairHost{kPrimary}, RestoreHost{kPrimary}})},
      {Status::kNeedsLicense, kPrimary, Steps(pair, {LicenseLost{}})},
      {Status::kNeedsUpgrade, kSecondary, Steps(pair, {PatchPrimary{}})},
      {Status::kUpgrading, kSecondary, Steps(pair, {PatchPrimary{}, StartUpgrade{}})},
  };
  std::set<Status> seen;
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(kStatusNames.Label(c.status)));
    EXPECT_EQ(Jsa::Observe(c.state).hosts[c.host].status, c.status) << Statuses(c.state);
    std::vector<Jsa::FindingT> f;
    Jsa::CheckInvariants(c.state, f);
    EXPECT_TRUE(f.empty()) << f.front().detail;
    seen.insert(c.status);
  }
  EXPECT_EQ(seen.size(), kStatusNames.size());
  EXPECT_EQ(Jsa::Statuses().size(), 12u);
}

// Random walks reach every status on both hosts (except the secondary-only
// ones on the primary) and never break an invariant.
TEST(JsaStatuses, RandomWalksReachEveryStatus) {
  WalkOptions opt;
  opt.seed = 7;
  opt.walks = 200;
  opt.steps = 300;
  auto r = Walk<Jsa>(opt);
  ASSERT_FALSE(r.violation) << r.violation->finding.detail;
  std::set<std::pair<int, Status>> seen;
  Rng rng(7);
  std::vector<Op> ops;
  for (int w = 0; w < 200; ++w) {
    State s = Jsa::Initial();
    for (int i = 0; i < 300; ++i) {
      ops.clear();
      Jsa::CandidateOps(s, ops);
      s = Jsa::Step(s, ops[rng.Below(ops.size())]).next;
      seen.insert({kPrimary, s.hosts[kPrimary].status});
      if (s.paired) seen.insert({kSecondary, s.hosts[kSecondary].status});
    }
  }
  for (const auto& e : kStatusNames.entries) {
    EXPECT_TRUE(seen.count({kSecondary, e.value})) << "secondary never " << e.label;
    const bool secondary_only = e.value == Status::kNeedsUpgrade || e.value == Status::kUpgrading;
    EXPECT_EQ(seen.count({kPrimary, e.value}), secondary_only ? 0u : 1u) << "primary " << e.label;
  }
}

// One row per transition of dossier 4.2 (and the failover mechanics): from
// a start state, one op, the rule that decides it and what the UI shows.
TEST(JsaTransitions, EachDocumentedTransitionAsOneStep) {
  struct Row {
    const char* what;
    State from;
    Op op;
    RuleId rule;
    std::string shows;
  };
  const State pair = Pair(true);
  const State plain = Pair(false);
  const State over = Steps(pair, {HostFails{kPrimary, Cause::kHeartbeat}});
  const State recovered = Steps(over, {RepairHost{kPrimary, true}, RestoreHost{kPrimary},
                                       Complete{kPrimary}, Complete{kPrimary}});
  const State sec_off = Steps(pair, {SetOffline{kSecondary}, Complete{kSecondary}});
  const State behind = Steps(pair, {PatchPrimary{}});
  // A primary that is Standby without having failed, holding the active
  // role, beside a returning secondary: reached only through a departure
  // (a restored primary landing Standby instead of Active, dossier 4.2).
  State waiting = pair;
  waiting.hosts[kPrimary] = Host{Status::kStandby};
  waiting.hosts[kSecondary] = Host{Status::kOnline};
  const Row rows[] = {
      {"new pair with replication", Jsa::Initial(), CreatePair{true}, RuleId::kCreatePair,
       "[primary Active; secondary Synchronizing]"},
      {"new pair without replication", Jsa::Initial(), CreatePair{false}, RuleId::kCreatePair,
       "[primary Active; secondary Standby]"},
      {"initial sync done", Steps(Jsa::Initial(), {CreatePair{true}}), Complete{kSecondary},
       RuleId::kSyncDone, "[primary Active; secondary Standby]"},
      {"primary power failure", pair, HostFails{kPrimary, Cause::kPower}, RuleId::kPrimaryFailover,
       "[primary Failed; secondary Active]"},
      {"primary RAID failure", plain, HostFails{kPrimary, Cause::kRaid}, RuleId::kPrimaryFailover,
       "[primary Failed; secondary Active]"},
      {"primary NFS read-only", pair, HostFails{kPrimary, Cause::kNfsReadOnly},
       RuleId::kPrimaryFailover, "[primary Failed; secondary Active]"},
      {"primary not capable", pair, HostFails{kPrimary, Cause::kNotCapable},
       RuleId::kPrimaryFailover, "[primary Failed; secondary Active]"},
      {"standby secondary fails", pair, HostFails{kSecondary, Cause::kPower},
       RuleId::kSecondaryFails, "[primary Active; secondary Failed]"},
      {"active secondary fails", recovered, HostFails{kSecondary, Cause::kPower},
       RuleId::kStandbyTakesOver, "[primary Active; secondary Failed]"},
      {"failure with the peer offline", sec_off, HostFails{kPrimary, Cause::kPower},
       RuleId::kNoFailoverPeerOffline, "[primary Failed; secondary Offline]"},
      {"failure with the peer needing an upgrade", behind, HostFails{kPrimary, Cause::kPower},
       RuleId::kNoFailoverDuringUpgrade, "[primary Failed; secondary Needs Upgrade]"},
      {"failure with the peer failed", over, HostFails{kSecondary, Cause::kPower},
       RuleId::kNoFailoverNoStandby, "[primary Failed; secondary Failed]"},
      {"process exits", pair, ProcessExits{kPrimary}, RuleId::kNoFailoverProcess,
       "[primary Active; secondary Standby]"},
      {"disk at 95%", pair, DiskFull{kPrimary}, RuleId::kNoFailoverDisk,
       "[primary Active; secondary Standby]"},
      {"ping sweep passes", pair, ConnectivityTest{true, true, true}, RuleId::kNetSweepPasses,
       "[primary Active; secondary Standby]"},
      {"standby cross-check fails", pair, ConnectivityTest{false, false, false},
       RuleId::kNetStandbyFails, "[primary Active; secondary Standby]"},
      {"re-ping succeeds", pair, ConnectivityTest{false, true, true}, RuleId::kNetRepingOk,
       "[primary Active; secondary Standby]"},
      {"re-ping fails", pair, ConnectivityTest{false, true, false}, RuleId::kNetFailover,
       "[primary Standby; secondary Active]"},
      {"ping test with the peer offline", sec_off, ConnectivityTest{false, true, false},
       RuleId::kNetNoStandby, "[primary Active; secondary Offline]"},
      {"set standby offline", pair, SetOffline{kSecondary}, RuleId::kSetOffline,
       "[primary Active; secondary Setting Offline]"},
      {"manual failover", pair, SetOffline{kPrimary}, RuleId::kManualFailover,
       "[primary Setting Offline; secondary Active]"},
      {"offline settles", Steps(pair, {SetOffline{kSecondary}}), Complete{kSecondary},
       RuleId::kOfflineSettles, "[primary Active; secondary Offline]"},
      {"set online", sec_off, SetOnline{kSecondary}, RuleId::kSetOnline,
       "[primary Active; secondary Setting Online]"},
      {"online settles", Steps(sec_off, {SetOnline{kSecondary}}), Complete{kSecondary},
       RuleId::kOnlineSettles, "[primary Active; secondary Online]"},
      {"online rejoins as standby", Steps(sec_off, {SetOnline{kSecondary}, Complete{kSecondary}}),
       Complete{kSecondary}, RuleId::kLandStandby, "[primary Active; secondary Standby]"},
      {"online with no active peer",
       Steps(sec_off, {HostFails{kPrimary}, SetOnline{kSecondary}, Complete{kSecondary}}),
       Complete{kSecondary}, RuleId::kLandActive, "[primary Failed; secondary Active]"},
      {"secondary waits for a primary that did not fail", waiting, Complete{kSecondary},
       RuleId::kLandStandbyPrimaryNotFailed, "[primary Standby; secondary Standby]"},
      {"repair", over, RepairHost{kPrimary, false}, RuleId::kRepair,
       "[primary Failed; secondary Active]"},
      {"restore", Steps(over, {RepairHost{kPrimary}}), RestoreHost{kPrimary}, RuleId::kRestore,
       "[primary Restoring; secondary Active]"},
      {"restore then sync", Steps(over, {RepairHost{kPrimary}, RestoreHost{kPrimary}}),
       Complete{kPrimary}, RuleId::kRestoreSync, "[primary Synchronizing; secondary Active]"},
      {"recovered primary stays standby",
       Steps(over, {RepairHost{kPrimary}, RestoreHost{kPrimary}, Complete{kPrimary}}),
       Complete{kPrimary}, RuleId::kRecoveredPrimary, "[primary Standby; secondary Active]"},
      {"switch primary to active", recovered, SwitchPrimaryToActive{}, RuleId::kSwitchPrimaryActive,
       "[primary Active; secondary Standby]"},
      {"license lost", pair, LicenseLost{}, RuleId::kLicenseLost,
       "[primary Needs License; secondary Needs License]"},
      {"license applied", Steps(pair, {LicenseLost{}}), ApplyLicense{}, RuleId::kLicenseApplied,
       "[primary Active; secondary Standby]"},
      {"restored while unlicensed",
       Steps(over, {RepairHost{kPrimary}, RestoreHost{kPrimary}, LicenseLost{}}),
       Complete{kPrimary}, RuleId::kLandNeedsLicense,
       "[primary Needs License; secondary Needs License]"},
      {"primary patched", pair, PatchPrimary{}, RuleId::kLandNeedsUpgrade,
       "[primary Active; secondary Needs Upgrade]"},
      {"primary patched, secondary offline", sec_off, PatchPrimary{}, RuleId::kPatchPrimary,
       "[primary Active; secondary Offline]"},
      {"upgrade starts", behind, StartUpgrade{}, RuleId::kUpgradeStart,
       "[primary Active; secondary Upgrading]"},
      {"upgrade done", Steps(behind, {StartUpgrade{}}), Complete{kSecondary}, RuleId::kUpgradeDone,
       "[primary Active; secondary Standby]"},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(r.what);
    auto o = Jsa::Step(r.from, r.op);
    EXPECT_TRUE(o.accepted) << Jsa::Show(r.op) << " refused by " << RuleOf<Jsa>(o.rule).id;
    EXPECT_EQ(RuleOf<Jsa>(o.rule).id, RuleOf<Jsa>(r.rule).id);
    EXPECT_EQ(Statuses(o.next), r.shows) << Jsa::Show(o.next);
    std::vector<Jsa::FindingT> f;
    Jsa::CheckInvariants(o.next, f);
    Jsa::CheckTransition(r.from, r.op, o.next, f);
    for (const auto& x : f) ADD_FAILURE() << RuleOf<Jsa>(x.rule).id << ": " << x.detail;
  }
}

// One row per precondition: the op is refused, by that rule.
TEST(JsaTransitions, EachPreconditionRefusesItsOp) {
  struct Row {
    const char* what;
    State from;
    Op op;
    RuleId rule;
  };
  const State pair = Pair(false);
  const State over = Steps(pair, {HostFails{kPrimary, Cause::kPower}});
  const Row rows[] = {
      {"second pair", pair, CreatePair{true}, RuleId::kPrePairExists},
      {"pair from a failed primary", Steps(Jsa::Initial(), {HostFails{kPrimary}}), CreatePair{true},
       RuleId::kPreCreateFromActive},
      {"the only active host offline", Steps(pair, {HostFails{kSecondary}}), SetOffline{kPrimary},
       RuleId::kPreOfflineNeedsStandbyPeer},
      {"repair a working host", pair, RepairHost{kSecondary}, RuleId::kPreRepairFailedOnly},
      {"repair twice", Steps(over, {RepairHost{kPrimary}}), RepairHost{kPrimary},
       RuleId::kPreRepairOnce},
      {"restore a working host", pair, RestoreHost{kSecondary}, RuleId::kPreRestoreFailedOnly},
      {"switch with a failed primary", over, SwitchPrimaryToActive{},
       RuleId::kPreSwitchPrimaryStandby},
      {"license applied twice", pair, ApplyLicense{}, RuleId::kPreLicenseNeeded},
      {"license lost twice", Steps(pair, {LicenseLost{}}), LicenseLost{}, RuleId::kPreLicenseHeld},
      {"upgrade an up-to-date secondary", pair, StartUpgrade{}, RuleId::kPreUpgradeNeedsUpgrade},
      {"a failed host fails", over, HostFails{kPrimary}, RuleId::kPreNotFailed},
      {"ping test without a pair", Jsa::Initial(), ConnectivityTest{false, true, false},
       RuleId::kPreNetNeedsPair},
      {"complete with nothing under way", pair, Complete{kPrimary}, RuleId::kPreCompleteUnderWay},
      {"set a failed host offline", over, SetOffline{kPrimary}, RuleId::kPreSetOfflineFrom},
      {"set an active host online", pair, SetOnline{kPrimary}, RuleId::kPreSetOnlineFrom},
      {"restore before repair", over, RestoreHost{kPrimary}, RuleId::kPreRestoreNeedsRepair},
      {"switch without failover", pair, SwitchPrimaryToActive{}, RuleId::kPreSwitchBack},
      {"upgrade without the primary", Steps(pair, {PatchPrimary{}, HostFails{kPrimary}}),
       StartUpgrade{}, RuleId::kPreUpgradeByPrimary},
      {"sync without a source", Steps(Jsa::Initial(), {CreatePair{true}, HostFails{kPrimary}}),
       Complete{kSecondary}, RuleId::kPreSyncNeedsSource},
      {"patch a failed primary", over, PatchPrimary{}, RuleId::kPrePatchActivePrimary},
      {"ping test with nobody active", Steps(over, {HostFails{kSecondary}}),
       ConnectivityTest{false, true, false}, RuleId::kPreNetNeedsActive},
      {"secondary op without a pair", Jsa::Initial(), SetOffline{kSecondary},
       RuleId::kPreHostInPair},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(r.what);
    auto o = Jsa::Step(r.from, r.op);
    EXPECT_FALSE(o.accepted);
    EXPECT_EQ(RuleOf<Jsa>(o.rule).id, RuleOf<Jsa>(r.rule).id);
    EXPECT_EQ(o.next, r.from);
  }
}

// Findings carry the values that break the rule.
TEST(JsaInvariants, FindingsNameHostsAndStatuses) {
  State s = Pair(true);
  s.hosts[kSecondary].status = Status::kActive;
  s.hosts[kSecondary].services = true;
  s.hosts[kSecondary].vip = true;
  std::vector<Jsa::FindingT> f;
  Jsa::CheckInvariants(s, f);
  std::string all;
  for (const auto& x : f) all += std::string(RuleOf<Jsa>(x.rule).id) + ": " + x.detail + "\n";
  EXPECT_NE(all.find("JSA-INV-ONE-ACTIVE: primary and secondary are both Active"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("the secondary is Active but the primary is Active"), std::string::npos)
      << all;
}

// model/jsa/README.md names every rule of the catalogue.
TEST(JsaReadme, ListsEveryRuleId) {
  std::ifstream f(std::string(HASPEC_SOURCE_DIR) + "/model/jsa/README.md");
  std::stringstream ss;
  ss << f.rdbuf();
  const std::string readme = ss.str();
  ASSERT_FALSE(readme.empty()) << "model/jsa/README.md is missing";
  for (const Rule& r : Jsa::Rules()) {
    EXPECT_NE(readme.find(std::string(r.id)), std::string::npos) << r.id << " is not in the README";
  }
  for (std::string_view part : {"```mermaid", "## Assumptions"}) {
    EXPECT_NE(readme.find(part), std::string::npos) << "README lacks " << part;
  }
}

}  // namespace
}  // namespace haspec::jsa
