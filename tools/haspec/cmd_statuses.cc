// haspec statuses MACHINE: the statuses a node can show, each with the
// sentence of the documents that defines it; with --changes, the changes
// between them the documents describe (model/<m>/status_changes.def), each
// with its basis (--markdown: the table kept in the machine's README).
#include <memory>

#include "engine/rule_table.h"
#include "tools/haspec/command.h"
#include "tools/haspec/common.h"

namespace haspec::cli {
namespace {

struct Args {
  std::string machine;
  bool as_json = false;
  bool changes = false;
  bool markdown = false;
};

template <Machine M>
int PrintChanges(const Args& a) {
  const auto statuses = M::Statuses();
  if (a.markdown) {
    std::cout << StatusChangesMarkdown(M::StatusChanges(), statuses);
    return 0;
  }
  json rows = json::array();
  for (const StatusChange& c : M::StatusChanges()) {
    rows.push_back({{"from", c.from},
                    {"to", c.to},
                    {"event", c.event},
                    {"basis", ToString(c.basis)},
                    {"source", c.source},
                    {"quote", c.quote}});
  }
  if (a.as_json) {
    std::cout << json{{"machine", M::kName}, {"status_changes", rows}}.dump(2) << "\n";
    return 0;
  }
  std::cout << M::kName << ": " << rows.size() << " status changes the documents describe\n\n";
  for (const StatusChange& c : M::StatusChanges()) {
    std::cout << StatusLabel(statuses, c.from) << " -> " << StatusLabel(statuses, c.to) << ": "
              << c.event << "\n  "
              << (IsDocumented(c) ? std::string(ToString(c.basis)) + " " + std::string(c.source) +
                                        ": \"" + std::string(c.quote) + "\""
                                  : "assumption: " + std::string(c.quote))
              << "\n";
  }
  return 0;
}

template <Machine M>
int Print(const Args& a) {
  if (a.changes) return PrintChanges<M>(a);
  json rows = json::array();
  for (const StatusInfo& s : M::Statuses()) {
    rows.push_back(
        {{"name", s.name}, {"label", s.label}, {"source", s.source}, {"quote", s.quote}});
  }
  if (a.as_json) {
    std::cout << json{{"machine", M::kName}, {"statuses", rows}}.dump(2) << "\n";
    return 0;
  }
  std::cout << M::kName << ": " << rows.size() << " statuses\n\n";
  for (const json& r : rows) {
    std::cout << r["label"].get<std::string>() << "  (" << r["name"].get<std::string>() << ")\n"
              << "  defined in " << r["source"].get<std::string>() << ": \""
              << r["quote"].get<std::string>() << "\"\n";
  }
  return 0;
}

std::function<int()> Declare(CLI::App& sub) {
  auto a = std::make_shared<Args>();
  sub.add_option("MACHINE", a->machine, "Machine name (see `haspec machines`)")
      ->required()
      ->check(MachineValidator());
  sub.add_flag("--json", a->as_json, "Print JSON");
  sub.add_flag("--changes", a->changes,
               "Print the status changes the documents describe, each with its basis");
  sub.add_flag("--markdown", a->markdown,
               "With --changes: the Markdown table of the machine's README");
  return [a] {
    int rc = 0;
    VisitMachine(a->machine, [&]<Machine M>() { rc = Print<M>(*a); });
    return rc;
  };
}

const RegisterCommand kReg{
    {24, "statuses", "Print the statuses a machine's nodes can show, each with its definition",
     &Declare}};

}  // namespace
}  // namespace haspec::cli
