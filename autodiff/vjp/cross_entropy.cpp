// VJPs of the cross entropies on logits.
//
// softmax, loss = -sum(labels * log_softmax(logits)) along axis:
//   d/d logits = sum(labels) * softmax(logits) - labels, which is
//                TensorFlow's softmax - labels when the labels sum to 1 (and
//                exact otherwise);
//   d/d labels = -log_softmax(logits).
// sigmoid, loss = max(x, 0) - x * z + log1p(exp(-|x|)):
//   d/dx = sigmoid(x) - z,  d/dz = -x.
#include "keras/graph/ops.hpp"
#include "vjp_families.hpp"

namespace keras::autodiff {

namespace {

std::vector<Value> softmax_cross_entropy_vjp(const VjpContext& context) {
  const Value& labels = context.input(0);
  const Value& logits = context.input(1);  // (..., classes, ...)
  const std::int64_t axis = normalize_axis(context.attrs().get_int("axis"), logits.shape().rank(),
                                           "softmax_cross_entropy");
  // The per-example gradient with the class axis back as size 1.
  const Value grad = ops::expand_dims(context.grad(), axis);
  Value grad_labels;
  Value grad_logits;
  if (context.needs(0)) grad_labels = -grad * ops::log_softmax(logits, axis);
  if (context.needs(1)) {
    const Value label_sum = ops::sum(labels, {axis}, true);  // (..., 1, ...)
    grad_logits = grad * (label_sum * ops::softmax(logits, axis) - labels);
  }
  return {grad_labels, grad_logits};
}

std::vector<Value> sigmoid_cross_entropy_vjp(const VjpContext& context) {
  const Value& labels = context.input(0);
  const Value& logits = context.input(1);
  const Value& grad = context.grad();
  Value grad_labels;
  Value grad_logits;
  if (context.needs(0)) grad_labels = -grad * logits;
  if (context.needs(1)) grad_logits = grad * (ops::sigmoid(logits) - labels);
  return {grad_labels, grad_logits};
}

}  // namespace

void register_cross_entropy_vjps(VjpRegistry& registry) {
  registry.add("softmax_cross_entropy", softmax_cross_entropy_vjp);
  registry.add("sigmoid_cross_entropy", sigmoid_cross_entropy_vjp);
}

}  // namespace keras::autodiff
