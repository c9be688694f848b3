// Codec test support: every JSON object inside a document, with the path
// the codecs name it by ("" for the top, "clusters[0].remote[1].heartbeats")
// and a pointer for editing it.
#ifndef HASPEC_PROPERTIES_CORE_JSON_PATHS_H_
#define HASPEC_PROPERTIES_CORE_JSON_PATHS_H_

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace haspec::testing {

inline void ObjectPaths(const nlohmann::json& j, const std::string& path,
                        const nlohmann::json::json_pointer& at,
                        std::vector<std::pair<std::string, nlohmann::json::json_pointer>>& out) {
  if (j.is_object()) {
    out.emplace_back(path, at);
    for (auto it = j.begin(); it != j.end(); ++it) {
      ObjectPaths(it.value(), path.empty() ? it.key() : path + "." + it.key(), at / it.key(), out);
    }
  } else if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i) {
      ObjectPaths(j[i], path + "[" + std::to_string(i) + "]", at / i, out);
    }
  }
}

}  // namespace haspec::testing

#endif  // HASPEC_PROPERTIES_CORE_JSON_PATHS_H_
