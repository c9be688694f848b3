// A reference implementation of the JSA / QRadar HA pair, written from seed
// 003 ("Status Of HA Hosts") and section 4 of the domain dossier, for
// haspec's gate: it speaks the SUT protocol (docs/sut-protocol.md) through
// haspec::sut::Implementation and knows nothing of haspec's model.
//
// It is shaped like a product, not like a step function: an HaCluster owns
// two Appliance objects (the primary and the secondary host) with mutable
// status, services, cluster IP and software release; each administrator
// command is a method, each environment event a handler, and `complete`
// finishes whatever a host's status says is under way.
//
// Switches turn it into a plausible wrong implementation (a *mutant*, which
// the gate must catch) or into another defensible reading of a point the
// documents leave open (a *reading*, which the gate reports as a departure
// from the model's assumption rule). sut/jsa/manifest.json lists the same
// switches for users and tests.
//
//   haspec::sut::jsa::HaCluster pair;
//   pair.Enable("offline-only-active");           // optional: a mutant or a reading
//   nlohmann::json shown = pair.Reset({{"pair", "synchronized"}});
//   auto r = pair.Apply({{"op", "host_fails"}, {"host", "primary"}});
//   // r.accepted; r.observation["hosts"]["secondary"]["status"] == "ACTIVE"
#ifndef HASPEC_SUT_JSA_REFERENCE_H_
#define HASPEC_SUT_JSA_REFERENCE_H_

#include <array>
#include <bitset>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sut/protocol/server.h"

namespace haspec::sut::jsa {

// The behaviours a switch changes. kNone is the documented behaviour.
enum class Quirk {
  // Mutants: bugs an implementer could plausibly make.
  kFailoverToOfflinePeer,
  kFailoverDuringUpgrade,
  kProcessExitFailsOver,
  kSkipReping,
  kRestoreWithoutRepair,
  kOfflineOnlyActive,
  kPrimaryRetakesActive,
  kDemotedKeepsServices,
  kVipStaysOnFailed,
  kSyncWithoutReplication,
  kUpgradeWithoutActivePrimary,
  kLicenseLossSparesStandby,
  // Readings: other defensible answers where the documents are silent.
  kLandStandby,
  kRestoreLandsAtOnce,
  kUpgradeThenSync,
  kReapplyLicense,
  kNoManualFailover,
  kServicesWhileSynchronizing,
  kCount,
};

enum class SwitchKind { kMutant, kReading };

// One switch: its command-line name, kind, the rule of the machine it
// concerns (a rule ID of `haspec rules jsa`) and the bug or reading.
struct Switch {
  std::string_view name;
  SwitchKind kind;
  Quirk quirk;
  std::string_view rule;
  std::string_view bug;
};

// Every switch, mutants first.
std::span<const Switch> Switches();
// The switch named `name`, or nullptr.
const Switch* FindSwitch(std::string_view name);
std::string_view KindName(SwitchKind k);

class HaCluster : public Implementation {
 public:
  HaCluster() = default;

  // Turns a switch on; throws std::invalid_argument for an unknown name.
  void Enable(std::string_view name);
  bool On(Quirk q) const { return quirks_.test(static_cast<std::size_t>(q)); }

  std::string Machine() const override { return "jsa"; }
  std::string Name() const override;
  // The three outcomes of a ping round are the reference's to choose.
  std::vector<std::string> EnvChoices() const override;
  // Config keys: "hosts" {"primary", "secondary"}, "pair" ("none",
  // "synchronizing", "synchronized"), "disk_replication". Throws
  // std::runtime_error naming the bad field.
  nlohmann::json Reset(const nlohmann::json& config) override;
  // Throws std::runtime_error on an op it cannot parse (unknown op or host).
  Result Apply(const nlohmann::json& op) override;

  // What System and License Management shows now (the full view).
  std::string View() const;  // the observation, as JSON text

 private:
  enum class HostStatus {
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
  static std::string_view WireName(HostStatus s);

  // One HA host. Its role (primary or secondary) never changes: after a
  // failover the secondary is still the secondary, shown Active.
  struct Appliance {
    std::string name;
    bool primary = true;
    HostStatus status = HostStatus::kStandby;
    bool services = false;  // event, flow and offense services
    bool vip = false;       // the cluster IP alias (eth0:0)
    bool repaired = false;  // Failed, then repaired or replaced
    int release = 1;        // installed software release

    bool Is(HostStatus s) const { return status == s; }
    // Seed 003: the active system runs all services; S-QR-SEQ: the
    // cluster IP moves to it.
    void Serve() {
      status = HostStatus::kActive;
      services = true;
      vip = true;
    }
    // Any status but Active: services stopped, no cluster IP.
    void Idle(HostStatus s) {
      status = s;
      services = false;
      vip = false;
    }
  };

  // Where a landing may take another documented answer (a completion), or
  // must take the product's own (a license applied).
  enum class Landing { kCompletion, kRestored, kLicense };

  Appliance& primary() { return hosts_[0]; }
  Appliance& secondary() { return hosts_[1]; }
  const Appliance& primary() const { return hosts_[0]; }
  const Appliance& secondary() const { return hosts_[1]; }
  Appliance& PeerOf(const Appliance& h) { return h.primary ? secondary() : primary(); }
  bool InPair(const Appliance& h) const { return h.primary || paired_; }
  bool Shows(const Appliance& h, HostStatus s) const { return InPair(h) && h.Is(s); }
  const Appliance* ActiveHost() const;
  bool SecondaryBehind() const { return paired_ && secondary().release < primary().release; }

  // The host named in op[key], or throws.
  Appliance& HostField(const nlohmann::json& op, std::string_view key);

  void TakeOver(Appliance& h);
  void EnterSynchronizing(Appliance& h);
  void Demote(Appliance& h, HostStatus s);
  bool PrimaryHasFailed() const;
  void Land(Appliance& h, Landing how);

  // Commands.
  Result CreatePair(bool disk_replication);
  Result SetOffline(Appliance& h);
  Result SetOnline(Appliance& h);
  Result RepairHost(Appliance& h, bool replace);
  Result RestoreHost(Appliance& h);
  Result SwitchPrimaryToActive();
  Result ApplyLicense();
  Result PatchPrimary();
  Result StartUpgrade();
  // Events and the completion.
  Result OnHostFailure(Appliance& h);
  Result OnConnectivityTest(bool sweep_ok, bool standby_ok, bool reping_ok);
  Result OnProcessExit(Appliance& h);
  Result OnDiskFull(Appliance& h);
  Result OnLicenseLost();
  Result OnComplete(Appliance& h);

  std::array<Appliance, 2> hosts_{};
  bool paired_ = false;
  bool disk_replication_ = false;
  bool licensed_ = true;
  // The host that holds the active role: the Active one; while none is,
  // the one that held it last (it takes Active back first when a license
  // returns; without it the secondary only waits, seed 003).
  int role_holder_ = 0;
  std::bitset<static_cast<std::size_t>(Quirk::kCount)> quirks_;
};

}  // namespace haspec::sut::jsa

#endif  // HASPEC_SUT_JSA_REFERENCE_H_
