// The coverage record as JSON (the same record CoverageText prints).
// Include only from .cc files: it pulls in nlohmann/json.hpp.
#ifndef HASPEC_ENGINE_COVERAGE_JSON_H_
#define HASPEC_ENGINE_COVERAGE_JSON_H_

#include <nlohmann/json.hpp>

#include "engine/coverage.h"

namespace haspec {

inline nlohmann::json CoverageToJson(const Coverage& c) {
  using nlohmann::json;
  json decided = json::object(), refused = json::object(), premise = json::object(),
       advised = json::object(), missing = json::array();
  for (std::size_t i = 0; i < c.rules.size(); ++i) {
    const std::string id(c.rules[i]->id);
    if (c.decided[i]) decided[id] = c.decided[i];
    if (c.refused[i]) refused[id] = c.refused[i];
    if (c.premise[i]) premise[id] = c.premise[i];
    if (c.advised[i]) advised[id] = c.advised[i];
    if (!c.Exercised(i)) missing.push_back(id);
  }
  json statuses = json::object(), moves = json::array();
  const std::size_t k = c.statuses.size();
  for (std::size_t i = 0; i < k; ++i) statuses[std::string(c.statuses[i])] = c.status_seen[i];
  for (std::size_t a = 0; a < k; ++a) {
    for (std::size_t b = 0; b < k; ++b) {
      if (auto n = c.status_moves[a * k + b]) {
        moves.push_back({{"from", c.statuses[a]}, {"to", c.statuses[b]}, {"count", n}});
      }
    }
  }
  return {{"machine", c.machine},
          {"steps", c.steps},
          {"accepted", c.accepted},
          {"rejected", c.rejected},
          {"states", c.states},
          {"rules_total", c.rules.size()},
          {"rules_exercised", c.ExercisedCount()},
          {"rule_percent", c.RulePercent()},
          {"decided", decided},
          {"refused", refused},
          {"premise", premise},
          {"advised", advised},
          {"not_exercised", missing},
          {"statuses", statuses},
          {"status_changes", moves}};
}

}  // namespace haspec

#endif  // HASPEC_ENGINE_COVERAGE_JSON_H_
