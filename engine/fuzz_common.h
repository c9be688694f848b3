// What every fuzz target of haspec (fuzz/) shares: how a finding is
// reported (on stderr, then abort, which is how libFuzzer and the replay
// driver learn of it), where its trace goes, and the round-trip helpers of
// the parser targets (input a reader refuses ends an exec quietly; what it
// read must write and read back to the same value).
//
// Light on purpose: a parser target includes this and its reader only.
#ifndef HASPEC_ENGINE_FUZZ_COMMON_H_
#define HASPEC_ENGINE_FUZZ_COMMON_H_

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "model/core/parse_error.h"

namespace haspec::fuzz {

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

inline void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream f(path);
  f << text;
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

}  // namespace haspec::fuzz

#endif  // HASPEC_ENGINE_FUZZ_COMMON_H_
