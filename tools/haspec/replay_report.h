// `haspec replay --report FILE.md|FILE.html`: a replay failure for people
// (engine/report.h): the events before it and the event no consistent state
// explains, as a sequence diagram between the trace and the model, each rule
// broken with the sentence it comes from, and the coverage table.
//
//   ReportFailure f = ReplayReportFailure<M>(finding, "traces/jsa/invalid/x.jsonl");
//   FailureReport r = ReplayReport<M>(failures, coverage, verdict, facts);
#ifndef HASPEC_TOOLS_HASPEC_REPLAY_REPORT_H_
#define HASPEC_TOOLS_HASPEC_REPLAY_REPORT_H_

#include <string>
#include <utility>
#include <vector>

#include "engine/replay.h"
#include "engine/report.h"
#include "tools/haspec/common.h"

namespace haspec::cli {

// How many events before a failure a report shows (the replay's context
// window while a report is asked for).
inline constexpr std::size_t kReportContext = 40;

// "FILE:LINE: text" as the replay keeps its context.
inline std::pair<std::string, std::string> SplitWhere(const std::string& context_line) {
  // FILE:LINE: is followed by ": "; the file name may hold colons itself.
  const auto cut = context_line.find(": ");
  if (cut == std::string::npos) return {"", context_line};
  return {context_line.substr(0, cut), context_line.substr(cut + 2)};
}

template <CodecMachine M>
ReportFailure ReplayReportFailure(const ReplayFinding<M>& f, const std::string& cluster) {
  ReportFailure out;
  out.heading = cluster + ": " + std::string(ToString(f.kind)) + " at " + f.where;
  out.left = "trace (" + cluster + ")";
  out.right = std::string("haspec model ") + std::string(M::kName);
  out.note = std::string(ToString(f.kind)) +
             (f.phase.empty() ? "" : " (the " + f.phase + " does not fit)") +
             ": no state consistent with the events before explains it";
  for (const auto& c : f.context) {
    auto [where, text] = SplitWhere(c);
    out.steps.push_back({where + ": " + text, "consistent", false});
  }
  out.steps.push_back({f.where + ": " + f.text, std::string(ToString(f.kind)), true});
  for (const auto& b : f.breaches) out.rules.push_back(RuleEntry(RuleOf<M>(b.rule), b.detail));
  std::string details;
  if (!f.src.empty()) details += "from the log line " + f.src + "\n";
  if (!f.problem.empty()) details += f.problem + "\n";
  if (!f.allowed.empty()) {
    details += "the model allows here:\n";
    for (const auto& a : f.allowed) details += "  " + a + "\n";
  }
  out.details = std::move(details);
  return out;
}

template <CodecMachine M>
FailureReport ReplayReport(std::vector<ReportFailure> failures, const Coverage* coverage,
                           const std::string& verdict, std::vector<std::string> facts) {
  FailureReport r;
  r.title = "haspec replay: " + std::string(M::kName);
  r.verdict = verdict;
  r.facts = std::move(facts);
  r.failures = std::move(failures);
  r.coverage = coverage;
  return r;
}

inline void AddReplayReportOption(CLI::App& sub, std::string& report) {
  sub.add_option("--report", report,
                 "Also write the first failure for people to FILE.md (Markdown, Mermaid "
                 "sequence diagram) or FILE.html (one self-contained page, SVG diagram): the "
                 "events up to it, each rule broken with its source sentence, the coverage table")
      ->check([](const std::string& v) {
        return ReportFormatKnown(v) ? std::string() : "a report is FILE.md or FILE.html";
      });
}

// Writes --report from the clusters' results (ClusterResult of
// replay_driver.h: name, exit_code, events, coverage, report) and the exit
// code of the whole replay; prints where (or why not) on `os`.
template <CodecMachine M, class Results>
void WriteReplayReport(const std::string& path, const Results& results, int rc, std::ostream& os) {
  Coverage all = NewCoverage<M>();
  std::vector<ReportFailure> failures;
  std::size_t events = 0;
  for (const auto& r : results) {
    all.Merge(r.coverage);
    events += r.events;
    if (r.report) failures.push_back(*r.report);
  }
  const std::string verdict = rc == 0 ? "conforms"
                              : rc == 1
                                  ? "does not conform"
                                  : "input not fully readable (exit " + std::to_string(rc) + ")";
  FailureReport report =
      ReplayReport<M>(std::move(failures), &all, verdict,
                      {std::to_string(results.size()) + " cluster(s), " + std::to_string(events) +
                       " event(s); the first failure of each failing cluster, with up to " +
                       std::to_string(kReportContext) + " events before it"});
  std::string err;
  if (WriteReport(path, report, err)) {
    os << "report written to " << path << "\n";
  } else {
    os << "WARNING: " << err << "\n";
  }
}

}  // namespace haspec::cli

#endif  // HASPEC_TOOLS_HASPEC_REPLAY_REPORT_H_
