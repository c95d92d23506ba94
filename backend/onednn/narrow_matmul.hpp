#pragma once
// A product with at most 16 columns, out (M, N) = A (M, K) B (K, N): the last
// layer of a classifier (10 units) forward, and its weight gradient h^T dy.
// oneDNN 2.6's brgemm blocks for wide outputs and runs these at a few percent
// of the machine's peak; here one output row is one 16-float register, and
// eight rows are computed at once so that eight independent sums are in
// flight. With a scale, the product is accumulated into `out` (an SGD update
// of the weights: out += scale * A B), so the gradient is never stored.
#include <cstdint>

namespace keras::backend::onednn {

inline constexpr std::int64_t kNarrowColumns = 16;

struct NarrowMatmulArgs {
  // A(m, k) = a[m * a_row_stride + k * a_column_stride]: a transposed A
  // (x^T in a weight gradient) is strides, not a copy.
  const float* a;
  std::int64_t a_row_stride;
  std::int64_t a_column_stride;
  const float* b;  // (K, N), row-major
  float* out;      // (M, N), row-major
  std::int64_t m;
  std::int64_t k;
  std::int64_t n;               // 1..16
  const float* bias = nullptr;  // (N,): out = A B + bias
  bool relu = false;            // out = max(A B (+ bias), 0)
  // Accumulating: out += accumulate_sign * (*accumulate_scale) * A B.
  const float* accumulate_scale = nullptr;
  float accumulate_sign = 1.0f;
  int threads = 1;
};

void narrow_matmul(const NarrowMatmulArgs& args);

}  // namespace keras::backend::onednn
