// haspec statuses MACHINE: the statuses a node can show, each with the
// sentence of the documents that defines it.
#include <memory>

#include "tools/haspec/command.h"
#include "tools/haspec/common.h"

namespace haspec::cli {
namespace {

struct Args {
  std::string machine;
  bool as_json = false;
};

template <Machine M>
int Print(const Args& a) {
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
