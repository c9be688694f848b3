#include "sut/vcs_gco/reference.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>
#include <utility>

#include "sut/protocol/json_text.h"

namespace haspec::sut::vcs_gco {
namespace {

using nlohmann::json;

constexpr int kMinClusters = 2;
// The documents state no maximum; this is the size the machine's
// configurations allow, so both sides accept the same configurations.
constexpr int kMaxClusters = 6;

// The wide-area heartbeat agents VCS ships, in the order hahb lists them.
constexpr std::array<std::string_view, 2> kHeartbeatAgents = {"Icmp", "IcmpS"};

constexpr std::array<std::string_view, 11> kRemoteStateNames = {
    "INIT",    "BUILD",   "RUNNING", "LOST_HB", "LOST_CONN",    "UNKNOWN",
    "FAULTED", "EXITING", "EXITED",  "INQUIRY", "TRANSITIONING"};
constexpr std::array<std::string_view, 3> kHbStateNames = {"HBUNKNOWN", "HBALIVE", "HBDEAD"};
constexpr std::array<std::string_view, 5> kClusStateNames = {"RUNNING", "EXITING", "EXITED",
                                                             "FAULTED", "TRANSITIONING"};

// The precondition rules of the machine, as the protocol names them.
namespace rule {
constexpr char kClusterConfigured[] = "GCO-PRE-CLUSTER-CONFIGURED";
constexpr char kTwoClusters[] = "GCO-PRE-TWO-DIFFERENT-CLUSTERS";
constexpr char kObserverModelled[] = "GCO-PRE-OBSERVER-MODELLED";
constexpr char kHeartbeatConfigured[] = "GCO-PRE-HEARTBEAT-CONFIGURED";
constexpr char kConnectorUp[] = "GCO-PRE-CONNECTOR-UP";
constexpr char kHbNeedsLivePeer[] = "GCO-PRE-HEARTBEAT-NEEDS-LIVE-PEER";
constexpr char kConnectNeedsNoLink[] = "GCO-PRE-CONNECT-NEEDS-NO-LINK";
constexpr char kConnectNotSilent[] = "GCO-PRE-CONNECT-NOT-WHILE-SILENT";
constexpr char kHbAliveToConnect[] = "GCO-PRE-HEARTBEAT-ALIVE-TO-CONNECT";
constexpr char kPeerConnector[] = "GCO-PRE-PEER-CONNECTOR-RUNNING";
constexpr char kSnapshotNeedsBuild[] = "GCO-PRE-SNAPSHOT-NEEDS-BUILD";
constexpr char kConnLostNeedsLink[] = "GCO-PRE-CONNECTION-LOST-NEEDS-LINK";
constexpr char kInquiryNeedsLostHb[] = "GCO-PRE-INQUIRY-NEEDS-LOST-HB";
constexpr char kInquiryAfterLinkLoss[] = "GCO-PRE-INQUIRY-AFTER-LINK-LOSS";
constexpr char kAnswersNeedInquiry[] = "GCO-PRE-ANSWERS-NEED-INQUIRY";
constexpr char kAnswersFromConnected[] = "GCO-PRE-ANSWERS-FROM-CONNECTED-CLUSTERS";
constexpr char kStopNeedsRunning[] = "GCO-PRE-STOP-NEEDS-RUNNING";
constexpr char kExitNeedsExiting[] = "GCO-PRE-EXIT-NEEDS-EXITING";
constexpr char kCrashNeedsHadUp[] = "GCO-PRE-CRASH-NEEDS-HAD-UP";
constexpr char kStartNeedsHadDown[] = "GCO-PRE-START-NEEDS-HAD-DOWN";
constexpr char kFailoverNeedsRunning[] = "GCO-PRE-FAILOVER-NEEDS-RUNNING";
constexpr char kOnlineNeedsFailover[] = "GCO-PRE-ONLINE-NEEDS-FAILOVER";
}  // namespace rule

constexpr Switch kMutants[] = {
    {"connect-without-live-heartbeat", "GCO-PRE-HEARTBEAT-ALIVE-TO-CONNECT",
     "The connector connects to a remote cluster when no heartbeat to it reports HBALIVE (it only "
     "checks that none is HBDEAD)."},
    {"join-skips-snapshot", "GCO-TR-JOIN-BUILD",
     "A new connection from INIT shows the remote cluster RUNNING at once, skipping BUILD while "
     "the "
     "snapshot is received."},
    {"heartbeat-loss-ignored", "GCO-TR-ALL-HEARTBEATS-LOST",
     "A running view stays RUNNING when every heartbeat to that cluster is HBDEAD, as long as the "
     "TCP connection holds."},
    {"not-down-answers-ignored", "GCO-TR-INQUIRY-UNKNOWN",
     "Inquiry ends FAULTED even when another cluster answers that the silent one is not down."},
    {"failover-seen-as-lost-conn", "GCO-TR-WAC-FAILOVER",
     "A remote connector failing over is treated as a plain TCP loss: running views become "
     "LOST_CONN instead of TRANSITIONING."},
    {"exit-notice-ignored", "GCO-TR-EXIT-NOTICE",
     "The remote connectors drop the graceful-exit notice: views of a cluster shutting down stay "
     "RUNNING, then turn LOST_CONN when it exits."},
    {"crash-seen-as-exited", "GCO-STEP-EXITED-FROM-EXITING",
     "When a cluster crashes, the remote connectors show it EXITED straight from RUNNING, as if it "
     "had exited gracefully."},
    {"heartbeat-while-connector-down", "GCO-PRE-CONNECTOR-UP",
     "Heartbeat reports are accepted and recorded while the observing cluster's connector is down "
     "(exited, faulted or failing over)."},
    {"stopped-cluster-still-reports", "GCO-OBS-HAD-DOWN-SILENT",
     "A cluster whose HAD is down (exited or faulted) still answers queries with its own state "
     "instead of Cannot connect to VCS engine."},
    {"restart-restores-views", "GCO-TR-START-AT-INIT",
     "A connector that starts again (hastart, or back online after a failover) restores the remote "
     "cluster and heartbeat states it held before it stopped instead of starting at INIT."},
    {"exiting-shown-running", "GCO-OBS-OWN-STATE",
     "haclus -state keeps showing the cluster RUNNING while it shuts down gracefully (EXITING)."},
    {"faulted-on-link-loss", "GCO-STEP-FAULTED-FROM-INQUIRY",
     "A LOST_HB view whose TCP connection drops too is declared FAULTED at once, without an "
     "inquiry of the other clusters."},
};

constexpr Switch kReadings[] = {
    {"own-state-running-during-failover", "GCO-ASM-OWN-STATE-DURING-FAILOVER",
     "While its ClusterService group fails over, a cluster shows its own state as RUNNING (the "
     "cluster keeps running; only the connector moves)."},
    {"reconnect-resumes-running", "GCO-ASM-LOST-CONN-RECONNECT",
     "A new TCP connection from LOST_CONN resumes RUNNING without a fresh snapshot (heartbeats "
     "never stopped, so the cluster's state is taken as current)."},
    {"inquire-while-connected", "GCO-PRE-INQUIRY-AFTER-LINK-LOSS",
     "The connector starts inquiry as soon as every heartbeat is lost, without waiting for the TCP "
     "connection to the silent cluster to drop."},
    {"hbunknown-counts-alive", "GCO-ASM-HBUNKNOWN-COUNTS-AS-LOST",
     "A running view leaves RUNNING only when every configured heartbeat reports HBDEAD; a "
     "heartbeat still HBUNKNOWN is not counted as lost."},
};

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

[[noreturn]] void Malformed(const std::string& what) { throw std::runtime_error(what); }

std::string StringAt(const json& j, const char* key, const std::string& where) {
  auto it = j.find(key);
  if (it == j.end()) Malformed(where + ": missing \"" + key + "\"");
  if (!it->is_string()) Malformed(where + "." + key + ": expected a string, got " + it->dump());
  return it->get<std::string>();
}

// The fields each op carries; any other key (besides the trace keys the
// protocol may pass along) is refused as malformed.
struct OpShape {
  std::string_view name;
  std::array<std::string_view, 3> fields;
};
constexpr OpShape kOps[] = {
    {"heartbeat_alive", {"observer", "remote", "heartbeat"}},
    {"heartbeat_dead", {"observer", "remote", "heartbeat"}},
    {"connect", {"observer", "remote", ""}},
    {"snapshot_done", {"observer", "remote", ""}},
    {"connection_lost", {"observer", "remote", ""}},
    {"inquire", {"observer", "remote", ""}},
    {"inquiry_answers", {"observer", "remote", "not_down"}},
    {"stop_cluster", {"cluster", "", ""}},
    {"cluster_exited", {"cluster", "", ""}},
    {"cluster_crash", {"cluster", "", ""}},
    {"start_cluster", {"cluster", "", ""}},
    {"connector_failover", {"cluster", "", ""}},
    {"connector_online", {"cluster", "", ""}},
};
constexpr std::string_view kPassThroughKeys[] = {"op",     "expect", "comment", "note",
                                                 "source", "line",   "ts",      "result",
                                                 "reason", "obs",    "event",   "seq"};

void CheckKeys(const json& op, const OpShape& shape) {
  for (auto it = op.begin(); it != op.end(); ++it) {
    const std::string& k = it.key();
    bool known = std::find(std::begin(kPassThroughKeys), std::end(kPassThroughKeys), k) !=
                 std::end(kPassThroughKeys);
    for (auto f : shape.fields) known = known || (!f.empty() && f == k);
    if (!known) Malformed("op " + std::string(shape.name) + ": unknown field \"" + k + "\"");
  }
}

}  // namespace

std::span<const Switch> MutantSwitches() { return kMutants; }
std::span<const Switch> ReadingSwitches() { return kReadings; }

std::optional<Mutant> MutantNamed(std::string_view name) {
  for (std::size_t i = 0; i < std::size(kMutants); ++i) {
    if (kMutants[i].name == name) return static_cast<Mutant>(i);
  }
  return std::nullopt;
}

std::optional<Reading> ReadingNamed(std::string_view name) {
  for (std::size_t i = 0; i < std::size(kReadings); ++i) {
    if (kReadings[i].name == name) return static_cast<Reading>(i);
  }
  return std::nullopt;
}

GlobalCluster::GlobalCluster() { Reset(json::object()); }

std::string GlobalCluster::Name() const {
  std::string out = "haspec-ref-vcs-gco 0.1";
  for (Mutant m : mutants_) out += " --mutant " + std::string(kMutants[static_cast<int>(m)].name);
  for (Reading r : readings_) {
    out += " --reading " + std::string(kReadings[static_cast<int>(r)].name);
  }
  return out;
}

// ---- Configuration ---------------------------------------------------------

json GlobalCluster::Reset(const json& config) {
  if (!config.is_object()) Malformed("configuration: expected an object, got " + config.dump());
  for (auto it = config.begin(); it != config.end(); ++it) {
    const std::string& k = it.key();
    if (k != "clusters" && k != "heartbeats" && k != "observers" && k != "start") {
      Malformed("configuration: unknown key \"" + k +
                "\" (expected clusters, heartbeats, observers, start)");
    }
  }

  std::vector<std::string> names = {"clus0", "clus1", "clus2"};
  if (auto it = config.find("clusters"); it != config.end()) {
    if (!it->is_array()) Malformed("clusters: expected a list of cluster names");
    names.clear();
    for (const json& e : *it) {
      if (!e.is_string()) Malformed("clusters: expected a cluster name, got " + e.dump());
      std::string n = e.get<std::string>();
      if (n.empty()) Malformed("clusters: empty cluster name");
      if (n.find_first_of(" \t\r\n:") != std::string::npos) {
        Malformed("clusters: cluster name \"" + n + "\" contains a blank or ':'");
      }
      if (std::find(names.begin(), names.end(), n) != names.end()) {
        Malformed("clusters: duplicate cluster name \"" + n + "\"");
      }
      names.push_back(std::move(n));
    }
    if (names.size() < kMinClusters || names.size() > kMaxClusters) {
      Malformed("clusters: a global cluster here has 2..6 clusters, got " +
                std::to_string(names.size()));
    }
  }

  std::vector<bool> hb_on(kHeartbeatAgents.size(), false);
  hb_on[0] = true;
  if (auto it = config.find("heartbeats"); it != config.end()) {
    if (!it->is_array() || it->empty()) Malformed("heartbeats: expected a list such as [\"Icmp\"]");
    std::fill(hb_on.begin(), hb_on.end(), false);
    for (const json& e : *it) {
      bool found = false;
      for (std::size_t h = 0; h < kHeartbeatAgents.size(); ++h) {
        if (e.is_string() && EqualsIgnoreCase(e.get<std::string>(), kHeartbeatAgents[h])) {
          if (hb_on[h]) Malformed("heartbeats: " + e.dump() + " is listed twice");
          hb_on[h] = found = true;
        }
      }
      if (!found) Malformed("heartbeats: unknown heartbeat " + e.dump() + " (Icmp or IcmpS)");
    }
  }

  std::vector<bool> simulated(names.size(), false);
  simulated[0] = true;
  if (auto it = config.find("observers"); it != config.end()) {
    std::fill(simulated.begin(), simulated.end(), false);
    if (it->is_string() && it->get<std::string>() == "all") {
      std::fill(simulated.begin(), simulated.end(), true);
    } else if (it->is_array() && !it->empty()) {
      for (const json& e : *it) {
        auto pos = e.is_string() ? std::find(names.begin(), names.end(), e.get<std::string>())
                                 : names.end();
        if (pos == names.end()) Malformed("observers: unknown cluster " + e.dump());
        if (simulated[pos - names.begin()]) Malformed("observers: " + e.dump() + " listed twice");
        simulated[pos - names.begin()] = true;
      }
    } else {
      Malformed("observers: expected \"all\" or a list of cluster names");
    }
  }

  std::string start = "all_init";
  if (auto it = config.find("start"); it != config.end()) {
    if (!it->is_string()) Malformed("start: expected all_init, all_running or all_exited");
    start = it->get<std::string>();
    if (EqualsIgnoreCase(start, "all_init") || EqualsIgnoreCase(start, "all INIT")) {
      start = "all_init";
    } else if (EqualsIgnoreCase(start, "all_running") || EqualsIgnoreCase(start, "all RUNNING")) {
      start = "all_running";
    } else if (EqualsIgnoreCase(start, "all_exited") || EqualsIgnoreCase(start, "all EXITED")) {
      start = "all_exited";
    } else {
      Malformed("start: unknown start \"" + start + "\" (all_init, all_running or all_exited)");
    }
  }

  heartbeats_.clear();
  for (std::size_t h = 0; h < kHeartbeatAgents.size(); ++h) {
    if (hb_on[h]) heartbeats_.emplace_back(kHeartbeatAgents[h]);
  }
  clusters_.assign(names.size(), Cluster{});
  for (std::size_t c = 0; c < names.size(); ++c) {
    Cluster& cl = clusters_[c];
    cl.name = names[c];
    cl.simulated = simulated[c];
    cl.views.assign(names.size(), FreshView());
    cl.saved.clear();
    if (start == "all_exited") cl.state = ClusState::kExited;
    if (start == "all_running" && cl.simulated) {
      for (std::size_t r = 0; r < names.size(); ++r) {
        if (r == c) continue;
        RemoteView& v = cl.views[r];
        v.state = RemoteState::kRunning;
        v.tcp = true;
        std::fill(v.hb.begin(), v.hb.end(), HbState::kAlive);
      }
    }
  }
  return json::parse(Observation());
}

GlobalCluster::RemoteView GlobalCluster::FreshView() const {
  RemoteView v;
  v.hb.assign(heartbeats_.size(), HbState::kUnknown);
  return v;
}

// ---- Ops -------------------------------------------------------------------

int GlobalCluster::ClusterIndex(const json& op, const char* key) const {
  const std::string name = StringAt(op, key, "op");
  for (std::size_t c = 0; c < clusters_.size(); ++c) {
    if (clusters_[c].name == name) return static_cast<int>(c);
  }
  return -1;
}

int GlobalCluster::HeartbeatIndex(const json& op) const {
  std::string name = "Icmp";
  if (op.contains("heartbeat")) name = StringAt(op, "heartbeat", "op");
  bool known = false;
  for (auto agent : kHeartbeatAgents) known = known || EqualsIgnoreCase(name, agent);
  if (!known) Malformed("op.heartbeat: unknown heartbeat \"" + name + "\" (Icmp or IcmpS)");
  for (std::size_t h = 0; h < heartbeats_.size(); ++h) {
    if (EqualsIgnoreCase(name, heartbeats_[h])) return static_cast<int>(h);
  }
  return -1;
}

Result GlobalCluster::Apply(const json& op) {
  if (!op.is_object()) Malformed("op: expected an object, got " + op.dump());
  const std::string name = StringAt(op, "op", "op");
  const OpShape* shape = nullptr;
  for (const OpShape& s : kOps) {
    if (s.name == name) shape = &s;
  }
  if (!shape) Malformed("op: unknown op \"" + name + "\"");
  CheckKeys(op, *shape);

  Refusal refusal;
  if (shape->fields[0] == "cluster") {
    const int c = ClusterIndex(op, "cluster");
    if (c < 0) {
      refusal = rule::kClusterConfigured;
    } else if (name == "stop_cluster") {
      refusal = Hastop(c);
    } else if (name == "cluster_exited") {
      refusal = ShutdownFinished(c);
    } else if (name == "cluster_crash") {
      refusal = Crash(c);
    } else if (name == "start_cluster") {
      refusal = Hastart(c);
    } else if (name == "connector_failover") {
      refusal = WacFailover(c);
    } else {
      refusal = WacOnline(c);
    }
  } else {
    const int o = ClusterIndex(op, "observer");
    const int r = ClusterIndex(op, "remote");
    if (name == "heartbeat_alive" || name == "heartbeat_dead") {
      const int hb = HeartbeatIndex(op);
      refusal = HeartbeatReport(o, r, hb, name == "heartbeat_alive");
    } else if (name == "connect") {
      refusal = Connected(o, r);
    } else if (name == "snapshot_done") {
      refusal = SnapshotComplete(o, r);
    } else if (name == "connection_lost") {
      refusal = ConnectionDropped(o, r);
    } else if (name == "inquire") {
      refusal = StartInquiry(o, r);
    } else {
      std::vector<int> not_down;
      bool unknown = false;
      if (auto it = op.find("not_down"); it != op.end()) {
        if (!it->is_array()) Malformed("op.not_down: expected a list of cluster names");
        for (const json& e : *it) {
          if (!e.is_string()) Malformed("op.not_down: expected a cluster name, got " + e.dump());
          int idx = -1;
          for (std::size_t c = 0; c < clusters_.size(); ++c) {
            if (clusters_[c].name == e.get<std::string>()) idx = static_cast<int>(c);
          }
          unknown = unknown || idx < 0;
          if (std::find(not_down.begin(), not_down.end(), idx) == not_down.end()) {
            not_down.push_back(idx);
          }
        }
      }
      refusal = unknown ? Refusal(rule::kClusterConfigured) : InquiryAnswered(o, r, not_down);
    }
  }
  Result out;
  out.accepted = !refusal.has_value();
  if (refusal) out.reason = *refusal;
  out.observation_text = Observation();
  return out;
}

GlobalCluster::Refusal GlobalCluster::ViewOpAllowed(int o, int r) const {
  if (o < 0 || r < 0) return rule::kClusterConfigured;
  if (o == r) return rule::kTwoClusters;
  if (!clusters_[o].simulated) return rule::kObserverModelled;
  return std::nullopt;
}

bool GlobalCluster::AnyAlive(const RemoteView& v) const {
  return std::find(v.hb.begin(), v.hb.end(), HbState::kAlive) != v.hb.end();
}

bool GlobalCluster::AllDead(const RemoteView& v) const {
  return std::all_of(v.hb.begin(), v.hb.end(), [](HbState h) { return h == HbState::kDead; });
}

GlobalCluster::Refusal GlobalCluster::HeartbeatReport(int o, int r, int hb, bool alive) {
  if (auto no = ViewOpAllowed(o, r)) return no;
  if (hb < 0) return rule::kHeartbeatConfigured;
  // Seed 002: heartbeats need the wide-area connector "up and running".
  if (!clusters_[o].WacUp() && !Has(Mutant::kHeartbeatWhileConnectorDown)) {
    return rule::kConnectorUp;
  }
  // An ICMP probe of a cluster that is down gets no reply.
  if (alive && !clusters_[r].HadUp()) return rule::kHbNeedsLivePeer;

  RemoteView& v = clusters_[o].views[r];
  v.hb[hb] = alive ? HbState::kAlive : HbState::kDead;
  if (alive) {
    // A heartbeat answering again ends the silence before inquiry settles
    // it: the view goes back to what the TCP connection says.
    if (v.state == RemoteState::kLostHb || v.state == RemoteState::kInquiry) {
      v.state = v.tcp ? RemoteState::kRunning : RemoteState::kLostConn;
    }
    return std::nullopt;
  }
  if (AnyAlive(v)) return std::nullopt;  // another heartbeat still answers
  switch (v.state) {
    case RemoteState::kRunning:
      if (Has(Mutant::kHeartbeatLossIgnored)) break;
      if (!AllDead(v) && Has(Reading::kHbUnknownCountsAlive)) break;
      v.state = RemoteState::kLostHb;
      break;
    case RemoteState::kBuild:
    case RemoteState::kLostConn:
    case RemoteState::kTransitioning:
      v.state = RemoteState::kLostHb;
      break;
    default:
      break;
  }
  return std::nullopt;
}

GlobalCluster::Refusal GlobalCluster::Connected(int o, int r) {
  if (auto no = ViewOpAllowed(o, r)) return no;
  if (!clusters_[o].WacUp()) return rule::kConnectorUp;
  RemoteView& v = clusters_[o].views[r];
  if (v.tcp) return rule::kConnectNeedsNoLink;
  // A silent cluster is settled by inquiry first (G2, G3).
  if (v.state == RemoteState::kLostHb || v.state == RemoteState::kInquiry) {
    return rule::kConnectNotSilent;
  }
  // Seed 002: "at least one heartbeat to the specified cluster must report
  // the state as alive".
  if (Has(Mutant::kConnectWithoutLiveHeartbeat)) {
    if (AllDead(v)) return rule::kHbAliveToConnect;
  } else if (!AnyAlive(v)) {
    return rule::kHbAliveToConnect;
  }
  if (clusters_[r].state != ClusState::kRunning) return rule::kPeerConnector;

  const RemoteState was = v.state;
  v.tcp = true;
  v.state = RemoteState::kBuild;  // the snapshot starts (G1, G4)
  if (was == RemoteState::kInit && Has(Mutant::kJoinSkipsSnapshot)) v.state = RemoteState::kRunning;
  if (was == RemoteState::kLostConn && Has(Reading::kReconnectResumesRunning)) {
    v.state = RemoteState::kRunning;
  }
  return std::nullopt;
}

GlobalCluster::Refusal GlobalCluster::SnapshotComplete(int o, int r) {
  if (auto no = ViewOpAllowed(o, r)) return no;
  if (!clusters_[o].WacUp()) return rule::kConnectorUp;
  RemoteView& v = clusters_[o].views[r];
  if (v.state != RemoteState::kBuild) return rule::kSnapshotNeedsBuild;
  v.state = RemoteState::kRunning;
  return std::nullopt;
}

void GlobalCluster::DropLink(int o, int r) {
  RemoteView& v = clusters_[o].views[r];
  v.tcp = false;
  switch (v.state) {
    case RemoteState::kRunning:
    case RemoteState::kBuild:
      v.state = RemoteState::kLostConn;
      break;
    case RemoteState::kExiting:
      // Seed 002: "each remote connector transitions their view of the
      // cluster to exited".
      v.state = RemoteState::kExited;
      break;
    default:
      break;  // already silent or settled: the connection adds nothing
  }
}

GlobalCluster::Refusal GlobalCluster::ConnectionDropped(int o, int r) {
  if (auto no = ViewOpAllowed(o, r)) return no;
  if (!clusters_[o].WacUp()) return rule::kConnectorUp;
  RemoteView& v = clusters_[o].views[r];
  if (!v.tcp) return rule::kConnLostNeedsLink;
  const RemoteState was = v.state;
  DropLink(o, r);
  if (was == RemoteState::kLostHb && Has(Mutant::kFaultedOnLinkLoss)) {
    v.state = RemoteState::kFaulted;
  }
  return std::nullopt;
}

GlobalCluster::Refusal GlobalCluster::StartInquiry(int o, int r) {
  if (auto no = ViewOpAllowed(o, r)) return no;
  if (!clusters_[o].WacUp()) return rule::kConnectorUp;
  RemoteView& v = clusters_[o].views[r];
  if (v.state != RemoteState::kLostHb) return rule::kInquiryNeedsLostHb;
  if (v.tcp && !Has(Reading::kInquireWhileConnected)) return rule::kInquiryAfterLinkLoss;
  v.state = RemoteState::kInquiry;
  return std::nullopt;
}

GlobalCluster::Refusal GlobalCluster::InquiryAnswered(int o, int r,
                                                      const std::vector<int>& not_down) {
  if (auto no = ViewOpAllowed(o, r)) return no;
  if (!clusters_[o].WacUp()) return rule::kConnectorUp;
  RemoteView& v = clusters_[o].views[r];
  if (v.state != RemoteState::kInquiry) return rule::kAnswersNeedInquiry;
  // Only a third cluster this connector is connected to can answer.
  for (int c : not_down) {
    if (c == o || c == r || !clusters_[o].views[c].tcp) return rule::kAnswersFromConnected;
  }
  if (!not_down.empty() && !Has(Mutant::kNotDownAnswersIgnored)) {
    v.state = RemoteState::kUnknown;  // seed 002: another cluster says otherwise
  } else if (AnyAlive(v)) {
    // Seed 002 defines faulted as "The remote cluster is down.", which a
    // heartbeat answering right now contradicts.
    v.state = v.tcp ? RemoteState::kRunning : RemoteState::kLostConn;
  } else {
    v.state = RemoteState::kFaulted;
  }
  return std::nullopt;
}

// ---- Cluster-wide ----------------------------------------------------------

void GlobalCluster::StopWac(int c) {
  Cluster& cl = clusters_[c];
  if (Has(Mutant::kRestartRestoresViews)) cl.saved = cl.views;
  cl.views.assign(clusters_.size(), FreshView());
  for (std::size_t o = 0; o < clusters_.size(); ++o) {
    if (static_cast<int>(o) != c && clusters_[o].views[c].tcp) DropLink(static_cast<int>(o), c);
  }
}

void GlobalCluster::StartWac(int c) {
  Cluster& cl = clusters_[c];
  cl.state = ClusState::kRunning;
  cl.views.assign(clusters_.size(), FreshView());
  if (Has(Mutant::kRestartRestoresViews) && !cl.saved.empty()) {
    cl.views = cl.saved;
    // The connections themselves are gone; the states it shows come back.
    for (RemoteView& v : cl.views) v.tcp = false;
  }
}

GlobalCluster::Refusal GlobalCluster::Hastop(int c) {
  if (clusters_[c].state != ClusState::kRunning) return rule::kStopNeedsRunning;
  // Seed 002: "the connector transitions its local cluster state to exiting
  // and notifies the remote clusters of the new state".
  clusters_[c].state = ClusState::kExiting;
  if (Has(Mutant::kExitNoticeIgnored)) return std::nullopt;
  for (std::size_t o = 0; o < clusters_.size(); ++o) {
    RemoteView& v = clusters_[o].views[c];
    if (static_cast<int>(o) != c && v.tcp) v.state = RemoteState::kExiting;
  }
  return std::nullopt;
}

GlobalCluster::Refusal GlobalCluster::ShutdownFinished(int c) {
  if (clusters_[c].state != ClusState::kExiting) return rule::kExitNeedsExiting;
  clusters_[c].state = ClusState::kExited;
  StopWac(c);
  return std::nullopt;
}

GlobalCluster::Refusal GlobalCluster::Crash(int c) {
  if (!clusters_[c].HadUp()) return rule::kCrashNeedsHadUp;
  clusters_[c].state = ClusState::kFaulted;
  std::vector<int> linked;
  for (std::size_t o = 0; o < clusters_.size(); ++o) {
    if (static_cast<int>(o) != c && clusters_[o].views[c].tcp)
      linked.push_back(static_cast<int>(o));
  }
  StopWac(c);
  if (Has(Mutant::kCrashSeenAsExited)) {
    for (int o : linked) clusters_[o].views[c].state = RemoteState::kExited;
  }
  return std::nullopt;
}

GlobalCluster::Refusal GlobalCluster::Hastart(int c) {
  if (clusters_[c].HadUp()) return rule::kStartNeedsHadDown;
  StartWac(c);
  return std::nullopt;
}

GlobalCluster::Refusal GlobalCluster::WacFailover(int c) {
  if (clusters_[c].state != ClusState::kRunning) return rule::kFailoverNeedsRunning;
  clusters_[c].state = ClusState::kTransitioning;
  // G4: the remote connectors see the connector failing over.
  for (std::size_t o = 0; o < clusters_.size(); ++o) {
    if (static_cast<int>(o) == c) continue;
    RemoteView& v = clusters_[o].views[c];
    if (v.state == RemoteState::kRunning || v.state == RemoteState::kBuild) {
      v.state = Has(Mutant::kFailoverSeenAsLostConn) ? RemoteState::kLostConn
                                                     : RemoteState::kTransitioning;
      v.tcp = false;
    }
  }
  StopWac(c);
  return std::nullopt;
}

GlobalCluster::Refusal GlobalCluster::WacOnline(int c) {
  if (clusters_[c].state != ClusState::kTransitioning) return rule::kOnlineNeedsFailover;
  StartWac(c);
  return std::nullopt;
}

// ---- What the operators see ------------------------------------------------

std::string GlobalCluster::Observation() const {
  JsonText w;
  w.Open().Key("clusters").OpenList();
  for (std::size_t c = 0; c < clusters_.size(); ++c) {
    const Cluster& cl = clusters_[c];
    w.Open().Key("cluster").Value(cl.name);
    if (!cl.HadUp() && !Has(Mutant::kStoppedClusterStillReports)) {
      w.Key("reporting").Value(false).Close();  // VCS ERROR V-16-1-10600 Cannot connect
      continue;
    }
    w.Key("reporting").Value(true);
    ClusState shown = cl.state;
    if (shown == ClusState::kExiting && Has(Mutant::kExitingShownRunning)) {
      shown = ClusState::kRunning;
    }
    if (shown == ClusState::kTransitioning && Has(Reading::kOwnStateRunningDuringFailover)) {
      shown = ClusState::kRunning;
    }
    w.Key("state").Value(kClusStateNames[static_cast<int>(shown)]);
    // Connectors outside the configured observers are not simulated, so
    // they have no views to show.
    if (cl.simulated && cl.HadUp()) {
      w.Key("remote").OpenList();
      for (std::size_t r = 0; r < clusters_.size(); ++r) {
        if (r == c) continue;
        const RemoteView& v = cl.views[r];
        w.Open().Key("cluster").Value(clusters_[r].name);
        w.Key("state").Value(kRemoteStateNames[static_cast<int>(v.state)]);
        w.Key("heartbeats").Open();
        for (std::size_t h = 0; h < heartbeats_.size(); ++h) {
          w.Key(heartbeats_[h]).Value(kHbStateNames[static_cast<int>(v.hb[h])]);
        }
        w.Close().Close();
      }
      w.CloseList();
    }
    w.Close();
  }
  return w.CloseList().Close().Take();
}

}  // namespace haspec::sut::vcs_gco
