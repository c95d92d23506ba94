#include "column_sum.hpp"

#include <omp.h>

#include <algorithm>

#include "cpu_vectors.hpp"

namespace keras::backend::onednn {

namespace {

// Rows [r0, r1) into sums (columns). Each thread streams whole rows: a split
// by columns makes every row jump between threads, and its stores to dx
// alias (modulo 4 KiB) the loads two rows on, which stalls them.
// (Inlined into each instruction set's clone.)
template <bool relu>
[[gnu::always_inline]] inline void sum_rows(const ColumnSumArgs& a, std::int64_t r0,
                                            std::int64_t r1, float* sums) {
  const std::int64_t columns = a.columns;
  const std::int64_t vectors_end = columns - columns % 16;
  const float slope = a.slope;
  std::fill(sums, sums + columns, 0.0f);
  for (std::int64_t r = r0; r < r1; ++r) {
    const float* x = a.x + r * columns;
    const float* y = relu ? a.relu_output + r * columns : nullptr;
    float* dx = relu ? a.dx + r * columns : nullptr;
    for (std::int64_t c = 0; c < vectors_end; c += 16) {
      Floats16 v = floats16_at(x + c);
      if constexpr (relu) {
        v = floats16_at(y + c) > 0.0f ? v : v * slope;
        floats16_at(dx + c) = v;
      }
      floats16_at(sums + c) += v;
    }
    for (std::int64_t c = vectors_end; c < columns; ++c) {
      float v = x[c];
      if constexpr (relu) {
        v = y[c] > 0.0f ? v : v * slope;
        dx[c] = v;
      }
      sums[c] += v;
    }
  }
}

KERAS_CPU_CLONES void plain_rows(const ColumnSumArgs& a, std::int64_t r0, std::int64_t r1,
                                 float* sums) {
  sum_rows<false>(a, r0, r1, sums);
}

KERAS_CPU_CLONES void relu_rows(const ColumnSumArgs& a, std::int64_t r0, std::int64_t r1,
                                float* sums) {
  sum_rows<true>(a, r0, r1, sums);
}

}  // namespace

void column_sum(const ColumnSumArgs& args) {
  // As in gemv: a second thread pays once the pass outweighs waking it.
  const bool parallel =
      args.threads > 1 && args.rows >= 2 * args.threads && args.rows * args.columns >= 32 * 1024;
  const auto rows = args.relu_output != nullptr ? relu_rows : plain_rows;
  if (!parallel) {
    rows(args, 0, args.rows, args.sum);
    return;
  }
#pragma omp parallel num_threads(args.threads)
  {
    const std::int64_t t = omp_get_thread_num(), n = omp_get_num_threads();
    float* sums = t == 0 ? args.sum : args.partial_sums + (t - 1) * args.columns;
    rows(args, args.rows * t / n, args.rows * (t + 1) / n, sums);
#pragma omp barrier
    for (std::int64_t c = args.columns * t / n; c < args.columns * (t + 1) / n; ++c) {
      for (std::int64_t i = 1; i < n; ++i) {
        args.sum[c] += args.partial_sums[(i - 1) * args.columns + c];
      }
    }
  }
}

}  // namespace keras::backend::onednn
