// The Veritas Cluster Server (VCS) engine's system states: how HAD on each
// system of a cluster starts, joins, builds its running configuration,
// waits for an administrator, and leaves.
//
// A cluster has kSystems systems, sys0..sys3; the number is also the node id
// ("lowest-numbered" in the documents). For each system the state holds what
// its own engine reports, the state it was in before (so invariants can say
// how a state was entered), its main.cf on disk, the running configuration it
// holds (as a generation number), its REMOTE_BUILD bookkeeping, whether its
// service groups are online, and what it knows about systems that have gone
// (FAULTED, EXITED or never seen). Peers see a running engine's state as it
// reports it; a gone engine as FAULTED or EXITED. See model/vcs_system/README.md.
//
//   using haspec::vcs_system::VcsSystem;
//   namespace v = haspec::vcs_system;
//   VcsSystem::State s = VcsSystem::Initial();           // all engines stopped
//   s = VcsSystem::Step(s, v::Hastart{0}).next;          // sys0 INITING
//   s = VcsSystem::Step(s, v::Join{0}).next;             // CURRENT_DISCOVER_WAIT
//   s = VcsSystem::Step(s, v::Discover{0}).next;         // LOCAL_BUILD
//   auto o = VcsSystem::Step(s, v::LocalBuildDone{0});   // RUNNING
//
// When one step changes other systems too (a finished build releases the
// systems waiting for it, the last RUNNING system leaving sends builders to
// ADMIN_WAIT), the outcome's rule names that consequence rather than the op's
// own transition.
#ifndef HASPEC_MODEL_VCS_SYSTEM_VCS_SYSTEM_H_
#define HASPEC_MODEL_VCS_SYSTEM_VCS_SYSTEM_H_

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "model/core/machine.h"
#include "model/core/machine_base.h"
#include "model/core/names.h"
#include "model/core/outcome.h"
#include "model/core/rule.h"

namespace haspec::vcs_system {

inline constexpr int kSystems = 4;
inline constexpr std::uint8_t kAllSystems = (1u << kSystems) - 1;

enum class RuleId : std::uint16_t {
#define HASPEC_RULE(e, id, kind, basis, src, quote, stmt) e,
#include "model/vcs_system/rules.def"
#undef HASPEC_RULE
};

// The sixteen system states of seed 004 (SysState attribute values).
enum class SysState : std::uint8_t {
  kIniting,
  kCurrentDiscoverWait,
  kCurrentPeerWait,
  kStaleDiscoverWait,
  kStalePeerWait,
  kStaleAdminWait,
  kAdminWait,
  kLocalBuild,
  kRemoteBuild,
  kRunning,
  kLeaving,
  kExiting,
  kExited,
  kExitingForcibly,
  kFaulted,
  kUnknown,
};
inline constexpr NameTable<SysState, 16> kSysStateNames{{{
    {SysState::kIniting, "INITING", "INITING"},
    {SysState::kCurrentDiscoverWait, "CURRENT_DISCOVER_WAIT", "CURRENT_DISCOVER_WAIT"},
    {SysState::kCurrentPeerWait, "CURRENT_PEER_WAIT", "CURRENT_PEER_WAIT"},
    {SysState::kStaleDiscoverWait, "STALE_DISCOVER_WAIT", "STALE_DISCOVER_WAIT"},
    {SysState::kStalePeerWait, "STALE_PEER_WAIT", "STALE_PEER_WAIT"},
    {SysState::kStaleAdminWait, "STALE_ADMIN_WAIT", "STALE_ADMIN_WAIT"},
    {SysState::kAdminWait, "ADMIN_WAIT", "ADMIN_WAIT"},
    {SysState::kLocalBuild, "LOCAL_BUILD", "LOCAL_BUILD"},
    {SysState::kRemoteBuild, "REMOTE_BUILD", "REMOTE_BUILD"},
    {SysState::kRunning, "RUNNING", "RUNNING"},
    {SysState::kLeaving, "LEAVING", "LEAVING"},
    {SysState::kExiting, "EXITING", "EXITING"},
    {SysState::kExited, "EXITED", "EXITED"},
    {SysState::kExitingForcibly, "EXITING_FORCIBLY", "EXITING_FORCIBLY"},
    {SysState::kFaulted, "FAULTED", "FAULTED"},
    {SysState::kUnknown, "UNKNOWN", "UNKNOWN"},
}}};

// An engine runs in every state but the two that only peers can see.
constexpr bool EngineUp(SysState s) {
  return s != SysState::kExited && s != SysState::kFaulted;
}

// The system's main.cf on disk. kStale is valid but marked stale (the 4.1
// guide's "designated stale"); kInvalid covers missing and broken files.
enum class MainCf : std::uint8_t { kValid, kStale, kInvalid };
inline constexpr NameTable<MainCf, 3> kMainCfNames{{{
    {MainCf::kValid, "valid", "valid"},
    {MainCf::kStale, "stale", "valid but marked stale"},
    {MainCf::kInvalid, "invalid", "missing or invalid"},
}}};

// hastart's options.
enum class StartMode : std::uint8_t { kPlain, kStale, kForce };
inline constexpr NameTable<StartMode, 3> kStartModeNames{{{
    {StartMode::kPlain, "plain", "hastart"},
    {StartMode::kStale, "stale", "hastart -stale", "-stale"},
    {StartMode::kForce, "force", "hastart -force", "-force"},
}}};

struct Sys {
  SysState state = SysState::kExited;  // own report; EXITED/FAULTED: engine gone
  SysState prev = SysState::kExited;   // the state before `state`
  MainCf main_cf = MainCf::kValid;
  bool current = false;        // engine up, started with a config it treats as valid
  bool groups_online = false;  // service groups online on this system
  std::uint8_t disk_gen = 0;   // configuration generation in main.cf
  std::uint8_t run_gen = 0;    // running configuration held (RUNNING, LEAVING)
  std::uint8_t source = 0;     // REMOTE_BUILD: the peer being copied
  std::uint8_t snapshot_gen = 0;  // REMOTE_BUILD: generation of that copy
  std::uint8_t queued = 0;     // REMOTE_BUILD: changes made since the copy
  // seen[s]: how this engine shows system s while s's engine is gone:
  // FAULTED, EXITED, or UNKNOWN (not seen leave). All UNKNOWN when this
  // engine is not running; entries for running systems stay UNKNOWN.
  std::array<SysState, kSystems> seen{SysState::kUnknown, SysState::kUnknown,
                                      SysState::kUnknown, SysState::kUnknown};
  friend bool operator==(const Sys&, const Sys&) = default;
};

struct State {
  std::array<Sys, kSystems> sys{};
  std::uint8_t entries = kAllSystems;  // bit i: sys<i> has a system entry
  friend bool operator==(const State&, const State&) = default;
};

// ---- Ops. System fields are node ids 0..kSystems-1. ---------------------
// Commands are typed on a system (`on` or `sys`); events happen to one.
struct Hastart { static constexpr std::string_view kName = "hastart";
  std::uint8_t sys; StartMode mode = StartMode::kPlain; };
// INITING: the engine has registered with the cluster and checked main.cf.
struct Join { static constexpr std::string_view kName = "join";
  std::uint8_t sys; };
// *_DISCOVER_WAIT: the engine has heard from its peers and decides.
struct Discover { static constexpr std::string_view kName = "discover";
  std::uint8_t sys; };
// LOCAL_BUILD ends; `hacf_error` is the environment's choice.
struct LocalBuildDone { static constexpr std::string_view kName = "local_build_done";
  std::uint8_t sys; bool hacf_error = false; };
// REMOTE_BUILD ends: the snapshot and the queued changes are in.
struct RemoteBuildDone { static constexpr std::string_view kName = "remote_build_done";
  std::uint8_t sys; };
// Any configuration-changing command (haconf, hagrp -modify, ...).
struct ConfigChange { static constexpr std::string_view kName = "config_change";
  std::uint8_t on; };
struct HasysForce { static constexpr std::string_view kName = "hasys_force";
  std::uint8_t target; };
struct HasysDelete { static constexpr std::string_view kName = "hasys_delete";
  std::uint8_t on; std::uint8_t target; };
struct HasysAdd { static constexpr std::string_view kName = "hasys_add";
  std::uint8_t on; std::uint8_t target; };
struct Hastop { static constexpr std::string_view kName = "hastop";
  std::uint8_t sys; bool force = false; };
// LEAVING: groups offline, agents stopped, configuration written.
struct AgentsStopped { static constexpr std::string_view kName = "agents_stopped";
  std::uint8_t sys; };
// EXITING or EXITING_FORCIBLY: the engine process is gone.
struct EngineExited { static constexpr std::string_view kName = "engine_exited";
  std::uint8_t sys; };
// The node fails (or drops out of the membership).
struct Crash { static constexpr std::string_view kName = "crash";
  std::uint8_t sys; };
struct GroupOnline { static constexpr std::string_view kName = "group_online";
  std::uint8_t sys; };
struct EditMainCf { static constexpr std::string_view kName = "edit_main_cf";
  std::uint8_t sys; MainCf main_cf = MainCf::kValid; };

using Op = std::variant<Hastart, Join, Discover, LocalBuildDone, RemoteBuildDone,
                        ConfigChange, HasysForce, HasysDelete, HasysAdd, Hastop,
                        AgentsStopped, EngineExited, Crash, GroupOnline, EditMainCf>;

// What `hasys -state` (or the system rows of `hastatus -sum`) prints on each
// system whose engine runs. Cells outside `listed` are UNKNOWN.
struct Observation {
  // listed[o]: bit s = a row for sys<s> on sys<o>; 0 = sys<o>'s engine is not
  // running, so the command fails there.
  std::array<std::uint8_t, kSystems> listed{};
  std::array<std::array<SysState, kSystems>, kSystems> table{};  // [observer][system]
  Observation() {
    for (auto& row : table) row.fill(SysState::kUnknown);
  }
  friend bool operator==(const Observation&, const Observation&) = default;
};

struct VcsSystem : MachineBase<VcsSystem, State, Op, RuleId, Observation> {
  static constexpr std::string_view kName = "vcs-system";
  static constexpr std::string_view kTitle =
      "Veritas Cluster Server system states (HAD start, build, ADMIN_WAIT, "
      "stop, peers' views)";

  HASPEC_MACHINE_FUNCTIONS
  static void CheckAdvisories(const State& s, std::vector<FindingT>& out);
};

static_assert(Machine<VcsSystem>);

// "sys2".
std::string SystemName(int id);
// The id of "sys0".."sys3", or nullopt.
std::optional<int> SystemId(std::string_view name);

// How observer `o` shows system `s` (meaningful when both are listed).
SysState ViewOf(const State& st, int o, int s);

}  // namespace haspec::vcs_system

#endif  // HASPEC_MODEL_VCS_SYSTEM_VCS_SYSTEM_H_
