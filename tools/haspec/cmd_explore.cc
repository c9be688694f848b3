// haspec explore MACHINE: every state reachable from the configured initial
// state (engine/explore.h), every invariant and step rule checked on every
// state and edge; a report of what is reachable (statuses, status changes,
// rules) and, for each rule broken, the shortest op path to it as a trace
// `haspec run` replays. See docs/explore.md.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <sstream>

#include "engine/coverage_json.h"
#include "engine/explore.h"
#include "engine/op_trace.h"
#include "engine/status_changes.h"
#include "tools/haspec/command.h"
#include "tools/haspec/common.h"

namespace haspec::cli {
namespace {

struct Args {
  std::string machine;
  std::string config;
  std::uint64_t max_states = 20'000'000;
  bool documented_only = false;
  bool no_symmetry = false;
  bool as_json = false;
  bool quiet_progress = false;
  std::string out = ".";
  double min_rule_coverage = 0;
  bool require_changes = false;
};

// 1234567 -> "1,234,567". Built front to back (inserting commas into the
// digits made g++ 12 warn of an overlapping copy it cannot rule out).
std::string Thousands(std::uint64_t v) {
  const std::string digits = std::to_string(v);
  std::string s;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) s += ',';
    s += digits[i];
  }
  return s;
}

std::string Fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

// "vcs-system" -> "vcs_system": the machine's folder under model/.
std::string Folder(std::string_view name) {
  std::string f(name);
  for (char& c : f) c = c == '-' ? '_' : c;
  return f;
}

// Op type names of a mask (bit = variant index).
template <Machine M>
std::string OpsOf(std::uint64_t mask) {
  static constexpr auto kNames = OpNames<typename M::Op>();
  std::string out;
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (mask >> i & 1) out += (out.empty() ? "" : ", ") + std::string(kNames[i]);
  }
  return out;
}

// The violation's path as an op trace: every op accepted; where the path
// follows an answer that departs from an assumption, what the product then
// shows, so that `haspec run` follows the same answer.
template <CodecMachine M>
void WriteExploreTrace(const std::string& path, const ExploreViolation<M>& v,
                       const typename M::Config& config, bool documented_only) {
  std::ofstream f(path);
  const Rule& rule = RuleOf<M>(v.rule);
  f << "# haspec explore: a shortest op path from the initial state of " << M::kName
    << " to a break of " << rule.id << "\n# " << rule.statement << "\n# replay: haspec run "
    << M::kName << " " << path << (documented_only ? " --documented-only" : "") << "\n";
  for (std::size_t i = 0; i < v.path.size(); ++i) {
    json j = OpToJson(v.path[i], config.nodes);
    j["expect"] = "accepted";
    if (v.departs[i]) j["obs"] = M::ObservationToJson(M::Observe(v.states[i]), config.nodes);
    f << j.dump() << "\n";
  }
}

template <CodecMachine M>
int ExploreOne(const Args& a) {
  auto config = LoadConfig<M>(a.config);
  if (!config) return Code(ExitCode::kBadInput);
  const bool tty = isatty(STDERR_FILENO);
  ExploreOptions opt;
  opt.max_states = a.max_states;
  opt.profile = ProfileOf(a.documented_only);
  opt.symmetry = !a.no_symmetry;
  auto last = std::chrono::steady_clock::now();
  if (!a.quiet_progress) {
    opt.progress = [&](const ExploreProgress& p) {
      const auto now = std::chrono::steady_clock::now();
      if (now - last < std::chrono::milliseconds(tty ? 300 : 5000)) return;
      last = now;
      std::fprintf(stderr, "%s%s: depth %llu, %s states, %s transitions, frontier %s, %.1f s%s",
                   tty ? "\r" : "", std::string(M::kName).c_str(),
                   static_cast<unsigned long long>(p.depth), Thousands(p.states).c_str(),
                   Thousands(p.transitions).c_str(), Thousands(p.frontier).c_str(), p.seconds,
                   tty ? "   " : "\n");
    };
  }
  ExploreReport<M> r = Explore<M>(*config, opt);
  if (!a.quiet_progress && tty) std::fputc('\n', stderr);
  const Coverage& c = r.coverage;
  const auto rules = M::Rules();
  const auto statuses = M::Statuses();
  const std::size_t k = statuses.size();
  const double rate = r.seconds > 0 ? static_cast<double>(r.states) / r.seconds : 0;

  // Findings about the model: statuses never shown, status changes reached
  // only through assumptions, rules never exercised, invariants whose
  // premise never holds.
  std::vector<std::string> unreached_statuses;
  for (std::size_t i = 0; i < k; ++i) {
    if (!c.status_seen[i]) unreached_statuses.emplace_back(statuses[i].label);
  }
  std::vector<std::string> dead, vacuous, never_decide;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    if (!c.Exercised(i)) dead.emplace_back(rules[i].id);
    if (rules[i].kind == RuleKind::kInvariant && !c.premise[i]) {
      vacuous.emplace_back(rules[i].id);
    }
    if ((rules[i].kind == RuleKind::kPrecondition || rules[i].kind == RuleKind::kTransition) &&
        !c.decided[i] && !c.refused[i]) {
      never_decide.emplace_back(rules[i].id);
    }
  }

  json changes = json::array();
  for (std::size_t x = 0; x < k; ++x) {
    for (std::size_t y = 0; y < k; ++y) {
      const std::uint64_t d = r.graph.documented_ops[x * k + y], s = r.graph.assumed_ops[x * k + y];
      if (!d && !s) continue;
      changes.push_back({{"from", statuses[x].label},
                         {"to", statuses[y].label},
                         {"documented", d != 0},
                         {"listed", ToString(ListedAs<M>(x, y))},
                         {"ops", OpsOf<M>(d)},
                         {"assumption_ops", OpsOf<M>(s)}});
    }
  }
  // The documents' status changes (model/<m>/status_changes.def): each
  // reached or not. A documented change no reachable step makes is a model
  // bug or a finding about the documents.
  json documented_changes = json::array();
  std::vector<std::string> unreached_changes;
  for (const ChangeReach& cr : DocumentedChangeReach<M>(r.graph)) {
    const StatusChange& ch = *cr.change;
    documented_changes.push_back({{"from", statuses[cr.from].label},
                                  {"to", statuses[cr.to].label},
                                  {"event", ch.event},
                                  {"basis", ToString(ch.basis)},
                                  {"source", ch.source},
                                  {"quote", ch.quote},
                                  {"reachable", cr.reached},
                                  {"ops", OpsOf<M>(cr.ops)}});
    if (!cr.reached) {
      unreached_changes.push_back(std::string(statuses[cr.from].label) + " -> " +
                                  std::string(statuses[cr.to].label) +
                                  (IsDocumented(ch) ? "" : " (assumed)"));
    }
  }

  std::filesystem::create_directories(a.out);
  json violations = json::array();
  std::vector<std::string> artifacts;
  for (const auto& v : r.violations) {
    const Rule& rule = RuleOf<M>(v.rule);
    const std::string artifact =
        (std::filesystem::path(a.out) /
         ("explore-" + std::string(M::kName) + "-" + std::string(rule.id) + ".jsonl"))
            .string();
    WriteExploreTrace<M>(artifact, v, *config, a.documented_only);
    artifacts.push_back(artifact);
    json path = json::array();
    for (const auto& op : v.path) path.push_back(OpToJson(op, config->nodes));
    violations.push_back({{"rule", rule.id},
                          {"kind", ToString(rule.kind)},
                          {"severity", IsDocumented(rule) ? "violation" : "departure"},
                          {"enforced", v.enforced},
                          {"detail", v.detail},
                          {"count", v.count},
                          {"path", path},
                          {"artifact", artifact}});
  }
  int rc = r.Failed() ? Code(ExitCode::kViolation) : 0;
  if (a.require_changes && !unreached_changes.empty()) rc = Code(ExitCode::kViolation);

  if (a.as_json) {
    std::ostringstream cov_err;
    if (!MeetsRuleCoverage(c, a.min_rule_coverage, cov_err)) rc = Code(ExitCode::kViolation);
    json out = {{"machine", M::kName},
                {"config", M::ConfigToJson(*config)},
                {"profile", a.documented_only ? "documented-only" : "full"},
                {"symmetry", r.symmetry},
                {"complete", r.complete},
                {"states", r.states},
                {"transitions", r.transitions},
                {"depth", r.depth},
                {"ops_per_state", r.ops},
                {"seconds", r.seconds},
                {"states_per_second", rate},
                {"bytes", r.bytes},
                {"statuses_never_shown", unreached_statuses},
                {"documented_status_changes", documented_changes},
                {"documented_status_changes_unreached", unreached_changes},
                {"status_changes", changes},
                {"rules_never_exercised", dead},
                {"rules_never_deciding", never_decide},
                {"invariants_never_premised", vacuous},
                {"coverage", CoverageToJson(c)},
                {"violations", violations},
                {"verdict", rc == 0 ? "pass" : "fail"}};
    std::cout << out.dump(2) << "\n";
    return rc;
  }

  std::cout << "explore: " << M::kName << ", "
            << (a.documented_only ? "every documented answer" : "the model's own answers")
            << (r.symmetry ? ", symmetric nodes reduced" : "") << "\n"
            << "  " << Thousands(r.states) << " states, " << Thousands(r.transitions)
            << " transitions, depth " << r.depth << ", " << r.ops << " ops per state, "
            << Fixed(r.seconds, 2) << " s, " << Thousands(static_cast<std::uint64_t>(rate))
            << " states/s, " << Fixed(static_cast<double>(r.bytes) / 1e6, 1) << " MB\n";
  if (r.complete) {
    std::cout << "  complete: every reachable state was visited\n";
  } else {
    std::cout << "WARNING: stopped at --max-states " << a.max_states
              << ": the state space is larger; what follows covers only the states visited\n";
  }
  std::cout << "statuses:\n";
  for (std::size_t i = 0; i < k; ++i) {
    std::cout << "  " << (c.status_seen[i] ? "reached      " : "NOT REACHED  ") << statuses[i].label
              << "\n";
  }
  std::cout << "documented status changes (model/" << Folder(M::kName)
            << "/status_changes.def): " << documented_changes.size() - unreached_changes.size()
            << " of " << documented_changes.size() << " reached\n";
  for (const auto& ch : documented_changes) {
    std::cout << "  " << (ch["reachable"].get<bool>() ? "reached      " : "NOT REACHED  ")
              << ch["from"].get<std::string>() << " -> " << ch["to"].get<std::string>() << " ("
              << ch["event"].get<std::string>() << "; "
              << (ch["basis"] == "assumption"
                      ? "assumed"
                      : ch["basis"].get<std::string>() + " " + ch["source"].get<std::string>())
              << ")"
              << (ch["ops"].get<std::string>().empty() ? "" : ": " + ch["ops"].get<std::string>())
              << "\n";
  }
  std::cout << "status changes the model makes that no document lists (along a documented rule, "
               "or only through assumption rules or departures):\n";
  for (const auto& ch : changes) {
    if (ch["listed"] != "unlisted") continue;
    std::cout << "  " << ch["from"].get<std::string>() << " -> " << ch["to"].get<std::string>()
              << ": " << (ch["documented"].get<bool>() ? "documented rule" : "assumption only")
              << " (" << ch["ops"].get<std::string>()
              << (ch["assumption_ops"].get<std::string>().empty()
                      ? ""
                      : std::string(ch["ops"].get<std::string>().empty() ? "" : "; ") +
                            "assumed: " + ch["assumption_ops"].get<std::string>())
              << ")\n";
  }
  std::cout << "rules:\n";
  for (std::size_t i = 0; i < rules.size(); ++i) {
    std::cout << "  " << rules[i].id << " [" << ToString(rules[i].kind) << "]: ";
    switch (rules[i].kind) {
      case RuleKind::kInvariant:
        std::cout << (c.premise[i] ? "premise holds in " + Thousands(c.premise[i]) + " states"
                                   : "premise NEVER holds");
        break;
      case RuleKind::kAdvisory:
        std::cout << (c.advised[i] ? "fires in " + Thousands(c.advised[i]) + " states"
                                   : "NEVER fires");
        break;
      default:
        std::cout << (c.decided[i] || c.refused[i]
                          ? "decides " + Thousands(c.decided[i]) +
                                " steps, among the refusals of " + Thousands(c.refused[i])
                          : "NEVER decides a step");
        if (c.premise[i]) std::cout << ", premise holds on " << Thousands(c.premise[i]) << " edges";
    }
    std::cout << "\n";
  }
  std::cout << CoverageText(c) << "\n";
  if (!dead.empty()) {
    std::cout << "FINDING: rules never exercised in any reachable state (dead here):";
    for (const auto& d : dead) std::cout << " " << d;
    std::cout << "\n";
  }
  if (!unreached_changes.empty()) {
    std::cout << "FINDING: documented status changes no reachable step makes:";
    for (const auto& change : unreached_changes) std::cout << " \"" << change << "\"";
    std::cout << "\n";
  }
  if (!unreached_statuses.empty()) {
    std::cout << "FINDING: documented statuses no reachable state shows:";
    for (const auto& s : unreached_statuses) std::cout << " \"" << s << "\"";
    std::cout << "\n";
  }
  for (std::size_t i = 0; i < r.violations.size(); ++i) {
    const auto& v = r.violations[i];
    const Rule& rule = RuleOf<M>(v.rule);
    const char* severity = IsDocumented(rule) ? "violation" : "departure";
    std::cout << (v.enforced ? "ERROR" : "WARNING") << ": " << M::kName << ": " << severity
              << " of " << ToString(rule.kind) << " " << rule.id << ": " << v.detail
              << "\n  rule: " << rule.statement << "\n  broken in " << Thousands(v.count)
              << " states or edges; shortest path (" << v.path.size() << " ops):\n";
    for (std::size_t j = 0; j < v.path.size(); ++j) {
      std::cout << "    " << j + 1 << ". " << M::Show(v.path[j], config->nodes)
                << (v.departs[j] ? "   (an answer departing from an assumption)" : "") << "\n";
    }
    std::cout << "  state: " << M::Show(v.state, config->nodes) << "\n  trace written to "
              << artifacts[i] << "\n  replay: haspec run " << M::kName << " " << artifacts[i]
              << (a.config.empty() ? "" : " --config " + a.config)
              << (a.documented_only ? " --documented-only" : "") << "\n";
  }
  if (!MeetsRuleCoverage(c, a.min_rule_coverage, std::cout)) rc = Code(ExitCode::kViolation);
  std::cout << "SUMMARY: " << M::kName << ": " << Thousands(r.states) << " states"
            << (r.complete ? "" : " (incomplete)") << ", rules exercised " << c.ExercisedCount()
            << "/" << rules.size() << ", documented status changes reached "
            << documented_changes.size() - unreached_changes.size() << "/"
            << documented_changes.size() << ", " << r.violations.size() << " rule(s) broken"
            << (rc == 0 ? "" : "; explore failed (exit " + std::to_string(rc) + ")") << "\n";
  return rc;
}

int Run(const Args& a) {
  int rc = Code(ExitCode::kUsage);
  if (!VisitMachine(a.machine, [&]<Machine M>() { rc = ExploreOne<M>(a); })) {
    return UnknownMachine(a.machine);
  }
  return rc;
}

std::function<int()> Declare(CLI::App& sub) {
  auto a = std::make_shared<Args>();
  sub.add_option("MACHINE", a->machine, "The machine to explore")
      ->required()
      ->check(MachineValidator());
  AddConfigOption(sub, a->config);
  sub.add_option("--max-states", a->max_states,
                 "Stop after this many states (the report then says it is incomplete)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  AddProfileFlag(sub, a->documented_only)
      ->description(
          "Follow every answer the documents allow (departures from assumptions too) and hold "
          "only documented rules: the states any product that keeps to the documents can reach");
  sub.add_flag("--no-symmetry", a->no_symmetry,
               "Store states that differ only by the names of interchangeable nodes separately");
  sub.add_flag("--json", a->as_json, "Print the report as JSON (with the coverage record)");
  sub.add_option("--out", a->out, "Folder for the traces of broken rules")->capture_default_str();
  sub.add_flag("--no-progress", a->quiet_progress, "No progress lines on stderr");
  AddMinRuleCoverageOption(sub, a->min_rule_coverage);
  sub.add_flag("--require-documented-changes", a->require_changes,
               "Fail (exit 1) when a status change the documents list (model/<m>/"
               "status_changes.def) is not reachable");
  return [a] { return Run(*a); };
}

const RegisterCommand kReg{
    {45, "explore",
     "Visit every reachable state of a configuration, check every invariant and step rule on "
     "every state and edge, and report reachable statuses, status changes, dead rules and the "
     "shortest path to each broken rule",
     &Declare}};

}  // namespace
}  // namespace haspec::cli
