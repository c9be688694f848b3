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
#include <vector>

#include "engine/coverage.h"
#include "engine/exit_codes.h"
#include "engine/importers.h"
#include "model/core/parse_error.h"
#include "model/registry.h"

namespace haspec::cli {

using nlohmann::json;

inline int Code(ExitCode c) { return static_cast<int>(c); }

std::string MachineNames();

// The MACHINE argument every per-machine subcommand starts with.
CLI::Option* AddMachineArgument(CLI::App& sub, std::string& machine);

// Runs `run.template operator()<M>()` for the machine named `machine` (already
// checked by MachineValidator) and returns its exit code.
template <class F>
int OnMachine(const std::string& machine, F&& run) {
  int rc = 0;
  VisitMachine(machine, [&]<Machine M>() { rc = run.template operator()<M>(); });
  return rc;
}

// --hidden K, with one help text (replay, shrink).
CLI::Option* AddHiddenOption(CLI::App& sub, int& hidden);

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

// The importer options `haspec import` and `haspec replay` share: --format,
// --option NAME=VALUE, --node-map LOG=CONFIG (engine/importers.h).
struct ImportArgs {
  std::vector<std::string> formats;
  std::vector<std::string> options, node_map;
};
// `format_help` says how many --format values the command takes.
void AddImportOptions(CLI::App& sub, ImportArgs& a, const std::string& format_help);
// The importer context of the options; false, with the error printed, on a
// NAME=VALUE pair that is not one.
bool ImportContextOf(const ImportArgs& a, ImportContext& ctx);
// "" when `file` can be opened as an input file, else the problem ("no such
// file", "is a directory, not a log file").
std::string UnreadableFile(const std::string& file);
// Every machine's formats and their options, from the registry (--help).
std::string FormatsHelp();

// The importer named `format` that takes every option of `ctx`, or nullptr
// with the usage error printed (callers exit with ExitCode::kUsage).
template <Machine M>
const ImporterOf<M>* ImporterFor(const std::string& format, const ImportContext& ctx) {
  const ImporterOf<M>* imp = FindImporter<M>(format);
  if (!imp) {
    std::cerr << "error: " << M::kName << " has no format \"" << format
              << "\" (formats: " << ImporterChoices<M>() << ")\n";
    return nullptr;
  }
  if (auto bad = UnknownOption(*imp, ctx)) {
    std::cerr << "error: " << *bad << "\n";
    return nullptr;
  }
  return imp;
}

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
  } catch (const json::exception& e) {  // parse_error, or out_of_range for 1e999
    std::cerr << "error: " << path << ": not valid JSON: " << e.what() << "\n";
  } catch (const ParseError& e) {
    std::cerr << "error: " << path << ": " << e.what() << "\n";
  }
  return std::nullopt;
}

}  // namespace haspec::cli

#endif  // HASPEC_TOOLS_HASPEC_COMMON_H_
