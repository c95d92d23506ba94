// where: picks x where condition holds, else y; all three broadcast together.
#include <fmt/format.h>

#include "broadcast_shape.hpp"
#include "keras/graph/ops.hpp"
#include "op_families.hpp"

namespace keras::graph {

namespace {

std::vector<TensorType> infer_where(const InferContext& context) {
  const TensorType& condition = context.input(0);
  const TensorType& x = context.input(1);
  const TensorType& y = context.input(2);
  if (condition.dtype != DType::bool_) {
    context.fail(fmt::format("condition must be bool, got {}", dtype_name(condition.dtype)));
  }
  if (x.dtype != y.dtype) {
    context.fail(fmt::format("x and y must have the same dtype, got {} and {}", dtype_name(x.dtype),
                             dtype_name(y.dtype)));
  }
  const Shape shape =
      broadcast_shapes(broadcast_shapes(condition.shape, x.shape, context), y.shape, context);
  return {{x.dtype, shape}};
}

}  // namespace

void register_where_ops(OpRegistry& registry) {
  registry.add(
      OpDef{.name = "where", .min_inputs = 3, .max_inputs = 3, .attrs = {}, .infer = infer_where});
}

}  // namespace keras::graph

namespace keras::ops {

// As keras.ops.where: a non-bool condition is compared with zero and mixed
// x/y dtypes are promoted.
Value where(const Value& condition, const Value& x, const Value& y) {
  const Value mask = condition.dtype() == DType::bool_ ? condition : cast(condition, DType::bool_);
  const DType dtype = promote_types(x.dtype(), y.dtype());
  const Value x_cast = x.dtype() == dtype ? x : cast(x, dtype);
  const Value y_cast = y.dtype() == dtype ? y : cast(y, dtype);
  return x.graph().add("where", {mask, x_cast, y_cast});
}

}  // namespace keras::ops
