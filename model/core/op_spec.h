// Ops declared once. Each op struct states its wire name, its kind and its
// fields (with their domains, defaults and environment-choice marks); every
// other view of an op (JSON codec, Show, hash, the bounded fuzz decoder, the
// complete enumeration, the README op reference) is derived from that one
// declaration by the generic functions below and in op_codec.h.
//
//   struct Promote {
//     HASPEC_OP(Promote, "promote", kCommand, "Promote a Standby to Primary")
//     std::uint8_t node = 0;
//     std::uint8_t failed = 0;
//     static constexpr auto Fields() {
//       return std::tuple{
//           NodeField(&Promote::node, "node", "the Standby to promote"),
//           NodeSetField(&Promote::failed, "failed", "nodes whose reconfiguration fails")
//               .Optional().EnvChoice()};
//     }
//   };
//
//   Nodes names = Nodes::Numbered(4);              // n0..n3
//   std::string s = ShowOp(op, names);           // "promote node=n1 failed=[n2]"
//   ForEachOp<Op>(names, [](const Op& op) { ... });  // every op, every value
//
// A field's value always lies in its domain once decoded: decoders refuse
// anything else with a ParseError naming the field.
#ifndef HASPEC_MODEL_CORE_OP_SPEC_H_
#define HASPEC_MODEL_CORE_OP_SPEC_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "model/core/hash.h"
#include "model/core/names.h"
#include "model/core/nodes.h"

namespace haspec {

// Who makes an op happen.
enum class OpKind : std::uint8_t {
  kCommand,     // someone asks the product (add a standby, hastop)
  kEvent,       // the environment does it (a VM goes down, a heartbeat is lost)
  kCompletion,  // the product finishes what it started (a build, HA configuration)
};
inline constexpr NameTable<OpKind, 3> kOpKindNames{{{
    {OpKind::kCommand, "command", "command"},
    {OpKind::kEvent, "event", "event"},
    {OpKind::kCompletion, "completion", "completion"},
}}};

// Declares an op's wire name, kind and one-line description, and ==.
#define HASPEC_OP(Type, wire, kind, doc)                            \
  static constexpr std::string_view kName = wire;                   \
  static constexpr ::haspec::OpKind kKind = ::haspec::OpKind::kind; \
  static constexpr std::string_view kDoc = doc;                     \
  friend bool operator==(const Type&, const Type&) = default;

// ---- Domains -------------------------------------------------------------
// A domain maps its values to 0..Count(nodes)-1 and back, so enumeration and
// the byte decoder need nothing else. Values are carried as int64.

// A node of the configuration, by index; named by Nodes in JSON and Show.
struct NodeDomain {
  static constexpr std::string_view kWhat = "node";
  std::size_t Count(const Nodes& n) const { return n.size(); }
  std::int64_t At(std::size_t i, const Nodes&) const { return static_cast<std::int64_t>(i); }
  bool Contains(std::int64_t v, const Nodes& n) const {
    return v >= 0 && static_cast<std::size_t>(v) < n.size();
  }
  std::string Show(std::int64_t v, const Nodes& n) const { return n.Name(static_cast<int>(v)); }
  std::string Describe() const { return "node name"; }
};

// A set of nodes, as a bit mask (bit i = node i); a JSON array of names.
struct NodeSetDomain {
  static constexpr std::string_view kWhat = "node set";
  std::size_t Count(const Nodes& n) const { return std::size_t{1} << n.size(); }
  std::int64_t At(std::size_t i, const Nodes&) const { return static_cast<std::int64_t>(i); }
  bool Contains(std::int64_t v, const Nodes& n) const {
    return v >= 0 && (static_cast<std::uint64_t>(v) >> n.size()) == 0;
  }
  std::string Show(std::int64_t v, const Nodes& n) const {
    std::string out = "[";
    for (std::size_t i = 0; i < n.size(); ++i) {
      if (!(v >> i & 1)) continue;
      if (out.size() > 1) out += ",";
      out += n.Name(static_cast<int>(i));
    }
    return out + "]";
  }
  std::string Describe() const { return "list of node names"; }
};

struct BoolDomain {
  static constexpr std::string_view kWhat = "boolean";
  std::size_t Count(const Nodes&) const { return 2; }
  std::int64_t At(std::size_t i, const Nodes&) const { return static_cast<std::int64_t>(i); }
  bool Contains(std::int64_t v, const Nodes&) const { return v == 0 || v == 1; }
  std::string Show(std::int64_t v, const Nodes&) const { return v ? "true" : "false"; }
  std::string Describe() const { return "true or false"; }
};

// An integer in [lo, hi].
struct IntDomain {
  static constexpr std::string_view kWhat = "integer";
  std::int64_t lo = 0, hi = 0;
  std::size_t Count(const Nodes&) const { return static_cast<std::size_t>(hi - lo + 1); }
  std::int64_t At(std::size_t i, const Nodes&) const { return lo + static_cast<std::int64_t>(i); }
  bool Contains(std::int64_t v, const Nodes&) const { return v >= lo && v <= hi; }
  std::string Show(std::int64_t v, const Nodes&) const { return std::to_string(v); }
  std::string Describe() const {
    return "integer " + std::to_string(lo) + ".." + std::to_string(hi);
  }
};

// One of an enum's names, from its NameTable.
template <class E, std::size_t N>
struct EnumDomain {
  static constexpr std::string_view kWhat = "name";
  const NameTable<E, N>* table;
  std::size_t Count(const Nodes&) const { return N; }
  std::int64_t At(std::size_t i, const Nodes&) const {
    return static_cast<std::int64_t>(table->entries[i].value);
  }
  bool Contains(std::int64_t v, const Nodes&) const {
    for (const auto& e : table->entries) {
      if (static_cast<std::int64_t>(e.value) == v) return true;
    }
    return false;
  }
  std::string Show(std::int64_t v, const Nodes&) const {
    return std::string(table->Name(static_cast<E>(v)));
  }
  std::string Describe() const { return "one of " + table->Choices(); }
};

// ---- Fields --------------------------------------------------------------

template <class Op, class T, class D>
struct FieldSpec {
  using OpType = Op;
  using ValueType = T;
  using DomainType = D;

  std::string_view name;
  T Op::*member;
  D domain;
  std::string_view doc;
  bool required = true;     // absent in JSON is an error (else the default)
  bool env_choice = false;  // the environment decides it (see docs/architecture.md)
  bool refused = false;     // an environment choice some precondition reads
  T dflt{};

  constexpr FieldSpec Optional(T d = T{}) const {
    FieldSpec f = *this;
    f.required = false;
    f.dflt = d;
    return f;
  }
  // Marks a field the environment decides (which reconfigurations fail, how
  // a connectivity test goes): a gate cannot order a product to do it.
  constexpr FieldSpec EnvChoice() const {
    FieldSpec f = *this;
    f.env_choice = true;
    return f;
  }
  // Marks an environment choice some of whose values a precondition refuses
  // (answers only from clusters still connected): refusals may read it.
  constexpr FieldSpec Refused() const {
    FieldSpec f = *this;
    f.refused = true;
    return f;
  }

  std::int64_t Get(const Op& op) const { return ToInt(op.*member); }
  void Set(Op& op, std::int64_t v) const { op.*member = FromInt(v); }

  static std::int64_t ToInt(T v) {
    if constexpr (std::is_enum_v<T>) {
      return static_cast<std::int64_t>(static_cast<std::underlying_type_t<T>>(v));
    } else {
      return static_cast<std::int64_t>(v);
    }
  }
  static T FromInt(std::int64_t v) {
    if constexpr (std::is_same_v<T, bool>) {
      return v != 0;
    } else {
      return static_cast<T>(v);
    }
  }
};

template <class Op, class T>
constexpr auto NodeField(T Op::*m, std::string_view name, std::string_view doc) {
  return FieldSpec<Op, T, NodeDomain>{name, m, NodeDomain{}, doc};
}
template <class Op, class T>
constexpr auto NodeSetField(T Op::*m, std::string_view name, std::string_view doc) {
  return FieldSpec<Op, T, NodeSetDomain>{name, m, NodeSetDomain{}, doc};
}
template <class Op>
constexpr auto BoolField(bool Op::*m, std::string_view name, std::string_view doc) {
  return FieldSpec<Op, bool, BoolDomain>{name, m, BoolDomain{}, doc};
}
template <class Op, class T>
constexpr auto IntField(T Op::*m, std::string_view name, std::int64_t lo, std::int64_t hi,
                        std::string_view doc) {
  return FieldSpec<Op, T, IntDomain>{name, m, IntDomain{lo, hi}, doc};
}
template <class Op, class E, std::size_t N>
constexpr auto EnumField(E Op::*m, std::string_view name, const NameTable<E, N>& table,
                         std::string_view doc) {
  return FieldSpec<Op, E, EnumDomain<E, N>>{name, m, EnumDomain<E, N>{&table}, doc};
}

// An op struct declared with HASPEC_OP and Fields().
template <class T>
concept DeclaredOp = requires {
  { T::kName } -> std::convertible_to<std::string_view>;
  { T::kKind } -> std::convertible_to<OpKind>;
  { T::kDoc } -> std::convertible_to<std::string_view>;
  T::Fields();
};

// Calls f(field) for each field of op type T, in declaration order.
template <DeclaredOp T, class F>
constexpr void ForEachField(F&& f) {
  std::apply([&](const auto&... fs) { (f(fs), ...); }, T::Fields());
}

template <DeclaredOp T>
constexpr std::size_t FieldCount() {
  return std::tuple_size_v<decltype(T::Fields())>;
}

// Calls f.template operator()<T>(index) for each alternative T of variant Op.
template <class Op, class F>
constexpr void ForEachOpType(F&& f) {
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (f.template operator()<std::variant_alternative_t<I, Op>>(I), ...);
  }
  (std::make_index_sequence<std::variant_size_v<Op>>{});
}

// The kind of an op value.
template <class Op>
OpKind KindOf(const Op& op) {
  return std::visit([](const auto& o) { return std::remove_cvref_t<decltype(o)>::kKind; }, op);
}

// Whether every field of `op` lies in its domain for these nodes.
template <class Op>
bool InDomain(const Op& op, const Nodes& nodes) {
  return std::visit(
      [&](const auto& o) {
        using T = std::remove_cvref_t<decltype(o)>;
        bool ok = true;
        ForEachField<T>([&](const auto& f) { ok = ok && f.domain.Contains(f.Get(o), nodes); });
        return ok;
      },
      op);
}

// Whether `op` is an op of type T: std::holds_alternative, but libstdc++
// 12 works T's index out at run time there (a call with an array on the
// stack, which ASan instruments: a twentieth of fuzz target ops_jsa), where
// get_if takes it as a constant.
template <class T, class... Ts>
constexpr bool IsOp(const std::variant<Ts...>& op) noexcept {
  return std::get_if<T>(&op) != nullptr;
}

// `op` with its environment-choice fields at their defaults, but for those
// marked Refused(): all of the op a machine's refusals read (the product
// refuses or goes ahead before the environment decides; the contract tests
// check it), so ops with the same key share their refusals.
template <class Op>
Op RefusalKey(const Op& op) {
  Op out = op;
  std::visit(
      [](auto& o) {
        using T = std::remove_cvref_t<decltype(o)>;
        ForEachField<T>([&](const auto& f) {
          if (f.env_choice && !f.refused) {
            f.Set(o, std::remove_cvref_t<decltype(f)>::ToInt(f.dflt));
          }
        });
      },
      out);
  return out;
}

// "promote node=n1 failed=[n2]": the wire name, then each field.
template <class Op>
std::string ShowOp(const Op& op, const Nodes& nodes) {
  return std::visit(
      [&](const auto& o) {
        using T = std::remove_cvref_t<decltype(o)>;
        std::string out(T::kName);
        ForEachField<T>([&](const auto& f) {
          out += " ";
          out += f.name;
          out += "=";
          out += f.domain.Show(f.Get(o), nodes);
        });
        return out;
      },
      op);
}

template <class Op>
std::size_t HashOp(const Op& op) {
  std::size_t h = op.index();
  std::visit(
      [&](const auto& o) {
        using T = std::remove_cvref_t<decltype(o)>;
        ForEachField<T>([&](const auto& f) { HashCombine(h, f.Get(o)); });
      },
      op);
  return h;
}

// How ForEachOp treats environment-choice fields.
enum class EnvChoices {
  kAll,      // every value (the complete op list)
  kDefault,  // the default only (what a gate can ask a product to do)
  kSample,   // the first three values and the last (a node set: none, each of
             // the first two nodes, all): a search that needs the kinds of
             // outcome, not every combination
};

namespace op_spec_internal {
template <class T, std::size_t I, class Op, class F>
void Product(T& cur, const Nodes& nodes, EnvChoices env_choices, F& f) {
  constexpr std::size_t kN = FieldCount<T>();
  if constexpr (I == kN) {
    f(Op{cur});
  } else {
    // A copy: Fields() returns a temporary tuple.
    const auto field = std::get<I>(T::Fields());
    if (env_choices == EnvChoices::kDefault && field.env_choice) {
      field.Set(cur, std::remove_cvref_t<decltype(field)>::ToInt(field.dflt));
      Product<T, I + 1, Op>(cur, nodes, env_choices, f);
      return;
    }
    const std::size_t n = field.domain.Count(nodes);
    const bool sample = env_choices == EnvChoices::kSample && field.env_choice;
    for (std::size_t i = 0; i < n; ++i) {
      if (sample && i >= 3 && i + 1 < n) continue;
      field.Set(cur, field.domain.At(i, nodes));
      Product<T, I + 1, Op>(cur, nodes, env_choices, f);
    }
  }
}
}  // namespace op_spec_internal

// Calls f(op) for every op of variant Op and every combination of field
// values in their domains: the complete op list that exploration and
// replay's hidden events draw from (see EnvChoices for the other modes).
template <class Op, class F>
void ForEachOp(const Nodes& nodes, F&& f, EnvChoices env_choices = EnvChoices::kAll) {
  ForEachOpType<Op>([&]<class T>(std::size_t) {
    T cur{};
    op_spec_internal::Product<T, 0, Op>(cur, nodes, env_choices, f);
  });
}

// The number of ops ForEachOp visits.
template <class Op>
std::size_t CountOps(const Nodes& nodes, EnvChoices env_choices = EnvChoices::kAll) {
  std::size_t total = 0;
  ForEachOp<Op>(
      nodes, [&](const Op&) { ++total; }, env_choices);
  return total;
}

// The op reference of a machine README, as a Markdown table.
template <class Op>
std::string OpsMarkdown() {
  std::string out = "| op | kind | fields | what it does |\n|---|---|---|---|\n";
  ForEachOpType<Op>([&]<class T>(std::size_t) {
    std::string fields;
    ForEachField<T>([&](const auto& f) {
      if (!fields.empty()) fields += "<br>";
      fields += "`" + std::string(f.name) + "`: " + f.domain.Describe();
      if (!f.required) {
        fields += ", default " + f.domain.Show(f.Get([&] {
          T t{};
          t.*(f.member) = f.dflt;
          return t;
        }()),
                                               Nodes::Numbered(0));
      }
      if (f.env_choice) fields += ", **environment choice**";
      fields += " (" + std::string(f.doc) + ")";
    });
    if (fields.empty()) fields = "(none)";
    out += "| `" + std::string(T::kName) + "` | " + std::string(kOpKindNames.Name(T::kKind)) +
           " | " + fields + " | " + std::string(T::kDoc) + " |\n";
  });
  return out;
}

}  // namespace haspec

#endif  // HASPEC_MODEL_CORE_OP_SPEC_H_
