// haspec machines: the registered machines and the size of their vocabularies.
#include <cstdio>
#include <memory>

#include "tools/haspec/command.h"
#include "tools/haspec/common.h"

namespace haspec::cli {
namespace {

template <Machine M>
json Summary() {
  std::size_t documented = 0;
  for (const Rule& r : M::Rules()) documented += IsDocumented(r);
  const auto config = M::DefaultConfig();
  return {{"name", M::kName},
          {"title", M::kTitle},
          {"ops", std::variant_size_v<typename M::Op>},
          {"statuses", M::Statuses().size()},
          {"rules", M::Rules().size()},
          {"documented_rules", documented},
          {"assumption_rules", M::Rules().size() - documented},
          {"default_config", M::ConfigToJson(config)}};
}

int Run(bool as_json) {
  json all = json::array();
  ForEachMachine([&]<Machine M>() { all.push_back(Summary<M>()); });
  if (as_json) {
    std::cout << all.dump(2) << "\n";
    return 0;
  }
  std::printf("%-12s %4s %8s %6s %12s  %s\n", "MACHINE", "OPS", "STATUSES", "RULES", "ASSUMPTIONS",
              "TITLE");
  for (const json& m : all) {
    std::printf("%-12s %4d %8d %6d %12d  %s\n", m["name"].get<std::string>().c_str(),
                m["ops"].get<int>(), m["statuses"].get<int>(), m["rules"].get<int>(),
                m["assumption_rules"].get<int>(), m["title"].get<std::string>().c_str());
  }
  return 0;
}

std::function<int()> Declare(CLI::App& sub) {
  auto as_json = std::make_shared<bool>(false);
  sub.add_flag("--json", *as_json, "Print JSON (with each machine's default configuration)");
  return [as_json] { return Run(*as_json); };
}

const RegisterCommand kReg{
    {10, "machines", "List the bundled machines with their counts of ops, statuses and rules",
     &Declare}};

}  // namespace
}  // namespace haspec::cli
