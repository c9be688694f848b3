#include "sut/jsa/reference.h"

#include <cctype>
#include <stdexcept>
#include <string>

#include "sut/protocol/json_text.h"

namespace haspec::sut::jsa {
namespace {

using nlohmann::json;

constexpr Switch kSwitches[] = {
    {"failover-to-offline-peer", SwitchKind::kMutant, Quirk::kFailoverToOfflinePeer,
     "JSA-TR-NO-FAILOVER-PEER-OFFLINE",
     "When the Active host fails, an Offline peer is brought up as Active although failover "
     "cannot occur until it is set online."},
    {"failover-during-upgrade", SwitchKind::kMutant, Quirk::kFailoverDuringUpgrade,
     "JSA-TR-NO-FAILOVER-DURING-UPGRADE",
     "When the Active primary fails, a secondary in Needs Upgrade or Upgrading takes over "
     "although it is not protecting the primary."},
    {"process-exit-fails-over", SwitchKind::kMutant, Quirk::kProcessExitFailsOver,
     "JSA-TR-NO-FAILOVER-PROCESS-EXIT",
     "A QRadar process that exits on the Active host is handled as a host failure and "
     "triggers a failover."},
    {"skip-reping", SwitchKind::kMutant, Quirk::kSkipReping, "JSA-TR-NET-REPING-SUCCEEDS",
     "After a failed ping sweep and a passing Standby cross-check the pair fails over without "
     "waiting for the re-ping of the failed host."},
    {"restore-without-repair", SwitchKind::kMutant, Quirk::kRestoreWithoutRepair,
     "JSA-PRE-RESTORE-NEEDS-REPAIR",
     "Restore is accepted on a Failed host that was never repaired or replaced."},
    {"offline-only-active", SwitchKind::kMutant, Quirk::kOfflineOnlyActive,
     "JSA-PRE-OFFLINE-NEEDS-STANDBY-PEER",
     "Set System Offline is accepted on the only Active host, leaving no host Active."},
    {"primary-retakes-active", SwitchKind::kMutant, Quirk::kPrimaryRetakesActive,
     "JSA-INV-NO-AUTOMATIC-SWITCH-BACK",
     "A primary that returns (restored, set online or licensed again) takes the Active status "
     "back from the secondary without the administrator's switch."},
    {"demoted-keeps-services", SwitchKind::kMutant, Quirk::kDemotedKeepsServices,
     "JSA-INV-STANDBY-NO-SERVICES",
     "A host demoted from Active to Standby (switch back, ping-test failover) keeps its "
     "services running."},
    {"vip-stays-on-failed", SwitchKind::kMutant, Quirk::kVipStaysOnFailed, "JSA-INV-VIP-ON-ACTIVE",
     "The Active host that fails keeps the cluster IP alias up."},
    {"sync-without-replication", SwitchKind::kMutant, Quirk::kSyncWithoutReplication,
     "JSA-INV-SYNC-NEEDS-REPLICATION",
     "A secondary joining the pair, or a restored host beside the Active peer, shows "
     "Synchronizing even when disk replication is disabled."},
    {"upgrade-without-active-primary", SwitchKind::kMutant, Quirk::kUpgradeWithoutActivePrimary,
     "JSA-PRE-UPGRADE-BY-PRIMARY",
     "An upgrade of the Needs Upgrade secondary starts while the primary is not Active."},
    {"license-loss-spares-standby", SwitchKind::kMutant, Quirk::kLicenseLossSparesStandby,
     "JSA-TR-LICENSE-LOST",
     "When the license is lost only the Active host shows Needs License; the Standby host "
     "stays Standby."},
    {"land-standby", SwitchKind::kReading, Quirk::kLandStandby, "JSA-TR-LAND-ACTIVE",
     "A host that comes back online or is restored with no Active peer lands Standby rather "
     "than Active (dossier 4.2: \"then Standby or Active\")."},
    {"restore-lands-at-once", SwitchKind::kReading, Quirk::kRestoreLandsAtOnce,
     "JSA-TR-RESTORE-SYNC",
     "A restored host beside an Active peer lands at once without showing Synchronizing first "
     "(dossier 4.2 marks the sequencing [RECON])."},
    {"upgrade-then-sync", SwitchKind::kReading, Quirk::kUpgradeThenSync, "JSA-TR-UPGRADE-DONE",
     "With disk replication an upgraded secondary synchronizes before it shows Standby "
     "(the landing after Upgrading is [RECON])."},
    {"reapply-license", SwitchKind::kReading, Quirk::kReapplyLicense,
     "JSA-PRE-APPLY-LICENSE-NEEDED",
     "Applying a license key to a licensed pair is accepted and changes nothing."},
    {"no-manual-failover", SwitchKind::kReading, Quirk::kNoManualFailover, "JSA-TR-MANUAL-FAILOVER",
     "Set System Offline is refused on the Active host: a manual failover is not done that way "
     "(S-QR-FO does not say how it is done)."},
    {"services-while-synchronizing", SwitchKind::kReading, Quirk::kServicesWhileSynchronizing,
     "JSA-INV-ONLY-ACTIVE-RUNS-SERVICES",
     "A Synchronizing host reports its services running (seed 003 says nothing of its "
     "services)."},
};

// Rule IDs are the protocol's vocabulary for a refusal.
Result Refuse(std::string_view rule) { return Result{false, std::string(rule), json()}; }
Result Ok() { return Result{true, "", json()}; }

bool BoolOr(const json& j, const char* key, bool dflt, std::string_view where) {
  auto it = j.find(key);
  if (it == j.end()) return dflt;
  if (!it->is_boolean()) {
    throw std::runtime_error(std::string(where) + "." + key + ": expected true or false, got " +
                             it->dump());
  }
  return it->get<bool>();
}

std::string StringAt(const json& j, const char* key, std::string_view where) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) {
    throw std::runtime_error(std::string(where) + "." + key + ": expected a string");
  }
  return it->get<std::string>();
}

// ha.conf host names: letters, digits, '.', '-', '_'.
bool GoodHostName(const std::string& n) {
  if (n.empty()) return false;
  for (char c : n) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_') {
      return false;
    }
  }
  return true;
}

bool KnownCause(const std::string& c) {
  return c == "power" || c == "heartbeat" || c == "raid" || c == "nfs_read_only" ||
         c == "not_capable";
}

}  // namespace

std::span<const Switch> Switches() { return kSwitches; }

const Switch* FindSwitch(std::string_view name) {
  for (const Switch& s : kSwitches) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

std::string_view KindName(SwitchKind k) { return k == SwitchKind::kMutant ? "mutant" : "reading"; }

void HaCluster::Enable(std::string_view name) {
  const Switch* s = FindSwitch(name);
  if (s == nullptr) throw std::invalid_argument("unknown switch \"" + std::string(name) + "\"");
  quirks_.set(static_cast<std::size_t>(s->quirk));
}

std::string HaCluster::Name() const {
  std::string n = "haspec-ref-jsa 0.1";
  for (const Switch& s : kSwitches) {
    if (On(s.quirk)) n += " (" + std::string(KindName(s.kind)) + " " + std::string(s.name) + ")";
  }
  return n;
}

std::vector<std::string> HaCluster::EnvChoices() const {
  return {"connectivity_test.sweep_ok", "connectivity_test.standby_ok",
          "connectivity_test.reping_ok"};
}

std::string_view HaCluster::WireName(HostStatus s) {
  switch (s) {
    case HostStatus::kActive:
      return "ACTIVE";
    case HostStatus::kStandby:
      return "STANDBY";
    case HostStatus::kFailed:
      return "FAILED";
    case HostStatus::kSynchronizing:
      return "SYNCHRONIZING";
    case HostStatus::kOnline:
      return "ONLINE";
    case HostStatus::kOffline:
      return "OFFLINE";
    case HostStatus::kRestoring:
      return "RESTORING";
    case HostStatus::kNeedsLicense:
      return "NEEDS_LICENSE";
    case HostStatus::kSettingOffline:
      return "SETTING_OFFLINE";
    case HostStatus::kSettingOnline:
      return "SETTING_ONLINE";
    case HostStatus::kNeedsUpgrade:
      return "NEEDS_UPGRADE";
    case HostStatus::kUpgrading:
      return "UPGRADING";
  }
  return "?";
}

json HaCluster::Reset(const json& config) {
  if (!config.is_object()) throw std::runtime_error("config: expected an object");
  for (auto it = config.begin(); it != config.end(); ++it) {
    if (it.key() != "hosts" && it.key() != "pair" && it.key() != "disk_replication") {
      throw std::runtime_error("config." + it.key() +
                               ": unknown field (expected hosts, pair, disk_replication)");
    }
  }
  std::string pri = "primary", sec = "secondary";
  if (auto h = config.find("hosts"); h != config.end()) {
    if (!h->is_object()) throw std::runtime_error("config.hosts: expected an object");
    for (auto it = h->begin(); it != h->end(); ++it) {
      if (it.key() != "primary" && it.key() != "secondary") {
        throw std::runtime_error("config.hosts." + it.key() +
                                 ": unknown field (expected primary, secondary)");
      }
    }
    if (h->contains("primary")) pri = StringAt(*h, "primary", "config.hosts");
    if (h->contains("secondary")) sec = StringAt(*h, "secondary", "config.hosts");
  }
  if (!GoodHostName(pri) || !GoodHostName(sec)) {
    throw std::runtime_error("config.hosts: host names are letters, digits, '.', '-' or '_'");
  }
  if (pri == sec) throw std::runtime_error("config.hosts.secondary: the primary's name");
  const std::string pair = config.contains("pair") ? StringAt(config, "pair", "config") : "none";
  if (pair != "none" && pair != "synchronizing" && pair != "synchronized") {
    throw std::runtime_error("config.pair: expected none, synchronizing or synchronized");
  }
  if (pair == "none" && config.contains("disk_replication")) {
    throw std::runtime_error("config.disk_replication: only with an existing pair");
  }
  const bool replication = BoolOr(config, "disk_replication", pair == "synchronizing", "config");
  if (pair == "synchronizing" && !replication) {
    throw std::runtime_error("config.disk_replication: a synchronizing pair replicates its disk");
  }

  // The console starts alone, Active and licensed.
  hosts_[0] = Appliance{.name = pri, .primary = true};
  hosts_[1] = Appliance{.name = sec, .primary = false};
  paired_ = false;
  disk_replication_ = false;
  licensed_ = true;
  TakeOver(primary());
  if (pair != "none") {
    paired_ = true;
    disk_replication_ = replication;
    if (pair == "synchronizing") {
      EnterSynchronizing(secondary());
    } else {
      secondary().Idle(HostStatus::kStandby);
    }
  }
  return json::parse(View());
}

HaCluster::Appliance& HaCluster::HostField(const json& op, std::string_view key) {
  const std::string name = StringAt(op, std::string(key).c_str(), "op");
  for (Appliance& h : hosts_) {
    if (h.name == name) return h;
  }
  throw std::runtime_error("op." + std::string(key) + ": unknown host \"" + name + "\" (expected " +
                           primary().name + " or " + secondary().name + ")");
}

Result HaCluster::Apply(const json& op) {
  if (!op.is_object()) throw std::runtime_error("op: expected an object");
  const std::string what = StringAt(op, "op", "op");
  Result r;
  if (what == "create_pair") {
    r = CreatePair(BoolOr(op, "disk_replication", true, "op"));
  } else if (what == "set_offline") {
    r = SetOffline(HostField(op, "host"));
  } else if (what == "set_online") {
    r = SetOnline(HostField(op, "host"));
  } else if (what == "repair_host") {
    Appliance& h = HostField(op, "host");
    r = RepairHost(h, BoolOr(op, "replace", false, "op"));
  } else if (what == "restore_host") {
    r = RestoreHost(HostField(op, "host"));
  } else if (what == "switch_primary_to_active") {
    r = SwitchPrimaryToActive();
  } else if (what == "apply_license") {
    r = ApplyLicense();
  } else if (what == "patch_primary") {
    r = PatchPrimary();
  } else if (what == "start_upgrade") {
    r = StartUpgrade();
  } else if (what == "host_fails") {
    Appliance& h = HostField(op, "host");
    const std::string cause = op.contains("cause") ? StringAt(op, "cause", "op") : "power";
    if (!KnownCause(cause)) {
      throw std::runtime_error("op.cause: unknown cause \"" + cause +
                               "\" (expected power, heartbeat, raid, nfs_read_only or "
                               "not_capable)");
    }
    // Every cause of S-QR-FO fails the host the same way.
    r = OnHostFailure(h);
  } else if (what == "connectivity_test") {
    r = OnConnectivityTest(BoolOr(op, "sweep_ok", true, "op"), BoolOr(op, "standby_ok", true, "op"),
                           BoolOr(op, "reping_ok", true, "op"));
  } else if (what == "process_exits") {
    r = OnProcessExit(HostField(op, "host"));
  } else if (what == "disk_full") {
    r = OnDiskFull(HostField(op, "host"));
  } else if (what == "license_lost") {
    r = OnLicenseLost();
  } else if (what == "complete") {
    r = OnComplete(HostField(op, "host"));
  } else {
    throw std::runtime_error("op.op: unknown op \"" + what + "\"");
  }
  r.observation_text = View();
  return r;
}

std::string HaCluster::View() const {
  JsonText w;
  w.Open().Key("hosts").Open();
  for (const Appliance& h : hosts_) {
    w.Key(h.name);
    if (!InPair(h)) {
      w.Value("absent");
      continue;
    }
    w.Open().Key("status").Value(WireName(h.status));
    w.Key("vip").Value(h.vip).Key("services").Value(h.services).Close();
  }
  w.Close();
  const Appliance* a = ActiveHost();
  std::string release = "same";
  if (paired_ && secondary().release < primary().release) release = "behind";
  if (paired_ && secondary().release > primary().release) release = "ahead";
  w.Key("active").Value(a ? a->name : "none");
  w.Key("licensed").Value(licensed_);
  w.Key("disk_replication").Value(paired_ && disk_replication_);
  w.Key("secondary_release").Value(release);
  return w.Close().Take();
}

const HaCluster::Appliance* HaCluster::ActiveHost() const {
  for (const Appliance& h : hosts_) {
    if (Shows(h, HostStatus::kActive)) return &h;
  }
  return nullptr;
}

void HaCluster::TakeOver(Appliance& h) {
  h.Serve();
  role_holder_ = h.primary ? 0 : 1;
}

void HaCluster::EnterSynchronizing(Appliance& h) {
  h.Idle(HostStatus::kSynchronizing);
  if (On(Quirk::kServicesWhileSynchronizing)) h.services = true;
}

void HaCluster::Demote(Appliance& h, HostStatus s) {
  const bool keep = On(Quirk::kDemotedKeepsServices) && s == HostStatus::kStandby;
  const bool services = h.services;
  h.Idle(s);
  if (keep) h.services = services;
}

// Seed 003: "If the secondary HA host displays the active status, the
// primary HA host failed". The role already lost to the secondary, or a
// primary still Failed or Restoring, is such a failure.
bool HaCluster::PrimaryHasFailed() const {
  return role_holder_ == 1 || primary().Is(HostStatus::kFailed) ||
         primary().Is(HostStatus::kRestoring);
}

// A host rejoining the pair (set online, restored, synchronized, upgraded,
// licensed again): a missing license or an old release come first, then it
// stands by an Active peer, and otherwise takes the active role itself.
void HaCluster::Land(Appliance& h, Landing how) {
  if (!licensed_) {
    h.Idle(HostStatus::kNeedsLicense);
    return;
  }
  if (!h.primary && SecondaryBehind()) {
    h.Idle(HostStatus::kNeedsUpgrade);
    return;
  }
  Appliance& peer = PeerOf(h);
  if (Shows(peer, HostStatus::kActive)) {
    if (h.primary && On(Quirk::kPrimaryRetakesActive)) {
      Demote(peer, HostStatus::kStandby);
      TakeOver(h);
      return;
    }
    // S-JSA-FO: the recovered primary "acts as the standby system".
    h.Idle(HostStatus::kStandby);
    return;
  }
  // The secondary takes Active only from a primary that failed; beside a
  // primary that is merely away it waits.
  if (!h.primary && !PrimaryHasFailed()) {
    h.Idle(HostStatus::kStandby);
    return;
  }
  if (how != Landing::kLicense && On(Quirk::kLandStandby)) {
    h.Idle(HostStatus::kStandby);
    return;
  }
  TakeOver(h);
}

Result HaCluster::CreatePair(bool disk_replication) {
  if (paired_) return Refuse("JSA-PRE-CREATE-PAIR-ONCE");
  if (!primary().Is(HostStatus::kActive)) return Refuse("JSA-PRE-CREATE-PAIR-FROM-ACTIVE");
  paired_ = true;
  disk_replication_ = disk_replication;
  Appliance& s = secondary();
  s.repaired = false;
  s.release = primary().release;
  // Seed 003: Synchronizing "only when disk replication is enabled".
  if (disk_replication || On(Quirk::kSyncWithoutReplication)) {
    EnterSynchronizing(s);
  } else {
    Land(s, Landing::kCompletion);
  }
  return Ok();
}

Result HaCluster::SetOffline(Appliance& h) {
  if (!InPair(h)) return Refuse("JSA-PRE-HOST-IN-PAIR");
  if (!h.Is(HostStatus::kActive) && !h.Is(HostStatus::kStandby)) {
    return Refuse("JSA-PRE-SET-OFFLINE-FROM");
  }
  Appliance& peer = PeerOf(h);
  const bool peer_standby = Shows(peer, HostStatus::kStandby);
  const bool was_active = h.Is(HostStatus::kActive);
  // Seed 003: an Offline host has an active peer ("between the active and
  // offline HA hosts"), so the only Active host stays.
  if (was_active && !peer_standby && !On(Quirk::kOfflineOnlyActive)) {
    return Refuse("JSA-PRE-OFFLINE-NEEDS-STANDBY-PEER");
  }
  if (was_active && On(Quirk::kNoManualFailover)) return Refuse("JSA-PRE-SET-OFFLINE-FROM");
  h.Idle(HostStatus::kSettingOffline);
  // Setting the Active host offline is the manual failover (S-QR-FO).
  if (was_active && peer_standby) TakeOver(peer);
  return Ok();
}

Result HaCluster::SetOnline(Appliance& h) {
  if (!InPair(h)) return Refuse("JSA-PRE-HOST-IN-PAIR");
  if (!h.Is(HostStatus::kOffline)) return Refuse("JSA-PRE-SET-ONLINE-FROM-OFFLINE");
  h.Idle(HostStatus::kSettingOnline);
  return Ok();
}

Result HaCluster::RepairHost(Appliance& h, bool /*replace*/) {
  if (!InPair(h)) return Refuse("JSA-PRE-HOST-IN-PAIR");
  if (!h.Is(HostStatus::kFailed)) return Refuse("JSA-PRE-REPAIR-FAILED-HOST");
  if (h.repaired) return Refuse("JSA-PRE-REPAIR-ONCE");
  // A replacement appliance is installed at the failed host's release.
  h.repaired = true;
  return Ok();
}

Result HaCluster::RestoreHost(Appliance& h) {
  if (!InPair(h)) return Refuse("JSA-PRE-HOST-IN-PAIR");
  if (!h.Is(HostStatus::kFailed)) return Refuse("JSA-PRE-RESTORE-FAILED-HOST");
  // Seed 003: "must be manually repaired or replaced, and then restored".
  if (!h.repaired && !On(Quirk::kRestoreWithoutRepair)) {
    return Refuse("JSA-PRE-RESTORE-NEEDS-REPAIR");
  }
  h.repaired = false;
  h.Idle(HostStatus::kRestoring);
  return Ok();
}

Result HaCluster::SwitchPrimaryToActive() {
  if (!Shows(secondary(), HostStatus::kActive)) return Refuse("JSA-PRE-SWITCH-AFTER-FAILOVER");
  if (!primary().Is(HostStatus::kStandby)) return Refuse("JSA-PRE-SWITCH-PRIMARY-STANDBY");
  Demote(secondary(), HostStatus::kStandby);
  TakeOver(primary());
  return Ok();
}

Result HaCluster::ApplyLicense() {
  if (licensed_) {
    if (On(Quirk::kReapplyLicense)) return Ok();
    return Refuse("JSA-PRE-APPLY-LICENSE-NEEDED");
  }
  licensed_ = true;
  // The role holder resumes first, so it gets Active back.
  Appliance& first = hosts_[role_holder_];
  Appliance& second = PeerOf(first);
  for (Appliance* h : {&first, &second}) {
    if (Shows(*h, HostStatus::kNeedsLicense)) Land(*h, Landing::kLicense);
  }
  return Ok();
}

Result HaCluster::PatchPrimary() {
  if (!primary().Is(HostStatus::kActive)) return Refuse("JSA-PRE-PATCH-ACTIVE-PRIMARY");
  ++primary().release;
  if (!paired_) return Ok();
  Appliance& s = secondary();
  if (s.Is(HostStatus::kStandby) || s.Is(HostStatus::kSynchronizing)) {
    s.Idle(HostStatus::kNeedsUpgrade);
  }
  return Ok();
}

Result HaCluster::StartUpgrade() {
  if (!Shows(secondary(), HostStatus::kNeedsUpgrade)) {
    return Refuse("JSA-PRE-UPGRADE-NEEDS-UPGRADE");
  }
  // Seed 003: "being upgraded by the primary HA host".
  if (!primary().Is(HostStatus::kActive) && !On(Quirk::kUpgradeWithoutActivePrimary)) {
    return Refuse("JSA-PRE-UPGRADE-BY-PRIMARY");
  }
  secondary().Idle(HostStatus::kUpgrading);
  return Ok();
}

Result HaCluster::OnHostFailure(Appliance& h) {
  if (!InPair(h)) return Refuse("JSA-PRE-HOST-IN-PAIR");
  if (h.Is(HostStatus::kFailed)) return Refuse("JSA-PRE-FAIL-NOT-FAILED");
  const bool was_active = h.Is(HostStatus::kActive);
  const bool vip = h.vip;
  h.Idle(HostStatus::kFailed);
  h.repaired = false;
  if (was_active && On(Quirk::kVipStaysOnFailed)) h.vip = vip;
  if (!was_active || !paired_) return Ok();
  // Seed 003: "the standby system automatically becomes the active system";
  // an Offline or upgrading peer does not.
  Appliance& peer = PeerOf(h);
  const bool takes_over = peer.Is(HostStatus::kStandby) ||
                          (On(Quirk::kFailoverToOfflinePeer) && peer.Is(HostStatus::kOffline)) ||
                          (On(Quirk::kFailoverDuringUpgrade) &&
                           (peer.Is(HostStatus::kNeedsUpgrade) || peer.Is(HostStatus::kUpgrading)));
  if (takes_over) TakeOver(peer);
  return Ok();
}

// S-QR-874926: the Active host's sweep; on failure the Standby
// cross-checks; if it passes, a re-ping of the failed host decides.
Result HaCluster::OnConnectivityTest(bool sweep_ok, bool standby_ok, bool reping_ok) {
  if (!paired_) return Refuse("JSA-PRE-NET-TEST-NEEDS-PAIR");
  const Appliance* found = ActiveHost();
  if (found == nullptr) return Refuse("JSA-PRE-NET-TEST-NEEDS-ACTIVE");
  Appliance& active = hosts_[found->primary ? 0 : 1];
  if (sweep_ok) return Ok();
  Appliance& peer = PeerOf(active);
  // Only a Standby cross-checks; an Offline host runs no ping tests.
  if (!peer.Is(HostStatus::kStandby)) return Ok();
  if (!standby_ok) return Ok();
  if (reping_ok && !On(Quirk::kSkipReping)) return Ok();
  // "previously active appliance displays Offline or Standby": Standby here.
  Demote(active, HostStatus::kStandby);
  TakeOver(peer);
  return Ok();
}

// S-QR-FO: a process that errors, stops or exits is not a failover.
Result HaCluster::OnProcessExit(Appliance& h) {
  if (!InPair(h)) return Refuse("JSA-PRE-HOST-IN-PAIR");
  if (On(Quirk::kProcessExitFailsOver) && h.Is(HostStatus::kActive)) return OnHostFailure(h);
  return Ok();
}

// S-QR-FO: a disk at 95% stops data collection but is not a failover.
Result HaCluster::OnDiskFull(Appliance& h) {
  if (!InPair(h)) return Refuse("JSA-PRE-HOST-IN-PAIR");
  return Ok();
}

Result HaCluster::OnLicenseLost() {
  if (!licensed_) return Refuse("JSA-PRE-LICENSE-LOSS-NEEDS-LICENSE");
  licensed_ = false;
  for (Appliance& h : hosts_) {
    if (!InPair(h)) continue;
    const bool stops = h.Is(HostStatus::kActive) ||
                       (h.Is(HostStatus::kStandby) && !On(Quirk::kLicenseLossSparesStandby));
    if (stops) h.Idle(HostStatus::kNeedsLicense);
  }
  return Ok();
}

Result HaCluster::OnComplete(Appliance& h) {
  if (!InPair(h)) return Refuse("JSA-PRE-HOST-IN-PAIR");
  Appliance& peer = PeerOf(h);
  switch (h.status) {
    case HostStatus::kSettingOffline:
      h.Idle(HostStatus::kOffline);
      return Ok();
    case HostStatus::kSettingOnline:
      h.Idle(HostStatus::kOnline);
      return Ok();
    case HostStatus::kOnline:
      Land(h, Landing::kCompletion);
      return Ok();
    case HostStatus::kRestoring: {
      // Data is copied from the Active peer, and only with disk replication
      // (seed 003); a secondary left behind by a patch is upgraded first.
      const bool replicate = disk_replication_ || On(Quirk::kSyncWithoutReplication);
      const bool sync = replicate && Shows(peer, HostStatus::kActive) &&
                        !(!h.primary && SecondaryBehind()) && !On(Quirk::kRestoreLandsAtOnce);
      if (sync) {
        EnterSynchronizing(h);
      } else {
        Land(h, Landing::kRestored);
      }
      return Ok();
    }
    case HostStatus::kSynchronizing:
      if (!Shows(peer, HostStatus::kActive)) return Refuse("JSA-PRE-SYNC-NEEDS-ACTIVE-PEER");
      Land(h, Landing::kRestored);
      return Ok();
    case HostStatus::kUpgrading:
      if (!primary().Is(HostStatus::kActive)) return Refuse("JSA-PRE-UPGRADE-BY-PRIMARY");
      h.release = primary().release;
      Land(h, Landing::kCompletion);
      if (On(Quirk::kUpgradeThenSync) && disk_replication_ && h.Is(HostStatus::kStandby)) {
        EnterSynchronizing(h);
      }
      return Ok();
    default:
      return Refuse("JSA-PRE-COMPLETE-UNDER-WAY");
  }
}

}  // namespace haspec::sut::jsa
