// The generic engines over every registered machine: the bounded fuzz
// decoder, and the trace runner's split between violations (documented
// rules) and departures (assumption rules) under both profiles.
#include <gtest/gtest.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/consistent.h"
#include "engine/op_decoder.h"
#include "engine/rng.h"
#include "engine/run.h"
#include "model/registry.h"

namespace haspec {
namespace {

template <Machine M>
void DecoderStaysInDomain() {
  SCOPED_TRACE(std::string(M::kName));
  const auto nodes = M::DefaultConfig().nodes;
  Rng rng(5);
  std::set<std::size_t> types;
  std::vector<std::uint8_t> bytes;
  for (int round = 0; round < 3000; ++round) {
    bytes.resize(rng.Below(64));
    for (auto& b : bytes) b = static_cast<std::uint8_t>(rng.Next());
    ByteReader in(bytes.data(), bytes.size());
    for (const auto& op : DecodeOps<typename M::Op>(in, nodes, 32)) {
      ASSERT_TRUE(InDomain(op, nodes)) << M::Show(op, nodes);
      types.insert(op.index());
    }
  }
  EXPECT_EQ(types.size(), std::variant_size_v<typename M::Op>) << "some op type is never decoded";
  ByteReader empty(nullptr, 0);
  EXPECT_TRUE((DecodeOps<typename M::Op>(empty, nodes, 32).empty()));
}

TEST(OpDecoder, EveryDecodedOpIsInItsDomainAndEveryTypeIsReachable) {
  ForEachMachine([]<Machine M>() { DecoderStaysInDomain<M>(); });
}

// A walk prefix, and an op after it, whose refusals pass `want`.
template <Machine M, class Pred>
std::optional<OpTrace<M>> FindCase(Pred want, int tries = 30) {
  const auto config = M::DefaultConfig();
  std::vector<typename M::Op> all, cand;
  ForEachOp<typename M::Op>(config.nodes, [&](const auto& op) { all.push_back(op); });
  Rng rng(17);
  std::vector<typename M::RuleId> why;
  for (int w = 0; w < tries; ++w) {
    OpTrace<M> t;
    auto s = M::Initial(config);
    for (int i = 0; i < 40; ++i) {
      for (const auto& op : all) {
        why.clear();
        M::Refusals(s, op, why);
        if (want(s, op, why)) {
          t.ops.push_back(op);
          return t;
        }
      }
      cand.clear();
      M::CandidateOps(s, cand);
      const auto& op = cand[rng.Below(cand.size())];
      auto o = M::Step(s, op);
      if (!o.accepted) continue;
      t.ops.push_back(op);
      s = o.next;
    }
  }
  return std::nullopt;
}

template <Machine M>
void Finish(OpTrace<M>& t, const std::string& last_expect) {
  t.lines.clear();
  t.expects.assign(t.ops.size(), "");
  for (std::size_t i = 0; i < t.ops.size(); ++i) t.lines.push_back(static_cast<int>(i) + 1);
  t.expects.back() = last_expect;
}

// Expecting acceptance where only assumption preconditions refuse is a
// departure: it fails the full profile, and is a warning (the run follows
// the expected answer) under the documented-only profile.
template <Machine M>
void AssumedRefusalIsADeparture() {
  SCOPED_TRACE(std::string(M::kName));
  auto t = FindCase<M>([](const auto&, const auto&, const auto& why) {
    if (why.empty()) return false;
    for (auto r : why) {
      if (IsDocumented(RuleOf<M>(r))) return false;
    }
    return true;
  });
  if (!t) GTEST_SKIP() << M::kName << " has no op refused by assumption rules alone";
  Finish(*t, "accepted");
  auto full = RunOps<M>(M::DefaultConfig(), *t, {.profile = Profile::kFull});
  EXPECT_TRUE(full.failed);
  EXPECT_EQ(full.violations, 0u);
  EXPECT_EQ(full.departures, 1u);
  auto doc = RunOps<M>(M::DefaultConfig(), *t, {.profile = Profile::kDocumentedOnly});
  EXPECT_FALSE(doc.failed) << "a departure failed the documented-only profile";
  EXPECT_EQ(doc.departures, 1u);
  EXPECT_EQ(doc.accepted, t->ops.size()) << "the run did not follow the expected answer";
}

// Expecting refusal where a documented precondition does not refuse and a
// documented rule accepts is a violation under both profiles; --keep-going
// goes on past it.
template <Machine M>
void DocumentedAcceptanceIsAViolation() {
  SCOPED_TRACE(std::string(M::kName));
  auto t = FindCase<M>([](const auto& s, const auto& op, const auto& why) {
    return why.empty() && IsDocumented(RuleOf<M>(M::Step(s, op).rule));
  });
  if (!t) GTEST_SKIP() << M::kName << " has no op accepted by a documented rule";
  Finish(*t, "rejected");
  t->ops.push_back(t->ops.back());
  t->lines.push_back(t->lines.back() + 1);
  t->expects.push_back("");
  for (Profile p : {Profile::kFull, Profile::kDocumentedOnly}) {
    auto r = RunOps<M>(M::DefaultConfig(), *t, {.profile = p});
    EXPECT_TRUE(r.failed);
    EXPECT_GE(r.violations, 1u);
    EXPECT_TRUE(r.stopped_early);
    EXPECT_EQ(r.steps, t->ops.size() - 1);
    auto k = RunOps<M>(M::DefaultConfig(), *t, {.profile = p, .keep_going = true});
    EXPECT_EQ(k.steps, t->ops.size());
    EXPECT_FALSE(k.stopped_early);
  }
}

TEST(RunOps, ExpectingWhatOnlyAnAssumptionForbidsIsADeparture) {
  ForEachMachine([]<Machine M>() { AssumedRefusalIsADeparture<M>(); });
}

TEST(RunOps, ExpectingRefusalOfADocumentedAcceptanceIsAViolation) {
  ForEachMachine([]<Machine M>() { DocumentedAcceptanceIsAViolation<M>(); });
}

// The consistent set follows the model's own answers and observations
// without losing the true state, and refuses an answer the documents do not
// allow, leaving the set as it was.
template <Machine M>
void ConsistentSetFollowsTheModel() {
  SCOPED_TRACE(std::string(M::kName));
  const auto config = M::DefaultConfig();
  Rng rng(23);
  std::vector<typename M::Op> cand;
  std::vector<typename M::RuleId> why;
  int mismatches_seen = 0;
  for (int w = 0; w < 20; ++w) {
    auto s = M::Initial(config);
    ConsistentSet<M> set({s});
    for (int i = 0; i < 40; ++i) {
      cand.clear();
      M::CandidateOps(s, cand);
      const auto op = cand[rng.Below(cand.size())];
      auto o = M::Step(s, op);
      why.clear();
      M::Refusals(s, op, why);
      Reply<M> reply{o.accepted, o.accepted ? std::nullopt : std::optional(why.back())};
      // The opposite answer, when the documents forbid it outright.
      std::vector<OutcomeOf<M>> answers;
      AnswersOf<M>(s, op, answers);
      bool opposite_allowed = false;
      for (const auto& a : answers) opposite_allowed |= a.accepted != o.accepted;
      if (!opposite_allowed && set.size() == 1) {
        const std::size_t before = set.size();
        auto bad = set.Answer(op, {.accepted = !o.accepted});
        EXPECT_EQ(bad.fit, Fit::kMismatch) << M::Show(op, config.nodes);
        EXPECT_FALSE(bad.why.empty());
        EXPECT_EQ(set.size(), before);
        ++mismatches_seen;
      }
      auto v = set.Answer(op, reply);
      ASSERT_NE(v.fit, Fit::kMismatch) << M::Show(op, config.nodes);
      s = o.next;
      EXPECT_EQ(set.See(M::Observe(s)).fit, Fit::kMatch);
      bool found = false;
      for (const auto& m : set.members()) found = found || (m.state == s && !m.departed);
      ASSERT_TRUE(found) << "the set lost the true state after " << M::Show(op, config.nodes);
    }
  }
  EXPECT_GT(mismatches_seen, 0);
}

TEST(ConsistentSet, FollowsTheModelAndRefusesForbiddenAnswers) {
  ForEachMachine([]<Machine M>() { ConsistentSetFollowsTheModel<M>(); });
}

}  // namespace
}  // namespace haspec
