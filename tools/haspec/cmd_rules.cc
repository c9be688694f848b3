// haspec rules MACHINE: the rule catalogue, as text, JSON or the README table.
#include <memory>

#include "engine/rule_table.h"
#include "tools/haspec/command.h"
#include "tools/haspec/common.h"

namespace haspec::cli {
namespace {

struct Args {
  std::string machine, kind;
  bool as_json = false, as_markdown = false, documented_only = false;
};

template <Machine M>
int Print(const Args& a) {
  std::vector<Rule> picked;
  json rows = json::array();
  for (const Rule& r : M::Rules()) {
    if (!a.kind.empty() && ToString(r.kind) != a.kind) continue;
    if (a.documented_only && !IsDocumented(r)) continue;
    picked.push_back(r);
    rows.push_back(RuleToJson(r));
  }
  if (a.as_json) {
    std::cout << json{{"machine", M::kName}, {"rules", rows}}.dump(2) << "\n";
    return 0;
  }
  if (a.as_markdown) {
    std::cout << RulesMarkdown(picked);
    return 0;
  }
  std::cout << M::kName << ": " << M::kTitle << "\n" << rows.size() << " rules\n\n";
  for (const json& r : rows) {
    std::cout << r["id"].get<std::string>() << "  [" << r["kind"].get<std::string>() << "]\n"
              << "  " << r["statement"].get<std::string>() << "\n";
    if (r["basis"] == "assumption") {
      std::cout << "  basis: assumption: " << r["reason"].get<std::string>() << "\n\n";
    } else {
      std::cout << "  basis: " << r["basis"].get<std::string>() << " "
                << r["source"].get<std::string>() << ": \"" << r["quote"].get<std::string>()
                << "\"\n\n";
    }
  }
  return 0;
}

std::function<int()> Declare(CLI::App& sub) {
  auto a = std::make_shared<Args>();
  sub.add_option("MACHINE", a->machine, "Machine name (see `haspec machines`)")
      ->required()
      ->check(MachineValidator());
  sub.add_flag("--json", a->as_json, "Print JSON");
  sub.add_flag("--markdown", a->as_markdown,
               "Print a Markdown table (as kept in model/<machine>/README.md)");
  sub.add_option("--kind", a->kind, "Only rules of this kind")->check(CLI::IsMember([] {
    std::vector<std::string> kinds;
    for (RuleKind k : kRuleKinds) kinds.emplace_back(ToString(k));
    return kinds;
  }()));
  sub.add_flag("--documented-only", a->documented_only, "Leave out assumption rules");
  return [a] {
    int rc = 0;
    VisitMachine(a->machine, [&]<Machine M>() { rc = Print<M>(*a); });
    return rc;
  };
}

const RegisterCommand kReg{
    {20, "rules", "Print a machine's rule catalogue: ID, kind, basis, statement", &Declare}};

}  // namespace
}  // namespace haspec::cli
