// broadcast_like and sum_to_like: each is the other's transpose. Both take
// their output shape from `target` (only its shape is read), so they work on
// unknown batch sizes that are resolved at run time.
#include <fmt/format.h>

#include "broadcast_shape.hpp"
#include "keras/graph/ops.hpp"
#include "op_families.hpp"

namespace keras::graph {

namespace {

// Fails unless `from` broadcasts to exactly `to` (NumPy rule).
void require_broadcastable(const InferContext& context, const Shape& from, const Shape& to,
                           const char* from_name, const char* to_name) {
  const Shape joined = broadcast_shapes(from, to, context);
  if (!joined.is_compatible_with(to)) {
    context.fail(
        fmt::format("{} {} does not broadcast to {}'s shape {}: its rank must not be "
                    "larger and each of its sizes must be 1 or equal",
                    from_name, from.to_string(), to_name, to.to_string()));
  }
}

std::vector<TensorType> infer_broadcast_like(const InferContext& context) {
  const TensorType& x = context.input(0);
  const TensorType& target = context.input(1);
  require_broadcastable(context, x.shape, target.shape, "x", "target");
  return {{x.dtype, target.shape}};
}

std::vector<TensorType> infer_sum_to_like(const InferContext& context) {
  const TensorType& x = context.input(0);
  const TensorType& target = context.input(1);
  if (x.dtype == DType::bool_) context.fail("cannot sum bool values; cast them first");
  require_broadcastable(context, target.shape, x.shape, "target", "x");
  return {{x.dtype, target.shape}};
}

OpDef like_def(const char* name, InferFn infer) {
  return OpDef{.name = name, .min_inputs = 2, .max_inputs = 2, .attrs = {}, .infer = infer};
}

}  // namespace

void register_broadcast_ops(OpRegistry& registry) {
  registry.add(like_def("broadcast_like", infer_broadcast_like));
  registry.add(like_def("sum_to_like", infer_sum_to_like));
}

}  // namespace keras::graph

namespace keras::ops {

Value broadcast_like(const Value& x, const Value& target) {
  return x.graph().add("broadcast_like", {x, target});
}

Value sum_to_like(const Value& x, const Value& target) {
  return x.graph().add("sum_to_like", {x, target});
}

}  // namespace keras::ops
