// A small, fast, seeded generator (splitmix64) for engines. Models never
// draw random numbers; engines choose ops with this.
//
//   haspec::Rng rng(42);
//   std::size_t i = rng.Below(ops.size());
#ifndef HASPEC_ENGINE_RNG_H_
#define HASPEC_ENGINE_RNG_H_

#include <cstdint>

namespace haspec {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}

  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // In [0, n); n > 0.
  std::uint64_t Below(std::uint64_t n) {
    return Next() % n;  // bias below 2^-50 for the sizes used here
  }

 private:
  std::uint64_t state_;
};

}  // namespace haspec

#endif  // HASPEC_ENGINE_RNG_H_
