// The Juniper Secure Analytics (JSA, the same product as IBM QRadar) HA
// machine: the host statuses of one primary + secondary pair, as shown in
// Admin > System and License Management (seed 003, dossier section 4).
//
// Each host keeps the status the product shows, whether its services run,
// whether it holds the cluster IP (VIP), its software version and whether a
// Failed host has been repaired. The pair keeps whether it exists, whether
// disk replication is on, whether it is licensed, and whether the secondary
// holds the active role because the primary failed (`failed_over`). Statuses
// are event-driven: failures and ping tests are environment ops, the
// administrator's actions are ops, and `Complete` finishes whatever a
// transitional status (Setting Offline, Restoring, ...) says is under way.
//
//   using haspec::jsa::Jsa;
//   Jsa::State s = Jsa::Initial();                               // primary only
//   s = Jsa::Step(s, haspec::jsa::CreatePair{true}).next;        // secondary Synchronizing
//   s = Jsa::Step(s, haspec::jsa::Complete{haspec::jsa::kSecondary}).next;  // Standby
//   auto o = Jsa::Step(s, haspec::jsa::HostFails{haspec::jsa::kPrimary,
//                                                haspec::jsa::Cause::kPower});
//   // o.rule == RuleId::kPrimaryFailover: primary Failed, secondary Active
#ifndef HASPEC_MODEL_JSA_JSA_H_
#define HASPEC_MODEL_JSA_JSA_H_

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

namespace haspec::jsa {

// A host's place in the pair. It never changes: after a failover the
// secondary is still the secondary, shown Active. Declared before the host
// numbers kPrimary / kSecondary, which share its enumerators' names.
enum class Role : std::uint8_t { kPrimary, kSecondary };
inline constexpr NameTable<Role, 2> kRoleNames{{{
    {Role::kPrimary, "primary", "Primary"},
    {Role::kSecondary, "secondary", "Secondary"},
}}};

inline constexpr int kHosts = 2;
inline constexpr std::uint8_t kPrimary = 0;
inline constexpr std::uint8_t kSecondary = 1;
inline constexpr std::uint8_t kMaxVersion = 200;

enum class RuleId : std::uint16_t {
#define HASPEC_RULE(e, id, kind, basis, src, quote, stmt) e,
#include "model/jsa/rules.def"
#undef HASPEC_RULE
};

// The twelve statuses of seed 003, in the seed's order. Labels are the UI
// strings; names are haspec's JSON spelling.
enum class Status : std::uint8_t {
  kActive,
  kStandby,
  kFailed,
  kSynchronizing,
  kOnline,
  kOffline,
  kRestoring,
  kNeedsLicense,
  kSettingOffline,
  kSettingOnline,
  kNeedsUpgrade,
  kUpgrading,
};
inline constexpr NameTable<Status, 12> kStatusNames{{{
    {Status::kActive, "ACTIVE", "Active"},
    {Status::kStandby, "STANDBY", "Standby"},
    {Status::kFailed, "FAILED", "Failed"},
    {Status::kSynchronizing, "SYNCHRONIZING", "Synchronizing"},
    {Status::kOnline, "ONLINE", "Online"},
    {Status::kOffline, "OFFLINE", "Offline"},
    {Status::kRestoring, "RESTORING", "Restoring"},
    {Status::kNeedsLicense, "NEEDS_LICENSE", "Needs License"},
    {Status::kSettingOffline, "SETTING_OFFLINE", "Setting Offline"},
    {Status::kSettingOnline, "SETTING_ONLINE", "Setting Online"},
    {Status::kNeedsUpgrade, "NEEDS_UPGRADE", "Needs Upgrade"},
    {Status::kUpgrading, "UPGRADING", "Upgrading"},
}}};

// Why a host fails (S-QR-FO, S-QR-285851). The failed network connectivity
// test and the manual failover have ops of their own (ConnectivityTest,
// SetOffline on the Active host).
enum class Cause : std::uint8_t { kPower, kHeartbeat, kRaid, kNfsReadOnly, kNotCapable };
inline constexpr NameTable<Cause, 5> kCauseNames{{{
    {Cause::kPower, "power", "power supply failure"},
    {Cause::kHeartbeat, "heartbeat", "heartbeat ping tests stopped"},
    {Cause::kRaid, "raid", "complete RAID failure"},
    {Cause::kNfsReadOnly, "nfs_read_only", "NFS volume read-only"},
    {Cause::kNotCapable, "not_capable", "accessible but not capable to provide services"},
}}};

struct Host {
  Status status = Status::kStandby;
  bool services = false;   // event, flow and offense services run
  bool vip = false;        // the cluster IP is up on this host
  bool repaired = false;   // Failed, and repaired or replaced: ready to restore
  std::uint8_t version = 1;
  friend bool operator==(const Host&, const Host&) = default;
};

struct State {
  std::array<Host, kHosts> hosts{};
  bool paired = false;            // the HA pair exists (else only the primary)
  bool disk_replication = false;  // chosen when the pair is created
  bool licensed = true;
  // The secondary holds the active role because the primary failed or was
  // failed over; cleared when the primary is Active again.
  bool failed_over = false;
  friend bool operator==(const State&, const State&) = default;
};

// ---- Ops. `host` is kPrimary (0) or kSecondary (1). --------------------------
// Administrator.
struct CreatePair { static constexpr std::string_view kName = "create_pair";
  bool disk_replication = true; };
struct SetOffline { static constexpr std::string_view kName = "set_offline";
  std::uint8_t host; };
struct SetOnline { static constexpr std::string_view kName = "set_online";
  std::uint8_t host; };
struct RepairHost { static constexpr std::string_view kName = "repair_host";
  std::uint8_t host; bool replace = false; };
struct RestoreHost { static constexpr std::string_view kName = "restore_host";
  std::uint8_t host; };
struct SwitchPrimaryToActive { static constexpr std::string_view kName = "switch_primary_to_active"; };
struct ApplyLicense { static constexpr std::string_view kName = "apply_license"; };
struct PatchPrimary { static constexpr std::string_view kName = "patch_primary"; };
struct StartUpgrade { static constexpr std::string_view kName = "start_upgrade"; };
// Environment.
struct HostFails { static constexpr std::string_view kName = "host_fails";
  std::uint8_t host; Cause cause = Cause::kPower; };
// One round of the Active host's network connectivity test (S-QR-874926):
// its own 5-packet sweep, the Standby's cross-check sweep (asked for only
// when the first fails) and the re-ping of the failed host.
struct ConnectivityTest { static constexpr std::string_view kName = "connectivity_test";
  bool sweep_ok = true; bool standby_ok = true; bool reping_ok = true; };
struct ProcessExits { static constexpr std::string_view kName = "process_exits";
  std::uint8_t host; };
struct DiskFull { static constexpr std::string_view kName = "disk_full";
  std::uint8_t host; };
struct LicenseLost { static constexpr std::string_view kName = "license_lost"; };
// The product finishes what the host's status says is under way (Setting
// Offline, Setting Online, Online, Restoring, Synchronizing, Upgrading).
struct Complete { static constexpr std::string_view kName = "complete";
  std::uint8_t host; };

using Op = std::variant<CreatePair, SetOffline, SetOnline, RepairHost, RestoreHost,
                        SwitchPrimaryToActive, ApplyLicense, PatchPrimary, StartUpgrade,
                        HostFails, ConnectivityTest, ProcessExits, DiskFull, LicenseLost,
                        Complete>;

// What System and License Management shows: a status per host of the pair
// (no secondary before the pair exists). Index = Role.
struct Observation {
  std::array<std::optional<Status>, kHosts> hosts{};
  friend bool operator==(const Observation&, const Observation&) = default;
};

struct Jsa : MachineBase<Jsa, State, Op, RuleId, Observation> {
  static constexpr std::string_view kName = "jsa";
  static constexpr std::string_view kTitle =
      "Juniper Secure Analytics / QRadar HA host statuses (failover, offline, "
      "restore, license, upgrade)";

  HASPEC_MACHINE_FUNCTIONS

  static State Initial();
  // Step's outcome first, then any other landing the documents allow
  // (JSA-TR-RECOVERED-PRIMARY-LANDING, JSA-TR-NET-FAILOVER: Offline besides
  // Standby).
  static void Outcomes(const State& s, const Op& op, std::vector<OutcomeT>& out);
  // The invariants that speak of a step rather than a state (Failed never
  // recovers by itself, no failover while Offline, no automatic switch back,
  // process exits and full disks change nothing). `after` is what Step
  // returned for `op` from `before`.
  static void CheckTransition(const State& before, const Op& op, const State& after,
                              std::vector<FindingT>& out);
  static void CheckAdvisories(const State& s, std::vector<FindingT>& out);
};

static_assert(Machine<Jsa>);

// "primary" / "secondary".
std::string_view HostName(int host);
inline constexpr int Peer(int host) { return 1 - host; }

}  // namespace haspec::jsa

#endif  // HASPEC_MODEL_JSA_JSA_H_
