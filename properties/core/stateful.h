// The generic RapidCheck stateful property: random op sequences drawn from
// CandidateOps, every invariant checked after every step. A failure prints
// the shrunk op list.
//
//   RC_GTEST_PROP(DsmProviderHa, InvariantsHoldAfterEveryStep, ()) {
//     haspec::testing::InvariantsHoldAfterEveryStep<Dsm>();
//   }
#ifndef HASPEC_PROPERTIES_CORE_STATEFUL_H_
#define HASPEC_PROPERTIES_CORE_STATEFUL_H_

#include <rapidcheck/state.h>

#include <memory>
#include <ostream>
#include <vector>

#include "properties/core/harness.h"

namespace haspec::testing {

// The model's own state is the RapidCheck model; the "system" here is the
// model again, so the property checks the model against its invariants. The
// gate reuses the command shape with a real SUT.
template <Machine M>
struct ModelUnderCheck {};

template <Machine M>
struct OpCommand : rc::state::Command<typename M::State, ModelUnderCheck<M>> {
  typename M::Op op;
  explicit OpCommand(typename M::Op o) : op(std::move(o)) {}

  // Models are total: any op may be applied in any state (it may be
  // rejected), so shrinking can drop commands freely.
  void checkPreconditions(const typename M::State&) const override {}

  void apply(typename M::State& s) const override { s = M::Step(s, op).next; }

  void run(const typename M::State& s, ModelUnderCheck<M>&) const override { Checked<M>(s, op); }

  void show(std::ostream& os) const override { os << M::Show(op); }
};

// From `start` (default: Initial()), random candidate ops; every invariant
// is checked after every step.
template <Machine M>
void InvariantsHoldAfterEveryStep(const typename M::State& start = M::Initial()) {
  ModelUnderCheck<M> sut;
  rc::state::check(start, sut, [](const typename M::State& s) {
    std::vector<typename M::Op> ops;
    M::CandidateOps(s, ops);
    return rc::gen::map(rc::gen::elementOf(ops), [](const typename M::Op& op) {
      return std::shared_ptr<const rc::state::Command<typename M::State, ModelUnderCheck<M>>>(
          std::make_shared<OpCommand<M>>(op));
    });
  });
}

}  // namespace haspec::testing

#endif  // HASPEC_PROPERTIES_CORE_STATEFUL_H_
