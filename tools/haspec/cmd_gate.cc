// haspec gate MACHINE --sut 'COMMAND ARGS': check an implementation against
// the model with generated op sequences (docs/gate.md, docs/sut-protocol.md).
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "engine/coverage_json.h"
#include "engine/gate.h"
#include "engine/op_trace.h"
#include "tools/haspec/command.h"
#include "tools/haspec/common.h"
#include "traces/scenarios.h"

namespace haspec::cli {
namespace {

struct Args {
  std::string machine, sut, config, junit, out = ".", trace;
  int runs = 200, max_ops = 60;
  std::uint64_t seed = 1;
  double timeout = 10;
  double shrink_seconds = 10;
  bool documented_only = false;
  bool no_steer = false;
  std::vector<std::string> scenarios;
};

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
  for (const auto& st : f.steps) {
    if (f.at_reset) break;
    nlohmann::json j = st.sent;
    j["expect"] =
        st.reply.accepted ? "accepted" : (st.reply.reason.empty() ? "rejected" : st.reply.reason);
    if (!st.reply.observation.is_null()) j["obs"] = st.reply.observation;
    out << j.dump() << "\n";
  }
}

template <CodecMachine M>
int Run(const Args& a) {
  auto config = LoadConfig<M>(a.config);
  if (!config) return Code(ExitCode::kBadInput);
  std::vector<std::string> argv;
  try {
    argv = sut::SplitCommand(a.sut);
  } catch (const std::invalid_argument& e) {
    std::cerr << "error: --sut: " << e.what() << "\n";
    return Code(ExitCode::kUsage);
  }
  if (argv.empty()) {
    std::cerr << "error: --sut is empty\n";
    return Code(ExitCode::kUsage);
  }
  sut::ClientOptions copt;
  copt.timeout_ms = static_cast<int>(a.timeout * 1000);
  SubprocessTarget target(argv, copt);
  const Profile profile = ProfileOf(a.documented_only);
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
  std::cout << "ERROR: " << M::kName << ": " << kind << ": " << text
            << "  counterexample written to " << artifact << "\n"
            << "  replay against the model: haspec run " << M::kName << " " << artifact
            << (a.config.empty() ? "" : " --config " + a.config) << "\n"
            << "  replay against the implementation: haspec gate " << M::kName << " --sut '"
            << a.sut << "' --trace " << artifact
            << (a.config.empty() ? "" : " --config " + a.config) << "\n"
            << "  reproduce: haspec gate " << M::kName << " --sut '" << a.sut << "' --seed "
            << a.seed << " --runs " << a.runs << " --max-ops " << a.max_ops
            << (a.documented_only ? " --documented-only" : "")
            << (a.config.empty() ? "" : " --config " + a.config) << Repeat(a.scenarios)
            << (a.no_steer ? " --no-steer" : "") << "\n"
            << "SUMMARY: " << M::kName << " does not conform (" << kind << ")\n";
  if (!a.junit.empty()) {
    WriteJUnit(a.junit, suite, "conformance", secs(), kind, text, summary.str());
  }
  return Code(ExitCode::kViolation);
}

std::function<int()> Declare(CLI::App& sub) {
  auto a = std::make_shared<Args>();
  sub.add_option("MACHINE", a->machine, "Machine name (see `haspec machines`)")
      ->required()
      ->check(MachineValidator());
  sub.add_option("--sut", a->sut,
                 "Command that starts the implementation (split into arguments, never given to "
                 "a shell); it speaks docs/sut-protocol.md on stdin/stdout")
      ->required();
  sub.add_option("--runs", a->runs, "Generated op sequences")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  sub.add_option("--max-ops", a->max_ops, "Longest sequence")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  sub.add_option("--seed", a->seed, "Random seed; the same seed gives the same sequences")
      ->capture_default_str();
  sub.add_option("--timeout", a->timeout, "Seconds to wait for each reply")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  sub.add_option("--shrink-seconds", a->shrink_seconds,
                 "Time allowed for shrinking a counterexample; the smallest found by then is "
                 "reported")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  sub.add_option("--junit", a->junit, "Write a JUnit XML report to this file");
  sub.add_option("--out", a->out, "Folder for the counterexample trace")->capture_default_str();
  sub.add_option("--trace", a->trace,
                 "Replay this op trace (such as a gate counterexample) against the implementation "
                 "instead of generating sequences");
  sub.add_option("--scenario", a->scenarios,
                 "An op trace (haspec run's format) of a scenario to steer runs through, besides "
                 "the bundled ones (traces/<machine>/valid); repeatable")
      ->check(CLI::ExistingFile);
  sub.add_flag("--no-steer", a->no_steer,
               "Generate every run at random: no runs steered along scenarios or along the "
               "routes the model search finds to rules not yet exercised");
  AddProfileFlag(sub, a->documented_only);
  AddConfigOption(sub, a->config);
  return [a] {
    int rc = 0;
    VisitMachine(a->machine, [&]<Machine M>() { rc = Run<M>(*a); });
    return rc;
  };
}

const RegisterCommand kReg{
    {45, "gate",
     "Check an implementation (any language, over docs/sut-protocol.md) against the model with "
     "generated op sequences; a mismatch is shrunk to a minimal counterexample",
     &Declare}};

}  // namespace
}  // namespace haspec::cli
