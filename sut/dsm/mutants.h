// Deliberately broken variants of the DSM model. Each breaks one documented
// rule the way a real implementation might; the property tests must catch
// every one (properties/dsm/dsm_mutation_test.cc). A mutant overrides
// Refusals, Effects or Observe and repeats HASPEC_MACHINE_DERIVED, so that
// Step, Outcomes and AnswersOf all give its mutated answers.
//
//   static_assert(haspec::Machine<haspec::dsm::mutants::IgnoresLostSecondaries>);
#ifndef HASPEC_SUT_DSM_MUTANTS_H_
#define HASPEC_SUT_DSM_MUTANTS_H_

#include <algorithm>
#include <variant>
#include <vector>

#include "model/dsm/dsm.h"

namespace haspec::dsm::mutants {

using OutcomeT = Dsm::OutcomeT;

template <class T>
const T* As(const Op& op) {
  return std::get_if<T>(&op);
}

// The model with the preconditions `Drop` removed: the shape of "skips one
// check". Effects compute what an op does regardless of preconditions, so
// the op then lands where the model would have landed it.
template <RuleId... Drop>
struct Dropping : Dsm {
  static void Refusals(const State& s, const Op& op, std::vector<RuleId>& out) {
    Dsm::Refusals(s, op, out);
    out.erase(std::remove_if(out.begin(), out.end(), [](RuleId r) { return ((r == Drop) || ...); }),
              out.end());
  }
  HASPEC_MACHINE_DERIVED(Dropping)
};

// Add, Delete and Promote go ahead with every Secondary lost.
using IgnoresLostSecondaries = Dropping<RuleId::kPreAllSecondariesLost>;
// Add and Delete go ahead while a node consumes an update.
using AddsDuringMaintenance = Dropping<RuleId::kPreMaintenanceNoAddDelete>;
// Operations on a node in HA Config in progress are accepted, and several
// reconfigurations run at once.
using OperatesOnHaConfigNode = Dropping<RuleId::kPreHaConfigNoOperation, RuleId::kPreOneReconfig>;
// A deleted node registers again.
using DeletedNodeRejoins = Dropping<RuleId::kPreDeletedNeverRejoins>;
// Delete accepted from the console or a Standby.
using DeletesFromAnywhere = Dropping<RuleId::kPreDeleteApiOnly, RuleId::kPreDeleteOnPrimary>;
// A Standby applies an update before the Primary has it.
using StandbyBeforePrimary = Dropping<RuleId::kPrePrimaryFirst>;
// Standbys update simultaneously.
using SimultaneousUpdates = Dropping<RuleId::kPreSequential>;
// Agents update before every Provider node does.
using AgentsUpdateEarly = Dropping<RuleId::kPreAgentsAfterProviders>;
// The load balancer forwards to nodes that are not Active.
using ForwardsToAnyNode = Dropping<RuleId::kPreLbActiveOnly>;
// A fifth node joins.
using FifthNode = Dropping<RuleId::kPreClusterFull>;
// A new release is taken before the last rollout finished.
using OverlappingRollouts = Dropping<RuleId::kPreOneRollout>;
// Updates staged and applied through the load balancer.
using UpdatesThroughLoadBalancer = Dropping<RuleId::kPreUpdateNotViaLb>;
// A node that is not Active consumes an update.
using UpdatesUnhealthyNode = Dropping<RuleId::kPreUpdateActiveOnly>;
// A VM on another release joins as Standby.
using MixedVersionJoin = Dropping<RuleId::kPreSameVersion>;
// The Primary can fall behind and show Out of Sync.
using OutOfSyncPrimary = Dropping<RuleId::kPreFallBehindSecondary>;

// Reports only the first reason an op is refused, as a checker that stops
// at the first failed guard would.
struct FirstReasonOnly : Dsm {
  static void Refusals(const State& s, const Op& op, std::vector<RuleId>& out) {
    const std::size_t first = out.size();
    Dsm::Refusals(s, op, out);
    if (out.size() > first + 1) out.resize(first + 1);
  }
  HASPEC_MACHINE_DERIVED(FirstReasonOnly)
};

// A VM that comes back up restarts every service, as its own answer (the
// documents allow it; the model assumes otherwise).
struct NodeUpRestartsServices : Dsm {
  static void Effects(const State& s, const Op& op, std::vector<OutcomeT>& out) {
    const std::size_t first = out.size();
    Dsm::Effects(s, op, out);
    auto* u = As<NodeUp>(op);
    if (!u || out.size() <= first) return;
    out.resize(first + 1);
    out[first].next.nodes[u->node].services_down = 0;
    out[first].rule = RuleId::kServiceRestored;
  }
  HASPEC_MACHINE_DERIVED(NodeUpRestartsServices)
};

// A failed reconfiguration leaves the Secondary looking healthy.
struct ReconfigurationNeverFails : Dsm {
  static void Effects(const State& s, const Op& op, std::vector<OutcomeT>& out) {
    if (As<FinishHaConfig>(op)) return Dsm::Effects(s, FinishHaConfig{0}, out);
    if (auto* d = As<DeleteStandby>(op)) {
      return Dsm::Effects(s, DeleteStandby{d->node, d->channel, 0}, out);
    }
    if (auto* p = As<Promote>(op)) return Dsm::Effects(s, Promote{p->node, p->run_on, 0}, out);
    Dsm::Effects(s, op, out);
  }
  HASPEC_MACHINE_DERIVED(ReconfigurationNeverFails)
};

// Promote keeps the old Primary in the cluster as a second Primary.
struct PromoteKeepsOldPrimary : Dsm {
  static void Effects(const State& s, const Op& op, std::vector<OutcomeT>& out) {
    const std::size_t first = out.size();
    Dsm::Effects(s, op, out);
    if (!As<Promote>(op)) return;
    for (std::size_t k = first; k < out.size(); ++k) {
      for (int i = 0; i < s.slots; ++i) {
        if (s.nodes[i].life == Life::kMember && s.nodes[i].role == Role::kPrimary) {
          out[k].next.nodes[i] = s.nodes[i];
        }
      }
    }
  }
  HASPEC_MACHINE_DERIVED(PromoteKeepsOldPrimary)
};

// HA mode switched back to standalone.
struct ReturnsToStandalone : Dsm {
  static void Refusals(const State& s, const Op& op, std::vector<RuleId>& out) {
    Dsm::Refusals(s, op, out);
    std::erase(out, RuleId::kPreNoReturnToStandalone);
  }
  static void Effects(const State& s, const Op& op, std::vector<OutcomeT>& out) {
    auto* r = As<ReturnToStandalone>(op);
    if (!r || r->node >= s.slots || s.nodes[r->node].life != Life::kMember) {
      return Dsm::Effects(s, op, out);
    }
    State t = s;
    t.nodes[r->node].role = Role::kStandalone;
    out.push_back(Accepted(t, RuleId::kRestoreFromBackup));
  }
  HASPEC_MACHINE_DERIVED(ReturnsToStandalone)
};

// Observe: Critical shown over Lost Connectivity (precedence broken).
struct CriticalBeforeLostConnectivity : Dsm {
  static Observation Observe(const State& s) {
    Observation o = Dsm::Observe(s);
    for (int i = 0; i < s.slots; ++i) {
      NodeObs& v = o.nodes[i];
      const Node& n = s.nodes[i];
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
    for (NodeObs& v : o.nodes) {
      if (v.status == Status::kCritical) v.status = Status::kActiveMode;
    }
    return o;
  }
};

// Observe: /appliance/status reports a down service as ACTIVE.
struct HidesDownService : Dsm {
  static Observation Observe(const State& s) {
    Observation o = Dsm::Observe(s);
    for (NodeObs& v : o.nodes) {
      for (auto& x : v.services) {
        if (x) x = ServiceState::kActive;
      }
    }
    return o;
  }
};

// Observe: a deleted node stays listed by /appliance/provider-ha-nodes.
struct ListsRetiredNodes : Dsm {
  static Observation Observe(const State& s) {
    Observation o = Dsm::Observe(s);
    for (int i = 0; i < s.slots; ++i) {
      if (s.nodes[i].life == Life::kRetired) {
        o.nodes[i].listed = true;
        o.nodes[i].role = Role::kSecondary;
        o.nodes[i].status = Status::kLostConnectivity;
      }
    }
    return o;
  }
};

}  // namespace haspec::dsm::mutants

#endif  // HASPEC_SUT_DSM_MUTANTS_H_
