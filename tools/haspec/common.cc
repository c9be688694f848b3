#include "tools/haspec/common.h"

#include <cstdio>
#include <filesystem>
#include <sstream>

namespace haspec::cli {

std::string MachineNames() {
  std::string out;
  ForEachMachine([&]<Machine M>() { out += (out.empty() ? "" : ", ") + std::string(M::kName); });
  return out;
}

CLI::Option* AddMachineArgument(CLI::App& sub, std::string& machine) {
  return sub.add_option("MACHINE", machine, "Machine name (see `haspec machines`)")
      ->required()
      ->check(MachineValidator());
}

CLI::Option* AddHiddenOption(CLI::App& sub, int& hidden) {
  return sub
      .add_option("--hidden", hidden,
                  "Hidden steps (ops nobody logged) tried before an event the set of consistent "
                  "states does not explain")
      ->check(CLI::Range(0, 8));
}

void AddImportOptions(CLI::App& sub, ImportArgs& a, const std::string& format_help) {
  sub.add_option("--format", a.formats, format_help)->allow_extra_args(false);
  sub.add_option("--node-map", a.node_map,
                 "LOG=CONFIG: the node the source calls LOG is CONFIG in the configuration "
                 "(repeatable)")
      ->allow_extra_args(false);
  sub.add_option("--option", a.options, "NAME=VALUE: an option of the format (repeatable)")
      ->allow_extra_args(false);
  sub.footer(FormatsHelp());
}

namespace {
// "NAME=VALUE" pairs into a map; false (with a message) on a bad one.
bool Pairs(const std::vector<std::string>& in, const char* flag,
           std::map<std::string, std::string, std::less<>>& out) {
  for (const std::string& p : in) {
    const std::size_t eq = p.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == p.size()) {
      std::cerr << "error: " << flag << " \"" << p << "\": expected NAME=VALUE\n";
      return false;
    }
    out[p.substr(0, eq)] = p.substr(eq + 1);
  }
  return true;
}
}  // namespace

bool ImportContextOf(const ImportArgs& a, ImportContext& ctx) {
  return Pairs(a.options, "--option", ctx.options) && Pairs(a.node_map, "--node-map", ctx.node_map);
}

std::string UnreadableFile(const std::string& file) {
  std::error_code ec;
  const auto st = std::filesystem::status(file, ec);
  if (ec || !std::filesystem::exists(st)) return "no such file";
  if (std::filesystem::is_directory(st)) return "is a directory, not a log file";
  return "";
}

std::string FormatsHelp() {
  std::ostringstream s;
  s << "Formats (docs/replay.md, \"Importers\"):\n";
  ForEachMachine([&]<Machine M>() {
    for (const auto& imp : ImportersOf<M>()) {
      s << "  " << M::kName << " --format " << imp.name << "\n      " << imp.description << "\n";
      for (const ImportOptionInfo& o : imp.options) {
        s << "      --option " << o.name << "=...  " << o.help << "\n";
      }
    }
  });
  return s.str();
}

int UnknownMachine(const std::string& name) {
  std::cerr << "error: unknown machine \"" << name << "\" (known: " << MachineNames() << ")\n";
  return Code(ExitCode::kUsage);
}

CLI::Validator MachineValidator() {
  return CLI::Validator(
      [](std::string& name) -> std::string {
        if (VisitMachine(name, []<Machine>() {})) return {};
        return "unknown machine \"" + name + "\" (known: " + MachineNames() + ")";
      },
      "MACHINE");
}

CLI::Option* AddProfileFlag(CLI::App& sub, bool& documented_only) {
  return sub.add_flag("--documented-only", documented_only,
                      "Hold only documented rules against the input: an answer or status that "
                      "departs from an assumption rule is a warning, not a failure");
}

CLI::Option* AddConfigOption(CLI::App& sub, std::string& path) {
  return sub.add_option("--config", path,
                        "JSON file with the machine's configuration: node names, cluster size, "
                        "initial situation (see the machine's README; default: its default)");
}

json RuleToJson(const Rule& r) {
  json j = {{"id", r.id},
            {"kind", ToString(r.kind)},
            {"basis", ToString(r.basis)},
            {"statement", r.statement}};
  if (r.basis == BasisKind::kAssumption) {
    j["reason"] = r.quote;
  } else {
    j["source"] = r.source;
    j["quote"] = r.quote;
  }
  return j;
}

CLI::Option* AddMinRuleCoverageOption(CLI::App& sub, double& percent) {
  return sub
      .add_option("--min-rule-coverage", percent,
                  "Fail (exit 1, naming the rules missed) when the run exercised fewer than this "
                  "percentage of the machine's rules (decided or refused a step, premise held, "
                  "advisory fired)")
      ->check(CLI::Range(0.0, 100.0));
}

bool MeetsRuleCoverage(const Coverage& c, double percent, std::ostream& out) {
  if (percent <= 0 || c.RulePercent() + 1e-9 >= percent) return true;
  char reached[32];
  std::snprintf(reached, sizeof reached, "%.1f", c.RulePercent());
  out << "ERROR: " << c.machine << ": rule coverage " << reached << "% (" << c.ExercisedCount()
      << "/" << c.rules.size() << " rules) is below --min-rule-coverage " << percent
      << "%; not exercised:";
  for (std::size_t i = 0; i < c.rules.size(); ++i) {
    if (!c.Exercised(i)) out << " " << c.rules[i]->id;
  }
  out << "\n";
  return false;
}

}  // namespace haspec::cli
