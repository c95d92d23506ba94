// slice and pad: each is the other's transpose (a slice's gradient is the
// gradient padded with zeros back to the input's shape).
#include <fmt/format.h>

#include "axis_list.hpp"
#include "keras/graph/ops.hpp"
#include "op_families.hpp"

namespace keras::graph {

namespace {

void require_one_per_axis(const InferContext& context, const char* attr, std::size_t per_axis) {
  const std::vector<std::int64_t>& values = context.attrs().get_ints(attr);
  const std::int64_t rank = context.input(0).shape.rank();
  if (values.size() != per_axis * static_cast<std::size_t>(rank)) {
    context.fail(fmt::format("{} {} must hold {} entries per axis ({} for rank {}), got {}", attr,
                             ints_to_string(values), per_axis,
                             per_axis * static_cast<std::size_t>(rank), rank, values.size()));
  }
}

// The size of the slice along one axis of size `dim` (maybe unknown).
std::int64_t slice_extent(const InferContext& context, std::size_t axis, std::int64_t dim,
                          std::int64_t begin, std::int64_t size) {
  if (begin < 0 || size < -1) {
    context.fail(
        fmt::format("axis {}: begin {} and size {} must be >= 0 (size may be -1 for 'to "
                    "the end')",
                    axis, begin, size));
  }
  if (dim != Shape::kUnknown) {
    const std::int64_t end = size == -1 ? begin : begin + size;
    if (end > dim) {
      context.fail(fmt::format("axis {} has size {}, so begin {} with size {} runs past its end",
                               axis, dim, begin, size));
    }
  }
  if (size != -1) return size;
  return dim == Shape::kUnknown ? Shape::kUnknown : dim - begin;
}

std::vector<TensorType> infer_slice(const InferContext& context) {
  const TensorType& x = context.input(0);
  require_one_per_axis(context, "begin", 1);
  require_one_per_axis(context, "size", 1);
  const std::vector<std::int64_t>& begin = context.attrs().get_ints("begin");
  const std::vector<std::int64_t>& size = context.attrs().get_ints("size");
  std::vector<std::int64_t> dims;
  for (std::size_t a = 0; a < begin.size(); ++a) {
    dims.push_back(slice_extent(context, a, x.shape[a], begin[a], size[a]));
  }
  return {{x.dtype, Shape(std::move(dims))}};
}

std::vector<TensorType> infer_pad(const InferContext& context) {
  const TensorType& x = context.input(0);
  require_one_per_axis(context, "pad_width", 2);
  const std::vector<std::int64_t>& pad_width = context.attrs().get_ints("pad_width");
  std::vector<std::int64_t> dims = x.shape.dims();
  for (std::size_t a = 0; a < dims.size(); ++a) {
    const std::int64_t before = pad_width[2 * a];
    const std::int64_t after = pad_width[2 * a + 1];
    if (before < 0 || after < 0) {
      context.fail(fmt::format("axis {}: pad widths ({}, {}) must be >= 0", a, before, after));
    }
    if (dims[a] != Shape::kUnknown) dims[a] += before + after;
  }
  return {{x.dtype, Shape(std::move(dims))}};
}

}  // namespace

void register_slice_ops(OpRegistry& registry) {
  registry.add(OpDef{.name = "slice",
                     .min_inputs = 1,
                     .max_inputs = 1,
                     .attrs = {{"begin", AttrKind::integers, std::nullopt},
                               {"size", AttrKind::integers, std::nullopt}},
                     .infer = infer_slice});
  registry.add(OpDef{.name = "pad",
                     .min_inputs = 1,
                     .max_inputs = 1,
                     .attrs = {{"pad_width", AttrKind::integers, std::nullopt},
                               {"constant_values", AttrKind::floating, AttrValue(0.0)}},
                     .infer = infer_pad});
}

}  // namespace keras::graph

namespace keras::ops {

Value slice(const Value& x, std::vector<std::int64_t> begin, std::vector<std::int64_t> size) {
  return x.graph().add("slice", {x}, {{"begin", std::move(begin)}, {"size", std::move(size)}});
}

Value pad(const Value& x, std::vector<std::pair<std::int64_t, std::int64_t>> pad_width,
          double constant_values) {
  std::vector<std::int64_t> flat;
  flat.reserve(2 * pad_width.size());
  for (const auto& [before, after] : pad_width) {
    flat.push_back(before);
    flat.push_back(after);
  }
  return x.graph().add("pad", {x},
                       {{"pad_width", std::move(flat)}, {"constant_values", constant_values}});
}

}  // namespace keras::ops
