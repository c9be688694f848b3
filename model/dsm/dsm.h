// The VMware Data Services Manager (DSM 1.4) Provider HA machine.
//
// A configuration names up to kMaxSlots VM slots (the product names nodes by
// UUID; any names will do). A slot holds nothing, a freshly deployed VM, a
// cluster member (standalone provider, Primary or Secondary), or a retired VM
// (deleted, or removed by a promote) that can never be registered again. A
// node's status is derived from its facts (services, VM up, root password,
// update, HA configuration, catch-up) by DeriveStatus; see
// model/dsm/README.md for the rules. Versions are relative: a node is 0, 1 or
// 2-or-more releases behind the newest .ova.
//
//   using namespace haspec::dsm;
//   Config c = Dsm::DefaultConfig();                    // 3 slots n0..n2
//   Dsm::State s = Dsm::Initial(c);
//   s = Dsm::Step(s, DeployVm{0}).next;                  // standalone
//   s = Dsm::Step(s, ConfigureHa{0}).next;               // n0 Primary
//   s = Dsm::Step(s, DeployVm{1}).next;                  // fresh VM
//   auto o = Dsm::Step(s, AddStandby{1});                // HA Config
//   std::vector<RuleId> why;
//   Dsm::Refusals(s, AddStandby{0}, why);                // every reason
#ifndef HASPEC_MODEL_DSM_DSM_H_
#define HASPEC_MODEL_DSM_DSM_H_

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

namespace haspec::dsm {

inline constexpr int kMaxMembers = 4;          // seed 001: maximum of 4 nodes
inline constexpr int kMaxSlots = 6;            // 4 members plus two VMs to spare
inline constexpr std::uint8_t kMaxBehind = 2;  // "2 or more releases behind"

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

inline constexpr std::string_view kSeed000 = "000_aec1892a11a02c4c.txt";

// The seven statuses of seed 000, in precedence order (DSM-STATUS-PRECEDENCE,
// an assumption). Wire names other than ACTIVE_MODE are [RECON] (dossier 3.5).
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
    {Status::kUnknown,
     "UNKNOWN",
     "Unknown",
     {},
     kSeed000,
     "because root password of the Provider appliance has expired"},
    {Status::kLostConnectivity,
     "LOST_CONNECTIVITY",
     "Lost Connectivity",
     {},
     kSeed000,
     "because apms or vpostgresql service is down"},
    {Status::kHaConfigInProgress,
     "HA_CONFIG_IN_PROGRESS",
     "HA Config in progress",
     {},
     kSeed000,
     "Provider HA configuration is in progress"},
    {Status::kMaintenanceMode,
     "MAINTENANCE_MODE",
     "Maintenance Mode",
     {},
     kSeed000,
     "Node is consuming VMware Data Services Manager updates"},
    {Status::kOutOfSync,
     "OUT_OF_SYNC",
     "Out of Sync",
     {},
     kSeed000,
     "is not able to catch up with the Primary node"},
    {Status::kCritical,
     "CRITICAL",
     "Critical",
     {},
     kSeed000,
     "Apart from the application management service (apms) and vpostgresql service"},
    {Status::kActiveMode, "ACTIVE_MODE", "Active Mode", "Active", kSeed000,
     "Node is healthy and all services are up and running"},
}}};

// Services a node runs. apms and postgres (vpostgresql) down mean Lost
// Connectivity; any other down means Critical. Names are the
// /appliance/status keys; coredns is not among them (dossier 3.5), so it is
// the one service no view shows by name.
enum class Service : std::uint8_t {
  kApms,
  kPostgres,
  kProvider,
  kUpdateManager,
  kRabbitmq,
  kMonitoring,
  kRclone,
  kCoredns,
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
inline constexpr int kServiceCount = 8;
// The /appliance/status keys, in the order of Service (coredns excluded).
inline constexpr int kShownServices = 7;
constexpr std::uint8_t Bit(Service s) {
  return static_cast<std::uint8_t>(1u << static_cast<int>(s));
}
inline constexpr std::uint8_t kCoreServices = Bit(Service::kApms) | Bit(Service::kPostgres);

// The faults a configuration lets the environment inject: bits 0-7 are the
// services that may go down (bit i = Service(i)), then the other fault
// events. Commands that repair (service_up, node_up, change_password) are
// always available.
using Faults = std::uint16_t;
inline constexpr Faults kFaultVmDown = 1u << 8;    // node_down
inline constexpr Faults kFaultPassword = 1u << 9;  // password_expires
inline constexpr Faults kFaultCatchUp = 1u << 10;  // fall_behind
inline constexpr Faults kAllFaults = 0x7ff;
enum class FaultKind : std::uint8_t { kVmDown = 8, kPassword = 9, kCatchUp = 10 };
inline constexpr NameTable<FaultKind, 3> kFaultKindNames{{{
    {FaultKind::kVmDown, "vm_down", "VM down (node_down)"},
    {FaultKind::kPassword, "password", "root password expiry (password_expires)"},
    {FaultKind::kCatchUp, "catch_up", "Secondary falling behind (fall_behind)"},
}}};

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

// What a configuration starts from.
enum class Start : std::uint8_t { kEmpty, kStandalone, kCluster };
inline constexpr NameTable<Start, 3> kStartNames{{{
    {Start::kEmpty, "empty", "no VM deployed"},
    {Start::kStandalone, "standalone", "a standalone provider on the first slot"},
    {Start::kCluster, "cluster", "a healthy HA cluster on the first slots"},
}}};

struct Node {
  Life life = Life::kEmpty;
  Role role = Role::kStandalone;
  std::uint8_t services_down = 0;  // bit i = Service(i) is down
  std::uint8_t behind = 0;         // releases behind the newest (0, 1, 2 = 2 or more)
  bool reachable = true;           // the VM is up
  bool password_expired = false;
  bool ha_config = false;    // HA configuration in progress
  bool out_of_sync = false;  // cannot catch up with the Primary
  bool staged = false;       // the newest release is staged
  bool updating = false;     // consuming an update
  friend bool operator==(const Node&, const Node&) = default;
};

// No padding: engine/state_bytes.h hashes and compares a state's bytes.
struct State {
  std::array<Node, kMaxSlots> nodes{};
  Faults faults = kAllFaults;      // injectable faults (constant in a run)
  std::uint8_t slots = 3;          // configured slots (constant in a run)
  std::uint8_t agents_behind = 0;  // releases the Agents are behind
  friend bool operator==(const State&, const State&) = default;
};
static_assert(std::has_unique_object_representations_v<State>, "a State has no padding");

// A run's configuration: slot names, which faults the environment injects,
// and what the run starts from. The default (3 slots; apms and rabbitMQ, one
// service of each status class, may go down, and a Secondary may fall
// behind) saturates in about 120,000 states; each further service or kind
// of fault multiplies that by about six.
struct Config {
  Nodes nodes = Nodes::Numbered(3);
  Faults faults = Bit(Service::kApms) | Bit(Service::kRabbitmq) | kFaultCatchUp;
  Start start = Start::kEmpty;
  int members = 3;  // for Start::kCluster: 1 Primary and members - 1 Secondaries
};

// ---- Ops ------------------------------------------------------------------
// Node fields index Config::nodes. `failed` fields are environment choices:
// the nodes whose reconfiguration fails.
struct DeployVm {
  HASPEC_OP(DeployVm, "deploy_vm", kCommand, "Deploy a Provider VM into a slot")
  std::uint8_t node = 0;
  bool previous_ova = false;
  static constexpr auto Fields() {
    return std::tuple{
        NodeField(&DeployVm::node, "node", "the slot"),
        BoolField(&DeployVm::previous_ova, "previous_ova", "from the release before the newest")
            .Optional(false)};
  }
};
struct ConfigureHa {
  HASPEC_OP(ConfigureHa, "configure_ha", kCommand,
            "Configure Provider HA: the standalone provider becomes the Primary")
  std::uint8_t node = 0;
  static constexpr auto Fields() {
    return std::tuple{NodeField(&ConfigureHa::node, "node", "the standalone provider")};
  }
};
struct AddStandby {
  HASPEC_OP(AddStandby, "add_standby", kCommand, "Add a deployed VM to the cluster as a Standby")
  std::uint8_t node = 0;
  static constexpr auto Fields() {
    return std::tuple{NodeField(&AddStandby::node, "node", "the fresh VM")};
  }
};
struct FinishHaConfig {
  HASPEC_OP(FinishHaConfig, "finish_ha_config", kCompletion,
            "The HA configuration of an added node finishes")
  std::uint8_t failed = 0;
  static constexpr auto Fields() {
    return std::tuple{
        NodeSetField(&FinishHaConfig::failed, "failed", "nodes whose reconfiguration fails")
            .Optional(0)
            .EnvChoice()};
  }
};
struct DeleteStandby {
  HASPEC_OP(DeleteStandby, "delete_standby", kCommand, "Delete a Standby from the cluster")
  std::uint8_t node = 0;
  Channel channel = Channel::kApiOnPrimary;
  std::uint8_t failed = 0;
  static constexpr auto Fields() {
    return std::tuple{
        NodeField(&DeleteStandby::node, "node", "the Standby"),
        EnumField(&DeleteStandby::channel, "channel", kChannelNames, "where the request goes")
            .Optional(Channel::kApiOnPrimary),
        NodeSetField(&DeleteStandby::failed, "failed", "nodes whose reconfiguration fails")
            .Optional(0)
            .EnvChoice()};
  }
};
struct Promote {
  HASPEC_OP(Promote, "promote", kCommand,
            "Run failover --operation promote to make a Standby the Primary")
  std::uint8_t node = 0;
  std::uint8_t run_on = 0;
  std::uint8_t failed = 0;
  static constexpr auto Fields() {
    return std::tuple{NodeField(&Promote::node, "node", "the Standby to promote"),
                      NodeField(&Promote::run_on, "run_on", "the node the command runs on"),
                      NodeSetField(&Promote::failed, "failed", "nodes whose reconfiguration fails")
                          .Optional(0)
                          .EnvChoice()};
  }
};
struct ReturnToStandalone {
  HASPEC_OP(ReturnToStandalone, "return_to_standalone", kCommand,
            "Switch a cluster member back to standalone mode")
  std::uint8_t node = 0;
  static constexpr auto Fields() {
    return std::tuple{NodeField(&ReturnToStandalone::node, "node", "the member")};
  }
};
struct RestoreFromBackup {
  HASPEC_OP(RestoreFromBackup, "restore_from_backup", kCommand,
            "Restore the last Primary's backup onto a fresh VM")
  std::uint8_t node = 0;
  static constexpr auto Fields() {
    return std::tuple{NodeField(&RestoreFromBackup::node, "node", "the fresh VM")};
  }
};
struct ServiceDown {
  HASPEC_OP(ServiceDown, "service_down", kEvent, "A service on a node goes down")
  std::uint8_t node = 0;
  Service service = Service::kApms;
  static constexpr auto Fields() {
    return std::tuple{NodeField(&ServiceDown::node, "node", "the node"),
                      EnumField(&ServiceDown::service, "service", kServiceNames, "the service")};
  }
};
struct ServiceUp {
  HASPEC_OP(ServiceUp, "service_up", kCommand, "Restart a service that is down")
  std::uint8_t node = 0;
  Service service = Service::kApms;
  static constexpr auto Fields() {
    return std::tuple{NodeField(&ServiceUp::node, "node", "the node"),
                      EnumField(&ServiceUp::service, "service", kServiceNames, "the service")};
  }
};
struct NodeDown {
  HASPEC_OP(NodeDown, "node_down", kEvent, "A node's VM goes down or becomes unreachable")
  std::uint8_t node = 0;
  static constexpr auto Fields() {
    return std::tuple{NodeField(&NodeDown::node, "node", "the node")};
  }
};
struct NodeUp {
  HASPEC_OP(NodeUp, "node_up", kCommand, "Bring a node's VM back up")
  std::uint8_t node = 0;
  static constexpr auto Fields() {
    return std::tuple{NodeField(&NodeUp::node, "node", "the node")};
  }
};
struct PasswordExpires {
  HASPEC_OP(PasswordExpires, "password_expires", kEvent, "A node's root password expires")
  std::uint8_t node = 0;
  static constexpr auto Fields() {
    return std::tuple{NodeField(&PasswordExpires::node, "node", "the node")};
  }
};
struct ChangePassword {
  HASPEC_OP(ChangePassword, "change_password", kCommand, "Change a node's root password")
  std::uint8_t node = 0;
  static constexpr auto Fields() {
    return std::tuple{NodeField(&ChangePassword::node, "node", "the node")};
  }
};
struct FallBehind {
  HASPEC_OP(FallBehind, "fall_behind", kEvent,
            "A Secondary can no longer catch up with the Primary")
  std::uint8_t node = 0;
  static constexpr auto Fields() {
    return std::tuple{NodeField(&FallBehind::node, "node", "the Secondary")};
  }
};
struct ReleaseUpdate {
  HASPEC_OP(ReleaseUpdate, "release_update", kEvent, "A new .ova release becomes available")
  static constexpr auto Fields() { return std::tuple{}; }
};
struct StageUpdate {
  HASPEC_OP(StageUpdate, "stage_update", kCommand, "Stage the newest release on a node")
  std::uint8_t node = 0;
  Via via = Via::kNodeAddress;
  static constexpr auto Fields() {
    return std::tuple{NodeField(&StageUpdate::node, "node", "the node"),
                      EnumField(&StageUpdate::via, "via", kViaNames, "the address used")
                          .Optional(Via::kNodeAddress)};
  }
};
struct ApplyUpdate {
  HASPEC_OP(ApplyUpdate, "apply_update", kCommand, "Apply the staged update on a node")
  std::uint8_t node = 0;
  Via via = Via::kNodeAddress;
  static constexpr auto Fields() {
    return std::tuple{NodeField(&ApplyUpdate::node, "node", "the node"),
                      EnumField(&ApplyUpdate::via, "via", kViaNames, "the address used")
                          .Optional(Via::kNodeAddress)};
  }
};
struct CompleteUpdate {
  HASPEC_OP(CompleteUpdate, "complete_update", kCompletion, "A node finishes consuming an update")
  std::uint8_t node = 0;
  static constexpr auto Fields() {
    return std::tuple{NodeField(&CompleteUpdate::node, "node", "the node")};
  }
};
struct UpdateAgents {
  HASPEC_OP(UpdateAgents, "update_agents", kCompletion,
            "DSM updates the Agents to the newest release")
  static constexpr auto Fields() { return std::tuple{}; }
};
struct Request {
  HASPEC_OP(Request, "request", kCommand, "The load balancer forwards an API request to a node")
  std::uint8_t node = 0;
  bool write = false;
  static constexpr auto Fields() {
    return std::tuple{NodeField(&Request::node, "node", "the node"),
                      BoolField(&Request::write, "write", "a write (else a read)").Optional(false)};
  }
};

using Op = std::variant<DeployVm, ConfigureHa, AddStandby, FinishHaConfig, DeleteStandby, Promote,
                        ReturnToStandalone, RestoreFromBackup, ServiceDown, ServiceUp, NodeDown,
                        NodeUp, PasswordExpires, ChangePassword, FallBehind, ReleaseUpdate,
                        StageUpdate, ApplyUpdate, CompleteUpdate, UpdateAgents, Request>;

// Values of /appliance/status (dossier 3.5).
enum class ServiceState : std::uint8_t { kActive, kInactive, kFailed };
inline constexpr NameTable<ServiceState, 3> kServiceStateNames{{{
    {ServiceState::kActive, "ACTIVE", "Active"},
    {ServiceState::kInactive, "INACTIVE", "Inactive"},
    {ServiceState::kFailed, "FAILED", "Failed"},
}}};

// ---- Observations ----------------------------------------------------------
// What the product shows about one slot, from its two views. Every field is
// optional: empty = not seen. "Absent" is a seen value: `listed` false (not a
// member), `answers` false (the VM gave no /appliance/status).
struct NodeObs {
  // /appliance/provider-ha-nodes: listed as a member, with role and status;
  // `behind` (releases behind the newest) where a payload shows versions.
  std::optional<bool> listed;
  std::optional<Role> role;
  std::optional<Status> status;
  std::optional<std::uint8_t> behind;
  // /appliance/status of this node: whether it answered, and each service
  // it reported (indexed by Service; coredns is never shown).
  std::optional<bool> answers;
  std::array<std::optional<ServiceState>, kShownServices> services{};
  friend bool operator==(const NodeObs&, const NodeObs&) = default;
};
struct Observation {
  std::array<NodeObs, kMaxSlots> nodes{};  // by slot
  friend bool operator==(const Observation&, const Observation&) = default;
};

// Facts seen in `b` replace those of `a`; facts `b` did not see stay as `a`
// has them. For two views of one moment, never for an older observation.
Observation Merge(const Observation& a, const Observation& b);

// The status the product shows for member `n` (DSM-STATUS-* rules), and the
// rule that decides it.
Status DeriveStatus(const Node& n);
RuleId StatusRule(const Node& n);
// Whether the documented condition of `status` holds for member `n`,
// whatever the precedence picks.
bool StatusConditionHolds(const Node& n, Status status);
// The VM is down, or apms or vpostgresql is down: the facts behind "down or
// Lost Connectivity", independent of the status shown.
bool DownOrCoreLost(const Node& n);

struct Dsm : MachineBase<Dsm, State, Op, RuleId, Observation, Config> {
  static constexpr std::string_view kName = "dsm";
  static constexpr std::string_view kTitle =
      "VMware Data Services Manager Provider HA (node statuses; add, delete, "
      "promote, update)";

  HASPEC_MACHINE(Dsm)
  // The logs and snapshots `haspec import` reads (model/dsm/import.cc).
  static std::span<const Importer<Config, Observation>> Importers();
  static void CheckAdvisories(const State& s, std::vector<FindingT>& out);
  static State Canonical(const State& s);
  // Symmetry (engine/symmetry.h): the configured slots differ only by name;
  // no fact of one slot refers to another.
  static int SymmetryClass(const State& s, int i) { return i < s.slots ? 0 : -1; }
  static std::uint64_t NodeKey(const State& s, int i);
  static State PermuteNodes(const State& s, std::span<const std::uint8_t> to);
  // Assumption preconditions that bound what a configuration models rather
  // than predict the product (engine/explore.h): the fault set. Exploration
  // keeps them under --documented-only; a configuration with every fault
  // explores every fault.
  static constexpr RuleId kScopeRules[] = {RuleId::kPreFaultInConfig};
};

static_assert(Machine<Dsm>);

}  // namespace haspec::dsm

#endif  // HASPEC_MODEL_DSM_DSM_H_
