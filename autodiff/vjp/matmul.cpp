// The VJP of matmul, its own transpose: with y = op_a(a) @ op_b(b),
//   grad_a = grad @ op_b(b)^T (transposed back if a was),
//   grad_b = op_a(a)^T @ grad (transposed back if b was),
// each written as one matmul with transpose flags, as TensorFlow's MatMul
// gradient. With broadcast batch axes the results have the broadcast batch
// shape; the engine sums them back to each operand's shape, and so does
// this rule where an unknown batch size may hide a broadcast.
#include "keras/graph/ops.hpp"
#include "vjp_families.hpp"

namespace keras::autodiff {

namespace {

bool has_unknown_batch_axis(const Value& operand) {
  const Shape& shape = operand.shape();
  for (std::int64_t axis = 0; axis + 2 < shape.rank(); ++axis) {
    if (!shape.is_known(axis)) return true;
  }
  return false;
}

// The engine sums a gradient back over broadcast axes when its static shape
// differs from the operand's. An unknown batch size may be 1 at run time
// while the other operand's is not, with equal static shapes: sum to the
// operand's run-time shape here (a copy when nothing was broadcast).
Value sum_broadcast_batch(const Value& grad, const Value& operand, const Value& other) {
  if (other.shape().rank() > 2 && has_unknown_batch_axis(operand)) {
    return ops::sum_to_like(grad, operand);
  }
  return grad;
}

std::vector<Value> matmul_vjp(const VjpContext& context) {
  const Value& a = context.input(0);
  const Value& b = context.input(1);
  const Value& grad = context.grad();  // (..., m, n)
  const bool transpose_a = context.attrs().get_bool("transpose_a");
  const bool transpose_b = context.attrs().get_bool("transpose_b");
  Value grad_a;
  Value grad_b;
  if (context.needs(0)) {
    // y = a b: grad b^T;  y = a^T b: (grad b^T)^T = b grad^T  (op_b(b) in both).
    grad_a = transpose_a ? ops::matmul(b, grad, {transpose_b, true})
                         : ops::matmul(grad, b, {false, !transpose_b});
  }
  if (context.needs(1)) {
    // y = a b: a^T grad;  y = a b^T: (a^T grad)^T = grad^T a  (op_a(a) in both).
    grad_b = transpose_b ? ops::matmul(grad, a, {true, transpose_a})
                         : ops::matmul(a, grad, {!transpose_a, false});
  }
  if (grad_a.valid()) grad_a = sum_broadcast_batch(grad_a, a, b);
  if (grad_b.valid()) grad_b = sum_broadcast_batch(grad_b, b, a);
  return {grad_a, grad_b};
}

}  // namespace

void register_matmul_vjps(VjpRegistry& registry) {
  registry.add("matmul", matmul_vjp);
}

}  // namespace keras::autodiff
