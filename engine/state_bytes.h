// States compared and hashed by their bytes, where a state has no padding
// (std::has_unique_object_representations: DSM, vcs-system, vcs-gco and JSA
// states are laid out so). Equal states then have equal bytes, provided ==
// compares exactly the bytes, which the contract tests check of every
// machine (properties/core/contract.h). The explorer's state store and the
// consistent set of replay and the gate use these; a state with padding
// falls back to the machine's == and Hash.
//
//   if (SameState(a, b)) ...
//   std::uint64_t h = StateHash<M>(s);
#ifndef HASPEC_ENGINE_STATE_BYTES_H_
#define HASPEC_ENGINE_STATE_BYTES_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "model/core/machine.h"

namespace haspec {

template <class State>
inline constexpr bool kBytewiseState = std::has_unique_object_representations_v<State>;

namespace state_bytes_internal {

inline std::uint64_t Mix(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  return x;
}

}  // namespace state_bytes_internal

// A hash of n bytes: four independent lanes of eight bytes (kept in
// registers: each its own variable), then a final mix.
template <std::size_t n>
std::uint64_t BytesHash(const void* data) {
  const auto* p = static_cast<const unsigned char*>(data);
  auto word = [p](std::size_t at) {
    std::uint64_t w;
    std::memcpy(&w, p + at, 8);
    return w;
  };
  auto eat = [](std::uint64_t h, std::uint64_t w) {
    h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
    return h ^ (h >> 29);
  };
  std::uint64_t a = n, b = 0x243f6a8885a308d3ULL, c = 0x13198a2e03707344ULL,
                d = 0xa4093822299f31d0ULL;
  std::size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    a = eat(a, word(i));
    b = eat(b, word(i + 8));
    c = eat(c, word(i + 16));
    d = eat(d, word(i + 24));
  }
  if (i + 8 <= n) a = eat(a, word(i)), i += 8;
  if (i + 8 <= n) b = eat(b, word(i)), i += 8;
  if (i + 8 <= n) c = eat(c, word(i)), i += 8;
  if (i < n) {
    std::uint64_t w = 0;
    std::memcpy(&w, p + i, n - i);
    d = eat(d, w ^ 0xff);
  }
  return state_bytes_internal::Mix(a ^ (b << 1 | b >> 63) ^ (c << 2 | c >> 62) ^
                                   (d << 3 | d >> 61));
}

// a == b, by the bytes where the state has no padding.
template <class State>
bool SameState(const State& a, const State& b) {
  if constexpr (kBytewiseState<State>) {
    return std::memcmp(&a, &b, sizeof(State)) == 0;
  } else {
    return a == b;
  }
}

// A hash of s consistent with ==: its bytes where it has no padding, else
// the machine's Hash (mixed).
template <Machine M>
std::uint64_t StateHash(const typename M::State& s) {
  if constexpr (kBytewiseState<typename M::State>) {
    return BytesHash<sizeof(typename M::State)>(&s);
  } else {
    return state_bytes_internal::Mix(static_cast<std::uint64_t>(M::Hash(s)));
  }
}

}  // namespace haspec

#endif  // HASPEC_ENGINE_STATE_BYTES_H_
