// Deliberately broken variants of the VCS system-state model. Each breaks one
// documented rule the way a real engine (or a careless model) might; the
// property tests must catch every one (properties/vcs_system/
// vcs_system_mutation_test.cc).
//
// A mutant overrides Refusals, Effects or Observe and repeats
// HASPEC_MACHINE_DERIVED, so Step, Outcomes and AnswersOf all give the
// mutated answers. Most mutants rewrite the model's own landing
// (LandingMutant); mutants that accept what the model refuses drop the
// refusal and supply the landing themselves.
//
//   static_assert(haspec::Machine<haspec::vcs_system::mutants::TwoLocalBuilds>);
#ifndef HASPEC_SUT_VCS_SYSTEM_MUTANTS_H_
#define HASPEC_SUT_VCS_SYSTEM_MUTANTS_H_

#include <algorithm>
#include <variant>
#include <vector>

#include "model/vcs_system/vcs_system.h"

namespace haspec::vcs_system::mutants {

using OutcomeT = VcsSystem::OutcomeT;
using S = SysState;

template <class T>
const T* As(const Op& op) {
  return std::get_if<T>(&op);
}

inline int FindRunning(const State& s, bool highest) {
  int found = -1;
  for (int i = 0; i < s.n; ++i) {
    if (s.sys[i].state != S::kRunning) continue;
    found = i;
    if (!highest) break;
  }
  return found;
}

// What the model does for an accepted configuration change, done by hand for
// mutants that accept one the model refuses: every holder gets a new label.
inline void ApplyChange(State& t) {
  std::uint8_t fresh = 0;
  for (int i = 0; i < t.n; ++i) {
    for (std::uint8_t v : {t.sys[i].disk_cfg, t.sys[i].run_cfg, t.sys[i].build_cfg}) {
      if (v != kNoConfig) fresh = std::max<std::uint8_t>(fresh, static_cast<std::uint8_t>(v + 1));
    }
  }
  for (int i = 0; i < t.n; ++i) {
    Sys& x = t.sys[i];
    if ((x.state == S::kRunning || x.state == S::kLeaving) && x.run_cfg != kNoConfig) {
      x.run_cfg = fresh;
    }
    if (x.state == S::kRemoteBuild) x.build_cfg = fresh;
  }
}

// Systems that were in `from` before the step and are in `to` after it get
// their old record back: "this reaction never happens".
inline void Undo(OutcomeT& o, const State& s, SysState from, SysState to) {
  for (int j = 0; j < s.n; ++j) {
    if (s.sys[j].state == from && o.next.sys[j].state == to) o.next.sys[j] = s.sys[j];
  }
}

// Rewrites the model's own landing with Self::Mutate(s, op, outcome).
template <class Self>
struct LandingMutant : VcsSystem {
  static void Effects(const State& s, const Op& op, std::vector<OutcomeT>& out) {
    const std::size_t first = out.size();
    VcsSystem::Effects(s, op, out);
    for (std::size_t i = first; i < out.size(); ++i) {
      if (!out[i].departs) {
        Self::Mutate(s, op, out[i]);
        break;
      }
    }
  }
};

// Drops the refusals Self::Drop(s, op, rule) names and accepts with
// Self::Accept(s, op) where the model would refuse.
template <class Self>
struct AcceptingMutant : VcsSystem {
  static void Refusals(const State& s, const Op& op, std::vector<RuleId>& out) {
    std::vector<RuleId> all;
    VcsSystem::Refusals(s, op, all);
    for (RuleId r : all) {
      if (!Self::Drop(s, op, r)) out.push_back(r);
    }
  }
  static void Effects(const State& s, const Op& op, std::vector<OutcomeT>& out) {
    std::vector<RuleId> all;
    VcsSystem::Refusals(s, op, all);
    bool dropped = false;
    for (RuleId r : all) dropped = dropped || Self::Drop(s, op, r);
    if (dropped) {
      out.push_back(Self::Accept(s, op));
      return;
    }
    VcsSystem::Effects(s, op, out);
  }
};

#define HASPEC_LANDING_MUTANT(Name)                                                        \
  struct Name : LandingMutant<Name> {                                                      \
    HASPEC_MACHINE_DERIVED(Name)                                                           \
    static void Mutate(const State& s, const Op& op, OutcomeT& o);                         \
  };                                                                                       \
  inline void Name::Mutate([[maybe_unused]] const State& s, [[maybe_unused]] const Op& op, \
                           [[maybe_unused]] OutcomeT& o)

// --- Joining -------------------------------------------------------------------

// A valid joiner builds from disk although a peer is RUNNING.
HASPEC_LANDING_MUTANT(LocalBuildBesideRunningPeer) {
  auto* d = As<Discover>(op);
  if (d && s.sys[d->sys].state == S::kCurrentDiscoverWait &&
      o.next.sys[d->sys].state == S::kRemoteBuild) {
    Sys& x = o.next.sys[d->sys];
    x.state = S::kLocalBuild;
    x.source = 0;
    x.snapshot_cfg = x.build_cfg = kNoConfig;
    o.rule = RuleId::kDiscoverLocalBuild;
  }
}

// REMOTE_BUILD copies the highest-numbered RUNNING system.
HASPEC_LANDING_MUTANT(BuildsFromHighestRunning) {
  auto* d = As<Discover>(op);
  if (d && o.next.sys[d->sys].state == S::kRemoteBuild) {
    const int h = FindRunning(s, true);
    o.next.sys[d->sys].source = static_cast<std::uint8_t>(h);
  }
}

// A valid joiner builds from disk while a peer is already in LOCAL_BUILD.
HASPEC_LANDING_MUTANT(TwoLocalBuilds) {
  auto* d = As<Discover>(op);
  if (d && o.next.sys[d->sys].state == S::kCurrentPeerWait) {
    o.next.sys[d->sys].state = S::kLocalBuild;
    o.rule = RuleId::kDiscoverLocalBuild;
  }
}

// A valid joiner builds from disk while peers wait in ADMIN_WAIT.
HASPEC_LANDING_MUTANT(LocalBuildIgnoresAdminWait) {
  auto* d = As<Discover>(op);
  if (d && s.sys[d->sys].state == S::kCurrentDiscoverWait &&
      o.next.sys[d->sys].state == S::kAdminWait) {
    o.next.sys[d->sys].state = S::kLocalBuild;
    o.rule = RuleId::kDiscoverLocalBuild;
  }
}

// A joiner with a RUNNING peer takes the configuration and is RUNNING at once.
HASPEC_LANDING_MUTANT(JoinSkipsBuild) {
  auto* d = As<Discover>(op);
  if (d && o.next.sys[d->sys].state == S::kRemoteBuild) {
    Sys& x = o.next.sys[d->sys];
    x.run_cfg = x.build_cfg;
    x.state = S::kRunning;
    x.source = 0;
    x.snapshot_cfg = x.build_cfg = kNoConfig;
  }
}

// hastart goes straight to the discovery state, skipping INITING.
HASPEC_LANDING_MUTANT(StartsInDiscoverWait) {
  auto* h = As<Hastart>(op);
  if (h && o.next.sys[h->sys].state == S::kIniting) {
    OutcomeT j = VcsSystem::Step(o.next, Join{h->sys});
    o.next = j.next;
  }
}

// A system that started with an invalid configuration joins as CURRENT.
HASPEC_LANDING_MUTANT(StaleJoinsAsCurrent) {
  auto* j = As<Join>(op);
  if (j && o.next.sys[j->sys].state == S::kStaleDiscoverWait) {
    o.next.sys[j->sys].state = S::kCurrentDiscoverWait;
    o.rule = RuleId::kJoinCurrent;
  }
}

// hastart -stale is treated as plain hastart.
HASPEC_LANDING_MUTANT(HastartStaleIgnored) {
  auto* h = As<Hastart>(op);
  if (h && h->mode == StartMode::kStale && o.next.sys[h->sys].state == S::kIniting) {
    o.next.sys[h->sys].current = s.sys[h->sys].main_cf == MainCf::kValid;
  }
}

// hastart -force is treated as plain hastart.
HASPEC_LANDING_MUTANT(HastartForceIgnored) {
  auto* h = As<Hastart>(op);
  if (h && h->mode == StartMode::kForce && o.next.sys[h->sys].state == S::kIniting) {
    o.next.sys[h->sys].current = s.sys[h->sys].main_cf == MainCf::kValid;
  }
}

// A system without an entry in the configuration joins anyway.
HASPEC_LANDING_MUTANT(UnconfiguredSystemJoins) {
  auto* h = As<Hastart>(op);
  if (h && o.next.sys[h->sys].state == S::kUnknown) {
    o.next.sys[h->sys].state = S::kIniting;
    o.next.sys[h->sys].current = s.sys[h->sys].main_cf == MainCf::kValid;
    o.rule = RuleId::kHastart;
  }
}

// --- Builds ------------------------------------------------------------------

// Changes made during a REMOTE_BUILD are lost when it ends.
HASPEC_LANDING_MUTANT(DropsChangesMadeDuringRemoteBuild) {
  auto* r = As<RemoteBuildDone>(op);
  if (r && o.next.sys[r->sys].state == S::kRunning) {
    o.next.sys[r->sys].run_cfg = s.sys[r->sys].snapshot_cfg;
  }
}

// An hacf error during LOCAL_BUILD goes unnoticed.
struct IgnoresHacfError : VcsSystem {
  HASPEC_MACHINE_DERIVED(IgnoresHacfError)
  static void Effects(const State& s, const Op& op, std::vector<OutcomeT>& out) {
    auto* l = As<LocalBuildDone>(op);
    if (l && l->hacf_error) return VcsSystem::Effects(s, LocalBuildDone{l->sys, false}, out);
    VcsSystem::Effects(s, op, out);
  }
};

// Systems waiting for a peer's LOCAL_BUILD keep waiting after it finished.
HASPEC_LANDING_MUTANT(PeerWaitersStayAfterBuild) {
  if (As<LocalBuildDone>(op)) {
    Undo(o, s, S::kCurrentPeerWait, S::kRemoteBuild);
    Undo(o, s, S::kStalePeerWait, S::kRemoteBuild);
  }
}

// Systems waiting for a LOCAL_BUILD keep waiting when the builder is gone.
HASPEC_LANDING_MUTANT(PeerWaitersStranded) {
  Undo(o, s, S::kCurrentPeerWait, S::kCurrentDiscoverWait);
  Undo(o, s, S::kStalePeerWait, S::kStaleDiscoverWait);
}

// STALE_ADMIN_WAIT systems do not notice a peer's LOCAL_BUILD.
HASPEC_LANDING_MUTANT(StaleAdminWaitIgnoresLocalBuild) {
  Undo(o, s, S::kStaleAdminWait, S::kStalePeerWait);
}

// A REMOTE_BUILD carries on after the last RUNNING system left.
HASPEC_LANDING_MUTANT(BuilderKeepsGoingAlone) { Undo(o, s, S::kRemoteBuild, S::kAdminWait); }

// A REMOTE_BUILD keeps copying a source that stopped being RUNNING.
HASPEC_LANDING_MUTANT(SnapshotSourceNotRetaken) {
  for (int j = 0; j < s.n; ++j) {
    if (s.sys[j].state == S::kRemoteBuild && o.next.sys[j].state == S::kRemoteBuild &&
        o.next.sys[j].source != s.sys[j].source) {
      o.next.sys[j].source = s.sys[j].source;
    }
  }
}

// --- ADMIN_WAIT and STALE_ADMIN_WAIT -------------------------------------------

// ADMIN_WAIT systems retry discovery when another system starts.
HASPEC_LANDING_MUTANT(AdminWaitRetriesDiscovery) {
  if (As<Hastart>(op)) {
    for (int i = 0; i < o.next.n; ++i) {
      Sys& x = o.next.sys[i];
      if (x.state == S::kAdminWait) {
        x.state = S::kCurrentDiscoverWait;
        x.current = true;
      }
    }
  }
}

// STALE_ADMIN_WAIT systems retry discovery when another system starts.
HASPEC_LANDING_MUTANT(StaleAdminWaitRetries) {
  if (As<Hastart>(op)) {
    for (int i = 0; i < o.next.n; ++i) {
      if (o.next.sys[i].state == S::kStaleAdminWait) o.next.sys[i].state = S::kStaleDiscoverWait;
    }
  }
}

// After a forced build the other ADMIN_WAIT systems stay where they are.
HASPEC_LANDING_MUTANT(ForcedBuildLeavesPeersWaiting) {
  if (As<LocalBuildDone>(op)) Undo(o, s, S::kAdminWait, S::kRemoteBuild);
}

// hasys -force also starts a build on a system in STALE_ADMIN_WAIT.
struct HasysForceOnStaleAdminWait : AcceptingMutant<HasysForceOnStaleAdminWait> {
  HASPEC_MACHINE_DERIVED(HasysForceOnStaleAdminWait)
  static bool Drop(const State& s, const Op& op, RuleId r) {
    auto* f = As<HasysForce>(op);
    return f && r == RuleId::kPreHasysForce && s.sys[f->target].state == S::kStaleAdminWait;
  }
  static OutcomeT Accept(const State& s, const Op& op) {
    State p = s;
    p.sys[As<HasysForce>(op)->target].state = S::kAdminWait;
    return VcsSystem::Step(p, op);
  }
};

// hasys -force starts a second LOCAL_BUILD beside a running one.
struct SecondForcedBuild : AcceptingMutant<SecondForcedBuild> {
  HASPEC_MACHINE_DERIVED(SecondForcedBuild)
  static bool Drop(const State&, const Op& op, RuleId r) {
    return As<HasysForce>(op) && r == RuleId::kPreForceOneBuild;
  }
  static OutcomeT Accept(const State& s, const Op& op) {
    std::vector<OutcomeT> out;
    VcsSystem::Effects(s, op, out);
    if (out.empty()) return Rejected(s, RuleId::kPreHasysForce);
    // Where the model, accepting, would move the earlier builder aside
    // (VCS-TR-FORCE-SUPERSEDES-BUILD), this mutant keeps it building.
    OutcomeT o = out.front();
    for (std::size_t i = 0; i < s.sys.size(); ++i) {
      if (s.sys[i].state == S::kLocalBuild) o.next.sys[i].state = S::kLocalBuild;
    }
    return o;
  }
};

// --- Leaving -------------------------------------------------------------------

// hastop on a RUNNING system skips LEAVING and exits at once.
HASPEC_LANDING_MUTANT(HastopSkipsLeaving) {
  auto* h = As<Hastop>(op);
  if (h && !h->force && o.next.sys[h->sys].state == S::kLeaving) {
    OutcomeT e = VcsSystem::Step(o.next, AgentsStopped{h->sys});
    o.next = e.next;
  }
}

// Leaving does not take the service groups offline.
HASPEC_LANDING_MUTANT(HastopLeavesGroupsOnline) {
  auto* a = As<AgentsStopped>(op);
  if (a) o.next.sys[a->sys].groups_online = s.sys[a->sys].groups_online;
}

// Leaving does not write the running configuration to main.cf.
HASPEC_LANDING_MUTANT(LeavingSkipsDiskWrite) {
  auto* a = As<AgentsStopped>(op);
  if (a) {
    // The running configuration is not written: main.cf keeps its own
    // content, a label no running system holds.
    std::uint8_t fresh = 0;
    for (int i = 0; i < o.next.n; ++i) {
      for (std::uint8_t v : {o.next.sys[i].disk_cfg, o.next.sys[i].run_cfg}) {
        if (v != kNoConfig) fresh = std::max<std::uint8_t>(fresh, static_cast<std::uint8_t>(v + 1));
      }
    }
    o.next.sys[a->sys].disk_cfg =
        s.sys[a->sys].disk_cfg == s.sys[a->sys].run_cfg ? fresh : s.sys[a->sys].disk_cfg;
    o.next.sys[a->sys].main_cf = s.sys[a->sys].main_cf;
  }
}

// hastop -force takes the service groups offline.
HASPEC_LANDING_MUTANT(HastopForceStopsGroups) {
  auto* h = As<Hastop>(op);
  if (h && h->force) o.next.sys[h->sys].groups_online = false;
}

// Peers record a system that stopped as FAULTED.
HASPEC_LANDING_MUTANT(ExitSeenAsFaulted) {
  auto* e = As<EngineExited>(op);
  if (e) {
    for (int i = 0; i < o.next.n; ++i) {
      if (o.next.sys[i].ViewOf(e->sys) == View::kExited)
        o.next.sys[i].SetView(e->sys, View::kFaulted);
    }
  }
}

// Peers record a system that failed as EXITED.
HASPEC_LANDING_MUTANT(CrashRecordedAsExited) {
  auto* c = As<Crash>(op);
  if (c) {
    for (int i = 0; i < o.next.n; ++i) {
      if (o.next.sys[i].ViewOf(c->sys) == View::kFaulted)
        o.next.sys[i].SetView(c->sys, View::kExited);
    }
  }
}

// --- Commands -------------------------------------------------------------------

// hasys -delete accepts a FAULTED system.
struct DeletesFaultedSystem : AcceptingMutant<DeletesFaultedSystem> {
  HASPEC_MACHINE_DERIVED(DeletesFaultedSystem)
  static bool Drop(const State& s, const Op& op, RuleId r) {
    auto* d = As<HasysDelete>(op);
    return d && r == RuleId::kPreHasysDelete && ViewOf(s, d->on, d->target) == S::kFaulted;
  }
  static OutcomeT Accept(const State& s, const Op& op) {
    auto* d = As<HasysDelete>(op);
    State p = s;
    p.sys[d->on].SetView(d->target, View::kExited);
    std::vector<RuleId> why;
    VcsSystem::Refusals(p, op, why);
    if (!why.empty()) return Rejected(s, why.front());
    return VcsSystem::Step(p, op);
  }
};

// A system that starts copying a peer does not take the peer's knowledge of
// gone systems: a later joiner shows a FAULTED system as EXITED (never seen),
// so hasys -delete typed on it removes a system that failed.
HASPEC_LANDING_MUTANT(JoinerForgetsGoneSystems) {
  for (int i = 0; i < s.n; ++i) {
    const Sys& a = s.sys[i];
    Sys& b = o.next.sys[i];
    if (b.state != S::kRemoteBuild) continue;
    if (a.state == S::kRemoteBuild && a.source == b.source) continue;
    for (int j = 0; j < s.n; ++j) {
      // Gone before this step and not known to sys<i>: forget the copy.
      if (j != i && !EngineUp(s.sys[j].state) && a.ViewOf(j) == View::kNotSeen) {
        b.SetView(j, View::kNotSeen);
      }
    }
  }
}

// hasys -add accepts a system that already has an entry.
struct HasysAddDuplicates : AcceptingMutant<HasysAddDuplicates> {
  HASPEC_MACHINE_DERIVED(HasysAddDuplicates)
  static bool Drop(const State&, const Op& op, RuleId r) {
    return As<HasysAdd>(op) && r == RuleId::kPreHasysAdd;
  }
  static OutcomeT Accept(const State& s, const Op& op) {
    std::vector<RuleId> why;
    VcsSystem::Refusals(s, op, why);
    if (why.front() != RuleId::kPreHasysAdd) return Rejected(s, why.front());
    State t = s;
    ApplyChange(t);
    return Accepted(t, RuleId::kHasysAdd);
  }
};

// Accepts a configuration command that `Which` refuses, applying the change.
template <class Self>
struct ConfigAccepting : AcceptingMutant<Self> {
  static OutcomeT Accept(const State& s, const Op&) {
    State t = s;
    ApplyChange(t);
    return Accepted(t, RuleId::kConfigChange);
  }
};

// A configuration command typed on a REMOTE_BUILD system is accepted.
struct ConfigChangeDuringRemoteBuild : ConfigAccepting<ConfigChangeDuringRemoteBuild> {
  HASPEC_MACHINE_DERIVED(ConfigChangeDuringRemoteBuild)
  static bool Drop(const State& s, const Op& op, RuleId r) {
    auto* c = As<ConfigChange>(op);
    return c && r == RuleId::kPreConfigRejected && s.sys[c->on].state == S::kRemoteBuild;
  }
};

// Configuration commands are accepted on a joined system that is not RUNNING.
struct ConfigChangeWhenNotRunning : ConfigAccepting<ConfigChangeWhenNotRunning> {
  HASPEC_MACHINE_DERIVED(ConfigChangeWhenNotRunning)
  static bool Drop(const State&, const Op& op, RuleId r) {
    return As<ConfigChange>(op) && r == RuleId::kPreConfigNeedsRunning;
  }
};

// A configuration command "succeeds" on a system whose engine is stopped.
struct CommandsOnStoppedEngine : ConfigAccepting<CommandsOnStoppedEngine> {
  HASPEC_MACHINE_DERIVED(CommandsOnStoppedEngine)
  static bool Drop(const State&, const Op& op, RuleId r) {
    return As<ConfigChange>(op) && r == RuleId::kPreEngineUp;
  }
};

// A configuration change reaches only the system it was typed on.
HASPEC_LANDING_MUTANT(ConfigChangeNotReplicated) {
  auto* c = As<ConfigChange>(op);
  if (c) {
    State t = s;
    std::uint8_t fresh = 0;
    for (int i = 0; i < t.n; ++i) {
      for (std::uint8_t v : {t.sys[i].disk_cfg, t.sys[i].run_cfg, t.sys[i].build_cfg}) {
        if (v != kNoConfig) fresh = std::max<std::uint8_t>(fresh, static_cast<std::uint8_t>(v + 1));
      }
    }
    t.sys[c->on].run_cfg = fresh;
    o.next = t;
  }
}

// Service groups can be brought online on a system that is not RUNNING.
struct GroupsOnlineAnywhere : AcceptingMutant<GroupsOnlineAnywhere> {
  HASPEC_MACHINE_DERIVED(GroupsOnlineAnywhere)
  static bool Drop(const State& s, const Op& op, RuleId r) {
    auto* g = As<GroupOnline>(op);
    return g && r == RuleId::kPreGroupOnline && EngineUp(s.sys[g->sys].state) &&
           !s.sys[g->sys].groups_online;
  }
  static OutcomeT Accept(const State& s, const Op& op) {
    State t = s;
    t.sys[As<GroupOnline>(op)->sys].groups_online = true;
    return Accepted(t, RuleId::kGroupOnline);
  }
};

// --- What peers see --------------------------------------------------------------

// hastatus shows a failed system as EXITED.
struct CrashLooksLikeExit : VcsSystem {
  HASPEC_MACHINE_DERIVED(CrashLooksLikeExit)
  static Observation Observe(const State& s) {
    Observation o = VcsSystem::Observe(s);
    for (auto& row : o.state) {
      for (auto& v : row) {
        if (v == S::kFaulted) v = S::kExited;
      }
    }
    return o;
  }
};

// Peers show a peer in REMOTE_BUILD as RUNNING before its build is done.
struct ObservesBuilderAsRunning : VcsSystem {
  HASPEC_MACHINE_DERIVED(ObservesBuilderAsRunning)
  static Observation Observe(const State& s) {
    Observation o = VcsSystem::Observe(s);
    for (int i = 0; i < s.n; ++i) {
      for (int j = 0; j < s.n; ++j) {
        if (i != j && o.state[i][j] == S::kRemoteBuild) o.state[i][j] = S::kRunning;
      }
    }
    return o;
  }
};

// A configured system an engine never saw is shown as UNKNOWN (the fidelity
// bug of issue 7: UNKNOWN is for systems without an entry).
struct NeverSeenShownUnknown : VcsSystem {
  HASPEC_MACHINE_DERIVED(NeverSeenShownUnknown)
  static Observation Observe(const State& s) {
    Observation o = VcsSystem::Observe(s);
    for (int i = 0; i < s.n; ++i) {
      for (int j = 0; j < s.n; ++j) {
        if (i != j && o.state[i][j] && !EngineUp(s.sys[j].state) &&
            s.sys[i].ViewOf(j) == View::kNotSeen) {
          o.state[i][j] = S::kUnknown;
        }
      }
    }
    return o;
  }
};

static_assert(Machine<TwoLocalBuilds>);
static_assert(Machine<CrashLooksLikeExit>);
static_assert(Machine<HasysAddDuplicates>);

}  // namespace haspec::vcs_system::mutants

#endif  // HASPEC_SUT_VCS_SYSTEM_MUTANTS_H_
