#include "tools/haspec/common.h"

#include <cstdio>

namespace haspec::cli {

std::string MachineNames() {
  std::string out;
  ForEachMachine([&]<Machine M>() { out += (out.empty() ? "" : ", ") + std::string(M::kName); });
  return out;
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
