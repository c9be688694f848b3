#include "model/vcs_system/vcs_system.h"

#include <algorithm>
#include <cstddef>

#include "model/core/hash.h"

namespace haspec::vcs_system {
namespace {

constexpr Rule kRules[] = {
#define HASPEC_RULE HASPEC_RULE_ENTRY
#include "model/vcs_system/rules.def"
#undef HASPEC_RULE
};

constexpr auto kStatusList = StatusInfos(kSysStateNames);

using OutcomeT = VcsSystem::OutcomeT;
using FindingT = VcsSystem::FindingT;
using S = SysState;

// A label no normalized state holds: the configuration a change creates.
constexpr std::uint8_t kFresh = 0xfe;

constexpr SystemSet Bit(int i) { return static_cast<SystemSet>(1u << i); }
bool HasEntry(const State& s, int i) { return (s.entries & Bit(i)) != 0; }

int Count(const State& s, SysState st) {
  int c = 0;
  for (int i = 0; i < s.n; ++i) c += s.sys[i].state == st;
  return c;
}

// The lowest-numbered RUNNING system, or -1.
int LowestRunning(const State& s) {
  for (int i = 0; i < s.n; ++i) {
    if (s.sys[i].state == S::kRunning) return i;
  }
  return -1;
}

bool IsPeerWait(SysState st) { return st == S::kCurrentPeerWait || st == S::kStalePeerWait; }
bool IsDiscoverWait(SysState st) {
  return st == S::kCurrentDiscoverWait || st == S::kStaleDiscoverWait;
}
// States where `current` (started treating main.cf as valid) means something.
bool KeepsCurrent(SysState st) {
  return st == S::kIniting || st == S::kCurrentDiscoverWait || st == S::kCurrentPeerWait ||
         st == S::kStaleDiscoverWait || st == S::kStalePeerWait || st == S::kStaleAdminWait;
}
// An engine that records how peers leave: joined, so not UNKNOWN.
bool Watches(SysState st) { return EngineUp(st) && st != S::kUnknown; }

std::string StateName(SysState st) { return std::string(kSysStateNames.Name(st)); }

// Clears what means nothing in a system's state and renumbers configuration
// labels in order of first appearance, so equal situations compare equal and
// labels never grow.
void Normalize(State& t) {
  std::array<std::uint8_t, 256> map;
  map.fill(kNoConfig);
  std::uint8_t next = 0;
  auto relabel = [&](std::uint8_t& v) {
    if (v == kNoConfig) return;
    if (map[v] == kNoConfig) map[v] = next++;
    v = map[v];
  };
  // Views of subjects that are themselves, up, without an entry or beyond
  // the configuration are kNotSeen: a mask of the 2-bit views kept.
  std::uint32_t seen = 0;
  for (int j = 0; j < t.n; ++j) {
    if (!EngineUp(t.sys[j].state) && HasEntry(t, j)) seen |= 3u << (2 * j);
  }
  for (int i = 0; i < t.n; ++i) {
    Sys& x = t.sys[i];
    const S st = x.state;
    if (!KeepsCurrent(st)) x.current = false;
    if (st != S::kRunning && st != S::kLeaving) x.run_cfg = kNoConfig;
    if (st != S::kRemoteBuild) {
      x.source = 0;
      x.snapshot_cfg = kNoConfig;
      x.build_cfg = kNoConfig;
    }
    x.views = Watches(st) ? x.views & seen & ~(3u << (2 * i)) : 0;
  }
  for (int i = t.n; i < kMaxSystems; ++i) t.sys[i] = Sys{};
  for (int i = 0; i < t.n; ++i) {
    Sys& x = t.sys[i];
    relabel(x.disk_cfg);
    relabel(x.run_cfg);
    relabel(x.snapshot_cfg);
    relabel(x.build_cfg);
  }
  t.entries = static_cast<SystemSet>(t.entries & ((1u << t.n) - 1));
}

// Moves sys<i> to `next`. An engine that goes is recorded by every watching
// peer as it went (EXITED or FAULTED).
void Enter(State& t, int i, SysState next) {
  t.sys[i].state = next;
  if (!EngineUp(next)) {
    const View v = next == S::kFaulted ? View::kFaulted : View::kExited;
    for (int o = 0; o < t.n; ++o) {
      if (o != i && Watches(t.sys[o].state)) t.sys[o].SetView(i, v);
    }
  }
}

void StartRemoteBuild(State& t, int i, int source) {
  Enter(t, i, S::kRemoteBuild);
  Sys& x = t.sys[i];
  x.source = static_cast<std::uint8_t>(source);
  x.snapshot_cfg = t.sys[source].run_cfg;
  x.build_cfg = t.sys[source].run_cfg;
  // The snapshot carries the cluster's view of gone systems too: the copier
  // learns the departures it did not watch itself.
  for (int j = 0; j < t.n; ++j) {
    if (j != i && x.ViewOf(j) == View::kNotSeen) x.SetView(j, t.sys[source].ViewOf(j));
  }
}

// sys<i> enters LOCAL_BUILD; systems in STALE_ADMIN_WAIT start waiting for
// it. Returns whether any did.
bool StartLocalBuild(State& t, int i) {
  Enter(t, i, S::kLocalBuild);
  bool moved = false;
  for (int j = 0; j < t.n; ++j) {
    if (t.sys[j].state == S::kStaleAdminWait) {
      Enter(t, j, S::kStalePeerWait);
      moved = true;
    }
  }
  return moved;
}

// The LOCAL_BUILD peer failed or left: waiters decide again.
bool ReleasePeerWaiters(State& t) {
  bool moved = false;
  for (int j = 0; j < t.n; ++j) {
    const S st = t.sys[j].state;
    if (st == S::kCurrentPeerWait) {
      Enter(t, j, S::kCurrentDiscoverWait);
      moved = true;
    } else if (st == S::kStalePeerWait) {
      Enter(t, j, S::kStaleDiscoverWait);
      moved = true;
    }
  }
  return moved;
}

// sys<i> just stopped being `old`. Whatever depended on it reacts; `rule` is
// replaced by the consequence when there is one. With `alternatives`, also
// appends the landings the documents allow where an assumption chose.
void AfterDeparture(State& t, int i, SysState old, RuleId& rule,
                    std::vector<State>* retakes = nullptr) {
  if (old == S::kRunning) {
    const int lowest = LowestRunning(t);
    for (int j = 0; j < t.n; ++j) {
      if (t.sys[j].state != S::kRemoteBuild) continue;
      if (lowest < 0) {
        Enter(t, j, S::kAdminWait);
        rule = RuleId::kLastRunningLeaves;
      } else if (t.sys[j].source == i) {
        if (retakes) {
          // Documented alternative: the build starts over from any RUNNING peer.
          for (int r = lowest + 1; r < t.n; ++r) {
            if (t.sys[r].state != S::kRunning) continue;
            State alt = t;
            StartRemoteBuild(alt, j, r);
            retakes->push_back(alt);
          }
        }
        StartRemoteBuild(t, j, lowest);
        rule = RuleId::kSnapshotSourceLeaves;
      }
    }
  } else if (old == S::kLocalBuild) {
    if (ReleasePeerWaiters(t)) rule = RuleId::kBuilderLost;
  }
}

// Every member gets a configuration change at once; builders queue it.
void ApplyConfigChange(State& t) {
  for (int i = 0; i < t.n; ++i) {
    Sys& x = t.sys[i];
    if ((x.state == S::kRunning || x.state == S::kLeaving) && x.run_cfg != kNoConfig) {
      x.run_cfg = kFresh;
    } else if (x.state == S::kRemoteBuild) {
      x.build_cfg = kFresh;
    }
  }
}

// The guards every configuration command shares, in reporting order.
void ConfigCommandRefusals(const State& s, int on, std::vector<RuleId>& out) {
  const S st = s.sys[on].state;
  if (!EngineUp(st)) {
    out.push_back(RuleId::kPreEngineUp);
  } else if (st == S::kLeaving || st == S::kRemoteBuild || st == S::kAdminWait) {
    out.push_back(RuleId::kPreConfigRejected);
  } else if (st != S::kRunning) {
    out.push_back(RuleId::kPreConfigNeedsRunning);
  }
}

OutcomeT Landing(State t, RuleId rule) {
  Normalize(t);
  return Accepted(t, rule);
}

struct Refuser {
  const State& s;
  std::vector<RuleId>& out;
  S St(int i) const { return s.sys[i].state; }

  void operator()(const Hastart& op) const {
    if (EngineUp(St(op.sys))) out.push_back(RuleId::kPreHastartRunning);
  }
  void operator()(const Join& op) const {
    if (St(op.sys) != S::kIniting) out.push_back(RuleId::kPreJoinIniting);
  }
  void operator()(const Discover& op) const {
    if (!IsDiscoverWait(St(op.sys))) out.push_back(RuleId::kPreDiscoverWait);
  }
  void operator()(const LocalBuildDone& op) const {
    if (St(op.sys) != S::kLocalBuild) out.push_back(RuleId::kPreLocalBuildDone);
  }
  void operator()(const RemoteBuildDone& op) const {
    if (St(op.sys) != S::kRemoteBuild) out.push_back(RuleId::kPreRemoteBuildDone);
  }
  void operator()(const ConfigChange& op) const { ConfigCommandRefusals(s, op.on, out); }
  void operator()(const HasysForce& op) const {
    if (St(op.target) != S::kAdminWait) out.push_back(RuleId::kPreHasysForce);
    for (int j = 0; j < s.n; ++j) {
      if (j != op.target && St(j) == S::kLocalBuild) {
        out.push_back(RuleId::kPreForceOneBuild);
        break;
      }
    }
  }
  void operator()(const HasysDelete& op) const {
    ConfigCommandRefusals(s, op.on, out);
    if (!HasEntry(s, op.target)) {
      out.push_back(RuleId::kPreHasysDeleteNoEntry);
    } else if (EngineUp(St(op.on))) {
      const S view = ViewOf(s, op.on, op.target);
      if (view != S::kExited && view != S::kUnknown) out.push_back(RuleId::kPreHasysDelete);
    }
  }
  void operator()(const HasysAdd& op) const {
    ConfigCommandRefusals(s, op.on, out);
    if (HasEntry(s, op.target)) out.push_back(RuleId::kPreHasysAdd);
  }
  void operator()(const Hastop& op) const {
    const S st = St(op.sys);
    if (!EngineUp(st)) {
      out.push_back(RuleId::kPreEngineUp);
    } else if (st == S::kExiting || st == S::kExitingForcibly || (st == S::kLeaving && !op.force)) {
      out.push_back(RuleId::kPreHastopStopping);
    }
  }
  void operator()(const AgentsStopped& op) const {
    if (St(op.sys) != S::kLeaving) out.push_back(RuleId::kPreAgentsStopped);
  }
  void operator()(const EngineExited& op) const {
    if (St(op.sys) != S::kExiting && St(op.sys) != S::kExitingForcibly) {
      out.push_back(RuleId::kPreEngineExited);
    }
  }
  void operator()(const Crash& op) const {
    if (!EngineUp(St(op.sys))) out.push_back(RuleId::kPreCrashNoEngine);
  }
  void operator()(const GroupOnline& op) const {
    if (St(op.sys) != S::kRunning) out.push_back(RuleId::kPreGroupOnline);
    if (s.sys[op.sys].groups_online) out.push_back(RuleId::kPreGroupsOnline);
  }
  void operator()(const EditMainCf& op) const {
    if (s.sys[op.sys].main_cf == op.main_cf) out.push_back(RuleId::kPreEditSame);
  }
};

struct Effector {
  const State& s;
  std::vector<OutcomeT>& out;
  S St(int i) const { return s.sys[i].state; }

  void operator()(const Hastart& op) const {
    if (EngineUp(St(op.sys))) return;
    State t = s;
    for (int o = 0; o < t.n; ++o) t.sys[o].SetView(op.sys, View::kNotSeen);
    t.sys[op.sys].views = 0;  // a fresh engine has seen nobody leave
    if (!HasEntry(s, op.sys)) {
      Enter(t, op.sys, S::kUnknown);
      out.push_back(Landing(t, RuleId::kHastartUnknown));
      return;
    }
    Enter(t, op.sys, S::kIniting);
    Sys& x = t.sys[op.sys];
    switch (op.mode) {
      case StartMode::kPlain:
        x.current = x.main_cf == MainCf::kValid;
        out.push_back(Landing(t, RuleId::kHastart));
        return;
      case StartMode::kStale:
        x.current = false;
        out.push_back(Landing(t, RuleId::kHastartStale));
        return;
      case StartMode::kForce:
        x.current = x.main_cf != MainCf::kInvalid;
        out.push_back(Landing(t, RuleId::kHastartForce));
        return;
    }
  }

  void operator()(const Join& op) const {
    if (St(op.sys) != S::kIniting) return;
    State t = s;
    const bool current = s.sys[op.sys].current;
    Enter(t, op.sys, current ? S::kCurrentDiscoverWait : S::kStaleDiscoverWait);
    out.push_back(Landing(t, current ? RuleId::kJoinCurrent : RuleId::kJoinStale));
  }

  void operator()(const Discover& op) const {
    const S st = St(op.sys);
    if (!IsDiscoverWait(st)) return;
    const bool valid = st == S::kCurrentDiscoverWait;
    State t = s;
    if (int r = LowestRunning(s); r >= 0) {
      StartRemoteBuild(t, op.sys, r);
      out.push_back(Landing(
          t, Count(s, S::kRunning) > 1 ? RuleId::kBuildFromLowest : RuleId::kDiscoverRemoteBuild));
      return;
    }
    if (Count(s, S::kLocalBuild) > 0) {
      Enter(t, op.sys, valid ? S::kCurrentPeerWait : S::kStalePeerWait);
      out.push_back(
          Landing(t, valid ? RuleId::kDiscoverCurrentPeerWait : RuleId::kDiscoverStalePeerWait));
      return;
    }
    if (Count(s, S::kAdminWait) > 0) {
      Enter(t, op.sys, S::kAdminWait);
      out.push_back(Landing(t, RuleId::kDiscoverAdminWait));
      if (!valid) {
        // Dossier V17 / E6 are [RECON]. Seed 004's STALE_ADMIN_WAIT ("no other
        // system in the state of RUNNING from which to retrieve a
        // configuration") also holds beside ADMIN_WAIT peers.
        State alt = s;
        Enter(alt, op.sys, S::kStaleAdminWait);
        Normalize(alt);
        out.push_back(Departing(alt, RuleId::kDiscoverStaleAdminWait, RuleId::kDiscoverAdminWait));
      }
      return;
    }
    if (valid) {
      const bool moved = StartLocalBuild(t, op.sys);
      out.push_back(
          Landing(t, moved ? RuleId::kStaleAdminToPeerWait : RuleId::kDiscoverLocalBuild));
      return;
    }
    Enter(t, op.sys, S::kStaleAdminWait);
    out.push_back(Landing(t, RuleId::kDiscoverStaleAdminWait));
  }

  void operator()(const LocalBuildDone& op) const {
    if (St(op.sys) != S::kLocalBuild) return;
    State t = s;
    if (op.hacf_error || s.sys[op.sys].main_cf == MainCf::kInvalid) {
      Enter(t, op.sys, S::kAdminWait);
      // Released before the landing copies t: in one call the order the
      // arguments are evaluated in is unspecified (clang copied t first).
      const bool released = ReleasePeerWaiters(t);
      out.push_back(Landing(t, released ? RuleId::kBuilderLost : RuleId::kHacfError));
      return;
    }
    t.sys[op.sys].run_cfg = s.sys[op.sys].disk_cfg;
    Enter(t, op.sys, S::kRunning);
    RuleId rule = RuleId::kLocalBuildDone;
    for (int j = 0; j < t.n; ++j) {
      const S st = t.sys[j].state;
      if (st == S::kAdminWait) {
        StartRemoteBuild(t, j, op.sys);
        if (rule == RuleId::kLocalBuildDone) rule = RuleId::kForcedBuildPeers;
      } else if (IsPeerWait(st)) {
        StartRemoteBuild(t, j, op.sys);
        rule = RuleId::kPeerBuildDone;
      }
    }
    out.push_back(Landing(t, rule));
  }

  void operator()(const RemoteBuildDone& op) const {
    if (St(op.sys) != S::kRemoteBuild) return;
    State t = s;
    t.sys[op.sys].run_cfg = s.sys[op.sys].build_cfg;
    Enter(t, op.sys, S::kRunning);
    out.push_back(Landing(t, RuleId::kRemoteBuildDone));
  }

  void operator()(const ConfigChange& op) const {
    if (!EngineUp(St(op.on))) return;
    State t = s;
    ApplyConfigChange(t);
    out.push_back(Landing(t, RuleId::kConfigChange));
  }

  void operator()(const HasysForce& op) const {
    if (St(op.target) != S::kAdminWait) return;
    State t = s;
    // Another system building from disk (the model refuses this force, by
    // VCS-PRE-FORCE-ONE-BUILD, an assumption): the documents allow the
    // force, and the cluster then uses the forced system's main.cf, so the
    // earlier build stops and that system waits for the forced one. Two
    // builds from disk would break the documented VCS-INV-LOCAL-BUILD-ALONE
    // and VCS-INV-SAME-CONFIG once one of them finishes.
    RuleId rule = RuleId::kHasysForce;
    for (int j = 0; j < t.n; ++j) {
      if (j == op.target || t.sys[j].state != S::kLocalBuild) continue;
      Enter(t, j, S::kCurrentPeerWait);
      t.sys[j].current = true;  // it was building from its main.cf: treated as valid
      rule = RuleId::kForceSupersedesBuild;
    }
    StartLocalBuild(t, op.target);
    out.push_back(Landing(t, rule));
  }

  void operator()(const HasysDelete& op) const {
    if (!EngineUp(St(op.on)) || !HasEntry(s, op.target)) return;
    State t = s;
    t.entries = static_cast<SystemSet>(t.entries & ~Bit(op.target));
    ApplyConfigChange(t);
    out.push_back(Landing(t, RuleId::kHasysDelete));
  }

  void operator()(const HasysAdd& op) const {
    if (!EngineUp(St(op.on)) || HasEntry(s, op.target)) return;
    State t = s;
    t.entries = static_cast<SystemSet>(t.entries | Bit(op.target));
    for (int o = 0; o < t.n; ++o) t.sys[o].SetView(op.target, View::kNotSeen);
    ApplyConfigChange(t);
    out.push_back(Landing(t, RuleId::kHasysAdd));
  }

  void operator()(const Hastop& op) const {
    const S old = St(op.sys);
    if (!EngineUp(old) || old == S::kExiting || old == S::kExitingForcibly) return;
    if (old == S::kLeaving && !op.force) return;
    State t = s;
    RuleId rule;
    std::vector<State> retakes;
    std::optional<State> leaving_alt;
    if (op.force) {
      Enter(t, op.sys, S::kExitingForcibly);
      rule = s.sys[op.sys].groups_online ? RuleId::kHastopForceGroupsRun
             : old == S::kRunning        ? RuleId::kHastopForce
                                         : RuleId::kHastopForceOther;
    } else if (old == S::kRunning) {
      Enter(t, op.sys, S::kLeaving);
      rule = RuleId::kHastop;
    } else {
      // S-VCS41-STOP describes hastop as entering LEAVING without naming the
      // state it starts from: LEAVING (holding no running configuration) is
      // a documented landing too.
      State alt = s;
      Enter(alt, op.sys, S::kLeaving);
      RuleId alt_rule = RuleId::kHastop;
      AfterDeparture(alt, op.sys, old, alt_rule);
      leaving_alt = alt;
      t.sys[op.sys].groups_online = false;
      Enter(t, op.sys, S::kExiting);
      rule = RuleId::kHastopNotRunning;
    }
    AfterDeparture(t, op.sys, old, rule, &retakes);
    out.push_back(Landing(t, rule));
    for (State& r : retakes) {
      Normalize(r);
      out.push_back(Departing(r, RuleId::kDiscoverRemoteBuild, RuleId::kSnapshotSourceLeaves));
    }
    if (leaving_alt) {
      Normalize(*leaving_alt);
      out.push_back(Departing(*leaving_alt, RuleId::kHastop, RuleId::kHastopNotRunning));
    }
  }

  void operator()(const AgentsStopped& op) const {
    if (St(op.sys) != S::kLeaving) return;
    State t = s;
    Sys& x = t.sys[op.sys];
    x.groups_online = false;
    if (x.run_cfg != kNoConfig) {
      x.disk_cfg = x.run_cfg;
      x.main_cf = MainCf::kValid;
    }
    Enter(t, op.sys, S::kExiting);
    out.push_back(Landing(t, RuleId::kAgentsStopped));
  }

  void operator()(const EngineExited& op) const {
    const S old = St(op.sys);
    if (old != S::kExiting && old != S::kExitingForcibly) return;
    State t = s;
    Enter(t, op.sys, S::kExited);
    if (old == S::kExiting) {
      out.push_back(Landing(t, RuleId::kExited));
      return;
    }
    out.push_back(Landing(t, RuleId::kForcedExited));
    // Dossier V23's step to EXITED is [RECON]; seed 004 does not say how
    // peers show a forcibly stopped system once its engine is gone. FAULTED
    // ("left the cluster unexpectedly") is the other documented way out.
    State alt = s;
    Enter(alt, op.sys, S::kFaulted);
    Normalize(alt);
    out.push_back(Departing(alt, RuleId::kCrash, RuleId::kForcedExited));
  }

  void operator()(const Crash& op) const {
    const S old = St(op.sys);
    if (!EngineUp(old)) return;
    State t = s;
    t.sys[op.sys].groups_online = false;
    Enter(t, op.sys, S::kFaulted);
    RuleId rule = RuleId::kCrash;
    std::vector<State> retakes;
    AfterDeparture(t, op.sys, old, rule, &retakes);
    out.push_back(Landing(t, rule));
    for (State& r : retakes) {
      Normalize(r);
      out.push_back(Departing(r, RuleId::kDiscoverRemoteBuild, RuleId::kSnapshotSourceLeaves));
    }
  }

  void operator()(const GroupOnline& op) const {
    if (s.sys[op.sys].groups_online) return;
    State t = s;
    t.sys[op.sys].groups_online = true;
    out.push_back(Landing(t, RuleId::kGroupOnline));
  }

  void operator()(const EditMainCf& op) const {
    if (s.sys[op.sys].main_cf == op.main_cf) return;
    State t = s;
    t.sys[op.sys].main_cf = op.main_cf;
    out.push_back(Landing(t, RuleId::kEditMainCf));
  }
};

// The op's system fields, for a range check before indexing.
bool InRange(const State& s, const Op& op) {
  return std::visit(
      [&](const auto& o) {
        using T = std::remove_cvref_t<decltype(o)>;
        bool ok = true;
        ForEachField<T>([&](const auto& f) {
          if constexpr (std::is_same_v<typename std::remove_cvref_t<decltype(f)>::DomainType,
                                       NodeDomain>) {
            ok = ok && f.Get(o) >= 0 && f.Get(o) < s.n;
          }
        });
        return ok;
      },
      op);
}

}  // namespace

SysState ViewOf(const State& st, int o, int subject) {
  const Sys& x = st.sys[subject];
  if (o == subject || EngineUp(x.state)) return x.state;
  if (!HasEntry(st, subject)) return S::kUnknown;
  switch (st.sys[o].ViewOf(subject)) {
    case View::kFaulted:
      return S::kFaulted;
    case View::kExited:
      return S::kExited;
    case View::kNotSeen:
      break;
  }
  return S::kExited;  // VCS-OBS-NOT-SEEN-EXITED
}

SystemSet ListedBy(const State& st, int o) {
  const S own = st.sys[o].state;
  if (!EngineUp(own)) return 0;
  if (own == S::kUnknown) return Bit(o);
  return static_cast<SystemSet>(st.entries | Bit(o));
}

std::span<const Rule> VcsSystem::Rules() { return kRules; }
std::span<const StatusInfo> VcsSystem::Statuses() { return kStatusList; }
std::span<const StatusChange> VcsSystem::StatusChanges() {
  static constexpr StatusChange kChanges[] = {
#define HASPEC_STATUS_CHANGE HASPEC_STATUS_CHANGE_ENTRY
#include "model/vcs_system/status_changes.def"
#undef HASPEC_STATUS_CHANGE
  };
  return kChanges;
}

Config VcsSystem::DefaultConfig() { return Config{}; }

State VcsSystem::Initial(const Config& c) {
  State s;
  s.n = static_cast<std::uint8_t>(std::min<std::size_t>(c.nodes.size(), kMaxSystems));
  const SystemSet all = static_cast<SystemSet>((1u << s.n) - 1);
  s.entries = static_cast<SystemSet>(all & ~c.no_entry);
  for (int i = 0; i < s.n; ++i) {
    Sys& x = s.sys[i];
    x.main_cf = (c.invalid & Bit(i)) ? MainCf::kInvalid
                : (c.stale & Bit(i)) ? MainCf::kStale
                                     : MainCf::kValid;
  }
  Normalize(s);
  return s;
}

State VcsSystem::Canonical(const State& s) {
  State t = s;
  Normalize(t);
  return t;
}

void VcsSystem::Refusals(const State& s, const Op& op, std::vector<RuleId>& out) {
  if (!InRange(s, op)) {
    // Outside the configuration: no system of that number exists to act on.
    out.push_back(IsOp<Hastart>(op) ? RuleId::kPreHastartRunning : RuleId::kPreEngineUp);
    return;
  }
  std::visit(Refuser{s, out}, op);
}

void VcsSystem::Effects(const State& s, const Op& op, std::vector<OutcomeT>& out) {
  if (!InRange(s, op)) return;
  std::visit(Effector{s, out}, op);
}

// Each state offers what can happen next to that system plus the
// disruptions that matter there, so random walks reach RUNNING and back
// often; rejected probes cover each refusal rule without drowning the rest.
void VcsSystem::CandidateOps(const State& s, std::vector<Op>& out) {
  for (int i = 0; i < s.n; ++i) {
    const auto n = static_cast<std::uint8_t>(i);
    const Sys& x = s.sys[i];
    if (!EngineUp(x.state)) {
      out.push_back(Hastart{n, StartMode::kPlain});
      out.push_back(Hastart{n, StartMode::kPlain});
      out.push_back(Hastart{n, StartMode::kStale});
      out.push_back(Hastart{n, StartMode::kForce});
      out.push_back(ConfigChange{n});           // refused: engine down
      out.push_back(Crash{n});                  // refused: nothing to fail
      out.push_back(EngineExited{n});           // refused: not exiting
      out.push_back(EditMainCf{n, x.main_cf});  // refused: no change
      for (int m = 0; m < 3; ++m) {
        if (static_cast<MainCf>(m) != x.main_cf) {
          out.push_back(EditMainCf{n, static_cast<MainCf>(m)});
        }
      }
      continue;
    }
    switch (x.state) {
      case S::kIniting:
        out.push_back(Join{n});
        out.push_back(Join{n});
        out.push_back(Discover{n});  // refused: not discovering yet
        break;
      case S::kCurrentDiscoverWait:
      case S::kStaleDiscoverWait:
        out.push_back(Discover{n});
        out.push_back(Discover{n});
        out.push_back(ConfigChange{n});  // refused: not RUNNING
        break;
      case S::kCurrentPeerWait:
      case S::kStalePeerWait:
      case S::kUnknown:
        out.push_back(Hastop{n, false});
        out.push_back(Join{n});  // refused
        break;
      case S::kStaleAdminWait:
        out.push_back(HasysForce{n});  // refused: only ADMIN_WAIT is forced
        out.push_back(Hastop{n, false});
        out.push_back(Hastop{n, true});
        out.push_back(ConfigChange{n});
        break;
      case S::kAdminWait:
        out.push_back(HasysForce{n});
        out.push_back(HasysForce{n});
        out.push_back(GroupOnline{n});  // refused: not RUNNING
        out.push_back(Hastop{n, false});
        out.push_back(ConfigChange{n});
        break;
      case S::kLocalBuild:
        out.push_back(LocalBuildDone{n, false});
        out.push_back(LocalBuildDone{n, false});
        out.push_back(LocalBuildDone{n, true});
        out.push_back(Hastop{n, false});
        out.push_back(RemoteBuildDone{n});  // refused
        break;
      case S::kRemoteBuild:
        out.push_back(RemoteBuildDone{n});
        out.push_back(RemoteBuildDone{n});
        out.push_back(ConfigChange{n});
        out.push_back(Hastop{n, false});
        out.push_back(LocalBuildDone{n, false});  // refused
        break;
      case S::kRunning:
        out.push_back(GroupOnline{n});
        out.push_back(ConfigChange{n});
        out.push_back(Hastop{n, false});
        out.push_back(Hastop{n, true});
        out.push_back(Hastart{n, StartMode::kPlain});  // refused: already running
        for (int j = 0; j < s.n; ++j) {
          const auto m = static_cast<std::uint8_t>(j);
          if (HasEntry(s, j)) {
            out.push_back(HasysDelete{n, m});
          } else {
            out.push_back(HasysAdd{n, m});
            out.push_back(HasysDelete{n, m});  // refused: no entry to delete
          }
        }
        out.push_back(HasysAdd{n, n});  // refused: it has an entry
        break;
      case S::kLeaving:
        out.push_back(AgentsStopped{n});
        out.push_back(AgentsStopped{n});
        out.push_back(GroupOnline{n});  // refused: not RUNNING
        out.push_back(Hastop{n, true});
        out.push_back(Hastop{n, false});  // refused: already leaving
        out.push_back(ConfigChange{n});
        break;
      case S::kExiting:
      case S::kExitingForcibly:
        out.push_back(EngineExited{n});
        out.push_back(EngineExited{n});
        out.push_back(Hastop{n, true});  // refused: already exiting
        break;
      default:
        break;
    }
    out.push_back(Crash{n});
    if (x.state != S::kRunning) out.push_back(AgentsStopped{n});  // mostly refused
  }
}

void VcsSystem::CheckInvariants(const State& s, std::vector<FindingT>& out,
                                std::vector<RuleId>* premises) {
  int running = 0, local_build = 0, admin_wait = 0, remote_build = 0;
  int first_running = -1;
  bool same_config = true;
  for (int i = 0; i < s.n; ++i) {
    const Sys& x = s.sys[i];
    switch (x.state) {
      case S::kRunning:
        ++running;
        if (first_running < 0) {
          first_running = i;
        } else if (x.run_cfg != s.sys[first_running].run_cfg) {
          same_config = false;
        }
        break;
      case S::kLocalBuild:
        ++local_build;
        break;
      case S::kAdminWait:
        ++admin_wait;
        break;
      case S::kRemoteBuild:
        ++remote_build;
        break;
      default:
        break;
    }
  }
  auto premise = [&](RuleId r) {
    if (premises && std::find(premises->begin(), premises->end(), r) == premises->end()) {
      premises->push_back(r);
    }
  };
  auto sys = [&](int i) { return "system " + std::to_string(i); };
  if (running > 1) premise(RuleId::kInvSameConfig);
  if (local_build > 0) premise(RuleId::kInvOneLocalBuild);
  for (int i = 0; i < s.n; ++i) {
    const Sys& x = s.sys[i];
    const S st = x.state;
    if (st == S::kLocalBuild) {
      premise(RuleId::kInvLocalBuildAlone);
      if (running + remote_build > 0) {
        out.push_back({RuleId::kInvLocalBuildAlone,
                       sys(i) + " is LOCAL_BUILD while " + std::to_string(running) +
                           " system(s) are RUNNING and " + std::to_string(remote_build) +
                           " REMOTE_BUILD"});
      }
    }
    if (st == S::kAdminWait) {
      premise(RuleId::kInvAdminWaitNoRunning);
      if (running > 0) {
        out.push_back({RuleId::kInvAdminWaitNoRunning,
                       sys(i) + " is ADMIN_WAIT while " + sys(first_running) + " is RUNNING"});
      }
    }
    if (st == S::kStaleAdminWait) {
      premise(RuleId::kInvStaleAdminNoSource);
      if (running + local_build > 0) {
        out.push_back({RuleId::kInvStaleAdminNoSource,
                       sys(i) + " is STALE_ADMIN_WAIT while " + std::to_string(running) +
                           " system(s) are RUNNING and " + std::to_string(local_build) +
                           " in LOCAL_BUILD"});
      }
    }
    if (IsPeerWait(st)) {
      premise(RuleId::kInvPeerWaitHasBuilder);
      if (local_build == 0) {
        out.push_back({RuleId::kInvPeerWaitHasBuilder,
                       sys(i) + " is " + StateName(st) + " but no system is in LOCAL_BUILD"});
      }
    }
    if (st == S::kRemoteBuild) {
      premise(RuleId::kInvRemoteBuildSource);
      if (x.source == i || x.source >= s.n || s.sys[x.source].state != S::kRunning) {
        out.push_back({RuleId::kInvRemoteBuildSource, sys(i) + " is REMOTE_BUILD from " +
                                                          sys(x.source) + ", which is " +
                                                          StateName(s.sys[x.source % s.n].state)});
      }
    }
    const bool wants_current = st == S::kCurrentDiscoverWait || st == S::kCurrentPeerWait;
    const bool wants_stale =
        st == S::kStaleDiscoverWait || st == S::kStalePeerWait || st == S::kStaleAdminWait;
    if (wants_current || wants_stale) premise(RuleId::kInvCurrentStale);
    if ((wants_current && !x.current) || (wants_stale && x.current)) {
      out.push_back(
          {RuleId::kInvCurrentStale, sys(i) + " is " + StateName(st) +
                                         " but started with a configuration it treats as " +
                                         (x.current ? "valid" : "invalid")});
    }
    if (st == S::kExiting) {
      premise(RuleId::kInvStopTakesGroupsOffline);
      if (x.groups_online) {
        out.push_back({RuleId::kInvStopTakesGroupsOffline,
                       sys(i) + " is EXITING after hastop without -force but its service "
                                "groups are online"});
      }
    }
    if (Watches(st)) {
      for (int j = 0; j < s.n; ++j) {
        const View v = x.ViewOf(j);
        if (j == i || v == View::kNotSeen) continue;
        premise(RuleId::kInvViewOfGone);
        const S real = s.sys[j].state;
        const bool ok = (v == View::kFaulted && real == S::kFaulted) ||
                        (v == View::kExited && real == S::kExited);
        if (!ok) {
          out.push_back({RuleId::kInvViewOfGone,
                         sys(i) + " shows " + sys(j) + " as " +
                             (v == View::kFaulted ? "FAULTED" : "EXITED") + " but " + sys(j) +
                             (EngineUp(real) ? " is running (" : " left as ") + StateName(real) +
                             (EngineUp(real) ? ")" : "")});
        }
      }
    }
  }
  if (local_build > 1) {
    out.push_back({RuleId::kInvOneLocalBuild,
                   std::to_string(local_build) + " systems are in LOCAL_BUILD at once"});
  }
  if (!same_config) {
    std::string gens;
    for (int i = 0; i < s.n; ++i) {
      if (s.sys[i].state != S::kRunning) continue;
      gens += (gens.empty() ? "" : ", ") + sys(i) + " holds configuration #" +
              std::to_string(s.sys[i].run_cfg);
    }
    out.push_back({RuleId::kInvSameConfig, "RUNNING systems disagree: " + gens});
  }
}

void VcsSystem::CheckTransition(const State& before, const Op& op, const State& after,
                                std::vector<FindingT>& out, std::vector<RuleId>* premises) {
  const auto* force = std::get_if<HasysForce>(&op);
  int admin_before = Count(before, S::kAdminWait);
  // Each step invariant once per step, however many systems met its premise.
  const std::size_t first = premises ? premises->size() : 0;
  auto premise = [premises, first](bool holds, RuleId r) {
    if (!premises || !holds) return;
    if (std::find(premises->begin() + static_cast<std::ptrdiff_t>(first), premises->end(), r) ==
        premises->end()) {
      premises->push_back(r);
    }
  };
  for (int i = 0; i < after.n && i < before.n; ++i) {
    const S was = before.sys[i].state, is = after.sys[i].state;
    if (was == is) continue;
    premise(!EngineUp(was) && EngineUp(is), RuleId::kInvStartsIniting);
    premise(is == S::kRunning, RuleId::kInvRunningViaBuild);
    premise(is == S::kLocalBuild, RuleId::kInvLocalBuildAlone);
    premise(was == S::kAdminWait, RuleId::kInvAdminWaitExits);
    premise(was == S::kStaleAdminWait, RuleId::kInvStaleAdminWaitExits);
    premise(was == S::kExiting, RuleId::kInvStopTakesGroupsOffline);
    auto came = [&] {
      return "system " + std::to_string(i) + " went from " + StateName(was) + " to " +
             StateName(is);
    };
    if (!EngineUp(was) && EngineUp(is) && is != S::kIniting && is != S::kUnknown) {
      out.push_back({RuleId::kInvStartsIniting, came()});
    }
    if (is == S::kRunning && was != S::kLocalBuild && was != S::kRemoteBuild) {
      out.push_back({RuleId::kInvRunningViaBuild, came()});
    }
    if (is == S::kLocalBuild) {
      const bool forced = force && force->target == i && was == S::kAdminWait;
      if (!forced && (was != S::kCurrentDiscoverWait || admin_before > 0)) {
        out.push_back({RuleId::kInvLocalBuildAlone,
                       came() + (admin_before > 0 ? " beside a peer in ADMIN_WAIT" : "") +
                           " without hasys -force"});
      }
    }
    if (was == S::kAdminWait && is != S::kLocalBuild && is != S::kRemoteBuild &&
        is != S::kExiting && is != S::kExitingForcibly && is != S::kFaulted && is != S::kLeaving) {
      out.push_back({RuleId::kInvAdminWaitExits, came()});
    }
    if (was == S::kStaleAdminWait && is != S::kStalePeerWait && is != S::kExiting &&
        is != S::kExitingForcibly && is != S::kFaulted && is != S::kLeaving) {
      out.push_back({RuleId::kInvStaleAdminWaitExits, came()});
    }
    if (was == S::kExiting && after.sys[i].groups_online) {
      out.push_back({RuleId::kInvStopTakesGroupsOffline,
                     came() + " with its service groups online after hastop without -force"});
    }
  }
}

void VcsSystem::CheckAdvisories(const State& s, std::vector<FindingT>& out) {
  const bool building = Count(s, S::kLocalBuild) > 0;
  for (int i = 0; i < s.n; ++i) {
    const Sys& x = s.sys[i];
    const std::string name = "system " + std::to_string(i);
    if (x.state == S::kAdminWait && !building) {
      out.push_back({RuleId::kAdvAdminWait,
                     name + " is ADMIN_WAIT: run hasys -force on the system whose main.cf to use"});
    }
    if (x.state == S::kStaleAdminWait) {
      out.push_back({RuleId::kAdvStaleAdminWait,
                     name + " is STALE_ADMIN_WAIT: start a system with a valid main.cf, or "
                            "hastop -local and hastart -force on it"});
    }
    if (x.groups_online && !EngineUp(x.state)) {
      out.push_back({RuleId::kAdvGroupsUnmanaged,
                     name + " has service groups online but its engine is stopped"});
    }
    if (!HasEntry(s, i)) continue;
    for (int o = 0; o < s.n; ++o) {
      if (o != i && Watches(s.sys[o].state) && ViewOf(s, o, i) == S::kFaulted) {
        out.push_back(
            {RuleId::kAdvFaulted, name + " is FAULTED as seen from system " + std::to_string(o)});
        break;
      }
    }
  }
}

Observation VcsSystem::Observe(const State& s) {
  Observation o;
  for (int i = 0; i < s.n; ++i) {
    const bool up = EngineUp(s.sys[i].state);
    o.answered[i] = up;
    if (!up) continue;
    const SystemSet listed = ListedBy(s, i);
    o.listed[i] = listed;
    for (int j = 0; j < s.n; ++j) {
      if (!(listed & Bit(j))) continue;
      o.state[i][j] = ViewOf(s, i, j);
      if (EngineUp(s.sys[j].state)) o.groups_online[i][j] = s.sys[j].groups_online;
    }
  }
  return o;
}

Fit VcsSystem::Consistent(const State& s, const Observation& obs, std::vector<FindingT>* why) {
  Fit fit = Fit::kMatch;
  auto mismatch = [&](RuleId r, std::string detail) {
    fit = Fit::kMismatch;
    if (why) why->push_back({r, std::move(detail)});
  };
  auto depart = [&](RuleId r, std::string detail) {
    if (fit == Fit::kMatch) fit = Fit::kDeparture;
    if (why) why->push_back({r, std::move(detail)});
  };
  auto name = [](int i) { return "system " + std::to_string(i); };
  for (int o = 0; o < kMaxSystems; ++o) {
    // Whether o showed any system's state or groups (every cell read, no
    // early exit: a loop the compiler can vectorise; replay asks this of
    // every observation and every state it may be in).
    bool cells = false;
    for (int j = 0; j < kMaxSystems; ++j) {
      cells |= obs.state[o][j].has_value() | obs.groups_online[o][j].has_value();
    }
    if (!cells && !obs.answered[o] && !obs.listed[o]) continue;
    if (o >= s.n) {
      mismatch(RuleId::kObsLists, name(o) + " is not in the configuration but answered");
      continue;
    }
    const bool up = EngineUp(s.sys[o].state);
    if (obs.answered[o] && *obs.answered[o] != up) {
      mismatch(RuleId::kObsStoppedSilent,
               name(o) + (up ? " did not answer but its engine is " + StateName(s.sys[o].state)
                             : " answered but its engine is gone"));
      continue;
    }
    const bool shows = obs.listed[o].has_value() || cells;
    if (!up) {
      if (shows)
        mismatch(RuleId::kObsStoppedSilent, name(o) + " showed systems but its engine is gone");
      continue;
    }
    const SystemSet listed = ListedBy(s, o);
    if (obs.listed[o] && *obs.listed[o] != listed) {
      mismatch(RuleId::kObsLists, name(o) + " listed systems " + std::to_string(*obs.listed[o]) +
                                      ", expected " + std::to_string(listed));
    }
    for (int j = 0; j < kMaxSystems; ++j) {
      const auto& seen = obs.state[o][j];
      if (seen) {
        if (j >= s.n || !(listed & Bit(j))) {
          mismatch(RuleId::kObsLists, name(o) + " shows " + name(j) + " as " + StateName(*seen) +
                                          " but does not list it");
        } else {
          const S want = ViewOf(s, o, j);
          if (*seen != want) {
            // Only on a mismatch: replay checks every observed view of
            // every event, and building this text for each was the cost.
            const std::string what = name(o) + " shows " + name(j) + " as " + StateName(*seen);
            const Sys& x = s.sys[j];
            const bool not_seen = o != j && !EngineUp(x.state) && HasEntry(s, j) &&
                                  s.sys[o].ViewOf(j) == View::kNotSeen;
            if (*seen == S::kUnknown || want == S::kUnknown) {
              mismatch(RuleId::kObsUnknownNoEntry,
                       what + ", expected " + StateName(want) +
                           (HasEntry(s, j) ? " (it has an entry)" : " (it has no entry)"));
            } else if (not_seen && *seen == S::kFaulted && x.state == S::kFaulted) {
              depart(RuleId::kObsNotSeenExited,
                     what + ": it did fail, though " + name(o) + " did not see it go");
            } else if (o == j || EngineUp(x.state)) {
              mismatch(RuleId::kObsPeerState, what + " but it reports " + StateName(want));
            } else if (not_seen) {
              mismatch(RuleId::kObsNotSeenExited, what + ", expected EXITED");
            } else {
              mismatch(want == S::kFaulted ? RuleId::kCrash : RuleId::kExited,
                       what + " but it saw it leave as " + StateName(want));
            }
          }
        }
      }
      const auto& groups = obs.groups_online[o][j];
      if (groups && j < s.n && (listed & Bit(j)) && EngineUp(s.sys[j].state) &&
          *groups != s.sys[j].groups_online) {
        mismatch(RuleId::kObsGroups, name(o) + " shows the groups of " + name(j) +
                                         (*groups ? " ONLINE" : " OFFLINE") + " but they are " +
                                         (s.sys[j].groups_online ? "online" : "offline"));
      }
    }
  }
  return fit;
}

void VcsSystem::NodeStatuses(const State& s, std::vector<int>& out) {
  for (int o = 0; o < s.n; ++o) {
    const SystemSet listed = ListedBy(s, o);
    for (int j = 0; j < s.n; ++j) {
      out.push_back(listed & Bit(j) ? static_cast<int>(ViewOf(s, o, j)) : -1);
    }
  }
}

std::size_t VcsSystem::Hash(const State& s) {
  std::size_t h = (static_cast<std::size_t>(s.n) << 16) | s.entries;
  for (int i = 0; i < s.n; ++i) {
    const Sys& x = s.sys[i];
    std::uint64_t v = static_cast<std::uint64_t>(x.state) |
                      (static_cast<std::uint64_t>(x.main_cf) << 4) |
                      (static_cast<std::uint64_t>(x.current) << 6) |
                      (static_cast<std::uint64_t>(x.groups_online) << 7) |
                      (static_cast<std::uint64_t>(x.disk_cfg) << 8) |
                      (static_cast<std::uint64_t>(x.run_cfg) << 16) |
                      (static_cast<std::uint64_t>(x.source) << 24) |
                      (static_cast<std::uint64_t>(x.snapshot_cfg) << 32) |
                      (static_cast<std::uint64_t>(x.build_cfg) << 40);
    HashCombine(h, v);
    HashCombine(h, x.views);
  }
  return h;
}

std::string VcsSystem::Show(const State& s, const Nodes& nodes) {
  auto name = [&](int i) { return nodes.Name(i); };
  std::string out = "{";
  for (int i = 0; i < s.n; ++i) {
    const Sys& x = s.sys[i];
    if (i) out += ", ";
    out += name(i) + ":" + StateName(x.state);
    if (!HasEntry(s, i)) out += " no-entry";
    if (x.main_cf != MainCf::kValid) out += " main.cf " + std::string(kMainCfNames.Name(x.main_cf));
    out += " disk #" + std::to_string(x.disk_cfg);
    if (x.run_cfg != kNoConfig) out += " run #" + std::to_string(x.run_cfg);
    if (x.state == S::kRemoteBuild) {
      out += " from " + name(x.source) + " #" + std::to_string(x.snapshot_cfg);
      if (x.build_cfg != x.snapshot_cfg) out += "->#" + std::to_string(x.build_cfg);
    }
    if (KeepsCurrent(x.state)) out += x.current ? " current" : " stale";
    if (x.groups_online) out += " groups-online";
    for (int j = 0; j < s.n; ++j) {
      const View v = x.ViewOf(j);
      if (v != View::kNotSeen) {
        out += " sees " + name(j) + (v == View::kFaulted ? " FAULTED" : " EXITED");
      }
    }
  }
  return out + "}";
}

std::string VcsSystem::Show(const Observation& o, const Nodes& nodes) {
  std::string out = "[";
  bool first = true;
  for (int i = 0; i < kMaxSystems; ++i) {
    std::string part;
    if (o.answered[i]) part += *o.answered[i] ? " answers" : " no engine";
    if (o.listed[i]) part += " lists " + NodeSetDomain{}.Show(*o.listed[i], nodes);
    for (int j = 0; j < kMaxSystems; ++j) {
      if (o.state[i][j]) part += " " + nodes.Name(j) + "=" + StateName(*o.state[i][j]);
      if (o.groups_online[i][j]) {
        part += " " + nodes.Name(j) + ".groups=" + (*o.groups_online[i][j] ? "ONLINE" : "OFFLINE");
      }
    }
    if (part.empty()) continue;
    if (!first) out += "; ";
    first = false;
    out += "on " + nodes.Name(i) + ":" + part;
  }
  return out + "]";
}

}  // namespace haspec::vcs_system
