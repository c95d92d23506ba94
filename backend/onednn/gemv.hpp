#pragma once
// y = x W (+ bias) (relu) for one row x (1, K) and a row-major W (K, N): a
// matmul whose batch is one row, as when a model predicts one sample.
// oneDNN 2.6 runs that shape far from the machine's limit (~43 us for
// 784x512, PERF-ANCHORS.md), which is reading W once: this kernel streams
// W's rows, 128 columns at a time held in registers, the column blocks split
// across the plan's threads.
#include <cstdint>

namespace keras::backend::onednn {

struct GemvArgs {
  const float* x;     // (K,)
  const float* w;     // (K, N), row-major
  const float* bias;  // (N,) or null
  float* y;           // (N,)
  std::int64_t k;
  std::int64_t n;
  bool relu;
};

void gemv(const GemvArgs& args);

}  // namespace keras::backend::onednn
