// Helpers for codecs: read a field of a JSON object or throw a ParseError
// that names the field path and what was expected.
//
//   const auto& node = Field(j, "node", where);         // must exist
//   Role r = EnumField(kRoleNames, j, "role", where);   // must be a name
//   int slot = IntField(j, "slot", 0, 4, where);        // integer in range
//
// Include only from .cc files: it pulls in nlohmann/json.hpp.
#ifndef HASPEC_MODEL_CORE_JSON_UTIL_H_
#define HASPEC_MODEL_CORE_JSON_UTIL_H_

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "model/core/machine.h"
#include "model/core/names.h"
#include "model/core/parse_error.h"

namespace haspec::json_util {

using nlohmann::json;

inline std::string Path(std::string_view where, std::string_view key) {
  if (where.empty()) return std::string(key);
  return std::string(where) + "." + std::string(key);
}

inline std::string TypeName(const json& j) { return j.type_name(); }

inline void RequireObject(const json& j, std::string_view where) {
  if (!j.is_object()) {
    throw ParseError(std::string(where), "expected a JSON object, got " + TypeName(j));
  }
}

// Throws for the first key of object `j` not in `allowed`, naming its path:
//   nodes.n1.satus: unknown field (expected listed, role, status)
// Codecs call this on every fixed-key object they read because a misspelt
// key would otherwise read as "not seen" (or as a default) and hide the
// fact it was meant to carry. `what` names the kind of key in the message.
inline void RejectUnknownKeys(const json& j, std::string_view where,
                              std::initializer_list<std::string_view> allowed,
                              std::string_view what = "field") {
  RequireObject(j, where);
  for (auto it = j.begin(); it != j.end(); ++it) {
    bool known = false;
    for (std::string_view k : allowed) known = known || it.key() == k;
    if (known) continue;
    std::string list;
    for (std::string_view k : allowed) list += (list.empty() ? "" : ", ") + std::string(k);
    throw ParseError(Path(where, it.key()),
                     "unknown " + std::string(what) + " (expected " + list + ")");
  }
}

inline const json& Field(const json& j, std::string_view key, std::string_view where) {
  RequireObject(j, where);
  auto it = j.find(key);
  if (it == j.end()) throw ParseError(Path(where, key), "missing field");
  return *it;
}

inline const json* OptionalField(const json& j, std::string_view key, std::string_view where) {
  RequireObject(j, where);
  auto it = j.find(key);
  return it == j.end() ? nullptr : &*it;
}

inline std::string StringField(const json& j, std::string_view key, std::string_view where) {
  const json& f = Field(j, key, where);
  if (!f.is_string()) throw ParseError(Path(where, key), "expected a string, got " + TypeName(f));
  return f.get<std::string>();
}

inline bool BoolField(const json& j, std::string_view key, std::string_view where, bool dflt) {
  const json* f = OptionalField(j, key, where);
  if (!f) return dflt;
  if (!f->is_boolean())
    throw ParseError(Path(where, key), "expected true or false, got " + TypeName(*f));
  return f->get<bool>();
}

// An integer in [lo, hi]; huge literals (stored as floats) are rejected, not
// converted.
inline std::int64_t IntValue(const json& f, std::int64_t lo, std::int64_t hi,
                             const std::string& path) {
  if (!f.is_number_integer()) throw ParseError(path, "expected an integer, got " + TypeName(f));
  std::int64_t v;
  if (f.is_number_unsigned()) {
    auto u = f.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(hi)) {
      throw ParseError(path, "out of range: " + std::to_string(u) + " (expected " +
                                 std::to_string(lo) + ".." + std::to_string(hi) + ")");
    }
    v = static_cast<std::int64_t>(u);
  } else {
    v = f.get<std::int64_t>();
  }
  if (v < lo || v > hi) {
    throw ParseError(path, "out of range: " + std::to_string(v) + " (expected " +
                               std::to_string(lo) + ".." + std::to_string(hi) + ")");
  }
  return v;
}

inline std::int64_t IntField(const json& j, std::string_view key, std::int64_t lo, std::int64_t hi,
                             std::string_view where) {
  return IntValue(Field(j, key, where), lo, hi, Path(where, key));
}

template <class E, std::size_t N>
E EnumValue(const NameTable<E, N>& table, const json& f, const std::string& path) {
  if (!f.is_string()) throw ParseError(path, "expected a string, got " + TypeName(f));
  auto s = f.get<std::string>();
  if (auto v = table.Parse(s)) return *v;
  // A status table's entries cite where the documents define each status;
  // a name outside it is vocabulary drift, which replay tells apart.
  const bool status = !table.entries[0].source.empty();
  throw ParseError(path, "unknown value \"" + s + "\" (expected " + table.Choices() + ")",
                   status ? s : std::string());
}

template <class E, std::size_t N>
E EnumField(const NameTable<E, N>& table, const json& j, std::string_view key,
            std::string_view where) {
  return EnumValue(table, Field(j, key, where), Path(where, key));
}

template <class E, std::size_t N>
E EnumField(const NameTable<E, N>& table, const json& j, std::string_view key,
            std::string_view where, E dflt) {
  const json* f = OptionalField(j, key, where);
  return f ? EnumValue(table, *f, Path(where, key)) : dflt;
}

// {"op": "<wire name>", ...the fields Encoder gives} for an op variant.
template <class Encoder, class Op>
json EncodeOp(const Op& op) {
  json j = std::visit(Encoder{}, op);
  j["op"] = OpName(op);
  return j;
}

// The error for an op name that no alternative of Op has, listing them all.
template <class Op>
ParseError UnknownOp(std::string_view name, std::string_view where) {
  std::string choices;
  for (std::string_view n : OpNames<Op>())
    choices += (choices.empty() ? "" : ", ") + std::string(n);
  return ParseError(Path(where, "op"),
                    "unknown op \"" + std::string(name) + "\" (expected one of " + choices + ")");
}

}  // namespace haspec::json_util

#endif  // HASPEC_MODEL_CORE_JSON_UTIL_H_
