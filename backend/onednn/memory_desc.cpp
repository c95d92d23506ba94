// Memory descriptors: the plan keeps every buffer row-major, and lowerings
// describe transposes, broadcasts and slices as strided views of it.
#include <fmt/core.h>

#include <algorithm>
#include <numeric>

#include "compiler.hpp"

namespace keras::backend::onednn {

dnnl::memory::dims dims_of(const Shape& shape) {
  if (shape.rank() == 0) return {1};
  return dnnl::memory::dims(shape.dims().begin(), shape.dims().end());
}

std::optional<dnnl::memory::data_type> data_type_of(DType dtype) {
  switch (dtype) {
    case DType::float32:
      return dnnl::memory::data_type::f32;
    case DType::int32:
      return dnnl::memory::data_type::s32;
    case DType::bool_:
    case DType::uint8:
      return dnnl::memory::data_type::u8;
    case DType::int8:
      return dnnl::memory::data_type::s8;
    default:
      return std::nullopt;
  }
}

dnnl::memory::dims row_major_strides(const dnnl::memory::dims& dims) {
  dnnl::memory::dims strides(dims.size(), 1);
  for (std::size_t i = dims.size() - 1; i-- > 0;) strides[i] = strides[i + 1] * dims[i + 1];
  return strides;
}

dnnl::memory::desc plain_desc(const Shape& shape, dnnl::memory::data_type type) {
  const dnnl::memory::dims dims = dims_of(shape);
  return dnnl::memory::desc(dims, type, row_major_strides(dims));
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

std::string layout_text(const dnnl::memory::desc& desc) {
  const dnnl_memory_desc_t& md = desc.data;
  if (md.format_kind != dnnl_blocked || md.format_desc.blocking.inner_nblks != 0) return "any";
  const auto rank = static_cast<std::size_t>(md.ndims);
  const dnnl_dim_t* strides = md.format_desc.blocking.strides;
  std::vector<std::size_t> order(rank);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return strides[a] > strides[b]; });
  std::string tag;
  for (std::size_t a : order) tag += static_cast<char>('a' + a);
  std::string broadcast;
  for (std::size_t a = 0; a < rank; ++a) {
    if (strides[a] == 0 && md.dims[a] > 1) broadcast += static_cast<char>('a' + a);
  }
  if (!broadcast.empty()) tag += "(broadcast " + broadcast + ")";
  if (md.offset0 != 0) tag += fmt::format("(offset {})", md.offset0);
  return tag;
}

}  // namespace keras::backend::onednn
