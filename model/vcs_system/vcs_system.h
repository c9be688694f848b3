// The Veritas Cluster Server (VCS) engine's system states: how HAD on each
// system of a cluster starts, joins, builds its running configuration,
// waits for an administrator, and leaves, and how each engine shows its peers.
//
// A configuration names 1..kMaxSystems systems (Config::nodes, the product's
// own host names); a system's index is its node id, so "the lowest-numbered
// system" is the one listed first. For each system the state holds what its
// own engine reports (EXITED or FAULTED once the engine is gone: how it last
// left), its main.cf on disk, the running configuration it holds, its
// REMOTE_BUILD bookkeeping, whether its service groups are online, and how
// its engine shows each gone peer (view[observer][subject]: FAULTED, EXITED,
// or not seen leaving). Configurations are labels, renumbered after every
// step, so the state space is finite. See model/vcs_system/README.md.
//
//   namespace v = haspec::vcs_system;
//   using v::VcsSystem;
//   v::Config c = VcsSystem::DefaultConfig();              // sys0, sys1
//   VcsSystem::State s = VcsSystem::Initial(c);            // all engines stopped
//   s = VcsSystem::Step(s, v::Hastart{0}).next;            // sys0 INITING
//   s = VcsSystem::Step(s, v::Join{0}).next;               // CURRENT_DISCOVER_WAIT
//   s = VcsSystem::Step(s, v::Discover{0}).next;           // LOCAL_BUILD
//   auto o = VcsSystem::Step(s, v::LocalBuildDone{0});     // RUNNING
//
// When one step changes other systems too (a finished build releases the
// systems waiting for it, the last RUNNING system leaving sends builders to
// ADMIN_WAIT), the outcome's rule names that consequence rather than the op's
// own transition.
#ifndef HASPEC_MODEL_VCS_SYSTEM_VCS_SYSTEM_H_
#define HASPEC_MODEL_VCS_SYSTEM_VCS_SYSTEM_H_

#include <array>
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <variant>
#include <vector>

#include "model/core/import.h"
#include "model/core/machine.h"
#include "model/core/machine_base.h"
#include "model/core/names.h"
#include "model/core/nodes.h"
#include "model/core/op_spec.h"
#include "model/core/outcome.h"
#include "model/core/rule.h"

namespace haspec::vcs_system {

// VCS clusters hold up to 64 systems; 16 keeps a state at about 200 bytes
// and every system set in one 16-bit mask. Exhaustive exploration is
// tractable for 2 systems (28 k states); 3 systems exceed 3 M states. Walks,
// properties and replay run at any size.
inline constexpr int kMaxSystems = 16;
using SystemSet = std::uint16_t;

enum class RuleId : std::uint16_t {
#define HASPEC_RULE(e, id, kind, basis, src, quote, stmt) e,
#include "model/vcs_system/rules.def"
#undef HASPEC_RULE
};

// The sixteen system states of seed 004 (SysState attribute values), in the
// order of Statuses(): a status index is the enumerator's value.
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
inline constexpr char kSeed004[] = "004_8f69e7f3cbec2e41.txt";
inline constexpr NameTable<SysState, 16> kSysStateNames{{{
    {SysState::kIniting,
     "INITING",
     "INITING",
     {},
     kSeed004,
     "The system has joined the cluster. This is the initial state"},
    {SysState::kCurrentDiscoverWait,
     "CURRENT_DISCOVER_WAIT",
     "CURRENT_DISCOVER_WAIT",
     {},
     kSeed004,
     "has joined the cluster and its configuration file is valid"},
    {SysState::kCurrentPeerWait,
     "CURRENT_PEER_WAIT",
     "CURRENT_PEER_WAIT",
     {},
     kSeed004,
     "The system has a valid configuration file and another system"},
    {SysState::kStaleDiscoverWait,
     "STALE_DISCOVER_WAIT",
     "STALE_DISCOVER_WAIT",
     {},
     kSeed004,
     "has joined the cluster with an invalid configuration file"},
    {SysState::kStalePeerWait,
     "STALE_PEER_WAIT",
     "STALE_PEER_WAIT",
     {},
     kSeed004,
     "The system has an invalid configuration file and another system"},
    {SysState::kStaleAdminWait,
     "STALE_ADMIN_WAIT",
     "STALE_ADMIN_WAIT",
     {},
     kSeed004,
     "The system has an invalid configuration and there is no other system"},
    {SysState::kAdminWait,
     "ADMIN_WAIT",
     "ADMIN_WAIT",
     {},
     kSeed004,
     "The running configuration was lost."},
    {SysState::kLocalBuild,
     "LOCAL_BUILD",
     "LOCAL_BUILD",
     {},
     kSeed004,
     "The system is building the running configuration from the disk configuration."},
    {SysState::kRemoteBuild,
     "REMOTE_BUILD",
     "REMOTE_BUILD",
     {},
     kSeed004,
     "building a running configuration that it obtained from a peer"},
    {SysState::kRunning,
     "RUNNING",
     "RUNNING",
     {},
     kSeed004,
     "The system is an active member of the cluster."},
    {SysState::kLeaving,
     "LEAVING",
     "LEAVING",
     {},
     kSeed004,
     "The system is leaving the cluster gracefully."},
    {SysState::kExiting, "EXITING", "EXITING", {}, kSeed004, "The system is leaving the cluster."},
    {SysState::kExited, "EXITED", "EXITED", {}, kSeed004, "The system has left the cluster."},
    {SysState::kExitingForcibly,
     "EXITING_FORCIBLY",
     "EXITING_FORCIBLY",
     {},
     kSeed004,
     "An hastop -force command has forced the system to leave the cluster"},
    {SysState::kFaulted,
     "FAULTED",
     "FAULTED",
     {},
     kSeed004,
     "The system has left the cluster unexpectedly."},
    {SysState::kUnknown,
     "UNKNOWN",
     "UNKNOWN",
     {},
     kSeed004,
     "does not have a system entry in the configuration"},
}}};

// An engine runs in every state but the two that only peers can see.
constexpr bool EngineUp(SysState s) { return s != SysState::kExited && s != SysState::kFaulted; }

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

// How a running engine shows a peer whose engine is gone.
enum class View : std::uint8_t {
  kNotSeen = 0,  // it did not see the peer leave (nor learn it from a snapshot)
  kExited = 1,   // it saw the peer stop
  kFaulted = 2,  // it saw the peer fail
};

// A configuration label: equal labels are the same configuration. kNoConfig:
// none held. Labels are renumbered 0, 1, ... in order of first appearance
// after every step (Normalize), so they stay small.
inline constexpr std::uint8_t kNoConfig = 0xff;

// Neither Sys nor State has padding (spare bytes are members, always zero):
// engine/state_bytes.h hashes and compares a state's bytes.
struct Sys {
  std::uint32_t views = 0;             // 2 bits per subject: View; all kNotSeen unless joined
  SysState state = SysState::kExited;  // own report; EXITED/FAULTED: engine gone
  MainCf main_cf = MainCf::kValid;
  bool current = false;        // INITING, CURRENT_*, STALE_*: started treating main.cf as valid
  bool groups_online = false;  // service groups online on this system
  std::uint8_t disk_cfg = 0;   // the configuration in main.cf
  std::uint8_t run_cfg = kNoConfig;       // RUNNING, LEAVING: the running configuration held
  std::uint8_t source = 0;                // REMOTE_BUILD: the peer being copied
  std::uint8_t snapshot_cfg = kNoConfig;  // REMOTE_BUILD: the configuration copied
  std::uint8_t build_cfg = kNoConfig;     // REMOTE_BUILD: the copy plus the changes queued since
  std::array<std::uint8_t, 3> spare{};    // always zero
  friend bool operator==(const Sys&, const Sys&) = default;

  View ViewOf(int subject) const { return static_cast<View>((views >> (2 * subject)) & 3u); }
  void SetView(int subject, View v) {
    views = (views & ~(3u << (2 * subject))) | (static_cast<std::uint32_t>(v) << (2 * subject));
  }
};

struct State {
  SystemSet entries = 0;   // bit i: system i has a system entry in the configuration
  std::uint8_t n = 0;      // systems in the configuration's node list
  std::uint8_t spare = 0;  // always zero
  std::array<Sys, kMaxSystems> sys{};
  friend bool operator==(const State&, const State&) = default;
};
static_assert(std::has_unique_object_representations_v<State>, "a State has no padding");

// What a cluster looks like before anything starts.
struct Config {
  Nodes nodes = Nodes::Numbered(2, "sys");  // index = node id
  SystemSet no_entry = 0;  // systems without a system entry (hastart leaves them UNKNOWN)
  SystemSet stale = 0;     // systems whose main.cf is valid but marked stale
  SystemSet invalid = 0;   // systems whose main.cf is missing or invalid
  friend bool operator==(const Config&, const Config&) = default;
};

// ---- Ops: declared once (model/core/op_spec.h) --------------------------
struct Hastart {
  HASPEC_OP(Hastart, "hastart", kCommand, "hastart [-stale or -force] typed on sys")
  std::uint8_t sys = 0;
  StartMode mode = StartMode::kPlain;
  static constexpr auto Fields() {
    return std::tuple{NodeField(&Hastart::sys, "sys", "the system to start"),
                      EnumField(&Hastart::mode, "mode", kStartModeNames, "hastart's option")
                          .Optional(StartMode::kPlain)};
  }
};
struct Join {
  HASPEC_OP(Join, "join", kCompletion,
            "INITING ends: the engine has registered with the cluster and checked main.cf")
  std::uint8_t sys = 0;
  static constexpr auto Fields() {
    return std::tuple{NodeField(&Join::sys, "sys", "the system in INITING")};
  }
};
struct Discover {
  HASPEC_OP(Discover, "discover", kCompletion,
            "*_DISCOVER_WAIT ends: the engine has heard from its peers and decides")
  std::uint8_t sys = 0;
  static constexpr auto Fields() {
    return std::tuple{NodeField(&Discover::sys, "sys", "the discovering system")};
  }
};
struct LocalBuildDone {
  HASPEC_OP(LocalBuildDone, "local_build_done", kCompletion,
            "LOCAL_BUILD ends, with or without an error from hacf")
  std::uint8_t sys = 0;
  bool hacf_error = false;
  static constexpr auto Fields() {
    return std::tuple{NodeField(&LocalBuildDone::sys, "sys", "the building system"),
                      BoolField(&LocalBuildDone::hacf_error, "hacf_error",
                                "hacf reports the configuration invalid")
                          .Optional(false)
                          .EnvChoice()};
  }
};
struct RemoteBuildDone {
  HASPEC_OP(RemoteBuildDone, "remote_build_done", kCompletion,
            "REMOTE_BUILD ends: the snapshot and the changes queued meanwhile are in")
  std::uint8_t sys = 0;
  static constexpr auto Fields() {
    return std::tuple{NodeField(&RemoteBuildDone::sys, "sys", "the building system")};
  }
};
struct ConfigChange {
  HASPEC_OP(ConfigChange, "config_change", kCommand,
            "any configuration command (haconf, hagrp -modify, ...) typed on `on`")
  std::uint8_t on = 0;
  static constexpr auto Fields() {
    return std::tuple{NodeField(&ConfigChange::on, "on", "the system it is typed on")};
  }
};
struct HasysForce {
  HASPEC_OP(HasysForce, "hasys_force", kCommand,
            "hasys -force target: build the configuration from target's main.cf")
  std::uint8_t target = 0;
  static constexpr auto Fields() {
    return std::tuple{NodeField(&HasysForce::target, "target", "the system whose main.cf to use")};
  }
};
struct HasysDelete {
  HASPEC_OP(HasysDelete, "hasys_delete", kCommand, "hasys -delete target, typed on `on`")
  std::uint8_t on = 0;
  std::uint8_t target = 0;
  static constexpr auto Fields() {
    return std::tuple{NodeField(&HasysDelete::on, "on", "the system it is typed on"),
                      NodeField(&HasysDelete::target, "target", "the system to remove")};
  }
};
struct HasysAdd {
  HASPEC_OP(HasysAdd, "hasys_add", kCommand, "hasys -add target, typed on `on`")
  std::uint8_t on = 0;
  std::uint8_t target = 0;
  static constexpr auto Fields() {
    return std::tuple{NodeField(&HasysAdd::on, "on", "the system it is typed on"),
                      NodeField(&HasysAdd::target, "target", "the system to add")};
  }
};
struct Hastop {
  HASPEC_OP(Hastop, "hastop", kCommand, "hastop -local (or -sys) [-force]")
  std::uint8_t sys = 0;
  bool force = false;
  static constexpr auto Fields() {
    return std::tuple{NodeField(&Hastop::sys, "sys", "the system to stop"),
                      BoolField(&Hastop::force, "force", "hastop -force").Optional(false)};
  }
};
struct AgentsStopped {
  HASPEC_OP(AgentsStopped, "agents_stopped", kCompletion,
            "LEAVING ends: groups offline, agents stopped, configuration written")
  std::uint8_t sys = 0;
  static constexpr auto Fields() {
    return std::tuple{NodeField(&AgentsStopped::sys, "sys", "the leaving system")};
  }
};
struct EngineExited {
  HASPEC_OP(EngineExited, "engine_exited", kCompletion,
            "EXITING or EXITING_FORCIBLY ends: the engine process is gone")
  std::uint8_t sys = 0;
  static constexpr auto Fields() {
    return std::tuple{NodeField(&EngineExited::sys, "sys", "the exiting system")};
  }
};
struct Crash {
  HASPEC_OP(Crash, "crash", kEvent, "the node fails or drops out of the cluster membership")
  std::uint8_t sys = 0;
  static constexpr auto Fields() {
    return std::tuple{NodeField(&Crash::sys, "sys", "the failing system")};
  }
};
struct GroupOnline {
  HASPEC_OP(GroupOnline, "group_online", kCommand,
            "service groups come online on sys (AutoStart, hagrp -online)")
  std::uint8_t sys = 0;
  static constexpr auto Fields() {
    return std::tuple{NodeField(&GroupOnline::sys, "sys", "the system")};
  }
};
struct EditMainCf {
  HASPEC_OP(EditMainCf, "edit_main_cf", kEvent,
            "main.cf on sys is edited, broken or marked stale outside VCS")
  std::uint8_t sys = 0;
  MainCf main_cf = MainCf::kValid;
  static constexpr auto Fields() {
    return std::tuple{NodeField(&EditMainCf::sys, "sys", "the system"),
                      EnumField(&EditMainCf::main_cf, "main_cf", kMainCfNames, "its new main.cf")};
  }
};

using Op = std::variant<Hastart, Join, Discover, LocalBuildDone, RemoteBuildDone, ConfigChange,
                        HasysForce, HasysDelete, HasysAdd, Hastop, AgentsStopped, EngineExited,
                        Crash, GroupOnline, EditMainCf>;

// What the product shows, each fact optional (std::nullopt: not seen):
//   answered[o]   whether an ha command typed on o reached a running engine
//                 (false: "V-16-1-10600 Cannot connect to VCS engine");
//   listed[o]     the systems o's full `hasys -state` / `hastatus -sum`
//                 listed (a system absent from a seen listing has no row);
//   state[o][s]   the SysState o shows for s (a row, or `hasys -state s`);
//   groups_online[o][s]  whether o's `hagrp -state` shows s's service
//                 groups ONLINE (true) or all OFFLINE (false).
// A one-host output fills one observer's facts and leaves every other
// observer not seen: unseen engines are not seen, not down.
struct Observation {
  std::array<std::optional<bool>, kMaxSystems> answered{};
  std::array<std::optional<SystemSet>, kMaxSystems> listed{};
  std::array<std::array<std::optional<SysState>, kMaxSystems>, kMaxSystems> state{};
  std::array<std::array<std::optional<bool>, kMaxSystems>, kMaxSystems> groups_online{};
  friend bool operator==(const Observation&, const Observation&) = default;
};

struct VcsSystem : MachineBase<VcsSystem, State, Op, RuleId, Observation, Config> {
  static constexpr std::string_view kName = "vcs-system";
  static constexpr std::string_view kTitle =
      "Veritas Cluster Server system states (HAD start, build, ADMIN_WAIT, stop, peers' views)";

  HASPEC_MACHINE(VcsSystem)
  // The logs and snapshots `haspec import` reads (model/vcs_system/import.cc).
  static std::span<const Importer<Config, Observation>> Importers();
  static void CheckAdvisories(const State& s, std::vector<FindingT>& out);
  // Rules about a step: how a state was entered or left. `premises` gets
  // each step invariant whose premise held on this step (a system whose
  // engine came up, that became RUNNING, that left ADMIN_WAIT, ...).
  static void CheckTransition(const State& before, const Op& op, const State& after,
                              std::vector<FindingT>& out, std::vector<RuleId>* premises = nullptr);
  // Configuration labels renumbered and meaningless fields cleared. System
  // order is kept: "lowest-numbered" and per-observer views tell systems apart.
  static State Canonical(const State& s);
};

static_assert(Machine<VcsSystem>);

// How observer `o` shows system `subject` (meaningful when o's engine is up
// and lists the subject): its own report if its engine runs, else FAULTED or
// EXITED as o saw it leave, EXITED if o never saw it (assumption
// VCS-OBS-NOT-SEEN-EXITED), UNKNOWN without an entry.
SysState ViewOf(const State& st, int o, int subject);
// The systems `o`'s engine lists (0 when its engine is down).
SystemSet ListedBy(const State& st, int o);

}  // namespace haspec::vcs_system

#endif  // HASPEC_MODEL_VCS_SYSTEM_VCS_SYSTEM_H_
