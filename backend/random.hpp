#pragma once
// The counter-based random generator every backend draws from, so that
// random_uniform, random_normal and dropout give the same numbers on each.
//
// Element `index` of a random op with `seed`, in the run numbered `step`, is a
// pure function of (seed, step, index): no state is carried between elements
// or runs, so kernels may fill their outputs in any order, in parallel, and a
// Function gets fresh numbers on each call (its step advances) while staying
// reproducible. The bits come from SplitMix64's finalizer (Steele, Lea and
// Flood, "Fast splittable pseudorandom number generators", 2014) applied to a
// per-(seed, step) key plus a Weyl sequence in the index, which is exactly
// SplitMix64's output sequence started at that key.
//
//   keras::backend::RandomStream stream(seed, step);
//   for (std::int64_t i = 0; i < n; ++i) out[i] = stream.uniform<float>(i, 0.0, 1.0);
#include <cmath>
#include <cstdint>
#include <numbers>

namespace keras::backend {

class RandomStream {
 public:
  RandomStream(std::int64_t seed, std::uint64_t step)
      : key_(mix(mix(static_cast<std::uint64_t>(seed)) ^ (step * kStepMultiplier + kGamma))) {}

  // 64 uniformly distributed bits for element `index`.
  std::uint64_t bits(std::uint64_t index) const { return mix(key_ + (index + 1) * kGamma); }

  // Uniform in [0, 1), exactly representable in T and never 1: float32 takes
  // the top 24 bits, float64 the top 53.
  template <class T>
  T uniform01(std::uint64_t index) const {
    if constexpr (sizeof(T) == sizeof(float)) {
      return static_cast<T>(bits(index) >> 40) * T(0x1p-24);
    } else {
      return static_cast<T>(bits(index) >> 11) * T(0x1p-53);
    }
  }

  // Uniform in [minval, maxval), computed in T.
  template <class T>
  T uniform(std::uint64_t index, double minval, double maxval) const {
    return static_cast<T>(minval) + static_cast<T>(maxval - minval) * uniform01<T>(index);
  }

  // Standard normal by Box-Muller, in double, from the uniforms of the two
  // counters 2 * index and 2 * index + 1 (so every element is independent of
  // the others' positions).
  double standard_normal(std::uint64_t index) const {
    // 1 - u lies in (0, 1], keeping the logarithm finite.
    const double u1 = 1.0 - uniform01<double>(2 * index);
    const double u2 = uniform01<double>(2 * index + 1);
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
  }

  template <class T>
  T normal(std::uint64_t index, double mean, double stddev) const {
    return static_cast<T>(mean + stddev * standard_normal(index));
  }

  // Dropout keeps element `index` when its float64 uniform is >= rate, as
  // TensorFlow's dropout does (keep_mask = uniform >= rate), whatever the
  // tensor's dtype.
  bool keep(std::uint64_t index, double rate) const { return uniform01<double>(index) >= rate; }

 private:
  static constexpr std::uint64_t kGamma = 0x9e3779b97f4a7c15ULL;  // 2^64 / golden ratio
  static constexpr std::uint64_t kStepMultiplier = 0xd1b54a32d192ed03ULL;

  // SplitMix64's finalizer: a bijection on 64 bits with full avalanche.
  static constexpr std::uint64_t mix(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  std::uint64_t key_;
};

}  // namespace keras::backend
