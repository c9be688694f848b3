// Proof that the DSM properties can fail: each mutant of sut/dsm/mutants.h
// breaks one documented rule and must be caught by the property named next
// to it, with a shrunk counterexample. Then rule coverage: every rule of the
// catalogue is decided in a walk or a property, fires as an advisory, or is
// the rule a caught mutant breaks.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "engine/walk.h"
#include "properties/dsm/dsm_properties.h"
#include "sut/dsm/mutants.h"

namespace haspec::dsm {
namespace {

struct MutantCase {
  const char* mutant;
  const char* property;
  void (*killer)();
  std::vector<std::string> rules;  // rules the caught mutant breaks
};

void PrintTo(const MutantCase& c, std::ostream* os) { *os << c.mutant << " vs " << c.property; }

#define HASPEC_CASE(mutant, property, ...) \
  MutantCase{#mutant, #property, &props::property<mutants::mutant>, {__VA_ARGS__}}

const std::vector<MutantCase>& Cases() {
  static const std::vector<MutantCase> cases = {
      HASPEC_CASE(IgnoresLostSecondaries, AddDeletePromoteFailWhenAllSecondariesLost,
                  "DSM-PRE-ALL-SECONDARIES-LOST"),
      HASPEC_CASE(AddsDuringMaintenance, NoAddOrDeleteWhileANodeIsInMaintenance,
                  "DSM-PRE-MAINTENANCE-NO-ADD-DELETE"),
      HASPEC_CASE(OperatesOnHaConfigNode, NoOperationOnANodeInHaConfig,
                  "DSM-PRE-HA-CONFIG-NO-OPERATION", "DSM-PRE-ONE-RECONFIGURATION"),
      HASPEC_CASE(ReconfigurationNeverFails, FailedReconfigurationMakesSecondaryOutOfSync,
                  "DSM-TR-RECONFIG-FAIL-OUT-OF-SYNC"),
      HASPEC_CASE(OutOfSyncPrimary, FailedReconfigurationMakesSecondaryOutOfSync,
                  "DSM-INV-OUT-OF-SYNC-SECONDARY-ONLY"),
      HASPEC_CASE(DeletedNodeRejoins, DeletedNodeIsNeverRegisteredAgain,
                  "DSM-PRE-DELETED-NEVER-REJOINS"),
      HASPEC_CASE(DeletesFromAnywhere, DeleteOnlyThroughTheApiOnThePrimary,
                  "DSM-PRE-DELETE-API-ONLY", "DSM-PRE-DELETE-ON-PRIMARY"),
      HASPEC_CASE(PromoteKeepsOldPrimary, PromoteRunsOnTheStandbyAndRemovesTheOldPrimary,
                  "DSM-INV-ONE-PRIMARY", "DSM-TR-PROMOTE"),
      HASPEC_CASE(StandbyBeforePrimary, UpdatesGoPrimaryFirstThenOneStandbyAtATime,
                  "DSM-INV-STANDBY-NOT-AHEAD", "DSM-PRE-PRIMARY-FIRST"),
      HASPEC_CASE(SimultaneousUpdates, UpdatesGoPrimaryFirstThenOneStandbyAtATime,
                  "DSM-INV-ONE-NODE-UPDATING", "DSM-PRE-STANDBYS-SEQUENTIAL"),
      HASPEC_CASE(AgentsUpdateEarly, AgentsUpdateOnlyAfterEveryProviderNode,
                  "DSM-INV-AGENTS-AFTER-PROVIDERS", "DSM-PRE-AGENTS-AFTER-PROVIDERS"),
      HASPEC_CASE(ForwardsToAnyNode, LoadBalancerForwardsOnlyToActiveNodes,
                  "DSM-PRE-LB-ACTIVE-ONLY"),
      HASPEC_CASE(FifthNode, ClusterNeverGrowsBeyondFourNodes, "DSM-INV-CLUSTER-SIZE",
                  "DSM-PRE-CLUSTER-FULL"),
      HASPEC_CASE(OverlappingRollouts, RolloutsKeepOneVersion, "DSM-INV-ONE-VERSION"),
      HASPEC_CASE(OverlappingRollouts, StandbysRunThePrimarysVersion, "DSM-PRE-ONE-ROLLOUT"),
      HASPEC_CASE(UpdatesThroughLoadBalancer, UpdatesGoPrimaryFirstThenOneStandbyAtATime,
                  "DSM-PRE-UPDATE-NOT-VIA-LB"),
      HASPEC_CASE(UpdatesUnhealthyNode, UpdatesGoPrimaryFirstThenOneStandbyAtATime,
                  "DSM-PRE-UPDATE-ACTIVE-ONLY"),
      HASPEC_CASE(ReturnsToStandalone, NoReturnFromHaToStandalone,
                  "DSM-PRE-NO-RETURN-TO-STANDALONE"),
      HASPEC_CASE(MixedVersionJoin, StandbysRunThePrimarysVersion, "DSM-PRE-SAME-VERSION"),
      HASPEC_CASE(CriticalBeforeLostConnectivity, StatusFollowsTheDocumentedConditions,
                  "DSM-STATUS-PRECEDENCE", "DSM-STATUS-LOST-CONNECTIVITY"),
      HASPEC_CASE(ActiveDespiteServiceDown, StatusFollowsTheDocumentedConditions,
                  "DSM-STATUS-ACTIVE", "DSM-STATUS-CRITICAL"),
  };
  return cases;
}

class DsmMutant : public ::testing::TestWithParam<MutantCase> {};

TEST_P(DsmMutant, IsCaughtByItsProperty) {
  const MutantCase& c = GetParam();
  testing::RuleLog log;
  bool caught;
  {
    testing::RecordRules rec(log);
    caught = testing::Catches(std::string(c.mutant) + " vs " + c.property, c.killer);
  }
  EXPECT_TRUE(caught) << "property " << c.property << " did not catch mutant " << c.mutant;
  // An invariant is credited only if the failure was that invariant.
  for (const std::string& id : c.rules) {
    const Rule* r = FindRule(Dsm::Rules(), id);
    ASSERT_NE(r, nullptr) << "unknown rule " << id;
    if (r->kind == RuleKind::kInvariant) {
      EXPECT_TRUE(log.broken.count(id)) << c.property << " caught " << c.mutant
                                        << " but not through invariant " << id;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Mutants, DsmMutant, ::testing::ValuesIn(Cases()),
                         [](const auto& param_info) {
                           return std::string(param_info.param.mutant) + "_" + param_info.param.property;
                         });

// Every rule is exercised: decided by a step of a long random walk or of a
// targeted property, reported as an advisory, or broken by a caught mutant.
TEST(DsmRuleCoverage, EveryRuleIsExercised) {
  std::set<std::string> covered;
  WalkOptions opt;
  opt.seed = 1;
  opt.walks = 300;
  opt.steps = 200;
  auto walk = Walk<Dsm>(opt);
  ASSERT_FALSE(walk.violation) << walk.violation->finding.detail;
  for (std::size_t i = 0; i < Dsm::Rules().size(); ++i) {
    if (walk.decided[i] || walk.advised[i]) covered.insert(std::string(Dsm::Rules()[i].id));
  }
  testing::RuleLog log;
  {
    testing::RecordRules rec(log);
#define HASPEC_X(name) EXPECT_TRUE(rc::check(#name, &props::name<Dsm>));
    HASPEC_DSM_PROPERTIES(HASPEC_X)
#undef HASPEC_X
  }
  covered.insert(log.decided.begin(), log.decided.end());
  for (const MutantCase& c : Cases()) covered.insert(c.rules.begin(), c.rules.end());
  std::string missing;
  for (const Rule& r : Dsm::Rules()) {
    if (!covered.count(std::string(r.id))) missing += " " + std::string(r.id);
  }
  EXPECT_TRUE(missing.empty()) << "rules no property exercises:" << missing;
}

}  // namespace
}  // namespace haspec::dsm
