// The Veritas Cluster Server global cluster (GCO) machine: how each
// cluster's wide-area connector (wac) sees every other cluster, and the
// state of its wide-area heartbeats to them.
//
// A configuration names 2..kMaxClusters clusters (the user's own names),
// the heartbeats every cluster runs to every other one (Icmp, IcmpS or
// both) and the observers: the clusters whose views are modelled. Every cluster keeps its own view
// of every other cluster (one of the eleven remote cluster states of seed 002), a TCP connection to
// that cluster's connector (up or down) and the state of each configured heartbeat (hbunknown,
// hbalive or hbdead). Each cluster also has its own state: running, exiting, exited, faulted
// (crashed) or transitioning (its connector failing over to another node). Heartbeat reports,
// connections, inquiry answers and cluster events are ops; the inquiry answers are an
// environment-choice field, so one op sequence gives one state sequence.
// See model/vcs_gco/README.md for the rules, the ops and the state diagram.
//
//   using namespace haspec::vcs_gco;
//   Config c = VcsGco::DefaultConfig();                  // clus0..clus2, Icmp
//   State s = VcsGco::Initial(c);                        // every view INIT
//   s = VcsGco::Step(s, HeartbeatAlive{0, 1}).next;      // clus0->clus1 Icmp
//   s = VcsGco::Step(s, Connect{0, 1}).next;             // BUILD
//   s = VcsGco::Step(s, SnapshotDone{0, 1}).next;        // RUNNING
//   s = VcsGco::Step(s, StopCluster{1}).next;            // clus0 sees EXITING
#ifndef HASPEC_MODEL_VCS_GCO_VCS_GCO_H_
#define HASPEC_MODEL_VCS_GCO_VCS_GCO_H_

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

namespace haspec::vcs_gco {

// The model's size limits (the documents state no maximum). A State holds
// arrays of these sizes; a configuration uses a prefix of them.
inline constexpr int kMaxClusters = 6;
inline constexpr int kMaxHeartbeats = 2;

enum class RuleId : std::uint16_t {
#define HASPEC_RULE(e, id, kind, basis, src, quote, stmt) e,
#include "model/vcs_gco/rules.def"
#undef HASPEC_RULE
};

inline constexpr std::string_view kSeed = "002_83add7493f17c8e1.txt";

// The remote cluster states of seed 002. Output spelling is the CLI's upper
// case; the seed's lower case (and any other case) is accepted on input.
// Each entry cites its definition in seed 002.
enum class ClusterState : std::uint8_t {
  kInit,
  kBuild,
  kRunning,
  kLostHb,
  kLostConn,
  kUnknown,
  kFaulted,
  kExiting,
  kExited,
  kInquiry,
  kTransitioning,
};
inline constexpr NameTable<ClusterState, 11> kClusterStateNames{{{
    {ClusterState::kInit, "INIT", "init", {}, kSeed, "The initial state of the cluster."},
    {ClusterState::kBuild,
     "BUILD",
     "build",
     {},
     kSeed,
     "is receiving the initial snapshot from the remote cluster"},
    {ClusterState::kRunning,
     "RUNNING",
     "running",
     {},
     kSeed,
     "Indicates the remote cluster is running and connected to the local cluster."},
    {ClusterState::kLostHb,
     "LOST_HB",
     "lost_hb",
     {},
     kSeed,
     "is not receiving heartbeats from the remote cluster"},
    {ClusterState::kLostConn,
     "LOST_CONN",
     "lost_conn",
     {},
     kSeed,
     "has lost the TCP/IP connection to the remote cluster"},
    {ClusterState::kUnknown,
     "UNKNOWN",
     "unknown",
     {},
     kSeed,
     "another remote cluster sends a response indicating otherwise"},
    {ClusterState::kFaulted, "FAULTED", "faulted", {}, kSeed, "The remote cluster is down."},
    {ClusterState::kExiting,
     "EXITING",
     "exiting",
     {},
     kSeed,
     "The remote cluster is exiting gracefully."},
    {ClusterState::kExited, "EXITED", "exited", {}, kSeed, "The remote cluster exited gracefully."},
    {ClusterState::kInquiry,
     "INQUIRY",
     "inquiry",
     {},
     kSeed,
     "is querying other clusters on which heartbeats were lost"},
    {ClusterState::kTransitioning,
     "TRANSITIONING",
     "transitioning",
     {},
     kSeed,
     "is failing over to another node in the cluster"},
}}};

// Wide-area heartbeat states. `hahb -state` prints HBALIVE; the [RECON]
// `hastatus -sum` sample prints ALIVE, accepted as an alias.
enum class HbState : std::uint8_t { kHbUnknown, kHbAlive, kHbDead };
inline constexpr NameTable<HbState, 3> kHbStateNames{{{
    {HbState::kHbUnknown, "HBUNKNOWN", "hbunknown", "UNKNOWN", kSeed,
     "There are three hearbeat states for remote clusters"},
    {HbState::kHbAlive, "HBALIVE", "hbalive", "ALIVE", kSeed, "must report the state as alive"},
    {HbState::kHbDead, "HBDEAD", "hbdead", "DEAD", kSeed,
     "There are three hearbeat states for remote clusters"},
}}};

// The wide-area heartbeat agents VCS ships. A configuration runs one or
// both to every remote cluster.
enum class Heartbeat : std::uint8_t { kIcmp, kIcmpS };
inline constexpr NameTable<Heartbeat, kMaxHeartbeats> kHeartbeatNames{{{
    {Heartbeat::kIcmp, "Icmp", "Icmp"},
    {Heartbeat::kIcmpS, "IcmpS", "IcmpS"},
}}};

// A cluster's own state as its connector reports it. kFaulted is a crash
// (HAD and connector gone); kTransitioning is the ClusterService group, and
// with it the connector, failing over inside the cluster.
enum class Local : std::uint8_t { kRunning, kExiting, kExited, kFaulted, kTransitioning };
inline constexpr NameTable<Local, 5> kLocalNames{{{
    {Local::kRunning, "RUNNING", "running"},
    {Local::kExiting, "EXITING", "exiting"},
    {Local::kExited, "EXITED", "exited"},
    {Local::kFaulted, "FAULTED", "faulted"},
    {Local::kTransitioning, "TRANSITIONING", "transitioning"},
}}};

// The connector runs while the cluster is running or shutting down.
constexpr bool ConnectorUp(Local l) { return l == Local::kRunning || l == Local::kExiting; }
// HAD is down: the cluster answers no query.
constexpr bool HadDown(Local l) { return l == Local::kExited || l == Local::kFaulted; }

// Where a configuration starts.
enum class Start : std::uint8_t {
  kAllInit,     // every cluster running, every view INIT, heartbeats HBUNKNOWN
  kAllRunning,  // every view RUNNING and connected, every heartbeat HBALIVE
  kAllExited,   // every cluster stopped (EXITED); start_cluster brings each up
};
inline constexpr NameTable<Start, 3> kStartNames{{{
    {Start::kAllInit, "all_init", "all INIT"},
    {Start::kAllRunning, "all_running", "all RUNNING"},
    {Start::kAllExited, "all_exited", "all EXITED"},
}}};

// One cluster's view of one other cluster.
struct View {
  ClusterState state = ClusterState::kInit;
  bool connected = false;  // TCP connection to the remote connector
  std::array<HbState, kMaxHeartbeats> hb{};
  friend bool operator==(const View&, const View&) = default;
};

struct Cluster {
  Local local = Local::kRunning;
  std::array<View, kMaxClusters> views{};  // views[self] and views[>= size] unused
  friend bool operator==(const Cluster&, const Cluster&) = default;
};

struct State {
  std::uint8_t size = 3;       // clusters configured (2..kMaxClusters)
  std::uint8_t hb_mask = 1;    // bit h: heartbeat h is configured
  std::uint8_t observers = 1;  // bit c: cluster c's views are modelled
  std::array<Cluster, kMaxClusters> clusters{};
  friend bool operator==(const State&, const State&) = default;

  const View& view(int observer, int remote) const { return clusters[observer].views[remote]; }
  View& view(int observer, int remote) { return clusters[observer].views[remote]; }
  bool HasCluster(int c) const { return c >= 0 && c < size; }
  bool HasHeartbeat(int h) const { return h >= 0 && h < kMaxHeartbeats && (hb_mask >> h & 1); }
  bool Observes(int c) const { return HasCluster(c) && (observers >> c & 1); }
};

// Whether some configured heartbeat of `v` is hbalive.
inline bool AnyAlive(const State& s, const View& v) {
  for (int h = 0; h < kMaxHeartbeats; ++h) {
    if (s.HasHeartbeat(h) && v.hb[h] == HbState::kHbAlive) return true;
  }
  return false;
}

struct Config {
  Nodes nodes = Nodes::Numbered(3, "clus");  // the clusters, by the user's names
  std::uint8_t heartbeats = 1;               // bit h: heartbeat h (kHeartbeatNames)
  // Bit c: cluster c's views of the others are modelled. Every cluster's
  // own state is always modelled; a cluster outside `observers` keeps no
  // views in the model (its connector's views are not tracked, so nothing
  // it shows of the others is checked). The default models clus0's views:
  // the full mesh of three clusters has tens of millions of states.
  std::uint8_t observers = 1;
  Start start = Start::kAllInit;
  friend bool operator==(const Config&, const Config&) = default;
};

// ---- Ops. `observer` is the cluster whose connector sees the event,
// `remote` the cluster it is about. ----------------------------------------

struct HeartbeatAlive {
  HASPEC_OP(HeartbeatAlive, "heartbeat_alive", kEvent,
            "A heartbeat of the observer gets a reply from the remote cluster: hbalive")
  std::uint8_t observer = 0;
  std::uint8_t remote = 0;
  Heartbeat heartbeat = Heartbeat::kIcmp;
  static constexpr auto Fields() {
    return std::tuple{
        NodeField(&HeartbeatAlive::observer, "observer", "the cluster whose heartbeat it is"),
        NodeField(&HeartbeatAlive::remote, "remote", "the cluster it is sent to"),
        EnumField(&HeartbeatAlive::heartbeat, "heartbeat", kHeartbeatNames, "the heartbeat")
            .Optional(Heartbeat::kIcmp)};
  }
};
struct HeartbeatDead {
  HASPEC_OP(HeartbeatDead, "heartbeat_dead", kEvent,
            "A heartbeat of the observer gets no reply from the remote cluster: hbdead")
  std::uint8_t observer = 0;
  std::uint8_t remote = 0;
  Heartbeat heartbeat = Heartbeat::kIcmp;
  static constexpr auto Fields() {
    return std::tuple{
        NodeField(&HeartbeatDead::observer, "observer", "the cluster whose heartbeat it is"),
        NodeField(&HeartbeatDead::remote, "remote", "the cluster it is sent to"),
        EnumField(&HeartbeatDead::heartbeat, "heartbeat", kHeartbeatNames, "the heartbeat")
            .Optional(Heartbeat::kIcmp)};
  }
};
// The connector tries to connect once a heartbeat is alive; this is the
// connection coming up, which the product then follows with a snapshot.
struct Connect {
  HASPEC_OP(Connect, "connect", kCompletion,
            "The observer's connector gets its TCP connection to the remote connector; a "
            "snapshot starts")
  std::uint8_t observer = 0;
  std::uint8_t remote = 0;
  static constexpr auto Fields() {
    return std::tuple{NodeField(&Connect::observer, "observer", "the connecting cluster"),
                      NodeField(&Connect::remote, "remote", "the cluster connected to")};
  }
};
struct SnapshotDone {
  HASPEC_OP(SnapshotDone, "snapshot_done", kCompletion,
            "The observer has received the remote cluster's initial snapshot")
  std::uint8_t observer = 0;
  std::uint8_t remote = 0;
  static constexpr auto Fields() {
    return std::tuple{NodeField(&SnapshotDone::observer, "observer", "the receiving cluster"),
                      NodeField(&SnapshotDone::remote, "remote", "the cluster it came from")};
  }
};
struct ConnectionLost {
  HASPEC_OP(ConnectionLost, "connection_lost", kEvent,
            "The TCP connection from the observer's connector to the remote one drops")
  std::uint8_t observer = 0;
  std::uint8_t remote = 0;
  static constexpr auto Fields() {
    return std::tuple{NodeField(&ConnectionLost::observer, "observer", "the cluster that sees it"),
                      NodeField(&ConnectionLost::remote, "remote", "the cluster it led to")};
  }
};
// The connector's own reaction to lost heartbeats.
struct Inquire {
  HASPEC_OP(Inquire, "inquire", kCompletion,
            "The observer's connector starts asking the other clusters about a silent one")
  std::uint8_t observer = 0;
  std::uint8_t remote = 0;
  static constexpr auto Fields() {
    return std::tuple{NodeField(&Inquire::observer, "observer", "the asking cluster"),
                      NodeField(&Inquire::remote, "remote", "the silent cluster")};
  }
};
// The answers arrive: a cluster in `not_down` says the silent one is not
// down; every other responder says it is down.
struct InquiryAnswers {
  HASPEC_OP(InquiryAnswers, "inquiry_answers", kCompletion,
            "The answers to an inquiry arrive; the view settles on faulted or unknown")
  std::uint8_t observer = 0;
  std::uint8_t remote = 0;
  std::uint8_t not_down = 0;
  static constexpr auto Fields() {
    return std::tuple{
        NodeField(&InquiryAnswers::observer, "observer", "the asking cluster"),
        NodeField(&InquiryAnswers::remote, "remote", "the silent cluster"),
        NodeSetField(&InquiryAnswers::not_down, "not_down",
                     "the clusters answering that it is not down; the others say down")
            .Optional(0)
            .EnvChoice()
            .Refused()};
  }
};
struct StopCluster {
  HASPEC_OP(StopCluster, "stop_cluster", kCommand,
            "Graceful shutdown starts (hastop -all, ClusterService taken offline)")
  std::uint8_t cluster = 0;
  static constexpr auto Fields() {
    return std::tuple{NodeField(&StopCluster::cluster, "cluster", "the cluster stopped")};
  }
};
struct ClusterExited {
  HASPEC_OP(ClusterExited, "cluster_exited", kCompletion,
            "The graceful shutdown finishes; HAD and the connector exit")
  std::uint8_t cluster = 0;
  static constexpr auto Fields() {
    return std::tuple{NodeField(&ClusterExited::cluster, "cluster", "the cluster that exits")};
  }
};
struct ClusterCrash {
  HASPEC_OP(ClusterCrash, "cluster_crash", kEvent,
            "The whole cluster goes down hard (HAD and connector gone)")
  std::uint8_t cluster = 0;
  static constexpr auto Fields() {
    return std::tuple{NodeField(&ClusterCrash::cluster, "cluster", "the cluster that crashes")};
  }
};
struct StartCluster {
  HASPEC_OP(StartCluster, "start_cluster", kCommand, "The cluster is started again (hastart)")
  std::uint8_t cluster = 0;
  static constexpr auto Fields() {
    return std::tuple{NodeField(&StartCluster::cluster, "cluster", "the cluster started")};
  }
};
struct ConnectorFailover {
  HASPEC_OP(ConnectorFailover, "connector_failover", kEvent,
            "The ClusterService group, and the connector with it, starts failing over to "
            "another node")
  std::uint8_t cluster = 0;
  static constexpr auto Fields() {
    return std::tuple{
        NodeField(&ConnectorFailover::cluster, "cluster", "the cluster whose connector moves")};
  }
};
struct ConnectorOnline {
  HASPEC_OP(ConnectorOnline, "connector_online", kCompletion,
            "The connector is up again on its new node")
  std::uint8_t cluster = 0;
  static constexpr auto Fields() {
    return std::tuple{
        NodeField(&ConnectorOnline::cluster, "cluster", "the cluster whose connector is back")};
  }
};

using Op = std::variant<HeartbeatAlive, HeartbeatDead, Connect, SnapshotDone, ConnectionLost,
                        Inquire, InquiryAnswers, StopCluster, ClusterExited, ClusterCrash,
                        StartCluster, ConnectorFailover, ConnectorOnline>;

// What one cluster's operators can see: whether HAD answers at all (false:
// "Cannot connect to VCS engine"), its own ClusState (`haclus -state`), the
// state of each remote cluster (`hastatus -sum` REMOTE CLUSTER STATE, or the
// remote rows of `haclus -state`) and of each heartbeat to it (`hastatus
// -sum` WAN HEARTBEAT STATE, `hahb -state`). Every fact is optional: empty
// means not seen. A fact the product does not have (the cluster itself among
// its remotes, a heartbeat that is not configured, anything of a cluster
// whose HAD is down) is absent: it is never shown, so a seen value for it
// does not fit.
struct ClusterReport {
  std::optional<bool> reporting;
  std::optional<Local> local;
  std::array<std::optional<ClusterState>, kMaxClusters> remote{};
  std::array<std::array<std::optional<HbState>, kMaxHeartbeats>, kMaxClusters> hb{};
  friend bool operator==(const ClusterReport&, const ClusterReport&) = default;
};
struct Observation {
  std::array<ClusterReport, kMaxClusters> clusters{};
  friend bool operator==(const Observation&, const Observation&) = default;
};

struct VcsGco : MachineBase<VcsGco, State, Op, RuleId, Observation, Config> {
  static constexpr std::string_view kName = "vcs-gco";
  static constexpr std::string_view kTitle =
      "Veritas Cluster Server global cluster (remote cluster states and wide-area "
      "heartbeats, per observing cluster)";

  HASPEC_MACHINE(VcsGco)
  // The logs and snapshots `haspec import` reads (model/vcs_gco/import.cc).
  static std::span<const Importer<Config, Observation>> Importers();

  // Statuses(): the eleven remote cluster states, then the three heartbeat
  // states. NodeStatuses: one slot per (observer, remote) view, then one per
  // (observer, remote, configured heartbeat), observers and remotes in
  // configuration order; -1 where HAD is down.

  // Rules about a step: a view enters faulted only from inquiry with no
  // heartbeat alive, exited only from exiting.
  static void CheckTransition(const State& before, const Op& op, const State& after,
                              std::vector<FindingT>& out, std::vector<RuleId>* premises = nullptr);
  // Unused array slots (self views, clusters and heartbeats outside the
  // configuration) folded to their defaults.
  static State Canonical(const State& s);
  // Symmetry (engine/symmetry.h): clusters differ only by name, given
  // whether their views are modelled (observers and the others are two
  // classes); every heartbeat is configured for every pair alike.
  static int SymmetryClass(const State& s, int c) {
    return s.HasCluster(c) ? (s.Observes(c) ? 1 : 0) : -1;
  }
  static std::uint64_t NodeKey(const State& s, int c);
  static State PermuteNodes(const State& s, std::span<const std::uint8_t> to);
};

static_assert(Machine<VcsGco>);
static_assert(std::has_unique_object_representations_v<State>, "a State has no padding");

}  // namespace haspec::vcs_gco

#endif  // HASPEC_MODEL_VCS_GCO_VCS_GCO_H_
