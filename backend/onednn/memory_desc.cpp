#include <fmt/core.h>

#include "compiler.hpp"

namespace keras::backend::onednn {

dnnl::memory::dims dims_of(const Shape& shape) {
  if (shape.rank() == 0) return {1};
  return dnnl::memory::dims(shape.dims().begin(), shape.dims().end());
}

dnnl::memory::desc plain_desc(const Shape& shape) {
  const dnnl::memory::dims dims = dims_of(shape);
  dnnl::memory::dims strides(dims.size(), 1);
  for (std::size_t i = dims.size() - 1; i-- > 0;) strides[i] = strides[i + 1] * dims[i + 1];
  return dnnl::memory::desc(dims, dnnl::memory::data_type::f32, strides);
}

dnnl::memory::dims dims_at_rank(const Shape& shape, std::int64_t rank) {
  dnnl::memory::dims dims(static_cast<std::size_t>(rank), 1);
  const std::int64_t offset = rank - shape.rank();
  for (std::int64_t i = 0; i < shape.rank(); ++i) {
    dims[static_cast<std::size_t>(offset + i)] = shape[static_cast<std::size_t>(i)];
  }
  return dims;
}

std::string dims_text(const dnnl::memory::dims& dims) {
  std::string out = "(";
  for (std::size_t i = 0; i < dims.size(); ++i) out += (i ? ", " : "") + std::to_string(dims[i]);
  return out + ")";
}

}  // namespace keras::backend::onednn
