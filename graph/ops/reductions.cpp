// Reductions: sum, mean, max, min, prod over a list of axes (empty: all of
// them), and argmax/argmin along one axis.
#include <fmt/format.h>

#include "axis_list.hpp"
#include "keras/graph/ops.hpp"
#include "op_families.hpp"

namespace keras::graph {

namespace {

bool is_numeric(DType dtype) {
  return is_floating(dtype) || is_integer(dtype);
}

// The axes a reduction node reduces, normalized and sorted; its `axis`
// attribute is empty for "all axes".
std::vector<std::int64_t> reduced_axes(const InferContext& context, std::int64_t rank) {
  const std::vector<std::int64_t>& axis = context.attrs().get_ints("axis");
  if (axis.empty()) {
    std::vector<std::int64_t> all(static_cast<std::size_t>(rank));
    for (std::int64_t a = 0; a < rank; ++a) all[static_cast<std::size_t>(a)] = a;
    return all;
  }
  return normalize_axis_list(context, axis, rank);
}

Shape reduced_shape(const Shape& shape, const std::vector<std::int64_t>& axes, bool keepdims) {
  std::vector<std::int64_t> dims;
  for (std::int64_t a = 0; a < shape.rank(); ++a) {
    const bool reduced = std::find(axes.begin(), axes.end(), a) != axes.end();
    if (!reduced) {
      dims.push_back(shape[static_cast<std::size_t>(a)]);
    } else if (keepdims) {
      dims.push_back(1);
    }
  }
  return Shape(std::move(dims));
}

// max and min have no identity element, so reducing an empty axis is an
// error, as in NumPy.
void require_nonempty_axes(const InferContext& context, const std::vector<std::int64_t>& axes) {
  const Shape& shape = context.input(0).shape;
  for (std::int64_t a : axes) {
    if (shape[static_cast<std::size_t>(a)] == 0) {
      context.fail(
          fmt::format("cannot reduce axis {} of size 0: the reduction has no identity "
                      "value; reduce a non-empty axis",
                      a));
    }
  }
}

std::vector<TensorType> infer_reduction(const InferContext& context, bool allow_integers,
                                        bool needs_elements) {
  const TensorType& x = context.input(0);
  if (allow_integers) {
    if (!is_numeric(x.dtype)) {
      context.fail(fmt::format("expected a float32, float64, int32 or int64 input, got {}",
                               dtype_name(x.dtype)));
    }
  } else {
    context.require_floating(0);
  }
  const std::vector<std::int64_t> axes = reduced_axes(context, x.shape.rank());
  if (needs_elements) require_nonempty_axes(context, axes);
  return {{x.dtype, reduced_shape(x.shape, axes, context.attrs().get_bool("keepdims"))}};
}

std::vector<TensorType> infer_sum(const InferContext& context) {
  return infer_reduction(context, true, false);
}
// mean and prod are only defined on floating values, as their results are.
std::vector<TensorType> infer_floating_reduction(const InferContext& context) {
  return infer_reduction(context, false, false);
}
std::vector<TensorType> infer_extremum(const InferContext& context) {
  return infer_reduction(context, true, true);
}

std::vector<TensorType> infer_arg_extremum(const InferContext& context) {
  const TensorType& x = context.input(0);
  if (!is_numeric(x.dtype)) {
    context.fail(fmt::format("expected a float32, float64, int32 or int64 input, got {}",
                             dtype_name(x.dtype)));
  }
  if (x.shape.rank() == 0) context.fail("expected an input of rank >= 1, got a scalar");
  const std::int64_t axis = context.axis(context.attrs().get_int("axis"), x.shape.rank());
  require_nonempty_axes(context, {axis});
  return {{DType::int64, reduced_shape(x.shape, {axis}, false)}};
}

OpDef reduction_def(const char* name, InferFn infer) {
  return OpDef{.name = name,
               .min_inputs = 1,
               .max_inputs = 1,
               .attrs = {{"axis", AttrKind::integers, AttrValue(std::vector<std::int64_t>{})},
                         {"keepdims", AttrKind::boolean, AttrValue(false)}},
               .infer = infer};
}

OpDef arg_extremum_def(const char* name) {
  return OpDef{.name = name,
               .min_inputs = 1,
               .max_inputs = 1,
               .attrs = {{"axis", AttrKind::integer, AttrValue(std::int64_t{-1})}},
               .infer = infer_arg_extremum};
}

}  // namespace

void register_reductions_ops(OpRegistry& registry) {
  registry.add(reduction_def("sum", infer_sum));
  registry.add(reduction_def("mean", infer_floating_reduction));
  registry.add(reduction_def("max", infer_extremum));
  registry.add(reduction_def("min", infer_extremum));
  registry.add(reduction_def("prod", infer_floating_reduction));
  registry.add(arg_extremum_def("argmax"));
  registry.add(arg_extremum_def("argmin"));
}

}  // namespace keras::graph

namespace keras::ops {

namespace {
Value reduce(const char* op, const Value& x, std::vector<std::int64_t> axis, bool keepdims) {
  return x.graph().add(op, {x}, {{"axis", std::move(axis)}, {"keepdims", keepdims}});
}
}  // namespace

Value sum(const Value& x, std::vector<std::int64_t> axis, bool keepdims) {
  return reduce("sum", x, std::move(axis), keepdims);
}
Value mean(const Value& x, std::vector<std::int64_t> axis, bool keepdims) {
  return reduce("mean", x, std::move(axis), keepdims);
}
Value max(const Value& x, std::vector<std::int64_t> axis, bool keepdims) {
  return reduce("max", x, std::move(axis), keepdims);
}
Value min(const Value& x, std::vector<std::int64_t> axis, bool keepdims) {
  return reduce("min", x, std::move(axis), keepdims);
}
Value prod(const Value& x, std::vector<std::int64_t> axis, bool keepdims) {
  return reduce("prod", x, std::move(axis), keepdims);
}
Value argmax(const Value& x, std::int64_t axis) {
  return x.graph().add("argmax", {x}, {{"axis", axis}});
}
Value argmin(const Value& x, std::int64_t axis) {
  return x.graph().add("argmin", {x}, {{"axis", axis}});
}

}  // namespace keras::ops
