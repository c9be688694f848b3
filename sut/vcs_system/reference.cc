#include "sut/vcs_system/reference.h"

#include <algorithm>
#include <array>
#include <initializer_list>
#include <stdexcept>

#include "sut/protocol/json_text.h"

namespace haspec::sut::vcs_system {
namespace {

using nlohmann::json;
using S = SysState;

constexpr int kMaxSystems = 16;

constexpr SwitchInfo kSwitches[] = {
    {Switch::kTwoLocalBuilds, "two-local-builds", SwitchKind::kMutant,
     "VCS-TR-DISCOVER-CURRENT-PEER-WAIT",
     "A system with a valid main.cf that finds a peer in LOCAL_BUILD starts a second LOCAL_BUILD "
     "instead of waiting in CURRENT_PEER_WAIT."},
    {Switch::kLocalBuildBesideAdminWait, "local-build-beside-admin-wait", SwitchKind::kMutant,
     "VCS-TR-DISCOVER-LOCAL-BUILD",
     "A system with a valid main.cf builds from disk although a peer is in ADMIN_WAIT (the seed "
     "allows LOCAL_BUILD only when no system is RUNNING or ADMIN_WAIT)."},
    {Switch::kStaleAdminWaitStuck, "stale-admin-wait-stuck", SwitchKind::kMutant,
     "VCS-TR-STALE-ADMIN-TO-PEER-WAIT",
     "Systems in STALE_ADMIN_WAIT stay there when a peer starts a LOCAL_BUILD instead of moving "
     "to STALE_PEER_WAIT."},
    {Switch::kPeerWaitStuck, "peer-wait-stuck", SwitchKind::kMutant,
     "VCS-TR-PEER-WAIT-TO-REMOTE-BUILD",
     "When the LOCAL_BUILD peer reaches RUNNING, systems in CURRENT_PEER_WAIT or STALE_PEER_WAIT "
     "keep waiting instead of starting a REMOTE_BUILD."},
    {Switch::kHacfErrorIgnored, "hacf-error-ignored", SwitchKind::kMutant,
     "VCS-TR-HACF-ERROR-ADMIN-WAIT",
     "A LOCAL_BUILD that gets an error from hacf ends in RUNNING instead of ADMIN_WAIT."},
    {Switch::kRemoteBuildSurvives, "remote-build-survives", SwitchKind::kMutant,
     "VCS-TR-LAST-RUNNING-LEAVES",
     "When the last RUNNING system leaves, systems in REMOTE_BUILD keep building instead of "
     "going to ADMIN_WAIT."},
    {Switch::kHastopForceOffline, "hastop-force-offline", SwitchKind::kMutant,
     "VCS-TR-HASTOP-FORCE-GROUPS-RUN",
     "hastop -force takes the system's service groups offline instead of leaving them running."},
    {Switch::kConfigInLeaving, "config-in-leaving", SwitchKind::kMutant,
     "VCS-PRE-CONFIG-REJECTED-STATE",
     "Configuration commands typed on a LEAVING system are accepted instead of rejected with "
     "V-16-1-50129."},
    {Switch::kDeleteFaulted, "delete-faulted", SwitchKind::kMutant, "VCS-PRE-HASYS-DELETE-STATE",
     "hasys -delete accepts a system shown FAULTED, not only EXITED or UNKNOWN."},
    {Switch::kCrashShownExited, "crash-shown-exited", SwitchKind::kMutant, "VCS-TR-CRASH-FAULTED",
     "Peers show a system whose node failed as EXITED instead of FAULTED."},
    {Switch::kUnknownForUnseen, "unknown-for-unseen", SwitchKind::kMutant,
     "VCS-OBS-UNKNOWN-NO-ENTRY",
     "An engine shows a configured system it never saw as UNKNOWN, a state reserved for systems "
     "without an entry."},
    {Switch::kHastartStaleIgnored, "hastart-stale-ignored", SwitchKind::kMutant,
     "VCS-TR-HASTART-STALE",
     "hastart -stale is treated like a plain hastart, so a valid main.cf joins in "
     "CURRENT_DISCOVER_WAIT."},
    {Switch::kStaleJoinerStaleAdminWait, "stale-joiner-stale-admin-wait", SwitchKind::kReading,
     "VCS-TR-DISCOVER-ADMIN-WAIT",
     "A stale joiner that finds peers in ADMIN_WAIT (and none RUNNING or building) goes to "
     "STALE_ADMIN_WAIT, whose seed definition also holds there, rather than ADMIN_WAIT."},
    {Switch::kForcedExitFaulted, "forced-exit-faulted", SwitchKind::kReading,
     "VCS-TR-EXITING-FORCIBLY-TO-EXITED",
     "Peers show a system whose engine is gone after hastop -force as FAULTED (it left without "
     "the graceful LEAVING path) rather than EXITED."},
    {Switch::kHastopLeavingAnywhere, "hastop-leaving-anywhere", SwitchKind::kReading,
     "VCS-TR-HASTOP-NOT-RUNNING",
     "hastop on a system that is not RUNNING enters LEAVING, as S-VCS41-STOP describes hastop "
     "without naming a starting state, rather than going straight to EXITING."},
    {Switch::kConfigOnAnyJoined, "config-on-any-joined", SwitchKind::kReading,
     "VCS-PRE-CONFIG-NEEDS-RUNNING",
     "Configuration commands are rejected only in the documented LEAVING, REMOTE_BUILD and "
     "ADMIN_WAIT states (and on UNKNOWN engines), so a joined engine that is not RUNNING accepts "
     "them."},
};
static_assert(std::size(kSwitches) == static_cast<std::size_t>(Switch::kCount));

constexpr std::array<std::string_view, 16> kStateNames = {
    "INITING",
    "CURRENT_DISCOVER_WAIT",
    "CURRENT_PEER_WAIT",
    "STALE_DISCOVER_WAIT",
    "STALE_PEER_WAIT",
    "STALE_ADMIN_WAIT",
    "ADMIN_WAIT",
    "LOCAL_BUILD",
    "REMOTE_BUILD",
    "RUNNING",
    "LEAVING",
    "EXITING",
    "EXITED",
    "EXITING_FORCIBLY",
    "FAULTED",
    "UNKNOWN",
};

// The precondition rules this engine cites when it refuses (the protocol's
// vocabulary: `haspec rules vcs-system --kind precondition`).
constexpr char kEngineUp[] = "VCS-PRE-ENGINE-UP";
constexpr char kHastartRunning[] = "VCS-PRE-HASTART-ENGINE-RUNNING";
constexpr char kJoinIniting[] = "VCS-PRE-JOIN-INITING";
constexpr char kDiscoverWait[] = "VCS-PRE-DISCOVER-WAIT";
constexpr char kLocalBuildDoneState[] = "VCS-PRE-LOCAL-BUILD-DONE-STATE";
constexpr char kRemoteBuildDoneState[] = "VCS-PRE-REMOTE-BUILD-DONE-STATE";
constexpr char kAgentsStoppedLeaving[] = "VCS-PRE-AGENTS-STOPPED-LEAVING";
constexpr char kEngineExitedExiting[] = "VCS-PRE-ENGINE-EXITED-EXITING";
constexpr char kHastopStopping[] = "VCS-PRE-HASTOP-ALREADY-STOPPING";
constexpr char kCrashNoEngine[] = "VCS-PRE-CRASH-ENGINE-GONE";
constexpr char kGroupsOnline[] = "VCS-PRE-GROUPS-ALREADY-ONLINE";
constexpr char kGroupOnlineRunning[] = "VCS-PRE-GROUP-ONLINE-RUNNING";
constexpr char kEditSame[] = "VCS-PRE-EDIT-MAIN-CF-SAME";
constexpr char kDeleteNoEntry[] = "VCS-PRE-HASYS-DELETE-NO-ENTRY";
constexpr char kDeleteState[] = "VCS-PRE-HASYS-DELETE-STATE";
constexpr char kAddNew[] = "VCS-PRE-HASYS-ADD-NEW";
constexpr char kConfigRejected[] = "VCS-PRE-CONFIG-REJECTED-STATE";
constexpr char kConfigNeedsRunning[] = "VCS-PRE-CONFIG-NEEDS-RUNNING";
constexpr char kForceAdminWait[] = "VCS-PRE-HASYS-FORCE-ADMIN-WAIT";
constexpr char kForceOneBuild[] = "VCS-PRE-FORCE-ONE-BUILD";

[[noreturn]] void Bad(const std::string& what) { throw std::runtime_error(what); }

std::optional<MainCf> MainCfFromName(std::string_view s) {
  if (s == "valid") return MainCf::kValid;
  if (s == "stale") return MainCf::kStale;
  if (s == "invalid") return MainCf::kInvalid;
  return std::nullopt;
}

// Rejects keys an op does not have (a gate bug or a newer protocol should
// be loud, not silently ignored). "expect" is a trace annotation.
void OnlyKeys(const json& op, std::initializer_list<std::string_view> keys) {
  for (auto it = op.begin(); it != op.end(); ++it) {
    if (it.key() == "op" || it.key() == "expect") continue;
    if (std::find(keys.begin(), keys.end(), it.key()) == keys.end()) {
      Bad("op " + op.at("op").dump() + ": unknown field \"" + it.key() + "\"");
    }
  }
}

bool BoolArg(const json& op, std::string_view key) {
  auto it = op.find(std::string(key));
  if (it == op.end()) return false;
  if (!it->is_boolean()) Bad(std::string(key) + ": expected true or false, got " + it->dump());
  return it->get<bool>();
}

}  // namespace

std::span<const SwitchInfo> Switches() { return kSwitches; }

const SwitchInfo* FindSwitch(std::string_view name, SwitchKind kind) {
  for (const SwitchInfo& s : kSwitches) {
    if (s.name == name && s.kind == kind) return &s;
  }
  return nullptr;
}

std::string_view SysStateName(SysState s) { return kStateNames[static_cast<std::size_t>(s)]; }

Cluster::Cluster() { Reset(json::object()); }

std::string Cluster::Name() const {
  std::string name = "haspec-ref-vcs-system 1";
  for (const SwitchInfo& s : kSwitches) {
    if (On(s.id)) {
      name += std::string(s.kind == SwitchKind::kMutant ? " mutant=" : " reading=") +
              std::string(s.name);
    }
  }
  return name;
}

// ---- Configuration ----------------------------------------------------------

json Cluster::Reset(const json& config) {
  if (!config.is_object()) Bad("config: expected an object, got " + config.dump());
  for (auto it = config.begin(); it != config.end(); ++it) {
    const std::string& k = it.key();
    if (k != "systems" && k != "no_entry" && k != "stale" && k != "invalid" && k != "machine") {
      Bad("config: unknown field \"" + k + "\" (expected systems, no_entry, stale, invalid)");
    }
  }
  std::vector<std::string> names = {"sys0", "sys1"};
  if (auto it = config.find("systems"); it != config.end()) {
    if (!it->is_array() || it->empty() || it->size() > kMaxSystems) {
      Bad("config.systems: expected 1 to 16 system names, got " + it->dump());
    }
    names.clear();
    for (const json& n : *it) {
      if (!n.is_string() || n.get<std::string>().empty()) {
        Bad("config.systems: expected a non-empty system name, got " + n.dump());
      }
      if (std::find(names.begin(), names.end(), n.get<std::string>()) != names.end()) {
        Bad("config.systems: duplicate system name " + n.dump());
      }
      names.push_back(n.get<std::string>());
    }
  }
  const int n = static_cast<int>(names.size());
  engines_.assign(n, Engine{});
  has_entry_.assign(n, true);
  generations_ = 1;
  for (int i = 0; i < n; ++i) {
    engines_[i].name = names[i];
    engines_[i].saw.assign(n, Departure::kNotSeen);
    // Every main.cf starts out holding the same configuration.
    engines_[i].disk_generation = 0;
  }
  auto systems_of = [&](const char* key) {
    std::vector<int> out;
    auto it = config.find(key);
    if (it == config.end()) return out;
    if (!it->is_array()) Bad(std::string("config.") + key + ": expected an array of names");
    for (const json& v : *it) {
      const auto pos =
          v.is_string() ? std::find(names.begin(), names.end(), v.get<std::string>()) : names.end();
      if (pos == names.end()) Bad(std::string("config.") + key + ": unknown system " + v.dump());
      out.push_back(static_cast<int>(pos - names.begin()));
    }
    return out;
  };
  for (int i : systems_of("no_entry")) has_entry_[i] = false;
  for (int i : systems_of("stale")) engines_[i].main_cf = MainCf::kStale;
  for (int i : systems_of("invalid")) {
    if (engines_[i].main_cf == MainCf::kStale) {
      Bad("config.invalid: " + names[i] + " is also stale; a main.cf is one or the other");
    }
    engines_[i].main_cf = MainCf::kInvalid;
  }
  return json::parse(Observe());
}

int Cluster::SystemArg(const json& op, std::string_view key) const {
  auto it = op.find(std::string(key));
  if (it == op.end()) Bad("op " + op.at("op").dump() + ": missing \"" + std::string(key) + "\"");
  if (it->is_string()) {
    for (std::size_t i = 0; i < engines_.size(); ++i) {
      if (engines_[i].name == it->get<std::string>()) return static_cast<int>(i);
    }
  }
  Bad(std::string(key) + ": unknown system " + it->dump());
}

// ---- The protocol entry -----------------------------------------------------

Result Cluster::Apply(const json& op) {
  if (!op.is_object() || !op.contains("op") || !op["op"].is_string()) {
    Bad("expected an op object with an \"op\" name, got " + op.dump());
  }
  const std::string name = op["op"].get<std::string>();
  Refusal refusal;
  if (name == "hastart") {
    OnlyKeys(op, {"sys", "mode"});
    std::string mode = "plain";
    if (auto it = op.find("mode"); it != op.end()) {
      if (!it->is_string() || (*it != "plain" && *it != "stale" && *it != "force")) {
        Bad("mode: expected plain, stale or force, got " + it->dump());
      }
      mode = it->get<std::string>();
    }
    refusal = Hastart(SystemArg(op, "sys"), mode);
  } else if (name == "join") {
    OnlyKeys(op, {"sys"});
    refusal = Join(SystemArg(op, "sys"));
  } else if (name == "discover") {
    OnlyKeys(op, {"sys"});
    refusal = Discover(SystemArg(op, "sys"));
  } else if (name == "local_build_done") {
    OnlyKeys(op, {"sys", "hacf_error"});
    refusal = LocalBuildDone(SystemArg(op, "sys"), BoolArg(op, "hacf_error"));
  } else if (name == "remote_build_done") {
    OnlyKeys(op, {"sys"});
    refusal = RemoteBuildDone(SystemArg(op, "sys"));
  } else if (name == "config_change") {
    OnlyKeys(op, {"on"});
    refusal = ConfigChange(SystemArg(op, "on"));
  } else if (name == "hasys_force") {
    OnlyKeys(op, {"target"});
    refusal = HasysForce(SystemArg(op, "target"));
  } else if (name == "hasys_delete") {
    OnlyKeys(op, {"on", "target"});
    refusal = HasysDelete(SystemArg(op, "on"), SystemArg(op, "target"));
  } else if (name == "hasys_add") {
    OnlyKeys(op, {"on", "target"});
    refusal = HasysAdd(SystemArg(op, "on"), SystemArg(op, "target"));
  } else if (name == "hastop") {
    OnlyKeys(op, {"sys", "force"});
    refusal = Hastop(SystemArg(op, "sys"), BoolArg(op, "force"));
  } else if (name == "agents_stopped") {
    OnlyKeys(op, {"sys"});
    refusal = AgentsStopped(SystemArg(op, "sys"));
  } else if (name == "engine_exited") {
    OnlyKeys(op, {"sys"});
    refusal = EngineExited(SystemArg(op, "sys"));
  } else if (name == "crash") {
    OnlyKeys(op, {"sys"});
    refusal = Crash(SystemArg(op, "sys"));
  } else if (name == "group_online") {
    OnlyKeys(op, {"sys"});
    refusal = GroupOnline(SystemArg(op, "sys"));
  } else if (name == "edit_main_cf") {
    OnlyKeys(op, {"sys", "main_cf"});
    auto it = op.find("main_cf");
    std::optional<MainCf> to;
    if (it != op.end() && it->is_string()) to = MainCfFromName(it->get<std::string>());
    if (!to) Bad("main_cf: expected valid, stale or invalid");
    refusal = EditMainCf(SystemArg(op, "sys"), *to);
  } else {
    Bad("unknown op \"" + name + "\"");
  }
  Result r;
  r.accepted = refusal.empty();
  r.reason = refusal;
  r.observation_text = Observe();
  return r;
}

// ---- Starting and joining ---------------------------------------------------

Cluster::Refusal Cluster::Hastart(int sys, std::string_view mode) {
  Engine& e = engines_[sys];
  if (e.Up()) return kHastartRunning;
  // A fresh engine has seen nobody leave, and nobody has seen it leave yet.
  std::fill(e.saw.begin(), e.saw.end(), Departure::kNotSeen);
  for (Engine& o : engines_) o.saw[sys] = Departure::kNotSeen;
  if (!has_entry_[sys]) {
    MoveTo(sys, S::kUnknown);
    return "";
  }
  if (mode == "stale" && !On(Switch::kHastartStaleIgnored)) {
    e.treats_main_cf_valid = false;
  } else if (mode == "force") {
    e.treats_main_cf_valid = e.main_cf != MainCf::kInvalid;
  } else {
    e.treats_main_cf_valid = e.main_cf == MainCf::kValid;
  }
  MoveTo(sys, S::kIniting);
  return "";
}

Cluster::Refusal Cluster::Join(int sys) {
  Engine& e = engines_[sys];
  if (e.state != S::kIniting) return kJoinIniting;
  MoveTo(sys, e.treats_main_cf_valid ? S::kCurrentDiscoverWait : S::kStaleDiscoverWait);
  return "";
}

Cluster::Refusal Cluster::Discover(int sys) {
  const S st = engines_[sys].state;
  if (st != S::kCurrentDiscoverWait && st != S::kStaleDiscoverWait) return kDiscoverWait;
  const bool valid = st == S::kCurrentDiscoverWait;
  // The seed's order: a RUNNING peer to copy, then a peer building from disk
  // to wait for; only with neither does the system decide for itself.
  if (const int r = LowestRunning(); r >= 0) {
    BeginRemoteBuild(sys, r);
    return "";
  }
  if (AnyIn(S::kLocalBuild)) {
    if (valid && On(Switch::kTwoLocalBuilds)) {
      BeginLocalBuild(sys);
    } else {
      MoveTo(sys, valid ? S::kCurrentPeerWait : S::kStalePeerWait);
    }
    return "";
  }
  if (AnyIn(S::kAdminWait)) {
    // The running configuration is lost: the joiner waits with the others
    // (dossier V16 / V17).
    if (valid && On(Switch::kLocalBuildBesideAdminWait)) {
      BeginLocalBuild(sys);
    } else if (!valid && On(Switch::kStaleJoinerStaleAdminWait)) {
      MoveTo(sys, S::kStaleAdminWait);
    } else {
      MoveTo(sys, S::kAdminWait);
    }
    return "";
  }
  if (valid) {
    BeginLocalBuild(sys);
  } else {
    MoveTo(sys, S::kStaleAdminWait);
  }
  return "";
}

// ---- Building ---------------------------------------------------------------

Cluster::Refusal Cluster::LocalBuildDone(int sys, bool hacf_error) {
  Engine& e = engines_[sys];
  if (e.state != S::kLocalBuild) return kLocalBuildDoneState;
  const bool error =
      (hacf_error && !On(Switch::kHacfErrorIgnored)) || e.main_cf == MainCf::kInvalid;
  if (error) {
    MoveTo(sys, S::kAdminWait);
    OnBuilderGone();
    return "";
  }
  e.running_generation = e.disk_generation;
  MoveTo(sys, S::kRunning);
  for (int j = 0; j < static_cast<int>(engines_.size()); ++j) {
    const S st = engines_[j].state;
    if (st == S::kAdminWait) {
      BeginRemoteBuild(j, sys);  // after hasys -force, the others copy the forced system
    } else if ((st == S::kCurrentPeerWait || st == S::kStalePeerWait) &&
               !On(Switch::kPeerWaitStuck)) {
      BeginRemoteBuild(j, sys);
    }
  }
  return "";
}

Cluster::Refusal Cluster::RemoteBuildDone(int sys) {
  Engine& e = engines_[sys];
  if (e.state != S::kRemoteBuild) return kRemoteBuildDoneState;
  e.running_generation = e.build_generation;  // snapshot plus the queued changes
  MoveTo(sys, S::kRunning);
  return "";
}

// ---- Configuration commands -------------------------------------------------

Cluster::Refusal Cluster::ConfigCommandGuard(int on) const {
  const S st = engines_[on].state;
  if (!engines_[on].Up()) return kEngineUp;  // V-16-1-10600 Cannot connect to VCS engine
  if (st == S::kLeaving && On(Switch::kConfigInLeaving)) return "";
  if (st == S::kLeaving || st == S::kRemoteBuild || st == S::kAdminWait) return kConfigRejected;
  if (st != S::kRunning) {
    if (On(Switch::kConfigOnAnyJoined) && st != S::kUnknown) return "";
    return kConfigNeedsRunning;
  }
  return "";
}

Cluster::Refusal Cluster::ConfigChange(int on) {
  if (Refusal r = ConfigCommandGuard(on); !r.empty()) return r;
  BroadcastChange();
  return "";
}

Cluster::Refusal Cluster::HasysForce(int target) {
  if (engines_[target].state != S::kAdminWait) return kForceAdminWait;
  if (AnyIn(S::kLocalBuild, target)) return kForceOneBuild;
  BeginLocalBuild(target);
  return "";
}

Cluster::Refusal Cluster::HasysDelete(int on, int target) {
  if (Refusal r = ConfigCommandGuard(on); !r.empty()) return r;
  if (!has_entry_[target]) return kDeleteNoEntry;
  const S shown = Shows(on, target);
  const bool deletable = shown == S::kExited || shown == S::kUnknown ||
                         (shown == S::kFaulted && On(Switch::kDeleteFaulted));
  if (!deletable) return kDeleteState;
  has_entry_[target] = false;
  for (Engine& o : engines_) o.saw[target] = Departure::kNotSeen;
  BroadcastChange();
  return "";
}

Cluster::Refusal Cluster::HasysAdd(int on, int target) {
  if (Refusal r = ConfigCommandGuard(on); !r.empty()) return r;
  if (has_entry_[target]) return kAddNew;
  has_entry_[target] = true;
  for (Engine& o : engines_) o.saw[target] = Departure::kNotSeen;
  BroadcastChange();
  return "";
}

// ---- Leaving ----------------------------------------------------------------

Cluster::Refusal Cluster::Hastop(int sys, bool force) {
  Engine& e = engines_[sys];
  if (!e.Up()) return kEngineUp;
  const S old = e.state;
  if (old == S::kExiting || old == S::kExitingForcibly || (old == S::kLeaving && !force)) {
    return kHastopStopping;
  }
  if (force) {
    if (On(Switch::kHastopForceOffline)) e.groups_online = false;
    MoveTo(sys, S::kExitingForcibly);  // the service groups keep running
  } else if (old == S::kRunning || On(Switch::kHastopLeavingAnywhere)) {
    MoveTo(sys, S::kLeaving);
  } else {
    // Nothing running to write back: the engine takes its groups offline
    // and exits.
    e.groups_online = false;
    MoveTo(sys, S::kExiting);
  }
  if (old == S::kRunning) OnLeftRunning(sys);
  if (old == S::kLocalBuild) OnBuilderGone();
  return "";
}

Cluster::Refusal Cluster::AgentsStopped(int sys) {
  Engine& e = engines_[sys];
  if (e.state != S::kLeaving) return kAgentsStoppedLeaving;
  e.groups_online = false;
  if (e.running_generation) {
    // LEAVING writes the running configuration to disk.
    e.disk_generation = *e.running_generation;
    e.main_cf = MainCf::kValid;
  }
  MoveTo(sys, S::kExiting);
  return "";
}

Cluster::Refusal Cluster::EngineExited(int sys) {
  const S st = engines_[sys].state;
  if (st != S::kExiting && st != S::kExitingForcibly) return kEngineExitedExiting;
  const bool forced_faulted = st == S::kExitingForcibly && On(Switch::kForcedExitFaulted);
  MoveTo(sys, forced_faulted ? S::kFaulted : S::kExited);
  return "";
}

Cluster::Refusal Cluster::Crash(int sys) {
  Engine& e = engines_[sys];
  if (!e.Up()) return kCrashNoEngine;
  const S old = e.state;
  e.groups_online = false;  // the node is down, and its groups with it
  MoveTo(sys, S::kFaulted);
  if (old == S::kRunning) OnLeftRunning(sys);
  if (old == S::kLocalBuild) OnBuilderGone();
  return "";
}

// ---- Groups and disks -------------------------------------------------------

Cluster::Refusal Cluster::GroupOnline(int sys) {
  Engine& e = engines_[sys];
  if (e.state != S::kRunning) return kGroupOnlineRunning;
  if (e.groups_online) return kGroupsOnline;
  e.groups_online = true;
  return "";
}

Cluster::Refusal Cluster::EditMainCf(int sys, MainCf to) {
  Engine& e = engines_[sys];
  if (e.main_cf == to) return kEditSame;
  e.main_cf = to;
  return "";
}

// ---- Event handlers ---------------------------------------------------------

void Cluster::MoveTo(int sys, SysState next) {
  Engine& e = engines_[sys];
  e.state = next;
  if (next != S::kRunning && next != S::kLeaving) e.running_generation.reset();
  if (next != S::kRemoteBuild) e.build_source = -1;
  if (e.Up()) return;
  // The engine is gone: it remembers nothing, and every peer that watches
  // records how it went (a system without an entry is not shown at all).
  std::fill(e.saw.begin(), e.saw.end(), Departure::kNotSeen);
  if (!has_entry_[sys]) return;
  Departure how = Departure::kStopped;
  if (next == S::kFaulted && !On(Switch::kCrashShownExited)) how = Departure::kFailed;
  for (int o = 0; o < static_cast<int>(engines_.size()); ++o) {
    if (o != sys && engines_[o].Watches()) engines_[o].saw[sys] = how;
  }
}

void Cluster::BeginLocalBuild(int sys) {
  MoveTo(sys, S::kLocalBuild);
  if (On(Switch::kStaleAdminWaitStuck)) return;
  for (int j = 0; j < static_cast<int>(engines_.size()); ++j) {
    if (engines_[j].state == S::kStaleAdminWait) MoveTo(j, S::kStalePeerWait);
  }
}

void Cluster::BeginRemoteBuild(int sys, int source) {
  MoveTo(sys, S::kRemoteBuild);
  Engine& e = engines_[sys];
  const Engine& from = engines_[source];
  e.build_source = source;
  e.build_generation = from.running_generation.value_or(0);
  // The snapshot carries the cluster's record of departed systems: the
  // copier learns the departures it did not watch itself.
  for (int j = 0; j < static_cast<int>(engines_.size()); ++j) {
    if (j != sys && e.saw[j] == Departure::kNotSeen) e.saw[j] = from.saw[j];
  }
}

void Cluster::OnLeftRunning(int sys) {
  const int lowest = LowestRunning();
  for (int j = 0; j < static_cast<int>(engines_.size()); ++j) {
    Engine& b = engines_[j];
    if (b.state != S::kRemoteBuild) continue;
    if (lowest < 0) {
      // The last RUNNING system left before the snapshot was taken.
      if (!On(Switch::kRemoteBuildSurvives)) MoveTo(j, S::kAdminWait);
    } else if (b.build_source == sys) {
      BeginRemoteBuild(j, lowest);  // start over from a system still RUNNING
    }
  }
}

void Cluster::OnBuilderGone() {
  for (int j = 0; j < static_cast<int>(engines_.size()); ++j) {
    const S st = engines_[j].state;
    if (st == S::kCurrentPeerWait) MoveTo(j, S::kCurrentDiscoverWait);
    if (st == S::kStalePeerWait) MoveTo(j, S::kStaleDiscoverWait);
  }
}

void Cluster::BroadcastChange() {
  const int generation = ++generations_;
  for (Engine& e : engines_) {
    if ((e.state == S::kRunning || e.state == S::kLeaving) && e.running_generation) {
      e.running_generation = generation;
    } else if (e.state == S::kRemoteBuild) {
      e.build_generation = generation;  // queued, applied before RUNNING
    }
  }
}

int Cluster::LowestRunning() const {
  for (int i = 0; i < static_cast<int>(engines_.size()); ++i) {
    if (engines_[i].state == S::kRunning) return i;
  }
  return -1;
}

bool Cluster::AnyIn(SysState s, int except) const {
  for (int i = 0; i < static_cast<int>(engines_.size()); ++i) {
    if (i != except && engines_[i].state == s) return true;
  }
  return false;
}

// ---- What the engines show --------------------------------------------------

SysState Cluster::Shows(int observer, int subject) const {
  const Engine& x = engines_[subject];
  if (observer == subject || x.Up()) return x.state;
  if (!has_entry_[subject]) return S::kUnknown;
  switch (engines_[observer].saw[subject]) {
    case Departure::kFailed:
      return S::kFaulted;
    case Departure::kStopped:
      return S::kExited;
    case Departure::kNotSeen:
      break;
  }
  // A configured system this engine never saw go: not in the cluster, and
  // not UNKNOWN (it has an entry).
  if (On(Switch::kUnknownForUnseen)) return S::kUnknown;
  return S::kExited;
}

std::string Cluster::Observe() const {
  JsonText w;
  w.Open().Key("observers").OpenList();
  const int n = static_cast<int>(engines_.size());
  for (int o = 0; o < n; ++o) {
    const Engine& e = engines_[o];
    w.Open().Key("observer").Value(e.name).Key("answered").Value(e.Up());
    if (e.Up()) {
      // An engine that has not joined (UNKNOWN) knows only itself.
      auto row = [&](int j) { return j == o || (e.state != S::kUnknown && has_entry_[j]); };
      w.Key("listed").OpenList();
      for (int j = 0; j < n; ++j) {
        if (row(j)) w.Value(engines_[j].name);
      }
      w.CloseList().Key("states").Open();
      for (int j = 0; j < n; ++j) {
        if (row(j)) w.Key(engines_[j].name).Value(SysStateName(Shows(o, j)));
      }
      w.Close();
      bool groups = false;
      for (int j = 0; j < n; ++j) groups = groups || (row(j) && engines_[j].Up());
      if (groups) {
        w.Key("groups_online").Open();
        for (int j = 0; j < n; ++j) {
          if (row(j) && engines_[j].Up()) w.Key(engines_[j].name).Value(engines_[j].groups_online);
        }
        w.Close();
      }
    }
    w.Close();
  }
  return w.CloseList().Close().Take();
}

}  // namespace haspec::sut::vcs_system
