// Cross entropies on logits, the fused and numerically stable forms of
// Keras' categorical and binary crossentropy with from_logits=True:
//   softmax_cross_entropy: -sum(labels * log_softmax(logits)) along `axis`
//                           (tf.nn.softmax_cross_entropy_with_logits);
//   sigmoid_cross_entropy: max(x, 0) - x * z + log1p(exp(-|x|)) elementwise
//                           (tf.nn.sigmoid_cross_entropy_with_logits).
#include <fmt/format.h>

#include "broadcast_shape.hpp"
#include "keras/graph/ops.hpp"
#include "op_families.hpp"

namespace keras::graph {

namespace {

// labels and logits share one shape; unknown sizes are taken from the other.
Shape merge_label_shape(const InferContext& context) {
  const Shape& labels = context.input(0).shape;
  const Shape& logits = context.input(1).shape;
  if (!labels.is_compatible_with(logits)) {
    context.fail(fmt::format("labels {} and logits {} must have the same shape", labels.to_string(),
                             logits.to_string()));
  }
  std::vector<std::int64_t> dims = logits.dims();
  for (std::size_t a = 0; a < dims.size(); ++a) {
    if (dims[a] == Shape::kUnknown) dims[a] = labels[a];
  }
  return Shape(std::move(dims));
}

void require_floating_pair(const InferContext& context) {
  context.require_floating(1);
  context.require_same_dtype();
}

std::vector<TensorType> infer_softmax_cross_entropy(const InferContext& context) {
  require_floating_pair(context);
  const Shape& logits = context.input(1).shape;
  if (logits.rank() == 0) {
    context.fail("logits must have at least one axis (the classes), got a scalar");
  }
  const Shape shape = merge_label_shape(context);
  const std::int64_t axis = context.axis(context.attrs().get_int("axis"), shape.rank());
  std::vector<std::int64_t> dims = shape.dims();
  dims.erase(dims.begin() + axis);
  return {{context.input(1).dtype, Shape(std::move(dims))}};
}

std::vector<TensorType> infer_sigmoid_cross_entropy(const InferContext& context) {
  require_floating_pair(context);
  return {{context.input(1).dtype,
           broadcast_shapes(context.input(0).shape, context.input(1).shape, context)}};
}

}  // namespace

void register_cross_entropy_ops(OpRegistry& registry) {
  registry.add(OpDef{.name = "softmax_cross_entropy",
                     .min_inputs = 2,
                     .max_inputs = 2,
                     .attrs = {{"axis", AttrKind::integer, AttrValue(std::int64_t{-1})}},
                     .infer = infer_softmax_cross_entropy});
  registry.add(OpDef{.name = "sigmoid_cross_entropy",
                     .min_inputs = 2,
                     .max_inputs = 2,
                     .attrs = {},
                     .infer = infer_sigmoid_cross_entropy});
}

}  // namespace keras::graph

namespace keras::ops {

namespace {

// Labels (often integers or bool) take the logits' floating dtype.
std::vector<Value> as_logits_dtype(const Value& labels, const Value& logits) {
  const DType dtype = promote_types(labels.dtype(), logits.dtype());
  auto to = [&](const Value& v) { return v.dtype() == dtype ? v : cast(v, dtype); };
  return {to(labels), to(logits)};
}

}  // namespace

Value softmax_cross_entropy(const Value& labels, const Value& logits, std::int64_t axis) {
  return logits.graph().add("softmax_cross_entropy", as_logits_dtype(labels, logits),
                            {{"axis", axis}});
}

Value sigmoid_cross_entropy(const Value& labels, const Value& logits) {
  return logits.graph().add("sigmoid_cross_entropy", as_logits_dtype(labels, logits));
}

}  // namespace keras::ops
