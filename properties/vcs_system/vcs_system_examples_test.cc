// The example sequences of dossier section 1.3 ("Examples of system state
// transitions", reconstructed) and the recovery recipes of section 1.2: the
// model must produce each sequence exactly, with every invariant holding on
// the way.
#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <vector>

#include "model/vcs_system/vcs_system.h"

namespace haspec::vcs_system {
namespace {

using S = SysState;
using V = VcsSystem;

// Four systems, as in the dossier's examples.
State Init4() {
  Config c;
  c.nodes = Nodes::Numbered(4, "sys");
  return V::Initial(c);
}

std::string Names(const std::vector<S>& path) {
  std::string out;
  for (S s : path) out += (out.empty() ? "" : " -> ") + std::string(kSysStateNames.Name(s));
  return out;
}

// Applies each op (all must be accepted, no invariant may break).
State Apply(State s, std::initializer_list<Op> ops) {
  for (const Op& op : ops) {
    auto o = V::Step(s, op);
    EXPECT_TRUE(o.accepted) << V::Show(op) << " was rejected by " << RuleOf<V>(o.rule).id << " in "
                            << V::Show(s);
    std::vector<V::FindingT> f;
    CheckStep<V>(s, op, o.next, f);
    for (const auto& x : f) ADD_FAILURE() << "after " << V::Show(op) << ": " << x.detail;
    s = o.next;
  }
  return s;
}

// The states `subject` passes through while `ops` run from `s`: its current
// state first if its engine runs, then each new state. `end` gets the last
// state.
std::vector<S> Path(State s, int subject, std::initializer_list<Op> ops, State* end = nullptr) {
  std::vector<S> path;
  if (EngineUp(s.sys[subject].state)) path.push_back(s.sys[subject].state);
  for (const Op& op : ops) {
    S before = s.sys[subject].state;
    s = Apply(s, {op});
    if (s.sys[subject].state != before || path.empty()) path.push_back(s.sys[subject].state);
  }
  if (end) *end = s;
  return path;
}

State Joined(State s, std::uint8_t i, StartMode mode = StartMode::kPlain) {
  return Apply(s, {Hastart{i, mode}, Join{i}, Discover{i}});
}

State Sys0Running() { return Apply(Joined(Init4(), 0), {LocalBuildDone{0, false}}); }

void ExpectPath(const std::vector<S>& got, std::initializer_list<S> want) {
  EXPECT_EQ(Names(got), Names(std::vector<S>(want)));
}

TEST(VcsSystemExamples, E1OnlySystemWithValidConfiguration) {
  ExpectPath(Path(Init4(), 0, {Hastart{0}, Join{0}, Discover{0}, LocalBuildDone{0, false}}),
             {S::kIniting, S::kCurrentDiscoverWait, S::kLocalBuild, S::kRunning});
}

TEST(VcsSystemExamples, E2ValidConfigurationWithARunningPeer) {
  ExpectPath(Path(Sys0Running(), 1, {Hastart{1}, Join{1}, Discover{1}, RemoteBuildDone{1}}),
             {S::kIniting, S::kCurrentDiscoverWait, S::kRemoteBuild, S::kRunning});
}

TEST(VcsSystemExamples, E3InvalidConfigurationWithARunningPeer) {
  State s = Apply(Sys0Running(), {EditMainCf{1, MainCf::kInvalid}});
  ExpectPath(Path(s, 1, {Hastart{1}, Join{1}, Discover{1}, RemoteBuildDone{1}}),
             {S::kIniting, S::kStaleDiscoverWait, S::kRemoteBuild, S::kRunning});
}

TEST(VcsSystemExamples, E4InvalidConfigurationAllPeersInStaleAdminWait) {
  State s = Joined(Joined(Init4(), 0, StartMode::kStale), 1, StartMode::kStale);
  s = Apply(s, {EditMainCf{2, MainCf::kInvalid}});
  ExpectPath(Path(s, 2, {Hastart{2}, Join{2}, Discover{2}}),
             {S::kIniting, S::kStaleDiscoverWait, S::kStaleAdminWait});
}

TEST(VcsSystemExamples, E5ValidConfigurationPeersInAdminWait) {
  State s = Apply(Joined(Init4(), 0), {LocalBuildDone{0, true}});
  ExpectPath(Path(s, 1, {Hastart{1}, Join{1}, Discover{1}}),
             {S::kIniting, S::kCurrentDiscoverWait, S::kAdminWait});
}

TEST(VcsSystemExamples, E6InvalidConfigurationPeersInAdminWait) {
  State s = Apply(Joined(Init4(), 0), {LocalBuildDone{0, true}, EditMainCf{1, MainCf::kInvalid}});
  ExpectPath(Path(s, 1, {Hastart{1}, Join{1}, Discover{1}}),
             {S::kIniting, S::kStaleDiscoverWait, S::kAdminWait});
}

TEST(VcsSystemExamples, E7RunningSystemStoppedWithHastop) {
  State s = Apply(Sys0Running(), {Hastart{1}, Join{1}, Discover{1}, RemoteBuildDone{1}});
  State end;
  ExpectPath(Path(s, 0, {Hastop{0, false}, AgentsStopped{0}, EngineExited{0}}, &end),
             {S::kRunning, S::kLeaving, S::kExiting, S::kExited});
  EXPECT_EQ(V::Observe(end).state[1][0], S::kExited);
}

TEST(VcsSystemExamples, SecondSystemJoinsDuringLocalBuild) {
  State s = Joined(Init4(), 0);
  ExpectPath(
      Path(s, 1, {Hastart{1}, Join{1}, Discover{1}, LocalBuildDone{0, false}, RemoteBuildDone{1}}),
      {S::kIniting, S::kCurrentDiscoverWait, S::kCurrentPeerWait, S::kRemoteBuild, S::kRunning});
}

TEST(VcsSystemExamples, StaleAdminWaitWhenAValidSystemStarts) {
  State s = Joined(Init4(), 0, StartMode::kStale);
  ExpectPath(
      Path(s, 0, {Hastart{1}, Join{1}, Discover{1}, LocalBuildDone{1, false}, RemoteBuildDone{0}}),
      {S::kStaleAdminWait, S::kStalePeerWait, S::kRemoteBuild, S::kRunning});
}

TEST(VcsSystemExamples, HastopForce) {
  State s =
      Apply(Sys0Running(), {GroupOnline{0}, Hastart{1}, Join{1}, Discover{1}, RemoteBuildDone{1}});
  State end;
  ExpectPath(Path(s, 0, {Hastop{0, true}, EngineExited{0}}, &end),
             {S::kRunning, S::kExitingForcibly, S::kExited});
  EXPECT_EQ(V::Observe(end).state[1][0], S::kExited);
  EXPECT_TRUE(end.sys[0].groups_online) << "hastop -force lets the service groups keep running";
}

TEST(VcsSystemExamples, CrashIsSeenAsFaulted) {
  State s = Apply(Sys0Running(), {Hastart{1}, Join{1}, Discover{1}, RemoteBuildDone{1}, Crash{0}});
  EXPECT_EQ(V::Observe(s).state[1][0], S::kFaulted);
  EXPECT_EQ(V::Observe(s).answered[0], false) << "a failed engine answers nothing";
  EXPECT_FALSE(V::Observe(s).listed[0].has_value());
}

TEST(VcsSystemExamples, HasysForceRecoversAdminWait) {
  State s = Apply(Joined(Init4(), 0), {LocalBuildDone{0, true}});
  s = Joined(s, 1);
  ExpectPath(Path(s, 0, {HasysForce{0}, LocalBuildDone{0, false}}),
             {S::kAdminWait, S::kLocalBuild, S::kRunning});
  State end;
  ExpectPath(Path(s, 1, {HasysForce{0}, LocalBuildDone{0, false}, RemoteBuildDone{1}}, &end),
             {S::kAdminWait, S::kRemoteBuild, S::kRunning});
  EXPECT_EQ(end.sys[1].run_cfg, end.sys[0].run_cfg);
}

TEST(VcsSystemExamples, StaleAdminWaitRecoveredWithHastartForce) {
  State s = Apply(Init4(), {EditMainCf{0, MainCf::kStale}});
  s = Joined(s, 0);
  ExpectPath(Path(s, 0,
                  {Hastop{0, false}, EngineExited{0}, Hastart{0, StartMode::kForce}, Join{0},
                   Discover{0}, LocalBuildDone{0, false}}),
             {S::kStaleAdminWait, S::kExiting, S::kExited, S::kIniting, S::kCurrentDiscoverWait,
              S::kLocalBuild, S::kRunning});
}

TEST(VcsSystemExamples, LastRunningSystemLeavesBeforeTheSnapshot) {
  State s = Joined(Sys0Running(), 1);
  ExpectPath(Path(s, 1, {Crash{0}}), {S::kRemoteBuild, S::kAdminWait});
}

TEST(VcsSystemExamples, SystemWithoutAnEntryIsUnknown) {
  State s = Apply(Sys0Running(), {HasysDelete{0, 3}});
  ExpectPath(Path(s, 3, {Hastart{3}}), {S::kUnknown});
}

}  // namespace
}  // namespace haspec::vcs_system
