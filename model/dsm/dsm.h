// The VMware Data Services Manager (DSM 1.4) Provider HA machine.
//
// Nodes live in kSlots fixed slots named n0..n4. A slot holds nothing, a
// freshly deployed VM, a cluster member (standalone provider, Primary or
// Secondary), or a retired VM (deleted, or removed by a promote) that can
// never be registered again. A node's status is derived from its facts
// (services, reachability, root password, update, HA configuration,
// catch-up) by Observe(); see model/dsm/README.md for the rules.
//
//   using haspec::dsm::Dsm;
//   Dsm::State s = Dsm::Initial();
//   s = Dsm::Step(s, haspec::dsm::DeployVm{0}).next;      // standalone
//   s = Dsm::Step(s, haspec::dsm::ConfigureHa{0}).next;   // n0 Primary
//   s = Dsm::Step(s, haspec::dsm::DeployVm{1}).next;      // fresh VM
//   auto o = Dsm::Step(s, haspec::dsm::AddStandby{1});    // HA Config
#ifndef HASPEC_MODEL_DSM_DSM_H_
#define HASPEC_MODEL_DSM_DSM_H_

#include <array>
#include <cstdint>
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

namespace haspec::dsm {

inline constexpr int kSlots = 5;       // 4 members plus one VM to spare
inline constexpr int kMaxMembers = 4;  // seed 001: maximum of 4 nodes
inline constexpr std::uint8_t kMaxVersion = 200;

enum class RuleId : std::uint16_t {
#define HASPEC_RULE(e, id, kind, basis, src, quote, stmt) e,
#include "model/dsm/rules.def"
#undef HASPEC_RULE
};

enum class Role : std::uint8_t { kStandalone, kPrimary, kSecondary };
inline constexpr NameTable<Role, 3> kRoleNames{{{
    {Role::kStandalone, "STANDALONE", "Standalone"},
    {Role::kPrimary, "PRIMARY", "Primary"},
    {Role::kSecondary, "SECONDARY", "Secondary", "Standby"},
}}};

// The seven statuses of seed 000, in precedence order (DSM-STATUS-PRECEDENCE).
// Wire names other than ACTIVE_MODE are [RECON] (dossier 3.5).
enum class Status : std::uint8_t {
  kUnknown,
  kLostConnectivity,
  kHaConfigInProgress,
  kMaintenanceMode,
  kOutOfSync,
  kCritical,
  kActiveMode,
};
inline constexpr NameTable<Status, 7> kStatusNames{{{
    {Status::kUnknown, "UNKNOWN", "Unknown"},
    {Status::kLostConnectivity, "LOST_CONNECTIVITY", "Lost Connectivity"},
    {Status::kHaConfigInProgress, "HA_CONFIG_IN_PROGRESS", "HA Config in progress"},
    {Status::kMaintenanceMode, "MAINTENANCE_MODE", "Maintenance Mode"},
    {Status::kOutOfSync, "OUT_OF_SYNC", "Out of Sync"},
    {Status::kCritical, "CRITICAL", "Critical"},
    {Status::kActiveMode, "ACTIVE_MODE", "Active Mode", "Active"},
}}};

// Services a node runs. apms and postgres (vpostgresql) down mean Lost
// Connectivity; any other down means Critical. Names are the
// /appliance/status keys; coredns is not among them (dossier 3.5).
enum class Service : std::uint8_t {
  kApms, kPostgres, kProvider, kUpdateManager, kRabbitmq, kMonitoring,
  kRclone, kCoredns,
};
inline constexpr NameTable<Service, 8> kServiceNames{{{
    {Service::kApms, "apms", "apms"},
    {Service::kPostgres, "postgres", "vpostgresql"},
    {Service::kProvider, "provider", "provider"},
    {Service::kUpdateManager, "updateManager", "update-manager", "update manager"},
    {Service::kRabbitmq, "rabbitMQ", "rabbitmq-server", "rabbitmq"},
    {Service::kMonitoring, "monitoring", "monitoring"},
    {Service::kRclone, "rclone", "rclone"},
    {Service::kCoredns, "coredns", "coredns"},
}}};
inline constexpr std::uint8_t kCoreServices =
    (1u << static_cast<int>(Service::kApms)) |
    (1u << static_cast<int>(Service::kPostgres));

enum class Life : std::uint8_t { kEmpty, kFresh, kMember, kRetired };
inline constexpr NameTable<Life, 4> kLifeNames{{{
    {Life::kEmpty, "empty", "empty"},
    {Life::kFresh, "fresh", "fresh VM"},
    {Life::kMember, "member", "member"},
    {Life::kRetired, "retired", "retired"},
}}};

// How a delete request reaches DSM.
enum class Channel : std::uint8_t { kApiOnPrimary, kApiOnStandby, kConsole };
inline constexpr NameTable<Channel, 3> kChannelNames{{{
    {Channel::kApiOnPrimary, "api_on_primary", "API on the Primary"},
    {Channel::kApiOnStandby, "api_on_standby", "API on a Standby"},
    {Channel::kConsole, "console", "console"},
}}};

// Which address an update request is sent to.
enum class Via : std::uint8_t { kNodeAddress, kLoadBalancer };
inline constexpr NameTable<Via, 2> kViaNames{{{
    {Via::kNodeAddress, "node_address", "node FQDN or IP"},
    {Via::kLoadBalancer, "load_balancer", "load balancer"},
}}};

struct Node {
  Life life = Life::kEmpty;
  Role role = Role::kStandalone;
  std::uint8_t services_down = 0;  // bit i = Service(i) is down
  std::uint8_t version = 0;        // .ova release the VM runs
  bool reachable = true;           // the VM is up
  bool password_expired = false;
  bool ha_config = false;          // HA configuration in progress
  bool out_of_sync = false;        // cannot catch up with the Primary
  bool staged = false;             // latest release staged
  bool updating = false;           // consuming an update
  friend bool operator==(const Node&, const Node&) = default;
};

struct State {
  std::array<Node, kSlots> nodes{};
  std::uint8_t latest = 1;         // newest .ova release
  std::uint8_t agent_version = 1;  // version the Agents run
  friend bool operator==(const State&, const State&) = default;
};

// ---- Ops. Node fields are slot numbers 0..kSlots-1. ---------------------
// `failed` fields are environment choices: the slots whose reconfiguration
// fails (bit i = slot i).
struct DeployVm { static constexpr std::string_view kName = "deploy_vm";
  std::uint8_t node; bool previous_ova = false; };
struct ConfigureHa { static constexpr std::string_view kName = "configure_ha";
  std::uint8_t node; };
struct AddStandby { static constexpr std::string_view kName = "add_standby";
  std::uint8_t node; };
struct FinishHaConfig { static constexpr std::string_view kName = "finish_ha_config";
  std::uint8_t failed = 0; };
struct DeleteStandby { static constexpr std::string_view kName = "delete_standby";
  std::uint8_t node; Channel channel = Channel::kApiOnPrimary; std::uint8_t failed = 0; };
struct Promote { static constexpr std::string_view kName = "promote";
  std::uint8_t node; std::uint8_t run_on; std::uint8_t failed = 0; };
struct ReturnToStandalone { static constexpr std::string_view kName = "return_to_standalone";
  std::uint8_t node; };
struct RestoreFromBackup { static constexpr std::string_view kName = "restore_from_backup";
  std::uint8_t node; };
struct ServiceDown { static constexpr std::string_view kName = "service_down";
  std::uint8_t node; Service service; };
struct ServiceUp { static constexpr std::string_view kName = "service_up";
  std::uint8_t node; Service service; };
struct NodeDown { static constexpr std::string_view kName = "node_down";
  std::uint8_t node; };
struct NodeUp { static constexpr std::string_view kName = "node_up";
  std::uint8_t node; };
struct PasswordExpires { static constexpr std::string_view kName = "password_expires";
  std::uint8_t node; };
struct ChangePassword { static constexpr std::string_view kName = "change_password";
  std::uint8_t node; };
struct FallBehind { static constexpr std::string_view kName = "fall_behind";
  std::uint8_t node; };
struct ReleaseUpdate { static constexpr std::string_view kName = "release_update"; };
struct StageUpdate { static constexpr std::string_view kName = "stage_update";
  std::uint8_t node; Via via = Via::kNodeAddress; };
struct ApplyUpdate { static constexpr std::string_view kName = "apply_update";
  std::uint8_t node; Via via = Via::kNodeAddress; };
struct CompleteUpdate { static constexpr std::string_view kName = "complete_update";
  std::uint8_t node; };
struct UpdateAgents { static constexpr std::string_view kName = "update_agents"; };
struct Request { static constexpr std::string_view kName = "request";
  std::uint8_t node; bool write = false; };

using Op = std::variant<DeployVm, ConfigureHa, AddStandby, FinishHaConfig,
                        DeleteStandby, Promote, ReturnToStandalone,
                        RestoreFromBackup, ServiceDown, ServiceUp, NodeDown,
                        NodeUp, PasswordExpires, ChangePassword, FallBehind,
                        ReleaseUpdate, StageUpdate, ApplyUpdate, CompleteUpdate,
                        UpdateAgents, Request>;

// What /appliance/provider-ha-nodes reports for one member.
struct NodeView {
  std::uint8_t node = 0;
  Role role = Role::kStandalone;
  Status status = Status::kActiveMode;
  friend bool operator==(const NodeView&, const NodeView&) = default;
};
struct Observation {
  std::vector<NodeView> nodes;  // members, by slot
  friend bool operator==(const Observation&, const Observation&) = default;
};

// The status the product shows for member `n` (DSM-STATUS-* rules).
Status DeriveStatus(const Node& n);
// The rule that decides DeriveStatus(n).
RuleId StatusRule(const Node& n);

struct Dsm : MachineBase<Dsm, State, Op, RuleId, Observation> {
  static constexpr std::string_view kName = "dsm";
  static constexpr std::string_view kTitle =
      "VMware Data Services Manager Provider HA (node statuses; add, delete, "
      "promote, update)";

  HASPEC_MACHINE_FUNCTIONS
  static void CheckAdvisories(const State& s, std::vector<FindingT>& out);
};

static_assert(Machine<Dsm>);

// "n3".
std::string NodeName(int slot);

}  // namespace haspec::dsm

#endif  // HASPEC_MODEL_DSM_DSM_H_
