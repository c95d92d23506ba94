#include "gemv.hpp"

#include <algorithm>

#include "cpu_vectors.hpp"

namespace keras::backend::onednn {

namespace {

constexpr std::int64_t kBlock = 128;  // columns per block: eight 16-float registers

void epilogue(const GemvArgs& a, std::int64_t begin, std::int64_t end) {
  for (std::int64_t j = begin; j < end; ++j) {
    float v = a.y[j] + (a.bias != nullptr ? a.bias[j] : 0.0f);
    a.y[j] = a.relu ? std::max(v, 0.0f) : v;
  }
}

// Columns [n0, n0 + 128): the accumulators stay in registers while W's rows
// stream past.
KERAS_CPU_CLONES void block(const GemvArgs& a, std::int64_t n0) {
  Floats16 s0 = {}, s1 = {}, s2 = {}, s3 = {}, s4 = {}, s5 = {}, s6 = {}, s7 = {};
  const float* row = a.w + n0;
  for (std::int64_t k = 0; k < a.k; ++k, row += a.n) {
    const float xk = a.x[k];
    s0 += xk * floats16_at(row);
    s1 += xk * floats16_at(row + 16);
    s2 += xk * floats16_at(row + 32);
    s3 += xk * floats16_at(row + 48);
    s4 += xk * floats16_at(row + 64);
    s5 += xk * floats16_at(row + 80);
    s6 += xk * floats16_at(row + 96);
    s7 += xk * floats16_at(row + 112);
  }
  float* y = a.y + n0;
  floats16_at(y) = s0;
  floats16_at(y + 16) = s1;
  floats16_at(y + 32) = s2;
  floats16_at(y + 48) = s3;
  floats16_at(y + 64) = s4;
  floats16_at(y + 80) = s5;
  floats16_at(y + 96) = s6;
  floats16_at(y + 112) = s7;
  epilogue(a, n0, n0 + kBlock);
}

// The last columns, fewer than a block.
KERAS_CPU_CLONES void tail(const GemvArgs& a, std::int64_t n0) {
  float sums[kBlock] = {};
  const std::int64_t width = a.n - n0;
  const float* row = a.w + n0;
  for (std::int64_t k = 0; k < a.k; ++k, row += a.n) {
    const float xk = a.x[k];
    for (std::int64_t j = 0; j < width; ++j) sums[j] += xk * row[j];
  }
  std::copy(sums, sums + width, a.y + n0);
  epilogue(a, n0, a.n);
}

}  // namespace

void gemv(const GemvArgs& args) {
  const std::int64_t blocks = args.n / kBlock;
  // Splitting pays once the weights are large enough to outweigh waking the
  // other threads (about a microsecond).
  const bool parallel = blocks >= 2 && args.k * args.n >= 64 * 1024;
#pragma omp parallel for schedule(static) if (parallel)
  for (std::int64_t b = 0; b < blocks; ++b) block(args, b * kBlock);
  if (blocks * kBlock < args.n) tail(args, blocks * kBlock);
}

}  // namespace keras::backend::onednn
