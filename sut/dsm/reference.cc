#include "sut/dsm/reference.h"

#include <algorithm>
#include <array>
#include <stdexcept>

#include "sut/protocol/json_text.h"

namespace haspec::sut::dsm_ref {
namespace {

using nlohmann::json;

constexpr int kMaxClusterNodes = 4;  // seed 001: "a maximum of 4 (1 Primary, 3 Standby)"
constexpr int kMaxSlots = 6;         // 4 members plus VMs to spare
constexpr int kShownBehindCap = 2;   // the view says "2 or more" releases behind

// The services of a Provider VM as /appliance/status names them (dossier
// 3.5), then coredns, which seed 000 names but the status API does not show.
constexpr std::array<std::string_view, 8> kServices = {
    "apms", "postgres", "provider", "updateManager", "rabbitMQ", "monitoring", "rclone", "coredns"};
constexpr int kShownServices = 7;

// Fault kinds a configuration may let the environment inject beside the
// service names.
constexpr std::array<std::string_view, 3> kFaultKinds = {"vm_down", "password", "catch_up"};

constexpr SwitchInfo kSwitches[] = {
    {"lost-guard-ignores-services", SwitchKind::kMutant, "DSM-PRE-ALL-SECONDARIES-LOST",
     "Add, Delete and Promote go ahead when every Secondary has apms or vpostgresql down (Lost "
     "Connectivity): the guard counts only powered-off VMs."},
    {"parallel-standby-updates", SwitchKind::kMutant, "DSM-PRE-STANDBYS-SEQUENTIAL",
     "A Standby's update waits only for the Primary's, so two Standbys consume updates at once."},
    {"apply-through-lb", SwitchKind::kMutant, "DSM-PRE-UPDATE-NOT-VIA-LB",
     "Applying an update through the load balancer is accepted (only staging checks the address)."},
    {"primary-out-of-sync", SwitchKind::kMutant, "DSM-STATUS-OUT-OF-SYNC",
     "A failed reconfiguration marks any member Out of Sync, so the Primary shows Out of Sync."},
    {"deleted-standby-rejoins", SwitchKind::kMutant, "DSM-PRE-DELETED-NEVER-REJOINS",
     "A deleted (or removed) VM is accepted again as a Standby instead of a freshly deployed one."},
    {"vpostgres-down-critical", SwitchKind::kMutant, "DSM-STATUS-LOST-CONNECTIVITY",
     "vpostgresql is treated as an ordinary service: its failure shows Critical, not Lost "
     "Connectivity."},
    {"console-delete", SwitchKind::kMutant, "DSM-PRE-DELETE-API-ONLY",
     "Deleting a Standby through the console is accepted."},
    {"agents-before-standbys", SwitchKind::kMutant, "DSM-PRE-AGENTS-AFTER-PROVIDERS",
     "Agent updates start once the Primary runs the new release, before the Standbys do."},
    {"lb-forwards-to-critical", SwitchKind::kMutant, "DSM-PRE-LB-ACTIVE-ONLY",
     "The load balancer's health check looks only at apms and vpostgresql, so it forwards requests "
     "to Critical nodes."},
    {"fifth-node", SwitchKind::kMutant, "DSM-PRE-CLUSTER-FULL",
     "The cluster size check is off by one: a fifth node is added."},
    {"maintenance-allows-delete", SwitchKind::kMutant, "DSM-PRE-MAINTENANCE-NO-ADD-DELETE",
     "Delete is accepted while a node is in Maintenance Mode (only Add checks it)."},
    {"down-vm-shows-active", SwitchKind::kMutant, "DSM-STATUS-LOST-CONNECTIVITY",
     "The status is derived from the services alone, so a powered-off VM whose services were up "
     "shows Active Mode."},
    {"maintenance-first", SwitchKind::kReading, "DSM-STATUS-PRECEDENCE",
     "A node consuming an update shows Maintenance Mode even when its password expired or a "
     "service is down (an update stops services), ahead of every other status."},
    {"node-up-restarts-services", SwitchKind::kReading, "DSM-TR-NODE-UP-KEEPS-SERVICES",
     "A VM that boots again starts every service, so services that were down come back up."},
    {"stage-any-status", SwitchKind::kReading, "DSM-PRE-STAGE-ACTIVE-ONLY",
     "Staging (downloading) a release is accepted on a node in any status; only applying needs "
     "Active Mode."},
    {"promote-any-standby", SwitchKind::kReading, "DSM-PRE-PROMOTE-TARGET-ACTIVE",
     "Promote is accepted on a Standby that is not in Active Mode (an Out of Sync or Critical "
     "Standby may be the best one left)."},
};

bool IsService(std::string_view s) {
  return std::find(kServices.begin(), kServices.end(), s) != kServices.end();
}

// Service spellings the documents also use (OS unit names, dossier 3.5).
std::string CanonicalService(const std::string& s) {
  if (s == "vpostgresql") return "postgres";
  if (s == "update-manager" || s == "update manager") return "updateManager";
  if (s == "rabbitmq" || s == "rabbitmq-server") return "rabbitMQ";
  return s;
}

const json* Member(const json& j, std::string_view key) {
  auto it = j.find(std::string(key));
  return it == j.end() ? nullptr : &*it;
}

bool BoolOf(const json& op, std::string_view key, bool dflt) {
  const json* f = Member(op, key);
  if (!f) return dflt;
  if (!f->is_boolean()) throw std::runtime_error(std::string(key) + ": expected true or false");
  return f->get<bool>();
}

std::string StringOf(const json& op, std::string_view key, std::string_view dflt) {
  const json* f = Member(op, key);
  if (!f) {
    if (dflt.empty()) throw std::runtime_error(std::string(key) + ": missing");
    return std::string(dflt);
  }
  if (!f->is_string()) throw std::runtime_error(std::string(key) + ": expected a string");
  return f->get<std::string>();
}

}  // namespace

std::span<const SwitchInfo> Switches() { return kSwitches; }

const SwitchInfo* FindSwitch(std::string_view name) {
  for (const SwitchInfo& s : kSwitches) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

// ---- ProviderVm ---------------------------------------------------------------

void ProviderVm::Deploy(int version) {
  *this = ProviderVm(id_);
  life_ = Life::kDeployed;
  version_ = version;
}

void ProviderVm::Register(Role role, bool configuring) {
  const int version = version_;
  *this = ProviderVm(id_);  // a registered VM starts healthy
  life_ = Life::kMember;
  role_ = role;
  version_ = version;
  configuring_ = configuring;
}

void ProviderVm::Withdraw() {
  *this = ProviderVm(id_);
  life_ = Life::kWithdrawn;
}

// ---- DsmReference: configuration ------------------------------------------------

DsmReference::DsmReference() { Reset(json::object()); }

bool DsmReference::Enable(std::string_view name) {
  if (!FindSwitch(name)) return false;
  enabled_.insert(std::string(name));
  return true;
}

std::string DsmReference::Name() const {
  std::string n = "haspec-ref-dsm 1";
  for (const std::string& s : enabled_) n += " +" + s;
  return n;
}

std::vector<std::string> DsmReference::EnvChoices() const {
  // The reference fails reconfigurations on demand, so it injects them all.
  return {"finish_ha_config.failed", "delete_standby.failed", "promote.failed"};
}

json DsmReference::Reset(const json& config) {
  if (!config.is_object()) throw std::runtime_error("config: expected an object");
  for (auto it = config.begin(); it != config.end(); ++it) {
    static const std::set<std::string> kKeys = {"nodes", "slots", "faults", "start", "members"};
    if (!kKeys.count(it.key())) throw std::runtime_error("config: unknown key " + it.key());
  }
  std::vector<std::string> names;
  if (const json* n = Member(config, "nodes")) {
    if (Member(config, "slots")) throw std::runtime_error("config: give nodes or slots, not both");
    if (!n->is_array() || n->empty() || n->size() > kMaxSlots) {
      throw std::runtime_error("config.nodes: expected 1 to 6 node names");
    }
    for (const json& e : *n) {
      if (!e.is_string() || e.get<std::string>().empty()) {
        throw std::runtime_error("config.nodes: expected non-empty names");
      }
      if (std::find(names.begin(), names.end(), e.get<std::string>()) != names.end()) {
        throw std::runtime_error("config.nodes: duplicate name " + e.get<std::string>());
      }
      names.push_back(e.get<std::string>());
    }
  } else {
    int slots = 3;
    if (const json* s = Member(config, "slots")) {
      if (!s->is_number_integer() || s->get<int>() < 1 || s->get<int>() > kMaxSlots) {
        throw std::runtime_error("config.slots: expected 1 to 6");
      }
      slots = s->get<int>();
    }
    for (int i = 0; i < slots; ++i) names.push_back("n" + std::to_string(i));
  }

  std::set<std::string> faults = {"apms", "rabbitMQ", "catch_up"};
  if (const json* f = Member(config, "faults")) {
    faults.clear();
    if (f->is_string() && f->get<std::string>() == "all") {
      faults.insert(kServices.begin(), kServices.end());
      faults.insert(kFaultKinds.begin(), kFaultKinds.end());
    } else if (f->is_array()) {
      for (const json& e : *f) {
        if (!e.is_string()) throw std::runtime_error("config.faults: expected names");
        std::string name = CanonicalService(e.get<std::string>());
        if (!IsService(name) &&
            std::find(kFaultKinds.begin(), kFaultKinds.end(), name) == kFaultKinds.end()) {
          throw std::runtime_error("config.faults: unknown fault " + name);
        }
        faults.insert(name);
      }
    } else {
      throw std::runtime_error("config.faults: expected \"all\" or a list");
    }
  }

  const std::string start = StringOf(config, "start", "empty");
  if (start != "empty" && start != "standalone" && start != "cluster") {
    throw std::runtime_error("config.start: expected empty, standalone or cluster");
  }
  const int max_members = std::min<int>(kMaxClusterNodes, static_cast<int>(names.size()));
  int members = std::min(3, max_members);
  if (const json* m = Member(config, "members")) {
    if (start != "cluster") throw std::runtime_error("config.members: only with start cluster");
    if (!m->is_number_integer() || m->get<int>() < 1 || m->get<int>() > max_members) {
      throw std::runtime_error("config.members: out of range");
    }
    members = m->get<int>();
  }

  names_ = std::move(names);
  faults_ = std::move(faults);
  newest_ = 0;
  agents_version_ = 0;
  vms_.clear();
  for (const std::string& n : names_) vms_.emplace_back(n);
  if (start == "standalone") {
    vms_[0].Deploy(newest_);
    vms_[0].Register(ProviderVm::Role::kStandalone, false);
  } else if (start == "cluster") {
    for (int i = 0; i < members; ++i) {
      vms_[i].Deploy(newest_);
      vms_[i].Register(i == 0 ? ProviderVm::Role::kPrimary : ProviderVm::Role::kStandby, false);
    }
  }
  return json::parse(View());
}

// ---- Queries ---------------------------------------------------------------------

ProviderVm* DsmReference::Slot(int slot) {
  if (slot < 0 || slot >= static_cast<int>(vms_.size())) return nullptr;
  return &vms_[slot];
}

ProviderVm* DsmReference::Primary() {
  for (ProviderVm& vm : vms_) {
    if (vm.IsMember() && vm.role() == ProviderVm::Role::kPrimary) return &vm;
  }
  return nullptr;
}

// The node writes go to: the Primary, or the standalone provider before HA.
ProviderVm* DsmReference::Leader() {
  for (ProviderVm& vm : vms_) {
    if (vm.IsLeader()) return &vm;
  }
  return nullptr;
}

int DsmReference::Members() const {
  return static_cast<int>(
      std::count_if(vms_.begin(), vms_.end(), [](const ProviderVm& v) { return v.IsMember(); }));
}

bool DsmReference::AnyUpdating() const {
  return std::any_of(vms_.begin(), vms_.end(),
                     [](const ProviderVm& v) { return v.IsMember() && v.updating(); });
}

bool DsmReference::AnyConfiguring() const {
  return std::any_of(vms_.begin(), vms_.end(),
                     [](const ProviderVm& v) { return v.IsMember() && v.configuring(); });
}

bool DsmReference::CoreServiceDown(const ProviderVm& vm) const {
  const auto& down = vm.services_down();
  if (down.count("apms")) return true;
  return !On("vpostgres-down-critical") && down.count("postgres");
}

bool DsmReference::Unreachable(const ProviderVm& vm) const {
  return !vm.powered_on() || CoreServiceDown(vm);
}

// Seed 000: "If all the Secondary nodes of a cluster are down or have Lost
// Connectivity". A cluster with no Standby yet is not blocked: the Primary
// must be able to add its first one.
bool DsmReference::EveryStandbyLost() const {
  bool any = false;
  for (const ProviderVm& vm : vms_) {
    if (!vm.IsStandby()) continue;
    any = true;
    const bool lost = On("lost-guard-ignores-services") ? !vm.powered_on() : Unreachable(vm);
    if (!lost) return false;
  }
  return any;
}

int DsmReference::Behind(int version) const { return std::min(newest_ - version, kShownBehindCap); }

std::string DsmReference::StatusOf(const ProviderVm& vm) const {
  bool critical = false;
  for (const std::string& s : vm.services_down()) {
    if (s == "apms") continue;
    if (s == "postgres" && !On("vpostgres-down-critical")) continue;
    critical = true;
  }
  const bool lost = On("down-vm-shows-active") ? CoreServiceDown(vm) : Unreachable(vm);
  // Seed 000 gives each status a condition and no order; this one asks the
  // most basic question first (can DSM see the node at all?).
  if (On("maintenance-first") && vm.updating()) return "MAINTENANCE_MODE";
  if (vm.password_expired()) return "UNKNOWN";
  if (lost) return "LOST_CONNECTIVITY";
  if (vm.configuring()) return "HA_CONFIG_IN_PROGRESS";
  if (vm.updating()) return "MAINTENANCE_MODE";
  if (vm.lagging()) return "OUT_OF_SYNC";
  if (critical) return "CRITICAL";
  return "ACTIVE_MODE";
}

bool DsmReference::FaultAllowed(const std::string& fault) const { return faults_.count(fault); }

void DsmReference::Reconfigured(const std::set<int>& failed) {
  // Seed 000: "If there is failure to reconfigure any node, the status of
  // that node becomes Out of Sync", and "Only a Secondary node can have this
  // status": a failure on a node that is no Standby leaves no trace.
  for (int i : failed) {
    ProviderVm* vm = Slot(i);
    if (!vm) continue;
    if (vm->IsStandby() || (On("primary-out-of-sync") && vm->IsMember())) vm->set_lagging(true);
  }
}

std::optional<Verdict> DsmReference::NotMember(int slot) {
  ProviderVm* vm = Slot(slot);
  if (!vm) return Verdict::No("DSM-PRE-NODE-CONFIGURED");
  if (!vm->IsMember()) return Verdict::No("DSM-PRE-MEMBER");
  return std::nullopt;
}

// ---- Commands ----------------------------------------------------------------------

Verdict DsmReference::DeployVm(int slot, bool previous_ova) {
  ProviderVm* vm = Slot(slot);
  if (!vm) return Verdict::No("DSM-PRE-NODE-CONFIGURED");
  if (vm->life() == ProviderVm::Life::kDeployed || vm->life() == ProviderVm::Life::kMember) {
    return Verdict::No("DSM-PRE-SLOT-FREE");
  }
  const bool first = Members() == 0;
  const int version = previous_ova ? newest_ - 1 : newest_;
  vm->Deploy(version);
  // Seed 001: "when you deploy a Provider VM it runs in standalone mode";
  // the first one is the provider the Agents talk to.
  if (first) {
    vm->Register(ProviderVm::Role::kStandalone, false);
    agents_version_ = std::min(agents_version_, version);
  }
  return Verdict::Ok();
}

Verdict DsmReference::ConfigureHa(int slot) {
  if (auto no = NotMember(slot)) return *no;
  ProviderVm& vm = vms_[slot];
  if (vm.role() != ProviderVm::Role::kStandalone)
    return Verdict::No("DSM-PRE-CONFIGURE-HA-STANDALONE");
  vm.SetRole(ProviderVm::Role::kPrimary);
  return Verdict::Ok();
}

Verdict DsmReference::AddStandby(int slot) {
  ProviderVm* vm = Slot(slot);
  if (!vm) return Verdict::No("DSM-PRE-NODE-CONFIGURED");
  switch (vm->life()) {
    case ProviderVm::Life::kWithdrawn:
      if (!On("deleted-standby-rejoins")) return Verdict::No("DSM-PRE-DELETED-NEVER-REJOINS");
      break;
    case ProviderVm::Life::kNone:
      return Verdict::No("DSM-PRE-VM-DEPLOYED");
    case ProviderVm::Life::kMember:
      return Verdict::No("DSM-PRE-ALREADY-MEMBER");
    case ProviderVm::Life::kDeployed:
      break;
  }
  ProviderVm* primary = Primary();
  if (!primary) return Verdict::No("DSM-PRE-ADD-NEEDS-PRIMARY");
  const int limit = On("fifth-node") ? kMaxClusterNodes + 1 : kMaxClusterNodes;
  if (Members() >= limit) return Verdict::No("DSM-PRE-CLUSTER-FULL");
  if (AnyUpdating()) return Verdict::No("DSM-PRE-MAINTENANCE-NO-ADD-DELETE");
  if (AnyConfiguring()) return Verdict::No("DSM-PRE-ONE-RECONFIGURATION");
  if (EveryStandbyLost()) return Verdict::No("DSM-PRE-ALL-SECONDARIES-LOST");
  if (vm->life() == ProviderVm::Life::kDeployed && vm->version() != primary->version()) {
    return Verdict::No("DSM-PRE-SAME-VERSION");
  }
  // A withdrawn VM (only under the mutant) last ran the cluster's release.
  if (vm->life() == ProviderVm::Life::kWithdrawn) vm->set_version(primary->version());
  vm->Register(ProviderVm::Role::kStandby, /*configuring=*/true);
  return Verdict::Ok();
}

Verdict DsmReference::FinishHaConfig(const std::set<int>& failed) {
  if (!AnyConfiguring()) return Verdict::No("DSM-PRE-CONFIG-RUNNING");
  for (ProviderVm& vm : vms_) vm.set_configuring(false);
  Reconfigured(failed);
  return Verdict::Ok();
}

Verdict DsmReference::DeleteStandby(int slot, std::string_view channel,
                                    const std::set<int>& failed) {
  if (channel == "console" && !On("console-delete")) return Verdict::No("DSM-PRE-DELETE-API-ONLY");
  if (channel == "api_on_standby") return Verdict::No("DSM-PRE-DELETE-ON-PRIMARY");
  if (auto no = NotMember(slot)) return *no;
  ProviderVm& vm = vms_[slot];
  if (vm.role() != ProviderVm::Role::kStandby) return Verdict::No("DSM-PRE-DELETE-TARGET-STANDBY");
  if (vm.configuring()) return Verdict::No("DSM-PRE-HA-CONFIG-NO-OPERATION");
  if (AnyUpdating() && !On("maintenance-allows-delete")) {
    return Verdict::No("DSM-PRE-MAINTENANCE-NO-ADD-DELETE");
  }
  if (AnyConfiguring()) return Verdict::No("DSM-PRE-ONE-RECONFIGURATION");
  if (EveryStandbyLost()) return Verdict::No("DSM-PRE-ALL-SECONDARIES-LOST");
  vm.Withdraw();
  Reconfigured(failed);
  return Verdict::Ok();
}

Verdict DsmReference::Promote(int slot, int run_on, const std::set<int>& failed) {
  // Seed 001: "run the failover --operation promote command on the Standby".
  if (run_on != slot) return Verdict::No("DSM-PRE-PROMOTE-ON-STANDBY");
  if (auto no = NotMember(slot)) return *no;
  ProviderVm& vm = vms_[slot];
  if (vm.role() != ProviderVm::Role::kStandby) return Verdict::No("DSM-PRE-PROMOTE-TARGET-STANDBY");
  if (vm.configuring()) return Verdict::No("DSM-PRE-HA-CONFIG-NO-OPERATION");
  if (AnyConfiguring()) return Verdict::No("DSM-PRE-ONE-RECONFIGURATION");
  if (EveryStandbyLost()) return Verdict::No("DSM-PRE-ALL-SECONDARIES-LOST");
  if (!IsActive(vm) && !On("promote-any-standby")) {
    return Verdict::No("DSM-PRE-PROMOTE-TARGET-ACTIVE");
  }
  ProviderVm* old = Primary();
  if (old && old->version() != vm.version()) return Verdict::No("DSM-PRE-PROMOTE-SAME-VERSION");
  // Dossier (S-DSM-PROMOTE): promotes the Standby, removes the original
  // Primary, registers the remaining Standbys with the new Primary.
  if (old) old->Withdraw();
  vm.SetRole(ProviderVm::Role::kPrimary);
  vm.set_lagging(false);  // the new Primary is the reference others catch up with
  Reconfigured(failed);
  return Verdict::Ok();
}

Verdict DsmReference::ReturnToStandalone(int slot) {
  if (auto no = NotMember(slot)) return *no;
  if (vms_[slot].role() == ProviderVm::Role::kStandalone) {
    return Verdict::No("DSM-PRE-RETURN-FROM-HA");
  }
  return Verdict::No("DSM-PRE-NO-RETURN-TO-STANDALONE");
}

Verdict DsmReference::RestoreFromBackup(int slot) {
  ProviderVm* vm = Slot(slot);
  if (!vm) return Verdict::No("DSM-PRE-NODE-CONFIGURED");
  if (vm->life() != ProviderVm::Life::kDeployed) return Verdict::No("DSM-PRE-RESTORE-NEW-VM");
  ProviderVm* primary = Primary();
  if (!primary || Members() != 1) return Verdict::No("DSM-PRE-RESTORE-SINGLE-PRIMARY");
  // The backup carries the Primary's release onto the fresh VM.
  const int version = primary->version();
  for (ProviderVm& m : vms_) {
    if (m.IsMember()) m.Withdraw();
  }
  vm->set_version(version);
  vm->Register(ProviderVm::Role::kStandalone, false);
  return Verdict::Ok();
}

// ---- Health events and repairs -------------------------------------------------------

Verdict DsmReference::OnServiceDown(int slot, const std::string& service) {
  if (auto no = NotMember(slot)) return *no;
  if (!FaultAllowed(service)) return Verdict::No("DSM-PRE-FAULT-IN-CONFIG");
  vms_[slot].ServiceDown(service);
  return Verdict::Ok();
}

Verdict DsmReference::RestartService(int slot, const std::string& service) {
  if (auto no = NotMember(slot)) return *no;
  vms_[slot].ServiceUp(service);
  return Verdict::Ok();
}

Verdict DsmReference::OnNodeDown(int slot) {
  if (auto no = NotMember(slot)) return *no;
  if (!FaultAllowed("vm_down")) return Verdict::No("DSM-PRE-FAULT-IN-CONFIG");
  vms_[slot].set_powered_on(false);
  return Verdict::Ok();
}

Verdict DsmReference::PowerOn(int slot) {
  if (auto no = NotMember(slot)) return *no;
  ProviderVm& vm = vms_[slot];
  const bool booted = !vm.powered_on();
  vm.set_powered_on(true);
  if (booted && On("node-up-restarts-services")) vm.RestartAllServices();
  return Verdict::Ok();
}

Verdict DsmReference::OnPasswordExpired(int slot) {
  if (auto no = NotMember(slot)) return *no;
  if (!FaultAllowed("password")) return Verdict::No("DSM-PRE-FAULT-IN-CONFIG");
  vms_[slot].set_password_expired(true);
  return Verdict::Ok();
}

Verdict DsmReference::ChangePassword(int slot) {
  if (auto no = NotMember(slot)) return *no;
  if (vms_[slot].configuring()) return Verdict::No("DSM-PRE-HA-CONFIG-NO-OPERATION");
  vms_[slot].set_password_expired(false);
  return Verdict::Ok();
}

Verdict DsmReference::OnFallBehind(int slot) {
  if (auto no = NotMember(slot)) return *no;
  if (!FaultAllowed("catch_up")) return Verdict::No("DSM-PRE-FAULT-IN-CONFIG");
  if (!vms_[slot].IsStandby()) return Verdict::No("DSM-PRE-FALL-BEHIND-SECONDARY");
  vms_[slot].set_lagging(true);
  return Verdict::Ok();
}

// ---- Updates ------------------------------------------------------------------------

Verdict DsmReference::OnRelease() {
  for (const ProviderVm& vm : vms_) {
    if (vm.IsMember() && vm.version() != newest_) return Verdict::No("DSM-PRE-ONE-ROLLOUT");
  }
  ++newest_;  // what was staged is now an older release
  return Verdict::Ok();
}

Verdict DsmReference::StageUpdate(int slot, std::string_view via) {
  // Seed 001: "Do not stage and update the Provider software through the
  // load balancer."
  if (via != "node_address") return Verdict::No("DSM-PRE-UPDATE-NOT-VIA-LB");
  if (auto no = NotMember(slot)) return *no;
  ProviderVm& vm = vms_[slot];
  if (vm.version() == newest_) return Verdict::No("DSM-PRE-UPDATE-AVAILABLE");
  if (vm.configuring()) return Verdict::No("DSM-PRE-HA-CONFIG-NO-OPERATION");
  if (!IsActive(vm) && !On("stage-any-status")) return Verdict::No("DSM-PRE-STAGE-ACTIVE-ONLY");
  vm.Stage(newest_);
  return Verdict::Ok();
}

Verdict DsmReference::ApplyUpdate(int slot, std::string_view via) {
  if (via != "node_address" && !On("apply-through-lb")) {
    return Verdict::No("DSM-PRE-UPDATE-NOT-VIA-LB");
  }
  if (auto no = NotMember(slot)) return *no;
  ProviderVm& vm = vms_[slot];
  if (vm.version() == newest_) return Verdict::No("DSM-PRE-UPDATE-AVAILABLE");
  if (vm.configuring()) return Verdict::No("DSM-PRE-HA-CONFIG-NO-OPERATION");
  // Seed 000: "Only an Active node can consume updates."
  if (!IsActive(vm)) return Verdict::No("DSM-PRE-UPDATE-ACTIVE-ONLY");
  if (vm.staged() != newest_) return Verdict::No("DSM-PRE-APPLY-NEEDS-STAGE");
  ProviderVm* primary = Primary();
  const bool busy = On("parallel-standby-updates") && vm.IsStandby()
                        ? primary && primary->updating()
                        : AnyUpdating();
  if (busy) return Verdict::No("DSM-PRE-STANDBYS-SEQUENTIAL");
  // Seed 001: "You must update the Primary Provider first."
  if (vm.IsStandby() && primary && primary->version() != newest_) {
    return Verdict::No("DSM-PRE-PRIMARY-FIRST");
  }
  vm.set_updating(true);
  return Verdict::Ok();
}

Verdict DsmReference::OnUpdateComplete(int slot) {
  if (auto no = NotMember(slot)) return *no;
  if (!vms_[slot].updating()) return Verdict::No("DSM-PRE-UPDATING");
  vms_[slot].FinishUpdate(newest_);
  return Verdict::Ok();
}

Verdict DsmReference::UpdateAgents() {
  if (agents_version_ == newest_) return Verdict::No("DSM-PRE-AGENTS-BEHIND");
  // Seed 001: Agent updates "only after the software is updated on all
  // nodes in the Provider HA cluster".
  for (const ProviderVm& vm : vms_) {
    if (!vm.IsMember()) continue;
    if (On("agents-before-standbys") && vm.IsStandby()) continue;
    if (vm.version() != newest_ || vm.updating()) {
      return Verdict::No("DSM-PRE-AGENTS-AFTER-PROVIDERS");
    }
  }
  agents_version_ = newest_;
  return Verdict::Ok();
}

Verdict DsmReference::ForwardRequest(int slot, bool write) {
  if (auto no = NotMember(slot)) return *no;
  const std::string status = StatusOf(vms_[slot]);
  const bool healthy =
      status == "ACTIVE_MODE" || (On("lb-forwards-to-critical") && status == "CRITICAL");
  if (!healthy) return Verdict::No("DSM-PRE-LB-ACTIVE-ONLY");
  if (write) {
    // Seed 001: "Write requests are always forwarded to the Primary".
    ProviderVm* leader = Leader();
    if (!leader || Unreachable(*leader)) return Verdict::No("DSM-PRE-WRITE-NEEDS-PRIMARY");
  }
  return Verdict::Ok();
}

// ---- The views --------------------------------------------------------------------

std::string DsmReference::View() const {
  JsonText w;
  w.Open().Key("nodes").Open();
  for (std::size_t i = 0; i < vms_.size(); ++i) {
    const ProviderVm& vm = vms_[i];
    w.Key(names_[i]).Open().Key("listed").Value(vm.IsMember());
    if (vm.IsMember()) {
      switch (vm.role()) {
        case ProviderVm::Role::kStandalone:
          w.Key("role").Value("STANDALONE");
          break;
        case ProviderVm::Role::kPrimary:
          w.Key("role").Value("PRIMARY");
          break;
        case ProviderVm::Role::kStandby:
          w.Key("role").Value("SECONDARY");
          break;
      }
      w.Key("status").Value(StatusOf(vm));
      w.Key("behind").Value(Behind(vm.version()));
      // A powered-off VM gives no /appliance/status.
      w.Key("answers").Value(vm.powered_on());
      if (vm.powered_on()) {
        w.Key("services").Open();
        for (int s = 0; s < kShownServices; ++s) {
          const std::string name(kServices[s]);
          w.Key(name).Value(vm.services_down().count(name) ? "FAILED" : "ACTIVE");
        }
        w.Close();
      }
    }
    w.Close();
  }
  return w.Close().Close().Take();
}

// ---- The protocol ---------------------------------------------------------------------

int DsmReference::NodeOf(const json& op, std::string_view key) const {
  const std::string name = StringOf(op, key, "");
  auto it = std::find(names_.begin(), names_.end(), name);
  // A name the configuration does not have is a VM the product does not
  // know: the op is refused (DSM-PRE-NODE-CONFIGURED), not malformed.
  return it == names_.end() ? -1 : static_cast<int>(it - names_.begin());
}

std::set<int> DsmReference::NodeSetOf(const json& op, std::string_view key) const {
  std::set<int> out;
  const json* f = Member(op, key);
  if (!f) return out;
  if (!f->is_array()) throw std::runtime_error(std::string(key) + ": expected a list of nodes");
  for (const json& e : *f) {
    if (!e.is_string()) throw std::runtime_error(std::string(key) + ": expected node names");
    auto it = std::find(names_.begin(), names_.end(), e.get<std::string>());
    if (it == names_.end()) {
      throw std::runtime_error(std::string(key) + ": unknown node " + e.get<std::string>());
    }
    out.insert(static_cast<int>(it - names_.begin()));
  }
  return out;
}

Result DsmReference::Apply(const json& op) {
  Result r = Dispatch(op);
  r.observation_text = View();
  return r;
}

Result DsmReference::Dispatch(const json& op) {
  if (!op.is_object()) throw std::runtime_error("op: expected an object");
  const std::string name = StringOf(op, "op", "");
  static constexpr auto service = [](const json& o) {
    std::string s = CanonicalService(StringOf(o, "service", ""));
    if (!IsService(s)) throw std::runtime_error("service: unknown service " + s);
    return s;
  };
  static constexpr auto via = [](const json& o) {
    std::string v = StringOf(o, "via", "node_address");
    if (v != "node_address" && v != "load_balancer") throw std::runtime_error("via: " + v);
    return v;
  };
  // Built once: one handler per op name.
  using Handler = Verdict (*)(DsmReference&, const json&);
  static const std::map<std::string, Handler, std::less<>> handlers = {
      {"deploy_vm",
       [](DsmReference& d, const json& o) {
         return d.DeployVm(d.NodeOf(o, "node"), BoolOf(o, "previous_ova", false));
       }},
      {"configure_ha",
       [](DsmReference& d, const json& o) { return d.ConfigureHa(d.NodeOf(o, "node")); }},
      {"add_standby",
       [](DsmReference& d, const json& o) { return d.AddStandby(d.NodeOf(o, "node")); }},
      {"finish_ha_config",
       [](DsmReference& d, const json& o) { return d.FinishHaConfig(d.NodeSetOf(o, "failed")); }},
      {"delete_standby",
       [](DsmReference& d, const json& o) {
         std::string ch = StringOf(o, "channel", "api_on_primary");
         if (ch != "api_on_primary" && ch != "api_on_standby" && ch != "console") {
           throw std::runtime_error("channel: " + ch);
         }
         return d.DeleteStandby(d.NodeOf(o, "node"), ch, d.NodeSetOf(o, "failed"));
       }},
      {"promote",
       [](DsmReference& d, const json& o) {
         return d.Promote(d.NodeOf(o, "node"), d.NodeOf(o, "run_on"), d.NodeSetOf(o, "failed"));
       }},
      {"return_to_standalone",
       [](DsmReference& d, const json& o) { return d.ReturnToStandalone(d.NodeOf(o, "node")); }},
      {"restore_from_backup",
       [](DsmReference& d, const json& o) { return d.RestoreFromBackup(d.NodeOf(o, "node")); }},
      {"service_down",
       [](DsmReference& d, const json& o) {
         return d.OnServiceDown(d.NodeOf(o, "node"), service(o));
       }},
      {"service_up",
       [](DsmReference& d, const json& o) {
         return d.RestartService(d.NodeOf(o, "node"), service(o));
       }},
      {"node_down",
       [](DsmReference& d, const json& o) { return d.OnNodeDown(d.NodeOf(o, "node")); }},
      {"node_up", [](DsmReference& d, const json& o) { return d.PowerOn(d.NodeOf(o, "node")); }},
      {"password_expires",
       [](DsmReference& d, const json& o) { return d.OnPasswordExpired(d.NodeOf(o, "node")); }},
      {"change_password",
       [](DsmReference& d, const json& o) { return d.ChangePassword(d.NodeOf(o, "node")); }},
      {"fall_behind",
       [](DsmReference& d, const json& o) { return d.OnFallBehind(d.NodeOf(o, "node")); }},
      {"release_update", [](DsmReference& d, const json&) { return d.OnRelease(); }},
      {"stage_update",
       [](DsmReference& d, const json& o) { return d.StageUpdate(d.NodeOf(o, "node"), via(o)); }},
      {"apply_update",
       [](DsmReference& d, const json& o) { return d.ApplyUpdate(d.NodeOf(o, "node"), via(o)); }},
      {"complete_update",
       [](DsmReference& d, const json& o) { return d.OnUpdateComplete(d.NodeOf(o, "node")); }},
      {"update_agents", [](DsmReference& d, const json&) { return d.UpdateAgents(); }},
      {"request",
       [](DsmReference& d, const json& o) {
         return d.ForwardRequest(d.NodeOf(o, "node"), BoolOf(o, "write", false));
       }},
  };
  auto it = handlers.find(name);
  if (it == handlers.end()) throw std::runtime_error("unknown op \"" + name + "\"");
  Verdict v = it->second(*this, op);
  Result r;
  r.accepted = v.accepted;
  r.reason = v.reason;
  return r;
}

}  // namespace haspec::sut::dsm_ref
