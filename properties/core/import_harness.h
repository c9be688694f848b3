// Running a machine's importers (model/core/import.h) in tests: on text, on
// a bundled log under traces/<machine>/logs/, and on random bytes.
//
//   auto events = ImportText<VcsSystem>("engine-log", text, config, {{"observer", "sys0"}});
//   auto err = ImportError<VcsSystem>("engine-log", "garbage\n", config, {...});  // "line 1: ..."
#ifndef HASPEC_PROPERTIES_CORE_IMPORT_HARNESS_H_
#define HASPEC_PROPERTIES_CORE_IMPORT_HARNESS_H_

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "model/core/import.h"
#include "model/core/parse_error.h"

namespace haspec::testing {

// Whether ParseError has room for an unknown status name (ThrowUnknownName).
inline constexpr bool kErrorsCarryNames =
    std::is_constructible_v<ParseError, std::string, std::string, std::string>;

inline std::string SourcePath(std::string_view rel) {
  return std::string(HASPEC_SOURCE_DIR) + "/" + std::string(rel);
}

inline std::string ReadSource(std::string_view rel) {
  std::ifstream in(SourcePath(rel), std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + SourcePath(rel));
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

template <class M>
typename M::Config ConfigFromSource(std::string_view rel) {
  return M::ConfigFromJson(nlohmann::json::parse(ReadSource(rel)));
}

template <class M>
const Importer<typename M::Config, typename M::Observation>& ImporterNamed(
    std::string_view format) {
  for (const auto& imp : M::Importers()) {
    if (imp.name == format) return imp;
  }
  throw std::runtime_error("no importer " + std::string(format));
}

struct ImportRun {
  long lines_read = 0, lines_skipped = 0;
};

// Every event of `text`; throws the importer's ParseError.
template <class M>
std::vector<ImportedEvent<typename M::Observation>> ImportText(
    std::string_view format, const std::string& text, const typename M::Config& config,
    std::map<std::string, std::string, std::less<>> options = {}, std::string file = "test.log",
    ImportRun* run = nullptr) {
  std::istringstream in(text);
  ImportContext ctx{std::move(file), std::move(options), {}};
  auto source = ImporterNamed<M>(format).open(in, ctx, config);
  std::vector<ImportedEvent<typename M::Observation>> out;
  ImportedEvent<typename M::Observation> e;
  while (source->Next(e)) out.push_back(e);
  if (run) *run = {source->lines_read(), source->lines_skipped()};
  return out;
}

// The ParseError's message ("line 3: ..."), or nullopt if the import passed.
template <class M>
std::optional<std::string> ImportError(std::string_view format, const std::string& text,
                                       const typename M::Config& config,
                                       std::map<std::string, std::string, std::less<>> options = {},
                                       std::string file = "test.log") {
  try {
    ImportText<M>(format, text, config, std::move(options), std::move(file));
  } catch (const ParseError& e) {
    return std::string(e.what());
  }
  return std::nullopt;
}

// Random inputs built from `pieces` (lines of real logs, fragments) and
// random bytes: every importer must end with events or a ParseError, never
// crash or throw anything else.
template <class M>
void ImportGarbage(std::string_view format, const typename M::Config& config,
                   const std::vector<std::string>& pieces,
                   std::map<std::string, std::string, std::less<>> options, int runs = 300) {
  std::mt19937 rng(12345);
  for (int r = 0; r < runs; ++r) {
    std::string text;
    const int n = static_cast<int>(rng() % 12);
    for (int i = 0; i < n; ++i) {
      const unsigned k = rng() % 4;
      if (k == 0) {
        for (unsigned b = rng() % 40; b > 0; --b) text.push_back(static_cast<char>(rng() % 256));
      } else {
        std::string p = pieces[rng() % pieces.size()];
        if (k == 1 && !p.empty()) p.resize(rng() % p.size());  // cut short
        text += p;
      }
      if (rng() % 5) text += '\n';
    }
    try {
      ImportText<M>(format, text, config, options);
    } catch (const ParseError&) {
    }
  }
}

}  // namespace haspec::testing

#endif  // HASPEC_PROPERTIES_CORE_IMPORT_HARNESS_H_
