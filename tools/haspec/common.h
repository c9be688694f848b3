// What several haspec subcommands share: machine lookup, configuration
// files, profiles and the JSON shape of rules and findings.
#ifndef HASPEC_TOOLS_HASPEC_COMMON_H_
#define HASPEC_TOOLS_HASPEC_COMMON_H_

#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "engine/coverage.h"
#include "engine/exit_codes.h"
#include "model/core/parse_error.h"
#include "model/registry.h"

namespace haspec::cli {

using nlohmann::json;

inline int Code(ExitCode c) { return static_cast<int>(c); }

std::string MachineNames();

// Prints the error for an unknown machine and returns the usage exit code.
int UnknownMachine(const std::string& name);

// A CLI11 validator accepting only registered machine names.
CLI::Validator MachineValidator();

// --documented-only, with one help text everywhere.
CLI::Option* AddProfileFlag(CLI::App& sub, bool& documented_only);
inline Profile ProfileOf(bool documented_only) {
  return documented_only ? Profile::kDocumentedOnly : Profile::kFull;
}

// --config FILE, with one help text everywhere.
CLI::Option* AddConfigOption(CLI::App& sub, std::string& path);

json RuleToJson(const Rule& r);

// --min-rule-coverage P, with one help text everywhere (check, explore,
// gate, replay): a run that exercised fewer than P percent of the rules
// fails.
CLI::Option* AddMinRuleCoverageOption(CLI::App& sub, double& percent);

// The coverage gate: whether `c` exercised at least `percent` percent of the
// rules (always true for percent <= 0). When not, prints on `out` an ERROR
// line naming the rule coverage reached and every rule missed, for the
// caller to exit with ExitCode::kViolation.
bool MeetsRuleCoverage(const Coverage& c, double percent, std::ostream& out);

// Reads a machine configuration from a JSON file (or the default when
// `path` is empty). On error prints "error: FILE: problem" and returns
// nullopt; callers exit with ExitCode::kBadInput.
template <CodecMachine M>
std::optional<typename M::Config> LoadConfig(const std::string& path) {
  if (path.empty()) return M::DefaultConfig();
  std::ifstream in(path);
  if (!in) {
    std::cerr << "error: " << path << ": cannot open configuration file\n";
    return std::nullopt;
  }
  try {
    json j = json::parse(in);
    return M::ConfigFromJson(j);
  } catch (const json::parse_error& e) {
    std::cerr << "error: " << path << ": not valid JSON: " << e.what() << "\n";
  } catch (const ParseError& e) {
    std::cerr << "error: " << path << ": " << e.what() << "\n";
  }
  return std::nullopt;
}

}  // namespace haspec::cli

#endif  // HASPEC_TOOLS_HASPEC_COMMON_H_
