#pragma once
// Sums over rows (a bias gradient, the sum of dy over the batch), with a
// ReLU's gradient on the way when it feeds one: dx = dy where the ReLU's
// output is > 0, else slope * dy, written and summed in one pass. oneDNN 2.6
// needs two primitives for that (eltwise_backward, then a matmul with a ones
// row, its fastest sum over rows), the second paying a primitive's call to
// read dx again.
#include <cstdint>

namespace keras::backend::onednn {

struct ColumnSumArgs {
  const float* x;  // (rows, columns), row-major: summed (dy, with a ReLU)
  float* sum;      // (columns,)
  std::int64_t rows;
  std::int64_t columns;
  // With a ReLU: its output (rows, columns), where dx is written, and its
  // slope below zero (relu: 0, leaky_relu: negative_slope > 0).
  const float* relu_output = nullptr;
  float* dx = nullptr;
  float slope = 0.0f;
  // Each thread after the first sums its rows here: (threads - 1, columns).
  float* partial_sums = nullptr;
  int threads = 1;
};

void column_sum(const ColumnSumArgs& args);

}  // namespace keras::backend::onednn
