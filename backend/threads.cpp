// Kernel threads: oneDNN (built with OpenMP in Debian) and the reference
// kernels share OpenMP's thread count.
#include <omp.h>

#include <cstdlib>
#include <mutex>

#include "keras/backend/backend.hpp"
#include "keras/error.hpp"

namespace keras::backend {

namespace {
int threads = 0;  // 0: not chosen yet
std::mutex mutex;

int from_environment() {
  if (const char* value = std::getenv("KERAS_NUM_THREADS")) {
    char* end = nullptr;
    const long n = std::strtol(value, &end, 10);
    if (end == value || *end != '\0' || n < 1) {
      throw Error(fmt::format("KERAS_NUM_THREADS must be a positive integer, got '{}'", value));
    }
    return static_cast<int>(n);
  }
  return omp_get_num_procs();
}
}  // namespace

int num_threads() {
  std::lock_guard lock(mutex);
  if (threads == 0) {
    threads = from_environment();
    omp_set_num_threads(threads);
  }
  return threads;
}

void set_num_threads(int count) {
  if (count < 1) throw Error(fmt::format("set_num_threads: need at least 1 thread, got {}", count));
  std::lock_guard lock(mutex);
  threads = count;
  omp_set_num_threads(threads);
}

}  // namespace keras::backend
