// The engine-ready core of the VCS system-state machine: ops declared once
// (codec over the complete op list, domain errors), refusal sets,
// configurations, partial observations, documented-vs-assumed answers
// (precondition, landing, status), Canonical, saturation of the default
// configuration, and the README op table.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "engine/saturate.h"
#include "model/core/op_codec.h"
#include "model/core/parse_error.h"
#include "model/vcs_system/vcs_system.h"
#include "sut/vcs_system/mutants.h"

namespace haspec::vcs_system {
namespace {

using nlohmann::json;
using S = SysState;
using V = VcsSystem;

Config Sized(int n) {
  Config c;
  c.nodes = Nodes::Numbered(n, "sys");
  return c;
}

State Play(State s, std::initializer_list<Op> ops) {
  for (const Op& op : ops) {
    auto o = V::Step(s, op);
    EXPECT_TRUE(o.accepted) << V::Show(op) << " refused by " << RuleOf<V>(o.rule).id << " in "
                            << V::Show(s);
    s = o.next;
  }
  return s;
}

State Running(int n, int k) {
  State s = V::Initial(Sized(n));
  s = Play(s, {Hastart{0}, Join{0}, Discover{0}, LocalBuildDone{0}});
  for (int i = 1; i < k; ++i) {
    const auto u = static_cast<std::uint8_t>(i);
    s = Play(s, {Hastart{u}, Join{u}, Discover{u}, RemoteBuildDone{u}});
  }
  return s;
}

std::vector<std::string> Ids(const std::vector<RuleId>& rules) {
  std::vector<std::string> out;
  for (RuleId r : rules) out.emplace_back(RuleOf<V>(r).id);
  return out;
}

// ---- Saturation ----------------------------------------------------------

TEST(VcsSystemCore, DefaultConfigurationSaturates) {
  const auto t0 = std::chrono::steady_clock::now();
  SaturateReport r = Saturate<V>(V::DefaultConfig(), {.max_states = 1'000'000});
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::cout << "vcs-system default configuration (" << V::DefaultConfig().nodes.size()
            << " systems): " << r.states << " states, " << r.transitions << " transitions, depth "
            << r.depth << ", " << r.ops << " ops per state, " << secs << " s\n";
  EXPECT_TRUE(r.saturated) << r.states << " states and still growing";
  EXPECT_LT(r.states, 100'000u);
  // Following the departures too stays finite.
  SaturateReport d = Saturate<V>(V::DefaultConfig(), {.max_states = 1'000'000, .departures = true});
  std::cout << "  with departures: " << d.states << " states\n";
  EXPECT_TRUE(d.saturated);
}

// ---- Ops declared once -----------------------------------------------------

TEST(VcsSystemCore, EveryOpRoundTripsThroughJson) {
  const Nodes nodes = V::DefaultConfig().nodes;
  std::size_t count = 0;
  ForEachOp<Op>(nodes, [&](const Op& op) {
    ++count;
    Op back = OpFromJson<Op>(json::parse(OpToJson(op, nodes).dump()), nodes, "line 1");
    EXPECT_TRUE(back == op) << ShowOp(op, nodes) << " became " << ShowOp(back, nodes);
    EXPECT_EQ(HashOp(back), HashOp(op));
  });
  EXPECT_EQ(count, CountOps<Op>(nodes));
  EXPECT_GT(count, 40u);
}

TEST(VcsSystemCore, OldTraceSpellingsStillParse) {
  const Nodes nodes = V::DefaultConfig().nodes;
  EXPECT_TRUE((OpFromJson<Op>(json::parse(R"({"op":"hastart","sys":"sys1"})"), nodes) ==
               Op{Hastart{1, StartMode::kPlain}}));
  EXPECT_TRUE((OpFromJson<Op>(json::parse(R"({"op":"local_build_done","sys":"sys0"})"), nodes) ==
               Op{LocalBuildDone{0, false}}));
  EXPECT_TRUE((OpFromJson<Op>(json::parse(R"({"op":"hastop","sys":"sys0","force":true,
                                              "expect":"accepted"})"),
                              nodes) == Op{Hastop{0, true}}));
}

TEST(VcsSystemCore, OutOfDomainValuesAreRefusedWithTheField) {
  const Nodes nodes = V::DefaultConfig().nodes;
  auto error = [&](const char* text) {
    try {
      OpFromJson<Op>(json::parse(text), nodes, "line 7");
    } catch (const ParseError& e) {
      return std::string(e.what());
    }
    return std::string("(accepted)");
  };
  EXPECT_NE(
      error(R"({"op":"crash","sys":"sys2"})").find("unknown node \"sys2\" (expected sys0 or sys1)"),
      std::string::npos)
      << error(R"({"op":"crash","sys":"sys2"})");
  EXPECT_NE(error(R"({"op":"edit_main_cf","sys":"sys0","main_cf":"broken"})").find("main_cf"),
            std::string::npos);
  EXPECT_NE(error(R"({"op":"local_build_done","sys":"sys0","hacf_error":1})").find("true or false"),
            std::string::npos);
}

TEST(VcsSystemCore, OpKindsAndEnvironmentChoices) {
  EXPECT_EQ(Hastart::kKind, OpKind::kCommand);
  EXPECT_EQ(Crash::kKind, OpKind::kEvent);
  EXPECT_EQ(LocalBuildDone::kKind, OpKind::kCompletion);
  EXPECT_TRUE(std::get<1>(LocalBuildDone::Fields()).env_choice)
      << "hacf_error is the environment's";
  // Without environment choices a gate never asks for an hacf error.
  ForEachOp<Op>(
      V::DefaultConfig().nodes,
      [](const Op& op) {
        if (auto* l = std::get_if<LocalBuildDone>(&op)) {
          EXPECT_FALSE(l->hacf_error);
        }
      },
      EnvChoices::kDefault);
}

// The README's op table is OpsMarkdown's output, byte for byte.
TEST(VcsSystemCore, ReadmeOpTableIsCurrent) {
  const std::string want = OpsMarkdown<Op>();
  std::ifstream in(std::string(HASPEC_SOURCE_DIR) + "/model/vcs_system/README.md");
  ASSERT_TRUE(in) << "README not found";
  std::stringstream buf;
  buf << in.rdbuf();
  const std::string readme = buf.str();
  const std::string begin = "<!-- ops:begin (generated by haspec ops MACHINE --markdown) -->\n";
  const auto b = readme.find(begin);
  const auto e = readme.find("<!-- ops:end -->");
  ASSERT_NE(b, std::string::npos);
  ASSERT_NE(e, std::string::npos);
  EXPECT_EQ(readme.substr(b + begin.size(), e - b - begin.size()), want) << want;
}

// ---- Refusals --------------------------------------------------------------

TEST(VcsSystemCore, RefusalsListEveryReason) {
  // sys1 fails, sys0 starts leaving: hasys -delete sys1 typed on sys0 is
  // refused because sys0 is LEAVING and because sys1 is FAULTED there.
  State s = Play(Running(3, 2), {Crash{1}, Hastop{0}});
  std::vector<RuleId> why;
  V::Refusals(s, HasysDelete{0, 1}, why);
  EXPECT_EQ(Ids(why), (std::vector<std::string>{"VCS-PRE-CONFIG-REJECTED-STATE",
                                                "VCS-PRE-HASYS-DELETE-STATE"}));
  EXPECT_EQ(V::Step(s, HasysDelete{0, 1}).rule, RuleId::kPreConfigRejected);
  // hasys -force of a system not in ADMIN_WAIT while another builds.
  State b = Play(V::Initial(Sized(3)), {Hastart{0}, Join{0}, Discover{0}, Hastart{1}, Join{1}});
  why.clear();
  V::Refusals(b, HasysForce{1}, why);
  EXPECT_EQ(Ids(why), (std::vector<std::string>{"VCS-PRE-HASYS-FORCE-ADMIN-WAIT",
                                                "VCS-PRE-FORCE-ONE-BUILD"}));
  // The old catch-all is split: each refusal names what is wrong.
  why.clear();
  V::Refusals(b, Join{0}, why);
  EXPECT_EQ(Ids(why), std::vector<std::string>{"VCS-PRE-JOIN-INITING"});
  why.clear();
  V::Refusals(b, EngineExited{1}, why);
  EXPECT_EQ(Ids(why), std::vector<std::string>{"VCS-PRE-ENGINE-EXITED-EXITING"});
}

TEST(VcsSystemCore, RefusalsNeverCiteInvariants) {
  State s = Running(3, 2);
  std::vector<Op> ops;
  ForEachOp<Op>(Sized(3).nodes, [&](const Op& op) { ops.push_back(op); });
  for (const State& st : std::vector<State>{V::Initial(Sized(3)), s, Play(s, {Crash{0}})}) {
    for (const Op& op : ops) {
      std::vector<RuleId> why;
      V::Refusals(st, op, why);
      for (RuleId r : why) {
        EXPECT_EQ(RuleOf<V>(r).kind, RuleKind::kPrecondition) << RuleOf<V>(r).id;
      }
    }
  }
}

// ---- Documented and assumed answers ----------------------------------------

template <class Pred>
const V::OutcomeT* Find(const std::vector<V::OutcomeT>& all, Pred p) {
  for (const auto& o : all) {
    if (p(o)) return &o;
  }
  return nullptr;
}

TEST(VcsSystemCore, PreconditionDeparture) {
  // Two systems in ADMIN_WAIT, one forced into LOCAL_BUILD: forcing the
  // other is refused only by an assumption (VCS-PRE-FORCE-ONE-BUILD).
  State s = Play(V::Initial(Sized(3)), {Hastart{0}, Join{0}, Discover{0}, LocalBuildDone{0, true},
                                        Hastart{1}, Join{1}, Discover{1}, HasysForce{0}});
  ASSERT_EQ(s.sys[1].state, S::kAdminWait);
  auto own = V::Step(s, HasysForce{1});
  EXPECT_FALSE(own.accepted);
  EXPECT_EQ(own.rule, RuleId::kPreForceOneBuild);
  std::vector<V::OutcomeT> all;
  AnswersOf<V>(s, HasysForce{1}, all);
  const auto* dep = Find(all, [](const auto& o) { return o.accepted; });
  ASSERT_NE(dep, nullptr) << "the documents allow a second forced build";
  EXPECT_EQ(dep->departs, RuleId::kPreForceOneBuild);
  EXPECT_EQ(dep->next.sys[1].state, S::kLocalBuild);
  // A documented refusal has no departure: configuration commands in LEAVING.
  State l = Play(Running(2, 2), {Hastop{1}});
  all.clear();
  AnswersOf<V>(l, ConfigChange{1}, all);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_FALSE(all[0].accepted);
}

TEST(VcsSystemCore, LandingDepartures) {
  // Dossier V17 / E6 ([RECON]): a stale joiner beside ADMIN_WAIT goes to
  // ADMIN_WAIT; STALE_ADMIN_WAIT is the documented alternative.
  State s = Play(V::Initial(Sized(2)), {Hastart{0}, Join{0}, Discover{0}, LocalBuildDone{0, true},
                                        Hastart{1, StartMode::kStale}, Join{1}});
  auto own = V::Step(s, Discover{1});
  EXPECT_EQ(own.next.sys[1].state, S::kAdminWait);
  EXPECT_EQ(own.rule, RuleId::kDiscoverAdminWait);
  std::vector<V::OutcomeT> all;
  AnswersOf<V>(s, Discover{1}, all);
  const auto* alt = Find(all, [](const auto& o) { return o.departs.has_value() && o.accepted; });
  ASSERT_NE(alt, nullptr);
  EXPECT_EQ(alt->next.sys[1].state, S::kStaleAdminWait);
  EXPECT_EQ(*alt->departs, RuleId::kDiscoverAdminWait);
  // The model's own answers (Outcomes) leave the departure out.
  std::vector<V::OutcomeT> mine;
  V::Outcomes(s, Discover{1}, mine);
  EXPECT_EQ(mine.size(), 1u);

  // Dossier V23's step to EXITED is [RECON]: FAULTED is the alternative.
  State f = Play(Running(2, 2), {Hastop{0, true}});
  all.clear();
  AnswersOf<V>(f, EngineExited{0}, all);
  const auto* faulted =
      Find(all, [](const auto& o) { return o.departs.has_value() && o.accepted; });
  ASSERT_NE(faulted, nullptr);
  EXPECT_EQ(*faulted->departs, RuleId::kForcedExited);
  EXPECT_EQ(ViewOf(faulted->next, 1, 0), S::kFaulted);
  EXPECT_EQ(ViewOf(V::Step(f, EngineExited{0}).next, 1, 0), S::kExited);

  // A REMOTE_BUILD whose source leaves restarts from the lowest RUNNING
  // system (assumption); any other RUNNING system is documented too.
  State r = Running(4, 3);
  r = Play(r, {Hastart{3}, Join{3}, Discover{3}});
  ASSERT_EQ(r.sys[3].source, 0);
  all.clear();
  AnswersOf<V>(r, Crash{0}, all);
  EXPECT_EQ(V::Step(r, Crash{0}).next.sys[3].source, 1);
  const auto* other = Find(all, [](const auto& o) { return o.departs.has_value() && o.accepted; });
  ASSERT_NE(other, nullptr);
  EXPECT_EQ(other->next.sys[3].source, 2);
  EXPECT_EQ(*other->departs, RuleId::kSnapshotSourceLeaves);
}

TEST(VcsSystemCore, StatusDeparture) {
  // sys1 fails before sys0 starts: sys0 builds alone and never sees sys1 go.
  State s = Play(Running(2, 2), {Crash{1}, Crash{0}});
  s = Play(s, {Hastart{0}, Join{0}, Discover{0}, LocalBuildDone{0}});
  ASSERT_EQ(s.sys[0].ViewOf(1), View::kNotSeen);
  EXPECT_EQ(ViewOf(s, 0, 1), S::kExited) << "VCS-OBS-NOT-SEEN-EXITED";
  Observation obs;
  auto shown = [&](S v) {
    obs.state[0][1] = v;
    std::vector<V::FindingT> why;
    Fit f = V::Consistent(s, obs, &why);
    return std::pair{f, why.empty() ? std::string() : std::string(RuleOf<V>(why[0].rule).id)};
  };
  EXPECT_EQ(shown(S::kExited).first, Fit::kMatch);
  // FAULTED: its documented condition ("left the cluster unexpectedly") holds.
  EXPECT_EQ(shown(S::kFaulted),
            (std::pair{Fit::kDeparture, std::string("VCS-OBS-NOT-SEEN-EXITED")}));
  // UNKNOWN is for systems without an entry: a documented mismatch.
  EXPECT_EQ(shown(S::kUnknown),
            (std::pair{Fit::kMismatch, std::string("VCS-OBS-UNKNOWN-NO-ENTRY")}));
  EXPECT_EQ(shown(S::kRunning).first, Fit::kMismatch);
  // Had sys1 stopped cleanly, FAULTED would be a mismatch.
  State e = Play(Running(2, 2), {Hastop{1}, AgentsStopped{1}, EngineExited{1}, Crash{0}});
  e = Play(e, {Hastart{0}, Join{0}, Discover{0}, LocalBuildDone{0}});
  Observation o2;
  o2.state[0][1] = S::kFaulted;
  EXPECT_EQ(V::Consistent(e, o2), Fit::kMismatch);
}

// ---- Partial observations -----------------------------------------------------

TEST(VcsSystemCore, PartialObservations) {
  State s = Play(Running(3, 2), {Crash{1}});
  EXPECT_EQ(V::Consistent(s, Observation{}), Fit::kMatch) << "nothing seen contradicts nothing";
  EXPECT_EQ(V::Consistent(s, V::Observe(s)), Fit::kMatch);
  // One host's hasys -state: the other engines are not seen, not down.
  Observation one;
  one.answered[0] = true;
  one.listed[0] = SystemSet{0b111};
  one.state[0][0] = S::kRunning;
  one.state[0][1] = S::kFaulted;
  one.state[0][2] = S::kExited;  // configured, never started
  EXPECT_EQ(V::Consistent(s, one), Fit::kMatch);
  // Absent (a seen listing without the row) is not "not seen".
  Observation absent = one;
  absent.listed[0] = SystemSet{0b011};
  absent.state[0][2].reset();
  EXPECT_EQ(V::Consistent(s, absent), Fit::kMismatch);
  // A bare `hasys -state sys1` on sys0: one cell, no listing.
  Observation bare;
  bare.state[0][1] = S::kFaulted;
  EXPECT_EQ(V::Consistent(s, bare), Fit::kMatch);
  // "Cannot connect" on a running engine, or an answer from a dead one.
  Observation down;
  down.answered[0] = false;
  EXPECT_EQ(V::Consistent(s, down), Fit::kMismatch);
  Observation ghost;
  ghost.state[1][1] = S::kRunning;
  EXPECT_EQ(V::Consistent(s, ghost), Fit::kMismatch);
  // Group states, where the product shows them.
  Observation groups;
  groups.groups_online[0][0] = false;
  EXPECT_EQ(V::Consistent(s, groups), Fit::kMatch);
  groups.groups_online[0][0] = true;
  EXPECT_EQ(V::Consistent(s, groups), Fit::kMismatch);
  // JSON: unseen facts are omitted and read back as not seen.
  const Nodes nodes = Sized(3).nodes;
  json j = V::ObservationToJson(bare, nodes);
  EXPECT_EQ(j, json::parse(R"({"observers":[{"observer":"sys0","states":{"sys1":"FAULTED"}}]})"));
  EXPECT_TRUE(V::ObservationFromJson(j, nodes) == bare);
  EXPECT_TRUE(V::ObservationFromJson(json::parse("{}"), nodes) == Observation{});
}

// ---- Configurations ---------------------------------------------------------

TEST(VcsSystemCore, ConfigurationsRoundTripAndSetTheScene) {
  Config c;
  c.nodes = Nodes({"alpha", "beta", "gamma", "delta"});
  c.no_entry = 0b1000;
  c.stale = 0b0010;
  c.invalid = 0b0100;
  json j = V::ConfigToJson(c);
  EXPECT_EQ(j, json::parse(R"({"systems":["alpha","beta","gamma","delta"],"no_entry":["delta"],
                               "stale":["beta"],"invalid":["gamma"]})"));
  EXPECT_TRUE(V::ConfigFromJson(j) == c);
  EXPECT_TRUE(V::ConfigFromJson(json::parse("{}")) == V::DefaultConfig());
  State s = V::Initial(c);
  EXPECT_EQ(s.n, 4);
  EXPECT_EQ(V::Step(s, Hastart{3}).next.sys[3].state, S::kUnknown);
  EXPECT_EQ(Play(s, {Hastart{1}, Join{1}}).sys[1].state, S::kStaleDiscoverWait);
  EXPECT_EQ(Play(s, {Hastart{1, StartMode::kForce}, Join{1}}).sys[1].state,
            S::kCurrentDiscoverWait);
  EXPECT_EQ(Play(s, {Hastart{2, StartMode::kForce}, Join{2}}).sys[2].state, S::kStaleDiscoverWait);
  // Names chosen by the user appear in Show and JSON.
  EXPECT_NE(V::Show(Play(s, {Hastart{0}}), c.nodes).find("alpha:INITING"), std::string::npos);
  // Sixteen systems work; walks reach RUNNING on all of them.
  State big = Running(16, 16);
  EXPECT_EQ(big.sys[15].state, S::kRunning);
  EXPECT_EQ(big.sys[15].source, 0);
}

// ---- Canonical, coverage support ----------------------------------------------

TEST(VcsSystemCore, CanonicalCollapsesLabelNumbering) {
  State s = Play(Running(3, 2), {ConfigChange{0}, ConfigChange{1}, Hastart{2}, Join{2}, Discover{2},
                                 ConfigChange{0}});
  EXPECT_TRUE(V::Canonical(s) == s) << "steps keep states canonical";
  EXPECT_TRUE(V::Canonical(V::Canonical(s)) == V::Canonical(s));
  // The same situation with other label numbers is the same canonical state.
  State shifted = s;
  for (int i = 0; i < shifted.n; ++i) {
    for (std::uint8_t* v : {&shifted.sys[i].disk_cfg, &shifted.sys[i].run_cfg,
                            &shifted.sys[i].snapshot_cfg, &shifted.sys[i].build_cfg}) {
      if (*v != kNoConfig) *v = static_cast<std::uint8_t>(20 - *v);
    }
  }
  EXPECT_FALSE(shifted == s);
  EXPECT_TRUE(V::Canonical(shifted) == s);
  // Leftovers that mean nothing in a state (a stale source field) fold away.
  State junk = s;
  junk.sys[0].source = 2;
  junk.sys[0].current = true;
  EXPECT_TRUE(V::Canonical(junk) == s);
  // Many changes never grow the labels.
  for (int k = 0; k < 600; ++k) s = V::Step(s, ConfigChange{0}).next;
  for (int i = 0; i < s.n; ++i) EXPECT_LT(s.sys[i].disk_cfg, 8);
}

TEST(VcsSystemCore, PremisesAreNonVacuous) {
  std::vector<V::FindingT> f;
  std::vector<RuleId> premises;
  V::CheckInvariants(V::Initial(Sized(3)), f, &premises);
  EXPECT_TRUE(premises.empty());
  State w = Play(V::Initial(Sized(3)),
                 {Hastart{0}, Join{0}, Discover{0}, Hastart{1}, Join{1}, Discover{1}});
  premises.clear();
  V::CheckInvariants(w, f, &premises);
  EXPECT_TRUE(f.empty());
  EXPECT_NE(std::find(premises.begin(), premises.end(), RuleId::kInvPeerWaitHasBuilder),
            premises.end());
  EXPECT_EQ(std::find(premises.begin(), premises.end(), RuleId::kInvAdminWaitNoRunning),
            premises.end());
}

TEST(VcsSystemCore, NodeStatusesArePerObserverAndSubject) {
  State s = Play(Running(3, 2), {Crash{1}});
  std::vector<int> out;
  V::NodeStatuses(s, out);
  ASSERT_EQ(out.size(), 9u);
  EXPECT_EQ(out[0 * 3 + 1], static_cast<int>(S::kFaulted));
  EXPECT_EQ(out[0 * 3 + 2], static_cast<int>(S::kExited));
  EXPECT_EQ(out[1 * 3 + 0], -1) << "a gone engine shows nothing";
  EXPECT_EQ(V::Statuses()[static_cast<int>(S::kFaulted)].name, "FAULTED");
  for (const StatusInfo& st : V::Statuses()) {
    EXPECT_FALSE(st.quote.empty()) << st.name;
    EXPECT_EQ(st.source, "004_8f69e7f3cbec2e41.txt");
  }
}

// A mutant's derived answers are its own, not the model's.
TEST(VcsSystemCore, MutantAnswersAreTheMutants) {
  State s = Play(V::Initial(Sized(3)), {Hastart{0}, Join{0}, Discover{0}, Hastart{1}, Join{1}});
  EXPECT_EQ(V::Step(s, Discover{1}).next.sys[1].state, S::kCurrentPeerWait);
  EXPECT_EQ(mutants::TwoLocalBuilds::Step(s, Discover{1}).next.sys[1].state, S::kLocalBuild);
  std::vector<V::OutcomeT> out;
  mutants::TwoLocalBuilds::Outcomes(s, Discover{1}, out);
  ASSERT_FALSE(out.empty());
  EXPECT_EQ(out[0].next.sys[1].state, S::kLocalBuild);
}

// The bundled traces replay on the default configuration with every
// expectation met (the model's answer or one of its refusals) and every
// invariant and step rule holding: the same check as `haspec run`.
TEST(VcsSystemCore, BundledTracesReplay) {
  const Nodes nodes = V::DefaultConfig().nodes;
  const std::filesystem::path dir =
      std::filesystem::path(HASPEC_SOURCE_DIR) / "traces/vcs_system/valid";
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".jsonl") continue;
    ++files;
    std::ifstream in(entry.path());
    State s = V::Initial();
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
      ++n;
      if (line.empty() || line[0] == '#') continue;
      const std::string where = entry.path().filename().string() + ":" + std::to_string(n);
      json j = json::parse(line);
      Op op = OpFromJson<Op>(j, nodes, where);
      auto o = V::Step(s, op);
      std::vector<RuleId> why;
      V::Refusals(s, op, why);
      if (j.contains("expect")) {
        const std::string want = j["expect"];
        bool met = want == (o.accepted ? "accepted" : "rejected") || want == RuleOf<V>(o.rule).id;
        for (RuleId r : why) met = met || want == RuleOf<V>(r).id;
        EXPECT_TRUE(met) << where << ": expected " << want << ", got "
                         << (o.accepted ? "accepted by " : "rejected by ") << RuleOf<V>(o.rule).id;
      }
      std::vector<V::FindingT> f;
      CheckStep<V>(s, op, o.next, f);
      for (const auto& x : f)
        ADD_FAILURE() << where << ": " << RuleOf<V>(x.rule).id << ": " << x.detail;
      EXPECT_EQ(V::Consistent(o.next, V::Observe(o.next)), Fit::kMatch) << where;
      s = o.next;
    }
  }
  EXPECT_GE(files, 5);
}

}  // namespace
}  // namespace haspec::vcs_system
