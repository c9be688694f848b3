// Rule catalogue types shared by every machine.
//
// Each machine lists its rules once, in a `rules.def` X-macro table, and
// turns that table into an enum (for the hot path) and an array of `Rule`
// (for reports, `haspec rules` and the docs):
//
//   HASPEC_RULE(kAddNeedsSecondary, "DSM-PRE-ALL-SECONDARIES-LOST",
//               kPrecondition, kSeed, "000_aec1892a11a02c4c.txt",
//               "Add, Delete, and Promote operations in the cluster fail",
//               "Add, delete and promote fail when ...")
//
// A rule's basis is a seed document (file name plus a quoted phrase that
// `grep -F` finds in it), a [REAL] fact of the domain dossier (source key plus
// a phrase found in DOSSIER.md), or an assumption (the quote field then holds
// the reason). A test checks every quote against its file.
#ifndef HASPEC_MODEL_CORE_RULE_H_
#define HASPEC_MODEL_CORE_RULE_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace haspec {

enum class RuleKind : std::uint8_t {
  kInvariant,     // must hold in every state
  kPrecondition,  // an op is refused unless it holds
  kTransition,    // what an accepted op or event does
  kAdvisory,      // documented recommendation; reported, never a violation
};
inline constexpr RuleKind kRuleKinds[] = {RuleKind::kInvariant, RuleKind::kPrecondition,
                                          RuleKind::kTransition, RuleKind::kAdvisory};

enum class BasisKind : std::uint8_t {
  kSeed,        // a seed document in shared/seeds/
  kDossier,     // a [REAL] fact in shared/domain/DOSSIER.md
  kAssumption,  // the documents are silent or disagree; this is our choice
};

struct Rule {
  std::string_view id;  // stable, e.g. "DSM-PRE-ALL-SECONDARIES-LOST"
  RuleKind kind;
  BasisKind basis;
  std::string_view source;     // seed file name or dossier source key
  std::string_view quote;      // phrase locating the sentence, or the reason
  std::string_view statement;  // one line
};

// Expands one rules.def line into a Rule; a machine's .cc builds its
// catalogue with
//   constexpr Rule kRules[] = {
//   #define HASPEC_RULE HASPEC_RULE_ENTRY
//   #include "model/<machine>/rules.def"
//   #undef HASPEC_RULE
//   };
#define HASPEC_RULE_ENTRY(e, id, kind, basis, src, quote, stmt) \
  ::haspec::Rule{id, ::haspec::RuleKind::kind, ::haspec::BasisKind::basis, src, quote, stmt},

// Which rules a check enforces. kDocumentedOnly drops assumption rules: a
// verdict that rests on an assumption is then not held against anyone.
enum class Profile : std::uint8_t { kFull, kDocumentedOnly };

constexpr bool IsDocumented(const Rule& r) { return r.basis != BasisKind::kAssumption; }
constexpr bool Enforced(const Rule& r, Profile p) { return p == Profile::kFull || IsDocumented(r); }

// A status a node can show, with the sentence that defines it. Built from
// the status NameTable of a machine:
//   constexpr auto kStatusList = StatusInfos(kStatusNames);
struct StatusInfo {
  std::string_view name;    // wire spelling
  std::string_view label;   // as the product's UI or docs print it
  std::string_view source;  // seed file name or dossier source key
  std::string_view quote;   // phrase of the defining sentence
};

template <class Table>
constexpr auto StatusInfos(const Table& t) {
  std::array<StatusInfo, Table::size()> out{};
  for (std::size_t i = 0; i < Table::size(); ++i) {
    const auto& e = t.entries[i];
    out[i] = StatusInfo{e.name, e.label, e.source, e.quote};
  }
  return out;
}

// A change of one node's status that the documents describe: the list a
// machine's exploration is held to (is every documented change reachable?)
// and the solid edges of its diagram. Each machine lists its changes once,
// in model/<machine>/status_changes.def:
//
//   HASPEC_STATUS_CHANGE("LOCAL_BUILD", "RUNNING", kDossier, "S-VCS41-ST",
//                        "LOCAL_BUILD | build from disk OK | RUNNING",
//                        "the build from disk succeeds")
//
// `from` and `to` are StatusInfo::name spellings. The basis is checked like
// a rule's (a seed phrase grep finds, a [REAL] row of the dossier); a change
// the dossier marks [RECON] is an assumption, listed so the report can say
// whether the model makes it, with `quote` giving where it comes from.
struct StatusChange {
  std::string_view from, to;
  BasisKind basis;
  std::string_view source;  // seed file name or dossier source key ("" for an assumption)
  std::string_view quote;   // phrase locating the sentence, or the assumption's reason
  std::string_view event;   // what makes the change, one line
};

#define HASPEC_STATUS_CHANGE_ENTRY(from, to, basis, src, quote, event) \
  ::haspec::StatusChange{from, to, ::haspec::BasisKind::basis, src, quote, event},

constexpr bool IsDocumented(const StatusChange& c) { return c.basis != BasisKind::kAssumption; }

std::string_view ToString(RuleKind k);
std::string_view ToString(BasisKind k);

// Returns the rule with `id`, or nullptr.
const Rule* FindRule(std::span<const Rule> rules, std::string_view id);

}  // namespace haspec

#endif  // HASPEC_MODEL_CORE_RULE_H_
