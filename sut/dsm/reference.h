// A reference implementation of VMware Data Services Manager 1.4 Provider HA,
// written from the documents (seeds 000 and 001, dossier section 3), not
// from haspec's model: it includes nothing under model/ or engine/, so the
// gate compares two independent readings of the same pages.
//
// Its shape is a product's, not a step function: a ProviderCluster owns one
// ProviderVm object per VM slot, each command is a method that checks its
// guards and mutates the objects in place, environment events are handlers,
// versions are absolute release numbers and a VM keeps the set of its
// services that are down. The protocol side (haspec::sut::Implementation)
// parses op JSON, dispatches to those methods and renders the two views the
// product has (/appliance/provider-ha-nodes and /appliance/status).
//
//   haspec::sut::dsm_ref::DsmReference ref;
//   ref.Enable("apply-through-lb");          // a mutant, or a reading
//   ref.Reset({{"nodes", {"a", "b", "c"}}});
//   auto r = ref.Apply({{"op", "deploy_vm"}, {"node", "a"}});
//
// Switches: mutants are bugs an implementer could plausibly make; readings
// are other defensible answers where the documents are silent. Switches()
// lists both with the rule each concerns (the vocabulary of the protocol);
// sut/dsm/manifest.json repeats the list for the gate and its users.
#ifndef HASPEC_SUT_DSM_REFERENCE_H_
#define HASPEC_SUT_DSM_REFERENCE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sut/protocol/server.h"

namespace haspec::sut::dsm_ref {

enum class SwitchKind : std::uint8_t { kMutant, kReading };

struct SwitchInfo {
  std::string_view name;  // --mutant NAME / --reading NAME
  SwitchKind kind;
  std::string_view rule;  // the rule of the protocol's vocabulary it concerns
  std::string_view bug;   // one sentence
};

// Every switch the reference has, mutants first.
std::span<const SwitchInfo> Switches();
const SwitchInfo* FindSwitch(std::string_view name);

// One Provider VM slot of the deployment.
class ProviderVm {
 public:
  enum class Life : std::uint8_t {
    kNone,       // nothing deployed in the slot
    kDeployed,   // a fresh Provider VM, never registered
    kMember,     // the standalone provider or a member of the HA cluster
    kWithdrawn,  // deleted, or removed by a promote or a restore: unusable
  };
  enum class Role : std::uint8_t { kStandalone, kPrimary, kStandby };

  explicit ProviderVm(std::string id) : id_(std::move(id)) {}

  const std::string& id() const { return id_; }
  Life life() const { return life_; }
  Role role() const { return role_; }
  bool IsMember() const { return life_ == Life::kMember; }
  bool IsStandby() const { return IsMember() && role_ == Role::kStandby; }
  bool IsLeader() const { return IsMember() && role_ != Role::kStandby; }

  // Deploys a fresh VM built from release `version`.
  void Deploy(int version);
  // Registers the VM in the cluster with `role` (a Standby starts its HA
  // configuration).
  void Register(Role role, bool configuring);
  void Withdraw();
  void SetRole(Role r) { role_ = r; }

  int version() const { return version_; }
  void set_version(int v) { version_ = v; }

  // Health facts.
  bool powered_on() const { return powered_on_; }
  void set_powered_on(bool on) { powered_on_ = on; }
  const std::set<std::string>& services_down() const { return services_down_; }
  void ServiceDown(const std::string& s) { services_down_.insert(s); }
  void ServiceUp(const std::string& s) { services_down_.erase(s); }
  void RestartAllServices() { services_down_.clear(); }
  bool password_expired() const { return password_expired_; }
  void set_password_expired(bool e) { password_expired_ = e; }
  bool configuring() const { return configuring_; }
  void set_configuring(bool c) { configuring_ = c; }
  bool lagging() const { return lagging_; }
  void set_lagging(bool l) { lagging_ = l; }

  // Updates: the release staged (absolute number), and whether the VM is
  // consuming one.
  std::optional<int> staged() const { return staged_; }
  void Stage(int release) { staged_ = release; }
  bool updating() const { return updating_; }
  void set_updating(bool u) { updating_ = u; }
  void FinishUpdate(int release) {
    updating_ = false;
    staged_.reset();
    version_ = release;
  }

 private:
  std::string id_;
  Life life_ = Life::kNone;
  Role role_ = Role::kStandalone;
  int version_ = 0;
  bool powered_on_ = true;
  std::set<std::string> services_down_;
  bool password_expired_ = false;
  bool configuring_ = false;
  bool lagging_ = false;  // cannot catch up with the Primary
  std::optional<int> staged_;
  bool updating_ = false;
};

// A command's answer: accepted, or refused with the rule that forbids it.
struct Verdict {
  bool accepted = true;
  std::string reason;
  static Verdict Ok() { return {}; }
  static Verdict No(std::string_view rule) { return {false, std::string(rule)}; }
};

class DsmReference : public Implementation {
 public:
  DsmReference();

  // Turns a switch on; false for an unknown name.
  bool Enable(std::string_view name);
  bool On(std::string_view name) const { return enabled_.count(std::string(name)) > 0; }

  std::string Machine() const override { return "dsm"; }
  std::string Name() const override;
  std::vector<std::string> EnvChoices() const override;
  nlohmann::json Reset(const nlohmann::json& config) override;
  Result Apply(const nlohmann::json& op) override;

  // The product's two views of every slot, merged: the membership list with
  // roles and statuses, and each reachable node's /appliance/status.
  std::string View() const;  // the observation, as JSON text

  // Commands and events, one method each (public so a C++ user can drive the
  // cluster without JSON).
  Verdict DeployVm(int slot, bool previous_ova);
  Verdict ConfigureHa(int slot);
  Verdict AddStandby(int slot);
  Verdict FinishHaConfig(const std::set<int>& failed);
  Verdict DeleteStandby(int slot, std::string_view channel, const std::set<int>& failed);
  Verdict Promote(int slot, int run_on, const std::set<int>& failed);
  Verdict ReturnToStandalone(int slot);
  Verdict RestoreFromBackup(int slot);
  Verdict OnServiceDown(int slot, const std::string& service);
  Verdict RestartService(int slot, const std::string& service);
  Verdict OnNodeDown(int slot);
  Verdict PowerOn(int slot);
  Verdict OnPasswordExpired(int slot);
  Verdict ChangePassword(int slot);
  Verdict OnFallBehind(int slot);
  Verdict OnRelease();
  Verdict StageUpdate(int slot, std::string_view via);
  Verdict ApplyUpdate(int slot, std::string_view via);
  Verdict OnUpdateComplete(int slot);
  Verdict UpdateAgents();
  Verdict ForwardRequest(int slot, bool write);

 private:
  // The status label a member shows (a wire name such as "ACTIVE_MODE").
  std::string StatusOf(const ProviderVm& vm) const;
  bool IsActive(const ProviderVm& vm) const { return StatusOf(vm) == "ACTIVE_MODE"; }
  // The VM is down, or apms or vpostgresql is down: "down or Lost
  // Connectivity", whatever label the node shows.
  bool Unreachable(const ProviderVm& vm) const;
  bool CoreServiceDown(const ProviderVm& vm) const;

  ProviderVm* Slot(int slot);
  ProviderVm* Primary();
  ProviderVm* Leader();
  int Members() const;
  bool AnyUpdating() const;
  bool AnyConfiguring() const;
  bool EveryStandbyLost() const;
  int Behind(int version) const;
  // Marks the Standbys whose reconfiguration failed Out of Sync.
  void Reconfigured(const std::set<int>& failed);
  bool FaultAllowed(const std::string& fault) const;

  // Member guard shared by most commands; the refusal when not a member.
  std::optional<Verdict> NotMember(int slot);

  Result Dispatch(const nlohmann::json& op);
  int NodeOf(const nlohmann::json& op, std::string_view key) const;
  std::set<int> NodeSetOf(const nlohmann::json& op, std::string_view key) const;

  std::set<std::string> enabled_;
  std::vector<std::string> names_;
  std::vector<ProviderVm> vms_;
  std::set<std::string> faults_;  // fault kinds the configuration injects
  int newest_ = 0;                // newest .ova release available
  int agents_version_ = 0;
};

}  // namespace haspec::sut::dsm_ref

#endif  // HASPEC_SUT_DSM_REFERENCE_H_
