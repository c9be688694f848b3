// haspec shrink MACHINE TRACE -o OUT: reduce a failing trace to a minimal
// one that still fails with the same rule, ready for traces/<m>/invalid/.
//
// The test is a replay (engine/replay.h, the options `haspec replay` uses
// by default): a candidate keeps failing when its first failure is of the
// same kind (violation, departure, drift) and names the same rule. Delta
// debugging (ddmin) over the events first, then, event by event, over the
// leaves of each "obs" (a key that does not matter is dropped), and over
// whole "obs" of op events.
#include <fstream>
#include <functional>
#include <memory>

#include "engine/replay.h"
#include "engine/trace.h"
#include "tools/haspec/command.h"
#include "tools/haspec/common.h"
#include "tools/haspec/trace_config.h"

namespace haspec::cli {
namespace {

struct Args {
  std::string machine, trace, out, config;
  bool documented_only = false;
  int hidden = 2;
  std::size_t max_tests = 20'000;
};

struct Failure {
  FindingKind kind;
  std::string rule;  // "" for drift and bad input
};

// Paths of the leaves of an observation ("nodes/n1/status"), as JSON
// pointers, deepest first so a parent is tried after its children.
void Leaves(const json& j, const std::string& at, std::vector<std::string>& out) {
  if (j.is_object() && !j.empty()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      std::string key;  // JSON pointer escaping (RFC 6901)
      for (char c : it.key()) key += c == '~' ? "~0" : c == '/' ? "~1" : std::string(1, c);
      Leaves(it.value(), at + "/" + key, out);
    }
  }
  if (!at.empty()) out.push_back(at);
}

template <CodecMachine M>
int Run(const Args& a) {
  // Read every event line (a trace to shrink fits in memory).
  std::ifstream in(a.trace);
  if (!in) {
    std::cerr << "error: " << a.trace << ": cannot open\n";
    return Code(ExitCode::kBadInput);
  }
  TraceHeader header;
  std::optional<json> header_json;
  std::vector<json> events;
  std::vector<int> lines;
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#') continue;
    json j = json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      std::cerr << "error: " << a.trace << ":" << n
                << ": not a JSON object (haspec replay names the problem)\n";
      return Code(ExitCode::kBadInput);
    }
    if (IsHeaderLine(j) && events.empty() && !header_json) {
      try {
        header = HeaderFromJson(j);
      } catch (const ParseError& e) {
        std::cerr << "error: " << a.trace << ":" << n << ": header: " << e.what() << "\n";
        return Code(ExitCode::kBadInput);
      }
      header.line = n;
      header_json = j;
      continue;
    }
    events.push_back(std::move(j));
    lines.push_back(n);
  }
  auto config = LoadConfigFor<M>(a.config, header, a.trace);
  if (!config) return Code(ExitCode::kBadInput);
  Nodes nodes;
  try {
    nodes = MappedNodes(config->nodes, header);
  } catch (const ParseError& e) {
    std::cerr << "error: " << a.trace << ":" << header.line << ": header: " << e.what() << "\n";
    return Code(ExitCode::kBadInput);
  }
  ReplayOptions opt;
  opt.profile = ProfileOf(a.documented_only || header.profile == "documented-only");
  opt.hidden = a.hidden;
  std::size_t tests = 0;
  // The first failure of a candidate, or nullopt when it passes. A line
  // that no longer decodes (never, for subsets of a readable trace) passes.
  auto first_failure = [&](const std::vector<json>& cand) -> std::optional<Failure> {
    ++tests;
    Replayer<M> r(*config, opt);
    ReaderOptions ropt;
    for (std::size_t i = 0; i < cand.size(); ++i) {
      json j = cand[i];
      TraceEvent<M> ev;
      try {
        EventFromJson<M>(j, nodes, ropt, ev);
      } catch (const std::exception&) {
        return Failure{FindingKind::kBadInput, ""};
      }
      auto f = r.Feed(ev, "");
      if (!f) continue;
      if (f->kind == FindingKind::kDeparture && opt.profile == Profile::kDocumentedOnly) continue;
      Failure out{f->kind, ""};
      if (!f->breaches.empty()) out.rule = std::string(RuleOf<M>(f->breaches.front().rule).id);
      return out;
    }
    return std::nullopt;
  };
  auto target = first_failure(events);
  if (!target || target->kind == FindingKind::kBadInput) {
    std::cerr << "error: " << a.trace
              << (target ? ": a line cannot be read (haspec replay names it); nothing to shrink\n"
                         : ": the trace does not fail (haspec replay passes it); nothing to "
                           "shrink\n");
    return target ? Code(ExitCode::kBadInput) : Code(ExitCode::kUsage);
  }
  auto still_fails = [&](const std::vector<json>& cand) {
    if (tests >= a.max_tests) return false;
    auto f = first_failure(cand);
    return f && f->kind == target->kind && f->rule == target->rule;
  };
  // ddmin over the events.
  std::vector<json> cur = events;
  std::size_t chunks = 2;
  while (cur.size() >= 2) {
    const std::size_t size = cur.size();
    chunks = std::min(chunks, size);
    bool reduced = false;
    for (std::size_t c = 0; c < chunks && !reduced; ++c) {
      const std::size_t lo = c * size / chunks, hi = (c + 1) * size / chunks;
      std::vector<json> complement;
      for (std::size_t i = 0; i < size; ++i) {
        if (i < lo || i >= hi) complement.push_back(cur[i]);
      }
      if (still_fails(complement)) {
        cur = std::move(complement);
        chunks = std::max<std::size_t>(chunks - 1, 2);
        reduced = true;
      }
    }
    if (reduced) continue;
    if (chunks >= size) break;
    chunks = std::min(size, chunks * 2);
  }
  // Then the observations: whole "obs" of op events, then leaf by leaf.
  for (std::size_t i = 0; i < cur.size(); ++i) {
    if (!cur[i].contains("obs")) continue;
    if (cur[i].contains("op")) {
      std::vector<json> cand = cur;
      cand[i].erase("obs");
      if (still_fails(cand)) {
        cur = std::move(cand);
        continue;
      }
    }
    std::vector<std::string> leaves;
    Leaves(cur[i]["obs"], "", leaves);
    for (const auto& p : leaves) {
      std::vector<json> cand = cur;
      json& obs = cand[i]["obs"];
      const json::json_pointer ptr(p);
      if (!obs.contains(ptr)) continue;
      obs.at(ptr.parent_pointer()).erase(ptr.back());
      if (still_fails(cand)) cur = std::move(cand);
    }
  }
  std::ofstream out(a.out);
  if (header_json) out << header_json->dump() << "\n";
  const std::string kind = target->kind == FindingKind::kDrift       ? "drift"
                           : target->kind == FindingKind::kDeparture ? "departure"
                                                                     : "violation";
  out << "# shrunk by haspec shrink from " << a.trace << " (" << events.size() << " -> "
      << cur.size() << " events)\n"
      << "# expect-" << kind << (target->rule.empty() ? "" : ": " + target->rule) << "\n";
  for (const auto& e : cur) out << e.dump() << "\n";
  if (!out) {
    std::cerr << "error: " << a.out << ": cannot write\n";
    return Code(ExitCode::kBadInput);
  }
  std::cout << a.out << ": " << events.size() << " -> " << cur.size() << " event(s), still the "
            << kind << (target->rule.empty() ? "" : " of " + target->rule) << " (" << tests
            << " replays" << (tests >= a.max_tests ? ", budget --max-tests hit" : "") << ")\n";
  return 0;
}

std::function<int()> Declare(CLI::App& sub) {
  auto a = std::make_shared<Args>();
  AddMachineArgument(sub, a->machine);
  sub.add_option("TRACE", a->trace, "A trace that fails `haspec replay`")->required();
  sub.add_option("-o,--out", a->out, "Where to write the minimal trace")->required();
  AddProfileFlag(sub, a->documented_only);
  AddConfigOption(sub, a->config);
  AddHiddenOption(sub, a->hidden);
  sub.add_option("--max-tests", a->max_tests, "Most replays tried");
  return [a] { return OnMachine(a->machine, [&]<Machine M>() { return Run<M>(*a); }); };
}

const RegisterCommand kReg{
    {56, "shrink",
     "Reduce a trace that fails haspec replay to a minimal one failing with the same rule "
     "(events, then observation keys)",
     &Declare}};

}  // namespace
}  // namespace haspec::cli
