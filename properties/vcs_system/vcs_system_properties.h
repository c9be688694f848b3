// Targeted properties of the VCS system-state machine, one per documented
// rule or group of rules. Each is a template over the machine type so it runs
// against the model (vcs_system_test.cc) and against the mutants of
// sut/vcs_system/mutants.h (vcs_system_mutation_test.cc).
//
// HASPEC_VCS_SYSTEM_PROPERTIES(X) lists them once: X(name).
#ifndef HASPEC_PROPERTIES_VCS_SYSTEM_VCS_SYSTEM_PROPERTIES_H_
#define HASPEC_PROPERTIES_VCS_SYSTEM_VCS_SYSTEM_PROPERTIES_H_

#include <string>
#include <vector>

#include "model/vcs_system/vcs_system.h"
#include "properties/core/harness.h"
#include "properties/core/stateful.h"

namespace haspec::vcs_system::props {

using testing::Apply;
using testing::GenTraceFrom;
using testing::Trace;

#define HASPEC_VCS_SYSTEM_PROPERTIES(X)              \
  X(InvariantsHoldAfterEveryStep)                    \
  X(DiscoveryFollowsThePeersStates)                  \
  X(RemoteBuildCopiesTheLowestNumberedRunningSystem) \
  X(OneLocalBuildAtATimeOthersWaitThenCopyIt)        \
  X(PeerWaitersDecideAgainWhenTheBuilderGoes)        \
  X(StaleAdminWaitWaitsForAValidSystem)              \
  X(ChangesDuringRemoteBuildAreAppliedBeforeRunning) \
  X(AdminWaitWhenTheRunningConfigurationIsLost)      \
  X(HasysForceRecoversAnAdminWaitCluster)            \
  X(AdminWaitIsLeftOnlyByTheDocumentedPaths)         \
  X(HastartOptionsDecideCurrentOrStale)              \
  X(SystemWithoutAnEntryStaysUnknown)                \
  X(HastopTakesGroupsOfflineThroughLeaving)          \
  X(HastopForceLeavesGroupsRunning)                  \
  X(PeersSeeAFailedSystemAsFaulted)                  \
  X(EveryEngineShowsWhatItKnows)                     \
  X(HasysDeleteOnlyForExitedOrUnknown)               \
  X(ConfigCommandsRefusedWhereDocumented)            \
  X(GroupsComeOnlineOnlyOnARunningSystem)

template <class M>
using St = typename M::State;

// Properties run on a four-system cluster, bigger than the default
// configuration, so "the lowest-numbered RUNNING system" has a choice.
inline constexpr int kSystems = 4;
inline Config PropsConfig() {
  Config c;
  c.nodes = Nodes::Numbered(kSystems, "sys");
  return c;
}
template <class M>
St<M> Start() {
  return M::Initial(PropsConfig());
}
inline std::string SystemName(int i) { return "sys" + std::to_string(i); }
// What observer o shows for system j (must be listed).
template <class M>
SysState Shown(const St<M>& s, int o, int j) {
  auto v = M::Observe(s).state[o][j];
  if (!v) RC_FAIL(SystemName(o) + " does not list " + SystemName(j) + " in " + M::Show(s));
  return v.value_or(SysState::kUnknown);
}

inline std::string Name(SysState s) { return std::string(kSysStateNames.Name(s)); }
inline std::uint8_t U8(int i) { return static_cast<std::uint8_t>(i); }

#define HASPEC_EXPECT_STATE(M, where, id, want)                                                 \
  do {                                                                                          \
    const auto& s_ = (where);                                                                   \
    const int id_ = (id);                                                                       \
    if (s_.sys[id_].state != (want)) {                                                          \
      RC_FAIL(SystemName(id_) + " is " + Name(s_.sys[id_].state) + ", expected " + Name(want) + \
              " in " + M::Show(s_));                                                            \
    }                                                                                           \
  } while (0)

// Applies `op`, fails on any broken invariant or step rule, returns the outcome.
template <class M>
typename M::OutcomeT Checked(const St<M>& s, const Op& op) {
  return testing::Checked<M>(s, op);
}

// Applies `op`, which must be accepted, and checks every invariant.
template <class M>
St<M> Do(const St<M>& s, const Op& op) {
  auto o = Checked<M>(s, op);
  if (!o.accepted) RC_FAIL(M::Show(op) + " was " + testing::Verdict<M>(o) + " in " + M::Show(s));
  return o.next;
}

// Every invariant on every state of a trace.
template <class M>
void CheckTrace(const Trace<M>& t) {
  for (std::size_t i = 0; i < t.ops.size(); ++i) {
    std::string broken =
        testing::BrokenByStep<M>(i == 0 ? t.start : t.states[i - 1], t.ops[i], t.states[i]);
    if (!broken.empty()) {
      RC_FAIL("after op " + std::to_string(i + 1) + " (" + M::Show(t.ops[i]) + "): " + broken +
              "\n  state: " + M::Show(t.states[i]));
    }
  }
}

// hastart, join, discover: sys<i> ends where discovery sends it.
template <class M>
St<M> StartAndDiscover(St<M> s, int i, StartMode mode = StartMode::kPlain) {
  s = Do<M>(s, Hastart{U8(i), mode});
  s = Do<M>(s, Join{U8(i)});
  return Do<M>(s, Discover{U8(i)});
}

// Ends sys<i>'s LOCAL_BUILD (successfully) or REMOTE_BUILD.
template <class M>
St<M> FinishBuild(St<M> s, int i) {
  if (s.sys[i].state == SysState::kLocalBuild) return Do<M>(s, LocalBuildDone{U8(i), false});
  if (s.sys[i].state == SysState::kRemoteBuild) return Do<M>(s, RemoteBuildDone{U8(i)});
  RC_FAIL(SystemName(i) + " is " + Name(s.sys[i].state) + ", not building, in " + M::Show(s));
  return s;
}

// sys0..sys<k-1> RUNNING: sys0 built from disk, the others copied it.
template <class M>
St<M> RunningCluster(int k) {
  St<M> s = Start<M>();
  for (int i = 0; i < k; ++i) {
    s = FinishBuild<M>(StartAndDiscover<M>(s, i), i);
    HASPEC_EXPECT_STATE(M, s, i, SysState::kRunning);
  }
  return s;
}

// sys0 fails its LOCAL_BUILD (hacf error); sys1..sys<k-1> join after it
// and wait with it in ADMIN_WAIT.
template <class M>
St<M> AdminWaitCluster(int k) {
  St<M> s = StartAndDiscover<M>(Start<M>(), 0);
  s = Do<M>(s, LocalBuildDone{0, true});
  for (int i = 1; i < k; ++i) s = StartAndDiscover<M>(s, i);
  return s;
}

// sys0..sys<k-1> started with stale configurations: all STALE_ADMIN_WAIT.
template <class M>
St<M> StaleAdminWaitCluster(int k) {
  St<M> s = Start<M>();
  for (int i = 0; i < k; ++i) s = StartAndDiscover<M>(s, i, StartMode::kStale);
  return s;
}

// One of the shapes above, none with a departure yet.
template <class M>
St<M> GenStartState() {
  switch (*rc::gen::inRange(0, 4)) {
    case 0:
      return Start<M>();
    case 1:
      return RunningCluster<M>(*rc::gen::inRange(1, kSystems + 1));
    case 2:
      return AdminWaitCluster<M>(*rc::gen::inRange(1, kSystems + 1));
    default:
      return StaleAdminWaitCluster<M>(*rc::gen::inRange(1, kSystems + 1));
  }
}

template <class M>
St<M> GenState() {
  return (*GenTraceFrom<M>(GenStartState<M>())).last;
}

template <class M>
void InvariantsHoldAfterEveryStep() {
  testing::InvariantsHoldAfterEveryStep<M>(GenStartState<M>());
}

// --- The dumb twin of discovery -------------------------------------------------

// Where a system in *_DISCOVER_WAIT must go, from seed 004's intro and state
// table (and the assumption for ADMIN_WAIT peers), plus the build source.
struct Expected {
  SysState state;
  int source = -1;
};

inline Expected ExpectedDiscovery(const State& pre, int i) {
  const bool valid = pre.sys[i].state == SysState::kCurrentDiscoverWait;
  bool local = false, admin = false;
  for (int j = 0; j < kSystems; ++j) {
    if (j == i) continue;
    if (pre.sys[j].state == SysState::kRunning) return {SysState::kRemoteBuild, j};  // lowest first
    local |= pre.sys[j].state == SysState::kLocalBuild;
    admin |= pre.sys[j].state == SysState::kAdminWait;
  }
  if (local) return {valid ? SysState::kCurrentPeerWait : SysState::kStalePeerWait};
  if (admin) return {SysState::kAdminWait};
  return {valid ? SysState::kLocalBuild : SysState::kStaleAdminWait};
}

// Checks one discovery step against the twin; "" if it agrees.
template <class M>
std::string DiscoveryMismatch(const St<M>& pre, int i, const St<M>& post) {
  Expected e = ExpectedDiscovery(pre, i);
  const Sys& x = post.sys[i];
  std::string where = "discover " + SystemName(i) + " in " + M::Show(pre) + ": ";
  if (x.state != e.state) return where + "went to " + Name(x.state) + ", expected " + Name(e.state);
  if (e.source >= 0 && (x.source != e.source || x.snapshot_cfg != post.sys[e.source].run_cfg)) {
    return where + "copies " + SystemName(x.source) + " configuration #" +
           std::to_string(x.snapshot_cfg) + ", expected the lowest-numbered RUNNING system " +
           SystemName(e.source) + " configuration #" + std::to_string(post.sys[e.source].run_cfg);
  }
  for (int j = 0; j < kSystems; ++j) {
    if (j == i) continue;
    SysState want = pre.sys[j].state;
    if (e.state == SysState::kLocalBuild && want == SysState::kStaleAdminWait)
      want = SysState::kStalePeerWait;
    if (post.sys[j].state != want) {
      return where + "peer " + SystemName(j) + " went from " + Name(pre.sys[j].state) + " to " +
             Name(post.sys[j].state) + ", expected " + Name(want);
    }
  }
  return "";
}

template <class M>
void DiscoveryFollowsThePeersStates() {
  // Always once with two RUNNING peers, so the choice of source is checked.
  {
    St<M> s = RunningCluster<M>(2);
    auto mode = *rc::gen::element(StartMode::kPlain, StartMode::kStale, StartMode::kForce);
    s = Do<M>(Do<M>(s, Hastart{2, mode}), Join{2});
    std::string m = DiscoveryMismatch<M>(s, 2, Do<M>(s, Discover{2}));
    if (!m.empty()) RC_FAIL(m);
  }
  Trace<M> t = *GenTraceFrom<M>(GenStartState<M>());
  for (std::size_t k = 0; k < t.ops.size(); ++k) {
    auto* d = std::get_if<Discover>(&t.ops[k]);
    const St<M>& pre = k == 0 ? t.start : t.states[k - 1];
    if (!d) continue;
    SysState st = pre.sys[d->sys].state;
    if (st != SysState::kCurrentDiscoverWait && st != SysState::kStaleDiscoverWait) continue;
    std::string m = DiscoveryMismatch<M>(pre, d->sys, t.states[k]);
    if (!m.empty()) RC_FAIL(m);
  }
  // And one more joiner, whatever the cluster looks like now.
  St<M> s = t.last;
  for (int i = 0; i < kSystems; ++i) {
    if (EngineUp(s.sys[i].state) || !(s.entries & (1u << i))) continue;
    auto mode = *rc::gen::element(StartMode::kPlain, StartMode::kStale, StartMode::kForce);
    s = Do<M>(s, Hastart{U8(i), mode});
    s = Do<M>(s, Join{U8(i)});
    St<M> post = Do<M>(s, Discover{U8(i)});
    std::string m = DiscoveryMismatch<M>(s, i, post);
    if (!m.empty()) RC_FAIL(m);
    break;
  }
}

template <class M>
void RemoteBuildCopiesTheLowestNumberedRunningSystem() {
  int k = *rc::gen::inRange(2, kSystems);
  St<M> s = RunningCluster<M>(k);
  // Optionally the lowest one fails, so the next one up is the source.
  const bool drop_first = *rc::gen::arbitrary<bool>();
  if (drop_first) s = Do<M>(s, Crash{0});
  const int lowest = drop_first ? 1 : 0;
  const int joiner = k;
  auto mode = *rc::gen::element(StartMode::kPlain, StartMode::kStale);
  auto o = Checked<M>(Do<M>(Do<M>(s, Hastart{U8(joiner), mode}), Join{U8(joiner)}),
                      Discover{U8(joiner)});
  HASPEC_EXPECT_STATE(M, o.next, joiner, SysState::kRemoteBuild);
  if (o.next.sys[joiner].source != lowest) {
    RC_FAIL(SystemName(joiner) + " copies " + SystemName(o.next.sys[joiner].source) +
            " but the lowest-numbered RUNNING system is " + SystemName(lowest) + " in " +
            M::Show(s));
  }
  St<M> r = Do<M>(o.next, RemoteBuildDone{U8(joiner)});
  HASPEC_EXPECT_STATE(M, r, joiner, SysState::kRunning);
  RC_ASSERT(r.sys[joiner].run_cfg == r.sys[lowest].run_cfg);
}

template <class M>
void OneLocalBuildAtATimeOthersWaitThenCopyIt() {
  int k = *rc::gen::inRange(2, kSystems + 1);
  St<M> s = Start<M>();
  std::vector<StartMode> modes;
  for (int i = 0; i < k; ++i) {
    // sys0 is valid so someone builds; the others at random.
    modes.push_back(i == 0 ? StartMode::kPlain
                           : *rc::gen::element(StartMode::kPlain, StartMode::kStale));
    s = Do<M>(Do<M>(s, Hastart{U8(i), modes[i]}), Join{U8(i)});
  }
  s = Do<M>(s, Discover{0});
  HASPEC_EXPECT_STATE(M, s, 0, SysState::kLocalBuild);
  for (int i = 1; i < k; ++i) {
    s = Do<M>(s, Discover{U8(i)});
    HASPEC_EXPECT_STATE(
        M, s, i,
        modes[i] == StartMode::kPlain ? SysState::kCurrentPeerWait : SysState::kStalePeerWait);
  }
  s = Do<M>(s, LocalBuildDone{0, false});
  HASPEC_EXPECT_STATE(M, s, 0, SysState::kRunning);
  for (int i = 1; i < k; ++i) {
    HASPEC_EXPECT_STATE(M, s, i, SysState::kRemoteBuild);
    RC_ASSERT(s.sys[i].source == 0);
  }
  for (int i = 1; i < k; ++i) s = Do<M>(s, RemoteBuildDone{U8(i)});
  for (int i = 1; i < k; ++i) RC_ASSERT(s.sys[i].run_cfg == s.sys[0].run_cfg);
}

template <class M>
void PeerWaitersDecideAgainWhenTheBuilderGoes() {
  int k = *rc::gen::inRange(2, kSystems + 1);
  St<M> s = Start<M>();
  std::vector<StartMode> modes;
  for (int i = 0; i < k; ++i) {
    modes.push_back(i == 0 ? StartMode::kPlain
                           : *rc::gen::element(StartMode::kPlain, StartMode::kStale));
    s = StartAndDiscover<M>(s, i, modes[i]);
  }
  HASPEC_EXPECT_STATE(M, s, 0, SysState::kLocalBuild);
  Op end =
      *rc::gen::element<Op>(Crash{0}, Hastop{0, false}, Hastop{0, true}, LocalBuildDone{0, true});
  s = Do<M>(s, end);
  for (int i = 1; i < k; ++i) {
    HASPEC_EXPECT_STATE(M, s, i,
                        modes[i] == StartMode::kPlain ? SysState::kCurrentDiscoverWait
                                                      : SysState::kStaleDiscoverWait);
  }
  // Deciding again follows the same rules as any joiner.
  for (int i = 1; i < k; ++i) {
    St<M> post = Do<M>(s, Discover{U8(i)});
    std::string m = DiscoveryMismatch<M>(s, i, post);
    if (!m.empty()) RC_FAIL(m);
    s = post;
  }
}

template <class M>
void StaleAdminWaitWaitsForAValidSystem() {
  int k = *rc::gen::inRange(1, kSystems);
  St<M> s = Start<M>();
  for (int i = 0; i < k; ++i) {
    // Three ways to a stale start: -stale, a stale main.cf, a broken one.
    int how = *rc::gen::inRange(0, 3);
    if (how > 0) s = Do<M>(s, EditMainCf{U8(i), how == 1 ? MainCf::kStale : MainCf::kInvalid});
    s = Do<M>(s, Hastart{U8(i), how == 0 ? StartMode::kStale : StartMode::kPlain});
    s = Do<M>(s, Join{U8(i)});
    HASPEC_EXPECT_STATE(M, s, i, SysState::kStaleDiscoverWait);
    s = Do<M>(s, Discover{U8(i)});
    HASPEC_EXPECT_STATE(M, s, i, SysState::kStaleAdminWait);
  }
  // hasys -force is for ADMIN_WAIT, not for this state.
  HASPEC_EXPECT_RULE(M, Checked<M>(s, HasysForce{0}), false, RuleId::kPreHasysForce);
  // Another stale start changes nothing for those waiting.
  if (k >= 2) {
    St<M> again = Do<M>(s, Hastop{0, false});
    again = Do<M>(again, EngineExited{0});
    again = StartAndDiscover<M>(again, 0, StartMode::kStale);
    for (int i = 0; i < k; ++i) HASPEC_EXPECT_STATE(M, again, i, SysState::kStaleAdminWait);
  }
  // A system with a valid configuration builds; the stale ones wait for it.
  const int valid = k;
  s = StartAndDiscover<M>(s, valid);
  HASPEC_EXPECT_STATE(M, s, valid, SysState::kLocalBuild);
  for (int i = 0; i < k; ++i) HASPEC_EXPECT_STATE(M, s, i, SysState::kStalePeerWait);
  s = Do<M>(s, LocalBuildDone{U8(valid), false});
  for (int i = 0; i < k; ++i) {
    HASPEC_EXPECT_STATE(M, s, i, SysState::kRemoteBuild);
    s = Do<M>(s, RemoteBuildDone{U8(i)});
    HASPEC_EXPECT_STATE(M, s, i, SysState::kRunning);
  }
}

template <class M>
void ChangesDuringRemoteBuildAreAppliedBeforeRunning() {
  int k = *rc::gen::inRange(1, kSystems);
  St<M> s = RunningCluster<M>(k);
  const int joiner = k;
  s = StartAndDiscover<M>(s, joiner, *rc::gen::element(StartMode::kPlain, StartMode::kStale));
  HASPEC_EXPECT_STATE(M, s, joiner, SysState::kRemoteBuild);
  int changes = *rc::gen::inRange(0, 6);
  for (int c = 0; c < changes; ++c) {
    auto on = U8(*rc::gen::inRange(0, k));
    s = Do<M>(s, ConfigChange{on});
  }
  // The builder itself refuses configuration commands (V-16-1-50129).
  HASPEC_EXPECT_RULE(M, Checked<M>(s, ConfigChange{U8(joiner)}), false, RuleId::kPreConfigRejected);
  s = Do<M>(s, RemoteBuildDone{U8(joiner)});
  for (int i = 0; i <= k; ++i) {
    if (s.sys[i].run_cfg != s.sys[0].run_cfg) {
      RC_FAIL(SystemName(i) + " holds generation " + std::to_string(s.sys[i].run_cfg) + " but " +
              SystemName(0) + " holds " + std::to_string(s.sys[0].run_cfg) + " after " +
              std::to_string(changes) + " change(s) during the build: " + M::Show(s));
    }
  }
}

template <class M>
void AdminWaitWhenTheRunningConfigurationIsLost() {
  if (*rc::gen::arbitrary<bool>()) {
    // Cause 2: hacf reports an invalid configuration during LOCAL_BUILD.
    St<M> s = StartAndDiscover<M>(Start<M>(), 0);
    auto o = Checked<M>(s, LocalBuildDone{0, true});
    HASPEC_EXPECT_STATE(M, o.next, 0, SysState::kAdminWait);
    // Later joiners, valid or stale, wait with it (dossier E5, E6).
    auto mode = *rc::gen::element(StartMode::kPlain, StartMode::kStale);
    HASPEC_EXPECT_STATE(M, StartAndDiscover<M>(o.next, 1, mode), 1, SysState::kAdminWait);
    return;
  }
  // Cause 1: the last RUNNING system leaves before a builder has its snapshot.
  int k = *rc::gen::inRange(1, 3);
  St<M> s = RunningCluster<M>(k);
  int builders = *rc::gen::inRange(1, kSystems - k + 1);
  for (int b = k; b < k + builders; ++b) {
    s = StartAndDiscover<M>(s, b);
    HASPEC_EXPECT_STATE(M, s, b, SysState::kRemoteBuild);
  }
  for (int r = 0; r < k; ++r) {
    Op leave = *rc::gen::element<Op>(Crash{U8(r)}, Hastop{U8(r), false}, Hastop{U8(r), true});
    s = Do<M>(s, leave);
    for (int b = k; b < k + builders; ++b) {
      if (r + 1 < k) {
        // Another system is still RUNNING: the build starts over from it.
        HASPEC_EXPECT_STATE(M, s, b, SysState::kRemoteBuild);
        RC_ASSERT(s.sys[b].source == r + 1);
      } else {
        HASPEC_EXPECT_STATE(M, s, b, SysState::kAdminWait);
      }
    }
  }
}

template <class M>
void HasysForceRecoversAnAdminWaitCluster() {
  int k = *rc::gen::inRange(1, kSystems + 1);
  St<M> s = AdminWaitCluster<M>(k);
  for (int i = 0; i < k; ++i) HASPEC_EXPECT_STATE(M, s, i, SysState::kAdminWait);
  // Forcing a system that is not in ADMIN_WAIT does nothing.
  if (k < kSystems)
    HASPEC_EXPECT_RULE(M, Checked<M>(s, HasysForce{U8(k)}), false, RuleId::kPreHasysForce);
  const int target = *rc::gen::inRange(0, k);
  s = Do<M>(s, HasysForce{U8(target)});
  HASPEC_EXPECT_STATE(M, s, target, SysState::kLocalBuild);
  for (int i = 0; i < k; ++i) {
    if (i == target) continue;
    HASPEC_EXPECT_STATE(M, s, i, SysState::kAdminWait);
    HASPEC_EXPECT_RULE(M, Checked<M>(s, HasysForce{U8(i)}), false, RuleId::kPreForceOneBuild);
  }
  s = Do<M>(s, LocalBuildDone{U8(target), false});
  HASPEC_EXPECT_STATE(M, s, target, SysState::kRunning);
  for (int i = 0; i < k; ++i) {
    if (i == target) continue;
    HASPEC_EXPECT_STATE(M, s, i, SysState::kRemoteBuild);
    RC_ASSERT(s.sys[i].source == target);
    s = Do<M>(s, RemoteBuildDone{U8(i)});
  }
  for (int i = 0; i < k; ++i) HASPEC_EXPECT_STATE(M, s, i, SysState::kRunning);
}

// Whether `op` at `pre` may take sys<j> out of ADMIN_WAIT or STALE_ADMIN_WAIT
// into `next` (invariant VCS-INV-*-EXITS, restated from the op's side).
template <class M>
bool DocumentedExit(const St<M>& pre, const Op& op, int j, SysState next) {
  auto on_j = [&](auto* p) { return p && p->sys == j; };
  if (on_j(std::get_if<Hastop>(&op)) || on_j(std::get_if<Crash>(&op))) return true;
  if (pre.sys[j].state == SysState::kAdminWait) {
    if (auto* f = std::get_if<HasysForce>(&op); f && f->target == j)
      return next == SysState::kLocalBuild;
    auto* l = std::get_if<LocalBuildDone>(&op);
    return l && next == SysState::kRemoteBuild;  // after a forced build
  }
  return next == SysState::kStalePeerWait;  // a peer entered LOCAL_BUILD
}

template <class M>
void AdminWaitIsLeftOnlyByTheDocumentedPaths() {
  St<M> start = *rc::gen::arbitrary<bool>() ? AdminWaitCluster<M>(*rc::gen::inRange(1, 3))
                                            : StaleAdminWaitCluster<M>(*rc::gen::inRange(1, 3));
  Trace<M> t = *GenTraceFrom<M>(start);
  CheckTrace<M>(t);
  for (std::size_t k = 0; k < t.ops.size(); ++k) {
    const St<M>& pre = k == 0 ? t.start : t.states[k - 1];
    const St<M>& post = t.states[k];
    for (int j = 0; j < kSystems; ++j) {
      SysState was = pre.sys[j].state;
      if (was != SysState::kAdminWait && was != SysState::kStaleAdminWait) continue;
      if (post.sys[j].state == was) continue;
      if (!DocumentedExit<M>(pre, t.ops[k], j, post.sys[j].state)) {
        RC_FAIL(SystemName(j) + " left " + Name(was) + " for " + Name(post.sys[j].state) + " on " +
                M::Show(t.ops[k]) + " in " + M::Show(pre));
      }
    }
  }
}

template <class M>
void HastartOptionsDecideCurrentOrStale() {
  auto file = *rc::gen::element(MainCf::kValid, MainCf::kStale, MainCf::kInvalid);
  auto mode = *rc::gen::element(StartMode::kPlain, StartMode::kStale, StartMode::kForce);
  St<M> s = Start<M>();
  if (file != MainCf::kValid) s = Do<M>(s, EditMainCf{0, file});
  auto started = Checked<M>(s, Hastart{0, mode});
  HASPEC_EXPECT_RULE(M, started, true,
                     mode == StartMode::kPlain   ? RuleId::kHastart
                     : mode == StartMode::kStale ? RuleId::kHastartStale
                                                 : RuleId::kHastartForce);
  HASPEC_EXPECT_STATE(M, started.next, 0, SysState::kIniting);
  const bool current = (mode == StartMode::kPlain && file == MainCf::kValid) ||
                       (mode == StartMode::kForce && file != MainCf::kInvalid);
  s = Do<M>(started.next, Join{0});
  HASPEC_EXPECT_STATE(M, s, 0,
                      current ? SysState::kCurrentDiscoverWait : SysState::kStaleDiscoverWait);
  s = Do<M>(s, Discover{0});
  HASPEC_EXPECT_STATE(M, s, 0, current ? SysState::kLocalBuild : SysState::kStaleAdminWait);
  if (current || file == MainCf::kInvalid) return;
  // The recovery for a stale but valid main.cf: hastop, then hastart -force.
  s = Do<M>(Do<M>(s, Hastop{0, false}), EngineExited{0});
  s = StartAndDiscover<M>(s, 0, StartMode::kForce);
  HASPEC_EXPECT_STATE(M, s, 0, SysState::kLocalBuild);
  HASPEC_EXPECT_STATE(M, Do<M>(s, LocalBuildDone{0, false}), 0, SysState::kRunning);
}

template <class M>
void SystemWithoutAnEntryStaysUnknown() {
  int k = *rc::gen::inRange(1, kSystems);
  St<M> s = RunningCluster<M>(k);
  const int target = kSystems - 1;
  // Never started but configured: sys0 shows it EXITED, not UNKNOWN (which
  // is for systems without an entry), and it may be deleted.
  if (Shown<M>(s, 0, target) != SysState::kExited) {
    RC_FAIL(SystemName(0) + " shows never-started " + SystemName(target) + " as " +
            Name(Shown<M>(s, 0, target)) + ", expected EXITED");
  }
  s = Do<M>(s, HasysDelete{0, U8(target)});
  auto o = Checked<M>(s, Hastart{U8(target), StartMode::kPlain});
  HASPEC_EXPECT_RULE(M, o, true, RuleId::kHastartUnknown);
  HASPEC_EXPECT_STATE(M, o.next, target, SysState::kUnknown);
  s = o.next;
  Observation obs = M::Observe(s);
  RC_ASSERT(obs.listed[target] == SystemSet(1u << target));
  RC_ASSERT(obs.state[target][target] == SysState::kUnknown);
  for (int i = 0; i < k; ++i) RC_ASSERT((*obs.listed[i] & (1u << target)) == 0u);
  for (int i = 0; i < k; ++i) RC_ASSERT(!obs.state[i][target].has_value());
  HASPEC_EXPECT_RULE(M, Checked<M>(s, Join{U8(target)}), false, RuleId::kPreJoinIniting);
  HASPEC_EXPECT_RULE(M, Checked<M>(s, ConfigChange{U8(target)}), false,
                     RuleId::kPreConfigNeedsRunning);
  // Given an entry back, it joins after a restart.
  s = Do<M>(s, HasysAdd{0, U8(target)});
  RC_ASSERT(Shown<M>(s, 0, target) == SysState::kUnknown);  // its engine has not joined
  s = Do<M>(Do<M>(s, Hastop{U8(target), false}), EngineExited{U8(target)});
  HASPEC_EXPECT_STATE(M, Do<M>(s, Hastart{U8(target), StartMode::kPlain}), target,
                      SysState::kIniting);
}

template <class M>
void HastopTakesGroupsOfflineThroughLeaving() {
  int k = *rc::gen::inRange(2, kSystems + 1);
  St<M> s = RunningCluster<M>(k);
  const int i = *rc::gen::inRange(0, k);
  const int peer = i == 0 ? 1 : 0;
  s = Do<M>(s, GroupOnline{U8(i)});
  int changes = *rc::gen::inRange(1, 4);
  for (int c = 0; c < changes; ++c) s = Do<M>(s, ConfigChange{U8(peer)});
  s = Do<M>(s, Hastop{U8(i), false});
  HASPEC_EXPECT_STATE(M, s, i, SysState::kLeaving);
  HASPEC_EXPECT_RULE(M, Checked<M>(s, ConfigChange{U8(i)}), false, RuleId::kPreConfigRejected);
  s = Do<M>(s, AgentsStopped{U8(i)});
  HASPEC_EXPECT_STATE(M, s, i, SysState::kExiting);
  RC_ASSERT(!s.sys[i].groups_online);
  // The running configuration (still held by the RUNNING peer) is on disk.
  if (s.sys[i].disk_cfg != s.sys[peer].run_cfg || s.sys[i].main_cf != MainCf::kValid) {
    RC_FAIL(SystemName(i) + " left main.cf holding configuration #" +
            std::to_string(s.sys[i].disk_cfg) + " while the cluster runs #" +
            std::to_string(s.sys[peer].run_cfg) + ": " + M::Show(s));
  }
  s = Do<M>(s, EngineExited{U8(i)});
  for (int o = 0; o < k; ++o) {
    if (o != i && Shown<M>(s, o, i) != SysState::kExited) {
      RC_FAIL(SystemName(o) + " shows " + SystemName(i) + " as " + Name(Shown<M>(s, o, i)) +
              " after hastop, expected EXITED");
    }
  }
  // The running configuration reached main.cf: alone, it builds that one.
  for (int o = 0; o < k; ++o) {
    if (o != i) s = Do<M>(s, Crash{U8(o)});
  }
  const std::uint8_t disk = s.sys[i].disk_cfg;
  s = FinishBuild<M>(StartAndDiscover<M>(s, i), i);
  if (s.sys[i].run_cfg != s.sys[i].disk_cfg || s.sys[i].disk_cfg != disk) {
    RC_FAIL(SystemName(i) + " rebuilt configuration #" + std::to_string(s.sys[i].run_cfg) +
            " from disk, but main.cf holds #" + std::to_string(s.sys[i].disk_cfg));
  }
}

template <class M>
void HastopForceLeavesGroupsRunning() {
  int k = *rc::gen::inRange(1, kSystems + 1);
  St<M> s = RunningCluster<M>(k);
  const int i = *rc::gen::inRange(0, k);
  s = Do<M>(s, GroupOnline{U8(i)});
  auto o = Checked<M>(s, Hastop{U8(i), true});
  HASPEC_EXPECT_RULE(M, o, true, RuleId::kHastopForceGroupsRun);
  HASPEC_EXPECT_STATE(M, o.next, i, SysState::kExitingForcibly);
  RC_ASSERT(o.next.sys[i].groups_online);
  s = Do<M>(o.next, EngineExited{U8(i)});
  RC_ASSERT(s.sys[i].groups_online);
  Observation obs = M::Observe(s);
  for (int p = 0; p < k; ++p) {
    if (p != i && obs.state[p][i] != SysState::kExited) {
      RC_FAIL(SystemName(p) + " shows " + SystemName(i) + " as " +
              Name(obs.state[p][i].value_or(SysState::kUnknown)) +
              " after hastop -force, expected EXITED");
    }
  }
}

template <class M>
void PeersSeeAFailedSystemAsFaulted() {
  St<M> s = (*GenTraceFrom<M>(RunningCluster<M>(*rc::gen::inRange(2, kSystems + 1)))).last;
  std::vector<int> up;
  for (int i = 0; i < kSystems; ++i) {
    if (EngineUp(s.sys[i].state)) up.push_back(i);
  }
  RC_PRE(up.size() >= 2u);
  const int victim = *rc::gen::elementOf(up);
  s = Do<M>(s, Crash{U8(victim)});
  Observation obs = M::Observe(s);
  for (int o : up) {
    if (o == victim || !obs.state[o][victim]) continue;
    if (obs.state[o][victim] != SysState::kFaulted) {
      RC_FAIL(SystemName(o) + " shows " + SystemName(victim) + " as " +
              Name(*obs.state[o][victim]) + " after it failed, expected FAULTED");
    }
  }
}

// The model's Consistent must find M's observation a match; the
// observation rules behind each fact are recorded as exercised.
template <class M>
void ObservationMatchesTheModel(const St<M>& s) {
  const Observation obs = M::Observe(s);
  std::vector<FindingOf<M>> why;
  if (VcsSystem::Consistent(s, obs, &why) != Fit::kMatch) {
    RC_FAIL("observation " + VcsSystem::Show(obs, PropsConfig().nodes) + " of " + M::Show(s) +
            ": " + testing::Describe<M>(why));
  }
  for (int o = 0; o < s.n; ++o) {
    if (!EngineUp(s.sys[o].state)) {
      testing::Record<M>(RuleId::kObsStoppedSilent);
      continue;
    }
    testing::Record<M>(RuleId::kObsLists);
    for (int j = 0; j < s.n; ++j) {
      if (!obs.state[o][j]) continue;
      if (*obs.state[o][j] == SysState::kUnknown) testing::Record<M>(RuleId::kObsUnknownNoEntry);
      if (j != o && EngineUp(s.sys[j].state)) testing::Record<M>(RuleId::kObsPeerState);
      if (obs.groups_online[o][j]) testing::Record<M>(RuleId::kObsGroups);
      if (j != o && !EngineUp(s.sys[j].state) && s.sys[o].ViewOf(j) == View::kNotSeen) {
        testing::Record<M>(RuleId::kObsNotSeenExited);
      }
    }
  }
}

// The dumb twin of Observe: replays a trace keeping, per engine, which gone
// systems it knows about (it watched them leave, or copied a peer that knew)
// and how each system last left, and checks every answer exactly.
template <class M>
void EveryEngineShowsWhatItKnows() {
  Trace<M> t = *GenTraceFrom<M>(GenStartState<M>());  // no departures in the start states
  std::array<SysState, kSystems> left_as{};
  left_as.fill(SysState::kUnknown);
  std::array<std::array<bool, kSystems>, kSystems> knows{};  // [observer][system]
  for (std::size_t k = 0; k <= t.ops.size(); ++k) {
    const St<M>& s = k == 0 ? t.start : t.states[k - 1];
    if (k > 0) {
      const St<M>& pre = k == 1 ? t.start : t.states[k - 2];
      for (int j = 0; j < kSystems; ++j) {
        bool was = EngineUp(pre.sys[j].state), is = EngineUp(s.sys[j].state);
        if (!was && is) {
          for (auto& row : knows) row[j] = false;  // it is back: nobody has seen it go
          knows[j].fill(false);                    // a fresh engine knows nothing
        }
        // A deleted or re-added entry is a new system: nobody has seen it.
        if ((pre.entries ^ s.entries) & (1u << j)) {
          for (auto& row : knows) row[j] = false;
        }
        if (was && !is) {
          left_as[j] = std::get_if<Crash>(&t.ops[k - 1]) ? SysState::kFaulted : SysState::kExited;
          for (int o = 0; o < kSystems; ++o) {
            knows[o][j] =
                o != j && EngineUp(s.sys[o].state) && s.sys[o].state != SysState::kUnknown;
          }
        }
      }
      // A system that starts copying a peer (first time or a new source)
      // takes that peer's knowledge of gone systems.
      for (int o = 0; o < kSystems; ++o) {
        const Sys &a = pre.sys[o], &b = s.sys[o];
        if (b.state != SysState::kRemoteBuild || b.source >= kSystems) continue;
        if (a.state == SysState::kRemoteBuild && a.source == b.source) continue;
        for (int j = 0; j < kSystems; ++j) {
          if (j != o && !EngineUp(s.sys[j].state)) knows[o][j] = knows[o][j] || knows[b.source][j];
        }
      }
    }
    ObservationMatchesTheModel<M>(s);
    Observation obs = M::Observe(s);
    for (int o = 0; o < kSystems; ++o) {
      const SysState own = s.sys[o].state;
      const SystemSet want_listed = own == SysState::kUnknown
                                        ? SystemSet(1u << o)
                                        : static_cast<SystemSet>(s.entries | (1u << o));
      std::string at = " after " + std::to_string(k) + " op(s), in " + M::Show(s);
      if (obs.answered[o] != EngineUp(own)) RC_FAIL(SystemName(o) + " answers wrongly" + at);
      if (!EngineUp(own)) {
        if (obs.listed[o]) RC_FAIL(SystemName(o) + " lists systems with its engine gone" + at);
        continue;
      }
      if (obs.listed[o] != want_listed) {
        RC_FAIL(SystemName(o) + " lists systems " + std::to_string(obs.listed[o].value_or(0)) +
                ", expected " + std::to_string(want_listed) + at);
      }
      for (int j = 0; j < kSystems; ++j) {
        if (!(want_listed & (1u << j))) continue;
        if (!obs.state[o][j])
          RC_FAIL(SystemName(o) + " lists " + SystemName(j) + " without a state" + at);
        const SysState shown = *obs.state[o][j];
        std::string what = SystemName(o) + " shows " + SystemName(j) + " as " + Name(shown);
        if (j == o || EngineUp(s.sys[j].state)) {
          if (shown != s.sys[j].state)
            RC_FAIL(what + " but it reports " + Name(s.sys[j].state) + at);
        } else if (knows[o][j]) {
          if (shown != left_as[j]) {
            RC_FAIL(what + " but it left as " + Name(left_as[j]) + " and " + SystemName(o) +
                    " saw it go or copied a peer that did" + at);
          }
        } else if (shown != SysState::kExited) {
          RC_FAIL(what +
                  " but it never saw it leave nor copied a peer that did: a configured "
                  "system it has not seen is EXITED" +
                  at);
        }
      }
    }
  }
}

template <class M>
void HasysDeleteOnlyForExitedOrUnknown() {
  St<M> s = RunningCluster<M>(3);
  const int never = 3;
  // sys1 fails, sys2 stops: the only UNKNOWN or EXITED ones may go.
  s = Do<M>(s, Crash{1});
  s = Do<M>(Do<M>(Do<M>(s, Hastop{2, false}), AgentsStopped{2}), EngineExited{2});
  HASPEC_EXPECT_RULE(M, Checked<M>(s, HasysDelete{0, 1}), false, RuleId::kPreHasysDelete);
  HASPEC_EXPECT_RULE(M, Checked<M>(s, HasysDelete{0, 0}), false, RuleId::kPreHasysDelete);
  HASPEC_EXPECT_RULE(M, Checked<M>(s, HasysAdd{0, 1}), false, RuleId::kPreHasysAdd);
  const int first = *rc::gen::element(2, never);
  const int second = first == 2 ? never : 2;
  auto o = Checked<M>(s, HasysDelete{0, U8(first)});
  HASPEC_EXPECT_RULE(M, o, true, RuleId::kHasysDelete);
  RC_ASSERT((*M::Observe(o.next).listed[0] & (1u << first)) == 0u);
  HASPEC_EXPECT_RULE(M, Checked<M>(o.next, HasysDelete{0, U8(second)}), true, RuleId::kHasysDelete);
  HASPEC_EXPECT_RULE(M, Checked<M>(o.next, HasysAdd{0, U8(first)}), true, RuleId::kHasysAdd);
  // A later joiner copies sys0 and with it sys0's view of the gone systems:
  // it must refuse to delete FAULTED sys1 too, and may delete EXITED sys2.
  St<M> j = FinishBuild<M>(StartAndDiscover<M>(s, never), never);
  HASPEC_EXPECT_STATE(M, j, never, SysState::kRunning);
  HASPEC_EXPECT_RULE(M, Checked<M>(j, HasysDelete{U8(never), 1}), false, RuleId::kPreHasysDelete);
  HASPEC_EXPECT_RULE(M, Checked<M>(j, HasysDelete{U8(never), 2}), true, RuleId::kHasysDelete);
}

// What a configuration command typed on sys<i> must do, by its state.
template <class M>
void CheckConfigCommand(const St<M>& s, int i) {
  auto o = Checked<M>(s, ConfigChange{U8(i)});
  const SysState st = s.sys[i].state;
  if (!EngineUp(st)) {
    HASPEC_EXPECT_RULE(M, o, false, RuleId::kPreEngineUp);
  } else if (st == SysState::kLeaving || st == SysState::kRemoteBuild ||
             st == SysState::kAdminWait) {
    HASPEC_EXPECT_RULE(M, o, false, RuleId::kPreConfigRejected);
  } else if (st != SysState::kRunning) {
    HASPEC_EXPECT_RULE(M, o, false, RuleId::kPreConfigNeedsRunning);
  } else {
    HASPEC_EXPECT_RULE(M, o, true, RuleId::kConfigChange);
    // Every holder gets the same new configuration; builders queue it.
    int holder = -1;
    for (int j = 0; j < kSystems; ++j) {
      const Sys &a = s.sys[j], &b = o.next.sys[j];
      if (a.state != SysState::kRunning && a.state != SysState::kLeaving) continue;
      if (holder < 0) {
        holder = j;
      } else if (b.run_cfg != o.next.sys[holder].run_cfg) {
        RC_FAIL("change on " + SystemName(i) + " left " + SystemName(j) + " at configuration #" +
                std::to_string(b.run_cfg) + " but " + SystemName(holder) + " at #" +
                std::to_string(o.next.sys[holder].run_cfg) + ": " + M::Show(o.next));
      }
      // A configuration that existed before (main.cf written from it) is not the new one.
      if (a.disk_cfg == a.run_cfg && b.disk_cfg == b.run_cfg) {
        RC_FAIL("change on " + SystemName(i) + " did not change what " + SystemName(j) +
                " runs: " + M::Show(o.next));
      }
    }
    for (int j = 0; j < kSystems; ++j) {
      const Sys& b = o.next.sys[j];
      if (holder >= 0 && b.state == SysState::kRemoteBuild &&
          b.build_cfg != o.next.sys[holder].run_cfg) {
        RC_FAIL("change on " + SystemName(i) + " was not queued for the REMOTE_BUILD of " +
                SystemName(j) + ": " + M::Show(o.next));
      }
    }
  }
  if (!o.accepted) RC_ASSERT(o.next == s);
}

template <class M>
void ConfigCommandsRefusedWhereDocumented() {
  // A cluster with one system in each documented refusal state, then a
  // random reachable state.
  St<M> s = RunningCluster<M>(3);
  s = Do<M>(s, Hastop{1, false});  // LEAVING
  s = StartAndDiscover<M>(s, 3);   // REMOTE_BUILD
  for (int i = 0; i < kSystems; ++i) CheckConfigCommand<M>(s, i);
  St<M> a = AdminWaitCluster<M>(2);  // ADMIN_WAIT
  for (int i = 0; i < kSystems; ++i) CheckConfigCommand<M>(a, i);
  St<M> r = GenState<M>();
  for (int i = 0; i < kSystems; ++i) CheckConfigCommand<M>(r, i);
}

template <class M>
void GroupsComeOnlineOnlyOnARunningSystem() {
  St<M> s = GenState<M>();
  for (int i = 0; i < kSystems; ++i) {
    auto o = Checked<M>(s, GroupOnline{U8(i)});
    const Sys& x = s.sys[i];
    if (x.state != SysState::kRunning) {
      HASPEC_EXPECT_RULE(M, o, false, RuleId::kPreGroupOnline);
    } else if (!x.groups_online) {
      HASPEC_EXPECT_RULE(M, o, true, RuleId::kGroupOnline);
      RC_ASSERT(o.next.sys[i].groups_online);
    }
  }
  // And on a system that is leaving, explicitly.
  St<M> l = Do<M>(RunningCluster<M>(1), Hastop{0, false});
  HASPEC_EXPECT_RULE(M, Checked<M>(l, GroupOnline{0}), false, RuleId::kPreGroupOnline);
}

}  // namespace haspec::vcs_system::props

#endif  // HASPEC_PROPERTIES_VCS_SYSTEM_VCS_SYSTEM_PROPERTIES_H_
