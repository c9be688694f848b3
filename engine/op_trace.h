// Op traces on disk: one JSON op per line (JSON Lines), as `haspec check`
// writes them for a violation and `haspec run` reads them back.
//
//   # comment lines and blank lines are skipped
//   {"op": "deploy_vm", "node": "n0"}
//   {"op": "delete_standby", "node": "n0", "expect": "DSM-PRE-DELETE-TARGET-STANDBY"}
//
// The optional "expect" field states the verdict the model must give:
// "accepted", "rejected", or the ID of the rule that must decide the step.
// Node names are the configuration's (Nodes).
//
//   OpTrace<Dsm> t = ReadOpTrace<Dsm>("trace.jsonl", config.nodes);  // throws InputError
//
// Include only from .cc files: it pulls in nlohmann/json.hpp.
#ifndef HASPEC_ENGINE_OP_TRACE_H_
#define HASPEC_ENGINE_OP_TRACE_H_

#include <cstddef>
#include <fstream>
#include <istream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "model/core/machine.h"
#include "model/core/op_codec.h"
#include "model/core/parse_error.h"

namespace haspec {

// Bad input file: names the file, the line (0 if none) and the problem.
class InputError : public std::runtime_error {
 public:
  InputError(const std::string& file, int line, const std::string& problem)
      : std::runtime_error(file + (line > 0 ? ":" + std::to_string(line) : std::string()) + ": " +
                           problem) {}
};

template <Machine M>
struct OpTrace {
  std::vector<typename M::Op> ops;
  std::vector<int> lines;            // file line of each op
  std::vector<std::string> expects;  // "" when the line states none
};

// Reads a whole trace from `in` (`path` names it in errors); the first bad
// line throws (nothing after it is applied by any caller).
template <CodecMachine M>
OpTrace<M> ParseOpTrace(std::istream& in, const std::string& path, const Nodes& nodes) {
  OpTrace<M> t;
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#') continue;
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(line);
    } catch (const nlohmann::json::parse_error& e) {
      throw InputError(path, n, std::string("not valid JSON: ") + e.what());
    }
    std::string expect;
    try {
      t.ops.push_back(OpFromJson<typename M::Op>(j, nodes));
      if (auto it = j.find("expect"); it != j.end()) {
        if (!it->is_string()) {
          throw ParseError("expect", "expected a string, got " + std::string(it->type_name()));
        }
        expect = it->template get<std::string>();
        if (expect != "accepted" && expect != "rejected" && !FindRule(M::Rules(), expect)) {
          throw ParseError("expect", "\"" + expect + "\" is neither accepted, rejected nor a " +
                                         "rule ID of " + std::string(M::kName));
        }
      }
    } catch (const ParseError& e) {
      throw InputError(path, n, e.what());
    }
    t.lines.push_back(n);
    t.expects.push_back(std::move(expect));
  }
  if (in.bad()) throw InputError(path, n, "read error");
  return t;
}

template <CodecMachine M>
OpTrace<M> ReadOpTrace(const std::string& path, const Nodes& nodes) {
  std::ifstream in(path);
  if (!in) throw InputError(path, 0, "cannot open file");
  return ParseOpTrace<M>(in, path, nodes);
}

// The routes a trace gives the gate to steer by: the trace up to each op it
// expects to be refused (where a bug that accepts it shows), and the whole
// trace.
template <Machine M>
std::vector<std::vector<typename M::Op>> TraceRoutes(const OpTrace<M>& t) {
  std::vector<std::vector<typename M::Op>> out;
  for (std::size_t i = 0; i < t.ops.size(); ++i) {
    if (!t.expects[i].empty() && t.expects[i] != "accepted") {
      out.emplace_back(t.ops.begin(), t.ops.begin() + static_cast<std::ptrdiff_t>(i + 1));
    }
  }
  if (!t.ops.empty()) out.push_back(t.ops);
  return out;
}

template <CodecMachine M>
void WriteOpTrace(std::ostream& out, const std::vector<typename M::Op>& ops, const Nodes& nodes) {
  for (const auto& op : ops) out << OpToJson(op, nodes).dump() << "\n";
}

}  // namespace haspec

#endif  // HASPEC_ENGINE_OP_TRACE_H_
