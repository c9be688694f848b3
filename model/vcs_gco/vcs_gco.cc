#include "model/vcs_gco/vcs_gco.h"

#include "model/core/hash.h"

namespace haspec::vcs_gco {
namespace {

constexpr Rule kRules[] = {
#define HASPEC_RULE HASPEC_RULE_ENTRY
#include "model/vcs_gco/rules.def"
#undef HASPEC_RULE
};

constexpr auto kStatusNameList = [] {
  std::array<std::string_view, kClusterStateNames.size() + kHbStateNames.size()> out{};
  std::size_t i = 0;
  for (const auto& e : kClusterStateNames.entries) out[i++] = e.name;
  for (const auto& e : kHbStateNames.entries) out[i++] = e.name;
  return out;
}();

using OutcomeT = VcsGco::OutcomeT;

constexpr int kViewWeight = 4;
constexpr int kHeartbeatWeight = 2;


constexpr bool IsAssumption(RuleId r) { return kRules[Index(r)].basis == BasisKind::kAssumption; }

// When one event moves several views, the outcome names an assumption rule
// if any move rested on one, so a verdict that depends on it stays visible.
void Merge(RuleId& into, RuleId r) {
  if (IsAssumption(r) && !IsAssumption(into)) into = r;
}

bool ValidCluster(int c) { return c >= 0 && c < kClusters; }
bool ValidPair(int o, int r) { return ValidCluster(o) && ValidCluster(r) && o != r; }

bool IsDown(Local l) { return l == Local::kExited || l == Local::kFaulted; }

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
  for (int o = 0; o < kClusters; ++o) {
    if (o != c && t.view(o, c).connected) Merge(rule, LoseLink(t, o, c));
  }
  return rule;
}

bool AnyUnknown(const View& v) {
  for (HbState h : v.hb) {
    if (h == HbState::kHbUnknown) return true;
  }
  return false;
}

struct Stepper {
  const State& s;

  // Checks shared by every per-view event, in reporting order.
  bool ViewBlocked(int o, int r, RuleId& why) const {
    if (!ValidPair(o, r)) {
      why = RuleId::kPreTarget;
      return true;
    }
    if (!ConnectorUp(s.clusters[o].local)) {
      why = RuleId::kPreConnectorUp;
      return true;
    }
    return false;
  }

  OutcomeT operator()(const HeartbeatAlive& op) const {
    RuleId why;
    if (op.heartbeat >= kHeartbeats) return Rejected(s, RuleId::kPreTarget);
    if (ViewBlocked(op.observer, op.remote, why)) return Rejected(s, why);
    if (IsDown(s.clusters[op.remote].local)) return Rejected(s, RuleId::kPreHbNeedsLivePeer);
    State t = s;
    View& v = t.view(op.observer, op.remote);
    v.hb[op.heartbeat] = HbState::kHbAlive;
    if (v.state == ClusterState::kLostHb) {
      v.state = v.connected ? ClusterState::kRunning : ClusterState::kLostConn;
      return Accepted(t, RuleId::kAsmHbReturns);
    }
    return Accepted(t, RuleId::kHeartbeatState);
  }

  OutcomeT operator()(const HeartbeatDead& op) const {
    RuleId why;
    if (op.heartbeat >= kHeartbeats) return Rejected(s, RuleId::kPreTarget);
    if (ViewBlocked(op.observer, op.remote, why)) return Rejected(s, why);
    State t = s;
    View& v = t.view(op.observer, op.remote);
    v.hb[op.heartbeat] = HbState::kHbDead;
    if (AnyAlive(v)) return Accepted(t, RuleId::kHeartbeatState);
    switch (v.state) {
      case ClusterState::kRunning:
        v.state = ClusterState::kLostHb;
        return Accepted(t, AnyUnknown(v) ? RuleId::kAsmHbUnknownNotAlive : RuleId::kAllHbLost);
      case ClusterState::kBuild:
      case ClusterState::kLostConn:
      case ClusterState::kTransitioning:
        v.state = ClusterState::kLostHb;
        return Accepted(t, RuleId::kAsmHbLostNotRunning);
      default:
        return Accepted(t, RuleId::kHeartbeatState);
    }
  }

  OutcomeT operator()(const Connect& op) const {
    RuleId why;
    if (ViewBlocked(op.observer, op.remote, why)) return Rejected(s, why);
    const View& v = s.view(op.observer, op.remote);
    RuleId rule;
    switch (v.state) {
      case ClusterState::kInit: rule = RuleId::kJoinBuild; break;
      case ClusterState::kTransitioning: rule = RuleId::kFailoverRebuild; break;
      case ClusterState::kLostConn: rule = RuleId::kAsmReconnect; break;
      case ClusterState::kFaulted:
      case ClusterState::kUnknown:
      case ClusterState::kExited: rule = RuleId::kAsmRecover; break;
      default: return Rejected(s, RuleId::kPreViewState);
    }
    if (v.connected) return Rejected(s, RuleId::kPreViewState);
    if (!AnyAlive(v)) return Rejected(s, RuleId::kPreHbAliveToConnect);
    if (s.clusters[op.remote].local != Local::kRunning) return Rejected(s, RuleId::kPrePeerConnector);
    State t = s;
    View& w = t.view(op.observer, op.remote);
    w.state = ClusterState::kBuild;
    w.connected = true;
    return Accepted(t, rule);
  }

  OutcomeT operator()(const SnapshotDone& op) const {
    RuleId why;
    if (ViewBlocked(op.observer, op.remote, why)) return Rejected(s, why);
    if (s.view(op.observer, op.remote).state != ClusterState::kBuild) {
      return Rejected(s, RuleId::kPreViewState);
    }
    State t = s;
    t.view(op.observer, op.remote).state = ClusterState::kRunning;
    return Accepted(t, RuleId::kSnapshotRunning);
  }

  OutcomeT operator()(const ConnectionLost& op) const {
    RuleId why;
    if (ViewBlocked(op.observer, op.remote, why)) return Rejected(s, why);
    if (!s.view(op.observer, op.remote).connected) return Rejected(s, RuleId::kPreViewState);
    State t = s;
    return Accepted(t, LoseLink(t, op.observer, op.remote));
  }

  OutcomeT operator()(const Inquire& op) const {
    RuleId why;
    if (ViewBlocked(op.observer, op.remote, why)) return Rejected(s, why);
    const View& v = s.view(op.observer, op.remote);
    if (v.state != ClusterState::kLostHb) return Rejected(s, RuleId::kPreViewState);
    if (v.connected) return Rejected(s, RuleId::kPreInquiryAfterLinkLoss);
    State t = s;
    t.view(op.observer, op.remote).state = ClusterState::kInquiry;
    return Accepted(t, RuleId::kInquiry);
  }

  OutcomeT operator()(const InquiryAnswers& op) const {
    RuleId why;
    if (ViewBlocked(op.observer, op.remote, why)) return Rejected(s, why);
    if (s.view(op.observer, op.remote).state != ClusterState::kInquiry) {
      return Rejected(s, RuleId::kPreViewState);
    }
    unsigned responders = 0;
    for (int c = 0; c < kClusters; ++c) {
      if (c != op.observer && c != op.remote && s.view(op.observer, c).connected) responders |= 1u << c;
    }
    if (op.not_down & ~responders) return Rejected(s, RuleId::kPreAnswersFromConnected);
    State t = s;
    ClusterState& st = t.view(op.observer, op.remote).state;
    if (responders == 0) {
      st = ClusterState::kFaulted;
      return Accepted(t, RuleId::kAsmNoResponder);
    }
    if (op.not_down == 0) {
      st = ClusterState::kFaulted;
      return Accepted(t, RuleId::kInquiryFaulted);
    }
    st = ClusterState::kUnknown;
    return Accepted(t, RuleId::kInquiryUnknown);
  }

  OutcomeT operator()(const StopCluster& op) const {
    if (!ValidCluster(op.cluster)) return Rejected(s, RuleId::kPreTarget);
    if (s.clusters[op.cluster].local != Local::kRunning) return Rejected(s, RuleId::kPreClusterState);
    State t = s;
    t.clusters[op.cluster].local = Local::kExiting;
    RuleId rule = RuleId::kExitNotice;
    for (int o = 0; o < kClusters; ++o) {
      if (o == op.cluster) continue;
      View& v = t.view(o, op.cluster);
      if (!v.connected) continue;
      if (v.state != ClusterState::kRunning) Merge(rule, RuleId::kAsmNoticeBeyondRunning);
      v.state = ClusterState::kExiting;
    }
    return Accepted(t, rule);
  }

  OutcomeT operator()(const ClusterExited& op) const {
    if (!ValidCluster(op.cluster)) return Rejected(s, RuleId::kPreTarget);
    if (s.clusters[op.cluster].local != Local::kExiting) return Rejected(s, RuleId::kPreClusterState);
    State t = s;
    t.clusters[op.cluster].local = Local::kExited;
    return Accepted(t, StopConnector(t, op.cluster, RuleId::kExited));
  }

  OutcomeT operator()(const ClusterCrash& op) const {
    if (!ValidCluster(op.cluster)) return Rejected(s, RuleId::kPreTarget);
    if (IsDown(s.clusters[op.cluster].local)) return Rejected(s, RuleId::kPreClusterState);
    State t = s;
    t.clusters[op.cluster].local = Local::kFaulted;
    StopConnector(t, op.cluster, RuleId::kAsmCrash);
    return Accepted(t, RuleId::kAsmCrash);
  }

  OutcomeT operator()(const StartCluster& op) const {
    if (!ValidCluster(op.cluster)) return Rejected(s, RuleId::kPreTarget);
    if (!IsDown(s.clusters[op.cluster].local)) return Rejected(s, RuleId::kPreClusterState);
    State t = s;
    t.clusters[op.cluster] = Cluster{};
    return Accepted(t, RuleId::kStartAtInit);
  }

  OutcomeT operator()(const ConnectorFailover& op) const {
    if (!ValidCluster(op.cluster)) return Rejected(s, RuleId::kPreTarget);
    if (s.clusters[op.cluster].local != Local::kRunning) return Rejected(s, RuleId::kPreClusterState);
    State t = s;
    const int c = op.cluster;
    t.clusters[c].local = Local::kTransitioning;
    RuleId rule = RuleId::kWacFailover;
    for (int o = 0; o < kClusters; ++o) {
      if (o == c) continue;
      View& v = t.view(o, c);
      if (v.state == ClusterState::kRunning || v.state == ClusterState::kBuild) {
        if (v.state == ClusterState::kBuild) Merge(rule, RuleId::kAsmNoticeBeyondRunning);
        v.state = ClusterState::kTransitioning;
        v.connected = false;
      }
    }
    return Accepted(t, StopConnector(t, c, rule));
  }

  OutcomeT operator()(const ConnectorOnline& op) const {
    if (!ValidCluster(op.cluster)) return Rejected(s, RuleId::kPreTarget);
    if (s.clusters[op.cluster].local != Local::kTransitioning) {
      return Rejected(s, RuleId::kPreClusterState);
    }
    State t = s;
    t.clusters[op.cluster] = Cluster{};
    return Accepted(t, RuleId::kStartAtInit);
  }
};

std::string HbText(const View& v) {
  std::string out;
  for (int h = 0; h < kHeartbeats; ++h) {
    if (v.hb[h] == HbState::kHbUnknown) continue;
    out += " " + std::string(kHeartbeatNames.Name(static_cast<Heartbeat>(h))) + "=" +
           std::string(kHbStateNames.Name(v.hb[h]));
  }
  return out;
}

}  // namespace

std::string ClusterName(int cluster) { return "clus" + std::to_string(cluster); }

int ParseClusterName(std::string_view name) {
  if (name.size() != 5) return -1;
  for (int i = 0; i < 4; ++i) {
    char c = name[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != "clus"[i]) return -1;
  }
  int d = name[4] - '0';
  return (d >= 0 && d < kClusters) ? d : -1;
}

std::span<const Rule> VcsGco::Rules() { return kRules; }
std::span<const std::string_view> VcsGco::StatusNames() { return kStatusNameList; }

VcsGco::OutcomeT VcsGco::Step(const State& s, const Op& op) {
  return std::visit(Stepper{s}, op);
}

void VcsGco::CandidateOps(const State& s, std::vector<Op>& out) {
  for (int oi = 0; oi < kClusters; ++oi) {
    const auto o = static_cast<std::uint8_t>(oi);
    const Cluster& c = s.clusters[oi];
    switch (c.local) {
      case Local::kRunning:
        out.push_back(StopCluster{o});
        out.push_back(ClusterCrash{o});
        out.push_back(ConnectorFailover{o});
        break;
      case Local::kExiting:
        out.push_back(ClusterExited{o});
        out.push_back(ClusterCrash{o});
        out.push_back(StopCluster{o});  // refused: already exiting
        break;
      case Local::kExited:
      case Local::kFaulted:
        out.push_back(StartCluster{o});
        break;
      case Local::kTransitioning:
        out.push_back(ConnectorOnline{o});
        out.push_back(ClusterCrash{o});
        break;
    }
    if (!ConnectorUp(c.local)) {
      // Refused: nobody runs heartbeats for a stopped connector.
      out.push_back(HeartbeatAlive{o, static_cast<std::uint8_t>((oi + 1) % kClusters), 0});
      continue;
    }
    // Connection and inquiry events are listed kViewWeight times: a uniform
    // pick then hits cluster-wide events (each of which resets many views)
    // and heartbeat flaps rarely enough for walks to reach inquiry answers.
    for (int pass = 0; pass < kViewWeight; ++pass) {
    for (int ri = 0; ri < kClusters; ++ri) {
      if (ri == oi) continue;
      const auto r = static_cast<std::uint8_t>(ri);
      const View& v = c.views[ri];
      for (int h = 0; h < kHeartbeats && pass < kHeartbeatWeight; ++h) {
        const auto h8 = static_cast<std::uint8_t>(h);
        if (v.hb[h] != HbState::kHbAlive) out.push_back(HeartbeatAlive{o, r, h8});
        if (v.hb[h] != HbState::kHbDead) out.push_back(HeartbeatDead{o, r, h8});
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
        for (unsigned mask = 0; mask < (1u << kClusters); ++mask) {
          if (mask & ((1u << oi) | (1u << ri))) continue;
          out.push_back(InquiryAnswers{o, r, static_cast<std::uint8_t>(mask)});
        }
      }
    }
    }
  }
}

void VcsGco::CheckInvariants(const State& s, std::vector<FindingT>& out) {
  auto where = [](int o, int r) { return ClusterName(o) + " sees " + ClusterName(r) + " "; };
  for (int o = 0; o < kClusters; ++o) {
    const Cluster& c = s.clusters[o];
    const bool up = ConnectorUp(c.local);
    for (int r = 0; r < kClusters; ++r) {
      if (r == o) continue;
      const View& v = c.views[r];
      const Local peer = s.clusters[r].local;
      const std::string_view st = kClusterStateNames.Name(v.state);
      if (!up) {
        if (!(v == View{})) {
          out.push_back({RuleId::kInvDownConnectorBlank,
                         ClusterName(o) + " is " + std::string(kLocalNames.Name(c.local)) +
                             " but still holds " + ClusterName(r) + " as " + std::string(st) +
                             (v.connected ? " with a TCP connection" : "") + HbText(v)});
        }
        continue;
      }
      const bool alive = AnyAlive(v);
      switch (v.state) {
        case ClusterState::kBuild:
        case ClusterState::kRunning:
          if (peer != Local::kRunning) {
            out.push_back({RuleId::kInvRunningPeerRunning,
                           where(o, r) + std::string(st) + " but " + ClusterName(r) + " is " +
                               std::string(kLocalNames.Name(peer))});
          }
          break;
        case ClusterState::kExiting:
          if (peer != Local::kExiting) {
            out.push_back({RuleId::kInvExitingPeerExiting,
                           where(o, r) + "EXITING but " + ClusterName(r) + " is " +
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
          if (!v.connected) {
            out.push_back({RuleId::kInvConnectedViews,
                           where(o, r) + std::string(st) + " without a TCP connection"});
          }
          break;
        case ClusterState::kLostConn:
        case ClusterState::kExited:
          if (v.connected) {
            out.push_back({RuleId::kInvLostConnNoLink,
                           where(o, r) + std::string(st) + " but the TCP connection is up"});
          }
          break;
        case ClusterState::kLostHb:
          break;
        default:
          if (v.connected) {
            out.push_back({RuleId::kInvIdleViewsNoLink,
                           where(o, r) + std::string(st) + " but the TCP connection is up"});
          }
          break;
      }
      if (v.state == ClusterState::kRunning && !alive) {
        out.push_back({RuleId::kInvRunningHbAlive,
                       where(o, r) + "RUNNING but no heartbeat is HBALIVE:" + HbText(v)});
      }
      if (v.state == ClusterState::kLostHb && alive) {
        out.push_back({RuleId::kInvLostHbNoneAlive,
                       where(o, r) + "LOST_HB but a heartbeat is HBALIVE:" + HbText(v)});
      }
      if ((v.state == ClusterState::kBuild || v.state == ClusterState::kLostConn ||
           v.state == ClusterState::kTransitioning) &&
          !alive) {
        out.push_back({RuleId::kInvLostConnHbAlive,
                       where(o, r) + std::string(st) + " but no heartbeat is HBALIVE:" + HbText(v)});
      }
      if (v.connected && !ConnectorUp(peer)) {
        out.push_back({RuleId::kInvLinkNeedsConnectors,
                       ClusterName(o) + " has a TCP connection to " + ClusterName(r) +
                           " whose connector is down (" + std::string(kLocalNames.Name(peer)) + ")"});
      }
    }
  }
}

Observation VcsGco::Observe(const State& s) {
  Observation obs;
  for (int o = 0; o < kClusters; ++o) {
    const Cluster& c = s.clusters[o];
    ClusterReport& rep = obs.clusters[o];
    if (IsDown(c.local)) continue;
    rep.reporting = true;
    rep.local = c.local;
    for (int r = 0; r < kClusters; ++r) {
      if (r == o) continue;
      rep.remote[r] = c.views[r].state;
      rep.hb[r] = c.views[r].hb;
    }
  }
  return obs;
}

std::size_t VcsGco::Hash(const State& s) {
  std::size_t h = 0;
  for (const Cluster& c : s.clusters) {
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

std::string VcsGco::Show(const State& s) {
  std::string out = "{";
  for (int o = 0; o < kClusters; ++o) {
    const Cluster& c = s.clusters[o];
    if (o) out += "; ";
    out += ClusterName(o) + " " + std::string(kLocalNames.Name(c.local));
    if (!ConnectorUp(c.local) && c.views == Cluster{}.views) continue;
    out += ":";
    for (int r = 0; r < kClusters; ++r) {
      if (r == o) continue;
      const View& v = c.views[r];
      out += " " + ClusterName(r) + "=" + std::string(kClusterStateNames.Name(v.state));
      if (v.connected) out += "+tcp";
      std::string hb = HbText(v);
      if (!hb.empty()) out += "(" + hb.substr(1) + ")";
    }
  }
  return out + "}";
}

std::string VcsGco::Show(const Op& op) {
  struct Printer {
    static std::string Pair(std::uint8_t o, std::uint8_t r) {
      return ClusterName(o) + "->" + ClusterName(r);
    }
    static std::string Hb(std::uint8_t h) {
      return h < kHeartbeats ? std::string(kHeartbeatNames.Name(static_cast<Heartbeat>(h)))
                             : "heartbeat#" + std::to_string(h);
    }
    std::string operator()(const HeartbeatAlive& o) const {
      return "heartbeat_alive " + Pair(o.observer, o.remote) + " " + Hb(o.heartbeat);
    }
    std::string operator()(const HeartbeatDead& o) const {
      return "heartbeat_dead " + Pair(o.observer, o.remote) + " " + Hb(o.heartbeat);
    }
    std::string operator()(const Connect& o) const { return "connect " + Pair(o.observer, o.remote); }
    std::string operator()(const SnapshotDone& o) const {
      return "snapshot_done " + Pair(o.observer, o.remote);
    }
    std::string operator()(const ConnectionLost& o) const {
      return "connection_lost " + Pair(o.observer, o.remote);
    }
    std::string operator()(const Inquire& o) const { return "inquire " + Pair(o.observer, o.remote); }
    std::string operator()(const InquiryAnswers& o) const {
      std::string says;
      for (int c = 0; c < 8; ++c) {
        if (o.not_down & (1u << c)) says += (says.empty() ? "" : ", ") + ClusterName(c);
      }
      return "inquiry_answers " + Pair(o.observer, o.remote) +
             (says.empty() ? " (every answer: down)" : " (not down per " + says + ")");
    }
    std::string operator()(const StopCluster& o) const { return "stop_cluster " + ClusterName(o.cluster); }
    std::string operator()(const ClusterExited& o) const {
      return "cluster_exited " + ClusterName(o.cluster);
    }
    std::string operator()(const ClusterCrash& o) const { return "cluster_crash " + ClusterName(o.cluster); }
    std::string operator()(const StartCluster& o) const { return "start_cluster " + ClusterName(o.cluster); }
    std::string operator()(const ConnectorFailover& o) const {
      return "connector_failover " + ClusterName(o.cluster);
    }
    std::string operator()(const ConnectorOnline& o) const {
      return "connector_online " + ClusterName(o.cluster);
    }
  };
  return std::visit(Printer{}, op);
}

std::string VcsGco::Show(const Observation& obs) {
  std::string out = "[";
  for (int o = 0; o < kClusters; ++o) {
    const ClusterReport& rep = obs.clusters[o];
    if (o) out += "; ";
    out += ClusterName(o);
    if (!rep.reporting) {
      out += " silent";
      continue;
    }
    out += " " + std::string(kLocalNames.Name(rep.local)) + ":";
    for (int r = 0; r < kClusters; ++r) {
      if (r == o) continue;
      out += " " + ClusterName(r) + "=" + std::string(kClusterStateNames.Name(rep.remote[r]));
      View v;
      v.hb = rep.hb[r];
      std::string hb = HbText(v);
      if (!hb.empty()) out += "(" + hb.substr(1) + ")";
    }
  }
  return out + "]";
}

}  // namespace haspec::vcs_gco
