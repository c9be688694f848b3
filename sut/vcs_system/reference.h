// A reference implementation of the Veritas Cluster Server engine's system
// states (machine "vcs-system"), written from seed 004 ("System states", VCS
// 7.0) and section 1 of the domain dossier, for haspec's gate to check.
//
// It is shaped like a small cluster simulator, not like haspec's model: a
// Cluster owns one Engine object per system (the HAD process plus its host's
// main.cf and service groups), every op is a method on the cluster that
// mutates those objects, and consequences on other systems (a build that
// ends releases its waiters, the last RUNNING system leaving sends the
// builders to ADMIN_WAIT) are event handlers the methods call. Configurations
// are generation numbers, as a real engine versions its running
// configuration. It never includes model/ or engine/ (a test greps for that).
//
//   haspec::sut::vcs_system::Cluster cluster;
//   cluster.Reset({{"systems", {"alpha", "beta"}}});
//   auto r = cluster.Apply({{"op", "hastart"}, {"sys", "alpha"}});
//   // r.accepted, r.reason ("" or a VCS-PRE-* rule ID), r.observation
//
// Switches turn it into a plausible buggy engine (a mutant) or an engine
// that answers differently where the documents are silent (a reading); the
// table is Switches() and sut/vcs_system/manifest.json lists the same.
#ifndef HASPEC_SUT_VCS_SYSTEM_REFERENCE_H_
#define HASPEC_SUT_VCS_SYSTEM_REFERENCE_H_

#include <bitset>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sut/protocol/server.h"

namespace haspec::sut::vcs_system {

// Every switch of the reference. Mutants are bugs; readings are other
// defensible answers where the documents leave the choice open.
enum class Switch : std::uint8_t {
  // Mutants.
  kTwoLocalBuilds,
  kLocalBuildBesideAdminWait,
  kStaleAdminWaitStuck,
  kPeerWaitStuck,
  kHacfErrorIgnored,
  kRemoteBuildSurvives,
  kHastopForceOffline,
  kConfigInLeaving,
  kDeleteFaulted,
  kCrashShownExited,
  kUnknownForUnseen,
  kHastartStaleIgnored,
  // Readings.
  kStaleJoinerStaleAdminWait,
  kForcedExitFaulted,
  kHastopLeavingAnywhere,
  kConfigOnAnyJoined,
  kCount,
};

enum class SwitchKind : std::uint8_t { kMutant, kReading };

struct SwitchInfo {
  Switch id;
  std::string_view name;  // the server's --mutant / --reading NAME
  SwitchKind kind;
  std::string_view rule;  // the machine rule it concerns
  std::string_view bug;   // one sentence
};

// The table of switches, in Switch order.
std::span<const SwitchInfo> Switches();
const SwitchInfo* FindSwitch(std::string_view name, SwitchKind kind);

// The states an engine reports (SysState attribute values).
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
std::string_view SysStateName(SysState s);

enum class MainCf : std::uint8_t { kValid, kStale, kInvalid };

// How an engine remembers a peer that went away.
enum class Departure : std::uint8_t { kNotSeen, kStopped, kFailed };

// One system: its HAD engine, its main.cf and its service groups.
class Engine {
 public:
  std::string name;
  SysState state = SysState::kExited;  // EXITED / FAULTED: no engine; how it last went
  MainCf main_cf = MainCf::kValid;
  bool treats_main_cf_valid = false;  // decided by hastart, used when INITING ends
  bool groups_online = false;
  int disk_generation = 0;                // the configuration main.cf holds
  std::optional<int> running_generation;  // RUNNING / LEAVING: the running configuration
  // REMOTE_BUILD bookkeeping: who is copied, and the copy with the changes
  // queued while it is retrieved.
  int build_source = -1;
  int build_generation = 0;
  // Per peer: how this engine saw it leave (meaningful while this engine
  // watches: it runs and has joined).
  std::vector<Departure> saw;

  bool Up() const { return state != SysState::kExited && state != SysState::kFaulted; }
  bool Watches() const { return Up() && state != SysState::kUnknown; }
};

class Cluster : public Implementation {
 public:
  Cluster();

  void Enable(Switch s) { switches_.set(static_cast<std::size_t>(s)); }
  bool On(Switch s) const { return switches_.test(static_cast<std::size_t>(s)); }

  std::string Machine() const override { return "vcs-system"; }
  std::string Name() const override;
  std::vector<std::string> EnvChoices() const override { return {"local_build_done.hacf_error"}; }
  nlohmann::json Reset(const nlohmann::json& config) override;
  Result Apply(const nlohmann::json& op) override;

  // What every engine shows now (the machine's observation JSON).
  std::string Observe() const;  // the observation, as JSON text
  const std::vector<Engine>& engines() const { return engines_; }

 private:
  // A refusal: the precondition rule ID, or "" when the op goes ahead.
  using Refusal = std::string;

  int SystemArg(const nlohmann::json& op, std::string_view key) const;

  // Commands and events; each returns "" when accepted, else the rule ID.
  Refusal Hastart(int sys, std::string_view mode);
  Refusal Join(int sys);
  Refusal Discover(int sys);
  Refusal LocalBuildDone(int sys, bool hacf_error);
  Refusal RemoteBuildDone(int sys);
  Refusal ConfigChange(int on);
  Refusal HasysForce(int target);
  Refusal HasysDelete(int on, int target);
  Refusal HasysAdd(int on, int target);
  Refusal Hastop(int sys, bool force);
  Refusal AgentsStopped(int sys);
  Refusal EngineExited(int sys);
  Refusal Crash(int sys);
  Refusal GroupOnline(int sys);
  Refusal EditMainCf(int sys, MainCf to);

  // Why a configuration command typed on `on` is rejected, or "".
  Refusal ConfigCommandGuard(int on) const;

  // Event handlers: consequences of one system's move on the others.
  void MoveTo(int sys, SysState next);  // records departures on watching peers
  void BeginLocalBuild(int sys);
  void BeginRemoteBuild(int sys, int source);
  void OnLeftRunning(int sys);
  void OnBuilderGone();
  void BroadcastChange();

  int LowestRunning() const;
  bool AnyIn(SysState s, int except = -1) const;
  // How engine `observer` shows system `subject`.
  SysState Shows(int observer, int subject) const;

  std::bitset<static_cast<std::size_t>(Switch::kCount)> switches_;
  std::vector<Engine> engines_;
  std::vector<bool> has_entry_;
  int generations_ = 0;  // configuration generations handed out so far
};

}  // namespace haspec::sut::vcs_system

#endif  // HASPEC_SUT_VCS_SYSTEM_REFERENCE_H_
