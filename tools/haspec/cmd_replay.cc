// haspec replay MACHINE FILE...: check recorded traces (docs/trace-format.md)
// against a model, tracking the set of states consistent with everything
// seen, with hidden events between events; see docs/replay.md.
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>

#include "engine/report.h"
#include "tools/haspec/command.h"
#include "tools/haspec/common.h"
#include "tools/haspec/replay_driver.h"

namespace haspec::cli {
namespace {

struct Args : ReplayArgs, ImportArgs {
  std::vector<std::string> files, clusters;
  std::string junit;
  bool each = false;
  int jobs = 1;
  double min_rule_coverage = 0;
};

std::string XmlEscape(const std::string& s) {
  std::string out = report_internal::Html(s);
  // Control characters are not allowed in XML 1.0.
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') c = '?';
  }
  return out;
}

// The files of a --cluster DIR: its traces (*.jsonl), or, with a --format
// other than trace, every regular file below it (logs kept per node, as in
// DIR/node1/engine_A.log) but traces, configurations (*.json) and hidden
// files; sorted by path.
std::vector<std::string> ClusterFiles(const std::string& dir, bool raw, std::error_code& ec) {
  std::vector<std::string> files;
  namespace fs = std::filesystem;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    const fs::path& p = it->path();
    const std::string name = p.filename().string();
    if (!raw) {
      if (it.depth() == 0 && p.extension() == ".jsonl") files.push_back(p.string());
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    if (!name.empty() && name.front() == '.') {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file() && p.extension() != ".jsonl" && p.extension() != ".json") {
      files.push_back(p.string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

// The clusters to replay: the FILEs as one cluster (or one each with
// --each), then each --cluster DIR. Each file's format: the one --format
// for all, or one --format per FILE in order.
std::vector<std::vector<InputFile>> ClustersOf(const Args& a, int& rc) {
  std::vector<std::vector<InputFile>> out;
  auto format_of = [&](std::size_t i) {
    return a.formats.empty() ? std::string() : a.formats[a.formats.size() == 1 ? 0 : i];
  };
  std::vector<InputFile> given;
  for (std::size_t i = 0; i < a.files.size(); ++i) given.push_back({a.files[i], format_of(i)});
  if (a.each) {
    for (auto& f : given) out.push_back({f});
  } else if (!given.empty()) {
    out.push_back(given);
  }
  for (const auto& dir : a.clusters) {
    const std::string format = format_of(0);
    std::error_code ec;
    std::vector<std::string> files = ClusterFiles(dir, !IsTraceFormat(format), ec);
    if (ec) {
      std::cerr << "error: " << dir << ": cannot list the cluster directory: " << ec.message()
                << "\n";
      rc = Code(ExitCode::kBadInput);
      continue;
    }
    if (files.empty()) {
      std::cerr << "error: " << dir << ": "
                << (IsTraceFormat(format) ? "no *.jsonl trace" : "no input file")
                << " in the cluster directory\n";
      rc = Code(ExitCode::kBadInput);
      continue;
    }
    std::vector<InputFile> cluster;
    for (auto& f : files) cluster.push_back({std::move(f), format});
    out.push_back(std::move(cluster));
  }
  return out;
}

// The --format values are importers of M (or "trace"), one for all inputs
// or one per FILE; false with the usage error printed.
template <CodecMachine M>
bool FormatsUsable(const Args& a) {
  if (a.formats.size() > 1 && (a.formats.size() != a.files.size() || !a.clusters.empty())) {
    std::cerr << "error: --format: give one for every input, or one per FILE in order ("
              << a.formats.size() << " given for " << a.files.size() << " FILE(s)"
              << (a.clusters.empty() ? "" : " and --cluster") << ")\n";
    return false;
  }
  for (const auto& f : a.formats) {
    if (!IsTraceFormat(f) && !ImporterFor<M>(f, a.import)) return false;
  }
  return true;
}

// Worst first: a violation (1) over unreadable input (3) over a pass.
int Combine(int a, int b) {
  auto rank = [](int c) { return c == 1 ? 3 : c == 3 ? 2 : c == 0 ? 0 : 1; };
  return rank(b) > rank(a) ? b : a;
}

template <CodecMachine M>
int Run(const Args& a) {
  if (!FormatsUsable<M>(a)) return Code(ExitCode::kUsage);
  int rc = 0;
  auto clusters = ClustersOf(a, rc);
  if (clusters.empty()) {
    std::cerr << "error: no trace given (FILE... or --cluster DIR)\n";
    return Code(ExitCode::kUsage);
  }
  std::vector<ClusterResult> results(clusters.size());
  if (a.jobs <= 1 || clusters.size() == 1) {
    for (std::size_t i = 0; i < clusters.size(); ++i) {
      results[i] = ReplayCluster<M>(a, clusters[i], std::cout);
      std::cout.flush();
    }
  } else {
    // Clusters are independent: each runs on its own thread into its own
    // buffer; buffers are printed in cluster order as they complete.
    std::vector<std::string> outputs(clusters.size());
    std::vector<bool> done(clusters.size(), false);
    std::mutex mu;
    std::condition_variable cv;
    std::atomic<std::size_t> next{0};
    auto worker = [&] {
      for (;;) {
        const std::size_t i = next++;
        if (i >= clusters.size()) return;
        std::ostringstream os;
        ClusterResult r = ReplayCluster<M>(a, clusters[i], os);
        std::lock_guard<std::mutex> lock(mu);
        results[i] = std::move(r);
        outputs[i] = os.str();
        done[i] = true;
        cv.notify_all();
      }
    };
    std::vector<std::thread> threads;
    const int n = std::min<int>(a.jobs, static_cast<int>(clusters.size()));
    for (int t = 0; t < n; ++t) threads.emplace_back(worker);
    for (std::size_t i = 0; i < clusters.size(); ++i) {
      std::unique_lock<std::mutex> lock(mu);
      cv.wait(lock, [&] { return done[i]; });
      std::cout << outputs[i];
      std::cout.flush();
      outputs[i].clear();
    }
    for (auto& t : threads) t.join();
  }
  std::size_t failing = 0;
  for (const auto& r : results) {
    rc = Combine(rc, r.exit_code);
    failing += r.exit_code != 0;
  }
  if (a.coverage) {
    Coverage all = NewCoverage<M>();
    for (const auto& r : results) all.Merge(r.coverage);
    if (!MeetsRuleCoverage(all, a.min_rule_coverage, std::cout)) {
      rc = Combine(rc, Code(ExitCode::kViolation));
    }
  }
  if (!a.report.empty()) WriteReplayReport<M>(a.report, results, rc, std::cout);
  if (clusters.size() > 1) {
    std::cout << "SUMMARY: " << clusters.size() << " cluster(s), " << failing
              << " not conforming or not readable (exit " << rc << ")\n";
  }
  if (!a.junit.empty()) {
    std::ofstream out(a.junit);
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"haspec replay "
        << M::kName << "\" tests=\"" << results.size() << "\" failures=\"" << failing << "\">\n";
    for (const auto& r : results) {
      out << "  <testcase classname=\"replay." << M::kName << "\" name=\"" << XmlEscape(r.name)
          << "\">";
      if (r.exit_code != 0) {
        out << "<failure message=\""
            << XmlEscape(r.first_failure.empty() ? "exit " + std::to_string(r.exit_code)
                                                 : r.first_failure)
            << "\">exit " << r.exit_code << "</failure>";
      }
      out << "</testcase>\n";
    }
    out << "</testsuite>\n";
    if (!out) {
      std::cerr << "error: " << a.junit << ": cannot write the JUnit report\n";
      return Code(ExitCode::kBadInput);
    }
  }
  return rc;
}

std::function<int()> Declare(CLI::App& sub) {
  auto a = std::make_shared<Args>();
  AddMachineArgument(sub, a->machine);
  sub.add_option("FILE", a->files,
                 "Trace files (docs/trace-format.md), or raw logs with --format, of ONE "
                 "cluster, merged by timestamp (--each: one cluster per file)");
  AddImportOptions(sub, *a,
                   "Read the inputs with this importer (listed below; \"trace\": a trace "
                   "file): one for every input, or one per FILE in order");
  sub.add_option("--cluster", a->clusters,
                 "A directory holding one cluster's traces (*.jsonl, merged); repeatable, one "
                 "cluster each")
      ->check(CLI::ExistingDirectory);
  sub.add_flag("--each", a->each, "Each FILE is a cluster of its own");
  sub.add_option("-j,--jobs", a->jobs, "Replay up to N clusters in parallel")
      ->check(CLI::Range(1, 256));
  sub.add_flag("--keep-going", a->keep_going,
               "Go on after a failure or a bad line (resynchronising on the failing event), "
               "reporting every one");
  AddProfileFlag(sub, a->documented_only);
  AddConfigOption(sub, a->config);
  sub.add_option("--junit", a->junit, "Write a JUnit XML report (one test case per cluster)");
  AddHiddenOption(sub, a->hidden);
  sub.add_option("--hidden-commands", a->hidden_commands,
                 "Whether commands nobody logged may be hidden steps: auto (until the trace "
                 "logs a command), yes or no; events and completions always may")
      ->check(CLI::IsMember({"auto", "yes", "no"}));
  sub.add_option("--max-states", a->max_states, "Bound of the set of consistent states")
      ->check(CLI::Range(1, 10'000'000));
  sub.add_option("--skew", a->skew,
                 "Clock skew between files, in seconds: events of two files this close may "
                 "have happened in either order")
      ->check(CLI::Range(0.0, 86400.0));
  sub.add_option("--max-line-bytes", a->max_line_bytes,
                 "Longest line read; a longer one is bad input, skipped unread")
      ->check(CLI::Range(16, 1 << 30));
  sub.add_flag("--from-any-state", a->from_any_state,
               "Start from every reachable state (a log that begins mid-life), not the "
               "initial state");
  sub.add_flag("-q,--quiet", a->quiet, "Print only failures and summaries");
  AddMinRuleCoverageOption(sub, a->min_rule_coverage);
  AddReplayReportOption(sub, a->report);
  sub.add_flag("--check-directives", a->check_directives,
               "Pass only when the first failure is the one a '# expect-violation: RULE' "
               "(departure, drift, bad-input) comment of the trace states");
  return [a] {
    if (!ImportContextOf(*a, a->import)) return Code(ExitCode::kUsage);
    a->coverage = a->min_rule_coverage > 0 || !a->report.empty();
    return OnMachine(a->machine, [&]<Machine M>() { return Run<M>(*a); });
  };
}

const RegisterCommand kReg{
    {55, "replay",
     "Check recorded traces of a cluster (op events, results, partial observations, "
     "timestamps) against a model, with hidden events between them; report the first event "
     "no consistent state explains",
     &Declare}};

}  // namespace
}  // namespace haspec::cli
