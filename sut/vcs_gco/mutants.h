// Deliberately broken variants of the global cluster model. Each breaks one
// rule the way a real connector might, by overriding Refusals or Effects
// (or Observe) and re-deriving Step and Outcomes from them
// (HASPEC_MACHINE_DERIVED), so every answer it gives is the mutated one. The
// property tests must catch every one
// (properties/vcs_gco/vcs_gco_mutation_test.cc).
//
//   static_assert(haspec::Machine<haspec::vcs_gco::mutants::NoExitNotice>);
#ifndef HASPEC_SUT_VCS_GCO_MUTANTS_H_
#define HASPEC_SUT_VCS_GCO_MUTANTS_H_

#include <algorithm>
#include <variant>
#include <vector>

#include "model/vcs_gco/vcs_gco.h"

namespace haspec::vcs_gco::mutants {

using OutcomeT = VcsGco::OutcomeT;

template <class T>
const T* As(const Op& op) {
  return std::get_if<T>(&op);
}

// The view an op is about, or nullptr for cluster-wide ops and bad targets.
template <class T>
const T* PairOp(const State& s, const Op& op) {
  const T* p = As<T>(op);
  if (!p || !s.Observes(p->observer) || !s.HasCluster(p->remote) || p->observer == p->remote) {
    return nullptr;
  }
  return p;
}

// Applies f to the model's own landings (not the departures).
template <class F>
void MutateOwn(std::vector<OutcomeT>& out, F f) {
  for (auto& o : out) {
    if (!o.departs) f(o);
  }
}

// Removes `rule` from a refusal list.
inline void Drop(std::vector<RuleId>& out, RuleId rule) {
  out.erase(std::remove(out.begin(), out.end(), rule), out.end());
}

// Declares a mutant that overrides Effects with `body` run after the
// model's own Effects (s, op, out in scope). `out` holds this op's effects
// alone: Effects appends to the caller's vector, which may hold other
// answers already (AnswersOf puts a refusal before them).
#define HASPEC_GCO_EFFECTS_MUTANT(Name, body)                                        \
  struct Name : VcsGco {                                                             \
    static void Effects(const State& s, const Op& op, std::vector<OutcomeT>& into) { \
      std::vector<OutcomeT> out;                                                     \
      VcsGco::Effects(s, op, out);                                                   \
      body;                                                                          \
      into.insert(into.end(), out.begin(), out.end());                               \
    }                                                                                \
    HASPEC_MACHINE_DERIVED(Name)                                                     \
  };

// Connect from init jumps straight to running, skipping the snapshot.
HASPEC_GCO_EFFECTS_MUTANT(JoinSkipsBuild, {
  if (auto* c = PairOp<Connect>(s, op)) {
    MutateOwn(out, [&](OutcomeT& o) {
      if (o.rule == RuleId::kJoinBuild)
        o.next.view(c->observer, c->remote).state = ClusterState::kRunning;
    });
  }
})

// A finished snapshot leaves the view in build.
HASPEC_GCO_EFFECTS_MUTANT(SnapshotNeverCompletes, {
  if (auto* c = PairOp<SnapshotDone>(s, op)) {
    MutateOwn(out, [&](OutcomeT& o) {
      o.next.view(c->observer, c->remote).state = ClusterState::kBuild;
    });
  }
})

// The last heartbeat dying leaves a running view running.
HASPEC_GCO_EFFECTS_MUTANT(IgnoresLostHeartbeats, {
  auto* d = PairOp<HeartbeatDead>(s, op);
  if (d && s.view(d->observer, d->remote).state == ClusterState::kRunning) {
    MutateOwn(out, [&](OutcomeT& o) {
      o.next.view(d->observer, d->remote).state = ClusterState::kRunning;
    });
  }
})

// Silence is judged at once: lost_hb goes to faulted without asking anyone.
HASPEC_GCO_EFFECTS_MUTANT(FaultsWithoutInquiry, {
  if (auto* q = PairOp<Inquire>(s, op)) {
    MutateOwn(out, [&](OutcomeT& o) {
      o.next.view(q->observer, q->remote).state = ClusterState::kFaulted;
    });
  }
})

// Every answer says down, yet the view becomes unknown.
HASPEC_GCO_EFFECTS_MUTANT(UnknownDespiteAllDown, {
  if (auto* a = PairOp<InquiryAnswers>(s, op)) {
    MutateOwn(out, [&](OutcomeT& o) {
      if (o.rule == RuleId::kInquiryFaulted)
        o.next.view(a->observer, a->remote).state = ClusterState::kUnknown;
    });
  }
})

// An answer saying "not down" is ignored: the view becomes faulted.
HASPEC_GCO_EFFECTS_MUTANT(FaultedDespiteAnswer, {
  if (auto* a = PairOp<InquiryAnswers>(s, op)) {
    MutateOwn(out, [&](OutcomeT& o) {
      if (o.rule == RuleId::kInquiryUnknown)
        o.next.view(a->observer, a->remote).state = ClusterState::kFaulted;
    });
  }
})

// The earlier model's reading: a heartbeat back during inquiry changes
// nothing, and answers that all say down then make the view faulted while
// the heartbeat is alive.
HASPEC_GCO_EFFECTS_MUTANT(FaultedWhileHeartbeatAlive, {
  auto* h = PairOp<HeartbeatAlive>(s, op);
  if (h && s.view(h->observer, h->remote).state == ClusterState::kInquiry) {
    MutateOwn(out, [&](OutcomeT& o) {
      o.next.view(h->observer, h->remote).state = ClusterState::kInquiry;
      o.rule = RuleId::kHeartbeatState;
    });
  }
  auto* a = PairOp<InquiryAnswers>(s, op);
  if (a && a->not_down == 0) {
    MutateOwn(out, [&](OutcomeT& o) {
      if (o.rule == RuleId::kAsmHbReturnsInInquiry) {
        o.next.view(a->observer, a->remote).state = ClusterState::kFaulted;
        o.rule = RuleId::kInquiryFaulted;
      }
    });
  }
})

// A connector failover is taken for a lost connection.
HASPEC_GCO_EFFECTS_MUTANT(FailoverSeenAsConnectionLoss, {
  if (auto* f = As<ConnectorFailover>(op)) {
    MutateOwn(out, [&](OutcomeT& o) {
      for (int obs = 0; obs < s.size; ++obs) {
        if (obs != f->cluster && s.view(obs, f->cluster).state == ClusterState::kRunning) {
          o.next.view(obs, f->cluster).state = ClusterState::kLostConn;
        }
      }
    });
  }
})

// Reconnecting after a failover skips the snapshot.
HASPEC_GCO_EFFECTS_MUTANT(RebuildSkipsBuild, {
  if (auto* c = PairOp<Connect>(s, op)) {
    MutateOwn(out, [&](OutcomeT& o) {
      if (o.rule == RuleId::kFailoverRebuild)
        o.next.view(c->observer, c->remote).state = ClusterState::kRunning;
    });
  }
})

// A graceful shutdown is not announced: remote views stay running.
HASPEC_GCO_EFFECTS_MUTANT(NoExitNotice, {
  if (auto* st = As<StopCluster>(op)) {
    MutateOwn(out, [&](OutcomeT& o) {
      for (int obs = 0; obs < s.size; ++obs) {
        if (obs != st->cluster) o.next.clusters[obs] = s.clusters[obs];
      }
    });
  }
})

// An exiting cluster whose connection drops is seen as lost_conn, not exited.
HASPEC_GCO_EFFECTS_MUTANT(ExitedSeenAsLostConn, {
  MutateOwn(out, [&](OutcomeT& o) {
    for (int a = 0; a < s.size; ++a) {
      for (int b = 0; b < s.size; ++b) {
        if (a != b && s.view(a, b).state == ClusterState::kExiting &&
            o.next.view(a, b).state == ClusterState::kExited) {
          o.next.view(a, b).state = ClusterState::kLostConn;
        }
      }
    }
  });
})

// A running cluster that crashes is seen as having exited gracefully.
HASPEC_GCO_EFFECTS_MUTANT(CrashSeenAsExit, {
  if (auto* c = As<ClusterCrash>(op)) {
    MutateOwn(out, [&](OutcomeT& o) {
      for (int obs = 0; obs < s.size; ++obs) {
        if (obs != c->cluster && s.view(obs, c->cluster).state == ClusterState::kRunning) {
          o.next.view(obs, c->cluster).state = ClusterState::kExited;
        }
      }
    });
  }
})

// A running view's lost connection goes unnoticed.
HASPEC_GCO_EFFECTS_MUTANT(ConnectionLossIgnored, {
  if (auto* c = PairOp<ConnectionLost>(s, op)) {
    MutateOwn(out, [&](OutcomeT& o) {
      if (o.rule == RuleId::kConnLost)
        o.next.view(c->observer, c->remote).state = ClusterState::kRunning;
    });
  }
})

// lost_conn is shown while the TCP connection is still counted as up.
HASPEC_GCO_EFFECTS_MUTANT(ConnectionLossKeepsLink, {
  if (auto* c = PairOp<ConnectionLost>(s, op)) {
    MutateOwn(out, [&](OutcomeT& o) {
      if (o.rule == RuleId::kConnLost) o.next.view(c->observer, c->remote).connected = true;
    });
  }
})

// Heartbeat reports are accepted but not recorded.
HASPEC_GCO_EFFECTS_MUTANT(HeartbeatReportsDropped, {
  if (PairOp<HeartbeatAlive>(s, op) || PairOp<HeartbeatDead>(s, op)) {
    MutateOwn(out, [&](OutcomeT& o) {
      if (o.rule == RuleId::kHeartbeatState) o.next = s;
    });
  }
})

// A restarted connector remembers its old views as running.
HASPEC_GCO_EFFECTS_MUTANT(StartsWithStaleViews, {
  int c = As<StartCluster>(op)      ? As<StartCluster>(op)->cluster
          : As<ConnectorOnline>(op) ? As<ConnectorOnline>(op)->cluster
                                    : -1;
  if (c >= 0) {
    MutateOwn(out, [&](OutcomeT& o) {
      for (int r = 0; r < s.size; ++r) {
        if (r != c) o.next.view(c, r).state = ClusterState::kRunning;
      }
    });
  }
})

// lost_conn stays lost_conn after every heartbeat died.
HASPEC_GCO_EFFECTS_MUTANT(LostConnIgnoresHeartbeatLoss, {
  auto* d = PairOp<HeartbeatDead>(s, op);
  if (d && s.view(d->observer, d->remote).state == ClusterState::kLostConn) {
    MutateOwn(out, [&](OutcomeT& o) {
      o.next.view(d->observer, d->remote).state = ClusterState::kLostConn;
    });
  }
})

// A heartbeat coming back does not end lost_hb.
HASPEC_GCO_EFFECTS_MUTANT(HeartbeatReturnIgnored, {
  if (auto* h = PairOp<HeartbeatAlive>(s, op)) {
    MutateOwn(out, [&](OutcomeT& o) {
      if (o.rule == RuleId::kAsmHbReturns)
        o.next.view(h->observer, h->remote).state = ClusterState::kLostHb;
    });
  }
})

// A crashed cluster's connector keeps its views.
HASPEC_GCO_EFFECTS_MUTANT(CrashKeepsOwnViews, {
  if (auto* c = As<ClusterCrash>(op)) {
    MutateOwn(out, [&](OutcomeT& o) {
      o.next.clusters[c->cluster].views = s.clusters[c->cluster].views;
    });
  }
})

// Views of a failing-over connector keep their TCP connection.
HASPEC_GCO_EFFECTS_MUTANT(FailoverKeepsLinks, {
  if (auto* f = As<ConnectorFailover>(op)) {
    MutateOwn(out, [&](OutcomeT& o) {
      for (int obs = 0; obs < s.size; ++obs) {
        if (obs != f->cluster &&
            o.next.view(obs, f->cluster).state == ClusterState::kTransitioning) {
          o.next.view(obs, f->cluster).connected = s.view(obs, f->cluster).connected;
        }
      }
    });
  }
})

// A finished shutdown is not noticed by the other connectors.
HASPEC_GCO_EFFECTS_MUTANT(ExitForgetsObservers, {
  if (auto* e = As<ClusterExited>(op)) {
    MutateOwn(out, [&](OutcomeT& o) {
      for (int obs = 0; obs < s.size; ++obs) {
        if (obs != e->cluster) o.next.clusters[obs] = s.clusters[obs];
      }
    });
  }
})

#undef HASPEC_GCO_EFFECTS_MUTANT

// Connects with no heartbeat alive.
struct ConnectsWithoutHeartbeat : VcsGco {
  static void Refusals(const State& s, const Op& op, std::vector<RuleId>& out) {
    VcsGco::Refusals(s, op, out);
    if (As<Connect>(op)) Drop(out, RuleId::kPreHbAliveToConnect);
  }
  HASPEC_MACHINE_DERIVED(ConnectsWithoutHeartbeat)
};

// A stopped connector still records heartbeat reports.
struct DownConnectorStillHears : VcsGco {
  static void Refusals(const State& s, const Op& op, std::vector<RuleId>& out) {
    VcsGco::Refusals(s, op, out);
    if (As<HeartbeatAlive>(op) || As<HeartbeatDead>(op)) Drop(out, RuleId::kPreConnectorUp);
  }
  HASPEC_MACHINE_DERIVED(DownConnectorStillHears)
};

// A heartbeat "to itself" is accepted and recorded in a view nobody holds.
struct AcceptsSelfHeartbeat : VcsGco {
  static void Refusals(const State& s, const Op& op, std::vector<RuleId>& out) {
    VcsGco::Refusals(s, op, out);
    auto* h = As<HeartbeatAlive>(op);
    if (h && h->observer == h->remote) Drop(out, RuleId::kPreTwoClusters);
  }
  static void Effects(const State& s, const Op& op, std::vector<OutcomeT>& out) {
    auto* h = As<HeartbeatAlive>(op);
    if (!h || h->observer != h->remote || !s.HasCluster(h->observer)) {
      VcsGco::Effects(s, op, out);
      return;
    }
    State t = s;
    t.view(h->observer, h->remote).hb[static_cast<int>(h->heartbeat) % kMaxHeartbeats] =
        HbState::kHbAlive;
    out.push_back(Accepted(t, RuleId::kHeartbeatState));
  }
  HASPEC_MACHINE_DERIVED(AcceptsSelfHeartbeat)
};

// Observe: a remote cluster that is exiting is listed as RUNNING.
struct ObserveHidesExiting : VcsGco {
  static Observation Observe(const State& s) {
    Observation o = VcsGco::Observe(s);
    for (ClusterReport& rep : o.clusters) {
      for (auto& st : rep.remote) {
        if (st == ClusterState::kExiting) st = ClusterState::kRunning;
      }
    }
    return o;
  }
};

}  // namespace haspec::vcs_gco::mutants

#endif  // HASPEC_SUT_VCS_GCO_MUTANTS_H_
