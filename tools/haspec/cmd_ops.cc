// haspec ops MACHINE: the op reference (wire name, kind, fields and their
// domains, environment choices), generated from the op declarations.
#include <memory>

#include "model/core/op_spec.h"
#include "tools/haspec/command.h"
#include "tools/haspec/common.h"

namespace haspec::cli {
namespace {

struct Args {
  std::string machine;
  bool as_json = false, as_markdown = false;
};

template <Machine M>
int Print(const Args& a) {
  using Op = typename M::Op;
  if (a.as_markdown) {
    std::cout << OpsMarkdown<Op>();
    return 0;
  }
  json ops = json::array();
  ForEachOpType<Op>([&]<class T>(std::size_t) {
    json fields = json::array();
    ForEachField<T>([&](const auto& f) {
      fields.push_back({{"name", f.name},
                        {"domain", f.domain.Describe()},
                        {"required", f.required},
                        {"environment_choice", f.env_choice},
                        {"doc", f.doc}});
    });
    ops.push_back({{"op", T::kName},
                   {"kind", kOpKindNames.Name(T::kKind)},
                   {"doc", T::kDoc},
                   {"fields", fields}});
  });
  if (a.as_json) {
    std::cout << json{{"machine", M::kName}, {"ops", ops}}.dump(2) << "\n";
    return 0;
  }
  std::cout << M::kName << ": " << ops.size() << " ops\n\n";
  for (const json& op : ops) {
    std::cout << op["op"].get<std::string>() << "  [" << op["kind"].get<std::string>() << "]  "
              << op["doc"].get<std::string>() << "\n";
    for (const json& f : op["fields"]) {
      std::cout << "    " << f["name"].get<std::string>() << ": " << f["domain"].get<std::string>()
                << (f["required"].get<bool>() ? "" : " (optional)")
                << (f["environment_choice"].get<bool>() ? " [environment choice]" : "") << "  "
                << f["doc"].get<std::string>() << "\n";
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
  return [a] {
    int rc = 0;
    VisitMachine(a->machine, [&]<Machine M>() { rc = Print<M>(*a); });
    return rc;
  };
}

const RegisterCommand kReg{
    {22, "ops",
     "Print a machine's ops: wire name, kind (command, event, completion), fields with their "
     "domains, and which fields are environment choices",
     &Declare}};

}  // namespace
}  // namespace haspec::cli
