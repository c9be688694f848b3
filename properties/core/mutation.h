// Mutation and rule-coverage tests, shared by every machine.
//
// A MutantCase names a broken variant of a model (sut/<machine>/mutants.h),
// the property that must catch it, and the rules the mutant breaks. A mutant
// that breaks an invariant must be caught *through* that invariant.
//
//   const std::vector<MutantCase>& Cases() {
//     static const std::vector<MutantCase> cases = {
//         HASPEC_MUTANT_CASE(FifthNode, ClusterNeverGrowsBeyondFourNodes,
//                            "DSM-INV-CLUSTER-SIZE"),
//     };
//     return cases;
//   }
//   class DsmMutant : public ::testing::TestWithParam<MutantCase> {};
//   TEST_P(DsmMutant, IsCaughtByItsProperty) { ExpectCaught<Dsm>(GetParam()); }
//   HASPEC_INSTANTIATE_MUTANTS(DsmMutant, Cases());
//   TEST(DsmRuleCoverage, EveryRuleIsExercised) {
//     ExpectEveryRuleExercised<Dsm>(Cases(), {HASPEC_DSM_PROPERTIES(HASPEC_PROPERTY_ENTRY)});
//   }
//
// HASPEC_MUTANT_CASE expects `props::` (the property templates) and
// `mutants::` (the mutant types) to name the machine's namespaces.
#ifndef HASPEC_PROPERTIES_CORE_MUTATION_H_
#define HASPEC_PROPERTIES_CORE_MUTATION_H_

#include <gtest/gtest.h>

#include <ostream>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "engine/walk.h"
#include "properties/core/harness.h"

namespace haspec::testing {

struct MutantCase {
  const char* mutant;
  const char* property;
  void (*killer)();
  std::vector<std::string> rules;  // rules the caught mutant breaks
};

inline void PrintTo(const MutantCase& c, std::ostream* os) {
  *os << c.mutant << " vs " << c.property;
}

#define HASPEC_MUTANT_CASE(mutant, property, ...)                            \
  ::haspec::testing::MutantCase {                                            \
#mutant, #property, &props::property < mutants::mutant>, { __VA_ARGS__ } \
  }

// A property of the model, by name, for the coverage run.
struct NamedProperty {
  const char* name;
  void (*fn)();
};
// Use inside a machine's property X-macro list: {name, &props::name<M>},
// with `MachineUnderTest` aliased to the machine type.
#define HASPEC_PROPERTY_ENTRY(name) \
  ::haspec::testing::NamedProperty{#name, &props::name<MachineUnderTest>},

#define HASPEC_INSTANTIATE_MUTANTS(fixture, cases)                                     \
  INSTANTIATE_TEST_SUITE_P(                                                            \
      Mutants, fixture, ::testing::ValuesIn(cases), [](const auto& param_info) {       \
        return std::string(param_info.param.mutant) + "_" + param_info.param.property; \
      })

// The body of a mutant test: the property must find a counterexample, and
// an invariant the mutant is said to break must be the one that failed.
// Returns the rules of the case that the counterexample exercised: decided
// by one of its steps, or (invariants) broken by it.
template <Machine M>
std::set<std::string> ExpectCaught(const MutantCase& c) {
  RuleLog failing;
  bool caught = Catches(std::string(c.mutant) + " vs " + c.property, c.killer, &failing);
  EXPECT_TRUE(caught) << "property " << c.property << " did not catch mutant " << c.mutant;
  std::set<std::string> exercised;
  for (const std::string& id : c.rules) {
    const Rule* r = FindRule(M::Rules(), id);
    EXPECT_NE(r, nullptr) << "unknown rule " << id;
    if (r == nullptr) continue;
    if (r->kind == RuleKind::kInvariant) {
      EXPECT_TRUE(failing.broken.count(id))
          << c.property << " caught " << c.mutant << " but not through invariant " << id;
      if (failing.broken.count(id)) exercised.insert(id);
    } else if (failing.decided.count(id)) {
      exercised.insert(id);
    }
  }
  return exercised;
}

// Every rule of M is exercised: decided by a step of a long random walk or
// of a property, reported as an advisory, or decided / broken by a step of
// a caught mutant's counterexample.
template <Machine M>
void ExpectEveryRuleExercised(const std::vector<MutantCase>& cases,
                              const std::vector<NamedProperty>& properties,
                              WalkOptions walk_options = {.seed = 1, .walks = 300, .steps = 300}) {
  std::set<std::string> covered;
  auto walk = Walk<M>(walk_options);
  ASSERT_FALSE(walk.violation) << walk.violation->finding.detail;
  for (std::size_t i = 0; i < M::Rules().size(); ++i) {
    if (walk.coverage.Exercised(i)) covered.insert(std::string(M::Rules()[i].id));
  }
  RuleLog log;
  {
    RecordRules rec(log);
    for (const NamedProperty& p : properties) EXPECT_TRUE(rc::check(p.name, p.fn)) << p.name;
  }
  covered.insert(log.decided.begin(), log.decided.end());
  // A mutant case counts only for the rules its counterexample exercised.
  for (const MutantCase& c : cases) {
    RuleLog failing;
    if (Catches(std::string(c.mutant) + " vs " + c.property + " (coverage)", c.killer, &failing)) {
      for (const std::string& id : c.rules) {
        if (failing.decided.count(id) || failing.broken.count(id)) covered.insert(id);
      }
    }
  }
  std::string missing;
  for (const Rule& r : M::Rules()) {
    if (!covered.count(std::string(r.id))) missing += " " + std::string(r.id);
  }
  EXPECT_TRUE(missing.empty()) << "rules no property exercises:" << missing;
}

}  // namespace haspec::testing

#endif  // HASPEC_PROPERTIES_CORE_MUTATION_H_
