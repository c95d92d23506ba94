// concatenate: joins one or more tensors along an existing axis.
#include <fmt/format.h>

#include "keras/graph/ops.hpp"
#include "op_families.hpp"

namespace keras::graph {

namespace {

// Every input must match input 0 in rank, dtype and, off `axis`, in size
// (unknown matches any size, and a known size wins).
std::vector<std::int64_t> joined_dims(const InferContext& context, std::int64_t axis) {
  const Shape& first = context.input(0).shape;
  std::vector<std::int64_t> dims = first.dims();
  for (int i = 1; i < context.num_inputs(); ++i) {
    const Shape& shape = context.input(i).shape;
    if (shape.rank() != first.rank()) {
      context.fail(
          fmt::format("input {} has rank {} but input 0 has rank {}; all inputs must have "
                      "the same rank",
                      i, shape.rank(), first.rank()));
    }
    for (std::size_t a = 0; a < dims.size(); ++a) {
      if (static_cast<std::int64_t>(a) == axis) continue;
      if (dims[a] == Shape::kUnknown) {
        dims[a] = shape[a];
      } else if (shape[a] != Shape::kUnknown && shape[a] != dims[a]) {
        context.fail(
            fmt::format("input {} has size {} on axis {} but input 0 has size {}; inputs "
                        "may differ only on the concatenation axis {}",
                        i, shape[a], a, dims[a], axis));
      }
    }
  }
  return dims;
}

std::vector<TensorType> infer_concatenate(const InferContext& context) {
  const TensorType& first = context.input(0);
  if (first.shape.rank() == 0) context.fail("cannot concatenate scalars; expected rank >= 1");
  context.require_same_dtype();
  const std::int64_t axis = context.axis(context.attrs().get_int("axis"), first.shape.rank());
  std::vector<std::int64_t> dims = joined_dims(context, axis);
  std::int64_t total = 0;
  for (const TensorType& input : context.inputs()) {
    const std::int64_t d = input.shape.dim(axis);
    if (d == Shape::kUnknown) {
      total = Shape::kUnknown;
      break;
    }
    total += d;
  }
  dims[static_cast<std::size_t>(axis)] = total;
  return {{first.dtype, Shape(std::move(dims))}};
}

}  // namespace

void register_concatenate_ops(OpRegistry& registry) {
  registry.add(OpDef{.name = "concatenate",
                     .min_inputs = 1,
                     .max_inputs = OpDef::kVariadic,
                     .attrs = {{"axis", AttrKind::integer, AttrValue(std::int64_t{-1})}},
                     .infer = infer_concatenate});
}

}  // namespace keras::graph

namespace keras::ops {

// Mixed dtypes are promoted to a common one first, as Keras does.
Value concatenate(const std::vector<Value>& xs, std::int64_t axis) {
  if (xs.empty()) throw Error("concatenate needs at least one tensor, got none");
  DType dtype = xs.front().dtype();
  for (const Value& x : xs) dtype = promote_types(dtype, x.dtype());
  std::vector<Value> inputs;
  inputs.reserve(xs.size());
  for (const Value& x : xs) inputs.push_back(x.dtype() == dtype ? x : cast(x, dtype));
  return xs.front().graph().add("concatenate", std::move(inputs), {{"axis", axis}});
}

}  // namespace keras::ops
