// The gate's report, shared by `haspec gate --sut` and GateMain; see
// gate_runner.h.
#include "tools/haspec/gate_runner.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "engine/coverage_json.h"
#include "engine/gate.h"
#include "engine/op_trace.h"
#include "engine/report.h"
#include "tools/haspec/common.h"
#include "traces/scenarios.h"

namespace haspec {
namespace {

using cli::Code;

std::string XmlEscape(const std::string& s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '<':
        o += "&lt;";
        break;
      case '>':
        o += "&gt;";
        break;
      case '&':
        o += "&amp;";
        break;
      case '"':
        o += "&quot;";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') {
          o += '?';
        } else {
          o += c;
        }
    }
  }
  return o;
}

void WriteJUnit(const std::string& path, const std::string& suite, const std::string& name,
                double secs, const std::string& failure_kind, const std::string& failure_text,
                const std::string& out_text) {
  std::ofstream f(path);
  const bool failed = !failure_kind.empty();
  f << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    << "<testsuites tests=\"1\" failures=\"" << (failed && failure_kind != "error")
    << "\" errors=\"" << (failure_kind == "error") << "\">\n"
    << "  <testsuite name=\"" << XmlEscape(suite) << "\" tests=\"1\" failures=\""
    << (failed && failure_kind != "error") << "\" errors=\"" << (failure_kind == "error")
    << "\" time=\"" << secs << "\">\n"
    << "    <testcase classname=\"" << XmlEscape(suite) << "\" name=\"" << XmlEscape(name)
    << "\" time=\"" << secs << "\">\n";
  if (failed) {
    const char* tag = failure_kind == "error" ? "error" : "failure";
    f << "      <" << tag << " type=\"" << failure_kind << "\" message=\""
      << XmlEscape(failure_text.substr(0, failure_text.find('\n'))) << "\">"
      << XmlEscape(failure_text) << "</" << tag << ">\n";
  }
  f << "      <system-out>" << XmlEscape(out_text) << "</system-out>\n"
    << "    </testcase>\n  </testsuite>\n</testsuites>\n";
}

std::string FormatSeconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f s", s);
  return buf;
}

std::string Repeat(const std::vector<std::string>& scenarios) {
  std::string o;
  for (const auto& f : scenarios) o += " --scenario " + f;
  return o;
}

template <CodecMachine M>
std::string Verdict(const GateStep<M>& st) {
  if (st.reply.accepted) return "accepted";
  return "refused" + (st.reply.reason.empty() ? std::string() : " (" + st.reply.reason + ")");
}

template <CodecMachine M>
std::string DescribeFailure(const GateFailure<M>& f, const typename M::Config& config) {
  const Nodes& nodes = config.nodes;
  std::ostringstream os;
  const char* kind = f.fit == Fit::kMismatch ? "violation" : "departure";
  const GateStep<M>& last = f.steps.back();
  if (f.at_reset) {
    os << "the initial observation differs from the model (" << kind << ")\n";
  } else {
    os << "step " << f.steps.size() << " differs (" << kind << "): " << M::Show(last.op, nodes)
       << " -> " << Verdict<M>(last) << "\n";
  }
  for (const auto& w : last.why) {
    const Rule& r = RuleOf<M>(w.rule);
    os << "  rule " << r.id << " [" << ToString(r.kind) << ", "
       << (IsDocumented(r) ? "documented" : "assumption") << "]: " << w.detail << "\n"
       << "    " << r.statement << "\n";
  }
  os << "  minimal sequence (" << f.steps.size() - (f.at_reset ? 1 : 0) << " ops):\n";
  for (std::size_t i = 0; i < f.steps.size(); ++i) {
    if (f.at_reset) break;
    os << "    " << i + 1 << ". " << M::Show(f.steps[i].op, nodes) << " -> "
       << Verdict<M>(f.steps[i]) << "\n";
  }
  if (!last.reply.observation.is_null()) {
    os << "  the implementation shows: " << last.reply.observation.dump() << "\n";
  }
  for (const auto& s : last.allowed) {
    if (f.at_reset) {
      os << "  the model shows:          " << M::ObservationToJson(M::Observe(s), nodes).dump()
         << "\n";
      continue;
    }
    std::vector<OutcomeOf<M>> answers;
    AnswersOf<M>(s, last.op, answers);
    for (const auto& a : answers) {
      os << "  the model allows: " << (a.accepted ? "accepted" : "refused") << " by "
         << RuleOf<M>(a.rule).id
         << (a.departs ? " (departing from " + std::string(RuleOf<M>(*a.departs).id) + ")" : "")
         << ", showing " << M::ObservationToJson(M::Observe(a.next), nodes).dump() << "\n";
    }
  }
  return os.str();
}

template <CodecMachine M>
void WriteTrace(const std::string& path, const GateFailure<M>& f) {
  std::ofstream out(path);
  out << "# haspec gate counterexample for " << M::kName
      << ": each line is an op as sent, with the implementation's answer as \"expect\"\n"
      << "# and what it showed as \"obs\". `haspec run` replays it against the model, and\n"
      << "# `haspec gate --trace` against the implementation.\n";
  if (f.at_reset) {
    // The initial observation already differs: a line with no op, which
    // `haspec run` checks against the initial state.
    out << nlohmann::json{{"obs", f.steps.front().reply.observation}}.dump() << "\n";
    return;
  }
  for (const auto& st : f.steps) {
    nlohmann::json j = st.sent;
    j["expect"] =
        st.reply.accepted ? "accepted" : (st.reply.reason.empty() ? "rejected" : st.reply.reason);
    if (!st.reply.observation.is_null()) j["obs"] = st.reply.observation;
    out << j.dump() << "\n";
  }
}

// The gate's outcome for people (--report): the counterexample as a
// sequence diagram between haspec and the implementation, each rule broken
// with the sentence it comes from, the coverage table.
template <CodecMachine M>
FailureReport GateFailureReport(const GateReport<M>& r, const GateArgs& a,
                                const typename M::Config& config, const std::string& verdict,
                                const std::string& details) {
  FailureReport out;
  out.title = "haspec gate: " + std::string(M::kName) + " vs " + r.implementation;
  out.verdict = verdict;
  out.facts.push_back(std::to_string(r.runs) + " run(s), " + std::to_string(r.ops) + " ops, seed " +
                      std::to_string(a.seed) +
                      (a.documented_only ? ", documented rules only" : ""));
  out.coverage = &r.coverage;
  if (!r.failure) return out;
  const GateFailure<M>& fl = *r.failure;
  const char* kind = fl.fit == Fit::kMismatch ? "violation" : "departure from an assumption";
  ReportFailure f;
  f.left = "haspec gate";
  f.right = r.implementation;
  f.note = std::string(kind) + ": the model allows no such answer here";
  auto shows = [](const sut::Reply& reply) {
    if (!reply.observation.is_null()) return ", shows " + reply.observation.dump();
    return reply.observation_text.empty() ? std::string() : ", shows " + reply.observation_text;
  };
  if (fl.at_reset) {
    f.heading = "Counterexample: the initial observation";
    f.steps.push_back({"reset", "ready" + shows(fl.steps.front().reply), true});
  } else {
    f.heading = "Counterexample (" + std::to_string(fl.steps.size()) + " ops, shrunk)";
    for (std::size_t i = 0; i < fl.steps.size(); ++i) {
      const bool last = i + 1 == fl.steps.size();
      f.steps.push_back({M::Show(fl.steps[i].op, config.nodes),
                         Verdict<M>(fl.steps[i]) + (last ? shows(fl.steps[i].reply) : ""), last});
    }
  }
  for (const auto& w : fl.steps.back().why)
    f.rules.push_back(RuleEntry(RuleOf<M>(w.rule), w.detail));
  f.details = details;
  out.failures.push_back(std::move(f));
  return out;
}

// Writes --report, when asked; prints where (or why not) on `os`.
template <CodecMachine M>
void MaybeWriteReport(const GateReport<M>& r, const GateArgs& a, const typename M::Config& config,
                      const std::string& verdict, const std::string& details, std::ostream& os) {
  if (a.report.empty()) return;
  std::string err;
  if (WriteReport(a.report, GateFailureReport<M>(r, a, config, verdict, details), err)) {
    os << "report written to " << a.report << "\n";
  } else {
    os << "WARNING: " << err << "\n";
  }
}

template <CodecMachine M>
int Run(const GateArgs& a, const std::string& command, const GateTargetFactory& make_target) {
  auto config = cli::LoadConfig<M>(a.config);
  if (!config) return Code(ExitCode::kBadInput);
  std::unique_ptr<GateTarget> target_ptr = make_target();
  if (!target_ptr) return Code(ExitCode::kUsage);
  GateTarget& target = *target_ptr;
  const Profile profile = cli::ProfileOf(a.documented_only);
  const bool tty = isatty(STDERR_FILENO);
  auto t0 = std::chrono::steady_clock::now();
  std::string suite = "haspec gate " + std::string(M::kName);
  auto secs = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  };
  GateReport<M> r;
  try {
    if (!a.trace.empty()) {
      OpTrace<M> t;
      try {
        t = ReadOpTrace<M>(a.trace, config->nodes);
      } catch (const InputError& e) {
        std::cerr << "error: " << e.what() << "\n";
        return Code(ExitCode::kBadInput);
      }
      auto hello = target.Hello(std::string(M::kName), M::ConfigToJson(*config));
      r.implementation = hello.implementation;
      bool failed = false;
      auto run = RunSequence<M>(target, *config, hello, t.ops, nullptr, profile, &r, failed);
      r.runs = 1;
      if (failed) r.failure = std::move(run);
    } else {
      GateOptions opt{a.runs, a.max_ops, a.seed, profile, {}, a.shrink_seconds};
      opt.steer = !a.no_steer;
      // Scenario routes: the bundled valid traces (skipped quietly where
      // the configuration lacks their node names), then the user's.
      std::vector<std::vector<typename M::Op>> scenarios;
      for (const BundledTrace& b : BundledTraces(M::kName)) {
        std::istringstream in{std::string(b.text)};
        try {
          for (auto& route : TraceRoutes(ParseOpTrace<M>(in, std::string(b.path), config->nodes))) {
            scenarios.push_back(std::move(route));
          }
        } catch (const InputError&) {
        }
      }
      for (const auto& path : a.scenarios) {
        try {
          for (auto& route : TraceRoutes(ReadOpTrace<M>(path, config->nodes))) {
            scenarios.push_back(std::move(route));
          }
        } catch (const InputError& e) {
          std::cerr << "error: --scenario: " << e.what() << "\n";
          return Code(ExitCode::kBadInput);
        }
      }
      auto last = std::chrono::steady_clock::now();
      opt.progress = [&](int done, int total) {
        auto now = std::chrono::steady_clock::now();
        if (tty && (now - last > std::chrono::milliseconds(300) || done == total)) {
          std::fprintf(stderr, "\r%s: run %d/%d", std::string(M::kName).c_str(), done, total);
          if (done == total) std::fputc('\n', stderr);
          last = now;
        }
      };
      r = Gate<M>(target, *config, opt, scenarios);
    }
    target.Close();
  } catch (const sut::SutError& e) {
    std::cout << "ERROR: " << M::kName << ": the implementation failed: " << e.what() << "\n"
              << "SUMMARY: gate aborted (exit " << Code(ExitCode::kSutError) << ")\n";
    if (!a.junit.empty()) {
      WriteJUnit(a.junit, suite, "conformance", secs(), "error", e.what(), "");
    }
    return Code(ExitCode::kSutError);
  }
  std::ostringstream summary;
  summary << "gate: " << M::kName << " vs " << r.implementation << ": " << r.runs << " run(s), "
          << r.ops << " ops, seed " << a.seed
          << (a.documented_only ? ", documented rules only" : "") << "\n";
  if (r.steered > 0) {
    summary << "  " << r.steered << " run(s) steered along " << r.routes
            << " route(s) (scenarios and model search, " << FormatSeconds(r.routes_seconds)
            << ")\n";
  }
  if (r.found_in_run > 0) {
    summary << "  first failure in run " << r.found_in_run << " after "
            << FormatSeconds(r.found_seconds) << " (" << r.found_ops << " ops before shrinking)\n";
  }
  summary << CoverageText(r.coverage) << "\n";
  for (const auto& w : r.warnings) summary << "WARNING: " << w << "\n";
  if (r.coverage.ExercisedCount() < r.coverage.rules.size()) {
    summary << "WARNING: " << r.coverage.rules.size() - r.coverage.ExercisedCount()
            << " rule(s) were never exercised by this gate (listed above): it says nothing "
               "about them\n";
  }
  // Departures fail the full profile and are warnings under
  // --documented-only.
  for (auto rule : r.departures) {
    summary << (a.documented_only ? "WARNING" : "ERROR") << ": departure from assumption "
            << RuleOf<M>(rule).id << " (" << RuleOf<M>(rule).statement << ")\n";
  }
  std::cout << summary.str();
  if (!r.failure && !cli::MeetsRuleCoverage(r.coverage, a.min_rule_coverage, std::cout)) {
    MaybeWriteReport<M>(r, a, *config, "conforms, but exercised too few rules", "", std::cout);
    std::cout << "SUMMARY: " << M::kName << " conforms, but the gate exercised too few rules\n";
    if (!a.junit.empty()) {
      WriteJUnit(a.junit, suite, "conformance", secs(), "rule coverage",
                 "rule coverage below --min-rule-coverage", summary.str());
    }
    return Code(ExitCode::kViolation);
  }
  if (!r.failure && !a.documented_only && !r.departures.empty()) {
    std::cout << "ERROR: " << M::kName
              << ": assumption departure: seen while searching for violations, but the search "
                 "for a counterexample did not meet it again; rerun with more --runs\n"
              << "SUMMARY: " << M::kName << " does not conform (assumption departure)\n";
    if (!a.junit.empty()) {
      WriteJUnit(a.junit, suite, "conformance", secs(), "assumption departure",
                 "assumption departure without a counterexample", summary.str());
    }
    return Code(ExitCode::kViolation);
  }
  if (!r.failure) {
    MaybeWriteReport<M>(r, a, *config, "conforms", "", std::cout);
    std::cout << "SUMMARY: " << M::kName << " conforms"
              << (r.departures.empty() ? "" : " to the documented rules") << "\n";
    if (!a.junit.empty()) WriteJUnit(a.junit, suite, "conformance", secs(), "", "", summary.str());
    return 0;
  }
  const auto& f = *r.failure;
  std::string text = DescribeFailure<M>(f, *config);
  std::string artifact =
      (std::filesystem::path(a.out) /
       ("gate-" + std::string(M::kName) + "-seed" + std::to_string(a.seed) + ".jsonl"))
          .string();
  WriteTrace<M>(artifact, f);
  const char* kind = f.fit == Fit::kMismatch ? "violation" : "assumption departure";
  MaybeWriteReport<M>(r, a, *config, "does not conform (" + std::string(kind) + ")", text,
                      std::cout);
  std::cout << "ERROR: " << M::kName << ": " << kind << ": " << text
            << "  counterexample written to " << artifact << "\n"
            << "  replay against the model: haspec run " << M::kName << " " << artifact
            << (a.config.empty() ? "" : " --config " + a.config) << "\n"
            << "  replay against the implementation: " << command << " --trace " << artifact
            << (a.config.empty() ? "" : " --config " + a.config) << "\n"
            << "  reproduce: " << command << " --seed " << a.seed << " --runs " << a.runs
            << " --max-ops " << a.max_ops << (a.documented_only ? " --documented-only" : "")
            << (a.config.empty() ? "" : " --config " + a.config) << Repeat(a.scenarios)
            << (a.no_steer ? " --no-steer" : "") << "\n"
            << "SUMMARY: " << M::kName << " does not conform (" << kind << ")\n";
  if (!a.junit.empty()) {
    WriteJUnit(a.junit, suite, "conformance", secs(), kind, text, summary.str());
  }
  return Code(ExitCode::kViolation);
}

}  // namespace

void AddGateOptions(CLI::App& sub, GateArgs& a, double* timeout) {
  sub.add_option("--runs", a.runs, "Generated op sequences")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  sub.add_option("--max-ops", a.max_ops, "Longest sequence")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  sub.add_option("--seed", a.seed, "Random seed; the same seed gives the same sequences")
      ->capture_default_str();
  if (timeout) {
    sub.add_option("--timeout", *timeout, "Seconds to wait for each reply")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
  }
  sub.add_option("--shrink-seconds", a.shrink_seconds,
                 "Time allowed for shrinking a counterexample; the smallest found by then is "
                 "reported")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  sub.add_option("--junit", a.junit, "Write a JUnit XML report to this file");
  sub.add_option("--out", a.out, "Folder for the counterexample trace")->capture_default_str();
  sub.add_option("--trace", a.trace,
                 "Replay this op trace (such as a gate counterexample) against the implementation "
                 "instead of generating sequences");
  sub.add_option("--scenario", a.scenarios,
                 "An op trace (haspec run's format) of a scenario to steer runs through, besides "
                 "the bundled ones (traces/<machine>/valid); repeatable")
      ->check(CLI::ExistingFile);
  sub.add_flag("--no-steer", a.no_steer,
               "Generate every run at random: no runs steered along scenarios or along the "
               "routes the model search finds to rules not yet exercised");
  cli::AddProfileFlag(sub, a.documented_only);
  cli::AddConfigOption(sub, a.config);
  cli::AddMinRuleCoverageOption(sub, a.min_rule_coverage);
  sub.add_option("--report", a.report,
                 "Also write the outcome for people to FILE.md (Markdown, Mermaid sequence "
                 "diagram) or FILE.html (one self-contained page, SVG diagram): the "
                 "counterexample, each rule broken with its source sentence, the coverage table")
      ->check([](const std::string& v) {
        return ReportFormatKnown(v) ? std::string() : "a report is FILE.md or FILE.html";
      });
}

int RunGate(const GateArgs& args, const std::string& command,
            const GateTargetFactory& make_target) {
  int rc = Code(ExitCode::kUsage);
  if (!VisitMachine(args.machine, [&]<Machine M>() { rc = Run<M>(args, command, make_target); })) {
    return cli::UnknownMachine(args.machine);
  }
  return rc;
}

namespace {

// Failures before the gate starts (the implementation cannot be created or
// named) in the gate's own failure shape.
int ImplementationFailed(const GateArgs& a, const std::string& what) {
  std::cout << "ERROR: the implementation failed: " << what << "\n"
            << "SUMMARY: gate aborted (exit " << Code(ExitCode::kSutError) << ")\n";
  if (!a.junit.empty()) WriteJUnit(a.junit, "haspec gate", "conformance", 0, "error", what, "");
  return Code(ExitCode::kSutError);
}

std::string ExitCodesFooter() {
  std::ostringstream os;
  os << "Exit codes:\n";
  for (const ExitCodeInfo& e : kExitCodes) {
    os << "  " << static_cast<int>(e.code) << "  " << e.meaning << "\n";
  }
  os << "\nMachines: " << cli::MachineNames();
  return os.str();
}

int GateMainOf(
    int argc, char** argv,
    const std::function<sut::Implementation*(std::unique_ptr<sut::Implementation>&)>& get) {
  CLI::App app{
      "Checks this C++ implementation against haspec's reference model with generated op "
      "sequences, in process (haspec gate's options and report); a mismatch is shrunk to a "
      "minimal counterexample."};
  app.footer(ExitCodesFooter());
  GateArgs a;
  AddGateOptions(app, a, nullptr);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : Code(ExitCode::kUsage);
  }
  std::unique_ptr<sut::Implementation> owned;
  sut::Implementation* impl = nullptr;
  try {
    impl = get(owned);
    if (impl == nullptr) return ImplementationFailed(a, "its factory returned null");
    a.machine = impl->Machine();
  } catch (const std::exception& e) {
    return ImplementationFailed(a, std::string("creating it threw: ") + e.what());
  }
  if (!VisitMachine(a.machine, []<Machine>() {})) {
    return ImplementationFailed(
        a, "it is for machine \"" + a.machine +
               "\", which haspec does not know (known: " + cli::MachineNames() + ")");
  }
  // The report's replay and reproduce lines rerun this program.
  const std::string command = argc > 0 ? argv[0] : "gate";
  return RunGate(a, command, [impl] { return std::make_unique<InProcessTarget>(*impl); });
}

// Like the CLI's main: an escaped exception is haspec's own failure.
template <class F>
int Guarded(F f) {
  try {
    return f();
  } catch (const std::exception& e) {
    std::cerr << "internal error: " << e.what() << "\n";
    return Code(ExitCode::kInternal);
  }
}

}  // namespace

int GateMain(int argc, char** argv, const ImplementationFactory& make) {
  return Guarded([&] {
    return GateMainOf(argc, argv, [&](std::unique_ptr<sut::Implementation>& owned) {
      owned = make();
      return owned.get();
    });
  });
}

int GateMain(int argc, char** argv, sut::Implementation& impl) {
  return Guarded([&] {
    return GateMainOf(argc, argv, [&](std::unique_ptr<sut::Implementation>&) { return &impl; });
  });
}

}  // namespace haspec
