// Deliberately broken variants of the global cluster model. Each breaks one
// rule the way a real connector might; the property tests must catch every
// one (properties/vcs_gco/vcs_gco_mutation_test.cc). They also serve as
// faulty systems under test for the gate.
//
//   static_assert(haspec::Machine<haspec::vcs_gco::mutants::NoExitNotice>);
#ifndef HASPEC_SUT_VCS_GCO_MUTANTS_H_
#define HASPEC_SUT_VCS_GCO_MUTANTS_H_

#include <variant>

#include "model/vcs_gco/vcs_gco.h"

namespace haspec::vcs_gco::mutants {

using OutcomeT = VcsGco::OutcomeT;

template <class T>
const T* As(const Op& op) {
  return std::get_if<T>(&op);
}

// The view an op is about, or nullptr for cluster-wide ops and bad targets.
template <class T>
const T* PairOp(const Op& op) {
  const T* p = As<T>(op);
  if (!p || p->observer >= kClusters || p->remote >= kClusters || p->observer == p->remote) return nullptr;
  return p;
}

// Connect from init jumps straight to running, skipping the snapshot.
struct JoinSkipsBuild : VcsGco {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = VcsGco::Step(s, op);
    if (auto* c = PairOp<Connect>(op); c && o.accepted && o.rule == RuleId::kJoinBuild) {
      o.next.view(c->observer, c->remote).state = ClusterState::kRunning;
    }
    return o;
  }
};

// A finished snapshot leaves the view in build.
struct SnapshotNeverCompletes : VcsGco {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = VcsGco::Step(s, op);
    if (auto* c = PairOp<SnapshotDone>(op); c && o.accepted) {
      o.next.view(c->observer, c->remote).state = ClusterState::kBuild;
    }
    return o;
  }
};

// The last heartbeat dying leaves a running view running.
struct IgnoresLostHeartbeats : VcsGco {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = VcsGco::Step(s, op);
    auto* d = PairOp<HeartbeatDead>(op);
    if (d && o.accepted && s.view(d->observer, d->remote).state == ClusterState::kRunning) {
      o.next.view(d->observer, d->remote).state = ClusterState::kRunning;
    }
    return o;
  }
};

// Silence is judged at once: lost_hb goes to faulted without asking anyone.
struct FaultsWithoutInquiry : VcsGco {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = VcsGco::Step(s, op);
    if (auto* q = PairOp<Inquire>(op); q && o.accepted) {
      o.next.view(q->observer, q->remote).state = ClusterState::kFaulted;
    }
    return o;
  }
};

// Every answer says down, yet the view becomes unknown.
struct UnknownDespiteAllDown : VcsGco {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = VcsGco::Step(s, op);
    if (auto* a = PairOp<InquiryAnswers>(op); a && o.accepted && o.rule == RuleId::kInquiryFaulted) {
      o.next.view(a->observer, a->remote).state = ClusterState::kUnknown;
    }
    return o;
  }
};

// An answer saying "not down" is ignored: the view becomes faulted.
struct FaultedDespiteAnswer : VcsGco {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = VcsGco::Step(s, op);
    if (auto* a = PairOp<InquiryAnswers>(op); a && o.accepted && o.rule == RuleId::kInquiryUnknown) {
      o.next.view(a->observer, a->remote).state = ClusterState::kFaulted;
    }
    return o;
  }
};

// A connector failover is taken for a lost connection.
struct FailoverSeenAsConnectionLoss : VcsGco {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = VcsGco::Step(s, op);
    auto* f = As<ConnectorFailover>(op);
    if (!f || !o.accepted) return o;
    for (int obs = 0; obs < kClusters; ++obs) {
      if (obs == f->cluster) continue;
      if (s.view(obs, f->cluster).state == ClusterState::kRunning) {
        o.next.view(obs, f->cluster).state = ClusterState::kLostConn;
      }
    }
    return o;
  }
};

// Reconnecting after a failover skips the snapshot.
struct RebuildSkipsBuild : VcsGco {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = VcsGco::Step(s, op);
    if (auto* c = PairOp<Connect>(op); c && o.accepted && o.rule == RuleId::kFailoverRebuild) {
      o.next.view(c->observer, c->remote).state = ClusterState::kRunning;
    }
    return o;
  }
};

// A graceful shutdown is not announced: remote views stay running.
struct NoExitNotice : VcsGco {
  static OutcomeT Step(const State& s, const Op& op) {
    auto* st = As<StopCluster>(op);
    if (!st || st->cluster >= kClusters || s.clusters[st->cluster].local != Local::kRunning) {
      return VcsGco::Step(s, op);
    }
    State t = s;
    t.clusters[st->cluster].local = Local::kExiting;
    return {t, RuleId::kExitNotice, true};
  }
};

// An exiting cluster whose connection drops is seen as lost_conn, not exited.
struct ExitedSeenAsLostConn : VcsGco {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = VcsGco::Step(s, op);
    if (!o.accepted) return o;
    for (int a = 0; a < kClusters; ++a) {
      for (int b = 0; b < kClusters; ++b) {
        if (a != b && s.view(a, b).state == ClusterState::kExiting &&
            o.next.view(a, b).state == ClusterState::kExited) {
          o.next.view(a, b).state = ClusterState::kLostConn;
        }
      }
    }
    return o;
  }
};

// A running view's lost connection goes unnoticed.
struct ConnectionLossIgnored : VcsGco {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = VcsGco::Step(s, op);
    if (auto* c = PairOp<ConnectionLost>(op); c && o.accepted && o.rule == RuleId::kConnLost) {
      o.next.view(c->observer, c->remote).state = ClusterState::kRunning;
    }
    return o;
  }
};

// lost_conn is shown while the TCP connection is still counted as up.
struct ConnectionLossKeepsLink : VcsGco {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = VcsGco::Step(s, op);
    if (auto* c = PairOp<ConnectionLost>(op); c && o.accepted && o.rule == RuleId::kConnLost) {
      o.next.view(c->observer, c->remote).connected = true;
    }
    return o;
  }
};

// Heartbeat reports are accepted but not recorded.
struct HeartbeatReportsDropped : VcsGco {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = VcsGco::Step(s, op);
    if (!o.accepted || o.rule != RuleId::kHeartbeatState) return o;
    if (PairOp<HeartbeatAlive>(op) || PairOp<HeartbeatDead>(op)) o.next = s;
    return o;
  }
};

// A restarted connector remembers its old views as running.
struct StartsWithStaleViews : VcsGco {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = VcsGco::Step(s, op);
    if (!o.accepted || o.rule != RuleId::kStartAtInit) return o;
    int c = As<StartCluster>(op) ? As<StartCluster>(op)->cluster : As<ConnectorOnline>(op)->cluster;
    for (int r = 0; r < kClusters; ++r) {
      if (r != c) o.next.view(c, r).state = ClusterState::kRunning;
    }
    return o;
  }
};

// Connects with no heartbeat alive.
struct ConnectsWithoutHeartbeat : VcsGco {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = VcsGco::Step(s, op);
    auto* c = PairOp<Connect>(op);
    if (!c || o.accepted || o.rule != RuleId::kPreHbAliveToConnect) return o;
    State p = s;
    p.view(c->observer, c->remote).hb[0] = HbState::kHbAlive;
    OutcomeT q = VcsGco::Step(p, op);
    if (q.accepted) q.next.view(c->observer, c->remote).hb = s.view(c->observer, c->remote).hb;
    return q.accepted ? q : o;
  }
};

// A stopped connector still records heartbeat reports.
struct DownConnectorStillHears : VcsGco {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = VcsGco::Step(s, op);
    if (o.accepted || o.rule != RuleId::kPreConnectorUp) return o;
    State t = s;
    if (auto* h = PairOp<HeartbeatAlive>(op); h && h->heartbeat < kHeartbeats) {
      t.view(h->observer, h->remote).hb[h->heartbeat] = HbState::kHbAlive;
      return {t, RuleId::kHeartbeatState, true};
    }
    if (auto* h = PairOp<HeartbeatDead>(op); h && h->heartbeat < kHeartbeats) {
      t.view(h->observer, h->remote).hb[h->heartbeat] = HbState::kHbDead;
      return {t, RuleId::kHeartbeatState, true};
    }
    return o;
  }
};

// A heartbeat coming back does not end lost_hb.
struct HeartbeatReturnIgnored : VcsGco {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = VcsGco::Step(s, op);
    if (auto* h = PairOp<HeartbeatAlive>(op); h && o.accepted && o.rule == RuleId::kAsmHbReturns) {
      o.next.view(h->observer, h->remote).state = ClusterState::kLostHb;
    }
    return o;
  }
};

// lost_conn stays lost_conn after every heartbeat died.
struct LostConnIgnoresHeartbeatLoss : VcsGco {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = VcsGco::Step(s, op);
    auto* d = PairOp<HeartbeatDead>(op);
    if (d && o.accepted && s.view(d->observer, d->remote).state == ClusterState::kLostConn) {
      o.next.view(d->observer, d->remote).state = ClusterState::kLostConn;
    }
    return o;
  }
};

// A crashed cluster's connector keeps its views.
struct CrashKeepsOwnViews : VcsGco {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = VcsGco::Step(s, op);
    auto* c = As<ClusterCrash>(op);
    if (!c || !o.accepted) return o;
    o.next.clusters[c->cluster].views = s.clusters[c->cluster].views;
    return o;
  }
};

// Views of a failing-over connector keep their TCP connection.
struct FailoverKeepsLinks : VcsGco {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = VcsGco::Step(s, op);
    auto* f = As<ConnectorFailover>(op);
    if (!f || !o.accepted) return o;
    for (int obs = 0; obs < kClusters; ++obs) {
      if (obs != f->cluster && o.next.view(obs, f->cluster).state == ClusterState::kTransitioning) {
        o.next.view(obs, f->cluster).connected = s.view(obs, f->cluster).connected;
      }
    }
    return o;
  }
};

// A finished shutdown is not noticed by the other connectors.
struct ExitForgetsObservers : VcsGco {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = VcsGco::Step(s, op);
    auto* e = As<ClusterExited>(op);
    if (!e || !o.accepted) return o;
    for (int obs = 0; obs < kClusters; ++obs) {
      if (obs != e->cluster) o.next.clusters[obs] = s.clusters[obs];
    }
    return o;
  }
};

// A heartbeat "to itself" is accepted and recorded in a view nobody holds.
struct AcceptsSelfHeartbeat : VcsGco {
  static OutcomeT Step(const State& s, const Op& op) {
    auto* h = As<HeartbeatAlive>(op);
    if (!h || h->observer >= kClusters || h->observer != h->remote || h->heartbeat >= kHeartbeats) {
      return VcsGco::Step(s, op);
    }
    State t = s;
    t.view(h->observer, h->remote).hb[h->heartbeat] = HbState::kHbAlive;
    return {t, RuleId::kHeartbeatState, true};
  }
};

// Observe: a remote cluster that is exiting is listed as RUNNING.
struct ObserveHidesExiting : VcsGco {
  static Observation Observe(const State& s) {
    Observation o = VcsGco::Observe(s);
    for (ClusterReport& rep : o.clusters) {
      for (ClusterState& st : rep.remote) {
        if (st == ClusterState::kExiting) st = ClusterState::kRunning;
      }
    }
    return o;
  }
};

}  // namespace haspec::vcs_gco::mutants

#endif  // HASPEC_SUT_VCS_GCO_MUTANTS_H_
