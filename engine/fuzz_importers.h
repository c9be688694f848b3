// The fuzz target body for a machine's log and snapshot importers
// (M::Importers(), model/core/import.h): the first byte picks the importer,
// the rest is its input. An importer never crashes and reads in bounded
// memory; every event it yields writes as the trace v1 line `haspec import`
// writes (engine/importers.h, EventLine) and reads back through the trace
// reader `haspec replay` uses (its fast path, else EventFromJson)
// to the same time and observation. Input it refuses with ParseError ends
// the exec quietly.
//
//   HASPEC_FUZZ_TARGET(import_dsm) { return haspec::fuzz::ImportEvents<Dsm>(data, size); }
//
// Include only from .cc files: it pulls in nlohmann/json.hpp.
#ifndef HASPEC_ENGINE_FUZZ_IMPORTERS_H_
#define HASPEC_ENGINE_FUZZ_IMPORTERS_H_

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "engine/fuzz_common.h"
#include "engine/importers.h"
#include "engine/trace_event.h"
#include "engine/trace_fast.h"
#include "model/core/import.h"
#include "model/core/machine.h"

namespace haspec::fuzz {

template <CodecMachine M>
requires requires { M::Importers(); }
int ImportEvents(const std::uint8_t* data, std::size_t size) {
  const auto importers = M::Importers();
  if (size < 1 || importers.empty()) return 0;
  static const typename M::Config config = M::DefaultConfig();
  const auto& imp = importers[data[0] % importers.size()];
  std::istringstream in(std::string(reinterpret_cast<const char*>(data + 1), size - 1));
  // A path under the first node's folder, as `haspec import` is usually
  // given: importers that need to know whose output a file is find it.
  ImportContext ctx;
  ctx.file = "logs/" + config.nodes.Name(0) + "/fuzz.log";
  const std::string what = std::string(M::kName) + " importer " + std::string(imp.name);
  try {
    auto source = imp.open(in, ctx, config);
    ImportedEvent<typename M::Observation> e;
    TraceEvent<M> back;
    // A few cache slots: a reader built per execution (replay_<machine>
    // checks the fast path against nlohmann).
    FastEventDecoder<M> fast(4);
    std::string line;
    for (int n = 0; n < 100'000 && source->Next(e); ++n) {
      // The line `haspec import` writes for the event, read back as
      // `haspec replay` reads it (the fast path, else nlohmann): the same
      // time and observation.
      line = EventLine<M>(e, ctx.file, config.nodes);
      back.Reset(n + 2);
      if (!fast.Decode(line, config.nodes, ReaderOptions{}, back)) {
        MustParse(what, line, [&] {
          nlohmann::json j = nlohmann::json::parse(line);
          back.Reset(n + 2);
          EventFromJson<M>(j, config.nodes, ReaderOptions{}, back);
          return 0;
        });
      }
      if (back.t_text != e.t || back.t.has_value() != !e.t.empty() || !back.drift.empty()) {
        Fail(what + ": the trace line of an event reads back with another time or with " +
             "drift\nwritten: " + line + "\n");
      }
      const typename M::Observation again = back.obs ? *back.obs : typename M::Observation{};
      MustEqual(what, e.obs, again, [&](const typename M::Observation& x) {
        return M::ObservationToJson(x, config.nodes).dump();
      });
    }
  } catch (const ParseError&) {
    return 0;
  }
  return 0;
}

}  // namespace haspec::fuzz

#endif  // HASPEC_ENGINE_FUZZ_IMPORTERS_H_
