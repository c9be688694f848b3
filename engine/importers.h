// Importers, generic over machines: finds a machine's importer by name
// (M::Importers(), model/core/import.h), and writes what it reads as trace
// v1 lines (docs/trace-format.md): a header, then one event per thing the
// source showed, with "t" where the source has a time and "src" = FILE:LINE.
// `haspec import` and `haspec replay --format` use it.
//
//   const auto* imp = FindImporter<M>("engine-log");          // nullptr if none
//   if (auto bad = UnknownOption(*imp, ctx)) Usage(*bad);
//   std::ifstream in(file);
//   auto source = imp->open(in, ctx, config);                 // may throw ParseError
//   WriteTraceHeader<M>(out, file, nullptr);
//   long n = WriteEvents<M>(*source, file, config.nodes, out);  // throws ParseError
//   catch (const ParseError& e) { std::cerr << ImportErrorMessage(file, e); }
#ifndef HASPEC_ENGINE_IMPORTERS_H_
#define HASPEC_ENGINE_IMPORTERS_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>

#include "model/core/import.h"
#include "model/core/machine.h"
#include "model/core/parse_error.h"

namespace haspec {

template <class M>
using ImporterOf = Importer<typename M::Config, typename M::Observation>;
template <class M>
using ImportedEventOf = ImportedEvent<typename M::Observation>;

// The machine's importers (none for a machine without Importers()).
template <Machine M>
std::span<const ImporterOf<M>> ImportersOf() {
  if constexpr (requires { M::Importers(); }) {
    return M::Importers();
  } else {
    return {};
  }
}

template <Machine M>
const ImporterOf<M>* FindImporter(std::string_view name) {
  for (const auto& imp : ImportersOf<M>()) {
    if (imp.name == name) return &imp;
  }
  return nullptr;
}

// "engine-log, hasys-state or hastatus-sum": for messages and --help.
template <Machine M>
std::string ImporterChoices() {
  std::string out;
  const auto all = ImportersOf<M>();
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (i) out += (i + 1 == all.size()) ? " or " : ", ";
    out += all[i].name;
  }
  return out.empty() ? "(none)" : out;
}

// The first option in `ctx` the importer does not take, as a message.
template <class Config, class Observation>
std::optional<std::string> UnknownOption(const Importer<Config, Observation>& imp,
                                         const ImportContext& ctx) {
  for (const auto& [name, value] : ctx.options) {
    bool known = false;
    std::string choices;
    for (const ImportOptionInfo& o : imp.options) {
      known = known || o.name == name;
      choices += (choices.empty() ? "" : ", ") + std::string(o.name);
    }
    if (!known) {
      return "format " + std::string(imp.name) + " has no option \"" + name + "\" (it takes " +
             (choices.empty() ? std::string("none") : choices) + ")";
    }
  }
  return std::nullopt;
}

// The line an importer's error names (its where() "line N..."), 0 if none;
// `rest` gets what follows the number ("" mostly), or the whole where()
// when it names no line.
inline int ImportErrorLine(const ParseError& e, std::string* rest = nullptr) {
  const std::string& w = e.where();
  if (w.rfind("line ", 0) == 0) {
    const std::size_t end = w.find_first_not_of("0123456789", 5);
    const std::string number = w.substr(5, end == std::string::npos ? end : end - 5);
    if (!number.empty() && number.size() < 10) {
      if (rest) *rest = end == std::string::npos ? "" : w.substr(end);
      return std::stoi(number);
    }
  }
  if (rest) *rest = w;
  return 0;
}

// "FILE:LINE: problem" (or "FILE: problem" when the error is not on a line).
inline std::string ImportErrorMessage(const std::string& file, const ParseError& e) {
  std::string rest;
  if (const int line = ImportErrorLine(e, &rest); line > 0) {
    return file + ":" + std::to_string(line) + rest + ": " + e.problem();
  }
  return file + ": " + (rest.empty() ? "" : rest + ": ") + e.problem();
}

// The trace v1 header line (docs/trace-format.md). `config` is written when
// given (a --config file), else the reader uses the machine's default.
template <CodecMachine M>
void WriteTraceHeader(std::ostream& out, const std::string& source,
                      const typename M::Config* config) {
  nlohmann::ordered_json h;
  h["haspec_trace"] = 1;
  h["machine"] = std::string(M::kName);
  if (config) h["config"] = M::ConfigToJson(*config);
  h["source"] = source;
  out << h.dump() << '\n';
}

// One event as a trace v1 line, keys in reading order: t, src, obs.
template <CodecMachine M>
std::string EventLine(const ImportedEventOf<M>& e, const std::string& file, const Nodes& nodes) {
  std::string line = "{";
  if (!e.t.empty()) line += "\"t\":" + nlohmann::json(e.t).dump() + ",";
  line += "\"src\":" + nlohmann::json(file + ":" + std::to_string(e.line))
                           .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  line += ",\"obs\":" + M::ObservationToJson(e.obs, nodes).dump() + "}";
  return line;
}

// Streams every event of `source` to `out`; returns how many. Throws the
// source's ParseError.
template <CodecMachine M>
long WriteEvents(EventSource<typename M::Observation>& source, const std::string& file,
                 const Nodes& nodes, std::ostream& out) {
  long n = 0;
  ImportedEventOf<M> e;
  while (source.Next(e)) {
    out << EventLine<M>(e, file, nodes) << '\n';
    ++n;
  }
  return n;
}

}  // namespace haspec

#endif  // HASPEC_ENGINE_IMPORTERS_H_
