// haspec diagram MACHINE --format dot|mermaid: the statuses a node shows and
// the changes between them, projected from the explored state graph
// (engine/explore.h), not drawn by hand. An edge is solid when the documents
// describe that change (model/<m>/status_changes.def, with a seed or [REAL]
// basis: engine/status_changes.h), dashed when the model makes it on an
// assumption ([RECON] or no document at all); labels name the ops that make
// it. Documented changes the model never makes are not drawn (haspec explore
// lists them). The diagrams in the machines' READMEs come
// from here (tools/update_rule_tables.sh; a test keeps them current).
#include <memory>
#include <sstream>

#include "engine/explore.h"
#include "engine/status_changes.h"
#include "tools/haspec/command.h"
#include "tools/haspec/common.h"

namespace haspec::cli {
namespace {

struct Args {
  std::string machine;
  std::string format = "mermaid";
  std::string config;
  std::uint64_t max_states = 5'000'000;
  bool documented_only = false;
};

template <Machine M>
std::string OpList(std::uint64_t mask) {
  static constexpr auto kNames = OpNames<typename M::Op>();
  std::string out;
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (mask >> i & 1) out += (out.empty() ? "" : ", ") + std::string(kNames[i]);
  }
  return out;
}

// Mermaid flowchart (a state diagram cannot dash an edge).
template <Machine M>
std::string Mermaid(const ExploreReport<M>& r) {
  const auto statuses = M::Statuses();
  const std::size_t k = r.graph.k;
  std::ostringstream os;
  os << "flowchart LR\n";
  for (std::size_t i = 0; i < k; ++i) {
    if (!r.coverage.status_seen[i]) continue;
    os << "  s" << i << "[\"" << statuses[i].label << "\"]\n";
  }
  for (std::size_t x = 0; x < k; ++x) {
    for (std::size_t y = 0; y < k; ++y) {
      const std::uint64_t ops = r.graph.documented_ops[x * k + y] | r.graph.assumed_ops[x * k + y];
      if (!ops) continue;
      os << "  s" << x << (ListedAs<M>(x, y) == ChangeListing::kDocumented ? " -->|" : " -.->|")
         << "\"" << OpList<M>(ops) << "\"| s" << y << "\n";
    }
  }
  return os.str();
}

template <Machine M>
std::string Dot(const ExploreReport<M>& r) {
  const auto statuses = M::Statuses();
  const std::size_t k = r.graph.k;
  std::ostringstream os;
  os << "digraph \"" << M::kName << "\" {\n  rankdir=LR;\n  node [shape=box, style=rounded];\n";
  for (std::size_t i = 0; i < k; ++i) {
    if (!r.coverage.status_seen[i]) continue;
    os << "  s" << i << " [label=\"" << statuses[i].label << "\"];\n";
  }
  for (std::size_t x = 0; x < k; ++x) {
    for (std::size_t y = 0; y < k; ++y) {
      const std::uint64_t ops = r.graph.documented_ops[x * k + y] | r.graph.assumed_ops[x * k + y];
      if (!ops) continue;
      os << "  s" << x << " -> s" << y << " [label=\"" << OpList<M>(ops) << "\""
         << (ListedAs<M>(x, y) == ChangeListing::kDocumented ? "" : ", style=dashed") << "];\n";
    }
  }
  os << "}\n";
  return os.str();
}

template <CodecMachine M>
int DiagramOne(const Args& a) {
  auto config = LoadConfig<M>(a.config);
  if (!config) return Code(ExitCode::kBadInput);
  ExploreOptions opt;
  opt.max_states = a.max_states;
  opt.profile = ProfileOf(a.documented_only);
  const auto r = Explore<M>(*config, opt);
  if (!r.complete) {
    std::cerr << "warning: " << M::kName << ": stopped at --max-states " << a.max_states
              << "; the diagram shows only the changes seen so far\n";
  }
  std::cout << (a.format == "dot" ? Dot<M>(r) : Mermaid<M>(r));
  return 0;
}

std::function<int()> Declare(CLI::App& sub) {
  auto a = std::make_shared<Args>();
  sub.add_option("MACHINE", a->machine, "The machine to draw")
      ->required()
      ->check(MachineValidator());
  sub.add_option("--format", a->format, "dot (Graphviz) or mermaid")
      ->capture_default_str()
      ->check(CLI::IsMember({"dot", "mermaid"}));
  AddConfigOption(sub, a->config);
  AddProfileFlag(sub, a->documented_only)
      ->description("Also draw the changes only answers departing from assumptions make");
  sub.add_option("--max-states", a->max_states, "Exploration budget")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  return [a] {
    int rc = Code(ExitCode::kUsage);
    VisitMachine(a->machine, [&]<Machine M>() { rc = DiagramOne<M>(*a); });
    return rc;
  };
}

const RegisterCommand kReg{
    {47, "diagram",
     "Draw the statuses and status changes of a machine, projected from its explored state "
     "graph (changes the documents describe solid, the others dashed, ops as labels)",
     &Declare}};

}  // namespace
}  // namespace haspec::cli
