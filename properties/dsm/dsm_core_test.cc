// The DSM machine against the engine-ready core: the generic contract,
// refusal sets, documented vs assumed answers (one case of each kind under
// both readings), partial observations, Canonical and saturation, and the
// fidelity fixes of issue 7.
#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include "engine/op_trace.h"
#include "engine/run.h"
#include "engine/saturate.h"
#include "model/core/answers.h"
#include "model/dsm/dsm.h"
#include "properties/core/contract.h"

namespace haspec::dsm {
namespace {

HASPEC_CONTRACT_TESTS(DsmContract, Dsm)

using OutcomeT = Dsm::OutcomeT;

Config Full(int slots = 5) {
  Config c;
  c.nodes = Nodes::Numbered(static_cast<std::size_t>(slots));
  c.faults = kAllFaults;
  return c;
}

State Steps(State s, std::initializer_list<Op> ops) {
  for (const Op& op : ops) {
    auto o = Dsm::Step(s, op);
    EXPECT_TRUE(o.accepted) << Dsm::Show(op) << " refused by " << RuleOf<Dsm>(o.rule).id << " in "
                            << Dsm::Show(s);
    s = o.next;
  }
  return s;
}

// n0 Primary, n1..n<standbys> Secondaries, all Active.
State Cluster(int standbys, const Config& c = Full()) {
  State s = Steps(Dsm::Initial(c), {DeployVm{0}, ConfigureHa{0}});
  for (int i = 1; i <= standbys; ++i) {
    auto n = static_cast<std::uint8_t>(i);
    s = Steps(s, {DeployVm{n}, AddStandby{n}, FinishHaConfig{0}});
  }
  return s;
}

std::vector<RuleId> Refusals(const State& s, const Op& op) {
  std::vector<RuleId> why;
  Dsm::Refusals(s, op, why);
  return why;
}

std::vector<std::string> Ids(const std::vector<RuleId>& rules) {
  std::vector<std::string> out;
  for (RuleId r : rules) out.emplace_back(RuleOf<Dsm>(r).id);
  return out;
}

std::vector<OutcomeT> Answers(const State& s, const Op& op) {
  std::vector<OutcomeT> all;
  AnswersOf<Dsm>(s, op, all);
  return all;
}

// ---- Refusals ---------------------------------------------------------------

TEST(DsmRefusals, AddToAFullClusterWhileANodeUpdatesListsBoth) {
  State s = Cluster(3);
  s = Steps(s, {DeployVm{4}, ReleaseUpdate{}, StageUpdate{0}, ApplyUpdate{0}});
  s.nodes[4].behind = s.nodes[0].behind;  // same release, to isolate the two reasons
  EXPECT_EQ(
      Ids(Refusals(s, AddStandby{4})),
      (std::vector<std::string>{"DSM-PRE-CLUSTER-FULL", "DSM-PRE-MAINTENANCE-NO-ADD-DELETE"}));
  auto o = Dsm::Step(s, AddStandby{4});
  EXPECT_FALSE(o.accepted);
  EXPECT_EQ(o.rule, RuleId::kPreClusterFull);
}

TEST(DsmRefusals, DeleteThroughTheConsoleOfANodeInHaConfigListsEveryReason) {
  State s = Steps(Cluster(2), {DeployVm{3}, AddStandby{3}});
  EXPECT_EQ(Ids(Refusals(s, DeleteStandby{3, Channel::kConsole, 0})),
            (std::vector<std::string>{"DSM-PRE-DELETE-API-ONLY", "DSM-PRE-HA-CONFIG-NO-OPERATION",
                                      "DSM-PRE-ONE-RECONFIGURATION"}));
}

TEST(DsmRefusals, WhatTargetStateUsedToDecideHasOneRuleEach) {
  const State empty = Dsm::Initial(Full());
  const State one = Steps(empty, {DeployVm{0}});
  const State cluster = Cluster(1);
  const State two = Steps(one, {DeployVm{1}});
  struct Case {
    const State* s;
    Op op;
    const char* want;
  } cases[] = {
      {&one, ConfigureHa{1}, "DSM-PRE-MEMBER"},                       // not a member
      {&cluster, ConfigureHa{0}, "DSM-PRE-CONFIGURE-HA-STANDALONE"},  // not standalone
      {&one, AddStandby{1}, "DSM-PRE-VM-DEPLOYED"},                   // undeployed node
      {&cluster, AddStandby{1}, "DSM-PRE-ALREADY-MEMBER"},
      {&one, DeployVm{0}, "DSM-PRE-SLOT-FREE"},
      {&one, StageUpdate{0}, "DSM-PRE-UPDATE-AVAILABLE"},  // no newer release
      {&one, CompleteUpdate{0}, "DSM-PRE-UPDATING"},       // nothing to update
      {&one, UpdateAgents{}, "DSM-PRE-AGENTS-BEHIND"},
      {&one, FinishHaConfig{0}, "DSM-PRE-CONFIG-RUNNING"},      // no reconfiguration
      {&two, AddStandby{1}, "DSM-PRE-ADD-NEEDS-PRIMARY"},       // no Primary
      {&one, ReturnToStandalone{0}, "DSM-PRE-RETURN-FROM-HA"},  // already standalone
      {&one, RestoreFromBackup{1}, "DSM-PRE-RESTORE-NEW-VM"},
      {&one, NodeDown{5}, "DSM-PRE-NODE-CONFIGURED"},
      {&cluster, FallBehind{0}, "DSM-PRE-FALL-BEHIND-SECONDARY"},  // not an invariant
  };
  for (const auto& c : cases) {
    auto why = Refusals(*c.s, c.op);
    ASSERT_FALSE(why.empty()) << Dsm::Show(c.op);
    EXPECT_EQ(RuleOf<Dsm>(why.front()).id, c.want) << Dsm::Show(c.op) << " in " << Dsm::Show(*c.s);
    for (RuleId r : why) EXPECT_EQ(RuleOf<Dsm>(r).kind, RuleKind::kPrecondition);
  }
}

// ---- Documented and assumed answers: one case of each kind ------------------

// Precondition: configure_ha on a node that is no member is refused by an
// assumption only, so the documents allow accepting it.
TEST(DsmDepartures, PreconditionConfigureHaOnANonMember) {
  const State s = Steps(Dsm::Initial(Dsm::DefaultConfig()), {DeployVm{0}});
  const Op op = ConfigureHa{1};
  auto own = Dsm::Step(s, op);
  EXPECT_FALSE(own.accepted);
  EXPECT_EQ(own.rule, RuleId::kPreMember);
  EXPECT_EQ(RuleOf<Dsm>(RuleId::kPreMember).basis, BasisKind::kAssumption);
  // Full reading: the model's answers (Outcomes) hold only the refusal.
  std::vector<OutcomeT> model;
  Dsm::Outcomes(s, op, model);
  ASSERT_EQ(model.size(), 1u);
  EXPECT_FALSE(model[0].accepted);
  // Documented reading: acceptance too, tagged with the assumption.
  bool accepted = false;
  for (const auto& a : Answers(s, op)) {
    if (a.accepted) {
      accepted = true;
      EXPECT_EQ(a.departs, RuleId::kPreMember);
    }
  }
  EXPECT_TRUE(accepted);

  // The same through the run engine: the trace of issue 7, section 3.
  OpTrace<Dsm> trace;
  trace.ops = {DeployVm{0}, ConfigureHa{1}};
  trace.lines = {1, 2};
  trace.expects = {"", "accepted"};
  auto documented = RunOps<Dsm>(Dsm::DefaultConfig(), trace, {.profile = Profile::kDocumentedOnly});
  EXPECT_FALSE(documented.failed) << "haspec run --documented-only must not fail on an assumption";
  EXPECT_EQ(documented.departures, 1u);
  auto full = RunOps<Dsm>(Dsm::DefaultConfig(), trace, {.profile = Profile::kFull});
  EXPECT_TRUE(full.failed);
  // A documented refusal allows no such answer.
  for (const auto& a : Answers(Cluster(1), DeleteStandby{1, Channel::kConsole, 0})) {
    EXPECT_FALSE(a.accepted);
  }
}

// Landing: a VM that comes back up keeps its down services (assumption); a
// boot that restarts them is the other landing the documents allow.
TEST(DsmDepartures, LandingNodeUpKeepsOrRestartsServices) {
  State s = Steps(Cluster(2), {ServiceDown{1, Service::kProvider}, NodeDown{1}});
  auto own = Dsm::Step(s, NodeUp{1});
  ASSERT_TRUE(own.accepted);
  EXPECT_EQ(own.rule, RuleId::kNodeUpKeepsServices);
  EXPECT_EQ(DeriveStatus(own.next.nodes[1]), Status::kCritical);
  std::vector<OutcomeT> model;
  Dsm::Outcomes(s, NodeUp{1}, model);
  for (const auto& a : model) EXPECT_FALSE(a.departs);
  int restarts = 0;
  for (const auto& a : Answers(s, NodeUp{1})) {
    if (a.accepted && a.departs) {
      ++restarts;
      EXPECT_EQ(*a.departs, RuleId::kNodeUpKeepsServices);
      EXPECT_EQ(DeriveStatus(a.next.nodes[1]), Status::kActiveMode);
    }
  }
  EXPECT_EQ(restarts, 1);
  // With nothing down there is one landing only.
  State up = Steps(Cluster(2), {NodeDown{1}});
  for (const auto& a : Answers(up, NodeUp{1})) EXPECT_FALSE(a.accepted && a.departs);
}

// Status: password expired and apms down. The precedence shows Unknown;
// Lost Connectivity's own condition holds too (departure); Critical's does
// not (mismatch, citing its documented rule).
TEST(DsmDepartures, StatusPrecedenceIsAnAssumption) {
  State s = Steps(Cluster(2), {PasswordExpires{1}, ServiceDown{1, Service::kApms}});
  ASSERT_EQ(DeriveStatus(s.nodes[1]), Status::kUnknown);
  Observation obs;
  obs.nodes[1].status = Status::kUnknown;
  EXPECT_EQ(Dsm::Consistent(s, obs), Fit::kMatch);
  obs.nodes[1].status = Status::kLostConnectivity;
  std::vector<FindingOf<Dsm>> why;
  EXPECT_EQ(Dsm::Consistent(s, obs, &why), Fit::kDeparture);
  ASSERT_FALSE(why.empty());
  EXPECT_EQ(why.front().rule, RuleId::kStatusPrecedence);
  why.clear();
  obs.nodes[1].status = Status::kCritical;
  EXPECT_EQ(Dsm::Consistent(s, obs, &why), Fit::kMismatch);
  ASSERT_FALSE(why.empty());
  EXPECT_EQ(why.front().rule, RuleId::kStatusCritical);
  EXPECT_NE(why.front().detail.find("n1 shows Critical"), std::string::npos) << why.front().detail;
}

// ---- Fidelity -------------------------------------------------------------------

// "If all the Secondary nodes of a cluster are down or have Lost
// Connectivity": a down Secondary whose password expired shows Unknown but
// is still down.
TEST(DsmFidelity, AllSecondariesLostTestsTheFactsNotTheLabel) {
  State s = Steps(Cluster(2), {NodeDown{1}, PasswordExpires{1}, ServiceDown{2, Service::kPostgres},
                               PasswordExpires{2}, DeployVm{3}});
  ASSERT_EQ(DeriveStatus(s.nodes[1]), Status::kUnknown);
  ASSERT_EQ(DeriveStatus(s.nodes[2]), Status::kUnknown);
  for (Op op :
       {Op{AddStandby{3}}, Op{DeleteStandby{1, Channel::kApiOnPrimary, 0}}, Op{Promote{2, 2, 0}}}) {
    auto why = Refusals(s, op);
    EXPECT_NE(std::find(why.begin(), why.end(), RuleId::kPreAllSecondariesLost), why.end())
        << Dsm::Show(op);
  }
  // Password expired alone (shown Unknown, but up) does not block.
  State pw = Steps(Cluster(2), {PasswordExpires{1}, PasswordExpires{2}, DeployVm{3}});
  EXPECT_TRUE(Dsm::Step(pw, AddStandby{3}).accepted);
}

TEST(DsmFidelity, WriteRuleSeesADownPrimaryWhateverItShows) {
  State s = Steps(Cluster(2), {NodeDown{0}, PasswordExpires{0}});
  ASSERT_EQ(DeriveStatus(s.nodes[0]), Status::kUnknown);
  auto o = Dsm::Step(s, Request{1, true});
  EXPECT_FALSE(o.accepted);
  EXPECT_EQ(o.rule, RuleId::kPreWriteNeedsPrimary);
}

TEST(DsmFidelity, StagingOnANodeNotActiveIsAnAssumptionConsumingIsDocumented) {
  State s = Steps(Cluster(2), {ReleaseUpdate{}, ServiceDown{1, Service::kRabbitmq}});
  auto stage = Refusals(s, StageUpdate{1});
  ASSERT_EQ(Ids(stage), std::vector<std::string>{"DSM-PRE-STAGE-ACTIVE-ONLY"});
  EXPECT_EQ(RuleOf<Dsm>(stage[0]).basis, BasisKind::kAssumption);
  bool staged = false;
  for (const auto& a : Answers(s, StageUpdate{1})) staged |= a.accepted && a.next.nodes[1].staged;
  EXPECT_TRUE(staged) << "the documents allow staging on a Critical node";
  State st = s;
  st.nodes[1].staged = true;
  auto apply = Refusals(st, ApplyUpdate{1});
  ASSERT_FALSE(apply.empty());
  EXPECT_EQ(apply[0], RuleId::kPreUpdateActiveOnly);
  EXPECT_EQ(RuleOf<Dsm>(apply[0]).basis, BasisKind::kSeed);
}

TEST(DsmFidelity, AFailedListNamingThePrimaryIsAnExplicitRule) {
  State s = Cluster(2);
  auto o = Dsm::Step(s, DeleteStandby{2, Channel::kApiOnPrimary, 0b001});
  ASSERT_TRUE(o.accepted);
  EXPECT_EQ(o.rule, RuleId::kReconfigFailNotSecondary);
  EXPECT_FALSE(o.next.nodes[0].out_of_sync);
  auto both = Dsm::Step(s, DeleteStandby{2, Channel::kApiOnPrimary, 0b011});
  EXPECT_EQ(both.rule, RuleId::kReconfigFails);
  EXPECT_TRUE(both.next.nodes[1].out_of_sync);
  auto promoted = Dsm::Step(s, Promote{1, 1, 0b010});
  EXPECT_EQ(promoted.rule, RuleId::kReconfigFailNotSecondary);
}

// ---- Partial observations -------------------------------------------------------

TEST(DsmObservation, SeenNotSeenAndAbsent) {
  State s = Steps(Cluster(2), {DeleteStandby{2, Channel::kApiOnPrimary, 0},
                               ServiceDown{1, Service::kRabbitmq}});
  Observation nothing;
  EXPECT_EQ(Dsm::Consistent(s, nothing), Fit::kMatch);
  // Absent: n2 not listed (it was deleted) fits; n1 not listed does not.
  Observation o;
  o.nodes[2].listed = false;
  EXPECT_EQ(Dsm::Consistent(s, o), Fit::kMatch);
  o.nodes[1].listed = false;
  std::vector<FindingOf<Dsm>> why;
  EXPECT_EQ(Dsm::Consistent(s, o, &why), Fit::kMismatch);
  EXPECT_EQ(why.front().rule, RuleId::kObsHaNodes);
  // Seen: one service reported; the others not seen.
  Observation svc;
  svc.nodes[1].services[static_cast<int>(Service::kRabbitmq)] = ServiceState::kInactive;
  EXPECT_EQ(Dsm::Consistent(s, svc), Fit::kMatch);
  svc.nodes[1].services[static_cast<int>(Service::kApms)] = ServiceState::kFailed;
  why.clear();
  EXPECT_EQ(Dsm::Consistent(s, svc, &why), Fit::kMismatch);
  EXPECT_EQ(why.front().rule, RuleId::kObsApplianceStatus);
  // A down VM does not answer /appliance/status: "no answer" is a fact.
  State down = Steps(s, {NodeDown{1}});
  Observation silent;
  silent.nodes[1].answers = false;
  EXPECT_EQ(Dsm::Consistent(down, silent), Fit::kMatch);
  EXPECT_EQ(Dsm::Consistent(s, silent), Fit::kMismatch);
  EXPECT_FALSE(Dsm::Observe(down).nodes[1].services[0].has_value());
  // Merging two views of one moment keeps what each saw.
  Observation m = Merge(o, svc);
  EXPECT_EQ(m.nodes[1].listed, std::optional<bool>(false));
  EXPECT_EQ(m.nodes[1].services[static_cast<int>(Service::kApms)],
            std::optional<ServiceState>(ServiceState::kFailed));
  EXPECT_FALSE(m.nodes[1].status.has_value());
}

// ---- Finite, canonical state ------------------------------------------------------

TEST(DsmCanonical, IdempotentAndFoldsWhatNeverShows) {
  State a = Steps(Cluster(1), {DeployVm{2}});
  State b = a;
  b.nodes[2].services_down = Bit(Service::kRabbitmq);  // a fresh VM's services are not modelled
  b.nodes[3].reachable = false;                        // an empty slot
  EXPECT_FALSE(a == b);
  EXPECT_TRUE(Dsm::Canonical(a) == Dsm::Canonical(b));
  EXPECT_TRUE(Dsm::Canonical(Dsm::Canonical(b)) == Dsm::Canonical(b));
  // A member's services show in /appliance/status: never folded.
  State c = a;
  c.nodes[1].services_down = Bit(Service::kRabbitmq);
  EXPECT_FALSE(Dsm::Canonical(a) == Dsm::Canonical(c));
  EXPECT_TRUE(Dsm::Observe(Dsm::Canonical(b)) == Dsm::Observe(b));
}

TEST(DsmCanonical, VersionsAreRelativeSoRolloutsRepeat) {
  State s = Cluster(2, Dsm::DefaultConfig());
  State after = s;
  for (int round = 0; round < 3; ++round) {
    after = Steps(after, {ReleaseUpdate{}});
    for (std::uint8_t n : {0, 1, 2})
      after = Steps(after, {StageUpdate{n}, ApplyUpdate{n}, CompleteUpdate{n}});
    after = Steps(after, {UpdateAgents{}});
  }
  EXPECT_TRUE(after == s) << Dsm::Show(after) << " vs " << Dsm::Show(s);
}

// The default configuration saturates in the contract test (counts printed
// there). Two slots with the five kinds of fault of a richer model do too.
TEST(DsmSaturation, TwoSlotsWithEveryKindOfFault) {
  Config two = Full(2);
  two.faults =
      Bit(Service::kApms) | Bit(Service::kRabbitmq) | kFaultVmDown | kFaultPassword | kFaultCatchUp;
  auto r = Saturate<Dsm>(two, {.max_states = 1'000'000});
  std::cout << "dsm 2 slots, apms, rabbitMQ, vm_down, password, catch_up: " << r.states
            << " states, " << r.transitions << " transitions, depth " << r.depth << "\n";
  EXPECT_TRUE(r.saturated);
}

// ---- Configurations ------------------------------------------------------------------

TEST(DsmConfig, InitialSituations) {
  Config c = Full(4);
  c.start = Start::kCluster;
  c.members = 4;
  State s = Dsm::Initial(c);
  std::vector<FindingOf<Dsm>> f;
  Dsm::CheckInvariants(s, f);
  EXPECT_TRUE(f.empty());
  EXPECT_EQ(s.nodes[0].role, Role::kPrimary);
  for (int i = 1; i < 4; ++i) EXPECT_EQ(s.nodes[i].role, Role::kSecondary);
  EXPECT_EQ(Refusals(s, AddStandby{3}).front(), RuleId::kPreAlreadyMember);
  c.start = Start::kStandalone;
  EXPECT_EQ(Dsm::Initial(c).nodes[0].role, Role::kStandalone);
  EXPECT_EQ(Dsm::Initial(c).nodes[0].life, Life::kMember);
}

// ---- The bundled traces run under both profiles ----------------------------------------

TEST(DsmTraces, BundledTracesPass) {
  for (const char* name : {"promote-standby.jsonl", "update-rollout.jsonl"}) {
    const std::string path = std::string(HASPEC_SOURCE_DIR) + "/traces/dsm/valid/" + name;
    auto trace = ReadOpTrace<Dsm>(path, Dsm::DefaultConfig().nodes);
    for (Profile p : {Profile::kFull, Profile::kDocumentedOnly}) {
      auto r =
          RunOps<Dsm>(Dsm::DefaultConfig(), trace, {.profile = p}, [&](const RunStep<Dsm>& st) {
            for (const auto& b : st.breaches) {
              ADD_FAILURE() << name << ":" << st.line << ": " << RuleOf<Dsm>(b.rule).id << ": "
                            << b.detail;
            }
          });
      EXPECT_FALSE(r.failed) << name;
    }
  }
}

// Prints the README op table: HASPEC_PRINT_OPS=1 dsm_core_test
// --gtest_filter=DsmDocs.*
TEST(DsmDocs, OpTable) {
  if (std::getenv("HASPEC_PRINT_OPS")) std::cout << OpsMarkdown<Op>();
}

}  // namespace
}  // namespace haspec::dsm
