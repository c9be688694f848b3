// The random-walk engine behind `haspec check`: deterministic per seed, and
// able to fail: on a broken model it stops at the first broken invariant
// with a trace that replays to the offending state.
#include <gtest/gtest.h>

#include "engine/walk.h"
#include "model/dsm/dsm.h"
#include "sut/dsm/mutants.h"

namespace haspec {
namespace {

using dsm::Dsm;

TEST(Walk, SameSeedSameWalks) {
  WalkOptions opt{.seed = 9, .walks = 50, .steps = 100};
  auto a = Walk<Dsm>(opt), b = Walk<Dsm>(opt);
  EXPECT_EQ(a.steps, b.steps);
  EXPECT_EQ(a.decided, b.decided);
  EXPECT_EQ(a.advised, b.advised);
  opt.seed = 10;
  EXPECT_NE(Walk<Dsm>(opt).decided, a.decided);
}

template <class M>
void ExpectCaught(std::string_view rule_id) {
  WalkOptions opt{.seed = 1, .walks = 2000, .steps = 200};
  auto r = Walk<M>(opt);
  ASSERT_TRUE(r.violation.has_value()) << "the walk missed a broken " << rule_id;
  EXPECT_EQ(RuleOf<M>(r.violation->finding.rule).id, rule_id) << r.violation->finding.detail;
  typename M::State s = M::Initial();
  for (const auto& op : r.violation->trace) s = M::Step(s, op).next;
  EXPECT_EQ(s, r.violation->state) << "the reported trace does not replay to the reported state";
}

TEST(Walk, CatchesTwoPrimaries) { ExpectCaught<dsm::mutants::PromoteKeepsOldPrimary>("DSM-INV-ONE-PRIMARY"); }
TEST(Walk, CatchesFifthNode) { ExpectCaught<dsm::mutants::FifthNode>("DSM-INV-CLUSTER-SIZE"); }
TEST(Walk, CatchesOutOfSyncPrimary) {
  ExpectCaught<dsm::mutants::OutOfSyncPrimary>("DSM-INV-OUT-OF-SYNC-SECONDARY-ONLY");
}

}  // namespace
}  // namespace haspec
