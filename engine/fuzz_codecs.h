// The codec and op-trace fuzz targets (codec_<machine>, trace_<machine>,
// fuzz/): the machine's JSON codecs and the op trace reader never crash,
// and what they read writes and reads back to the same value.
//
// Include only from .cc files: it pulls in nlohmann/json.hpp.
#ifndef HASPEC_ENGINE_FUZZ_CODECS_H_
#define HASPEC_ENGINE_FUZZ_CODECS_H_

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

#include "engine/fuzz_common.h"
#include "engine/op_trace.h"
#include "model/core/machine.h"
#include "model/core/op_codec.h"
#include "model/core/parse_error.h"

namespace haspec::fuzz {

// ---------------------------------------------------------------------------
// Codecs and the op trace reader: never crash; what parses serialises and
// parses back to the same value (helpers: engine/fuzz_common.h).

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

#endif  // HASPEC_ENGINE_FUZZ_CODECS_H_
