#include "batching.hpp"

#include <cstring>

namespace keras::layers {

namespace {
std::size_t row_bytes(const Tensor& t) {
  return t.shape()[0] == 0 ? 0 : t.nbytes() / static_cast<std::size_t>(t.shape()[0]);
}
}  // namespace

Tensor take_rows(const Tensor& t, std::int64_t begin, std::int64_t count) {
  KERAS_INTERNAL_CHECK(t.rank() >= 1 && begin >= 0 && begin + count <= t.shape()[0],
                       "rows {}+{} of {}", begin, count, t.shape().to_string());
  std::vector<std::int64_t> dims = t.shape().dims();
  dims[0] = count;
  Tensor out(t.dtype(), Shape(dims));
  const std::size_t bytes = row_bytes(t);
  std::memcpy(out.raw_data(),
              static_cast<const std::byte*>(t.raw_data()) + static_cast<std::size_t>(begin) * bytes,
              bytes * static_cast<std::size_t>(count));
  return out;
}

Tensor concatenate_rows(const std::vector<Tensor>& parts) {
  KERAS_INTERNAL_CHECK(!parts.empty(), "nothing to concatenate");
  std::vector<std::int64_t> dims = parts[0].shape().dims();
  dims[0] = 0;
  for (const Tensor& p : parts) dims[0] += p.shape()[0];
  Tensor out(parts[0].dtype(), Shape(dims));
  auto* cursor = static_cast<std::byte*>(out.raw_data());
  for (const Tensor& p : parts) {
    std::memcpy(cursor, p.raw_data(), p.nbytes());
    cursor += p.nbytes();
  }
  return out;
}

}  // namespace keras::layers
