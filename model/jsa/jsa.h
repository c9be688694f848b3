// The Juniper Secure Analytics (JSA, the same product as IBM QRadar) HA
// machine: the host statuses of one primary + secondary pair, as shown in
// Admin > System and License Management (seed 003, dossier section 4).
//
// Each host keeps the status the product shows, whether its services run,
// whether it holds the cluster IP (VIP) and whether a Failed host has been
// repaired. The pair keeps whether it exists, whether disk replication is
// on, whether it is licensed, how the secondary's release compares with the
// primary's, and which host holds the active role (the Active host; while no
// host is Active, the one that takes Active back first). Statuses are
// event-driven: failures and ping tests are events, the administrator's
// actions are commands, and `complete` finishes whatever a transitional
// status (Setting Offline, Restoring, ...) says is under way.
//
//   using namespace haspec::jsa;
//   Jsa::Config c = Jsa::DefaultConfig();            // hosts "primary", "secondary"
//   Jsa::State s = Jsa::Initial(c);                  // primary only, Active
//   s = Jsa::Step(s, CreatePair{true}).next;         // secondary Synchronizing
//   s = Jsa::Step(s, Complete{kSecondary}).next;     // Standby
//   auto o = Jsa::Step(s, HostFails{kPrimary, Cause::kPower});
//   // o.rule == RuleId::kPrimaryFailover: primary Failed, secondary Active
#ifndef HASPEC_MODEL_JSA_JSA_H_
#define HASPEC_MODEL_JSA_JSA_H_

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

namespace haspec::jsa {

// A host's place in the pair. It never changes: after a failover the
// secondary is still the secondary, shown Active. Node 0 of a configuration
// is the primary host, node 1 the secondary. Declared before the host
// numbers kPrimary / kSecondary, which share its enumerators' names.
enum class Role : std::uint8_t { kPrimary, kSecondary };
inline constexpr NameTable<Role, 2> kRoleNames{{{
    {Role::kPrimary, "primary", "Primary"},
    {Role::kSecondary, "secondary", "Secondary"},
}}};

inline constexpr int kHosts = 2;
inline constexpr std::uint8_t kPrimary = 0;
inline constexpr std::uint8_t kSecondary = 1;

enum class RuleId : std::uint16_t {
#define HASPEC_RULE(e, id, kind, basis, src, quote, stmt) e,
#include "model/jsa/rules.def"
#undef HASPEC_RULE
};

// The twelve statuses of seed 003, in the seed's order, each with the
// sentence of the seed's table that defines it. Labels are the UI strings;
// names are haspec's JSON spelling.
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
inline constexpr std::string_view kSeed003 = "003_74666854484cf083.txt";
inline constexpr NameTable<Status, 12> kStatusNames{{{
    {Status::kActive,
     "ACTIVE",
     "Active",
     {},
     kSeed003,
     "Specifies that the host is the active system"},
    {Status::kStandby,
     "STANDBY",
     "Standby",
     {},
     kSeed003,
     "Specifies that the host is acting as the standby system."},
    {Status::kFailed,
     "FAILED",
     "Failed",
     {},
     kSeed003,
     "Specifies that the primary or secondary host failed."},
    {Status::kSynchronizing,
     "SYNCHRONIZING",
     "Synchronizing",
     {},
     kSeed003,
     "Specifies that data is synchronizing between hosts."},
    {Status::kOnline, "ONLINE", "Online", {}, kSeed003, "Specifies that the host is online."},
    {Status::kOffline,
     "OFFLINE",
     "Offline",
     {},
     kSeed003,
     "Specifies that an administrator manually set the HA host offline."},
    {Status::kRestoring,
     "RESTORING",
     "Restoring",
     {},
     kSeed003,
     "Specifies that the host is restoring."},
    {Status::kNeedsLicense,
     "NEEDS_LICENSE",
     "Needs License",
     {},
     kSeed003,
     "Specifies that a license key is required for the HA cluster."},
    {Status::kSettingOffline,
     "SETTING_OFFLINE",
     "Setting Offline",
     {},
     kSeed003,
     "is changing the status of an HA host to offline"},
    {Status::kSettingOnline,
     "SETTING_ONLINE",
     "Setting Online",
     {},
     kSeed003,
     "is changing the status of an HA host to online"},
    {Status::kNeedsUpgrade,
     "NEEDS_UPGRADE",
     "Needs Upgrade",
     {},
     kSeed003,
     "Specifies that the secondary HA host requires a software upgrade."},
    {Status::kUpgrading,
     "UPGRADING",
     "Upgrading",
     {},
     kSeed003,
     "Specifies that the secondary HA host is being upgraded"},
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

// The secondary's software release compared with the primary's. Versions
// are relative so that the state space stays finite: only "behind" matters
// to the documents (Needs Upgrade); "ahead" is never reached by the model
// and exists so that a system showing it breaks JSA-INV-SECONDARY-NOT-AHEAD.
enum class Release : std::uint8_t { kSame, kBehind, kAhead };
inline constexpr NameTable<Release, 3> kReleaseNames{{{
    {Release::kSame, "same", "same release"},
    {Release::kBehind, "behind", "behind the primary"},
    {Release::kAhead, "ahead", "ahead of the primary"},
}}};

// The initial situation of a configuration.
enum class InitialPair : std::uint8_t { kNone, kSynchronizing, kSynchronized };
inline constexpr NameTable<InitialPair, 3> kInitialPairNames{{{
    {InitialPair::kNone, "none", "no HA pair yet: the primary alone, Active"},
    {InitialPair::kSynchronizing, "synchronizing",
     "pair just created with disk replication: the secondary Synchronizing"},
    {InitialPair::kSynchronized, "synchronized", "pair created and synchronized: Active + Standby"},
}}};

struct Host {
  Status status = Status::kStandby;
  bool services = false;  // event, flow and offense services run
  bool vip = false;       // the cluster IP is up on this host
  bool repaired = false;  // Failed, and repaired or replaced: ready to restore
  friend bool operator==(const Host&, const Host&) = default;
};

// Every field is something the future depends on; see the README ("State")
// for why each one is kept and what moved into step rules.
struct State {
  std::array<Host, kHosts> hosts{};
  bool paired = false;            // the HA pair exists (else only the primary)
  bool disk_replication = false;  // chosen when the pair is created
  bool licensed = true;
  Release secondary_release = Release::kSame;
  // The host that holds the active role: the Active host; while no host is
  // Active (both unlicensed, the holder failed with its peer away, ...), the
  // one that held it last, which takes it back first (license applied) and
  // without which the secondary may not take Active (seed 003: only after
  // the primary failed).
  std::uint8_t holder = kPrimary;
  friend bool operator==(const State&, const State&) = default;
};

// ---- Ops. `host` is a node of the configuration: 0 primary, 1 secondary. ----

struct CreatePair {
  HASPEC_OP(CreatePair, "create_pair", kCommand,
            "Create the HA pair: add the secondary host, with or without disk replication")
  bool disk_replication = true;
  static constexpr auto Fields() {
    return std::tuple{BoolField(&CreatePair::disk_replication, "disk_replication",
                                "replicate /store to the secondary")
                          .Optional(true)};
  }
};
struct SetOffline {
  HASPEC_OP(SetOffline, "set_offline", kCommand, "High Availability > Set System Offline on a host")
  std::uint8_t host = 0;
  static constexpr auto Fields() {
    return std::tuple{NodeField(&SetOffline::host, "host", "the host to set offline")};
  }
};
struct SetOnline {
  HASPEC_OP(SetOnline, "set_online", kCommand, "High Availability > Set System Online on a host")
  std::uint8_t host = 0;
  static constexpr auto Fields() {
    return std::tuple{NodeField(&SetOnline::host, "host", "the host to set online")};
  }
};
struct RepairHost {
  HASPEC_OP(RepairHost, "repair_host", kCommand,
            "The administrator repairs or replaces a Failed host (it stays Failed until restored)")
  std::uint8_t host = 0;
  bool replace = false;
  static constexpr auto Fields() {
    return std::tuple{NodeField(&RepairHost::host, "host", "the Failed host"),
                      BoolField(&RepairHost::replace, "replace", "replaced rather than repaired")
                          .Optional(false)};
  }
};
struct RestoreHost {
  HASPEC_OP(RestoreHost, "restore_host", kCommand, "Restore a repaired or replaced Failed host")
  std::uint8_t host = 0;
  static constexpr auto Fields() {
    return std::tuple{NodeField(&RestoreHost::host, "host", "the host to restore")};
  }
};
struct SwitchPrimaryToActive {
  HASPEC_OP(SwitchPrimaryToActive, "switch_primary_to_active", kCommand,
            "Switching a primary HA host to active, after a failover")
  static constexpr auto Fields() { return std::tuple{}; }
};
struct ApplyLicense {
  HASPEC_OP(ApplyLicense, "apply_license", kCommand, "Apply a license key to the HA cluster")
  static constexpr auto Fields() { return std::tuple{}; }
};
struct PatchPrimary {
  HASPEC_OP(PatchPrimary, "patch_primary", kCommand, "Patch the Active primary to a newer release")
  static constexpr auto Fields() { return std::tuple{}; }
};
struct StartUpgrade {
  HASPEC_OP(StartUpgrade, "start_upgrade", kCommand,
            "The primary starts upgrading a Needs Upgrade secondary")
  static constexpr auto Fields() { return std::tuple{}; }
};
struct HostFails {
  HASPEC_OP(HostFails, "host_fails", kEvent, "A host fails (S-QR-FO causes)")
  std::uint8_t host = 0;
  Cause cause = Cause::kPower;
  static constexpr auto Fields() {
    return std::tuple{
        NodeField(&HostFails::host, "host", "the host that fails"),
        EnumField(&HostFails::cause, "cause", kCauseNames, "why it fails").Optional(Cause::kPower)};
  }
};
// One round of the Active host's network connectivity test (S-QR-874926):
// its own 5-packet sweep, the Standby's cross-check sweep (asked for only
// when the first fails) and the re-ping of the failed host.
struct ConnectivityTest {
  HASPEC_OP(ConnectivityTest, "connectivity_test", kEvent,
            "One round of the Active host's network connectivity (ping) test")
  bool sweep_ok = true;
  bool standby_ok = true;
  bool reping_ok = true;
  static constexpr auto Fields() {
    return std::tuple{
        BoolField(&ConnectivityTest::sweep_ok, "sweep_ok", "the Active host's sweep passes")
            .Optional(true)
            .EnvChoice(),
        BoolField(&ConnectivityTest::standby_ok, "standby_ok",
                  "the Standby's cross-check sweep passes")
            .Optional(true)
            .EnvChoice(),
        BoolField(&ConnectivityTest::reping_ok, "reping_ok",
                  "the re-ping of the failed host passes")
            .Optional(true)
            .EnvChoice()};
  }
};
struct ProcessExits {
  HASPEC_OP(ProcessExits, "process_exits", kEvent, "A QRadar process errors, stops or exits")
  std::uint8_t host = 0;
  static constexpr auto Fields() {
    return std::tuple{NodeField(&ProcessExits::host, "host", "where the process runs")};
  }
};
struct DiskFull {
  HASPEC_OP(DiskFull, "disk_full", kEvent, "A disk of a host reaches 95%")
  std::uint8_t host = 0;
  static constexpr auto Fields() {
    return std::tuple{NodeField(&DiskFull::host, "host", "the host whose disk fills")};
  }
};
struct LicenseLost {
  HASPEC_OP(LicenseLost, "license_lost", kEvent,
            "The HA cluster's license key expires or is removed")
  static constexpr auto Fields() { return std::tuple{}; }
};
// The product finishes what the host's status says is under way (Setting
// Offline, Setting Online, Online, Restoring, Synchronizing, Upgrading).
struct Complete {
  HASPEC_OP(Complete, "complete", kCompletion,
            "The product finishes what the host's transitional status says is under way")
  std::uint8_t host = 0;
  static constexpr auto Fields() {
    return std::tuple{NodeField(&Complete::host, "host", "the host whose step finishes")};
  }
};

using Op = std::variant<CreatePair, SetOffline, SetOnline, RepairHost, RestoreHost,
                        SwitchPrimaryToActive, ApplyLicense, PatchPrimary, StartUpgrade, HostFails,
                        ConnectivityTest, ProcessExits, DiskFull, LicenseLost, Complete>;

// ---- Observations ------------------------------------------------------------

// What can be seen of one host; an empty optional is "not seen".
struct HostObservation {
  std::optional<Status> status;  // System and License Management
  std::optional<bool> vip;       // the cluster IP alias is up on it
  std::optional<bool> services;  // event, flow and offense services run
  friend bool operator==(const HostObservation&, const HostObservation&) = default;
};

// A (partial) observation of the pair. Every field may be "not seen". The
// secondary slot has three values: not seen (`secondary` empty), absent
// (`secondary == false`: no HA pair, nothing else of it may be seen) and
// present (`secondary == true`, with whatever of it was seen). Seeing any
// field of the secondary implies it is present.
struct Observation {
  std::array<HostObservation, kHosts> hosts{};
  std::optional<bool> secondary;
  // Which host is active (`ha state` prints "active" there): kPrimary,
  // kSecondary, or -1 for none.
  std::optional<int> active;
  std::optional<bool> licensed;
  std::optional<bool> disk_replication;
  std::optional<Release> secondary_release;
  friend bool operator==(const Observation&, const Observation&) = default;
};

// ---- Configuration -------------------------------------------------------------

// One pair. `nodes` names the primary host and then the secondary host, as
// the product does (ha.conf PRIMARY_NAME / SECONDARY_NAME).
struct Config {
  Nodes nodes{{"primary", "secondary"}};
  InitialPair pair = InitialPair::kNone;
  bool disk_replication = false;  // the existing pair's (create_pair chooses otherwise)
};

struct Jsa : MachineBase<Jsa, State, Op, RuleId, Observation, Config> {
  static constexpr std::string_view kName = "jsa";
  static constexpr std::string_view kTitle =
      "Juniper Secure Analytics / QRadar HA host statuses (failover, offline, "
      "restore, license, upgrade)";

  HASPEC_MACHINE(Jsa)
  // The logs and snapshots `haspec import` reads (model/jsa/import.cc).
  static std::span<const Importer<Config, Observation>> Importers();

  // The invariants that speak of a step rather than a state (Failed never
  // recovers by itself, no failover while Offline, no automatic switch back,
  // the secondary takes Active only from a failed primary, process exits and
  // full disks change nothing). `after` is a landing of `op` from `before`.
  // `premises` gets each step invariant whose premise held on this step
  // (the coverage record's "premise holds").
  static void CheckTransition(const State& before, const Op& op, const State& after,
                              std::vector<FindingT>& out, std::vector<RuleId>* premises = nullptr);
  static void CheckAdvisories(const State& s, std::vector<FindingT>& out);
  // The secondary's fields when there is no pair, and the role holder when a
  // host is Active, are determined; Canonical writes them so.
  static State Canonical(const State& s);
};

static_assert(Machine<Jsa>);
static_assert(std::has_unique_object_representations_v<State>, "a State has no padding");

// "primary" / "secondary".
std::string_view HostName(int host);
inline constexpr int Peer(int host) { return 1 - host; }
// The host that is Active in s, or -1.
int ActiveHost(const State& s);

}  // namespace haspec::jsa

#endif  // HASPEC_MODEL_JSA_JSA_H_
