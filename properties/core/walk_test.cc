// The random-walk engine behind `haspec check`: deterministic per seed, and
// able to fail: on a broken model it stops at the first broken invariant
// with a trace that replays to the offending state.
#include "engine/walk.h"

#include <gtest/gtest.h>

#include "model/dsm/dsm.h"
#include "sut/dsm/mutants.h"

namespace haspec {
namespace {

using dsm::Dsm;

TEST(Walk, SameSeedSameWalks) {
  WalkOptions opt{.seed = 9, .walks = 50, .steps = 100};
  auto a = Walk<Dsm>(opt), b = Walk<Dsm>(opt);
  EXPECT_EQ(a.coverage.steps, b.coverage.steps);
  EXPECT_EQ(a.coverage.decided, b.coverage.decided);
  EXPECT_EQ(a.coverage.premise, b.coverage.premise);
  EXPECT_EQ(a.coverage.status_moves, b.coverage.status_moves);
  opt.seed = 10;
  EXPECT_NE(Walk<Dsm>(opt).coverage.decided, a.coverage.decided);
}

// Coverage is non-vacuous: invariant premises are counted only where they
// hold, so they are fewer than the states visited, and statuses change.
TEST(Walk, CoverageCountsPremisesNotEvaluations) {
  auto r = Walk<Dsm>({.seed = 3, .walks = 50, .steps = 100});
  const Coverage& c = r.coverage;
  ASSERT_GT(c.states, 0u);
  std::uint64_t premises = 0, moves = 0;
  std::size_t vacuous_somewhere = 0;
  for (std::size_t i = 0; i < c.rules.size(); ++i) {
    if (c.rules[i]->kind != RuleKind::kInvariant) continue;
    premises += c.premise[i];
    vacuous_somewhere += c.premise[i] < c.states;
  }
  for (auto m : c.status_moves) moves += m;
  EXPECT_GT(premises, 0u);
  EXPECT_GT(vacuous_somewhere, 0u) << "every invariant premise held in every state";
  EXPECT_GT(moves, 0u) << "no status change recorded";
}

template <class M>
void ExpectCaught(std::string_view rule_id, const typename M::Config& config = M::DefaultConfig()) {
  WalkOptions opt{.seed = 1, .walks = 2000, .steps = 200};
  auto r = Walk<M>(opt, config);
  ASSERT_TRUE(r.violation.has_value()) << "the walk missed a broken " << rule_id;
  EXPECT_EQ(RuleOf<M>(r.violation->finding.rule).id, rule_id) << r.violation->finding.detail;
  typename M::State s = M::Initial(config);
  for (const auto& op : r.violation->trace) s = M::Step(s, op).next;
  EXPECT_EQ(s, r.violation->state) << "the reported trace does not replay to the reported state";
}

TEST(Walk, CatchesTwoPrimaries) {
  ExpectCaught<dsm::mutants::PromoteKeepsOldPrimary>("DSM-INV-ONE-PRIMARY");
}
TEST(Walk, CatchesFifthNode) {
  // Five members need five slots; the default configuration has three.
  dsm::Config five;
  five.nodes = Nodes::Numbered(5);
  ExpectCaught<dsm::mutants::FifthNode>("DSM-INV-CLUSTER-SIZE", five);
}
TEST(Walk, CatchesOutOfSyncPrimary) {
  ExpectCaught<dsm::mutants::OutOfSyncPrimary>("DSM-INV-OUT-OF-SYNC-SECONDARY-ONLY");
}

}  // namespace
}  // namespace haspec
