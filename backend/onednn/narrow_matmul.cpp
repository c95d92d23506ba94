#include "narrow_matmul.hpp"

#include <omp.h>

#include <algorithm>

#include "cpu_vectors.hpp"

namespace keras::backend::onednn {

namespace {

constexpr std::int64_t kRows = 8;  // output rows computed at once

// B's rows padded to 16 floats where a full load would read past B's end
// (the last rows when N < 16); the rows before are loaded whole, their extra
// lanes computed and never stored.
struct PaddedB {
  const float* b;
  std::int64_t n;
  std::int64_t whole_rows;  // rows k < whole_rows load 16 floats in bounds
  float tail[kNarrowColumns][kNarrowColumns];

  PaddedB(const NarrowMatmulArgs& a) : b(a.b), n(a.n) {
    const std::int64_t total = a.k * a.n;
    whole_rows = total < kNarrowColumns ? 0 : (total - kNarrowColumns) / a.n + 1;
    whole_rows = std::min(whole_rows, a.k);
    for (std::int64_t k = whole_rows; k < a.k; ++k) {
      float* row = tail[k - whole_rows];
      std::fill(row, row + kNarrowColumns, 0.0f);
      std::copy(a.b + k * a.n, a.b + (k + 1) * a.n, row);
    }
  }
  const float* row(std::int64_t k) const {
    return k < whole_rows ? b + k * n : tail[k - whole_rows];
  }
};

void store_row(const NarrowMatmulArgs& a, std::int64_t m, const float* values, float scale) {
  float* out = a.out + m * a.n;
  if (a.accumulate_scale != nullptr) {
    for (std::int64_t j = 0; j < a.n; ++j) out[j] += scale * values[j];
  } else {
    for (std::int64_t j = 0; j < a.n; ++j) {
      const float v = values[j] + (a.bias != nullptr ? a.bias[j] : 0.0f);
      out[j] = a.relu ? std::max(v, 0.0f) : v;
    }
  }
}

// Rows [m0, m0 + 8): eight sums in registers while k runs.
KERAS_CPU_CLONES void eight_rows(const NarrowMatmulArgs& a, const PaddedB& b, std::int64_t m0,
                                 float scale) {
  Floats16 s0 = {}, s1 = {}, s2 = {}, s3 = {}, s4 = {}, s5 = {}, s6 = {}, s7 = {};
  const std::int64_t rs = a.a_row_stride, cs = a.a_column_stride;
  const float* at = a.a + m0 * rs;
  for (std::int64_t k = 0; k < a.k; ++k, at += cs) {
    const Floats16 row = floats16_at(b.row(k));
    s0 += at[0] * row;
    s1 += at[rs] * row;
    s2 += at[2 * rs] * row;
    s3 += at[3 * rs] * row;
    s4 += at[4 * rs] * row;
    s5 += at[5 * rs] * row;
    s6 += at[6 * rs] * row;
    s7 += at[7 * rs] * row;
  }
  const Floats16 sums[kRows] = {s0, s1, s2, s3, s4, s5, s6, s7};
  for (std::int64_t r = 0; r < kRows; ++r) {
    store_row(a, m0 + r, reinterpret_cast<const float*>(&sums[r]), scale);
  }
}

// One row (the last M % 8).
KERAS_CPU_CLONES void one_row(const NarrowMatmulArgs& a, const PaddedB& b, std::int64_t m,
                              float scale) {
  Floats16 s = {};
  const float* at = a.a + m * a.a_row_stride;
  for (std::int64_t k = 0; k < a.k; ++k, at += a.a_column_stride) {
    s += *at * floats16_at(b.row(k));
  }
  store_row(a, m, reinterpret_cast<const float*>(&s), scale);
}

}  // namespace

void narrow_matmul(const NarrowMatmulArgs& args) {
  const PaddedB b(args);
  const float scale =
      args.accumulate_scale != nullptr ? args.accumulate_sign * *args.accumulate_scale : 1.0f;
  const std::int64_t blocks = args.m / kRows;
  // As in gemv: a second thread pays once the work outweighs waking it.
  const bool parallel = args.threads > 1 && blocks >= 2 && args.m * args.k >= 16 * 1024;
#pragma omp parallel for schedule(static) num_threads(args.threads) if (parallel)
  for (std::int64_t block = 0; block < blocks; ++block) eight_rows(args, b, block * kRows, scale);
  for (std::int64_t m = blocks * kRows; m < args.m; ++m) one_row(args, b, m, scale);
}

}  // namespace keras::backend::onednn
