// Targeted properties of the global cluster machine, one per documented rule
// (or per documented sequence that strings a few together). Each drives the
// clusters into the situation the document speaks of, then checks what it
// says. Templates over the machine type, so one body runs against the model
// (vcs_gco_test.cc) and against the mutants of sut/vcs_gco/mutants.h
// (vcs_gco_mutation_test.cc).
//
// HASPEC_GCO_PROPERTIES(X) lists them once: X(name).
#ifndef HASPEC_PROPERTIES_VCS_GCO_VCS_GCO_PROPERTIES_H_
#define HASPEC_PROPERTIES_VCS_GCO_VCS_GCO_PROPERTIES_H_

#include <string>
#include <utility>

#include "model/vcs_gco/vcs_gco.h"
#include "properties/core/harness.h"
#include "properties/core/stateful.h"

namespace haspec::vcs_gco::props {

using testing::Apply;
using testing::Checked;
using testing::GenTraceFrom;

#define HASPEC_GCO_PROPERTIES(X)                     \
  X(InvariantsHoldAfterEveryStep)                    \
  X(RemoteClusterJoinsThroughBuild)                  \
  X(ConnectNeedsALiveHeartbeat)                      \
  X(EventsNeedTheObserversConnector)                 \
  X(LosingEveryHeartbeatMakesLostHb)                 \
  X(SilentClusterIsInquiredAbout)                    \
  X(EveryAnswerDownMeansFaulted)                     \
  X(AnAnswerNotDownMeansUnknown)                     \
  X(ConnectorFailoverMakesViewsTransitioning)        \
  X(TransitioningViewRebuildsOnceTheConnectorIsBack) \
  X(GracefulShutdownIsAnnouncedAsExiting)            \
  X(ExitingBecomesExitedWhenTheConnectionDrops)      \
  X(ConnectionLossWithHeartbeatsAliveIsLostConn)     \
  X(HeartbeatReportsSetTheHeartbeatState)            \
  X(StartedConnectorHoldsEveryRemoteAtInit)          \
  X(EventsNameTwoDifferentClusters)                  \
  X(HeartbeatBackDuringInquiryIsNeverFaulted)        \
  X(ObservationShowsEveryView)

template <class M>
using S = typename M::State;

inline std::uint8_t U8(int v) { return static_cast<std::uint8_t>(v); }
inline Heartbeat Hb(int h) { return static_cast<Heartbeat>(h); }

// The properties run on three clusters, each observing the others, with
// both heartbeats: the documents' sequences need a third cluster to answer
// inquiries and two heartbeats for "all heartbeats lost".
inline constexpr int kClusters = 3;
inline constexpr int kHeartbeats = 2;
inline Config PropConfig() {
  Config c;
  c.heartbeats = 3;
  c.observers = 7;
  return c;
}
template <class M>
typename M::State Init() {
  return M::Initial(PropConfig());
}
inline std::string ClusterName(int c) { return PropConfig().nodes.Name(c); }

// A random (observer, remote) pair of different clusters.
inline std::pair<int, int> GenPair() {
  int o = *rc::gen::inRange(0, kClusters);
  int r = (o + *rc::gen::inRange(1, kClusters)) % kClusters;
  return {o, r};
}

// The cluster that is neither a nor b.
inline int Third(int a, int b) {
  for (int c = 0; c < kClusters; ++c) {
    if (c != a && c != b) return c;
  }
  return -1;
}

// Brings the view (o, r) from init to running over heartbeat h.
template <class M>
S<M> Join(S<M> s, int o, int r, int h = 0) {
  s = Apply<M>(s, HeartbeatAlive{U8(o), U8(r), Hb(h)}).next;
  s = Apply<M>(s, Connect{U8(o), U8(r)}).next;
  return Apply<M>(s, SnapshotDone{U8(o), U8(r)}).next;
}

// Every cluster sees every other one running, over heartbeat Icmp.
template <class M>
S<M> Mesh() {
  S<M> s = Init<M>();
  for (int o = 0; o < kClusters; ++o) {
    for (int r = 0; r < kClusters; ++r) {
      if (o != r) s = Join<M>(s, o, r);
    }
  }
  return s;
}

// Kills every heartbeat of (o, r), then drops its connection: lost_hb with
// no link, ready for inquiry. Both heartbeats are made alive first so that
// "all heartbeats HBDEAD" holds literally.
template <class M>
S<M> Silence(S<M> s, int o, int r) {
  for (int h = 0; h < kHeartbeats; ++h) s = Apply<M>(s, HeartbeatAlive{U8(o), U8(r), Hb(h)}).next;
  for (int h = 0; h < kHeartbeats; ++h) s = Apply<M>(s, HeartbeatDead{U8(o), U8(r), Hb(h)}).next;
  if (s.view(o, r).connected) s = Apply<M>(s, ConnectionLost{U8(o), U8(r)}).next;
  return s;
}

// Fails unless cluster o sees r in state `want` (and, if given, with the
// TCP connection up or down as `connected` says).
template <class M>
void ExpectView(const S<M>& s, int o, int r, ClusterState want, int connected = -1) {
  const View& v = s.view(o, r);
  if (v.state != want || (connected >= 0 && v.connected != (connected == 1))) {
    RC_FAIL(ClusterName(o) + " sees " + ClusterName(r) + " " +
            std::string(kClusterStateNames.Name(v.state)) +
            (v.connected ? " (connected)" : " (no link)") + ", expected " +
            std::string(kClusterStateNames.Name(want)) +
            (connected < 0 ? ""
             : connected   ? " (connected)"
                           : " (no link)") +
            " in " + M::Show(s));
  }
}

// What cluster o's operators see of r, via Observe.
template <class M>
std::optional<ClusterState> Seen(const S<M>& s, int o, int r) {
  return M::Observe(s).clusters[o].remote[r];
}

// Checked, and fails unless `op` was accepted (or refused) by `rule`.
template <class M>
typename M::OutcomeT ExpectStep(const S<M>& s, const Op& op, bool accepted, RuleId rule) {
  auto o = Checked<M>(s, op);
  if (o.accepted != accepted || o.rule != rule) {
    RC_FAIL(M::Show(op) + ": expected " + (accepted ? "accepted by " : "rejected by ") +
            std::string(RuleOf<M>(rule).id) + ", got " + testing::Verdict<M>(o) + "\n  in " +
            M::Show(s));
  }
  return o;
}

// ---------------------------------------------------------------------------

template <class M>
void InvariantsHoldAfterEveryStep() {
  const bool mesh = *rc::gen::arbitrary<bool>();
  testing::InvariantsHoldAfterEveryStep<M>(mesh ? Mesh<M>() : Init<M>());
}

// G1: INIT -> BUILD -> RUNNING.
template <class M>
void RemoteClusterJoinsThroughBuild() {
  auto [o, r] = GenPair();
  const int h = *rc::gen::inRange(0, kHeartbeats);
  S<M> s = Checked<M>(Init<M>(), HeartbeatAlive{U8(o), U8(r), Hb(h)}).next;
  ExpectView<M>(s, o, r, ClusterState::kInit, 0);
  auto c = ExpectStep<M>(s, Connect{U8(o), U8(r)}, true, RuleId::kJoinBuild);
  ExpectView<M>(c.next, o, r, ClusterState::kBuild, 1);
  auto d = ExpectStep<M>(c.next, SnapshotDone{U8(o), U8(r)}, true, RuleId::kSnapshotRunning);
  ExpectView<M>(d.next, o, r, ClusterState::kRunning, 1);
  RC_ASSERT(Seen<M>(d.next, o, r) == ClusterState::kRunning);
  // The other direction is another connector's view: still init.
  ExpectView<M>(d.next, r, o, ClusterState::kInit, 0);
}

template <class M>
void ConnectNeedsALiveHeartbeat() {
  auto [o, r] = GenPair();
  S<M> s = Init<M>();
  for (int h = 0; h < kHeartbeats; ++h) {
    if (*rc::gen::arbitrary<bool>()) s = Checked<M>(s, HeartbeatDead{U8(o), U8(r), Hb(h)}).next;
  }
  auto refused = ExpectStep<M>(s, Connect{U8(o), U8(r)}, false, RuleId::kPreHbAliveToConnect);
  RC_ASSERT(refused.next == s);
  const int h = *rc::gen::inRange(0, kHeartbeats);
  s = Checked<M>(s, HeartbeatAlive{U8(o), U8(r), Hb(h)}).next;
  ExpectStep<M>(s, Connect{U8(o), U8(r)}, true, RuleId::kJoinBuild);
}

template <class M>
void EventsNeedTheObserversConnector() {
  auto [o, r] = GenPair();
  S<M> s = Mesh<M>();
  const int how = *rc::gen::inRange(0, 3);
  if (how == 0) s = Checked<M>(s, ClusterCrash{U8(o)}).next;
  if (how == 1) s = Checked<M>(Checked<M>(s, StopCluster{U8(o)}).next, ClusterExited{U8(o)}).next;
  if (how == 2) s = Checked<M>(s, ConnectorFailover{U8(o)}).next;
  const int h = *rc::gen::inRange(0, kHeartbeats);
  const Op ops[] = {HeartbeatAlive{U8(o), U8(r), Hb(h)},
                    HeartbeatDead{U8(o), U8(r), Hb(h)},
                    Connect{U8(o), U8(r)},
                    SnapshotDone{U8(o), U8(r)},
                    ConnectionLost{U8(o), U8(r)},
                    Inquire{U8(o), U8(r)},
                    InquiryAnswers{U8(o), U8(r), 0}};
  for (const Op& op : ops) {
    auto x = ExpectStep<M>(s, op, false, RuleId::kPreConnectorUp);
    RC_ASSERT(x.next == s);
  }
  const ClusterReport rep = M::Observe(s).clusters[o];
  if (how == 2) {  // HAD still answers while the connector moves
    RC_ASSERT(rep.reporting == true);
    for (int x = 0; x < kClusters; ++x) {
      if (x == o) continue;
      RC_ASSERT(rep.remote[x] == ClusterState::kInit);
      for (int k = 0; k < kHeartbeats; ++k) RC_ASSERT(rep.hb[x][k] == HbState::kHbUnknown);
    }
  } else {
    RC_ASSERT(rep.reporting == false);
    RC_ASSERT(!rep.local);
  }
}

// G2/G3, first step: RUNNING -> LOST_HB once every heartbeat is HBDEAD.
template <class M>
void LosingEveryHeartbeatMakesLostHb() {
  auto [o, r] = GenPair();
  S<M> s = Mesh<M>();
  for (int h = 0; h < kHeartbeats; ++h) s = Checked<M>(s, HeartbeatAlive{U8(o), U8(r), Hb(h)}).next;
  const int first = *rc::gen::inRange(0, kHeartbeats);
  for (int i = 0; i < kHeartbeats; ++i) {
    const int h = (first + i) % kHeartbeats;
    const bool last = i + 1 == kHeartbeats;
    auto d = ExpectStep<M>(s, HeartbeatDead{U8(o), U8(r), Hb(h)}, true,
                           last ? RuleId::kAllHbLost : RuleId::kHeartbeatState);
    if (!last) {
      ExpectView<M>(d.next, o, r, ClusterState::kRunning, 1);
    } else {
      ExpectView<M>(d.next, o, r, ClusterState::kLostHb);
      RC_ASSERT(Seen<M>(d.next, o, r) == ClusterState::kLostHb);
    }
    s = d.next;
  }
}

// G2/G3, second step: LOST_HB -> INQUIRY.
template <class M>
void SilentClusterIsInquiredAbout() {
  auto [o, r] = GenPair();
  S<M> s = Silence<M>(Mesh<M>(), o, r);
  ExpectView<M>(s, o, r, ClusterState::kLostHb, 0);
  auto q = ExpectStep<M>(s, Inquire{U8(o), U8(r)}, true, RuleId::kInquiry);
  ExpectView<M>(q.next, o, r, ClusterState::kInquiry, 0);
  RC_ASSERT(Seen<M>(q.next, o, r) == ClusterState::kInquiry);
}

// Brings (o, r) to inquiry, the silent cluster r having crashed or not.
template <class M>
S<M> InInquiry(int o, int r) {
  S<M> s = Mesh<M>();
  if (*rc::gen::arbitrary<bool>()) s = Checked<M>(s, ClusterCrash{U8(r)}).next;
  s = Silence<M>(s, o, r);
  return Checked<M>(s, Inquire{U8(o), U8(r)}).next;
}

// G2: every answer says down -> FAULTED.
template <class M>
void EveryAnswerDownMeansFaulted() {
  auto [o, r] = GenPair();
  S<M> s = InInquiry<M>(o, r);
  ExpectView<M>(s, o, r, ClusterState::kInquiry);
  // Answers can only come from a third cluster, never from o or r.
  ExpectStep<M>(s, InquiryAnswers{U8(o), U8(r), U8(1u << r)}, false,
                RuleId::kPreAnswersFromConnected);
  auto a = ExpectStep<M>(s, InquiryAnswers{U8(o), U8(r), 0}, true, RuleId::kInquiryFaulted);
  ExpectView<M>(a.next, o, r, ClusterState::kFaulted, 0);
  RC_ASSERT(Seen<M>(a.next, o, r) == ClusterState::kFaulted);
}

// G3: some answer says not down -> UNKNOWN.
template <class M>
void AnAnswerNotDownMeansUnknown() {
  auto [o, r] = GenPair();
  S<M> s = InInquiry<M>(o, r);
  auto a = ExpectStep<M>(s, InquiryAnswers{U8(o), U8(r), U8(1u << Third(o, r))}, true,
                         RuleId::kInquiryUnknown);
  ExpectView<M>(a.next, o, r, ClusterState::kUnknown, 0);
  RC_ASSERT(Seen<M>(a.next, o, r) == ClusterState::kUnknown);
}

// G4, first step: RUNNING -> TRANSITIONING for every observer.
template <class M>
void ConnectorFailoverMakesViewsTransitioning() {
  const int r = *rc::gen::inRange(0, kClusters);
  auto f = ExpectStep<M>(Mesh<M>(), ConnectorFailover{U8(r)}, true, RuleId::kWacFailover);
  RC_ASSERT(f.next.clusters[r].local == Local::kTransitioning);
  for (int o = 0; o < kClusters; ++o) {
    if (o == r) continue;
    ExpectView<M>(f.next, o, r, ClusterState::kTransitioning, 0);
    RC_ASSERT(Seen<M>(f.next, o, r) == ClusterState::kTransitioning);
  }
}

// G4, rest: TRANSITIONING -> BUILD -> RUNNING once the connector is back.
template <class M>
void TransitioningViewRebuildsOnceTheConnectorIsBack() {
  auto [o, r] = GenPair();
  S<M> s = Checked<M>(Mesh<M>(), ConnectorFailover{U8(r)}).next;
  ExpectStep<M>(s, Connect{U8(o), U8(r)}, false, RuleId::kPrePeerConnector);
  auto up = ExpectStep<M>(s, ConnectorOnline{U8(r)}, true, RuleId::kStartAtInit);
  ExpectView<M>(up.next, o, r, ClusterState::kTransitioning, 0);
  auto c = ExpectStep<M>(up.next, Connect{U8(o), U8(r)}, true, RuleId::kFailoverRebuild);
  ExpectView<M>(c.next, o, r, ClusterState::kBuild, 1);
  auto d = ExpectStep<M>(c.next, SnapshotDone{U8(o), U8(r)}, true, RuleId::kSnapshotRunning);
  ExpectView<M>(d.next, o, r, ClusterState::kRunning, 1);
}

// G5, first step: RUNNING -> EXITING, and the cluster's own state EXITING.
template <class M>
void GracefulShutdownIsAnnouncedAsExiting() {
  const int r = *rc::gen::inRange(0, kClusters);
  auto x = ExpectStep<M>(Mesh<M>(), StopCluster{U8(r)}, true, RuleId::kExitNotice);
  RC_ASSERT(x.next.clusters[r].local == Local::kExiting);
  RC_ASSERT(M::Observe(x.next).clusters[r].local == Local::kExiting);
  for (int o = 0; o < kClusters; ++o) {
    if (o == r) continue;
    ExpectView<M>(x.next, o, r, ClusterState::kExiting, 1);
    RC_ASSERT(Seen<M>(x.next, o, r) == ClusterState::kExiting);
  }
}

// G5, second step: EXITING -> EXITED when the TCP connection is lost, both
// for one observer's connection and for the finished shutdown that drops
// them all. Every step is invariant-checked, so an exit that leaves an
// observer holding EXITING for a cluster that is gone fails here on every
// run, through GCO-INV-EXITING-MEANS-PEER-EXITING.
template <class M>
void ExitingBecomesExitedWhenTheConnectionDrops() {
  auto [o, r] = GenPair();
  S<M> s = Checked<M>(Mesh<M>(), StopCluster{U8(r)}).next;
  auto e = ExpectStep<M>(s, ClusterExited{U8(r)}, true, RuleId::kExited);
  for (int x = 0; x < kClusters; ++x) {
    if (x != r) ExpectView<M>(e.next, x, r, ClusterState::kExited, 0);
  }
  RC_ASSERT(M::Observe(e.next).clusters[r].reporting == false);
  auto l = ExpectStep<M>(s, ConnectionLost{U8(o), U8(r)}, true, RuleId::kExited);
  ExpectView<M>(l.next, o, r, ClusterState::kExited, 0);
  RC_ASSERT(Seen<M>(l.next, o, r) == ClusterState::kExited);
}

template <class M>
void ConnectionLossWithHeartbeatsAliveIsLostConn() {
  auto [o, r] = GenPair();
  S<M> s = Mesh<M>();
  const int other = *rc::gen::inRange(0, 3);  // IcmpS: unknown, alive or dead
  if (other == 1) s = Checked<M>(s, HeartbeatAlive{U8(o), U8(r), Hb(1)}).next;
  if (other == 2) s = Checked<M>(s, HeartbeatDead{U8(o), U8(r), Hb(1)}).next;
  auto l = ExpectStep<M>(s, ConnectionLost{U8(o), U8(r)}, true, RuleId::kConnLost);
  ExpectView<M>(l.next, o, r, ClusterState::kLostConn, 0);
  RC_ASSERT(Seen<M>(l.next, o, r) == ClusterState::kLostConn);
  RC_ASSERT(AnyAlive(l.next, l.next.view(o, r)));
}

template <class M>
void HeartbeatReportsSetTheHeartbeatState() {
  S<M> s = Mesh<M>();
  const int n = *rc::gen::inRange(1, 20);
  for (int i = 0; i < n; ++i) {
    auto [o, r] = GenPair();
    const int h = *rc::gen::inRange(0, kHeartbeats);
    const bool alive = *rc::gen::arbitrary<bool>();
    const Op op =
        alive ? Op{HeartbeatAlive{U8(o), U8(r), Hb(h)}} : Op{HeartbeatDead{U8(o), U8(r), Hb(h)}};
    auto x = Checked<M>(s, op);
    RC_ASSERT(x.accepted);
    const HbState want = alive ? HbState::kHbAlive : HbState::kHbDead;
    const HbState got = x.next.view(o, r).hb[h];
    const HbState shown = M::Observe(x.next).clusters[o].hb[r][h].value_or(HbState::kHbUnknown);
    if (got != want || shown != want) {
      RC_FAIL("after " + M::Show(op) + " the heartbeat is " + std::string(kHbStateNames.Name(got)) +
              " and shown as " + std::string(kHbStateNames.Name(shown)) + ", expected " +
              std::string(kHbStateNames.Name(want)));
    }
    s = x.next;
  }
}

template <class M>
void StartedConnectorHoldsEveryRemoteAtInit() {
  S<M> s = (*GenTraceFrom<M>(Mesh<M>())).last;
  const int c = *rc::gen::inRange(0, kClusters);
  const Local l = s.clusters[c].local;
  if (l != Local::kExited && l != Local::kFaulted) s = Checked<M>(s, ClusterCrash{U8(c)}).next;
  auto st = ExpectStep<M>(s, StartCluster{U8(c)}, true, RuleId::kStartAtInit);
  const ClusterReport rep = M::Observe(st.next).clusters[c];
  RC_ASSERT(rep.reporting == true);
  RC_ASSERT(rep.local == Local::kRunning);
  for (int r = 0; r < kClusters; ++r) {
    if (r == c) continue;
    ExpectView<M>(st.next, c, r, ClusterState::kInit, 0);
    RC_ASSERT(rep.remote[r] == ClusterState::kInit);
    for (HbState hb : st.next.view(c, r).hb) RC_ASSERT(hb == HbState::kHbUnknown);
  }
}

template <class M>
void EventsNameTwoDifferentClusters() {
  S<M> s = (*GenTraceFrom<M>(Mesh<M>())).last;
  const int o = *rc::gen::inRange(0, kClusters);
  const int bad = *rc::gen::inRange(kClusters, 256);
  const int h = *rc::gen::inRange(kMaxHeartbeats, 256);
  const std::pair<Op, RuleId> cases[] = {
      {HeartbeatAlive{U8(o), U8(o), Hb(0)}, RuleId::kPreTwoClusters},
      {HeartbeatDead{U8(o), U8((o + 1) % kClusters), Hb(h)}, RuleId::kPreHeartbeatConfigured},
      {Connect{U8(o), U8(o)}, RuleId::kPreTwoClusters},
      {Connect{U8(o), U8(bad)}, RuleId::kPreClusterConfigured},
      {Inquire{U8(bad), U8(o)}, RuleId::kPreClusterConfigured},
      {InquiryAnswers{U8(o), U8(o), 0}, RuleId::kPreTwoClusters},
      {StopCluster{U8(bad)}, RuleId::kPreClusterConfigured},
      {StartCluster{U8(bad)}, RuleId::kPreClusterConfigured}};
  for (const auto& [op, rule] : cases) {
    auto x = ExpectStep<M>(s, op, false, rule);
    RC_ASSERT(x.next == s);
  }
}

// Seed 002: faulted is "The remote cluster is down." A heartbeat that comes
// back during inquiry ends it (GCO-ASM-HEARTBEAT-RETURNS-IN-INQUIRY), and
// whatever answers follow, the view never becomes faulted while a
// heartbeat to the cluster is alive (GCO-STEP-FAULTED-ONLY-WHEN-SILENT,
// checked on every step by Checked).
template <class M>
void HeartbeatBackDuringInquiryIsNeverFaulted() {
  auto [o, r] = GenPair();
  S<M> s = InInquiry<M>(o, r);
  if (s.clusters[r].local != Local::kRunning) s = Checked<M>(s, StartCluster{U8(r)}).next;
  const int h = *rc::gen::inRange(0, kHeartbeats);
  auto back = Checked<M>(s, HeartbeatAlive{U8(o), U8(r), Hb(h)});
  for (unsigned mask = 0; mask < (1u << kClusters); ++mask) {
    auto a = Checked<M>(back.next, InquiryAnswers{U8(o), U8(r), U8(mask)});
    RC_ASSERT(a.next.view(o, r).state != ClusterState::kFaulted);
  }
  ExpectStep<M>(s, HeartbeatAlive{U8(o), U8(r), Hb(h)}, true, RuleId::kAsmHbReturnsInInquiry);
  ExpectView<M>(back.next, o, r, ClusterState::kLostConn, 0);
}

// The dumb twin of Observe: what each cluster's listings must show.
template <class M>
void ObservationShowsEveryView() {
  S<M> s = (*GenTraceFrom<M>(*rc::gen::arbitrary<bool>() ? Mesh<M>() : Init<M>())).last;
  const int c = *rc::gen::inRange(0, kClusters);
  if (s.clusters[c].local == Local::kRunning && *rc::gen::arbitrary<bool>()) {
    s = Apply<M>(s, StopCluster{U8(c)}).next;
  }
  const Observation obs = M::Observe(s);
  for (int o = 0; o < kClusters; ++o) {
    const Cluster& cl = s.clusters[o];
    const ClusterReport& rep = obs.clusters[o];
    const bool silent = cl.local == Local::kExited || cl.local == Local::kFaulted;
    RC_ASSERT(rep.reporting == !silent);
    if (silent) continue;
    RC_ASSERT(rep.local == cl.local);
    for (int r = 0; r < kClusters; ++r) {
      if (r == o) continue;
      if (rep.remote[r] != cl.views[r].state) {
        RC_FAIL(ClusterName(o) + " lists " + ClusterName(r) + " as " +
                std::string(kClusterStateNames.Name(rep.remote[r].value_or(ClusterState::kInit))) +
                " but its view is " + std::string(kClusterStateNames.Name(cl.views[r].state)) +
                " in " + M::Show(s));
      }
      for (int h = 0; h < kHeartbeats; ++h) RC_ASSERT(rep.hb[r][h] == cl.views[r].hb[h]);
    }
  }
}

}  // namespace haspec::vcs_gco::props

#endif  // HASPEC_PROPERTIES_VCS_GCO_VCS_GCO_PROPERTIES_H_
