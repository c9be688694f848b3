// haspec: the command-line entry point. Each subcommand is generic over the
// machine registry; nothing here knows a particular machine.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "engine/exit_codes.h"
#include "engine/op_trace.h"
#include "engine/rule_table.h"
#include "engine/walk.h"
#include "model/registry.h"

namespace haspec {
namespace {

using nlohmann::json;

int Code(ExitCode c) { return static_cast<int>(c); }

std::string MachineNames() {
  std::string out;
  ForEachMachine([&]<Machine M>() { out += (out.empty() ? "" : ", ") + std::string(M::kName); });
  return out;
}

json RuleToJson(const Rule& r) {
  json j = {{"id", r.id}, {"kind", ToString(r.kind)}, {"basis", ToString(r.basis)},
            {"statement", r.statement}};
  if (r.basis == BasisKind::kAssumption) {
    j["reason"] = r.quote;
  } else {
    j["source"] = r.source;
    j["quote"] = r.quote;
  }
  return j;
}

template <Machine M>
json MachineSummary() {
  std::size_t documented = 0;
  for (const Rule& r : M::Rules()) documented += IsDocumented(r);
  return {{"name", M::kName},
          {"title", M::kTitle},
          {"ops", std::variant_size_v<typename M::Op>},
          {"statuses", M::StatusNames().size()},
          {"rules", M::Rules().size()},
          {"documented_rules", documented},
          {"assumption_rules", M::Rules().size() - documented}};
}

int CmdMachines(bool as_json) {
  json all = json::array();
  ForEachMachine([&]<Machine M>() { all.push_back(MachineSummary<M>()); });
  if (as_json) {
    std::cout << all.dump(2) << "\n";
    return 0;
  }
  std::printf("%-12s %4s %8s %6s %12s  %s\n", "MACHINE", "OPS", "STATUSES", "RULES",
              "ASSUMPTIONS", "TITLE");
  for (const json& m : all) {
    std::printf("%-12s %4d %8d %6d %12d  %s\n", m["name"].get<std::string>().c_str(),
                m["ops"].get<int>(), m["statuses"].get<int>(), m["rules"].get<int>(),
                m["assumption_rules"].get<int>(), m["title"].get<std::string>().c_str());
  }
  return 0;
}

template <Machine M>
int PrintRules(bool as_json, bool as_markdown, const std::string& kind, bool documented_only) {
  std::vector<Rule> picked;
  json rows = json::array();
  for (const Rule& r : M::Rules()) {
    if (!kind.empty() && ToString(r.kind) != kind) continue;
    if (documented_only && !IsDocumented(r)) continue;
    picked.push_back(r);
    rows.push_back(RuleToJson(r));
  }
  if (as_json) {
    std::cout << json{{"machine", M::kName}, {"rules", rows}}.dump(2) << "\n";
    return 0;
  }
  if (as_markdown) {
    std::cout << RulesMarkdown(picked);
    return 0;
  }
  std::cout << M::kName << ": " << M::kTitle << "\n" << rows.size() << " rules\n\n";
  for (const json& r : rows) {
    std::cout << r["id"].get<std::string>() << "  [" << r["kind"].get<std::string>() << "]\n"
              << "  " << r["statement"].get<std::string>() << "\n";
    if (r["basis"] == "assumption") {
      std::cout << "  basis: assumption: " << r["reason"].get<std::string>() << "\n\n";
    } else {
      std::cout << "  basis: " << r["basis"].get<std::string>() << " "
                << r["source"].get<std::string>() << ": \"" << r["quote"].get<std::string>()
                << "\"\n\n";
    }
  }
  return 0;
}

struct CheckArgs {
  std::vector<std::string> machines;
  std::uint64_t seed = 1;
  std::uint64_t walks = 1000;
  std::uint64_t steps = 200;
  bool documented_only = false;
  bool as_json = false;
  std::string artifact_dir = ".";
};

template <Machine M>
json CheckOne(const CheckArgs& a, int& exit_code) {
  WalkOptions opt;
  opt.seed = a.seed;
  opt.walks = a.walks;
  opt.steps = a.steps;
  opt.profile = a.documented_only ? Profile::kDocumentedOnly : Profile::kFull;
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
  WalkReport<M> r = Walk<M>(opt);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  const auto rules = M::Rules();
  // Invariants are checked after every step; other rules count when they
  // decide a step or fire as an advisory.
  json exercised = json::object(), unexercised = json::array();
  std::size_t hit = 0;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    std::uint64_t n = rules[i].kind == RuleKind::kInvariant ? r.steps : r.decided[i] + r.advised[i];
    if (n) {
      exercised[std::string(rules[i].id)] = n;
      ++hit;
    } else {
      unexercised.push_back(rules[i].id);
    }
  }
  json out = {{"machine", M::kName},
              {"seed", a.seed},
              {"walks", a.walks},
              {"steps", r.steps},
              {"accepted", r.accepted},
              {"rejected", r.rejected},
              {"seconds", secs},
              {"rules_total", rules.size()},
              {"rules_exercised", hit},
              {"exercised", exercised},
              {"not_exercised_by_walks", unexercised}};
  if (!r.violation) {
    out["verdict"] = "pass";
    return out;
  }
  exit_code = Code(ExitCode::kViolation);
  const auto& v = *r.violation;
  const Rule& rule = rules[Index(v.finding.rule)];
  std::string artifact = a.artifact_dir + "/violation-" + std::string(M::kName) + "-seed" +
                         std::to_string(a.seed) + ".jsonl";
  std::ofstream f(artifact);
  WriteOpTrace<M>(f, v.trace);
  out["verdict"] = "violation";
  out["violation"] = {{"rule", rule.id},
                      {"statement", rule.statement},
                      {"detail", v.finding.detail},
                      {"walk", v.walk},
                      {"trace_length", v.trace.size()},
                      {"state", M::StateToJson(v.state)},
                      {"artifact", f ? artifact : ""}};
  if (!a.as_json) {
    std::cout << "ERROR: " << M::kName << ": invariant " << rule.id << " broken: "
              << v.finding.detail << "\n  rule: " << rule.statement << "\n  after "
              << v.trace.size() << " ops (walk " << v.walk << "):\n";
    for (std::size_t i = 0; i < v.trace.size(); ++i) {
      std::cout << "    " << i + 1 << ". " << M::Show(v.trace[i]) << "\n";
    }
    std::cout << "  state: " << M::Show(v.state) << "\n";
    if (f) std::cout << "  trace written to " << artifact << "\n";
    if (f) std::cout << "  replay: haspec run " << M::kName << " " << artifact << "\n";
    std::cout << "  reproduce: haspec check " << M::kName << " --seed " << a.seed
              << " --walks " << a.walks << " --steps " << a.steps
              << (a.documented_only ? " --documented-only" : "") << "\n";
  }
  return out;
}

int CmdCheck(const CheckArgs& a) {
  std::vector<std::string> names = a.machines;
  if (names.empty()) ForEachMachine([&]<Machine M>() { names.emplace_back(M::kName); });
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
    steps += r["steps"].get<std::uint64_t>();
    std::printf("%-12s %-9s %9llu steps (%llu accepted, %llu rejected) in %.2fs; "
                "%zu/%zu rules exercised (invariants checked every step)\n",
                r["machine"].get<std::string>().c_str(), r["verdict"].get<std::string>().c_str(),
                static_cast<unsigned long long>(r["steps"].get<std::uint64_t>()),
                static_cast<unsigned long long>(r["accepted"].get<std::uint64_t>()),
                static_cast<unsigned long long>(r["rejected"].get<std::uint64_t>()),
                r["seconds"].get<double>(), r["rules_exercised"].get<std::size_t>(),
                r["rules_total"].get<std::size_t>());
    const json& missing = r["not_exercised_by_walks"];
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
    std::printf("SUMMARY: a rule was broken; see ERROR above (exit %d)\n", exit_code);
  }
  return exit_code;
}

// Applies an op trace to the model from Initial(), printing each outcome and
// the observation, and checking every invariant after every step.
template <CodecMachine M>
int CmdRun(const std::string& path, Profile profile, bool quiet) {
  OpTrace<M> t;
  try {
    t = ReadOpTrace<M>(path);
  } catch (const InputError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return Code(ExitCode::kBadInput);
  }
  typename M::State s = M::Initial();
  std::vector<FindingOf<M>> findings;
  std::size_t accepted = 0;
  for (std::size_t i = 0; i < t.ops.size(); ++i) {
    const std::string where = path + ":" + std::to_string(t.lines[i]);
    auto o = M::Step(s, t.ops[i]);
    findings.clear();
    CheckStep<M>(s, t.ops[i], o.next, findings);
    s = o.next;
    accepted += o.accepted;
    const Rule& rule = RuleOf<M>(o.rule);
    if (!quiet) {
      std::cout << where << ": " << M::Show(t.ops[i]) << " -> "
                << (o.accepted ? "accepted" : "REJECTED") << " (" << rule.id << ")\n"
                << "    " << M::Show(M::Observe(s)) << "\n";
    }
    const std::string& want = t.expects[i];
    if (!want.empty() && want != (o.accepted ? "accepted" : "rejected") && want != rule.id) {
      std::cout << "ERROR: " << M::kName << ": expected " << want << " but the model "
                << (o.accepted ? "accepted" : "rejected") << " " << M::Show(t.ops[i]) << " by "
                << rule.id << " (" << rule.statement << ")\n  state: " << M::Show(s) << "\n"
                << "SUMMARY: unexpected verdict at " << where << "\n";
      return Code(ExitCode::kViolation);
    }
    for (const auto& f : findings) {
      const Rule& broken = RuleOf<M>(f.rule);
      if (!Enforced(broken, profile)) continue;
      std::cout << "ERROR: " << M::kName << ": invariant " << broken.id << " broken after "
                << M::Show(t.ops[i]) << ": " << f.detail << "\n  rule: " << broken.statement
                << "\n  state: " << M::Show(s) << "\n"
                << "SUMMARY: invariant broken at " << where << "\n";
      return Code(ExitCode::kViolation);
    }
  }
  std::cout << "SUMMARY: " << t.ops.size() << " ops (" << accepted << " accepted, "
            << t.ops.size() - accepted << " rejected), every expectation and invariant held\n";
  return 0;
}

std::string ExitCodeHelp() {
  std::ostringstream os;
  os << "Exit codes:\n";
  for (const ExitCodeInfo& e : kExitCodes) {
    os << "  " << static_cast<int>(e.code) << "  " << e.meaning << "\n";
  }
  os << "\nMachines: " << MachineNames() << "\nDocs: README.md and docs/ in the source tree.";
  return os.str();
}

int Main(int argc, char** argv) {
  CLI::App app{
      "haspec: executable reference models of HA cluster state machines, and the "
      "engines that check things against them."};
  app.footer(ExitCodeHelp());
  app.require_subcommand(1);
  app.set_version_flag("--version", "haspec 0.1.0");

  bool as_json = false;
  auto* machines = app.add_subcommand("machines", "List the bundled machines with their counts of ops, statuses and rules");
  machines->add_flag("--json", as_json, "Print JSON instead of a table");

  std::string rules_machine, kind;
  bool documented_only = false;
  auto* rules = app.add_subcommand("rules", "Print a machine's rule catalogue: ID, kind, basis, statement");
  rules->add_option("MACHINE", rules_machine, "Machine name (see `haspec machines`)")->required();
  bool as_markdown = false;
  rules->add_flag("--json", as_json, "Print JSON");
  rules->add_flag("--markdown", as_markdown, "Print a Markdown table (used for model/<machine>/README.md)");
  rules->add_option("--kind", kind, "Only rules of this kind")
      ->check(CLI::IsMember([] {
        std::vector<std::string> kinds;
        for (RuleKind k : kRuleKinds) kinds.emplace_back(ToString(k));
        return kinds;
      }()));
  rules->add_flag("--documented-only", documented_only, "Leave out assumption rules");

  CheckArgs ca;
  auto* check = app.add_subcommand(
      "check",
      "Check the bundled models: seeded random walks with every invariant checked after "
      "every step, and a summary of the rules exercised");
  check->add_option("MACHINE", ca.machines, "Machines to check (default: all)");
  check->add_option("--seed", ca.seed, "Random seed; the same seed gives the same walks")->capture_default_str();
  check->add_option("--walks", ca.walks, "Number of walks per machine")->capture_default_str()->check(CLI::PositiveNumber);
  check->add_option("--steps", ca.steps, "Steps per walk")->capture_default_str()->check(CLI::PositiveNumber);
  check->add_flag("--documented-only", ca.documented_only, "Enforce documented rules only; assumption rules are not held against anyone");
  check->add_flag("--json", ca.as_json, "Print a JSON report");
  check->add_option("--artifact-dir", ca.artifact_dir, "Where a violating trace is written")->capture_default_str();

  std::string run_machine, run_file;
  bool run_quiet = false, run_documented_only = false;
  auto* run = app.add_subcommand(
      "run", "Apply a JSON Lines op trace (such as a violation-*.jsonl artifact) to a model from "
             "its initial state, printing each outcome and checking every invariant");
  run->add_option("MACHINE", run_machine, "Machine name")->required();
  run->add_option("TRACE", run_file, "JSON Lines file, one op per line ('#' lines skipped)")->required();
  run->add_flag("-q,--quiet", run_quiet, "Print only the verdict");
  run->add_flag("--documented-only", run_documented_only, "Enforce documented rules only");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : Code(ExitCode::kUsage);
  }

  auto unknown = [](const std::string& name) {
    std::cerr << "error: unknown machine \"" << name << "\" (known: " << MachineNames() << ")\n";
    return Code(ExitCode::kUsage);
  };
  if (*machines) return CmdMachines(as_json);
  if (*rules) {
    int rc = 0;
    if (!VisitMachine(rules_machine, [&]<Machine M>() { rc = PrintRules<M>(as_json, as_markdown, kind, documented_only); })) {
      return unknown(rules_machine);
    }
    return rc;
  }
  if (*run) {
    int rc = 0;
    auto profile = run_documented_only ? Profile::kDocumentedOnly : Profile::kFull;
    if (!VisitMachine(run_machine, [&]<Machine M>() { rc = CmdRun<M>(run_file, profile, run_quiet); })) {
      return unknown(run_machine);
    }
    return rc;
  }
  if (*check) {
    for (const std::string& m : ca.machines) {
      if (!VisitMachine(m, []<Machine>() {})) return unknown(m);
    }
    return CmdCheck(ca);
  }
  return Code(ExitCode::kUsage);
}

}  // namespace
}  // namespace haspec

int main(int argc, char** argv) {
  try {
    return haspec::Main(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "internal error: " << e.what() << "\n";
    return static_cast<int>(haspec::ExitCode::kInternal);
  }
}
