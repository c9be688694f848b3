// Deliberately broken variants of the DSM model. Each breaks one documented
// rule the way a real implementation might; the property tests must catch
// every one (properties/dsm/dsm_mutation_test.cc). They also serve as
// faulty systems under test for the gate.
//
//   static_assert(haspec::Machine<haspec::dsm::mutants::IgnoresLostSecondaries>);
#ifndef HASPEC_SUT_DSM_MUTANTS_H_
#define HASPEC_SUT_DSM_MUTANTS_H_

#include <variant>

#include "model/dsm/dsm.h"

namespace haspec::dsm::mutants {

using OutcomeT = Dsm::OutcomeT;

template <class T>
const T* As(const Op& op) {
  return std::get_if<T>(&op);
}

// Steps as if `patch` had been applied to the state, then puts back the
// fields `restore` names from the real state: the shape of "skips one check".
template <class Patch, class Restore>
OutcomeT StepPatched(const State& s, const Op& op, Patch patch, Restore restore) {
  State p = s;
  patch(p);
  OutcomeT o = Dsm::Step(p, op);
  if (!o.accepted) return Dsm::Step(s, op);
  for (int i = 0; i < kSlots; ++i) restore(o.next.nodes[i], s.nodes[i]);
  return o;
}

inline bool IsReconfiguration(const Op& op) {
  return As<AddStandby>(op) || As<DeleteStandby>(op) || As<Promote>(op);
}

// Add, Delete and Promote go ahead with every Secondary lost.
struct IgnoresLostSecondaries : Dsm {
  static OutcomeT Step(const State& s, const Op& op) {
    if (!IsReconfiguration(op)) return Dsm::Step(s, op);
    return StepPatched(
        s, op,
        [](State& p) {
          for (Node& n : p.nodes) { n.reachable = true; n.services_down &= ~kCoreServices; }
        },
        [](Node& out, const Node& in) {
          if (out.life == in.life) { out.reachable = in.reachable; out.services_down = in.services_down; }
        });
  }
};

// Add and Delete go ahead while a node consumes an update.
struct AddsDuringMaintenance : Dsm {
  static OutcomeT Step(const State& s, const Op& op) {
    if (!As<AddStandby>(op) && !As<DeleteStandby>(op)) return Dsm::Step(s, op);
    return StepPatched(
        s, op, [](State& p) { for (Node& n : p.nodes) n.updating = false; },
        [](Node& out, const Node& in) { if (out.life == in.life) out.updating = in.updating; });
  }
};

// Operations on a node in HA Config in progress are accepted.
struct OperatesOnHaConfigNode : Dsm {
  static OutcomeT Step(const State& s, const Op& op) {
    if (As<FinishHaConfig>(op) || As<AddStandby>(op)) return Dsm::Step(s, op);
    return StepPatched(
        s, op, [](State& p) { for (Node& n : p.nodes) n.ha_config = false; },
        [](Node& out, const Node& in) { if (out.life == in.life) out.ha_config = in.ha_config; });
  }
};

// A failed reconfiguration leaves the Secondary looking healthy.
struct ReconfigurationNeverFails : Dsm {
  static OutcomeT Step(const State& s, const Op& op) {
    if (As<FinishHaConfig>(op)) return Dsm::Step(s, FinishHaConfig{0});
    if (auto* d = As<DeleteStandby>(op)) return Dsm::Step(s, DeleteStandby{d->node, d->channel, 0});
    if (auto* p = As<Promote>(op)) return Dsm::Step(s, Promote{p->node, p->run_on, 0});
    return Dsm::Step(s, op);
  }
};

// The Primary can fall behind and show Out of Sync.
struct OutOfSyncPrimary : Dsm {
  static OutcomeT Step(const State& s, const Op& op) {
    auto* f = As<FallBehind>(op);
    if (!f || f->node >= kSlots || s.nodes[f->node].life != Life::kMember) return Dsm::Step(s, op);
    State t = s;
    t.nodes[f->node].out_of_sync = true;
    return {t, RuleId::kStatusOutOfSync, true};
  }
};

// A deleted node registers again.
struct DeletedNodeRejoins : Dsm {
  static OutcomeT Step(const State& s, const Op& op) {
    if (!As<AddStandby>(op)) return Dsm::Step(s, op);
    return StepPatched(
        s, op, [](State& p) { for (Node& n : p.nodes) if (n.life == Life::kRetired) n.life = Life::kFresh; },
        [](Node&, const Node&) {});
  }
};

// Delete accepted from the console or a Standby.
struct DeletesFromAnywhere : Dsm {
  static OutcomeT Step(const State& s, const Op& op) {
    if (auto* d = As<DeleteStandby>(op)) return Dsm::Step(s, DeleteStandby{d->node, Channel::kApiOnPrimary, d->failed});
    return Dsm::Step(s, op);
  }
};

// Promote keeps the old Primary in the cluster as a second Primary.
struct PromoteKeepsOldPrimary : Dsm {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = Dsm::Step(s, op);
    if (!As<Promote>(op) || !o.accepted) return o;
    for (int i = 0; i < kSlots; ++i) {
      if (s.nodes[i].life == Life::kMember && s.nodes[i].role == Role::kPrimary) o.next.nodes[i] = s.nodes[i];
    }
    return o;
  }
};

// A Standby applies an update before the Primary has it.
struct StandbyBeforePrimary : Dsm {
  static OutcomeT Step(const State& s, const Op& op) {
    if (!As<ApplyUpdate>(op)) return Dsm::Step(s, op);
    return StepPatched(
        s, op,
        [](State& p) { for (Node& n : p.nodes) if (n.role == Role::kPrimary) n.version = p.latest; },
        [](Node& out, const Node& in) { if (out.role == Role::kPrimary) out.version = in.version; });
  }
};

// Standbys update simultaneously.
struct SimultaneousUpdates : Dsm {
  static OutcomeT Step(const State& s, const Op& op) {
    if (!As<ApplyUpdate>(op)) return Dsm::Step(s, op);
    return StepPatched(
        s, op, [](State& p) { for (Node& n : p.nodes) n.updating = false; },
        [](Node& out, const Node& in) { out.updating = out.updating || in.updating; });
  }
};

// Agents update before every Provider node does.
struct AgentsUpdateEarly : Dsm {
  static OutcomeT Step(const State& s, const Op& op) {
    if (!As<UpdateAgents>(op) || s.agent_version >= s.latest) return Dsm::Step(s, op);
    State t = s;
    t.agent_version = s.latest;
    return {t, RuleId::kAgentUpdate, true};
  }
};

// The load balancer forwards to nodes that are not Active.
struct ForwardsToAnyNode : Dsm {
  static OutcomeT Step(const State& s, const Op& op) {
    auto* r = As<Request>(op);
    if (!r || r->node >= kSlots || s.nodes[r->node].life != Life::kMember) return Dsm::Step(s, op);
    OutcomeT o = Dsm::Step(s, op);
    if (!o.accepted && o.rule == RuleId::kPreLbActiveOnly) return {s, RuleId::kReadAnyNode, true};
    return o;
  }
};

// A fifth node joins.
struct FifthNode : Dsm {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = Dsm::Step(s, op);
    auto* a = As<AddStandby>(op);
    if (!a || o.accepted || o.rule != RuleId::kPreClusterFull) return o;
    State t = s;
    t.nodes[a->node].life = Life::kMember;
    t.nodes[a->node].role = Role::kSecondary;
    t.nodes[a->node].ha_config = true;
    return {t, RuleId::kAddStandby, true};
  }
};

// A new release is taken before the last rollout finished.
struct OverlappingRollouts : Dsm {
  static OutcomeT Step(const State& s, const Op& op) {
    if (!As<ReleaseUpdate>(op) || s.latest >= kMaxVersion) return Dsm::Step(s, op);
    State t = s;
    ++t.latest;
    return {t, RuleId::kRelease, true};
  }
};

// Updates staged and applied through the load balancer.
struct UpdatesThroughLoadBalancer : Dsm {
  static OutcomeT Step(const State& s, const Op& op) {
    if (auto* u = As<StageUpdate>(op)) return Dsm::Step(s, StageUpdate{u->node, Via::kNodeAddress});
    if (auto* u = As<ApplyUpdate>(op)) return Dsm::Step(s, ApplyUpdate{u->node, Via::kNodeAddress});
    return Dsm::Step(s, op);
  }
};

// A node that is not Active consumes an update.
struct UpdatesUnhealthyNode : Dsm {
  static OutcomeT Step(const State& s, const Op& op) {
    if (!As<StageUpdate>(op) && !As<ApplyUpdate>(op)) return Dsm::Step(s, op);
    return StepPatched(
        s, op,
        [](State& p) {
          for (Node& n : p.nodes) { n.services_down = 0; n.reachable = true; n.password_expired = false; n.out_of_sync = false; }
        },
        [](Node& out, const Node& in) {
          out.services_down = in.services_down; out.reachable = in.reachable;
          out.password_expired = in.password_expired; out.out_of_sync = in.out_of_sync;
        });
  }
};

// HA mode switched back to standalone.
struct ReturnsToStandalone : Dsm {
  static OutcomeT Step(const State& s, const Op& op) {
    OutcomeT o = Dsm::Step(s, op);
    if (!As<ReturnToStandalone>(op) || o.rule != RuleId::kPreNoReturnToStandalone) return o;
    State t = s;
    t.nodes[std::get<ReturnToStandalone>(op).node].role = Role::kStandalone;
    return {t, RuleId::kRestoreFromBackup, true};
  }
};

// A VM on another release joins as Standby.
struct MixedVersionJoin : Dsm {
  static OutcomeT Step(const State& s, const Op& op) {
    auto* a = As<AddStandby>(op);
    if (!a || a->node >= kSlots) return Dsm::Step(s, op);
    return StepPatched(
        s, op,
        [&](State& p) {
          for (const Node& n : p.nodes) {
            if (n.life == Life::kMember && n.role == Role::kPrimary) p.nodes[a->node].version = n.version;
          }
        },
        [&](Node& out, const Node& in) { if (&in == &s.nodes[a->node]) out.version = in.version; });
  }
};

// Observe: Critical shown over Lost Connectivity (precedence broken).
struct CriticalBeforeLostConnectivity : Dsm {
  static Observation Observe(const State& s) {
    Observation o = Dsm::Observe(s);
    for (NodeView& v : o.nodes) {
      const Node& n = s.nodes[v.node];
      if (v.status == Status::kLostConnectivity && (n.services_down & ~kCoreServices)) {
        v.status = Status::kCritical;
      }
    }
    return o;
  }
};

// Observe: a node with a non-core service down still shows Active Mode.
struct ActiveDespiteServiceDown : Dsm {
  static Observation Observe(const State& s) {
    Observation o = Dsm::Observe(s);
    for (NodeView& v : o.nodes) {
      if (v.status == Status::kCritical) v.status = Status::kActiveMode;
    }
    return o;
  }
};

}  // namespace haspec::dsm::mutants

#endif  // HASPEC_SUT_DSM_MUTANTS_H_
