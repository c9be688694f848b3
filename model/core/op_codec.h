// JSON for ops declared with HASPEC_OP / Fields(): one object per op, the
// wire name under "op" and each field under its name.
//
//   {"op": "promote", "node": "n1", "failed": ["n2"]}
//
//   nlohmann::json j = OpToJson(op, nodes);
//   Op op = OpFromJson<Op>(j, nodes, "line 3");   // throws ParseError
//
// The decoder refuses what a field's domain does not hold (an unknown node,
// a service number, 200 for a bounded integer), unknown keys other than the
// trace keys in kTraceKeys, and a missing required field; each error names
// the field path. Include only from .cc files: it pulls in nlohmann/json.hpp.
#ifndef HASPEC_MODEL_CORE_OP_CODEC_H_
#define HASPEC_MODEL_CORE_OP_CODEC_H_

#include <algorithm>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <variant>

#include "model/core/json_util.h"
#include "model/core/op_spec.h"
#include "model/core/parse_error.h"

namespace haspec {

// Keys a trace line may carry beside an op's own fields (see
// docs/op-traces.md); the op decoder ignores them and refuses any other.
inline constexpr std::string_view kTraceKeys[] = {"op",    "expect", "comment", "note",   "source",
                                                  "line",  "ts",     "result",  "reason", "obs",
                                                  "event", "t",      "src"};

namespace op_codec_internal {

inline nlohmann::json ValueToJson(const NodeDomain&, std::int64_t v, const Nodes& n) {
  return n.Name(static_cast<int>(v));
}
inline nlohmann::json ValueToJson(const NodeSetDomain&, std::int64_t v, const Nodes& n) {
  nlohmann::json a = nlohmann::json::array();
  for (std::size_t i = 0; i < 63; ++i) {
    if (v >> i & 1) a.push_back(n.Name(static_cast<int>(i)));
  }
  return a;
}
inline nlohmann::json ValueToJson(const BoolDomain&, std::int64_t v, const Nodes&) {
  return v != 0;
}
inline nlohmann::json ValueToJson(const IntDomain&, std::int64_t v, const Nodes&) { return v; }
template <class E, std::size_t N>
nlohmann::json ValueToJson(const EnumDomain<E, N>& d, std::int64_t v, const Nodes& n) {
  return d.Show(v, n);
}

inline int NodeFromJson(const nlohmann::json& j, const Nodes& n, const std::string& path) {
  if (!j.is_string()) {
    throw ParseError(path, "expected a node name, got " + std::string(j.type_name()));
  }
  auto name = j.get<std::string>();
  if (auto i = n.Find(name)) return *i;
  throw ParseError(path, "unknown node \"" + name + "\" (expected " + n.Choices() + ")");
}
inline std::int64_t ValueFromJson(const NodeDomain&, const nlohmann::json& j, const Nodes& n,
                                  const std::string& path) {
  return NodeFromJson(j, n, path);
}
inline std::int64_t ValueFromJson(const NodeSetDomain&, const nlohmann::json& j, const Nodes& n,
                                  const std::string& path) {
  if (!j.is_array()) {
    throw ParseError(path, "expected a list of node names, got " + std::string(j.type_name()));
  }
  std::int64_t mask = 0;
  for (std::size_t i = 0; i < j.size(); ++i) {
    mask |= std::int64_t{1} << NodeFromJson(j[i], n, path + "[" + std::to_string(i) + "]");
  }
  return mask;
}
inline std::int64_t ValueFromJson(const BoolDomain&, const nlohmann::json& j, const Nodes&,
                                  const std::string& path) {
  if (!j.is_boolean()) {
    throw ParseError(path, "expected true or false, got " + std::string(j.type_name()));
  }
  return j.get<bool>() ? 1 : 0;
}
inline std::int64_t ValueFromJson(const IntDomain& d, const nlohmann::json& j, const Nodes&,
                                  const std::string& path) {
  return json_util::IntValue(j, d.lo, d.hi, path);
}
template <class E, std::size_t N>
std::int64_t ValueFromJson(const EnumDomain<E, N>& d, const nlohmann::json& j, const Nodes&,
                           const std::string& path) {
  return static_cast<std::int64_t>(json_util::EnumValue(*d.table, j, path));
}

}  // namespace op_codec_internal

// {"op": name, field: value, ...}; every field is written, defaults too.
template <class Op>
nlohmann::json OpToJson(const Op& op, const Nodes& nodes) {
  return std::visit(
      [&](const auto& o) {
        using T = std::remove_cvref_t<decltype(o)>;
        nlohmann::json j = nlohmann::json::object();
        j["op"] = T::kName;
        ForEachField<T>([&](const auto& f) {
          j[std::string(f.name)] = op_codec_internal::ValueToJson(f.domain, f.Get(o), nodes);
        });
        return j;
      },
      op);
}

// The op a JSON object describes; throws ParseError (path under `where`).
template <class Op>
Op OpFromJson(const nlohmann::json& j, const Nodes& nodes, std::string_view where = "") {
  using json_util::Path;
  json_util::RequireObject(j, where);
  const std::string name = json_util::StringField(j, "op", where);
  std::optional<Op> out;
  ForEachOpType<Op>([&]<class T>(std::size_t) {
    if (out || name != T::kName) return;
    T o{};
    ForEachField<T>([&](const auto& f) {
      const std::string path = Path(where, f.name);
      auto it = j.find(std::string(f.name));
      if (it == j.end()) {
        if (f.required) throw ParseError(path, "missing field (" + f.domain.Describe() + ")");
        o.*(f.member) = f.dflt;
        return;
      }
      std::int64_t v = op_codec_internal::ValueFromJson(f.domain, *it, nodes, path);
      if (!f.domain.Contains(v, nodes)) {
        throw ParseError(path, "out of range (expected " + f.domain.Describe() + ")");
      }
      f.Set(o, v);
    });
    for (auto it = j.begin(); it != j.end(); ++it) {
      bool known =
          std::find(std::begin(kTraceKeys), std::end(kTraceKeys), it.key()) != std::end(kTraceKeys);
      ForEachField<T>([&](const auto& f) { known = known || it.key() == f.name; });
      if (!known) {
        std::string fields;
        ForEachField<T>(
            [&](const auto& f) { fields += (fields.empty() ? "" : ", ") + std::string(f.name); });
        throw ParseError(Path(where, it.key()),
                         "unknown field of op " + name + " (its fields: " +
                             (fields.empty() ? std::string("none") : fields) + ")");
      }
    }
    out = Op{std::move(o)};
  });
  if (!out) throw json_util::UnknownOp<Op>(name, where);
  return *out;
}

}  // namespace haspec

#endif  // HASPEC_MODEL_CORE_OP_CODEC_H_
