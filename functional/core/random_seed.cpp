#include <mutex>
#include <random>

#include "keras/initializers.hpp"

namespace keras::utils {

namespace {
std::mutex mutex;
std::mt19937_64& generator() {
  static std::mt19937_64 instance(20261124);
  return instance;
}
}  // namespace

void set_random_seed(std::uint64_t seed) {
  std::lock_guard lock(mutex);
  generator().seed(seed);
}

std::uint64_t next_random_seed() {
  std::lock_guard lock(mutex);
  return generator()();
}

}  // namespace keras::utils
