#include "model/vcs_system/vcs_system.h"

#include "model/core/hash.h"

namespace haspec::vcs_system {
namespace {

constexpr Rule kRules[] = {
#define HASPEC_RULE HASPEC_RULE_ENTRY
#include "model/vcs_system/rules.def"
#undef HASPEC_RULE
};

constexpr auto kStatusNameList = kSysStateNames.Names();

using OutcomeT = VcsSystem::OutcomeT;
using S = SysState;


constexpr std::uint8_t Bit(int i) { return static_cast<std::uint8_t>(1u << i); }
bool Valid(int i) { return i >= 0 && i < kSystems; }
bool HasEntry(const State& s, int i) { return (s.entries & Bit(i)) != 0; }

int Count(const State& s, SysState st) {
  int c = 0;
  for (const Sys& x : s.sys) c += x.state == st;
  return c;
}

// The lowest-numbered RUNNING system, or -1.
int LowestRunning(const State& s) {
  for (int i = 0; i < kSystems; ++i) {
    if (s.sys[i].state == S::kRunning) return i;
  }
  return -1;
}

bool IsPeerWait(SysState st) {
  return st == S::kCurrentPeerWait || st == S::kStalePeerWait;
}

// Moves sys<i> to `next`, remembering where it came from, and clears the
// fields that mean nothing in `next` so equal situations compare equal.
void Enter(State& t, int i, SysState next) {
  Sys& x = t.sys[i];
  x.prev = x.state;
  x.state = next;
  if (next != S::kRunning && next != S::kLeaving) x.run_gen = 0;
  if (next != S::kRemoteBuild) {
    x.source = 0;
    x.snapshot_gen = 0;
    x.queued = 0;
  }
  if (!EngineUp(next)) {
    x.current = false;
    x.seen.fill(S::kUnknown);
    for (int o = 0; o < kSystems; ++o) {
      if (o != i && EngineUp(t.sys[o].state)) t.sys[o].seen[i] = next;
    }
  }
}

void StartRemoteBuild(State& t, int i, int source) {
  Enter(t, i, S::kRemoteBuild);
  Sys& x = t.sys[i];
  x.source = static_cast<std::uint8_t>(source);
  x.snapshot_gen = t.sys[source].run_gen;
  x.queued = 0;
  // The snapshot carries the cluster's view of gone systems too: the copier
  // learns the departures it did not watch itself.
  for (int j = 0; j < kSystems; ++j) {
    if (j != i && x.seen[j] == S::kUnknown) x.seen[j] = t.sys[source].seen[j];
  }
}

// sys<i> enters LOCAL_BUILD; systems in STALE_ADMIN_WAIT start waiting for
// it. Returns whether any did.
bool StartLocalBuild(State& t, int i) {
  Enter(t, i, S::kLocalBuild);
  bool moved = false;
  for (int j = 0; j < kSystems; ++j) {
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
  for (int j = 0; j < kSystems; ++j) {
    SysState st = t.sys[j].state;
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
// replaced by the consequence when there is one.
void AfterDeparture(State& t, int i, SysState old, RuleId& rule) {
  if (old == S::kRunning) {
    int lowest = LowestRunning(t);
    for (int j = 0; j < kSystems; ++j) {
      if (t.sys[j].state != S::kRemoteBuild) continue;
      if (lowest < 0) {
        Enter(t, j, S::kAdminWait);
        rule = RuleId::kLastRunningLeaves;
      } else if (t.sys[j].source == i) {
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
  for (Sys& x : t.sys) {
    if (x.state == S::kRunning || x.state == S::kLeaving) {
      ++x.run_gen;
    } else if (x.state == S::kRemoteBuild) {
      ++x.queued;
    }
  }
}

// The guards every configuration command shares, in reporting order.
bool ConfigCommandBlocked(const State& s, int on, RuleId& why) {
  if (!Valid(on) || !EngineUp(s.sys[on].state)) {
    why = RuleId::kPreEngineUp;
    return true;
  }
  SysState st = s.sys[on].state;
  if (st == S::kLeaving || st == S::kRemoteBuild || st == S::kAdminWait) {
    why = RuleId::kPreConfigRejected;
    return true;
  }
  if (st != S::kRunning) {
    why = RuleId::kPreConfigNeedsRunning;
    return true;
  }
  return false;
}

struct Stepper {
  const State& s;

  OutcomeT operator()(const Hastart& op) const {
    if (!Valid(op.sys) || EngineUp(s.sys[op.sys].state)) {
      return Rejected(s, RuleId::kPreEventState);
    }
    State t = s;
    for (Sys& o : t.sys) o.seen[op.sys] = S::kUnknown;
    if (!HasEntry(s, op.sys)) {
      Enter(t, op.sys, S::kUnknown);
      return Accepted(t, RuleId::kHastartUnknown);
    }
    Enter(t, op.sys, S::kIniting);
    Sys& x = t.sys[op.sys];
    switch (op.mode) {
      case StartMode::kPlain:
        x.current = x.main_cf == MainCf::kValid;
        return Accepted(t, RuleId::kHastart);
      case StartMode::kStale:
        x.current = false;
        return Accepted(t, RuleId::kHastartStale);
      case StartMode::kForce:
        x.current = x.main_cf != MainCf::kInvalid;
        return Accepted(t, RuleId::kHastartForce);
    }
    return Rejected(s, RuleId::kPreEventState);
  }

  OutcomeT operator()(const Join& op) const {
    if (!Valid(op.sys) || s.sys[op.sys].state != S::kIniting) {
      return Rejected(s, RuleId::kPreEventState);
    }
    State t = s;
    if (s.sys[op.sys].current) {
      Enter(t, op.sys, S::kCurrentDiscoverWait);
      return Accepted(t, RuleId::kJoinCurrent);
    }
    Enter(t, op.sys, S::kStaleDiscoverWait);
    return Accepted(t, RuleId::kJoinStale);
  }

  OutcomeT operator()(const Discover& op) const {
    if (!Valid(op.sys)) return Rejected(s, RuleId::kPreEventState);
    const SysState st = s.sys[op.sys].state;
    const bool valid = st == S::kCurrentDiscoverWait;
    if (!valid && st != S::kStaleDiscoverWait) return Rejected(s, RuleId::kPreEventState);
    State t = s;
    if (int r = LowestRunning(s); r >= 0) {
      StartRemoteBuild(t, op.sys, r);
      return Accepted(t, Count(s, S::kRunning) > 1 ? RuleId::kBuildFromLowest
                                                 : RuleId::kDiscoverRemoteBuild);
    }
    if (Count(s, S::kLocalBuild) > 0) {
      Enter(t, op.sys, valid ? S::kCurrentPeerWait : S::kStalePeerWait);
      return Accepted(t, valid ? RuleId::kDiscoverCurrentPeerWait
                             : RuleId::kDiscoverStalePeerWait);
    }
    if (Count(s, S::kAdminWait) > 0) {
      Enter(t, op.sys, S::kAdminWait);
      return Accepted(t, RuleId::kDiscoverAdminWait);
    }
    if (valid) {
      bool moved = StartLocalBuild(t, op.sys);
      return Accepted(t, moved ? RuleId::kStaleAdminToPeerWait : RuleId::kDiscoverLocalBuild);
    }
    Enter(t, op.sys, S::kStaleAdminWait);
    return Accepted(t, RuleId::kDiscoverStaleAdminWait);
  }

  OutcomeT operator()(const LocalBuildDone& op) const {
    if (!Valid(op.sys) || s.sys[op.sys].state != S::kLocalBuild) {
      return Rejected(s, RuleId::kPreEventState);
    }
    State t = s;
    if (op.hacf_error || s.sys[op.sys].main_cf == MainCf::kInvalid) {
      Enter(t, op.sys, S::kAdminWait);
      return Accepted(t, ReleasePeerWaiters(t) ? RuleId::kBuilderLost : RuleId::kHacfError);
    }
    t.sys[op.sys].run_gen = s.sys[op.sys].disk_gen;
    Enter(t, op.sys, S::kRunning);
    RuleId rule = RuleId::kLocalBuildDone;
    for (int j = 0; j < kSystems; ++j) {
      SysState st = t.sys[j].state;
      if (st == S::kAdminWait) {
        StartRemoteBuild(t, j, op.sys);
        if (rule == RuleId::kLocalBuildDone) rule = RuleId::kForcedBuildPeers;
      } else if (IsPeerWait(st)) {
        StartRemoteBuild(t, j, op.sys);
        rule = RuleId::kPeerBuildDone;
      }
    }
    return Accepted(t, rule);
  }

  OutcomeT operator()(const RemoteBuildDone& op) const {
    if (!Valid(op.sys) || s.sys[op.sys].state != S::kRemoteBuild) {
      return Rejected(s, RuleId::kPreEventState);
    }
    State t = s;
    const Sys& x = s.sys[op.sys];
    t.sys[op.sys].run_gen = static_cast<std::uint8_t>(x.snapshot_gen + x.queued);
    Enter(t, op.sys, S::kRunning);
    return Accepted(t, RuleId::kRemoteBuildDone);
  }

  OutcomeT operator()(const ConfigChange& op) const {
    RuleId why;
    if (ConfigCommandBlocked(s, op.on, why)) return Rejected(s, why);
    State t = s;
    ApplyConfigChange(t);
    return Accepted(t, RuleId::kConfigChange);
  }

  OutcomeT operator()(const HasysForce& op) const {
    if (!Valid(op.target) || s.sys[op.target].state != S::kAdminWait) {
      return Rejected(s, RuleId::kPreHasysForce);
    }
    if (Count(s, S::kLocalBuild) > 0) return Rejected(s, RuleId::kPreForceOneBuild);
    State t = s;
    StartLocalBuild(t, op.target);
    return Accepted(t, RuleId::kHasysForce);
  }

  OutcomeT operator()(const HasysDelete& op) const {
    RuleId why;
    if (ConfigCommandBlocked(s, op.on, why)) return Rejected(s, why);
    if (!Valid(op.target) || !HasEntry(s, op.target)) return Rejected(s, RuleId::kPreEventState);
    SysState view = ViewOf(s, op.on, op.target);
    if (view != S::kExited && view != S::kUnknown) return Rejected(s, RuleId::kPreHasysDelete);
    State t = s;
    t.entries = static_cast<std::uint8_t>(t.entries & ~Bit(op.target));
    for (Sys& o : t.sys) o.seen[op.target] = S::kUnknown;
    ApplyConfigChange(t);
    return Accepted(t, RuleId::kHasysDelete);
  }

  OutcomeT operator()(const HasysAdd& op) const {
    RuleId why;
    if (ConfigCommandBlocked(s, op.on, why)) return Rejected(s, why);
    if (!Valid(op.target)) return Rejected(s, RuleId::kPreEventState);
    if (HasEntry(s, op.target)) return Rejected(s, RuleId::kPreHasysAdd);
    State t = s;
    t.entries = static_cast<std::uint8_t>(t.entries | Bit(op.target));
    for (Sys& o : t.sys) o.seen[op.target] = S::kUnknown;
    ApplyConfigChange(t);
    return Accepted(t, RuleId::kHasysAdd);
  }

  OutcomeT operator()(const Hastop& op) const {
    if (!Valid(op.sys) || !EngineUp(s.sys[op.sys].state)) return Rejected(s, RuleId::kPreEngineUp);
    const SysState old = s.sys[op.sys].state;
    if (old == S::kExiting || old == S::kExitingForcibly || (old == S::kLeaving && !op.force)) {
      return Rejected(s, RuleId::kPreEventState);
    }
    State t = s;
    RuleId rule;
    if (op.force) {
      Enter(t, op.sys, S::kExitingForcibly);
      rule = s.sys[op.sys].groups_online ? RuleId::kHastopForceGroupsRun
             : old == S::kRunning              ? RuleId::kHastopForce
                                               : RuleId::kHastopForceOther;
    } else if (old == S::kRunning) {
      Enter(t, op.sys, S::kLeaving);
      rule = RuleId::kHastop;
    } else {
      t.sys[op.sys].groups_online = false;
      Enter(t, op.sys, S::kExiting);
      rule = RuleId::kHastopNotRunning;
    }
    AfterDeparture(t, op.sys, old, rule);
    return Accepted(t, rule);
  }

  OutcomeT operator()(const AgentsStopped& op) const {
    if (!Valid(op.sys) || s.sys[op.sys].state != S::kLeaving) {
      return Rejected(s, RuleId::kPreEventState);
    }
    State t = s;
    Sys& x = t.sys[op.sys];
    x.groups_online = false;
    x.disk_gen = x.run_gen;
    x.main_cf = MainCf::kValid;
    Enter(t, op.sys, S::kExiting);
    return Accepted(t, RuleId::kAgentsStopped);
  }

  OutcomeT operator()(const EngineExited& op) const {
    if (!Valid(op.sys)) return Rejected(s, RuleId::kPreEventState);
    const SysState old = s.sys[op.sys].state;
    if (old != S::kExiting && old != S::kExitingForcibly) return Rejected(s, RuleId::kPreEventState);
    State t = s;
    Enter(t, op.sys, S::kExited);
    return Accepted(t, old == S::kExiting ? RuleId::kExited : RuleId::kForcedExited);
  }

  OutcomeT operator()(const Crash& op) const {
    if (!Valid(op.sys) || !EngineUp(s.sys[op.sys].state)) {
      return Rejected(s, RuleId::kPreEventState);
    }
    const SysState old = s.sys[op.sys].state;
    State t = s;
    t.sys[op.sys].groups_online = false;
    Enter(t, op.sys, S::kFaulted);
    RuleId rule = RuleId::kCrash;
    AfterDeparture(t, op.sys, old, rule);
    return Accepted(t, rule);
  }

  OutcomeT operator()(const GroupOnline& op) const {
    if (!Valid(op.sys) || s.sys[op.sys].state != S::kRunning) {
      return Rejected(s, RuleId::kPreGroupOnline);
    }
    if (s.sys[op.sys].groups_online) return Rejected(s, RuleId::kPreEventState);
    State t = s;
    t.sys[op.sys].groups_online = true;
    return Accepted(t, RuleId::kGroupOnline);
  }

  OutcomeT operator()(const EditMainCf& op) const {
    if (!Valid(op.sys) || s.sys[op.sys].main_cf == op.main_cf) {
      return Rejected(s, RuleId::kPreEventState);
    }
    State t = s;
    t.sys[op.sys].main_cf = op.main_cf;
    return Accepted(t, RuleId::kEditMainCf);
  }
};

std::string StateName(SysState st) { return std::string(kSysStateNames.Name(st)); }

}  // namespace

std::string SystemName(int id) { return "sys" + std::to_string(id); }

std::optional<int> SystemId(std::string_view name) {
  if (name.size() == 4 && name.substr(0, 3) == "sys" && name[3] >= '0' &&
      name[3] < '0' + kSystems) {
    return name[3] - '0';
  }
  return std::nullopt;
}

SysState ViewOf(const State& st, int o, int s) {
  if (o == s || EngineUp(st.sys[s].state)) return st.sys[s].state;
  return st.sys[o].seen[s];
}

std::span<const Rule> VcsSystem::Rules() { return kRules; }
std::span<const std::string_view> VcsSystem::StatusNames() { return kStatusNameList; }

VcsSystem::OutcomeT VcsSystem::Step(const State& s, const Op& op) {
  return std::visit(Stepper{s}, op);
}

// Each state offers what can happen next to that system plus the
// disruptions that matter there, so random walks reach RUNNING and back
// often; rejected probes cover each refusal rule without drowning the rest.
void VcsSystem::CandidateOps(const State& s, std::vector<Op>& out) {
  for (int i = 0; i < kSystems; ++i) {
    const auto n = static_cast<std::uint8_t>(i);
    const Sys& x = s.sys[i];
    if (!EngineUp(x.state)) {
      out.push_back(Hastart{n, StartMode::kPlain});
      out.push_back(Hastart{n, StartMode::kStale});
      out.push_back(Hastart{n, StartMode::kForce});
      out.push_back(ConfigChange{n});
      for (int m = 0; m < 3; ++m) {
        if (static_cast<MainCf>(m) != x.main_cf) out.push_back(EditMainCf{n, static_cast<MainCf>(m)});
      }
      continue;
    }
    switch (x.state) {
      case S::kIniting: out.push_back(Join{n}); break;
      case S::kCurrentDiscoverWait:
      case S::kStaleDiscoverWait: out.push_back(Discover{n}); break;
      case S::kCurrentPeerWait:
      case S::kStalePeerWait:
      case S::kUnknown: out.push_back(Hastop{n, false}); break;
      case S::kStaleAdminWait:
        out.push_back(HasysForce{n});  // refused: only ADMIN_WAIT is forced
        out.push_back(Hastop{n, false});
        out.push_back(Hastop{n, true});
        out.push_back(ConfigChange{n});
        break;
      case S::kAdminWait:
        out.push_back(HasysForce{n});
        out.push_back(GroupOnline{n});  // refused: not RUNNING
        out.push_back(Hastop{n, false});
        out.push_back(ConfigChange{n});
        break;
      case S::kLocalBuild:
        out.push_back(LocalBuildDone{n, false});
        out.push_back(LocalBuildDone{n, true});
        out.push_back(Hastop{n, false});
        break;
      case S::kRemoteBuild:
        out.push_back(RemoteBuildDone{n});
        out.push_back(ConfigChange{n});
        out.push_back(Hastop{n, false});
        break;
      case S::kRunning:
        out.push_back(GroupOnline{n});
        out.push_back(ConfigChange{n});
        out.push_back(Hastop{n, false});
        out.push_back(Hastop{n, true});
        out.push_back(HasysAdd{n, n});  // refused: it has an entry
        out.push_back(Hastart{n, StartMode::kPlain});  // refused: already running
        for (int j = 0; j < kSystems; ++j) {
          if (j == i) continue;
          const auto m = static_cast<std::uint8_t>(j);
          if (HasEntry(s, j)) {
            out.push_back(HasysDelete{n, m});
          } else {
            out.push_back(HasysAdd{n, m});
          }
        }
        break;
      case S::kLeaving:
        out.push_back(AgentsStopped{n});
        out.push_back(GroupOnline{n});  // refused: not RUNNING
        out.push_back(Hastop{n, true});
        out.push_back(ConfigChange{n});
        break;
      case S::kExiting:
      case S::kExitingForcibly: out.push_back(EngineExited{n}); break;
      default: break;
    }
    out.push_back(Crash{n});
  }
}

void VcsSystem::CheckInvariants(const State& s, std::vector<FindingT>& out) {
  int running = 0, local_build = 0, admin_wait = 0, remote_build = 0;
  int first_running = -1;
  bool same_config = true;
  for (int i = 0; i < kSystems; ++i) {
    const Sys& x = s.sys[i];
    switch (x.state) {
      case S::kRunning:
        ++running;
        if (first_running < 0) {
          first_running = i;
        } else if (x.run_gen != s.sys[first_running].run_gen) {
          same_config = false;
        }
        break;
      case S::kLocalBuild: ++local_build; break;
      case S::kAdminWait: ++admin_wait; break;
      case S::kRemoteBuild: ++remote_build; break;
      default: break;
    }
  }
  auto sys = [](int i) { return SystemName(i); };
  auto came = [&](int i) {
    return sys(i) + " is " + StateName(s.sys[i].state) + " but came from " +
           StateName(s.sys[i].prev);
  };
  for (int i = 0; i < kSystems; ++i) {
    const Sys& x = s.sys[i];
    const SysState st = x.state;
    const bool up = EngineUp(st);
    if (up && !EngineUp(x.prev) && st != S::kIniting && st != S::kUnknown) {
      out.push_back({RuleId::kInvStartsIniting, came(i)});
    }
    if (st == S::kRunning && x.prev != S::kLocalBuild && x.prev != S::kRemoteBuild) {
      out.push_back({RuleId::kInvRunningViaBuild, came(i)});
    }
    if (st == S::kLocalBuild) {
      const bool forced = x.prev == S::kAdminWait;
      if (!forced && x.prev != S::kCurrentDiscoverWait) {
        out.push_back({RuleId::kInvLocalBuildAlone, came(i)});
      }
      if (running + remote_build > 0 || (admin_wait > 0 && !forced)) {
        out.push_back({RuleId::kInvLocalBuildAlone,
                       sys(i) + " is LOCAL_BUILD while " + std::to_string(running) +
                           " system(s) are RUNNING, " + std::to_string(remote_build) +
                           " REMOTE_BUILD and " + std::to_string(admin_wait) + " ADMIN_WAIT" +
                           (forced ? " (forced build)" : "")});
      }
    }
    if (x.prev == S::kAdminWait && st != S::kLocalBuild && st != S::kRemoteBuild &&
        st != S::kExiting && st != S::kExitingForcibly && st != S::kFaulted) {
      out.push_back({RuleId::kInvAdminWaitExits, sys(i) + " left ADMIN_WAIT for " + StateName(st)});
    }
    if (x.prev == S::kStaleAdminWait && st != S::kStalePeerWait && st != S::kExiting &&
        st != S::kExitingForcibly && st != S::kFaulted) {
      out.push_back({RuleId::kInvStaleAdminWaitExits,
                     sys(i) + " left STALE_ADMIN_WAIT for " + StateName(st)});
    }
    if (st == S::kAdminWait && running > 0) {
      out.push_back({RuleId::kInvAdminWaitNoRunning,
                     sys(i) + " is ADMIN_WAIT while " + sys(first_running) + " is RUNNING"});
    }
    if (st == S::kStaleAdminWait && running + local_build > 0) {
      out.push_back({RuleId::kInvStaleAdminNoSource,
                     sys(i) + " is STALE_ADMIN_WAIT while " + std::to_string(running) +
                         " system(s) are RUNNING and " + std::to_string(local_build) +
                         " in LOCAL_BUILD"});
    }
    if (IsPeerWait(st) && local_build == 0) {
      out.push_back({RuleId::kInvPeerWaitHasBuilder,
                     sys(i) + " is " + StateName(st) + " but no system is in LOCAL_BUILD"});
    }
    if (st == S::kRemoteBuild &&
        (x.source == i || x.source >= kSystems || s.sys[x.source].state != S::kRunning)) {
      out.push_back({RuleId::kInvRemoteBuildSource,
                     sys(i) + " is REMOTE_BUILD from " + sys(x.source) + ", which is " +
                         StateName(s.sys[x.source % kSystems].state)});
    }
    const bool wants_current = st == S::kCurrentDiscoverWait || st == S::kCurrentPeerWait;
    const bool wants_stale = st == S::kStaleDiscoverWait || st == S::kStalePeerWait ||
                             st == S::kStaleAdminWait;
    if ((wants_current && !x.current) || (wants_stale && x.current)) {
      out.push_back({RuleId::kInvCurrentStale,
                     sys(i) + " is " + StateName(st) + " but started with a configuration it treats as " +
                         (x.current ? "valid" : "invalid")});
    }
    if (x.groups_online && (st == S::kExiting || (st == S::kExited && x.prev == S::kExiting))) {
      out.push_back({RuleId::kInvStopTakesGroupsOffline,
                     sys(i) + " is " + StateName(st) +
                         " after hastop without -force but its service groups are online"});
    }
    if (up) {
      for (int j = 0; j < kSystems; ++j) {
        if (j == i) continue;
        SysState v = x.seen[j];
        SysState real = s.sys[j].state;
        bool ok = v == S::kUnknown || (!EngineUp(real) && v == real);
        if (!ok) {
          out.push_back({RuleId::kInvViewOfGone,
                         sys(i) + " shows " + sys(j) + " as " + StateName(v) + " but " + sys(j) +
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
    for (int i = 0; i < kSystems; ++i) {
      if (s.sys[i].state != S::kRunning) continue;
      gens += (gens.empty() ? "" : ", ") + sys(i) + " holds generation " +
              std::to_string(s.sys[i].run_gen);
    }
    out.push_back({RuleId::kInvSameConfig, "RUNNING systems disagree: " + gens});
  }
}

void VcsSystem::CheckAdvisories(const State& s, std::vector<FindingT>& out) {
  const bool building = Count(s, S::kLocalBuild) > 0;
  for (int i = 0; i < kSystems; ++i) {
    const Sys& x = s.sys[i];
    if (x.state == S::kAdminWait && !building) {
      out.push_back({RuleId::kAdvAdminWait,
                     SystemName(i) + " is ADMIN_WAIT: run hasys -force on the system whose main.cf to use"});
    }
    if (x.state == S::kStaleAdminWait) {
      out.push_back({RuleId::kAdvStaleAdminWait,
                     SystemName(i) + " is STALE_ADMIN_WAIT: start a system with a valid main.cf, "
                                     "or hastop -local and hastart -force on " + SystemName(i)});
    }
    if (x.groups_online && !EngineUp(x.state)) {
      out.push_back({RuleId::kAdvGroupsUnmanaged,
                     SystemName(i) + " has service groups online but its engine is stopped"});
    }
    if (!HasEntry(s, i)) continue;
    for (int o = 0; o < kSystems; ++o) {
      if (o != i && EngineUp(s.sys[o].state) && s.sys[o].state != S::kUnknown &&
          ViewOf(s, o, i) == S::kFaulted) {
        out.push_back({RuleId::kAdvFaulted,
                       SystemName(i) + " is FAULTED as seen from " + SystemName(o)});
        break;
      }
    }
  }
}

Observation VcsSystem::Observe(const State& s) {
  Observation o;
  for (int i = 0; i < kSystems; ++i) {
    const SysState st = s.sys[i].state;
    if (!EngineUp(st)) continue;
    // An engine that never joined knows only itself.
    o.listed[i] = st == S::kUnknown ? Bit(i) : static_cast<std::uint8_t>(s.entries | Bit(i));
    for (int j = 0; j < kSystems; ++j) {
      if (o.listed[i] & Bit(j)) o.table[i][j] = ViewOf(s, i, j);
    }
  }
  return o;
}

std::size_t VcsSystem::Hash(const State& s) {
  std::size_t h = s.entries;
  for (const Sys& x : s.sys) {
    std::uint64_t v = static_cast<std::uint64_t>(x.state) |
                      (static_cast<std::uint64_t>(x.prev) << 4) |
                      (static_cast<std::uint64_t>(x.main_cf) << 8) |
                      (static_cast<std::uint64_t>(x.current) << 10) |
                      (static_cast<std::uint64_t>(x.groups_online) << 11) |
                      (static_cast<std::uint64_t>(x.disk_gen) << 12) |
                      (static_cast<std::uint64_t>(x.run_gen) << 20) |
                      (static_cast<std::uint64_t>(x.source) << 28) |
                      (static_cast<std::uint64_t>(x.snapshot_gen) << 32) |
                      (static_cast<std::uint64_t>(x.queued) << 40);
    for (int j = 0; j < kSystems; ++j) {
      v |= static_cast<std::uint64_t>(x.seen[j]) << (48 + 4 * j);
    }
    HashCombine(h, v);
  }
  return h;
}

std::string VcsSystem::Show(const State& s) {
  std::string out = "{";
  for (int i = 0; i < kSystems; ++i) {
    const Sys& x = s.sys[i];
    if (i) out += ", ";
    out += SystemName(i) + ":" + StateName(x.state);
    if (EngineUp(x.state) || x.prev != S::kExited) out += "<-" + StateName(x.prev);
    if (!HasEntry(s, i)) out += " no-entry";
    if (x.main_cf != MainCf::kValid) out += " main.cf " + std::string(kMainCfNames.Name(x.main_cf));
    out += " disk g" + std::to_string(x.disk_gen);
    if (x.state == S::kRunning || x.state == S::kLeaving) out += " run g" + std::to_string(x.run_gen);
    if (x.state == S::kRemoteBuild) {
      out += " from " + SystemName(x.source) + " g" + std::to_string(x.snapshot_gen) + "+" +
             std::to_string(x.queued);
    }
    if (EngineUp(x.state)) out += x.current ? " current" : " stale";
    if (x.groups_online) out += " groups-online";
    for (int j = 0; j < kSystems; ++j) {
      if (x.seen[j] != S::kUnknown) out += " sees " + SystemName(j) + " " + StateName(x.seen[j]);
    }
  }
  return out + "}";
}

std::string VcsSystem::Show(const Op& op) {
  struct Printer {
    std::string operator()(const Hastart& o) const {
      return std::string(kStartModeNames.Label(o.mode)) + " on " + SystemName(o.sys);
    }
    std::string operator()(const Join& o) const { return "join " + SystemName(o.sys); }
    std::string operator()(const Discover& o) const { return "discover " + SystemName(o.sys); }
    std::string operator()(const LocalBuildDone& o) const {
      return "local_build_done " + SystemName(o.sys) + (o.hacf_error ? " (hacf error)" : "");
    }
    std::string operator()(const RemoteBuildDone& o) const {
      return "remote_build_done " + SystemName(o.sys);
    }
    std::string operator()(const ConfigChange& o) const {
      return "config_change on " + SystemName(o.on);
    }
    std::string operator()(const HasysForce& o) const { return "hasys -force " + SystemName(o.target); }
    std::string operator()(const HasysDelete& o) const {
      return "hasys -delete " + SystemName(o.target) + " on " + SystemName(o.on);
    }
    std::string operator()(const HasysAdd& o) const {
      return "hasys -add " + SystemName(o.target) + " on " + SystemName(o.on);
    }
    std::string operator()(const Hastop& o) const {
      return std::string(o.force ? "hastop -force" : "hastop") + " on " + SystemName(o.sys);
    }
    std::string operator()(const AgentsStopped& o) const {
      return "agents_stopped " + SystemName(o.sys);
    }
    std::string operator()(const EngineExited& o) const {
      return "engine_exited " + SystemName(o.sys);
    }
    std::string operator()(const Crash& o) const { return "crash " + SystemName(o.sys); }
    std::string operator()(const GroupOnline& o) const {
      return "group_online " + SystemName(o.sys);
    }
    std::string operator()(const EditMainCf& o) const {
      return "edit_main_cf " + SystemName(o.sys) + " " + std::string(kMainCfNames.Name(o.main_cf));
    }
  };
  return std::visit(Printer{}, op);
}

std::string VcsSystem::Show(const Observation& o) {
  std::string out = "[";
  bool first = true;
  for (int i = 0; i < kSystems; ++i) {
    if (!o.listed[i]) continue;
    if (!first) out += "; ";
    first = false;
    out += "on " + SystemName(i) + ":";
    for (int j = 0; j < kSystems; ++j) {
      if (o.listed[i] & Bit(j)) out += " " + SystemName(j) + "=" + StateName(o.table[i][j]);
    }
  }
  return out + "]";
}

}  // namespace haspec::vcs_system
