#include "model/vcs_gco/vcs_gco.h"

#include <algorithm>

#include "model/core/hash.h"

namespace haspec::vcs_gco {
namespace {

constexpr Rule kRules[] = {
#define HASPEC_RULE HASPEC_RULE_ENTRY
#include "model/vcs_gco/rules.def"
#undef HASPEC_RULE
};

// The eleven remote cluster states, then the three heartbeat states.
constexpr auto kStatusList = [] {
  constexpr auto a = StatusInfos(kClusterStateNames);
  constexpr auto b = StatusInfos(kHbStateNames);
  std::array<StatusInfo, a.size() + b.size()> out{};
  std::size_t i = 0;
  for (const auto& s : a) out[i++] = s;
  for (const auto& s : b) out[i++] = s;
  return out;
}();
constexpr int kHbStatusBase = static_cast<int>(kClusterStateNames.size());

using OutcomeT = VcsGco::OutcomeT;
using FindingT = VcsGco::FindingT;

constexpr bool IsAssumption(RuleId r) { return kRules[Index(r)].basis == BasisKind::kAssumption; }

// When one event moves several views, the outcome names an assumption rule
// if any move rested on one, so a verdict that depends on it stays visible.
void Merge(RuleId& into, RuleId r) {
  if (IsAssumption(r) && !IsAssumption(into)) into = r;
}

bool ValidPair(const State& s, int o, int r) { return s.Observes(o) && s.HasCluster(r) && o != r; }

bool AllDead(const State& s, const View& v) {
  for (int h = 0; h < kMaxHeartbeats; ++h) {
    if (s.HasHeartbeat(h) && v.hb[h] != HbState::kHbDead) return false;
  }
  return true;
}

// The TCP connection of view (o, r) drops. Returns the rule that decides
// what the view becomes.
RuleId LoseLink(State& t, int o, int r) {
  View& v = t.view(o, r);
  v.connected = false;
  switch (v.state) {
    case ClusterState::kRunning:
      v.state = ClusterState::kLostConn;
      return RuleId::kConnLost;
    case ClusterState::kBuild:
      v.state = ClusterState::kLostConn;
      return RuleId::kAsmConnLostInBuild;
    case ClusterState::kExiting:
      v.state = ClusterState::kExited;
      return RuleId::kExited;
    default:
      return RuleId::kAsmConnLostInLostHb;
  }
}

// Cluster c's connector stops: it forgets its views, and every connector
// linked to it sees the TCP connection drop.
RuleId StopConnector(State& t, int c, RuleId rule) {
  for (View& v : t.clusters[c].views) v = View{};
  for (int o = 0; o < t.size; ++o) {
    if (o != c && t.view(o, c).connected) Merge(rule, LoseLink(t, o, c));
  }
  return rule;
}

// A copy of `s` with view (o, r) replaced by `v`.
State WithView(const State& s, int o, int r, const View& v) {
  State t = s;
  t.view(o, r) = v;
  return t;
}

// ---- Refusals ------------------------------------------------------------

struct Refuser {
  const State& s;
  std::vector<RuleId>& out;

  // Checks shared by every per-view event. False when the pair is not a
  // view of this configuration (nothing else can be evaluated then).
  bool Pair(int o, int r) const {
    if (!s.HasCluster(o) || !s.HasCluster(r)) {
      out.push_back(RuleId::kPreClusterConfigured);
      return false;
    }
    if (o == r) {
      out.push_back(RuleId::kPreTwoClusters);
      return false;
    }
    if (!s.Observes(o)) {
      out.push_back(RuleId::kPreObserverModelled);
      return false;
    }
    return true;
  }
  void ConnectorUp(int o) const {
    if (!vcs_gco::ConnectorUp(s.clusters[o].local)) out.push_back(RuleId::kPreConnectorUp);
  }
  bool One(int c) const {
    if (s.HasCluster(c)) return true;
    out.push_back(RuleId::kPreClusterConfigured);
    return false;
  }
  Local LocalOf(int c) const { return s.clusters[c].local; }

  void operator()(const HeartbeatAlive& op) const {
    if (!Pair(op.observer, op.remote)) return;
    if (!s.HasHeartbeat(static_cast<int>(op.heartbeat))) {
      out.push_back(RuleId::kPreHeartbeatConfigured);
    }
    ConnectorUp(op.observer);
    if (HadDown(LocalOf(op.remote))) out.push_back(RuleId::kPreHbNeedsLivePeer);
  }
  void operator()(const HeartbeatDead& op) const {
    if (!Pair(op.observer, op.remote)) return;
    if (!s.HasHeartbeat(static_cast<int>(op.heartbeat))) {
      out.push_back(RuleId::kPreHeartbeatConfigured);
    }
    ConnectorUp(op.observer);
  }
  void operator()(const Connect& op) const {
    if (!Pair(op.observer, op.remote)) return;
    ConnectorUp(op.observer);
    const View& v = s.view(op.observer, op.remote);
    if (v.connected) out.push_back(RuleId::kPreConnectNeedsNoLink);
    if (v.state == ClusterState::kLostHb || v.state == ClusterState::kInquiry) {
      out.push_back(RuleId::kPreConnectNotSilent);
    }
    if (!AnyAlive(s, v)) out.push_back(RuleId::kPreHbAliveToConnect);
    if (LocalOf(op.remote) != Local::kRunning) out.push_back(RuleId::kPrePeerConnector);
  }
  void operator()(const SnapshotDone& op) const {
    if (!Pair(op.observer, op.remote)) return;
    ConnectorUp(op.observer);
    if (s.view(op.observer, op.remote).state != ClusterState::kBuild) {
      out.push_back(RuleId::kPreSnapshotNeedsBuild);
    }
  }
  void operator()(const ConnectionLost& op) const {
    if (!Pair(op.observer, op.remote)) return;
    ConnectorUp(op.observer);
    if (!s.view(op.observer, op.remote).connected) out.push_back(RuleId::kPreConnLostNeedsLink);
  }
  void operator()(const Inquire& op) const {
    if (!Pair(op.observer, op.remote)) return;
    ConnectorUp(op.observer);
    const View& v = s.view(op.observer, op.remote);
    if (v.state != ClusterState::kLostHb) out.push_back(RuleId::kPreInquireNeedsLostHb);
    if (v.connected) out.push_back(RuleId::kPreInquiryAfterLinkLoss);
  }
  void operator()(const InquiryAnswers& op) const {
    if (!Pair(op.observer, op.remote)) return;
    ConnectorUp(op.observer);
    if (s.view(op.observer, op.remote).state != ClusterState::kInquiry) {
      out.push_back(RuleId::kPreAnswersNeedInquiry);
    }
    unsigned responders = 0;
    for (int c = 0; c < s.size; ++c) {
      if (c != op.observer && c != op.remote && s.view(op.observer, c).connected) {
        responders |= 1u << c;
      }
    }
    if (op.not_down & ~responders) out.push_back(RuleId::kPreAnswersFromConnected);
  }
  void operator()(const StopCluster& op) const {
    if (One(op.cluster) && LocalOf(op.cluster) != Local::kRunning) {
      out.push_back(RuleId::kPreStopNeedsRunning);
    }
  }
  void operator()(const ClusterExited& op) const {
    if (One(op.cluster) && LocalOf(op.cluster) != Local::kExiting) {
      out.push_back(RuleId::kPreExitNeedsExiting);
    }
  }
  void operator()(const ClusterCrash& op) const {
    if (One(op.cluster) && HadDown(LocalOf(op.cluster))) out.push_back(RuleId::kPreCrashNeedsUp);
  }
  void operator()(const StartCluster& op) const {
    if (One(op.cluster) && !HadDown(LocalOf(op.cluster))) {
      out.push_back(RuleId::kPreStartNeedsDown);
    }
  }
  void operator()(const ConnectorFailover& op) const {
    if (One(op.cluster) && LocalOf(op.cluster) != Local::kRunning) {
      out.push_back(RuleId::kPreFailoverNeedsRunning);
    }
  }
  void operator()(const ConnectorOnline& op) const {
    if (One(op.cluster) && LocalOf(op.cluster) != Local::kTransitioning) {
      out.push_back(RuleId::kPreOnlineNeedsFailover);
    }
  }
};

// ---- Effects -------------------------------------------------------------
// The model's landing first; then, where an assumption rule chose it among
// landings the documents allow, the others (Departing, tagged with it).

struct Effector {
  const State& s;
  std::vector<OutcomeT>& out;

  void operator()(const HeartbeatAlive& op) const {
    const int o = op.observer, r = op.remote, h = static_cast<int>(op.heartbeat);
    if (!ValidPair(s, o, r) || !s.HasHeartbeat(h)) return;
    View v = s.view(o, r);
    v.hb[h] = HbState::kHbAlive;
    const ClusterState back = v.connected ? ClusterState::kRunning : ClusterState::kLostConn;
    switch (v.state) {
      case ClusterState::kLostHb: {
        // Dossier 2.2: whether lost_hb returns straight to running is open.
        View w = v;
        w.state = back;
        out.push_back(Accepted(WithView(s, o, r, w), RuleId::kAsmHbReturns));
        if (v.connected) {
          w.state = ClusterState::kBuild;  // a fresh snapshot over the held link
          out.push_back(
              Departing(WithView(s, o, r, w), RuleId::kAsmHbReturns, RuleId::kAsmHbReturns));
        }
        return;
      }
      case ClusterState::kInquiry: {
        // Never faulted once a heartbeat is back (seed 002: faulted is "The
        // remote cluster is down."); which live state follows is assumed.
        View w = v;
        w.state = back;
        out.push_back(Accepted(WithView(s, o, r, w), RuleId::kAsmHbReturnsInInquiry));
        out.push_back(Departing(WithView(s, o, r, v), RuleId::kAsmHbReturnsInInquiry,
                                RuleId::kAsmHbReturnsInInquiry));
        w.state = ClusterState::kUnknown;
        out.push_back(Departing(WithView(s, o, r, w), RuleId::kAsmHbReturnsInInquiry,
                                RuleId::kAsmHbReturnsInInquiry));
        return;
      }
      case ClusterState::kFaulted:
      case ClusterState::kUnknown:
      case ClusterState::kExited: {
        // The model recovers these by reconnecting; resetting the view to
        // init when the remote cluster answers again is the other reading.
        out.push_back(Accepted(WithView(s, o, r, v), RuleId::kHeartbeatState));
        View w = v;
        w.state = ClusterState::kInit;
        out.push_back(Departing(WithView(s, o, r, w), RuleId::kAsmRecover, RuleId::kAsmRecover));
        return;
      }
      default:
        out.push_back(Accepted(WithView(s, o, r, v), RuleId::kHeartbeatState));
        return;
    }
  }

  void operator()(const HeartbeatDead& op) const {
    const int o = op.observer, r = op.remote, h = static_cast<int>(op.heartbeat);
    if (!ValidPair(s, o, r) || !s.HasHeartbeat(h)) return;
    View v = s.view(o, r);
    v.hb[h] = HbState::kHbDead;
    if (AnyAlive(s, v)) {
      out.push_back(Accepted(WithView(s, o, r, v), RuleId::kHeartbeatState));
      return;
    }
    View lost = v;
    lost.state = ClusterState::kLostHb;
    switch (v.state) {
      case ClusterState::kRunning:
        if (AllDead(s, v)) {
          out.push_back(Accepted(WithView(s, o, r, lost), RuleId::kAllHbLost));
        } else {
          // Heartbeat quorum: an hbunknown heartbeat is not counted alive;
          // counting it alive keeps the view running.
          out.push_back(Accepted(WithView(s, o, r, lost), RuleId::kAsmHbUnknownNotAlive));
          out.push_back(Departing(WithView(s, o, r, v), RuleId::kAsmHbUnknownNotAlive,
                                  RuleId::kAsmHbUnknownNotAlive));
        }
        return;
      case ClusterState::kBuild:
      case ClusterState::kLostConn:
      case ClusterState::kTransitioning:
        out.push_back(Accepted(WithView(s, o, r, lost), RuleId::kAsmHbLostNotRunning));
        if (v.state == ClusterState::kLostConn) {
          // Connection and heartbeats both gone: inquiry may start at once.
          View q = v;
          q.state = ClusterState::kInquiry;
          out.push_back(Departing(WithView(s, o, r, q), RuleId::kAsmHbLostNotRunning,
                                  RuleId::kAsmHbLostNotRunning));
        } else if (v.state == ClusterState::kTransitioning) {
          // The cluster address moves with the ClusterService group, so
          // heartbeats may fail during the failover without ending it.
          out.push_back(Departing(WithView(s, o, r, v), RuleId::kAsmHbLostNotRunning,
                                  RuleId::kAsmHbLostNotRunning));
        }
        return;
      default:
        out.push_back(Accepted(WithView(s, o, r, v), RuleId::kHeartbeatState));
        return;
    }
  }

  void operator()(const Connect& op) const {
    const int o = op.observer, r = op.remote;
    if (!ValidPair(s, o, r)) return;
    const View& v = s.view(o, r);
    if (v.connected) return;  // already up: nothing to do
    // The far end's connector decides what a new connection shows (the
    // model refuses a connection to any but a running connector, by
    // GCO-PRE-PEER-CONNECTOR-RUNNING, an assumption; the documents allow
    // one): an exiting connector "notifies the remote clusters of the new
    // state" (seed 002), so the view shows exiting, never build; a connector
    // that is down or failing over answers nothing.
    switch (s.clusters[r].local) {
      case Local::kRunning:
        break;
      case Local::kExiting: {
        View w = v;
        w.state = ClusterState::kExiting;
        w.connected = true;
        out.push_back(Accepted(WithView(s, o, r, w), RuleId::kExitNotice));
        return;
      }
      default:
        return;
    }
    RuleId rule;
    switch (v.state) {
      case ClusterState::kInit:
        rule = RuleId::kJoinBuild;
        break;
      case ClusterState::kTransitioning:
        rule = RuleId::kFailoverRebuild;
        break;
      case ClusterState::kFaulted:
      case ClusterState::kUnknown:
      case ClusterState::kExited:
        rule = RuleId::kAsmRecover;
        break;
      default:
        rule = RuleId::kAsmReconnect;
        break;  // lost_conn (lost_hb, inquiry)
    }
    View w = v;
    w.state = ClusterState::kBuild;
    w.connected = true;
    out.push_back(Accepted(WithView(s, o, r, w), rule));
    if (v.state == ClusterState::kLostConn) {
      // Dossier 2.2: back to running (or to build) once reconnected.
      w.state = ClusterState::kRunning;
      out.push_back(Departing(WithView(s, o, r, w), RuleId::kAsmReconnect, RuleId::kAsmReconnect));
    }
  }

  void operator()(const SnapshotDone& op) const {
    const int o = op.observer, r = op.remote;
    if (!ValidPair(s, o, r) || s.view(o, r).state != ClusterState::kBuild) return;
    View w = s.view(o, r);
    w.state = ClusterState::kRunning;
    out.push_back(Accepted(WithView(s, o, r, w), RuleId::kSnapshotRunning));
  }

  void operator()(const ConnectionLost& op) const {
    const int o = op.observer, r = op.remote;
    if (!ValidPair(s, o, r) || !s.view(o, r).connected) return;
    const ClusterState was = s.view(o, r).state;
    State t = s;
    RuleId rule = LoseLink(t, o, r);
    out.push_back(Accepted(t, rule));
    View w = t.view(o, r);
    if (was == ClusterState::kBuild) {
      w.state = ClusterState::kInit;  // the interrupted snapshot starts over
      out.push_back(Departing(WithView(t, o, r, w), rule, rule));
    } else if (was == ClusterState::kLostHb) {
      w.state = ClusterState::kInquiry;  // both gone: inquiry at once
      out.push_back(Departing(WithView(t, o, r, w), rule, rule));
      w.state = ClusterState::kLostConn;  // the TCP loss defines lost_conn
      out.push_back(Departing(WithView(t, o, r, w), rule, rule));
    }
  }

  void operator()(const Inquire& op) const {
    const int o = op.observer, r = op.remote;
    if (!ValidPair(s, o, r) || s.view(o, r).state != ClusterState::kLostHb) return;
    View w = s.view(o, r);
    w.state = ClusterState::kInquiry;
    out.push_back(Accepted(WithView(s, o, r, w), RuleId::kInquiry));
  }

  void operator()(const InquiryAnswers& op) const {
    const int o = op.observer, r = op.remote;
    if (!ValidPair(s, o, r) || s.view(o, r).state != ClusterState::kInquiry) return;
    bool responders = false;
    for (int c = 0; c < s.size; ++c) {
      responders = responders || (c != o && c != r && s.view(o, c).connected);
    }
    View w = s.view(o, r);
    if (op.not_down != 0) {
      w.state = ClusterState::kUnknown;
      out.push_back(Accepted(WithView(s, o, r, w), RuleId::kInquiryUnknown));
      return;
    }
    if (AnyAlive(s, w)) {
      // Every answer says down, but the observer hears the cluster itself:
      // not faulted (seed 002). Reached only through a departure.
      w.state = w.connected ? ClusterState::kRunning : ClusterState::kLostConn;
      out.push_back(Accepted(WithView(s, o, r, w), RuleId::kAsmHbReturnsInInquiry));
      w.state = ClusterState::kUnknown;
      out.push_back(Departing(WithView(s, o, r, w), RuleId::kAsmHbReturnsInInquiry,
                              RuleId::kAsmHbReturnsInInquiry));
      return;
    }
    w.state = ClusterState::kFaulted;
    out.push_back(Accepted(WithView(s, o, r, w),
                           responders ? RuleId::kInquiryFaulted : RuleId::kAsmNoResponder));
  }

  void operator()(const StopCluster& op) const {
    const int c = op.cluster;
    if (!s.HasCluster(c) || !ConnectorUp(s.clusters[c].local)) return;
    State t = s;
    t.clusters[c].local = Local::kExiting;
    RuleId rule = RuleId::kExitNotice;
    for (int o = 0; o < t.size; ++o) {
      if (o == c) continue;
      View& v = t.view(o, c);
      if (!v.connected) continue;
      if (v.state != ClusterState::kRunning && v.state != ClusterState::kExiting) {
        Merge(rule, RuleId::kAsmNoticeBeyondRunning);
      }
      v.state = ClusterState::kExiting;
    }
    out.push_back(Accepted(t, rule));
  }

  void operator()(const ClusterExited& op) const {
    const int c = op.cluster;
    if (!s.HasCluster(c) || !ConnectorUp(s.clusters[c].local)) return;
    State t = s;
    t.clusters[c].local = Local::kExited;
    out.push_back(Accepted(t, StopConnector(t, c, RuleId::kExited)));
  }

  void operator()(const ClusterCrash& op) const {
    const int c = op.cluster;
    if (!s.HasCluster(c) || HadDown(s.clusters[c].local)) return;
    State t = s;
    t.clusters[c].local = Local::kFaulted;
    StopConnector(t, c, RuleId::kAsmCrash);
    out.push_back(Accepted(t, RuleId::kAsmCrash));
  }

  void operator()(const StartCluster& op) const {
    const int c = op.cluster;
    if (!s.HasCluster(c) || !HadDown(s.clusters[c].local)) return;
    State t = s;
    t.clusters[c] = Cluster{};
    out.push_back(Accepted(t, RuleId::kStartAtInit));
  }

  void operator()(const ConnectorFailover& op) const {
    const int c = op.cluster;
    if (!s.HasCluster(c) || s.clusters[c].local != Local::kRunning) return;
    State t = s;
    t.clusters[c].local = Local::kTransitioning;
    RuleId rule = RuleId::kWacFailover;
    for (int o = 0; o < t.size; ++o) {
      if (o == c) continue;
      View& v = t.view(o, c);
      if (v.state == ClusterState::kRunning || v.state == ClusterState::kBuild) {
        if (v.state == ClusterState::kBuild) Merge(rule, RuleId::kAsmNoticeBeyondRunning);
        v.state = ClusterState::kTransitioning;
        v.connected = false;
      }
    }
    out.push_back(Accepted(t, StopConnector(t, c, rule)));
  }

  void operator()(const ConnectorOnline& op) const {
    const int c = op.cluster;
    if (!s.HasCluster(c) || s.clusters[c].local != Local::kTransitioning) return;
    State t = s;
    t.clusters[c] = Cluster{};
    out.push_back(Accepted(t, RuleId::kStartAtInit));
  }
};

std::string HbText(const State& s, const View& v) {
  std::string out;
  for (int h = 0; h < kMaxHeartbeats; ++h) {
    if (!s.HasHeartbeat(h) || v.hb[h] == HbState::kHbUnknown) continue;
    out += " " + std::string(kHeartbeatNames.Name(static_cast<Heartbeat>(h))) + "=" +
           std::string(kHbStateNames.Name(v.hb[h]));
  }
  return out;
}

std::string Name(const Nodes& n, int c) { return n.Name(c); }

// Findings carry no configuration: clusters are named as the default
// configuration names them (clus0, clus1, ...).
std::string Label(int c) { return "clus" + std::to_string(c); }

}  // namespace

std::span<const Rule> VcsGco::Rules() { return kRules; }
std::span<const StatusInfo> VcsGco::Statuses() { return kStatusList; }
std::span<const StatusChange> VcsGco::StatusChanges() {
  static constexpr StatusChange kChanges[] = {
#define HASPEC_STATUS_CHANGE HASPEC_STATUS_CHANGE_ENTRY
#include "model/vcs_gco/status_changes.def"
#undef HASPEC_STATUS_CHANGE
  };
  return kChanges;
}

VcsGco::Config VcsGco::DefaultConfig() { return Config{}; }

State VcsGco::Initial(const Config& c) {
  State s;
  s.size = static_cast<std::uint8_t>(std::min<std::size_t>(c.nodes.size(), kMaxClusters));
  s.hb_mask = static_cast<std::uint8_t>(c.heartbeats & ((1u << kMaxHeartbeats) - 1));
  s.observers = static_cast<std::uint8_t>(c.observers & ((1u << s.size) - 1));
  for (int o = 0; o < s.size; ++o) {
    Cluster& cl = s.clusters[o];
    if (c.start == Start::kAllExited) {
      cl.local = Local::kExited;
      continue;
    }
    if (c.start != Start::kAllRunning || !s.Observes(o)) continue;
    for (int r = 0; r < s.size; ++r) {
      if (r == o) continue;
      View& v = cl.views[r];
      v.state = ClusterState::kRunning;
      v.connected = true;
      for (int h = 0; h < kMaxHeartbeats; ++h) {
        if (s.HasHeartbeat(h)) v.hb[h] = HbState::kHbAlive;
      }
    }
  }
  return s;
}

void VcsGco::Refusals(const State& s, const Op& op, std::vector<RuleId>& out) {
  std::visit(Refuser{s, out}, op);
}

void VcsGco::Effects(const State& s, const Op& op, std::vector<OutcomeT>& out) {
  std::visit(Effector{s, out}, op);
}

void VcsGco::CandidateOps(const State& s, std::vector<Op>& out) {
  // Connection and inquiry events are listed kViewWeight times: a uniform
  // pick then hits cluster-wide events (each of which resets many views)
  // and heartbeat flaps rarely enough for walks to reach inquiry answers.
  constexpr int kViewWeight = 4;
  constexpr int kHeartbeatWeight = 2;
  for (int oi = 0; oi < s.size; ++oi) {
    const auto o = static_cast<std::uint8_t>(oi);
    const auto next = static_cast<std::uint8_t>((oi + 1) % s.size);
    const Cluster& c = s.clusters[oi];
    // Each cluster-wide event the local state allows, and one it refuses.
    switch (c.local) {
      case Local::kRunning:
        out.push_back(StopCluster{o});
        out.push_back(ClusterCrash{o});
        out.push_back(ConnectorFailover{o});
        out.push_back(oi % 2 ? Op{StartCluster{o}} : Op{ClusterExited{o}});  // refused
        break;
      case Local::kExiting:
        out.push_back(ClusterExited{o});
        out.push_back(ClusterCrash{o});
        out.push_back(StopCluster{o});  // refused: already exiting
        break;
      case Local::kExited:
      case Local::kFaulted:
        out.push_back(StartCluster{o});
        out.push_back(ClusterCrash{o});  // refused: already down
        break;
      case Local::kTransitioning:
        out.push_back(ConnectorOnline{o});
        out.push_back(ClusterCrash{o});
        out.push_back(ConnectorFailover{o});  // refused: already moving
        break;
    }
    if (c.local == Local::kRunning && oi == 0) out.push_back(ConnectorOnline{o});  // refused
    if (!s.Observes(oi)) {
      out.push_back(HeartbeatAlive{o, next});  // refused: views not modelled
      continue;
    }
    if (!ConnectorUp(c.local)) {
      // Refused: nobody runs heartbeats for a stopped connector.
      out.push_back(HeartbeatAlive{o, next});
      continue;
    }
    for (int h = 0; h < kMaxHeartbeats; ++h) {
      if (!s.HasHeartbeat(h)) out.push_back(HeartbeatDead{o, next, static_cast<Heartbeat>(h)});
    }
    for (int pass = 0; pass < kViewWeight; ++pass) {
      for (int ri = 0; ri < s.size; ++ri) {
        if (ri == oi) continue;
        const auto r = static_cast<std::uint8_t>(ri);
        const View& v = c.views[ri];
        for (int h = 0; h < kMaxHeartbeats && pass < kHeartbeatWeight; ++h) {
          if (!s.HasHeartbeat(h)) continue;
          const auto hb = static_cast<Heartbeat>(h);
          if (v.hb[h] != HbState::kHbAlive) out.push_back(HeartbeatAlive{o, r, hb});
          if (v.hb[h] != HbState::kHbDead) out.push_back(HeartbeatDead{o, r, hb});
        }
        if (v.connected) {
          out.push_back(ConnectionLost{o, r});
        } else {
          out.push_back(Connect{o, r});
        }
        if (v.state == ClusterState::kBuild) out.push_back(SnapshotDone{o, r});
        if (v.state == ClusterState::kLostHb) out.push_back(Inquire{o, r});
        if (v.state == ClusterState::kInquiry) {
          // Every answer pattern from the third clusters, allowed or not.
          for (unsigned mask = 0; mask < (1u << s.size); ++mask) {
            if (mask & ((1u << oi) | (1u << ri))) continue;
            out.push_back(InquiryAnswers{o, r, static_cast<std::uint8_t>(mask)});
          }
        }
        if (pass == 0) {
          // Once each: the per-view events this view refuses.
          out.push_back(v.connected ? Op{Connect{o, r}} : Op{ConnectionLost{o, r}});
          if (v.state != ClusterState::kBuild) out.push_back(SnapshotDone{o, r});
          if (v.state != ClusterState::kLostHb) out.push_back(Inquire{o, r});
          if (v.state != ClusterState::kInquiry) out.push_back(InquiryAnswers{o, r});
        }
      }
    }
  }
}

void VcsGco::CheckInvariants(const State& s, std::vector<FindingT>& out,
                             std::vector<RuleId>* premises) {
  // Each premise is recorded once per state.
  std::array<bool, std::size(kRules)> held{};
  auto premise = [&](RuleId r) {
    if (premises && !held[Index(r)]) {
      held[Index(r)] = true;
      premises->push_back(r);
    }
  };
  auto where = [&](int o, int r) { return Label(o) + " sees " + Label(r) + " "; };
  for (int o = 0; o < s.size; ++o) {
    const Cluster& c = s.clusters[o];
    const bool up = ConnectorUp(c.local);
    if (HadDown(c.local)) {
      premise(RuleId::kObsHadDownSilent);
    } else {
      premise(RuleId::kObsViewShown);
      premise(RuleId::kObsOwnState);
    }
    if (c.local == Local::kTransitioning) premise(RuleId::kAsmOwnStateInFailover);
    if (!s.Observes(o)) continue;
    for (int r = 0; r < s.size; ++r) {
      if (r == o) continue;
      const View& v = c.views[r];
      const Local peer = s.clusters[r].local;
      const std::string_view st = kClusterStateNames.Name(v.state);
      if (!up) {
        premise(RuleId::kInvDownConnectorBlank);
        if (!(v == View{})) {
          out.push_back({RuleId::kInvDownConnectorBlank,
                         Label(o) + " is " + std::string(kLocalNames.Name(c.local)) +
                             " but still holds " + Label(r) + " as " + std::string(st) +
                             (v.connected ? " with a TCP connection" : "") + HbText(s, v)});
        }
        continue;
      }
      const bool alive = AnyAlive(s, v);
      switch (v.state) {
        case ClusterState::kBuild:
        case ClusterState::kRunning:
          premise(RuleId::kInvRunningPeerRunning);
          if (peer != Local::kRunning) {
            out.push_back({RuleId::kInvRunningPeerRunning,
                           where(o, r) + std::string(st) + " but " + Label(r) + " is " +
                               std::string(kLocalNames.Name(peer))});
          }
          break;
        case ClusterState::kExiting:
          premise(RuleId::kInvExitingPeerExiting);
          if (peer != Local::kExiting) {
            out.push_back(
                {RuleId::kInvExitingPeerExiting, where(o, r) + "EXITING but " + Label(r) + " is " +
                                                     std::string(kLocalNames.Name(peer))});
          }
          break;
        default:
          break;
      }
      switch (v.state) {
        case ClusterState::kBuild:
        case ClusterState::kRunning:
        case ClusterState::kExiting:
          premise(RuleId::kInvConnectedViews);
          if (!v.connected) {
            out.push_back({RuleId::kInvConnectedViews,
                           where(o, r) + std::string(st) + " without a TCP connection"});
          }
          break;
        case ClusterState::kLostConn:
        case ClusterState::kExited:
          premise(RuleId::kInvLostConnNoLink);
          if (v.connected) {
            out.push_back({RuleId::kInvLostConnNoLink,
                           where(o, r) + std::string(st) + " but the TCP connection is up"});
          }
          break;
        case ClusterState::kLostHb:
          break;
        default:
          premise(RuleId::kInvIdleViewsNoLink);
          if (v.connected) {
            out.push_back({RuleId::kInvIdleViewsNoLink,
                           where(o, r) + std::string(st) + " but the TCP connection is up"});
          }
          break;
      }
      if (v.state == ClusterState::kRunning) {
        premise(RuleId::kInvRunningNotAllDead);
        premise(RuleId::kInvRunningHbAlive);
        if (AllDead(s, v)) {
          out.push_back({RuleId::kInvRunningNotAllDead,
                         where(o, r) + "RUNNING but every heartbeat is HBDEAD:" + HbText(s, v)});
        } else if (!alive) {
          out.push_back({RuleId::kInvRunningHbAlive,
                         where(o, r) + "RUNNING but no heartbeat is HBALIVE:" + HbText(s, v)});
        }
      }
      if (v.state == ClusterState::kLostHb) {
        premise(RuleId::kInvLostHbNoneAlive);
        if (alive) {
          out.push_back({RuleId::kInvLostHbNoneAlive,
                         where(o, r) + "LOST_HB but a heartbeat is HBALIVE:" + HbText(s, v)});
        }
      }
      if (v.state == ClusterState::kBuild || v.state == ClusterState::kLostConn ||
          v.state == ClusterState::kTransitioning) {
        premise(RuleId::kInvLostConnHbAlive);
        if (!alive) {
          out.push_back(
              {RuleId::kInvLostConnHbAlive,
               where(o, r) + std::string(st) + " but no heartbeat is HBALIVE:" + HbText(s, v)});
        }
      }
      if (v.connected) {
        premise(RuleId::kInvLinkNeedsConnectors);
        if (!ConnectorUp(peer)) {
          out.push_back(
              {RuleId::kInvLinkNeedsConnectors, Label(o) + " has a TCP connection to " + Label(r) +
                                                    " whose connector is down (" +
                                                    std::string(kLocalNames.Name(peer)) + ")"});
        }
      }
    }
  }
}

void VcsGco::CheckTransition(const State& before, const Op& op, const State& after,
                             std::vector<FindingT>& out, std::vector<RuleId>* premises) {
  const auto* answers = std::get_if<InquiryAnswers>(&op);
  bool became_faulted = false, became_exited = false;  // premises of the step rules
  for (int o = 0; o < after.size; ++o) {
    if (!after.Observes(o)) continue;
    for (int r = 0; r < after.size; ++r) {
      if (r == o) continue;
      const View& b = before.view(o, r);
      const View& a = after.view(o, r);
      // Built only for a finding: this runs on every edge the engines follow.
      auto who = [&] { return Label(o) + " sees " + Label(r); };
      if (a.state == ClusterState::kFaulted && b.state != ClusterState::kFaulted) {
        became_faulted = true;
        const bool on_answers =
            answers && answers->observer == o && answers->remote == r && answers->not_down == 0;
        if (b.state != ClusterState::kInquiry || !on_answers) {
          out.push_back({RuleId::kStepFaultedFromInquiry,
                         who() + " FAULTED after " + std::string(kClusterStateNames.Name(b.state)) +
                             " on " + std::string(OpName(op)) +
                             ", not after INQUIRY on answers that all say down"});
        }
        if (AnyAlive(after, a)) {
          out.push_back(
              {RuleId::kStepFaultedWhenSilent,
               who() + " FAULTED while a heartbeat to it is HBALIVE:" + HbText(after, a)});
        }
      }
      became_exited =
          became_exited || (a.state == ClusterState::kExited && b.state != ClusterState::kExited);
      if (a.state == ClusterState::kExited && b.state != ClusterState::kExited &&
          b.state != ClusterState::kExiting) {
        out.push_back(
            {RuleId::kStepExitedFromExiting, who() + " EXITED straight from " +
                                                 std::string(kClusterStateNames.Name(b.state)) +
                                                 " without the exit notice (EXITING)"});
      }
    }
  }
  if (premises && became_faulted) {
    premises->push_back(RuleId::kStepFaultedFromInquiry);
    premises->push_back(RuleId::kStepFaultedWhenSilent);
  }
  if (premises && became_exited) premises->push_back(RuleId::kStepExitedFromExiting);
}

Observation VcsGco::Observe(const State& s) {
  Observation obs;
  for (int o = 0; o < s.size; ++o) {
    const Cluster& c = s.clusters[o];
    ClusterReport& rep = obs.clusters[o];
    rep.reporting = !HadDown(c.local);
    if (HadDown(c.local)) continue;
    rep.local = c.local;
    if (!s.Observes(o)) continue;  // its views are not modelled
    for (int r = 0; r < s.size; ++r) {
      if (r == o) continue;
      rep.remote[r] = c.views[r].state;
      for (int h = 0; h < kMaxHeartbeats; ++h) {
        if (s.HasHeartbeat(h)) rep.hb[r][h] = c.views[r].hb[h];
      }
    }
  }
  return obs;
}

Fit VcsGco::Consistent(const State& s, const Observation& obs, std::vector<FindingT>* why) {
  Fit fit = Fit::kMatch;
  auto note = [&](Fit f, RuleId rule, std::string detail) {
    if (f > fit) fit = f;
    if (why) why->push_back({rule, std::move(detail)});
  };
  for (int o = 0; o < kMaxClusters; ++o) {
    const ClusterReport& rep = obs.clusters[o];
    const bool any_remote =
        std::any_of(rep.remote.begin(), rep.remote.end(),
                    [](const auto& x) { return x.has_value(); }) ||
        std::any_of(rep.hb.begin(), rep.hb.end(), [](const auto& a) {
          return std::any_of(a.begin(), a.end(), [](const auto& x) { return x.has_value(); });
        });
    if (!s.HasCluster(o)) {
      if (rep.reporting || rep.local || any_remote) {
        note(Fit::kMismatch, RuleId::kObsViewShown,
             "a report of cluster #" + std::to_string(o) + ", which is not configured");
      }
      continue;
    }
    const Cluster& c = s.clusters[o];
    const std::string who = Label(o);
    if (HadDown(c.local)) {
      if ((rep.reporting && *rep.reporting) || rep.local || any_remote) {
        note(Fit::kMismatch, RuleId::kObsHadDownSilent,
             who + " is " + std::string(kLocalNames.Name(c.local)) + " (HAD down) but reported");
      }
      continue;
    }
    if (rep.reporting && !*rep.reporting) {
      note(Fit::kMismatch, RuleId::kObsHadDownSilent,
           who + " did not answer but its HAD runs (" + std::string(kLocalNames.Name(c.local)) +
               ")");
    }
    if (rep.local && *rep.local != c.local) {
      const bool failover_running =
          c.local == Local::kTransitioning && *rep.local == Local::kRunning;
      note(failover_running ? Fit::kDeparture : Fit::kMismatch,
           failover_running ? RuleId::kAsmOwnStateInFailover : RuleId::kObsOwnState,
           who + " shows itself " + std::string(kLocalNames.Name(*rep.local)) +
               ", model: " + std::string(kLocalNames.Name(c.local)));
    }
    // While its own connector moves, what a cluster shows of the others
    // rests on GCO-INV-DOWN-CONNECTOR-HOLDS-NOTHING, an assumption.
    const bool moving = c.local == Local::kTransitioning;
    const Fit view_fit = moving ? Fit::kDeparture : Fit::kMismatch;
    const RuleId view_rule = moving ? RuleId::kInvDownConnectorBlank : RuleId::kObsViewShown;
    for (int r = 0; r < kMaxClusters; ++r) {
      const auto& seen = rep.remote[r];
      const bool absent = r == o || !s.HasCluster(r);
      if (seen && !s.Observes(o) && !absent) {
        // Not modelled: nothing to hold it against.
      } else if (seen) {
        if (absent) {
          note(Fit::kMismatch, RuleId::kObsViewShown,
               who + " shows a remote cluster #" + std::to_string(r) + " it does not have");
        } else if (*seen != c.views[r].state) {
          note(view_fit, view_rule,
               who + " shows " + Label(r) + " " + std::string(kClusterStateNames.Name(*seen)) +
                   ", model: " + std::string(kClusterStateNames.Name(c.views[r].state)));
        }
      }
      for (int h = 0; h < kMaxHeartbeats; ++h) {
        const auto& hb = rep.hb[r][h];
        if (!hb) continue;
        const std::string hb_name(kHeartbeatNames.Name(static_cast<Heartbeat>(h)));
        if (!absent && s.HasHeartbeat(h) && !s.Observes(o)) continue;  // not modelled
        if (absent || !s.HasHeartbeat(h)) {
          note(Fit::kMismatch, RuleId::kObsViewShown,
               who + " shows heartbeat " + hb_name + " to #" + std::to_string(r) +
                   ", which is not configured");
        } else if (*hb != c.views[r].hb[h]) {
          note(view_fit, view_rule,
               who + " shows " + hb_name + " to " + Label(r) + " " +
                   std::string(kHbStateNames.Name(*hb)) +
                   ", model: " + std::string(kHbStateNames.Name(c.views[r].hb[h])));
        }
      }
    }
  }
  return fit;
}

void VcsGco::NodeStatuses(const State& s, std::vector<int>& out) {
  for (int o = 0; o < s.size; ++o) {
    if (!s.Observes(o)) continue;
    const bool shown = !HadDown(s.clusters[o].local);
    for (int r = 0; r < s.size; ++r) {
      if (r != o) out.push_back(shown ? static_cast<int>(s.view(o, r).state) : -1);
    }
  }
  for (int o = 0; o < s.size; ++o) {
    if (!s.Observes(o)) continue;
    const bool shown = !HadDown(s.clusters[o].local);
    for (int r = 0; r < s.size; ++r) {
      if (r == o) continue;
      for (int h = 0; h < kMaxHeartbeats; ++h) {
        if (!s.HasHeartbeat(h)) continue;
        out.push_back(shown ? kHbStatusBase + static_cast<int>(s.view(o, r).hb[h]) : -1);
      }
    }
  }
}

State VcsGco::Canonical(const State& s) {
  State t = s;
  for (int o = 0; o < kMaxClusters; ++o) {
    Cluster& c = t.clusters[o];
    if (!t.HasCluster(o)) {
      c = Cluster{};
      continue;
    }
    for (int r = 0; r < kMaxClusters; ++r) {
      View& v = c.views[r];
      if (r == o || !t.HasCluster(r) || !t.Observes(o)) {
        v = View{};
        continue;
      }
      for (int h = 0; h < kMaxHeartbeats; ++h) {
        if (!t.HasHeartbeat(h)) v.hb[h] = HbState::kHbUnknown;
      }
    }
  }
  return t;
}

namespace {
std::uint64_t PackView(const View& v) {
  std::uint64_t p =
      static_cast<std::uint64_t>(v.state) << 1 | static_cast<std::uint64_t>(v.connected);
  for (HbState hb : v.hb) p = (p << 2) | static_cast<std::uint64_t>(hb);
  return p;
}
std::uint64_t Mix(std::uint64_t x) {
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}
}  // namespace

// The cluster's own state, then how the others see it and how it sees them,
// as sums of mixed values (which renaming the others does not change). A
// cluster's views are all its facts besides its own state, so, hash
// collisions aside, sorting by the key gives one form per renaming class.
std::uint64_t VcsGco::NodeKey(const State& s, int c) {
  std::uint64_t seen_by = 0, sees = 0;
  for (int o = 0; o < s.size; ++o) {
    if (o == c) continue;
    if (s.Observes(o)) seen_by += Mix(PackView(s.view(o, c)) + 1);
    if (s.Observes(c)) sees += Mix(PackView(s.view(c, o)) + 0x100);
  }
  return (static_cast<std::uint64_t>(s.clusters[c].local) << 56) ^ ((seen_by * 3 + sees) >> 8);
}

State VcsGco::PermuteNodes(const State& s, std::span<const std::uint8_t> to) {
  State t = s;
  const std::size_t n = std::min<std::size_t>(to.size(), kMaxClusters);
  for (std::size_t o = 0; o < n; ++o) {
    t.clusters[to[o]].local = s.clusters[o].local;
    for (std::size_t r = 0; r < n; ++r) t.clusters[to[o]].views[to[r]] = s.clusters[o].views[r];
  }
  std::uint8_t observers = 0;
  for (std::size_t o = 0; o < n; ++o) {
    if (s.observers >> o & 1) observers = static_cast<std::uint8_t>(observers | 1u << to[o]);
  }
  t.observers = observers;
  return t;
}

std::size_t VcsGco::Hash(const State& s) {
  std::size_t h = s.size;
  HashCombine(h, s.hb_mask);
  HashCombine(h, s.observers);
  for (int o = 0; o < s.size && o < kMaxClusters; ++o) {
    const Cluster& c = s.clusters[o];
    std::uint64_t packed = static_cast<std::uint64_t>(c.local);
    for (const View& v : c.views) {
      packed = (packed << 4) | static_cast<std::uint64_t>(v.state);
      packed = (packed << 1) | static_cast<std::uint64_t>(v.connected);
      for (HbState hb : v.hb) packed = (packed << 2) | static_cast<std::uint64_t>(hb);
    }
    HashCombine(h, packed);
  }
  return h;
}

std::string VcsGco::Show(const State& s, const Nodes& n) {
  std::string out = "{";
  for (int o = 0; o < s.size; ++o) {
    const Cluster& c = s.clusters[o];
    if (o) out += "; ";
    out += Name(n, o) + " " + std::string(kLocalNames.Name(c.local));
    if (!s.Observes(o) || (!ConnectorUp(c.local) && c.views == Cluster{}.views)) continue;
    out += ":";
    for (int r = 0; r < s.size; ++r) {
      if (r == o) continue;
      const View& v = c.views[r];
      out += " " + Name(n, r) + "=" + std::string(kClusterStateNames.Name(v.state));
      if (v.connected) out += "+tcp";
      std::string hb = HbText(s, v);
      if (!hb.empty()) out += "(" + hb.substr(1) + ")";
    }
  }
  return out + "}";
}

std::string VcsGco::Show(const Observation& obs, const Nodes& n) {
  std::string out = "[";
  bool first = true;
  for (int o = 0; o < kMaxClusters; ++o) {
    const ClusterReport& rep = obs.clusters[o];
    if (rep == ClusterReport{}) continue;
    if (!first) out += "; ";
    first = false;
    out += Name(n, o);
    if (rep.reporting && !*rep.reporting) {
      out += " silent";
      continue;
    }
    if (rep.local) out += " " + std::string(kLocalNames.Name(*rep.local));
    out += ":";
    for (int r = 0; r < kMaxClusters; ++r) {
      std::string hb;
      for (int h = 0; h < kMaxHeartbeats; ++h) {
        if (!rep.hb[r][h]) continue;
        hb += (hb.empty() ? "" : " ") +
              std::string(kHeartbeatNames.Name(static_cast<Heartbeat>(h))) + "=" +
              std::string(kHbStateNames.Name(*rep.hb[r][h]));
      }
      if (!rep.remote[r] && hb.empty()) continue;
      out += " " + Name(n, r) + "=" +
             (rep.remote[r] ? std::string(kClusterStateNames.Name(*rep.remote[r])) : "?");
      if (!hb.empty()) out += "(" + hb + ")";
    }
  }
  return out + "]";
}

}  // namespace haspec::vcs_gco
