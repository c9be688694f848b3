// Deliberately broken variants of the VCS system-state model. Each breaks one
// documented rule the way a real engine (or a careless model) might; the
// property tests must catch every one (properties/vcs_system/
// vcs_system_mutation_test.cc). They also serve as faulty systems under test.
//
//   static_assert(haspec::Machine<haspec::vcs_system::mutants::TwoLocalBuilds>);
#ifndef HASPEC_SUT_VCS_SYSTEM_MUTANTS_H_
#define HASPEC_SUT_VCS_SYSTEM_MUTANTS_H_

#include <variant>

#include "model/vcs_system/vcs_system.h"

namespace haspec::vcs_system::mutants {

using OutcomeT = VcsSystem::OutcomeT;
using S = SysState;

template <class T>
const T* As(const Op& op) {
  return std::get_if<T>(&op);
}

inline void Move(Sys& x, SysState next) {
  x.prev = x.state;
  x.state = next;
}

inline int FindRunning(const State& s, bool highest) {
  int found = -1;
  for (int i = 0; i < kSystems; ++i) {
    if (s.sys[i].state != S::kRunning) continue;
    found = i;
    if (!highest) break;
  }
  return found;
}

// What the model does for an accepted configuration change, done by hand for
// mutants that accept one the model refuses.
inline void ApplyChange(State& t) {
  for (Sys& x : t.sys) {
    if (x.state == S::kRunning || x.state == S::kLeaving) ++x.run_gen;
    if (x.state == S::kRemoteBuild) ++x.queued;
  }
}

// Systems that were in `from` before the step and are in `to` after it get
// their old record back: "this reaction never happens".
inline void Undo(OutcomeT& o, const State& s, SysState from, SysState to) {
  for (int j = 0; j < kSystems; ++j) {
    if (s.sys[j].state == from && o.next.sys[j].state == to) o.next.sys[j] = s.sys[j];
  }
}

// --- Joining -------------------------------------------------------------------

// A valid joiner builds from disk although a peer is RUNNING.
struct LocalBuildBesideRunningPeer : VcsSystem {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = VcsSystem::Step(s, op);
    auto* d = As<Discover>(op);
    if (d && o.accepted && s.sys[d->sys].state == S::kCurrentDiscoverWait &&
        o.next.sys[d->sys].state == S::kRemoteBuild) {
      Sys& x = o.next.sys[d->sys];
      x.state = S::kLocalBuild;
      x.source = x.snapshot_gen = x.queued = 0;
      o.rule = RuleId::kDiscoverLocalBuild;
    }
    return o;
  }
};

// REMOTE_BUILD copies the highest-numbered RUNNING system.
struct BuildsFromHighestRunning : VcsSystem {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = VcsSystem::Step(s, op);
    auto* d = As<Discover>(op);
    if (d && o.accepted && o.next.sys[d->sys].state == S::kRemoteBuild) {
      int h = FindRunning(s, true);
      o.next.sys[d->sys].source = static_cast<std::uint8_t>(h);
      o.next.sys[d->sys].snapshot_gen = s.sys[h].run_gen;
    }
    return o;
  }
};

// A valid joiner builds from disk while a peer is already in LOCAL_BUILD.
struct TwoLocalBuilds : VcsSystem {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = VcsSystem::Step(s, op);
    auto* d = As<Discover>(op);
    if (d && o.accepted && o.next.sys[d->sys].state == S::kCurrentPeerWait) {
      o.next.sys[d->sys].state = S::kLocalBuild;
      o.rule = RuleId::kDiscoverLocalBuild;
    }
    return o;
  }
};

// A valid joiner builds from disk while peers wait in ADMIN_WAIT.
struct LocalBuildIgnoresAdminWait : VcsSystem {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = VcsSystem::Step(s, op);
    auto* d = As<Discover>(op);
    if (d && o.accepted && s.sys[d->sys].state == S::kCurrentDiscoverWait &&
        o.next.sys[d->sys].state == S::kAdminWait) {
      o.next.sys[d->sys].state = S::kLocalBuild;
      o.rule = RuleId::kDiscoverLocalBuild;
    }
    return o;
  }
};

// A joiner with a RUNNING peer takes the configuration and is RUNNING at once.
struct JoinSkipsBuild : VcsSystem {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = VcsSystem::Step(s, op);
    auto* d = As<Discover>(op);
    if (d && o.accepted && o.next.sys[d->sys].state == S::kRemoteBuild) {
      Sys& x = o.next.sys[d->sys];
      x.run_gen = x.snapshot_gen;
      x.state = S::kRunning;
      x.source = x.snapshot_gen = x.queued = 0;
    }
    return o;
  }
};

// hastart goes straight to the discovery state, skipping INITING.
struct StartsInDiscoverWait : VcsSystem {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = VcsSystem::Step(s, op);
    auto* h = As<Hastart>(op);
    if (h && o.accepted && o.next.sys[h->sys].state == S::kIniting) {
      OutcomeT j = VcsSystem::Step(o.next, Join{h->sys});
      j.next.sys[h->sys].prev = s.sys[h->sys].state;
      j.rule = o.rule;
      return j;
    }
    return o;
  }
};

// A system that started with an invalid configuration joins as CURRENT.
struct StaleJoinsAsCurrent : VcsSystem {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = VcsSystem::Step(s, op);
    auto* j = As<Join>(op);
    if (j && o.accepted && o.next.sys[j->sys].state == S::kStaleDiscoverWait) {
      o.next.sys[j->sys].state = S::kCurrentDiscoverWait;
      o.rule = RuleId::kJoinCurrent;
    }
    return o;
  }
};

// hastart -stale is treated as plain hastart.
struct HastartStaleIgnored : VcsSystem {
  static OutcomeT Step(const State& s, const Op& op) {
    auto* h = As<Hastart>(op);
    if (h && h->mode == StartMode::kStale) return VcsSystem::Step(s, Hastart{h->sys, StartMode::kPlain});
    return VcsSystem::Step(s, op);
  }
};

// hastart -force is treated as plain hastart.
struct HastartForceIgnored : VcsSystem {
  static OutcomeT Step(const State& s, const Op& op) {
    auto* h = As<Hastart>(op);
    if (h && h->mode == StartMode::kForce) return VcsSystem::Step(s, Hastart{h->sys, StartMode::kPlain});
    return VcsSystem::Step(s, op);
  }
};

// A system without an entry in the configuration joins anyway.
struct UnconfiguredSystemJoins : VcsSystem {
  static OutcomeT Step(const State& s, const Op& op) {
    auto* h = As<Hastart>(op);
    if (!h || h->sys >= kSystems || (s.entries & (1u << h->sys))) return VcsSystem::Step(s, op);
    State p = s;
    p.entries = static_cast<std::uint8_t>(p.entries | (1u << h->sys));
    OutcomeT o = VcsSystem::Step(p, op);
    o.next.entries = s.entries;
    return o;
  }
};

// --- Builds ------------------------------------------------------------------

// Changes made during a REMOTE_BUILD are lost when it ends.
struct DropsChangesMadeDuringRemoteBuild : VcsSystem {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = VcsSystem::Step(s, op);
    auto* r = As<RemoteBuildDone>(op);
    if (r && o.accepted) o.next.sys[r->sys].run_gen = s.sys[r->sys].snapshot_gen;
    return o;
  }
};

// An hacf error during LOCAL_BUILD goes unnoticed.
struct IgnoresHacfError : VcsSystem {
  static OutcomeT Step(const State& s, const Op& op) {
    auto* l = As<LocalBuildDone>(op);
    if (l && l->hacf_error) return VcsSystem::Step(s, LocalBuildDone{l->sys, false});
    return VcsSystem::Step(s, op);
  }
};

// Systems waiting for a peer's LOCAL_BUILD keep waiting after it finished.
struct PeerWaitersStayAfterBuild : VcsSystem {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = VcsSystem::Step(s, op);
    if (As<LocalBuildDone>(op)) {
      Undo(o, s, S::kCurrentPeerWait, S::kRemoteBuild);
      Undo(o, s, S::kStalePeerWait, S::kRemoteBuild);
    }
    return o;
  }
};

// Systems waiting for a LOCAL_BUILD keep waiting when the builder is gone.
struct PeerWaitersStranded : VcsSystem {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = VcsSystem::Step(s, op);
    Undo(o, s, S::kCurrentPeerWait, S::kCurrentDiscoverWait);
    Undo(o, s, S::kStalePeerWait, S::kStaleDiscoverWait);
    return o;
  }
};

// STALE_ADMIN_WAIT systems do not notice a peer's LOCAL_BUILD.
struct StaleAdminWaitIgnoresLocalBuild : VcsSystem {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = VcsSystem::Step(s, op);
    Undo(o, s, S::kStaleAdminWait, S::kStalePeerWait);
    return o;
  }
};

// A REMOTE_BUILD carries on after the last RUNNING system left.
struct BuilderKeepsGoingAlone : VcsSystem {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = VcsSystem::Step(s, op);
    Undo(o, s, S::kRemoteBuild, S::kAdminWait);
    return o;
  }
};

// A REMOTE_BUILD keeps copying a source that stopped being RUNNING.
struct SnapshotSourceNotRetaken : VcsSystem {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = VcsSystem::Step(s, op);
    for (int j = 0; j < kSystems; ++j) {
      if (s.sys[j].state == S::kRemoteBuild && o.next.sys[j].state == S::kRemoteBuild &&
          o.next.sys[j].source != s.sys[j].source) {
        o.next.sys[j] = s.sys[j];
      }
    }
    return o;
  }
};

// --- ADMIN_WAIT and STALE_ADMIN_WAIT -------------------------------------------

// ADMIN_WAIT systems retry discovery when another system starts.
struct AdminWaitRetriesDiscovery : VcsSystem {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = VcsSystem::Step(s, op);
    if (As<Hastart>(op) && o.accepted) {
      for (Sys& x : o.next.sys) {
        if (x.state == S::kAdminWait) {
          Move(x, S::kCurrentDiscoverWait);
          x.current = true;
        }
      }
    }
    return o;
  }
};

// STALE_ADMIN_WAIT systems retry discovery when another system starts.
struct StaleAdminWaitRetries : VcsSystem {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = VcsSystem::Step(s, op);
    if (As<Hastart>(op) && o.accepted) {
      for (Sys& x : o.next.sys) {
        if (x.state == S::kStaleAdminWait) Move(x, S::kStaleDiscoverWait);
      }
    }
    return o;
  }
};

// After a forced build the other ADMIN_WAIT systems stay where they are.
struct ForcedBuildLeavesPeersWaiting : VcsSystem {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = VcsSystem::Step(s, op);
    if (As<LocalBuildDone>(op)) Undo(o, s, S::kAdminWait, S::kRemoteBuild);
    return o;
  }
};

// hasys -force also starts a build on a system in STALE_ADMIN_WAIT.
struct HasysForceOnStaleAdminWait : VcsSystem {
  static OutcomeT Step(const State& s, const Op& op) {
    auto* f = As<HasysForce>(op);
    if (!f || f->target >= kSystems || s.sys[f->target].state != S::kStaleAdminWait) {
      return VcsSystem::Step(s, op);
    }
    State p = s;
    p.sys[f->target].state = S::kAdminWait;
    OutcomeT o = VcsSystem::Step(p, op);
    if (o.accepted) o.next.sys[f->target].prev = S::kStaleAdminWait;
    return o.accepted ? o : VcsSystem::Step(s, op);
  }
};

// hasys -force starts a second LOCAL_BUILD beside a running one.
struct SecondForcedBuild : VcsSystem {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = VcsSystem::Step(s, op);
    if (!As<HasysForce>(op) || o.accepted || o.rule != RuleId::kPreForceOneBuild) return o;
    State p = s;
    for (Sys& x : p.sys) {
      if (x.state == S::kLocalBuild) x.state = S::kIniting;
    }
    OutcomeT f = VcsSystem::Step(p, op);
    for (int j = 0; j < kSystems; ++j) {
      if (s.sys[j].state == S::kLocalBuild) f.next.sys[j] = s.sys[j];
    }
    return f;
  }
};

// --- Leaving -------------------------------------------------------------------

// hastop on a RUNNING system skips LEAVING and exits at once.
struct HastopSkipsLeaving : VcsSystem {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = VcsSystem::Step(s, op);
    auto* h = As<Hastop>(op);
    if (h && !h->force && o.accepted && o.next.sys[h->sys].state == S::kLeaving) {
      OutcomeT e = VcsSystem::Step(o.next, AgentsStopped{h->sys});
      e.next.sys[h->sys].prev = S::kRunning;
      e.rule = o.rule;
      return e;
    }
    return o;
  }
};

// Leaving does not take the service groups offline.
struct HastopLeavesGroupsOnline : VcsSystem {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = VcsSystem::Step(s, op);
    auto* a = As<AgentsStopped>(op);
    if (a && o.accepted) o.next.sys[a->sys].groups_online = s.sys[a->sys].groups_online;
    return o;
  }
};

// Leaving does not write the running configuration to main.cf.
struct LeavingSkipsDiskWrite : VcsSystem {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = VcsSystem::Step(s, op);
    auto* a = As<AgentsStopped>(op);
    if (a && o.accepted) {
      o.next.sys[a->sys].disk_gen = s.sys[a->sys].disk_gen;
      o.next.sys[a->sys].main_cf = s.sys[a->sys].main_cf;
    }
    return o;
  }
};

// hastop -force takes the service groups offline.
struct HastopForceStopsGroups : VcsSystem {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = VcsSystem::Step(s, op);
    auto* h = As<Hastop>(op);
    if (h && h->force && o.accepted) o.next.sys[h->sys].groups_online = false;
    return o;
  }
};

// Peers record a system that stopped as FAULTED.
struct ExitSeenAsFaulted : VcsSystem {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = VcsSystem::Step(s, op);
    auto* e = As<EngineExited>(op);
    if (e && o.accepted) {
      for (Sys& x : o.next.sys) {
        if (x.seen[e->sys] == S::kExited) x.seen[e->sys] = S::kFaulted;
      }
    }
    return o;
  }
};

// Peers record a system that failed as EXITED.
struct CrashRecordedAsExited : VcsSystem {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = VcsSystem::Step(s, op);
    auto* c = As<Crash>(op);
    if (c && o.accepted) {
      for (Sys& x : o.next.sys) {
        if (x.seen[c->sys] == S::kFaulted) x.seen[c->sys] = S::kExited;
      }
    }
    return o;
  }
};

// --- Commands -------------------------------------------------------------------

// hasys -delete accepts a FAULTED system.
struct DeletesFaultedSystem : VcsSystem {
  static OutcomeT Step(const State& s, const Op& op) {
    auto* d = As<HasysDelete>(op);
    if (!d || d->target >= kSystems) return VcsSystem::Step(s, op);
    State p = s;
    for (Sys& x : p.sys) {
      if (x.seen[d->target] == S::kFaulted) x.seen[d->target] = S::kExited;
    }
    return VcsSystem::Step(p, op);
  }
};

// A system that starts copying a peer does not take the peer's knowledge of
// gone systems: a later joiner shows a FAULTED system as UNKNOWN, so
// hasys -delete typed on it removes a system that failed.
struct JoinerForgetsGoneSystems : VcsSystem {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = VcsSystem::Step(s, op);
    for (int i = 0; i < kSystems; ++i) {
      const Sys& a = s.sys[i];
      Sys& b = o.next.sys[i];
      if (b.state != S::kRemoteBuild) continue;
      if (a.state == S::kRemoteBuild && a.source == b.source) continue;
      for (int j = 0; j < kSystems; ++j) {
        // Gone before this step and not known to sys<i>: forget the copy.
        if (j != i && !EngineUp(s.sys[j].state) && a.seen[j] == S::kUnknown) b.seen[j] = S::kUnknown;
      }
    }
    return o;
  }
};

// hasys -add accepts a system that already has an entry.
struct HasysAddDuplicates : VcsSystem {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = VcsSystem::Step(s, op);
    if (As<HasysAdd>(op) && o.rule == RuleId::kPreHasysAdd) {
      o.accepted = true;
      o.rule = RuleId::kHasysAdd;
      ApplyChange(o.next);
    }
    return o;
  }
};

// A configuration command typed on a REMOTE_BUILD system is accepted.
struct ConfigChangeDuringRemoteBuild : VcsSystem {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = VcsSystem::Step(s, op);
    auto* c = As<ConfigChange>(op);
    if (c && o.rule == RuleId::kPreConfigRejected && s.sys[c->on].state == S::kRemoteBuild) {
      o.accepted = true;
      o.rule = RuleId::kConfigChange;
      ApplyChange(o.next);
    }
    return o;
  }
};

// Configuration commands are accepted on a joined system that is not RUNNING.
struct ConfigChangeWhenNotRunning : VcsSystem {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = VcsSystem::Step(s, op);
    if (As<ConfigChange>(op) && o.rule == RuleId::kPreConfigNeedsRunning) {
      o.accepted = true;
      o.rule = RuleId::kConfigChange;
      ApplyChange(o.next);
    }
    return o;
  }
};

// A configuration command "succeeds" on a system whose engine is stopped.
struct CommandsOnStoppedEngine : VcsSystem {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = VcsSystem::Step(s, op);
    if (As<ConfigChange>(op) && o.rule == RuleId::kPreEngineUp) {
      o.accepted = true;
      o.rule = RuleId::kConfigChange;
      ApplyChange(o.next);
    }
    return o;
  }
};

// A configuration change reaches only the system it was typed on.
struct ConfigChangeNotReplicated : VcsSystem {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = VcsSystem::Step(s, op);
    auto* c = As<ConfigChange>(op);
    if (c && o.accepted) {
      State t = s;
      ++t.sys[c->on].run_gen;
      o.next = t;
    }
    return o;
  }
};

// Service groups can be brought online on a system that is not RUNNING.
struct GroupsOnlineAnywhere : VcsSystem {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = VcsSystem::Step(s, op);
    auto* g = As<GroupOnline>(op);
    if (g && o.rule == RuleId::kPreGroupOnline && g->sys < kSystems && EngineUp(s.sys[g->sys].state)) {
      o.accepted = true;
      o.rule = RuleId::kGroupOnline;
      o.next.sys[g->sys].groups_online = true;
    }
    return o;
  }
};

// --- What peers see --------------------------------------------------------------

// hastatus shows a failed system as EXITED.
struct CrashLooksLikeExit : VcsSystem {
  static Observation Observe(const State& s) {
    Observation o = VcsSystem::Observe(s);
    for (auto& row : o.table) {
      for (SysState& v : row) {
        if (v == S::kFaulted) v = S::kExited;
      }
    }
    return o;
  }
};

// Peers show a running system in the state it was in before its last change.
struct ObservesPeerLagging : VcsSystem {
  static Observation Observe(const State& s) {
    Observation o = VcsSystem::Observe(s);
    for (int i = 0; i < kSystems; ++i) {
      for (int j = 0; j < kSystems; ++j) {
        if (i != j && (o.listed[i] & (1u << j)) && EngineUp(s.sys[j].state)) o.table[i][j] = s.sys[j].prev;
      }
    }
    return o;
  }
};

// A configured system never seen in the cluster is shown as EXITED.
struct NeverSeenShownExited : VcsSystem {
  static Observation Observe(const State& s) {
    Observation o = VcsSystem::Observe(s);
    for (int i = 0; i < kSystems; ++i) {
      for (int j = 0; j < kSystems; ++j) {
        if (i != j && (o.listed[i] & (1u << j)) && !EngineUp(s.sys[j].state) &&
            o.table[i][j] == S::kUnknown) {
          o.table[i][j] = S::kExited;
        }
      }
    }
    return o;
  }
};

static_assert(Machine<TwoLocalBuilds>);
static_assert(Machine<CrashLooksLikeExit>);

}  // namespace haspec::vcs_system::mutants

#endif  // HASPEC_SUT_VCS_SYSTEM_MUTANTS_H_
