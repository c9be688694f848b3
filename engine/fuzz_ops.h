// The op-sequence fuzz targets (ops_<machine>, fuzz/): the model steps
// through the ops the input decodes to (engine/op_decoder.h), with every
// invariant and step rule checked after every accepted step; and the encoder the
// seeds are written with. Light on purpose (no gate, no RapidCheck): these
// targets run tens of thousands of times a second and are built often.
//
// Include only from .cc files: it pulls in nlohmann/json.hpp.
#ifndef HASPEC_ENGINE_FUZZ_OPS_H_
#define HASPEC_ENGINE_FUZZ_OPS_H_

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "engine/fuzz_common.h"
#include "engine/op_decoder.h"
#include "model/core/answers.h"
#include "model/core/machine.h"
#include "model/core/op_codec.h"

namespace haspec::fuzz {

// Longest op sequence one input decodes to: long enough for every bundled
// scenario (the longest has 31 ops), short enough that an exec stays cheap.
inline constexpr std::size_t kMaxOps = 96;
// ---------------------------------------------------------------------------
// Op sequences through the model.

// The encoder the decoder of engine/op_decoder.h inverts: EncodeOps then
// DecodeOps gives the same ops back (seeds from the bundled traces).
template <class Op>
void EncodeOp(const Op& op, const Nodes& nodes, std::vector<std::uint8_t>& out) {
  auto put = [&](std::uint64_t v, std::uint64_t bound) {
    // As many bytes as ByteReader::Below takes for `bound`, big-endian.
    int bytes = 0;
    std::uint64_t span = 1;
    do {
      ++bytes;
      span <<= 8;
    } while (span < bound && span != 0);
    for (int b = bytes - 1; b >= 0; --b) out.push_back(static_cast<std::uint8_t>(v >> (8 * b)));
  };
  put(op.index(), std::variant_size_v<Op>);
  std::visit(
      [&](const auto& o) {
        using T = std::remove_cvref_t<decltype(o)>;
        ForEachField<T>([&](const auto& f) {
          const std::size_t n = f.domain.Count(nodes);
          const auto value = f.Get(o);
          for (std::size_t i = 0; i < n; ++i) {
            if (f.domain.At(i, nodes) == value) {
              put(i, n);
              return;
            }
          }
          put(0, n);  // not in the domain: cannot happen for a decoded op
        });
      },
      op);
}

template <class Op>
std::vector<std::uint8_t> EncodeOps(const std::vector<Op>& ops, const Nodes& nodes) {
  std::vector<std::uint8_t> out;
  for (const auto& op : ops) EncodeOp(op, nodes, out);
  return out;
}

// Writes ops as a trace `haspec run` reads: the model's answers as
// "expect", so a replay shows where the sequence went.
template <CodecMachine M>
std::string FormatOps(const std::vector<typename M::Op>& ops, const typename M::Config& config,
                      const std::string& header) {
  std::ostringstream out;
  out << header;
  typename M::State s = M::Initial(config);
  for (const auto& op : ops) {
    auto o = M::Step(s, op);
    nlohmann::json j = OpToJson(op, config.nodes);
    j["expect"] = o.accepted ? "accepted" : std::string(RuleOf<M>(o.rule).id);
    out << j.dump() << "\n";
    if (o.accepted) s = std::move(o.next);
  }
  return out.str();
}

// The model steps through the ops `data` decodes to from Initial(config);
// the initial state's invariants are checked, then after every accepted step
// every invariant and step rule (a refused op leaves the state as it was). A broken rule
// (either profile: the model's own answers must keep them all) is a finding.
// Buffers are reused between execs: this runs tens of thousands of times a
// second.
template <CodecMachine M>
int OpSequence(const std::uint8_t* data, std::size_t size, const typename M::Config& config);

// With the machine's default configuration, built once: building it on every
// execution (node names are strings) cost an allocation per name per input.
template <CodecMachine M>
int OpSequence(const std::uint8_t* data, std::size_t size) {
  static const typename M::Config config = M::DefaultConfig();
  return OpSequence<M>(data, size, config);
}

// A finding: the rules broken after the last of `ops` (none: in the initial
// state), the sequence with the model's answers, and the trace written.
template <CodecMachine M>
[[noreturn]] void OpSequenceFinding(const std::uint8_t* data, std::size_t size,
                                    const typename M::Config& config,
                                    const std::vector<typename M::Op>& ops,
                                    const std::vector<FindingOf<M>>& findings,
                                    const typename M::State& reached) {
  std::ostringstream why;
  why << M::kName << ": "
      << (ops.empty() ? std::string("in the initial state")
                      : "after op " + std::to_string(ops.size()) + " of the sequence below")
      << ", " << (findings.size() == 1 ? "a rule is" : "rules are") << " broken:\n";
  for (const auto& f : findings) why << "  " << RuleOf<M>(f.rule).id << ": " << f.detail << "\n";
  why << "state: " << M::Show(reached, config.nodes) << "\nops:\n";
  typename M::State t = M::Initial(config);
  for (std::size_t i = 0; i < ops.size(); ++i) {
    auto a = M::Step(t, ops[i]);
    why << "  " << (i + 1) << ". " << M::Show(ops[i], config.nodes) << " -> "
        << (a.accepted ? "accepted" : "refused") << " (" << RuleOf<M>(a.rule).id << ")\n";
    if (a.accepted) t = std::move(a.next);
  }
  const std::string path = TracePath(M::kName, InputHash(data, size));
  WriteFile(path,
            FormatOps<M>(ops, config,
                         "# haspec fuzz finding: " + std::string(M::kName) + ": the model breaks " +
                             std::string(RuleOf<M>(findings.front().rule).id) +
                             (ops.empty() ? " in the initial state" : " after the last op") +
                             " (haspec run " + std::string(M::kName) + " <this file>)\n"));
  why << "trace: " << path << "\n";
  Fail(why.str());
}

template <CodecMachine M>
int OpSequence(const std::uint8_t* data, std::size_t size, const typename M::Config& config) {
  static thread_local std::vector<typename M::Op> ops;
  static thread_local std::vector<FindingOf<M>> findings;
  static thread_local std::vector<typename M::RuleId> refusals;
  static thread_local std::vector<OutcomeOf<M>> effects;
  ops.clear();
  findings.clear();
  ByteReader in(data, size);
  // The state and the one after it, swapped by pointer: a state is a few
  // hundred bytes, and each copy is checked byte by byte under ASan.
  typename M::State states[2] = {M::Initial(config), {}};
  typename M::State *s = &states[0], *next = &states[1];
  typename M::RuleId rule{};
  M::CheckInvariants(*s, findings, nullptr);
  if (!findings.empty()) OpSequenceFinding<M>(data, size, config, ops, findings, *s);
  while (ops.size() < kMaxOps) {
    auto op = DecodeOp<typename M::Op>(in, config.nodes);
    if (!op) break;
    ops.push_back(std::move(*op));
    // A refused op leaves the state as it was, and that state's invariants
    // held when it was reached: only an accepted step has anything new to
    // check (and a refusal copies no state).
    if (!StepInto<M>(*s, ops.back(), *next, rule, refusals, effects)) continue;
    CheckStep<M>(*s, ops.back(), *next, findings);
    if (!findings.empty()) OpSequenceFinding<M>(data, size, config, ops, findings, *next);
    std::swap(s, next);
  }
  return 0;
}

}  // namespace haspec::fuzz

#endif  // HASPEC_ENGINE_FUZZ_OPS_H_
