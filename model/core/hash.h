// Cheap hash combining for state value types.
//
//   std::size_t h = 0;
//   HashCombine(h, node.role);
#ifndef HASPEC_MODEL_CORE_HASH_H_
#define HASPEC_MODEL_CORE_HASH_H_

#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace haspec {

// Mixes `v` (an integral or enum value) into `seed`.
template <class T>
constexpr void HashCombine(std::size_t& seed, T v) {
  std::uint64_t x;
  if constexpr (std::is_enum_v<T>) {
    x = static_cast<std::uint64_t>(static_cast<std::underlying_type_t<T>>(v));
  } else {
    x = static_cast<std::uint64_t>(v);
  }
  // splitmix64 finaliser over the running value.
  std::uint64_t z = seed ^ (x + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2));
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  seed = static_cast<std::size_t>(z ^ (z >> 31));
}

}  // namespace haspec

#endif  // HASPEC_MODEL_CORE_HASH_H_
