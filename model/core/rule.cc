#include "model/core/rule.h"

namespace haspec {

std::string_view ToString(RuleKind k) {
  switch (k) {
    case RuleKind::kInvariant:
      return "invariant";
    case RuleKind::kPrecondition:
      return "precondition";
    case RuleKind::kTransition:
      return "transition";
    case RuleKind::kAdvisory:
      return "advisory";
  }
  return "?";
}

std::string_view ToString(BasisKind k) {
  switch (k) {
    case BasisKind::kSeed:
      return "seed";
    case BasisKind::kDossier:
      return "dossier";
    case BasisKind::kAssumption:
      return "assumption";
  }
  return "?";
}

const Rule* FindRule(std::span<const Rule> rules, std::string_view id) {
  for (const Rule& r : rules) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

}  // namespace haspec
