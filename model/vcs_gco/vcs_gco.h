// The Veritas Cluster Server global cluster (GCO) machine: how each
// cluster's wide-area connector (wac) sees every other cluster, and the
// state of its wide-area heartbeats to them.
//
// Three clusters clus0..clus2 each run a connector. Every cluster keeps its
// own view of every other cluster (one of the eleven remote cluster states of
// seed 002), a TCP connection to that cluster's connector (up or down), and
// two heartbeats to it (Icmp and IcmpS, each hbunknown, hbalive or hbdead).
// Each cluster also has its own state: running, exiting, exited, faulted
// (crashed) or transitioning (its connector failing over to another node).
// Heartbeat reports, connections, inquiry answers and cluster events are ops;
// inquiry answers are op fields, so one op sequence gives one state sequence.
// See model/vcs_gco/README.md for the rules and the state diagram.
//
//   using namespace haspec::vcs_gco;
//   VcsGco::State s = VcsGco::Initial();                 // every view INIT
//   s = VcsGco::Step(s, HeartbeatAlive{0, 1, 0}).next;   // clus0->clus1 Icmp
//   s = VcsGco::Step(s, Connect{0, 1}).next;             // BUILD
//   s = VcsGco::Step(s, SnapshotDone{0, 1}).next;        // RUNNING
//   s = VcsGco::Step(s, StopCluster{1}).next;            // clus0 sees EXITING
#ifndef HASPEC_MODEL_VCS_GCO_VCS_GCO_H_
#define HASPEC_MODEL_VCS_GCO_VCS_GCO_H_

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

namespace haspec::vcs_gco {

inline constexpr int kClusters = 3;
inline constexpr int kHeartbeats = 2;

enum class RuleId : std::uint16_t {
#define HASPEC_RULE(e, id, kind, basis, src, quote, stmt) e,
#include "model/vcs_gco/rules.def"
#undef HASPEC_RULE
};

// The remote cluster states of seed 002. Output spelling is the CLI's upper
// case; the seed's lower case (and any other case) is accepted on input.
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
    {ClusterState::kInit, "INIT", "init"},
    {ClusterState::kBuild, "BUILD", "build"},
    {ClusterState::kRunning, "RUNNING", "running"},
    {ClusterState::kLostHb, "LOST_HB", "lost_hb"},
    {ClusterState::kLostConn, "LOST_CONN", "lost_conn"},
    {ClusterState::kUnknown, "UNKNOWN", "unknown"},
    {ClusterState::kFaulted, "FAULTED", "faulted"},
    {ClusterState::kExiting, "EXITING", "exiting"},
    {ClusterState::kExited, "EXITED", "exited"},
    {ClusterState::kInquiry, "INQUIRY", "inquiry"},
    {ClusterState::kTransitioning, "TRANSITIONING", "transitioning"},
}}};

// Wide-area heartbeat states. `hahb -state` prints HBALIVE; the [RECON]
// `hastatus -sum` sample prints ALIVE, accepted as an alias.
enum class HbState : std::uint8_t { kHbUnknown, kHbAlive, kHbDead };
inline constexpr NameTable<HbState, 3> kHbStateNames{{{
    {HbState::kHbUnknown, "HBUNKNOWN", "hbunknown", "UNKNOWN"},
    {HbState::kHbAlive, "HBALIVE", "hbalive", "ALIVE"},
    {HbState::kHbDead, "HBDEAD", "hbdead", "DEAD"},
}}};

// The heartbeats every cluster runs to every other one. Icmp appears in the
// [RECON] hastatus sample; IcmpS is VCS's other ICMP heartbeat agent.
enum class Heartbeat : std::uint8_t { kIcmp, kIcmpS };
inline constexpr NameTable<Heartbeat, kHeartbeats> kHeartbeatNames{{{
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

// One cluster's view of one other cluster.
struct View {
  ClusterState state = ClusterState::kInit;
  bool connected = false;  // TCP connection to the remote connector
  std::array<HbState, kHeartbeats> hb{};
  friend bool operator==(const View&, const View&) = default;
};

struct Cluster {
  Local local = Local::kRunning;
  std::array<View, kClusters> views{};  // views[self] is never used
  friend bool operator==(const Cluster&, const Cluster&) = default;
};

struct State {
  std::array<Cluster, kClusters> clusters{};
  friend bool operator==(const State&, const State&) = default;

  const View& view(int observer, int remote) const { return clusters[observer].views[remote]; }
  View& view(int observer, int remote) { return clusters[observer].views[remote]; }
};

// ---- Ops. Cluster fields are 0..kClusters-1; `observer` is the cluster
// whose connector sees the event, `remote` the cluster it is about. -------
struct HeartbeatAlive { static constexpr std::string_view kName = "heartbeat_alive";
  std::uint8_t observer; std::uint8_t remote; std::uint8_t heartbeat; };
struct HeartbeatDead { static constexpr std::string_view kName = "heartbeat_dead";
  std::uint8_t observer; std::uint8_t remote; std::uint8_t heartbeat; };
// The TCP connection to the remote connector comes up; a snapshot starts.
struct Connect { static constexpr std::string_view kName = "connect";
  std::uint8_t observer; std::uint8_t remote; };
struct SnapshotDone { static constexpr std::string_view kName = "snapshot_done";
  std::uint8_t observer; std::uint8_t remote; };
struct ConnectionLost { static constexpr std::string_view kName = "connection_lost";
  std::uint8_t observer; std::uint8_t remote; };
// The observer starts asking the other clusters about a silent one.
struct Inquire { static constexpr std::string_view kName = "inquire";
  std::uint8_t observer; std::uint8_t remote; };
// The answers arrive: bit c of `not_down` = cluster c says `remote` is not
// down; every other responder says it is down (environment choice).
struct InquiryAnswers { static constexpr std::string_view kName = "inquiry_answers";
  std::uint8_t observer; std::uint8_t remote; std::uint8_t not_down = 0; };
// Graceful shutdown starts (hastop -all, ClusterService taken offline).
struct StopCluster { static constexpr std::string_view kName = "stop_cluster";
  std::uint8_t cluster; };
// The graceful shutdown finishes; the connector exits.
struct ClusterExited { static constexpr std::string_view kName = "cluster_exited";
  std::uint8_t cluster; };
struct ClusterCrash { static constexpr std::string_view kName = "cluster_crash";
  std::uint8_t cluster; };
struct StartCluster { static constexpr std::string_view kName = "start_cluster";
  std::uint8_t cluster; };
// The ClusterService group starts failing over to another node.
struct ConnectorFailover { static constexpr std::string_view kName = "connector_failover";
  std::uint8_t cluster; };
// The connector is up again on its new node.
struct ConnectorOnline { static constexpr std::string_view kName = "connector_online";
  std::uint8_t cluster; };

using Op = std::variant<HeartbeatAlive, HeartbeatDead, Connect, SnapshotDone,
                        ConnectionLost, Inquire, InquiryAnswers, StopCluster,
                        ClusterExited, ClusterCrash, StartCluster,
                        ConnectorFailover, ConnectorOnline>;

// What one cluster's operators see: `haclus -state` (own and remote cluster
// states) and the WAN heartbeat listing of `hastatus -sum`. A cluster whose
// HAD is down (exited or faulted) reports nothing.
struct ClusterReport {
  bool reporting = false;
  Local local = Local::kRunning;
  std::array<ClusterState, kClusters> remote{};  // [self] unused
  std::array<std::array<HbState, kHeartbeats>, kClusters> hb{};
  friend bool operator==(const ClusterReport&, const ClusterReport&) = default;
};
struct Observation {
  std::array<ClusterReport, kClusters> clusters{};
  friend bool operator==(const Observation&, const Observation&) = default;
};

struct VcsGco : MachineBase<VcsGco, State, Op, RuleId, Observation> {
  static constexpr std::string_view kName = "vcs-gco";
  static constexpr std::string_view kTitle =
      "Veritas Cluster Server global cluster (remote cluster states and wide-area "
      "heartbeats, per observing cluster)";

  HASPEC_MACHINE_FUNCTIONS
  // StatusNames(): the eleven remote cluster states, then the three
  // heartbeat states. No advisories (the base's empty CheckAdvisories).
};

static_assert(Machine<VcsGco>);

// "clus2".
std::string ClusterName(int cluster);
// 2 for "clus2" (any case), -1 for anything else.
int ParseClusterName(std::string_view name);

// Whether some heartbeat of `v` is hbalive.
constexpr bool AnyAlive(const View& v) {
  for (HbState h : v.hb) {
    if (h == HbState::kHbAlive) return true;
  }
  return false;
}

}  // namespace haspec::vcs_gco

#endif  // HASPEC_MODEL_VCS_GCO_VCS_GCO_H_
