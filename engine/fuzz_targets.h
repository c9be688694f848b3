// What haspec's fuzz targets (fuzz/) do with the bytes libFuzzer hands them,
// generic over the Machine concept: a target file picks the machine (or a
// planted mutant of it) and calls one of these, nothing more.
//
//   OpSequence<Dsm>(data, size)              model steps through decoded ops;
//                                            every invariant and step rule
//                                            after every step
//   Differential<Dsm>(data, size, reference) the model (documented-only, as
//                                            the gate) against an in-process
//                                            reference implementation
//   CodecRoundTrip<Dsm>(data, size)          observation / state / config JSON
//   OpTraceRoundTrip<Dsm>(data, size)        the op trace reader
//
// A finding prints what happened readably on stderr, writes an op trace
// `haspec run` replays (violation-<machine>-<hash>.jsonl, in
// $HASPEC_FUZZ_TRACES or the working directory) where it has ops, and
// aborts, which is how libFuzzer and the replay driver learn of it. Input a
// parser refuses with ParseError (or nlohmann's own exceptions, which every
// caller of a codec catches) is fine; any other exception escapes and is a
// finding too.
//
// Include only from .cc files: it pulls in nlohmann/json.hpp and the gate.
#ifndef HASPEC_ENGINE_FUZZ_TARGETS_H_
#define HASPEC_ENGINE_FUZZ_TARGETS_H_

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "engine/consistent.h"
#include "engine/gate.h"
#include "engine/op_decoder.h"
#include "engine/op_trace.h"
#include "model/core/machine.h"
#include "model/core/op_codec.h"
#include "model/core/parse_error.h"
#include "sut/protocol/client.h"
#include "sut/protocol/server.h"

namespace haspec::fuzz {

// Longest op sequence one input decodes to: long enough for every bundled
// scenario (the longest has 31 ops), short enough that an exec stays cheap.
inline constexpr std::size_t kMaxOps = 96;
// The differential target pays JSON both ways per op: shorter sequences.
inline constexpr std::size_t kMaxDiffOps = 48;

// FNV-1a of the input: names a finding's trace file so two findings do not
// overwrite each other, and the same input always gives the same name.
inline std::uint64_t InputHash(const std::uint8_t* data, std::size_t size) {
  std::uint64_t h = 1469598103934665603ULL;
  for (std::size_t i = 0; i < size; ++i) h = (h ^ data[i]) * 1099511628211ULL;
  return h;
}

// Where a finding's trace goes.
inline std::string TracePath(std::string_view machine, std::uint64_t hash) {
  const char* dir = std::getenv("HASPEC_FUZZ_TRACES");
  char name[64];
  std::snprintf(name, sizeof name, "-%016llx.jsonl", static_cast<unsigned long long>(hash));
  std::string path = dir && *dir ? std::string(dir) + "/" : std::string();
  return path + "violation-" + std::string(machine) + name;
}

// Reports a finding and aborts (libFuzzer saves the input as crash-<sha1>).
[[noreturn]] inline void Fail(const std::string& what) {
  std::cerr << "\n==haspec-fuzz== FINDING\n" << what << std::flush;
  std::abort();
}

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

inline void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream f(path);
  f << text;
}

// The model steps through the ops `data` decodes to from Initial(config);
// after every step every invariant and step rule is checked. A broken rule
// (either profile: the model's own answers must keep them all) is a finding.
// Buffers are reused between execs: this runs tens of thousands of times a
// second.
template <CodecMachine M>
int OpSequence(const std::uint8_t* data, std::size_t size,
               const typename M::Config& config = M::DefaultConfig()) {
  static thread_local std::vector<typename M::Op> ops;
  static thread_local std::vector<FindingOf<M>> findings;
  ops.clear();
  ByteReader in(data, size);
  typename M::State s = M::Initial(config);
  while (ops.size() < kMaxOps) {
    auto op = DecodeOp<typename M::Op>(in, config.nodes);
    if (!op) break;
    ops.push_back(std::move(*op));
    auto o = M::Step(s, ops.back());
    findings.clear();
    CheckStep<M>(s, ops.back(), o.next, findings);
    if (!findings.empty()) {
      std::ostringstream why;
      why << M::kName << ": after op " << ops.size() << " of the sequence below, "
          << (findings.size() == 1 ? "a rule is" : "rules are") << " broken:\n";
      for (const auto& f : findings) {
        why << "  " << RuleOf<M>(f.rule).id << ": " << f.detail << "\n";
      }
      why << "state: " << M::Show(o.next, config.nodes) << "\nops:\n";
      typename M::State t = M::Initial(config);
      for (std::size_t i = 0; i < ops.size(); ++i) {
        auto a = M::Step(t, ops[i]);
        why << "  " << (i + 1) << ". " << M::Show(ops[i], config.nodes) << " -> "
            << (a.accepted ? "accepted" : "refused") << " (" << RuleOf<M>(a.rule).id << ")\n";
        if (a.accepted) t = std::move(a.next);
      }
      const std::string path = TracePath(M::kName, InputHash(data, size));
      WriteFile(path, FormatOps<M>(ops, config,
                                   "# haspec fuzz finding: " + std::string(M::kName) +
                                       ": the model breaks " +
                                       std::string(RuleOf<M>(findings.front().rule).id) +
                                       " after the last op (haspec run " + std::string(M::kName) +
                                       " <this file>)\n"));
      why << "trace: " << path << "\n";
      Fail(why.str());
    }
    if (o.accepted) s = std::move(o.next);
  }
  return 0;
}

// ---------------------------------------------------------------------------
// The model against a reference implementation.

// A reference implementation in this process, reset for every input.
template <CodecMachine M>
class DifferentialRig {
 public:
  explicit DifferentialRig(sut::Implementation& impl, typename M::Config config)
      : target_(impl), config_(std::move(config)) {
    hello_ = target_.Hello(std::string(M::kName), M::ConfigToJson(config_));
  }

  // Runs the ops `data` decodes to against the reference, with the
  // gate's consistent-set verdicts under --documented-only: an answer or
  // observation no documented reading allows is a finding, and so is the
  // reference failing as a program.
  int Run(const std::uint8_t* data, std::size_t size) {
    ops_.clear();
    ByteReader in(data, size);
    while (ops_.size() < kMaxDiffOps) {
      auto op = DecodeOp<typename M::Op>(in, config_.nodes);
      if (!op) break;
      ops_.push_back(std::move(*op));
    }
    bool failed = false;
    GateFailure<M> f;
    try {
      f = RunSequence<M>(target_, config_, hello_, ops_, nullptr, Profile::kDocumentedOnly, nullptr,
                         failed);
    } catch (const sut::SutError& e) {
      Fail(std::string(M::kName) + ": the reference implementation failed: " + e.what() +
           "\nops:\n" + ShowOps());
    }
    if (failed) Report(f, data, size);
    return 0;
  }

 private:
  std::string ShowOps() const {
    std::string s;
    for (std::size_t i = 0; i < ops_.size(); ++i) {
      s += "  " + std::to_string(i + 1) + ". " + M::Show(ops_[i], config_.nodes) + "\n";
    }
    return s;
  }

  [[noreturn]] void Report(const GateFailure<M>& f, const std::uint8_t* data, std::size_t size) {
    std::ostringstream why;
    why << M::kName << ": the reference implementation and the model disagree"
        << (f.at_reset ? " at reset" : "") << " (documented rules):\n";
    std::ostringstream trace;
    trace << "# haspec fuzz finding: " << M::kName
          << ": the reference's answers as \"expect\", what it showed as \"obs\";\n"
          << "# haspec run " << M::kName
          << " --documented-only <this file> shows where the model disagrees\n";
    for (std::size_t i = 0; i < f.steps.size(); ++i) {
      const auto& st = f.steps[i];
      if (f.at_reset) {
        why << "  initial observation " << st.reply.observation.dump() << "\n";
        trace << nlohmann::json{{"obs", st.reply.observation}}.dump() << "\n";
        break;
      }
      const bool known = st.reply.reason.empty() || FindRule(M::Rules(), st.reply.reason);
      const std::string answer =
          st.reply.accepted ? "accepted"
                            : (st.reply.reason.empty() || !known ? "rejected" : st.reply.reason);
      why << "  " << (i + 1) << ". " << M::Show(st.op, config_.nodes) << " -> " << answer;
      if (!st.reply.observation.is_null()) why << ", shows " << st.reply.observation.dump();
      why << "\n";
      nlohmann::json j = st.sent;
      j["expect"] = answer;
      if (!st.reply.observation.is_null()) j["obs"] = st.reply.observation;
      trace << j.dump() << "\n";
    }
    if (!f.steps.empty()) {
      why << "why:\n";
      for (const auto& w : f.steps.back().why) {
        why << "  " << RuleOf<M>(w.rule).id << ": " << w.detail << "\n";
      }
    }
    const std::string path = TracePath(M::kName, InputHash(data, size));
    WriteFile(path, trace.str());
    why << "trace: " << path << "\n";
    Fail(why.str());
  }

  InProcessTarget target_;
  typename M::Config config_;
  sut::HelloReply hello_;
  std::vector<typename M::Op> ops_;
};

template <CodecMachine M>
int Differential(const std::uint8_t* data, std::size_t size, sut::Implementation& impl) {
  static DifferentialRig<M> rig(impl, M::DefaultConfig());
  return rig.Run(data, size);
}

// ---------------------------------------------------------------------------
// Parsers: never crash; what parses serialises and parses back to the same
// value.

// JSON text, or nullopt when it is not JSON (nothing to check then).
inline std::optional<nlohmann::json> ParseJson(std::string_view text) {
  nlohmann::json j = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded()) return std::nullopt;
  return j;
}

// Calls parse(); input it refuses as bad input ends the exec quietly.
template <class F>
auto Refusable(F parse) -> std::optional<decltype(parse())> {
  try {
    return parse();
  } catch (const ParseError&) {
    return std::nullopt;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

// The second parse, of haspec's own output: it must succeed.
template <class F>
auto MustParse(std::string_view what, const std::string& text, F parse) {
  try {
    return parse();
  } catch (const std::exception& e) {
    Fail(std::string(what) + ": haspec cannot read back what it wrote: " + e.what() +
         "\nwritten:\n" + text + "\n");
  }
}

template <class T, class Show>
void MustEqual(std::string_view what, const T& a, const T& b, Show show) {
  if (a == b) return;
  Fail(std::string(what) + ": the round trip changed the value\nfirst:  " + show(a) +
       "\nsecond: " + show(b) + "\n");
}

// First byte: 0 observation, 1 state, 2 configuration; the rest is JSON.
template <CodecMachine M>
int CodecRoundTrip(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  auto j = ParseJson(text);
  if (!j) return 0;
  static const typename M::Config config = M::DefaultConfig();
  const Nodes& nodes = config.nodes;
  const std::string what = std::string(M::kName);
  switch (data[0] % 3) {
    case 0: {
      auto o = Refusable([&] { return M::ObservationFromJson(*j, nodes); });
      if (!o) return 0;
      const std::string out = M::ObservationToJson(*o, nodes).dump();
      auto again = MustParse(what + " observation", out, [&] {
        return M::ObservationFromJson(nlohmann::json::parse(out), nodes);
      });
      MustEqual(what + " observation", *o, again, [&](const typename M::Observation& x) {
        return M::ObservationToJson(x, nodes).dump();
      });
      break;
    }
    case 1: {
      auto s = Refusable([&] { return M::StateFromJson(*j, nodes); });
      if (!s) return 0;
      const std::string out = M::StateToJson(*s, nodes).dump();
      auto again = MustParse(what + " state", out,
                             [&] { return M::StateFromJson(nlohmann::json::parse(out), nodes); });
      MustEqual(what + " state", *s, again,
                [&](const typename M::State& x) { return M::StateToJson(x, nodes).dump(); });
      break;
    }
    default: {
      auto c = Refusable([&] { return M::ConfigFromJson(*j); });
      if (!c) return 0;
      const std::string out = M::ConfigToJson(*c).dump();
      auto again = MustParse(what + " config", out,
                             [&] { return M::ConfigFromJson(nlohmann::json::parse(out)); });
      MustEqual(what + " config", out, M::ConfigToJson(again).dump(),
                [](const std::string& x) { return x; });
      break;
    }
  }
  return 0;
}

// An op trace as ParseOpTrace reads it back: each op with its expect and
// obs, and the initial observation line.
template <CodecMachine M>
std::string FormatOpTrace(const OpTrace<M>& t, const Nodes& nodes) {
  std::string out;
  if (t.initial_observation) {
    out += nlohmann::json{{"obs", M::ObservationToJson(*t.initial_observation, nodes)}}.dump();
    out += "\n";
  }
  for (std::size_t i = 0; i < t.ops.size(); ++i) {
    nlohmann::json j = OpToJson(t.ops[i], nodes);
    if (!t.expects[i].empty()) j["expect"] = t.expects[i];
    if (t.observations[i]) j["obs"] = M::ObservationToJson(*t.observations[i], nodes);
    out += j.dump();
    out += "\n";
  }
  return out;
}

template <CodecMachine M>
int OpTraceRoundTrip(const std::uint8_t* data, std::size_t size) {
  static const typename M::Config config = M::DefaultConfig();
  const Nodes& nodes = config.nodes;
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  std::optional<OpTrace<M>> t;
  try {
    t = ParseOpTrace<M>(in, "fuzz.jsonl", nodes);
  } catch (const InputError&) {
    return 0;
  }
  const std::string out = FormatOpTrace<M>(*t, nodes);
  std::istringstream again_in(out);
  const std::string what = std::string(M::kName) + " op trace";
  auto again =
      MustParse(what, out, [&] { return ParseOpTrace<M>(again_in, "written.jsonl", nodes); });
  const bool same = again.ops == t->ops && again.expects == t->expects &&
                    again.observations == t->observations &&
                    again.initial_observation == t->initial_observation;
  if (!same) {
    Fail(what + ": the round trip changed the trace\nwritten:\n" + out + "read back as:\n" +
         FormatOpTrace<M>(again, nodes));
  }
  return 0;
}

}  // namespace haspec::fuzz

#endif  // HASPEC_ENGINE_FUZZ_TARGETS_H_
