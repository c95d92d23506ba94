// transpose: permutes axes; an empty `axes` reverses them, as in NumPy.
#include <fmt/format.h>

#include "axis_list.hpp"
#include "keras/graph/ops.hpp"
#include "op_families.hpp"

namespace keras::graph {

namespace {

std::vector<TensorType> infer_transpose(const InferContext& context) {
  const TensorType& x = context.input(0);
  const std::int64_t rank = x.shape.rank();
  const std::vector<std::int64_t>& axes = context.attrs().get_ints("axes");
  std::vector<std::int64_t> dims;
  if (axes.empty()) {
    dims.assign(x.shape.dims().rbegin(), x.shape.dims().rend());
    return {{x.dtype, Shape(std::move(dims))}};
  }
  if (static_cast<std::int64_t>(axes.size()) != rank) {
    context.fail(fmt::format("axes {} must list each of the input's {} axes once",
                             ints_to_string(axes), rank));
  }
  // normalize_axis_list rejects repeats, so rank distinct axes are a permutation.
  normalize_axis_list(context, axes, rank);
  for (std::int64_t axis : axes) dims.push_back(x.shape.dim(axis));
  return {{x.dtype, Shape(std::move(dims))}};
}

}  // namespace

void register_transpose_ops(OpRegistry& registry) {
  registry.add(
      OpDef{.name = "transpose",
            .min_inputs = 1,
            .max_inputs = 1,
            .attrs = {{"axes", AttrKind::integers, AttrValue(std::vector<std::int64_t>{})}},
            .infer = infer_transpose});
}

}  // namespace keras::graph

namespace keras::ops {

Value transpose(const Value& x, std::vector<std::int64_t> axes) {
  return x.graph().add("transpose", {x}, {{"axes", std::move(axes)}});
}

}  // namespace keras::ops
