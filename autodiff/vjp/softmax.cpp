// VJP rules of softmax and log_softmax (through their gradient ops, which
// read the forward result) and of those gradient ops, for second derivatives.
#include "keras/graph/gradient_ops.hpp"
#include "keras/graph/ops.hpp"
#include "vjp_families.hpp"

namespace keras::autodiff {

namespace {

std::int64_t axis_of(const VjpContext& c) {
  return c.attrs().get_int("axis");
}

// Sums along the softmax axis, keeping it so the result broadcasts back.
Value row_sum(const Value& x, std::int64_t axis) {
  return ops::sum(x, {axis}, true);
}

std::vector<Value> softmax_vjp(const VjpContext& c) {
  return {ops::softmax_grad(c.result(), c.grad(), axis_of(c))};
}

std::vector<Value> log_softmax_vjp(const VjpContext& c) {
  return {ops::log_softmax_grad(c.result(), c.grad(), axis_of(c))};
}

// softmax_grad(y, dy) = y * (dy - sum(dy * y)), with sums along the axis.
// It is linear in dy and self-adjoint there; in y:
// d/dy = grad * (dy - sum(dy * y)) - dy * sum(grad * y).
std::vector<Value> softmax_grad_vjp(const VjpContext& c) {
  const Value &y = c.input(0), &dy = c.input(1), &grad = c.grad();
  const std::int64_t axis = axis_of(c);
  Value d_result, d_dy;
  if (c.needs(0)) d_result = grad * (dy - row_sum(dy * y, axis)) - dy * row_sum(grad * y, axis);
  if (c.needs(1)) d_dy = ops::softmax_grad(y, grad, axis);
  return {d_result, d_dy};
}

// log_softmax_grad(y, dy) = dy - exp(y) * sum(dy), with sums along the axis:
// d/dy = -grad * exp(y) * sum(dy), d/d(dy) = grad - sum(grad * exp(y)).
std::vector<Value> log_softmax_grad_vjp(const VjpContext& c) {
  const Value &y = c.input(0), &dy = c.input(1), &grad = c.grad();
  const std::int64_t axis = axis_of(c);
  const Value softmax = ops::exp(y);
  Value d_result, d_dy;
  if (c.needs(0)) d_result = -(grad * softmax * row_sum(dy, axis));
  if (c.needs(1)) d_dy = grad - row_sum(grad * softmax, axis);
  return {d_result, d_dy};
}

}  // namespace

void register_softmax_vjps(VjpRegistry& registry) {
  registry.add("softmax", softmax_vjp);
  registry.add("log_softmax", log_softmax_vjp);
  registry.add("softmax_grad", softmax_grad_vjp);
  registry.add("log_softmax_grad", log_softmax_grad_vjp);
}

}  // namespace keras::autodiff
