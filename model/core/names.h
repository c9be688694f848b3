// One table of names per enum: the spelling used on output, in JSON and in
// docs, plus any extra spellings accepted on input.
//
//   inline constexpr NameTable<Status, 7> kStatusNames{{
//       {Status::kActive, "ACTIVE_MODE", "Active Mode"}, ...}};
//   std::string_view s = kStatusNames.Name(Status::kActive);
//   std::optional<Status> v = kStatusNames.Parse("Active Mode");
#ifndef HASPEC_MODEL_CORE_NAMES_H_
#define HASPEC_MODEL_CORE_NAMES_H_

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace haspec {

template <class E>
struct NameEntry {
  E value;
  std::string_view name;        // canonical spelling (output, JSON)
  std::string_view label;       // how the product's UI or docs print it
  std::string_view alias = {};  // one more spelling accepted on input
  // For a status: where the documents define it. `source` is a seed file
  // name or a dossier source key, `quote` a phrase of its defining sentence
  // (a test finds it there). Empty for other enums.
  std::string_view source = {};
  std::string_view quote = {};
};

template <class E, std::size_t N>
struct NameTable {
  std::array<NameEntry<E>, N> entries;

  static constexpr std::size_t size() { return N; }

  constexpr std::string_view Name(E v) const {
    for (const auto& e : entries) {
      if (e.value == v) return e.name;
    }
    return "?";
  }
  constexpr std::string_view Label(E v) const {
    for (const auto& e : entries) {
      if (e.value == v) return e.label;
    }
    return "?";
  }
  // Every canonical name / every label, in table order.
  constexpr std::array<std::string_view, N> Names() const {
    std::array<std::string_view, N> out{};
    for (std::size_t i = 0; i < N; ++i) out[i] = entries[i].name;
    return out;
  }
  constexpr std::array<std::string_view, N> Labels() const {
    std::array<std::string_view, N> out{};
    for (std::size_t i = 0; i < N; ++i) out[i] = entries[i].label;
    return out;
  }
  // Accepts the name, the label or the alias, ignoring ASCII case.
  std::optional<E> Parse(std::string_view s) const {
    for (const auto& e : entries) {
      if (EqualsIgnoreCase(s, e.name) || EqualsIgnoreCase(s, e.label) ||
          (!e.alias.empty() && EqualsIgnoreCase(s, e.alias))) {
        return e.value;
      }
    }
    return std::nullopt;
  }
  // "A, B or C": for error messages.
  std::string Choices() const {
    std::string out;
    for (std::size_t i = 0; i < N; ++i) {
      if (i > 0) out += (i + 1 == N) ? " or " : ", ";
      out += entries[i].name;
    }
    return out;
  }

 private:
  static constexpr bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      char x = a[i], y = b[i];
      if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
      if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
      if (x != y) return false;
    }
    return true;
  }
};

}  // namespace haspec

#endif  // HASPEC_MODEL_CORE_NAMES_H_
