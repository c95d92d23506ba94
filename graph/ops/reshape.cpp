// Ops that change a shape without moving data: reshape, squeeze, expand_dims.
#include <fmt/format.h>

#include "axis_list.hpp"
#include "keras/graph/ops.hpp"
#include "op_families.hpp"

namespace keras::graph {

namespace {

// The position of the single -1 entry of a reshape target, or -1 for none.
std::int64_t inferred_entry(const InferContext& context, const std::vector<std::int64_t>& target) {
  std::int64_t inferred = -1;
  for (std::size_t i = 0; i < target.size(); ++i) {
    if (target[i] < -1) {
      context.fail(
          fmt::format("shape {} holds {}: entries are sizes >= 0, or -1 for the one "
                      "size to infer",
                      ints_to_string(target), target[i]));
    }
    if (target[i] != -1) continue;
    if (inferred >= 0) {
      context.fail(fmt::format("shape {} holds more than one -1; only one size can be inferred",
                               ints_to_string(target)));
    }
    inferred = static_cast<std::int64_t>(i);
  }
  return inferred;
}

std::vector<TensorType> infer_reshape(const InferContext& context) {
  const TensorType& x = context.input(0);
  std::vector<std::int64_t> dims = context.attrs().get_ints("shape");
  const std::int64_t inferred = inferred_entry(context, dims);
  // With an unknown input size the -1 entry stays unknown (Keras' None) and
  // the element count is checked once the shape is concrete.
  if (!x.shape.is_fully_known()) return {{x.dtype, Shape(std::move(dims))}};

  const std::int64_t count = x.shape.num_elements();
  std::int64_t known_product = 1;
  for (std::int64_t d : dims) {
    if (d != -1) known_product *= d;
  }
  if (inferred >= 0) {
    if (known_product == 0 || count % known_product != 0) {
      context.fail(
          fmt::format("cannot reshape {} elements into {}: the -1 entry cannot be "
                      "inferred",
                      count, ints_to_string(dims)));
    }
    dims[static_cast<std::size_t>(inferred)] = count / known_product;
  } else if (known_product != count) {
    context.fail(
        fmt::format("cannot reshape {} elements into {} ({} elements); the new shape "
                    "must hold as many elements",
                    count, ints_to_string(dims), known_product));
  }
  return {{x.dtype, Shape(std::move(dims))}};
}

// An empty `axis` squeezes every axis of known size 1; unknown sizes are kept,
// as Keras' symbolic squeeze does. The emitter resolves the axes up front so a
// batch that turns out to be 1 is never squeezed later.
std::vector<TensorType> infer_squeeze(const InferContext& context) {
  const TensorType& x = context.input(0);
  const std::vector<std::int64_t>& axis = context.attrs().get_ints("axis");
  std::vector<std::int64_t> squeezed;
  if (axis.empty()) {
    for (std::int64_t a = 0; a < x.shape.rank(); ++a) {
      if (x.shape[static_cast<std::size_t>(a)] == 1) squeezed.push_back(a);
    }
  } else {
    squeezed = normalize_axis_list(context, axis, x.shape.rank());
  }
  std::vector<std::int64_t> dims;
  for (std::int64_t a = 0; a < x.shape.rank(); ++a) {
    const std::int64_t d = x.shape[static_cast<std::size_t>(a)];
    if (std::find(squeezed.begin(), squeezed.end(), a) == squeezed.end()) {
      dims.push_back(d);
    } else if (d != 1 && d != Shape::kUnknown) {
      context.fail(
          fmt::format("cannot squeeze axis {} of size {}: only axes of size 1 can be "
                      "removed",
                      a, d));
    }
  }
  return {{x.dtype, Shape(std::move(dims))}};
}

std::vector<TensorType> infer_expand_dims(const InferContext& context) {
  const TensorType& x = context.input(0);
  const std::int64_t rank = x.shape.rank();
  const std::int64_t axis = context.attrs().get_int("axis");
  if (axis < -(rank + 1) || axis > rank) {
    context.fail(
        fmt::format("axis {} is out of range for expanding a tensor of rank {} (valid "
                    "axes are {} to {})",
                    axis, rank, -(rank + 1), rank));
  }
  std::vector<std::int64_t> dims = x.shape.dims();
  dims.insert(dims.begin() + (axis < 0 ? axis + rank + 1 : axis), 1);
  return {{x.dtype, Shape(std::move(dims))}};
}

}  // namespace

void register_reshape_ops(OpRegistry& registry) {
  registry.add(OpDef{.name = "reshape",
                     .min_inputs = 1,
                     .max_inputs = 1,
                     .attrs = {{"shape", AttrKind::integers, std::nullopt}},
                     .infer = infer_reshape});
  registry.add(
      OpDef{.name = "squeeze",
            .min_inputs = 1,
            .max_inputs = 1,
            .attrs = {{"axis", AttrKind::integers, AttrValue(std::vector<std::int64_t>{})}},
            .infer = infer_squeeze});
  registry.add(OpDef{.name = "expand_dims",
                     .min_inputs = 1,
                     .max_inputs = 1,
                     .attrs = {{"axis", AttrKind::integer, std::nullopt}},
                     .infer = infer_expand_dims});
}

}  // namespace keras::graph

namespace keras::ops {

Value reshape(const Value& x, std::vector<std::int64_t> new_shape) {
  return x.graph().add("reshape", {x}, {{"shape", std::move(new_shape)}});
}

Value squeeze(const Value& x, std::vector<std::int64_t> axis) {
  if (axis.empty()) {
    // Name the size-1 axes now (see infer_squeeze); with none, nothing changes.
    for (std::int64_t a = 0; a < x.shape().rank(); ++a) {
      if (x.shape()[static_cast<std::size_t>(a)] == 1) axis.push_back(a);
    }
    if (axis.empty()) return x;
  }
  return x.graph().add("squeeze", {x}, {{"axis", std::move(axis)}});
}

Value expand_dims(const Value& x, std::int64_t axis) {
  return x.graph().add("expand_dims", {x}, {{"axis", axis}});
}

}  // namespace keras::ops
