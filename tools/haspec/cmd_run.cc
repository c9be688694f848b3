// haspec run MACHINE TRACE: step an op trace through a model from its
// initial state, with expectations and observations, and every invariant
// checked after every step. Text for people, --json (one object per step) for programs.
#include <memory>

#include "engine/op_trace.h"
#include "engine/run.h"
#include "tools/haspec/command.h"
#include "tools/haspec/common.h"
#include "tools/haspec/trace_config.h"

namespace haspec::cli {
namespace {

struct Args {
  std::string machine, trace, config;
  bool quiet = false, documented_only = false, as_json = false, keep_going = false;
};

template <CodecMachine M>
json BreachesJson(const RunStep<M>& st) {
  json breaches = json::array();
  for (const auto& b : st.breaches) {
    breaches.push_back({{"rule", RuleOf<M>(b.rule).id},
                        {"kind", ToString(RuleOf<M>(b.rule).kind)},
                        {"severity", ToString(b.severity)},
                        {"detail", b.detail}});
  }
  return breaches;
}

// The line's "obs" as read, and its fit with the states the trace allows.
template <CodecMachine M>
void AddSeenJson(const RunStep<M>& st, const Nodes& nodes, json& j) {
  if (!st.seen) return;
  json why = json::array();
  for (const auto& w : st.seen_why) {
    why.push_back({{"rule", RuleOf<M>(w.rule).id}, {"detail", w.detail}});
  }
  j["obs"] = M::ObservationToJson(*st.seen, nodes);
  j["obs_verdict"] = {{"fit", ToString(st.seen_fit)}, {"why", why}};
}

template <CodecMachine M>
json StepJson(const RunStep<M>& st, const Nodes& nodes) {
  if (st.initial) {
    json j = {{"line", st.line},
              {"initial_observation", true},
              {"observation", M::ObservationToJson(M::Observe(st.outcome.next), nodes)},
              {"findings", BreachesJson(st)}};
    AddSeenJson(st, nodes, j);
    return j;
  }
  json refusals = json::array();
  for (auto r : st.refusals) refusals.push_back(RuleOf<M>(r).id);
  json breaches = BreachesJson(st);
  json j = {{"line", st.line},
            {"op", OpToJson(st.op, nodes)},
            {"accepted", st.outcome.accepted},
            {"rule", RuleOf<M>(st.outcome.rule).id},
            {"refusals", refusals},
            {"observation", M::ObservationToJson(M::Observe(st.outcome.next), nodes)},
            {"state", M::StateToJson(st.outcome.next, nodes)},
            {"findings", breaches}};
  if (st.outcome.departs) j["departs"] = RuleOf<M>(*st.outcome.departs).id;
  if (!st.expect.empty()) j["expect"] = st.expect;
  if (!st.result.empty()) j["result"] = st.result;
  if (!st.reason.empty()) j["reason"] = st.reason;
  AddSeenJson(st, nodes, j);
  return j;
}

// "fits", or why not, for the text report.
template <CodecMachine M>
std::string SeenVerdict(const RunStep<M>& st) {
  if (st.seen_fit == Fit::kMatch) return "fits";
  std::string rules;
  for (const auto& w : st.seen_why) {
    const std::string id(RuleOf<M>(w.rule).id);
    if (rules.find(id) == std::string::npos) rules += (rules.empty() ? "" : ", ") + id;
  }
  return st.seen_fit == Fit::kDeparture ? "fits only by departing from " + rules
                                        : "FITS NO STATE the trace allows (" + rules + ")";
}

template <CodecMachine M>
int Run(const Args& a) {
  std::optional<typename M::Config> config;
  try {
    config = LoadConfigFor<M>(a.config, PeekTraceHeader(a.trace), a.trace);
  } catch (const InputError& e) {
    std::cerr << "error: " << e.what() << "\n";
  }
  if (!config) return Code(ExitCode::kBadInput);
  const Nodes& nodes = config->nodes;
  OpTrace<M> t;
  try {
    t = ReadOpTrace<M>(a.trace, nodes);
  } catch (const InputError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return Code(ExitCode::kBadInput);
  }
  const Profile profile = ProfileOf(a.documented_only);
  const auto init = M::Initial(*config);
  if (a.as_json) {
    std::cout << json{{"initial", true},
                      {"machine", M::kName},
                      {"config", M::ConfigToJson(*config)},
                      {"observation", M::ObservationToJson(M::Observe(init), nodes)},
                      {"state", M::StateToJson(init, nodes)}}
                     .dump()
              << "\n";
  } else if (!a.quiet) {
    std::cout << a.trace << ": initial: " << M::Show(M::Observe(init), nodes) << "\n";
  }
  auto on_step = [&](const RunStep<M>& st) {
    if (a.as_json) {
      std::cout << StepJson<M>(st, nodes).dump() << "\n";
      return;
    }
    const std::string where = a.trace + ":" + std::to_string(st.line);
    if (st.initial && !a.quiet) {
      std::cout << where << ": initial observation " << M::Show(*st.seen, nodes) << " "
                << SeenVerdict<M>(st) << "\n";
    } else if (!a.quiet) {
      std::cout << where << ": " << M::Show(st.op, nodes) << " -> "
                << (st.outcome.accepted ? "accepted" : "REJECTED") << " ("
                << (st.outcome.departs ? "departing from " : "")
                << RuleOf<M>(st.outcome.departs ? *st.outcome.departs : st.outcome.rule).id << ")";
      if (st.refusals.size() > 1) {
        std::cout << "; also refused by";
        for (std::size_t i = 1; i < st.refusals.size(); ++i) {
          std::cout << " " << RuleOf<M>(st.refusals[i]).id;
        }
      }
      std::cout << "\n    " << M::Show(M::Observe(st.outcome.next), nodes) << "\n";
      if (st.seen) {
        std::cout << "    seen " << M::Show(*st.seen, nodes) << " " << SeenVerdict<M>(st) << "\n";
      }
    }
    for (const auto& b : st.breaches) {
      const Rule& rule = RuleOf<M>(b.rule);
      const bool fails = b.severity == Severity::kViolation || profile == Profile::kFull;
      std::cout << (fails ? "ERROR: " : "WARNING: ") << M::kName << ": "
                << (b.severity == Severity::kViolation ? "violation of " : "departure from ")
                << ToString(rule.kind) << " " << rule.id << " at " << where << ": " << b.detail
                << "\n  rule: " << rule.statement
                << "\n  state: " << M::Show(st.outcome.next, nodes) << "\n";
    }
  };
  RunReport<M> r = RunOps<M>(*config, t, {.profile = profile, .keep_going = a.keep_going}, on_step);
  if (t.ops.empty() && !t.initial_observation) {
    // Passing an empty trace is true but says nothing; a `haspec gate`
    // counterexample that fails at reset is written without any line.
    (a.as_json ? std::cerr : std::cout)
        << "WARNING: " << a.trace << " holds no ops and no observation: nothing was checked\n";
  }
  const bool observing = t.HasObservations();
  if (a.as_json) {
    json summary = {{"summary", true},
                    {"steps", r.steps},
                    {"accepted", r.accepted},
                    {"violations", r.violations},
                    {"departures", r.departures},
                    {"stopped_early", r.stopped_early},
                    {"verdict", r.failed ? "fail" : "pass"}};
    if (observing) summary["observations"] = r.observations;
    std::cout << summary.dump() << "\n";
  } else {
    std::cout << "SUMMARY: " << r.steps << " of " << t.ops.size() << " ops stepped (" << r.accepted
              << " accepted, " << r.steps - r.accepted << " rejected"
              << (observing ? ", " + std::to_string(r.observations) + " observation(s) checked"
                            : std::string())
              << "); " << r.violations << " violation(s), " << r.departures << " departure(s) from "
              << "assumptions" << (profile == Profile::kDocumentedOnly ? " (warnings)" : "")
              << (r.stopped_early ? "; stopped at the first failure (--keep-going goes on)" : "")
              << "\n";
  }
  return r.failed ? Code(ExitCode::kViolation) : 0;
}

std::function<int()> Declare(CLI::App& sub) {
  auto a = std::make_shared<Args>();
  sub.add_option("MACHINE", a->machine, "Machine name (see `haspec machines`)")
      ->required()
      ->check(MachineValidator());
  sub.add_option("TRACE", a->trace,
                 "JSON Lines op trace, one op per line ('#' lines skipped; see "
                 "docs/op-traces.md). A line's \"expect\" (accepted, rejected or a rule ID) "
                 "and its recorded \"result\" and \"reason\" must be an answer the documents "
                 "allow; its \"obs\" (an observation as --json "
                 "prints it, keys left out not seen) must fit a state the trace allows, as "
                 "`haspec gate` checks an implementation: fitting only a landing that departs "
                 "from an assumption is a departure. A `haspec gate` counterexample replays "
                 "here")
      ->required();
  sub.add_flag("-q,--quiet", a->quiet, "Print only findings and the summary");
  sub.add_flag("--json", a->as_json,
               "Print one JSON object per line: the initial state, each step (line, op, verdict, "
               "rule, every refusal, observation, state, findings; with an \"obs\", the "
               "obs_verdict: fit and rules), then a summary");
  sub.add_flag("--keep-going", a->keep_going, "Go on after a failing step (the run still exits 1)");
  AddProfileFlag(sub, a->documented_only);
  AddConfigOption(sub, a->config);
  return [a] {
    int rc = 0;
    VisitMachine(a->machine, [&]<Machine M>() { rc = Run<M>(*a); });
    return rc;
  };
}

const RegisterCommand kReg{
    {50, "run",
     "Step a JSON Lines op trace (such as a violation-*.jsonl or gate-*.jsonl artifact) "
     "through a model from its initial state, checking expectations, observations and every "
     "invariant",
     &Declare}};

}  // namespace
}  // namespace haspec::cli
