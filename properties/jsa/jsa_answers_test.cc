// The engine-ready core for JSA (issue 7): the machine contract, refusal
// sets, documented vs assumed answers (precondition, landing, status) under
// both readings, partial observations (seen / not seen / absent),
// configurations, Canonical and saturation of the default configuration.
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/op_trace.h"
#include "engine/rule_table.h"
#include "engine/run.h"
#include "engine/saturate.h"
#include "model/core/answers.h"
#include "model/core/op_codec.h"
#include "model/jsa/jsa.h"
#include "properties/core/contract.h"
#include "properties/core/harness.h"

namespace haspec::jsa {
namespace {

using nlohmann::json;
using testing::ErrorOf;

HASPEC_CONTRACT_TESTS(JsaContract, Jsa)

// A machine whose Effects also changes what the vector held before it (as
// vcs-gco's Effects mutants once did): the contract's check that Effects
// appends must fail on it.
struct JsaEffectsTouchesWhatWasThere : Jsa {
  static void Effects(const State& s, const Op& op, std::vector<OutcomeT>& out) {
    const bool held = !out.empty();
    Jsa::Effects(s, op, out);
    if (held) out.front().accepted = true;
  }
  HASPEC_MACHINE_DERIVED(JsaEffectsTouchesWhatWasThere)
};

// Whether running `check` on a planted machine fails with a message that
// holds `text`.
template <class F>
bool ContractFailsWith(F check, const std::string& text) {
  ::testing::TestPartResultArray failures;
  {
    ::testing::ScopedFakeTestPartResultReporter capture(
        ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &failures);
    check();
  }
  for (int i = 0; i < failures.size(); ++i) {
    if (std::string(failures.GetTestPartResult(i).message()).find(text) != std::string::npos) {
      return true;
    }
  }
  return false;
}

// A machine whose refusals read an environment choice not marked Refused()
// (a connectivity test refused when its sweep is to fail): the explorer
// would share one refusal between ops that differ there.
struct JsaRefusalsReadTheEnvironment : Jsa {
  static void Refusals(const State& s, const Op& op, std::vector<RuleId>& out) {
    Jsa::Refusals(s, op, out);
    const auto* t = std::get_if<ConnectivityTest>(&op);
    if (t != nullptr && !t->sweep_ok && out.empty()) out.push_back(RuleId::kPreHostInPair);
  }
  HASPEC_MACHINE_DERIVED(JsaRefusalsReadTheEnvironment)
};

TEST(JsaContract, ContractCatchesRefusalsThatReadAnEnvironmentChoice) {
  EXPECT_TRUE(ContractFailsWith(
      [] { testing::ExpectStepAgreesWithRefusals<JsaRefusalsReadTheEnvironment>(); },
      "reads an environment choice"));
}

// A machine whose Canonical changes a status shown (a Failed host folded to
// Standby): the explorer keeps the statuses of the canonical form.
struct JsaCanonicalChangesStatuses : Jsa {
  static State Canonical(const State& s) {
    State c = Jsa::Canonical(s);
    for (Host& h : c.hosts) {
      if (h.status == Status::kFailed) h.status = Status::kStandby;
    }
    return c;
  }
  HASPEC_MACHINE_DERIVED(JsaCanonicalChangesStatuses)
};

TEST(JsaContract, ContractCatchesACanonicalFormThatChangesStatuses) {
  EXPECT_TRUE(ContractFailsWith(
      [] { testing::ExpectStateAndObservationContract<JsaCanonicalChangesStatuses>(); },
      "Canonical changes the statuses shown"));
}

TEST(JsaContract, ContractCatchesEffectsThatDoNotAppend) {
  EXPECT_TRUE(ContractFailsWith(
      [] { testing::ExpectStepAgreesWithRefusals<JsaEffectsTouchesWhatWasThere>(); },
      "does not append"));
}

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

std::vector<std::string> RefusalIds(const State& s, const Op& op) {
  std::vector<RuleId> why;
  Jsa::Refusals(s, op, why);
  std::vector<std::string> out;
  for (RuleId r : why) out.emplace_back(RuleOf<Jsa>(r).id);
  return out;
}

std::vector<OutcomeOf<Jsa>> Answers(const State& s, const Op& op) {
  std::vector<OutcomeOf<Jsa>> out;
  AnswersOf<Jsa>(s, op, out);
  return out;
}

// ---- Refusals ------------------------------------------------------------------

TEST(JsaRefusals, AnOpRefusedForTwoReasonsListsBoth) {
  const State pair = Pair(false);
  const State primary_failed = Steps(pair, {HostFails{kPrimary}});
  using V = std::vector<std::string>;
  EXPECT_EQ(RefusalIds(primary_failed, StartUpgrade{}),
            (V{"JSA-PRE-UPGRADE-NEEDS-UPGRADE", "JSA-PRE-UPGRADE-BY-PRIMARY"}));
  EXPECT_EQ(RefusalIds(pair, SwitchPrimaryToActive{}),
            (V{"JSA-PRE-SWITCH-AFTER-FAILOVER", "JSA-PRE-SWITCH-PRIMARY-STANDBY"}));
  EXPECT_EQ(RefusalIds(Steps(pair, {LicenseLost{}}), CreatePair{true}),
            (V{"JSA-PRE-CREATE-PAIR-ONCE", "JSA-PRE-CREATE-PAIR-FROM-ACTIVE"}));
  EXPECT_EQ(RefusalIds(Steps(Jsa::Initial(), {HostFails{kPrimary}}), ConnectivityTest{}),
            (V{"JSA-PRE-NET-TEST-NEEDS-PAIR", "JSA-PRE-NET-TEST-NEEDS-ACTIVE"}));
  // Step reports the first.
  auto o = Jsa::Step(primary_failed, StartUpgrade{});
  EXPECT_FALSE(o.accepted);
  EXPECT_EQ(RuleOf<Jsa>(o.rule).id, "JSA-PRE-UPGRADE-NEEDS-UPGRADE");
  // An op naming the missing secondary gives that one reason only.
  EXPECT_EQ(RefusalIds(Jsa::Initial(), Complete{kSecondary}), (V{"JSA-PRE-HOST-IN-PAIR"}));
}

// Issue 7 fidelity: the only Active host cannot be set offline (seed 003:
// "Data replication is functioning between the active and offline HA
// hosts"); with a Standby peer it is a manual failover.
TEST(JsaRefusals, TheOnlyActiveHostIsNotSetOffline) {
  using V = std::vector<std::string>;
  EXPECT_EQ(RefusalIds(Jsa::Initial(), SetOffline{kPrimary}),
            (V{"JSA-PRE-OFFLINE-NEEDS-STANDBY-PEER"}));
  const State sec_failed = Steps(Pair(true), {HostFails{kSecondary}});
  EXPECT_EQ(RefusalIds(sec_failed, SetOffline{kPrimary}),
            (V{"JSA-PRE-OFFLINE-NEEDS-STANDBY-PEER"}));
  // Documented: no reading accepts it.
  for (const auto& a : Answers(sec_failed, SetOffline{kPrimary})) EXPECT_FALSE(a.accepted);
  auto o = Jsa::Step(Pair(true), SetOffline{kPrimary});
  EXPECT_TRUE(o.accepted);
  EXPECT_EQ(RuleOf<Jsa>(o.rule).id, "JSA-TR-MANUAL-FAILOVER");
  EXPECT_EQ(ActiveHost(o.next), kSecondary);
}

// ---- Documented vs assumed answers: precondition, landing, status ----------------

// A precondition that is an assumption: the model refuses; the documents
// also allow accepting (here as a no-op). A documented precondition: both
// readings refuse.
TEST(JsaAnswers, PreconditionUnderBothReadings) {
  const State pair = Pair(true);
  auto own = Jsa::Step(pair, ApplyLicense{});
  EXPECT_FALSE(own.accepted);
  EXPECT_EQ(RuleOf<Jsa>(own.rule).id, "JSA-PRE-APPLY-LICENSE-NEEDED");
  const auto all = Answers(pair, ApplyLicense{});
  ASSERT_EQ(all.size(), 2u);
  EXPECT_FALSE(all[0].accepted);
  EXPECT_FALSE(all[0].departs);
  EXPECT_TRUE(all[1].accepted);
  ASSERT_TRUE(all[1].departs);
  EXPECT_EQ(RuleOf<Jsa>(*all[1].departs).id, "JSA-PRE-APPLY-LICENSE-NEEDED");
  EXPECT_EQ(all[1].next, pair);

  const auto doc = Answers(pair, SetOnline{kPrimary});
  ASSERT_EQ(doc.size(), 1u);
  EXPECT_FALSE(doc[0].accepted);
  EXPECT_EQ(RuleOf<Jsa>(doc[0].rule).id, "JSA-PRE-SET-ONLINE-FROM-OFFLINE");

  // Accepted under an assumption transition (the manual failover): the
  // documents also allow refusing it.
  const auto manual = Answers(pair, SetOffline{kPrimary});
  ASSERT_EQ(manual.size(), 2u);
  EXPECT_TRUE(manual[0].accepted);
  EXPECT_FALSE(manual[1].accepted);
  ASSERT_TRUE(manual[1].departs);
  EXPECT_EQ(RuleOf<Jsa>(*manual[1].departs).id, "JSA-TR-MANUAL-FAILOVER");
}

// A landing an assumption chose: a host set online with no Active peer
// lands Active (JSA-TR-LAND-ACTIVE); dossier 4.2 allows Standby too. Both
// documented landings of a recovered primary (Standby, Offline) are the
// model's own answers, with no departure.
TEST(JsaAnswers, LandingUnderBothReadings) {
  const State online =
      Steps(Pair(false), {SetOffline{kSecondary}, Complete{kSecondary}, HostFails{kPrimary},
                          SetOnline{kSecondary}, Complete{kSecondary}});
  std::vector<OutcomeOf<Jsa>> own;
  Jsa::Outcomes(online, Complete{kSecondary}, own);
  ASSERT_EQ(own.size(), 1u);
  EXPECT_EQ(own[0].next.hosts[kSecondary].status, Status::kActive);
  // Documented-only: the Standby landing too (a completion is never
  // refused, so that is the only other answer).
  const auto all = Answers(online, Complete{kSecondary});
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].next.hosts[kSecondary].status, Status::kActive);
  EXPECT_FALSE(all[0].departs);
  EXPECT_EQ(all[1].next.hosts[kSecondary].status, Status::kStandby);
  ASSERT_TRUE(all[1].departs);
  EXPECT_EQ(RuleOf<Jsa>(*all[1].departs).id, "JSA-TR-LAND-ACTIVE");

  const State restoring =
      Steps(Pair(false), {HostFails{kPrimary}, RepairHost{kPrimary}, RestoreHost{kPrimary}});
  own.clear();
  Jsa::Outcomes(restoring, Complete{kPrimary}, own);
  ASSERT_EQ(own.size(), 2u);
  EXPECT_EQ(own[0].next.hosts[kPrimary].status, Status::kStandby);
  EXPECT_EQ(own[1].next.hosts[kPrimary].status, Status::kOffline);
  for (const auto& o : own) {
    EXPECT_FALSE(o.departs);
    EXPECT_EQ(RuleOf<Jsa>(o.rule).id, "JSA-TR-RECOVERED-PRIMARY-LANDING");
  }
}

// A status fact an assumption chose: seed 003 does not say whether a
// Restoring host runs services; JSA-INV-ONLY-ACTIVE-RUNS-SERVICES assumes
// not, so an observation of services there departs. Services on a Standby
// host are excluded by the seed itself; a wrong status by the status table.
TEST(JsaAnswers, StatusUnderBothReadings) {
  const State restoring =
      Steps(Pair(false), {HostFails{kSecondary}, RepairHost{kSecondary}, RestoreHost{kSecondary}});
  Observation o;
  o.hosts[kSecondary].status = Status::kRestoring;
  std::vector<Jsa::FindingT> why;
  EXPECT_EQ(Jsa::Consistent(restoring, o, &why), Fit::kMatch);
  o.hosts[kSecondary].services = true;
  EXPECT_EQ(Jsa::Consistent(restoring, o, &why), Fit::kDeparture);
  ASSERT_EQ(why.size(), 1u);
  EXPECT_EQ(RuleOf<Jsa>(why[0].rule).id, "JSA-INV-ONLY-ACTIVE-RUNS-SERVICES");
  EXPECT_EQ(why[0].detail, "secondary runs services but is Restoring");

  const State pair = Pair(false);
  Observation standby;
  standby.hosts[kSecondary].services = true;
  why.clear();
  EXPECT_EQ(Jsa::Consistent(pair, standby, &why), Fit::kMismatch);
  ASSERT_EQ(why.size(), 1u);
  EXPECT_EQ(RuleOf<Jsa>(why[0].rule).id, "JSA-INV-STANDBY-NO-SERVICES");

  Observation offline;
  offline.hosts[kSecondary].status = Status::kOffline;
  why.clear();
  EXPECT_EQ(Jsa::Consistent(pair, offline, &why), Fit::kMismatch);
  ASSERT_EQ(why.size(), 1u);
  EXPECT_EQ(RuleOf<Jsa>(why[0].rule).id, "JSA-OBS-SHOWN");
  EXPECT_EQ(why[0].detail, "secondary is shown Offline but is Standby");
}

// ---- Partial observations ----------------------------------------------------------

// The secondary slot: not seen fits any state; absent fits only a state
// without a pair; present (even with nothing else seen) only one with a pair.
TEST(JsaObservations, SeenNotSeenAndAbsentAreDistinct) {
  const State alone = Jsa::Initial();
  const State pair = Pair(true);
  Observation not_seen, absent, present;
  absent.secondary = false;
  present.secondary = true;
  EXPECT_EQ(Jsa::Consistent(alone, not_seen), Fit::kMatch);
  EXPECT_EQ(Jsa::Consistent(pair, not_seen), Fit::kMatch);
  EXPECT_EQ(Jsa::Consistent(alone, absent), Fit::kMatch);
  EXPECT_EQ(Jsa::Consistent(pair, absent), Fit::kMismatch);
  EXPECT_EQ(Jsa::Consistent(alone, present), Fit::kMismatch);
  EXPECT_EQ(Jsa::Consistent(pair, present), Fit::kMatch);
  Observation sec_status;
  sec_status.hosts[kSecondary].status = Status::kStandby;
  EXPECT_EQ(Jsa::Consistent(alone, sec_status), Fit::kMismatch);
  EXPECT_EQ(Jsa::Consistent(pair, sec_status), Fit::kMatch);
  // Each fact on its own.
  Observation active;
  active.active = kSecondary;
  EXPECT_EQ(Jsa::Consistent(pair, active), Fit::kMismatch);
  active.active = kPrimary;
  EXPECT_EQ(Jsa::Consistent(pair, active), Fit::kMatch);
  Observation vip;
  vip.hosts[kPrimary].vip = false;
  EXPECT_EQ(Jsa::Consistent(pair, vip), Fit::kMismatch);
  Observation lic;
  lic.licensed = false;
  EXPECT_EQ(Jsa::Consistent(pair, lic), Fit::kMismatch);
  EXPECT_EQ(Jsa::Consistent(Steps(pair, {LicenseLost{}}), lic), Fit::kMatch);

  // JSON: unseen facts are left out; "absent" and {} are the two seen values.
  const Nodes n = Jsa::DefaultConfig().nodes;
  EXPECT_EQ(Jsa::ObservationToJson(not_seen, n).dump(), "{}");
  EXPECT_EQ(Jsa::ObservationToJson(absent, n).dump(), R"({"hosts":{"secondary":"absent"}})");
  EXPECT_EQ(Jsa::ObservationToJson(present, n).dump(), R"({"hosts":{"secondary":{}}})");
  EXPECT_EQ(Jsa::ObservationFromJson(json::object(), n), not_seen);
  EXPECT_EQ(Jsa::ObservationFromJson(json::parse(R"({"hosts":{"secondary":"absent"}})"), n),
            absent);
  EXPECT_EQ(Jsa::ObservationFromJson(json::parse(R"({"hosts":{"secondary":{}}})"), n), present);
  EXPECT_EQ(Jsa::Show(absent), "[secondary absent]");
  EXPECT_EQ(Jsa::Show(Jsa::Observe(alone)),
            "[primary Active vip services; secondary absent; active primary; licensed; "
            "no replication; secondary same release]");
}

// ---- Configurations ---------------------------------------------------------------

TEST(JsaConfig, InitialSituationsAndHostNames) {
  const Config c = Jsa::ConfigFromJson(json::parse(
      R"({"hosts":{"primary":"qradar-pri","secondary":"qradar-sec"},"pair":"synchronized",
          "disk_replication":true})"));
  EXPECT_EQ(c.nodes, Nodes({"qradar-pri", "qradar-sec"}));
  const State s = Jsa::Initial(c);
  EXPECT_TRUE(s.paired && s.disk_replication);
  EXPECT_EQ(s.hosts[kSecondary].status, Status::kStandby);
  EXPECT_EQ(Jsa::Show(s, c.nodes),
            "{qradar-pri (primary) Active services vip, qradar-sec (secondary) Standby, "
            "replication}");
  EXPECT_EQ(Jsa::Initial(Jsa::ConfigFromJson(json::parse(R"({"pair":"synchronizing"})")))
                .hosts[kSecondary]
                .status,
            Status::kSynchronizing);
  EXPECT_EQ(Jsa::Initial(Jsa::ConfigFromJson(json::object())), Jsa::Initial());
  // Ops name hosts as the configuration does.
  const Op op = OpFromJson<Op>(json::parse(R"({"op":"set_offline","host":"qradar-sec"})"), c.nodes);
  EXPECT_EQ(op, Op{SetOffline{kSecondary}});
  EXPECT_EQ(ErrorOf([&] {
              OpFromJson<Op>(json::parse(R"({"op":"set_offline","host":"secondary"})"), c.nodes);
            }),
            "host: unknown node \"secondary\" (expected qradar-pri or qradar-sec)");
  for (const Config& x : {Jsa::DefaultConfig(), c}) {
    const Config back = Jsa::ConfigFromJson(Jsa::ConfigToJson(x));
    EXPECT_EQ(back.nodes, x.nodes);
    EXPECT_EQ(back.pair, x.pair);
    EXPECT_EQ(back.disk_replication, x.disk_replication);
  }
}

TEST(JsaConfig, ErrorsNameTheFieldAndTheProblem) {
  struct Row {
    const char* json;
    const char* want;
  };
  const Row rows[] = {
      {R"({"hosts":{"primary":"a","secondary":"a"}})",
       "hosts.secondary: the secondary has the primary's name \"a\" (host names must differ)"},
      {R"({"hosts":{"primary":"a b"}})",
       "hosts.primary: bad host name \"a b\" (expected letters, digits, '.', '-' or '_')"},
      {R"({"hosts":{"primary":""}})", "hosts.primary: bad host name \"\""},
      {R"({"hosts":{"tertiary":"c"}})",
       "hosts.tertiary: unknown field (expected primary, secondary)"},
      {R"({"pair":"married"})",
       "pair: unknown value \"married\" (expected none, synchronizing or synchronized)"},
      {R"({"pair":"synchronizing","disk_replication":false})",
       "disk_replication: pair \"synchronizing\" needs disk replication"},
      {R"({"disk_replication":true})", "disk_replication: only with an existing pair"},
      {R"({"size":3})", "size: unknown field (expected hosts, pair, disk_replication)"},
  };
  for (const Row& r : rows) {
    const std::string got = ErrorOf([&] { Jsa::ConfigFromJson(json::parse(r.json)); });
    EXPECT_EQ(got.rfind(r.want, 0), 0u) << r.json << " -> " << got;
  }
}

// ---- Canonical and saturation ------------------------------------------------------

// JSA has no symmetric hosts (primary and secondary are fixed roles); what
// Canonical folds is determined bookkeeping: the role holder while a host is
// Active, and the blank secondary before the pair exists.
TEST(JsaCanonical, FoldsDeterminedFactsAndIsIdempotent) {
  State a = Pair(true);
  State b = a;
  b.holder = kSecondary;  // not what an Active primary implies
  EXPECT_FALSE(a == b);
  EXPECT_EQ(Jsa::Canonical(a), Jsa::Canonical(b));
  State c = Jsa::Initial();
  State d = c;
  d.hosts[kSecondary] = Host{Status::kFailed, false, false, true};
  d.secondary_release = Release::kBehind;
  EXPECT_EQ(Jsa::Canonical(c), Jsa::Canonical(d));
  for (const State& s : {a, b, c, d}) {
    EXPECT_EQ(Jsa::Canonical(Jsa::Canonical(s)), Jsa::Canonical(s));
  }
  // While no host is Active the holder is a real fact: who takes Active back.
  State e = Steps(Pair(true), {LicenseLost{}});
  State f = e;
  f.holder = kSecondary;
  EXPECT_FALSE(Jsa::Canonical(e) == Jsa::Canonical(f));
}

TEST(JsaSaturation, EveryConfigurationIsFinite) {
  for (const char* text : {R"({})", R"({"pair":"synchronizing"})",
                           R"({"pair":"synchronized","disk_replication":false})"}) {
    const Config c = Jsa::ConfigFromJson(json::parse(text));
    for (bool departures : {false, true}) {
      const auto r = Saturate<Jsa>(c, {.max_states = 1'000'000, .departures = departures});
      std::cout << "jsa " << text << (departures ? " with departures" : "") << ": " << r.states
                << " states, " << r.transitions << " transitions, depth " << r.depth << ", "
                << r.ops << " ops per state\n";
      EXPECT_TRUE(r.saturated) << text;
      EXPECT_LT(r.states, 100'000u) << text;
    }
  }
}

// Premises are reported only when they hold (non-vacuous coverage).
TEST(JsaInvariants, PremisesHoldOnlyWhereTheyApply) {
  auto premises = [](const State& s) {
    std::vector<Jsa::FindingT> f;
    std::vector<RuleId> p;
    Jsa::CheckInvariants(s, f, &p);
    EXPECT_TRUE(f.empty()) << f.front().detail;
    return p;
  };
  auto has = [](const std::vector<RuleId>& v, RuleId r) {
    return std::find(v.begin(), v.end(), r) != v.end();
  };
  const auto pair = premises(Pair(true));
  EXPECT_TRUE(has(pair, RuleId::kInvOneActive));
  EXPECT_TRUE(has(pair, RuleId::kInvStandbyNoServices));
  EXPECT_FALSE(has(pair, RuleId::kInvSyncNeedsReplication));
  EXPECT_FALSE(has(pair, RuleId::kInvSecondaryActiveMeansPrimaryFailed));
  const auto syncing = premises(Steps(Jsa::Initial(), {CreatePair{true}}));
  EXPECT_TRUE(has(syncing, RuleId::kInvSyncNeedsReplication));
  const auto over = premises(Steps(Pair(true), {HostFails{kPrimary}}));
  EXPECT_TRUE(has(over, RuleId::kInvSecondaryActiveMeansPrimaryFailed));
  std::vector<int> st;
  Jsa::NodeStatuses(Jsa::Initial(), st);
  EXPECT_EQ(st, (std::vector<int>{static_cast<int>(Status::kActive), -1}));
}

// The bundled traces parse with the default configuration's host names and
// meet every expectation (what `haspec run jsa FILE` checks).
TEST(JsaTraces, BundledTracesReplay) {
  const std::filesystem::path dir = std::string(HASPEC_SOURCE_DIR) + "/traces/jsa/valid";
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() != ".jsonl") continue;
    ++files;
    SCOPED_TRACE(e.path().filename().string());
    const Config c = Jsa::DefaultConfig();
    const auto trace = ReadOpTrace<Jsa>(e.path().string(), c.nodes);
    std::string broken;
    const auto r = RunOps<Jsa>(c, trace, {}, [&](const RunStep<Jsa>& st) {
      for (const auto& b : st.breaches)
        broken += "line " + std::to_string(st.line) + ": " + b.detail + "\n";
    });
    EXPECT_FALSE(r.failed) << broken;
    EXPECT_EQ(r.steps, trace.ops.size());
  }
  EXPECT_GE(files, 2);
}

// Prints the README op table: `jsa_answers_test --gtest_filter=*PrintOps*`.
TEST(JsaReadme, PrintOpsMarkdown) {
  if (std::getenv("HASPEC_PRINT_OPS")) std::cout << OpsMarkdown<Op>();
  if (std::getenv("HASPEC_PRINT_RULES")) std::cout << RulesMarkdown(Jsa::Rules());
}

}  // namespace
}  // namespace haspec::jsa
