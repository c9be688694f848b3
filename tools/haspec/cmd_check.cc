// haspec check [MACHINE...]: seeded random walks over the bundled models
// with every invariant and step rule checked after every step, and the
// coverage they reached.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <sstream>

#include "engine/coverage_json.h"
#include "engine/op_trace.h"
#include "engine/walk.h"
#include "tools/haspec/command.h"
#include "tools/haspec/common.h"

namespace haspec::cli {
namespace {

struct Args {
  std::vector<std::string> machines;
  std::uint64_t seed = 1;
  std::uint64_t walks = 1000;
  std::uint64_t steps = 200;
  bool documented_only = false;
  bool as_json = false;
  std::string artifact_dir = ".";
  std::string config;
  double min_rule_coverage = 0;
};

template <CodecMachine M>
json CheckOne(const Args& a, int& exit_code) {
  auto config = LoadConfig<M>(a.config);
  if (!config) {
    exit_code = Code(ExitCode::kBadInput);
    return {{"machine", M::kName}, {"verdict", "bad configuration"}};
  }
  WalkOptions opt;
  opt.seed = a.seed;
  opt.walks = a.walks;
  opt.steps = a.steps;
  opt.profile = ProfileOf(a.documented_only);
  const bool tty = isatty(STDERR_FILENO);
  auto last = std::chrono::steady_clock::now();
  opt.progress = [&](std::uint64_t done, std::uint64_t total) {
    auto now = std::chrono::steady_clock::now();
    if (tty && (now - last > std::chrono::milliseconds(500) || done == total)) {
      std::fprintf(stderr, "\r%s: walk %llu/%llu", std::string(M::kName).c_str(),
                   static_cast<unsigned long long>(done), static_cast<unsigned long long>(total));
      if (done == total) std::fputc('\n', stderr);
      last = now;
    }
  };
  auto t0 = std::chrono::steady_clock::now();
  WalkReport<M> r = Walk<M>(opt, *config);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const Coverage& c = r.coverage;
  std::ostringstream coverage_error;
  if (!MeetsRuleCoverage(c, a.min_rule_coverage, coverage_error)) {
    exit_code = Code(ExitCode::kViolation);
    if (!a.as_json) std::cout << coverage_error.str();
  }
  json out = {{"machine", M::kName},    {"seed", a.seed},
              {"walks", a.walks},       {"steps", c.steps},
              {"accepted", c.accepted}, {"rejected", c.rejected},
              {"seconds", secs},        {"coverage", CoverageToJson(c)}};
  if (!r.violation) {
    out["verdict"] = "pass";
    return out;
  }
  exit_code = Code(ExitCode::kViolation);
  const auto& v = *r.violation;
  const Rule& rule = RuleOf<M>(v.finding.rule);
  const auto& nodes = config->nodes;
  std::string artifact = a.artifact_dir + "/violation-" + std::string(M::kName) + "-seed" +
                         std::to_string(a.seed) + ".jsonl";
  std::ofstream f(artifact);
  WriteOpTrace<M>(f, v.trace, nodes);
  const char* severity = IsDocumented(rule) ? "violation" : "departure";
  out["verdict"] = "violation";
  out["violation"] = {{"rule", rule.id},
                      {"severity", severity},
                      {"statement", rule.statement},
                      {"detail", v.finding.detail},
                      {"walk", v.walk},
                      {"trace_length", v.trace.size()},
                      {"state", M::StateToJson(v.state, nodes)},
                      {"artifact", f ? artifact : ""}};
  if (!a.as_json) {
    std::cout << "ERROR: " << M::kName << ": " << severity << " of " << ToString(rule.kind) << " "
              << rule.id << ": " << v.finding.detail << "\n  rule: " << rule.statement
              << "\n  after " << v.trace.size() << " ops (walk " << v.walk << "):\n";
    for (std::size_t i = 0; i < v.trace.size(); ++i) {
      std::cout << "    " << i + 1 << ". " << M::Show(v.trace[i], nodes) << "\n";
    }
    std::cout << "  state: " << M::Show(v.state, nodes) << "\n";
    if (f) std::cout << "  trace written to " << artifact << "\n";
    if (f) std::cout << "  replay: haspec run " << M::kName << " " << artifact << "\n";
    std::cout << "  reproduce: haspec check " << M::kName << " --seed " << a.seed << " --walks "
              << a.walks << " --steps " << a.steps
              << (a.documented_only ? " --documented-only" : "") << "\n";
  }
  return out;
}

int Run(const Args& a) {
  std::vector<std::string> names = a.machines;
  if (names.empty()) ForEachMachine([&]<Machine M>() { names.emplace_back(M::kName); });
  if (!a.config.empty() && names.size() != 1) {
    std::cerr << "error: --config needs exactly one MACHINE\n";
    return Code(ExitCode::kUsage);
  }
  int exit_code = 0;
  json results = json::array();
  for (const std::string& name : names) {
    VisitMachine(name, [&]<Machine M>() { results.push_back(CheckOne<M>(a, exit_code)); });
  }
  if (a.as_json) {
    std::cout << results.dump(2) << "\n";
    return exit_code;
  }
  std::uint64_t steps = 0;
  for (const json& r : results) {
    if (!r.contains("coverage")) continue;
    const json& c = r["coverage"];
    steps += r["steps"].get<std::uint64_t>();
    std::printf(
        "%-12s %-9s %9llu steps (%llu accepted, %llu rejected) in %.2fs; rules "
        "exercised %zu/%zu (%zu invariants with their premise met)\n",
        r["machine"].get<std::string>().c_str(), r["verdict"].get<std::string>().c_str(),
        static_cast<unsigned long long>(r["steps"].get<std::uint64_t>()),
        static_cast<unsigned long long>(r["accepted"].get<std::uint64_t>()),
        static_cast<unsigned long long>(r["rejected"].get<std::uint64_t>()),
        r["seconds"].get<double>(), c["rules_exercised"].get<std::size_t>(),
        c["rules_total"].get<std::size_t>(), c["premise"].size());
    const json& missing = c["not_exercised"];
    if (!missing.empty()) {
      std::string ids;
      for (const json& id : missing) ids += " " + id.get<std::string>();
      std::printf("%-12s not reached by random walks (covered by targeted properties):%s\n", "",
                  ids.c_str());
    }
  }
  if (exit_code == 0) {
    std::printf("SUMMARY: %zu machine(s), %llu invariant-checked steps, no rule broken\n",
                results.size(), static_cast<unsigned long long>(steps));
  } else {
    std::printf("SUMMARY: check failed; see ERROR above (exit %d)\n", exit_code);
  }
  return exit_code;
}

std::function<int()> Declare(CLI::App& sub) {
  auto a = std::make_shared<Args>();
  sub.add_option("MACHINE", a->machines, "Machines to check (default: all)")
      ->check(MachineValidator());
  sub.add_option("--seed", a->seed, "Random seed; the same seed gives the same walks")
      ->capture_default_str();
  sub.add_option("--walks", a->walks, "Number of walks per machine")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  sub.add_option("--steps", a->steps, "Steps per walk")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  AddProfileFlag(sub, a->documented_only);
  AddConfigOption(sub, a->config);
  sub.add_flag("--json", a->as_json, "Print a JSON report (with the coverage record)");
  AddMinRuleCoverageOption(sub, a->min_rule_coverage);
  sub.add_option("--artifact-dir", a->artifact_dir, "Where a violating trace is written")
      ->capture_default_str();
  return [a] { return Run(*a); };
}

const RegisterCommand kReg{
    {40, "check",
     "Check the bundled models: seeded random walks with every invariant checked after every "
     "step, and the rules, invariant premises and statuses they covered",
     &Declare}};

}  // namespace
}  // namespace haspec::cli
