#include "batching.hpp"

#include <cstring>

namespace keras::layers {

namespace {
std::size_t row_bytes(const Tensor& t) {
  return t.shape()[0] == 0 ? 0 : t.nbytes() / static_cast<std::size_t>(t.shape()[0]);
}
}  // namespace

Tensor gather_rows(const Tensor& t, const std::int64_t* indices, std::int64_t count) {
  KERAS_INTERNAL_CHECK(t.rank() >= 1, "gather_rows of a scalar");
  std::vector<std::int64_t> dims = t.shape().dims();
  dims[0] = count;
  Tensor out = Tensor::uninitialized(t.dtype(), Shape(dims));
  const std::size_t bytes = row_bytes(t);
  const auto* in = static_cast<const std::byte*>(t.raw_data());
  auto* rows = static_cast<std::byte*>(out.raw_data());
  // A shuffled batch of a large model's input (128 rows of 784 floats) is
  // copied while the kernel threads would otherwise wait for it.
  constexpr std::size_t kParallelBytes = 64 * 1024;
#pragma omp parallel for schedule(static) if (bytes * static_cast <std::size_t>(count) >= \
                                              kParallelBytes)
  for (std::int64_t i = 0; i < count; ++i) {
    std::memcpy(rows + static_cast<std::size_t>(i) * bytes,
                in + static_cast<std::size_t>(indices[i]) * bytes, bytes);
  }
  return out;
}

Tensor concatenate_rows(const std::vector<Tensor>& parts) {
  KERAS_INTERNAL_CHECK(!parts.empty(), "nothing to concatenate");
  std::vector<std::int64_t> dims = parts[0].shape().dims();
  dims[0] = 0;
  for (const Tensor& p : parts) dims[0] += p.shape()[0];
  Tensor out = Tensor::uninitialized(parts[0].dtype(), Shape(dims));
  auto* cursor = static_cast<std::byte*>(out.raw_data());
  for (const Tensor& p : parts) {
    std::memcpy(cursor, p.raw_data(), p.nbytes());
    cursor += p.nbytes();
  }
  return out;
}

std::vector<Tensor> join_batches(const std::vector<std::vector<Tensor>>& per_output) {
  std::vector<Tensor> out;
  for (const auto& parts : per_output) {
    out.push_back(parts.size() == 1 ? parts[0] : concatenate_rows(parts));
  }
  return out;
}

}  // namespace keras::layers
