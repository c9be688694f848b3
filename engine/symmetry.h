// Symmetry reduction: states that differ only by the names of interchangeable
// nodes are one state for an exhaustive search. A machine opts in with three
// static members (machines without them have no symmetry):
//
//   // -1: node i is not interchangeable (out of the configuration, or
//   // singled out by a rule); nodes with the same class >= 0 are.
//   static int SymmetryClass(const State& s, int i);
//   // A summary of node i's facts that renaming nodes does not change
//   // (NodeKey(PermuteNodes(s, to), to[i]) == NodeKey(s, i)).
//   static std::uint64_t NodeKey(const State& s, int i);
//   // s with node i's facts moved to node to[i] (references between nodes
//   // renamed too); `to` permutes only nodes within one class.
//   static State PermuteNodes(const State& s, std::span<const std::uint8_t> to);
//
// SymmetricForm sorts each class's nodes by NodeKey. The result is always a
// renaming of s (so exploring it instead of s is sound whenever the machine's
// answers commute with renaming, which properties/core/explore_test.cc checks
// against an unreduced search); when NodeKey holds all of a node's facts, as
// it does for every machine here, it is the same for every renaming of s.
//
//   typename M::State r = SymmetricForm<M>(M::Canonical(s), config.nodes.size());
#ifndef HASPEC_ENGINE_SYMMETRY_H_
#define HASPEC_ENGINE_SYMMETRY_H_

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>

#include "model/core/machine.h"

namespace haspec {

template <class M>
concept SymmetricMachine = Machine<M> &&
    requires(const typename M::State& s, std::span<const std::uint8_t> to) {
  { M::SymmetryClass(s, 0) } -> std::convertible_to<int>;
  { M::NodeKey(s, 0) } -> std::convertible_to<std::uint64_t>;
  { M::PermuteNodes(s, to) } -> std::same_as<typename M::State>;
};

// The most nodes a symmetric machine may configure (a node index is a byte).
inline constexpr std::size_t kMaxSymmetricNodes = 64;

// A renaming of `s` with each symmetry class's nodes in NodeKey order; `s`
// itself for a machine without symmetry. `nodes` is the configuration's node
// count; `renamed`, when given, tells whether any node moved.
template <Machine M>
typename M::State SymmetricForm(const typename M::State& s, std::size_t nodes,
                                bool* renamed = nullptr) {
  if (renamed != nullptr) *renamed = false;
  if constexpr (SymmetricMachine<M>) {
    const std::size_t n = std::min(nodes, kMaxSymmetricNodes);
    // Within a class, keys ascending; ties keep node order, so an already
    // sorted state is left as it is.
    std::array<std::uint64_t, kMaxSymmetricNodes> key;
    std::array<int, kMaxSymmetricNodes> cls;
    bool any = false;
    for (std::size_t i = 0; i < n; ++i) {
      cls[i] = M::SymmetryClass(s, static_cast<int>(i));
      key[i] = cls[i] < 0 ? 0 : M::NodeKey(s, static_cast<int>(i));
      any = any || cls[i] >= 0;
    }
    if (!any) return s;
    std::array<std::uint8_t, kMaxSymmetricNodes> to;
    bool moved = false;
    // Each class: its positions ascending, its nodes by key; the j-th node
    // by key goes to the j-th position.
    std::array<std::size_t, kMaxSymmetricNodes> pos, members;
    std::array<bool, kMaxSymmetricNodes> done{};
    for (std::size_t i = 0; i < n; ++i) to[i] = static_cast<std::uint8_t>(i);
    for (std::size_t i = 0; i < n; ++i) {
      if (cls[i] < 0 || done[i]) continue;
      std::size_t m = 0;
      for (std::size_t j = i; j < n; ++j) {
        if (cls[j] == cls[i]) {
          pos[m] = j;
          members[m++] = j;
          done[j] = true;
        }
      }
      // Insertion sort, stable: at most kMaxSymmetricNodes members, and
      // std::stable_sort allocated a buffer on every edge the explorer follows.
      for (std::size_t a = 1; a < m; ++a) {
        const std::size_t x = members[a];
        std::size_t b = a;
        for (; b > 0 && key[x] < key[members[b - 1]]; --b) members[b] = members[b - 1];
        members[b] = x;
      }
      for (std::size_t k = 0; k < m; ++k) {
        to[members[k]] = static_cast<std::uint8_t>(pos[k]);
        moved = moved || members[k] != pos[k];
      }
    }
    if (!moved) return s;
    if (renamed != nullptr) *renamed = true;
    return M::PermuteNodes(s, std::span<const std::uint8_t>(to.data(), n));
  } else {
    (void)nodes;
    return s;
  }
}

}  // namespace haspec

#endif  // HASPEC_ENGINE_SYMMETRY_H_
