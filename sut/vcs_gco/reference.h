// A reference implementation of a Veritas global cluster (GCO) as its
// operators see it, written from seed 002 ("Remote cluster states") and
// section 2 of the domain dossier, independently of haspec's model: a set of
// clusters, each with HAD and a wide-area connector (wac) that keeps its own
// view of every remote cluster (a remote cluster state, a TCP connection and
// the state of each wide-area heartbeat), driven by commands (hastop,
// hastart) and events (heartbeat replies, dropped connections, crashes,
// ClusterService failovers) and the connector's own completions.
//
// It speaks haspec's SUT protocol (docs/sut-protocol.md) through
// haspec::sut::Implementation, so `haspec gate vcs-gco` can check it:
//
//   haspec::sut::vcs_gco::GlobalCluster gco;
//   gco.Reset({{"clusters", {"east", "west"}}});
//   auto r = gco.Apply({{"op", "heartbeat_alive"}, {"observer", "east"}, {"remote", "west"}});
//   r = gco.Apply({{"op", "connect"}, {"observer", "east"}, {"remote", "west"}});
//   // r.observation: east sees west BUILD, Icmp HBALIVE
//
// Switches make it a deliberately broken implementation (a mutant: a bug an
// implementer could make) or one that reads an open point of the documents
// otherwise (an alternative reading); sut/vcs_gco/manifest.json lists them.
#ifndef HASPEC_SUT_VCS_GCO_REFERENCE_H_
#define HASPEC_SUT_VCS_GCO_REFERENCE_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sut/protocol/server.h"

namespace haspec::sut::vcs_gco {

// One switch of the reference: its name on the command line, the rule of
// the machine it concerns and, in one sentence, what it does.
struct Switch {
  std::string_view name;
  std::string_view rule;
  std::string_view what;
};

// Bugs an implementer could plausibly make, each visible through the protocol.
enum class Mutant {
  kConnectWithoutLiveHeartbeat,
  kJoinSkipsSnapshot,
  kHeartbeatLossIgnored,
  kNotDownAnswersIgnored,
  kFailoverSeenAsLostConn,
  kExitNoticeIgnored,
  kCrashSeenAsExited,
  kHeartbeatWhileConnectorDown,
  kStoppedClusterStillReports,
  kRestartRestoresViews,
  kExitingShownRunning,
  kFaultedOnLinkLoss,
};

// Other defensible answers where the documents are silent.
enum class Reading {
  kOwnStateRunningDuringFailover,
  kReconnectResumesRunning,
  kInquireWhileConnected,
  kHbUnknownCountsAlive,
};

// The switches in enum order, for --list, the manifest and the tests.
std::span<const Switch> MutantSwitches();
std::span<const Switch> ReadingSwitches();
std::optional<Mutant> MutantNamed(std::string_view name);
std::optional<Reading> ReadingNamed(std::string_view name);

class GlobalCluster : public Implementation {
 public:
  GlobalCluster();

  std::string Machine() const override { return "vcs-gco"; }
  std::string Name() const override;
  // The inquiry answers (which third clusters say the silent one is not
  // down) are decided by whoever drives the reference.
  std::vector<std::string> EnvChoices() const override { return {"inquiry_answers.not_down"}; }
  // Keys: clusters (2..6 names), heartbeats (Icmp, IcmpS), observers (a list
  // or "all": the clusters whose connectors are simulated), start (all_init,
  // all_running, all_exited). Throws std::runtime_error on a bad one.
  nlohmann::json Reset(const nlohmann::json& config) override;
  // Throws std::runtime_error on an op that is not well formed.
  Result Apply(const nlohmann::json& op) override;

  // What every cluster whose HAD answers shows (own state, remote cluster
  // states, heartbeat states); a cluster whose HAD is down is silent.
  std::string Observation() const;  // the observation, as JSON text

  void Enable(Mutant m) { mutants_.insert(m); }
  void Enable(Reading r) { readings_.insert(r); }

 private:
  // Seed 002's remote cluster states.
  enum class RemoteState : std::uint8_t {
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
  enum class HbState : std::uint8_t { kUnknown, kAlive, kDead };
  // A cluster's own state (haclus -state ClusState).
  enum class ClusState : std::uint8_t { kRunning, kExiting, kExited, kFaulted, kTransitioning };

  // What one connector holds about one remote cluster.
  struct RemoteView {
    RemoteState state = RemoteState::kInit;
    bool tcp = false;         // TCP connection to the remote connector
    std::vector<HbState> hb;  // one per configured heartbeat
  };

  struct Cluster {
    std::string name;
    ClusState state = ClusState::kRunning;
    bool simulated = false;         // its connector's views are simulated
    std::vector<RemoteView> views;  // indexed by cluster; views[self] unused
    std::vector<RemoteView> saved;  // kRestartRestoresViews only
    bool HadUp() const { return state != ClusState::kExited && state != ClusState::kFaulted; }
    bool WacUp() const { return state == ClusState::kRunning || state == ClusState::kExiting; }
  };

  // An op's verdict: empty when accepted, else the precondition rule.
  using Refusal = std::optional<std::string>;

  // Per-view events and completions; `o` observes `r`.
  Refusal HeartbeatReport(int o, int r, int hb, bool alive);
  Refusal Connected(int o, int r);
  Refusal SnapshotComplete(int o, int r);
  Refusal ConnectionDropped(int o, int r);
  Refusal StartInquiry(int o, int r);
  Refusal InquiryAnswered(int o, int r, const std::vector<int>& not_down);
  // Cluster-wide commands and events.
  Refusal Hastop(int c);
  Refusal ShutdownFinished(int c);
  Refusal Crash(int c);
  Refusal Hastart(int c);
  Refusal WacFailover(int c);
  Refusal WacOnline(int c);

  // Checks shared by the per-view ops.
  Refusal ViewOpAllowed(int o, int r) const;
  // The connector of `c` stops: its views are forgotten and every connector
  // linked to it sees the TCP connection drop.
  void StopWac(int c);
  // The connector of `c` starts holding every remote cluster at init.
  void StartWac(int c);
  // View (o, r) loses its TCP connection.
  void DropLink(int o, int r);
  bool AnyAlive(const RemoteView& v) const;
  bool AllDead(const RemoteView& v) const;
  RemoteView FreshView() const;

  int ClusterIndex(const nlohmann::json& op, const char* key) const;
  int HeartbeatIndex(const nlohmann::json& op) const;

  bool Has(Mutant m) const { return mutants_.count(m) > 0; }
  bool Has(Reading r) const { return readings_.count(r) > 0; }

  std::vector<Cluster> clusters_;
  std::vector<std::string> heartbeats_;  // configured heartbeat names
  std::set<Mutant> mutants_;
  std::set<Reading> readings_;
};

}  // namespace haspec::sut::vcs_gco

#endif  // HASPEC_SUT_VCS_GCO_REFERENCE_H_
