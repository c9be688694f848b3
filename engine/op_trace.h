// Op traces on disk: one JSON op per line (JSON Lines), as `haspec check`
// writes them for a violation and `haspec run` reads them back.
//
//   # comment lines and blank lines are skipped
//   {"op": "deploy_vm", "node": "n0"}
//   {"op": "delete_standby", "node": "n0", "expect": "DSM-PRE-DELETE-TARGET-STANDBY"}
//
// The optional "expect" field states the verdict the model must give:
// "accepted", "rejected", or the ID of the rule that must decide the step.
// The optional "obs" field is what the product showed after the op, as the
// machine's ObservationToJson writes it; keys left out were not seen. A
// line with "obs" and no "op", before the first op, is the observation of
// the initial state. Node names are the configuration's (Nodes).
//
//   OpTrace<Dsm> t = ReadOpTrace<Dsm>("trace.jsonl", config.nodes);  // throws InputError
//
// Include only from .cc files: it pulls in nlohmann/json.hpp.
#ifndef HASPEC_ENGINE_OP_TRACE_H_
#define HASPEC_ENGINE_OP_TRACE_H_

#include <algorithm>
#include <cstddef>
#include <fstream>
#include <istream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <optional>
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

inline constexpr int kTraceFormatVersion = 1;

// ---- Header -----------------------------------------------------------------

struct TraceHeader {
  int version = 0;  // 0: no header (a v0 trace)
  int line = 0;
  std::string machine;
  std::optional<nlohmann::json> config;
  std::vector<std::pair<std::string, std::string>> node_map;  // log name -> config name
  std::string source;
  std::string profile;  // "", "full" or "documented-only"
};

// Whether a parsed line is a header line.
inline bool IsHeaderLine(const nlohmann::json& j) {
  return j.is_object() && j.contains("haspec_trace");
}

// Reads a header object; throws ParseError naming the key.
inline TraceHeader HeaderFromJson(const nlohmann::json& j) {
  TraceHeader h;
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& k = it.key();
    const auto& v = it.value();
    if (k == "haspec_trace") {
      if (!v.is_number_integer()) {
        throw ParseError(
            k, "expected the format version, an integer, got " + std::string(v.type_name()));
      }
      const auto ver = v.get<std::int64_t>();
      if (ver < 1 || ver > kTraceFormatVersion) {
        throw ParseError(k, "unsupported trace format version " + std::to_string(ver) +
                                " (this haspec reads 0 to " + std::to_string(kTraceFormatVersion) +
                                ")");
      }
      h.version = static_cast<int>(ver);
    } else if (k == "machine" || k == "source" || k == "profile") {
      if (!v.is_string()) {
        throw ParseError(k, "expected a string, got " + std::string(v.type_name()));
      }
      (k == "machine" ? h.machine : k == "source" ? h.source : h.profile) = v.get<std::string>();
    } else if (k == "config") {
      if (!v.is_object()) {
        throw ParseError(k, "expected an object, got " + std::string(v.type_name()));
      }
      h.config = v;
    } else if (k == "node_map") {
      if (!v.is_object()) {
        throw ParseError(k, "expected an object, got " + std::string(v.type_name()));
      }
      for (auto m = v.begin(); m != v.end(); ++m) {
        if (!m.value().is_string()) {
          throw ParseError(k + "." + m.key(), "expected a node name of the configuration");
        }
        h.node_map.emplace_back(m.key(), m.value().get<std::string>());
      }
    } else {
      throw ParseError(k,
                       "unknown header field (expected haspec_trace, machine, config, "
                       "node_map, source, profile)");
    }
  }
  if (h.machine.empty()) throw ParseError("machine", "missing (the header must name it)");
  if (!h.profile.empty() && h.profile != "full" && h.profile != "documented-only") {
    throw ParseError("profile", "expected full or documented-only, got \"" + h.profile + "\"");
  }
  return h;
}

// The names events use: the configuration's, with each node_map entry's log
// name standing for its configuration node. Throws ParseError for a map
// entry naming no node of the configuration.
inline Nodes MappedNodes(const Nodes& config, const TraceHeader& h) {
  std::vector<std::string> names = config.names();
  for (const auto& [log, cfg] : h.node_map) {
    auto i = config.Find(cfg);
    if (!i) {
      throw ParseError("node_map." + log, "\"" + cfg + "\" is no node of the configuration (" +
                                              config.Choices() + ")");
    }
    names[*i] = log;
  }
  return Nodes(std::move(names));
}

template <Machine M>
struct OpTrace {
  std::vector<typename M::Op> ops;
  std::vector<int> lines;            // file line of each op
  std::vector<std::string> expects;  // "" when the line states none
  // What the product answered, when the line recorded it (v1 "result" and
  // "reason"): "accepted", "rejected" or "" (unknown); a rule ID or "".
  std::vector<std::string> results, reasons;
  // What each line says the product showed after its op (unset: nothing).
  std::vector<std::optional<typename M::Observation>> observations;
  // An "obs" line before the first op: the initial state's observation.
  std::optional<typename M::Observation> initial_observation;
  int initial_observation_line = 0;
  TraceHeader header;  // version 0: the trace has none

  bool HasObservations() const {
    if (initial_observation) return true;
    for (const auto& o : observations) {
      if (o) return true;
    }
    return false;
  }
};

namespace op_trace_internal {

// The "obs" of a trace line; errors name the field path under "obs".
template <CodecMachine M>
typename M::Observation ObservationOfLine(const nlohmann::json& j, const Nodes& nodes) {
  if (!j.is_object()) {
    throw ParseError("obs",
                     "expected an object (an observation as `haspec run --json` shows "
                     "it), got " +
                         std::string(j.type_name()));
  }
  try {
    return M::ObservationFromJson(j, nodes);
  } catch (const ParseError& e) {
    if (e.where().empty()) throw e.Moved("obs");
    const bool index = e.where().front() == '[';
    throw e.Moved("obs" + std::string(index ? "" : ".") + e.where());
  } catch (const nlohmann::json::exception& e) {
    throw ParseError("obs", e.what());
  }
}

}  // namespace op_trace_internal

// Reads a whole trace from `in` (`path` names it in errors); the first bad
// line throws (nothing after it is applied by any caller).
template <CodecMachine M>
OpTrace<M> ParseOpTrace(std::istream& in, const std::string& path, const Nodes& nodes) {
  OpTrace<M> t;
  std::string line;
  int n = 0;
  Nodes mapped = nodes;  // the header's node_map applied
  while (std::getline(in, line)) {
    ++n;
    auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#') continue;
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(line);
    } catch (const nlohmann::json::exception& e) {  // parse_error, or out_of_range for 1e999
      throw InputError(path, n, std::string("not valid JSON: ") + e.what());
    }
    if (IsHeaderLine(j)) {
      // A v1 header (docs/trace-format.md): only before everything else.
      if (!t.ops.empty() || t.initial_observation || t.header.version > 0) {
        throw InputError(path, n,
                         "haspec_trace: a header may only be the first line that is not a "
                         "comment");
      }
      try {
        t.header = HeaderFromJson(j);
        t.header.line = n;
        if (t.header.machine != M::kName) {
          throw ParseError("machine", "the trace is for machine \"" + t.header.machine +
                                          "\", not " + std::string(M::kName));
        }
        mapped = MappedNodes(nodes, t.header);
      } catch (const ParseError& e) {
        throw InputError(path, n, "header: " + std::string(e.what()));
      }
      continue;
    }
    std::string expect, result, reason;
    std::optional<typename M::Observation> obs;
    try {
      if (j.is_object() && !j.contains("op") && j.contains("obs")) {
        // Only the initial state can be seen without an op before it.
        if (!t.ops.empty() || t.initial_observation) {
          throw ParseError("op",
                           "missing (a line without an op may only state the initial "
                           "observation, before the first op; haspec replay reads "
                           "observations anywhere)");
        }
        for (auto it = j.begin(); it != j.end(); ++it) {
          if (it.key() == "expect") {
            throw ParseError("expect", "an initial observation has no op to expect an answer of");
          }
          if (std::find(std::begin(kTraceKeys), std::end(kTraceKeys), it.key()) ==
              std::end(kTraceKeys)) {
            throw ParseError(it.key(), "unknown field of an initial observation line");
          }
        }
        t.initial_observation = op_trace_internal::ObservationOfLine<M>(j["obs"], mapped);
        t.initial_observation_line = n;
        continue;
      }
      t.ops.push_back(OpFromJson<typename M::Op>(j, mapped));
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
      if (auto it = j.find("result"); it != j.end()) {
        result = it->is_string() ? it->template get<std::string>() : "";
        if (result != "accepted" && result != "rejected" && result != "unknown") {
          throw ParseError("result", "expected accepted, rejected or unknown, got " + it->dump());
        }
        if (result == "unknown") result.clear();
      }
      if (auto it = j.find("reason"); it != j.end()) {
        if (result != "rejected") {
          throw ParseError("reason", "only a rejected result has a reason");
        }
        reason = it->is_string() ? it->template get<std::string>() : "";
        if (!FindRule(M::Rules(), reason)) {
          throw ParseError("reason", it->dump() + " is no rule ID of " + std::string(M::kName));
        }
      }
      if (auto it = j.find("obs"); it != j.end()) {
        obs = op_trace_internal::ObservationOfLine<M>(*it, mapped);
      }
    } catch (const ParseError& e) {
      throw InputError(path, n, e.what());
    }
    t.results.push_back(std::move(result));
    t.reasons.push_back(std::move(reason));
    t.lines.push_back(n);
    t.expects.push_back(std::move(expect));
    t.observations.push_back(std::move(obs));
  }
  if (in.bad()) throw InputError(path, n, "read error");
  return t;
}

// The header of a trace file, if it has one (its first line that is not a
// comment); version 0 when it has none or cannot be read (the reader then
// reports the problem). Throws InputError for a malformed header.
inline TraceHeader PeekTraceHeader(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  int n = 0;
  while (in && std::getline(in, line)) {
    ++n;
    auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#') continue;
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !IsHeaderLine(j)) return {};
    try {
      TraceHeader h = HeaderFromJson(j);
      h.line = n;
      return h;
    } catch (const ParseError& e) {
      throw InputError(path, n, "header: " + std::string(e.what()));
    }
  }
  return {};
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
