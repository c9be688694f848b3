// The names of a configuration's nodes. Inside a model a node is an index;
// users, logs and traces name nodes as the product does ("n0", a host name,
// a UUID), and every codec translates through one Nodes value.
//
//   Nodes n = Nodes::Numbered(3);                 // n0, n1, n2
//   Nodes m{{"alpha", "beta"}};
//   std::optional<int> i = m.Find("beta");        // 1
//   std::string s = m.Name(0);                    // "alpha"
#ifndef HASPEC_MODEL_CORE_NODES_H_
#define HASPEC_MODEL_CORE_NODES_H_

#include <cstddef>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace haspec {

class Nodes {
 public:
  Nodes() = default;
  explicit Nodes(std::vector<std::string> names) : names_(std::move(names)) {}

  // prefix0, prefix1, ...
  static Nodes Numbered(std::size_t n, std::string_view prefix = "n") {
    std::vector<std::string> v;
    for (std::size_t i = 0; i < n; ++i) v.push_back(std::string(prefix) + std::to_string(i));
    return Nodes(std::move(v));
  }

  std::size_t size() const { return names_.size(); }
  const std::vector<std::string>& names() const { return names_; }

  // The name of node i; "#i" when i is outside the configuration.
  std::string Name(int i) const {
    if (i >= 0 && static_cast<std::size_t>(i) < names_.size()) return names_[i];
    return "#" + std::to_string(i);
  }
  std::optional<int> Find(std::string_view name) const {
    for (std::size_t i = 0; i < names_.size(); ++i) {
      const std::string& n = names_[i];
      // Sizes first, then an equality-only compare (a hot path of the trace reader).
      if (n.size() == name.size() && std::memcmp(n.data(), name.data(), n.size()) == 0) {
        return static_cast<int>(i);
      }
    }
    return std::nullopt;
  }
  // "n0, n1 or n2": for error messages.
  std::string Choices() const {
    std::string out;
    for (std::size_t i = 0; i < names_.size(); ++i) {
      if (i > 0) out += (i + 1 == names_.size()) ? " or " : ", ";
      out += names_[i];
    }
    return out.empty() ? "(no nodes configured)" : out;
  }

  friend bool operator==(const Nodes&, const Nodes&) = default;

 private:
  std::vector<std::string> names_;
};

}  // namespace haspec

#endif  // HASPEC_MODEL_CORE_NODES_H_
