// VJP rules of the elementwise binary ops. Operands are treated as having the
// output's shape; the engine sums each gradient back over broadcast axes.
#include "keras/graph/ops.hpp"
#include "vjp_families.hpp"

namespace keras::autodiff {

namespace {

std::vector<Value> add_vjp(const VjpContext& c) {
  return {c.grad(), c.grad()};
}

std::vector<Value> subtract_vjp(const VjpContext& c) {
  const Value& grad = c.grad();
  return {grad, c.needs(1) ? -grad : Value()};
}

std::vector<Value> multiply_vjp(const VjpContext& c) {
  const Value &a = c.input(0), &b = c.input(1), &grad = c.grad();
  return {c.needs(0) ? grad * b : Value(), c.needs(1) ? grad * a : Value()};
}

// d(a / b)/db = -a / b^2 = -result / b.
std::vector<Value> divide_vjp(const VjpContext& c) {
  const Value &b = c.input(1), &grad = c.grad();
  return {c.needs(0) ? grad / b : Value(), c.needs(1) ? -(grad * c.result()) / b : Value()};
}

// TensorFlow's _PowGrad: d/db uses log(a) only where a > 0 and 0 elsewhere,
// so a = 0 (where a^b is flat in b for b > 0) gives no NaN.
std::vector<Value> power_vjp(const VjpContext& c) {
  const Value &a = c.input(0), &b = c.input(1), &grad = c.grad();
  Value da, db;
  if (c.needs(0)) da = grad * b * ops::power(a, b - 1.0);
  if (c.needs(1)) {
    const Value positive = ops::greater(a, ops::scalar_like(a, 0.0));
    const Value safe_a = ops::where(positive, a, ops::ones_like(a));
    const Value log_a = ops::where(positive, ops::log(safe_a), ops::zeros_like(a));
    db = grad * c.result() * log_a;
  }
  return {da, db};
}

// TensorFlow's _MaximumMinimumGrad: the whole gradient goes to the operand
// the selector picks, ties going to the first (a >= b for maximum, a <= b for
// minimum).
std::vector<Value> route_by_mask(const VjpContext& c, const Value& first_selected) {
  const Value& grad = c.grad();
  const Value zeros = ops::zeros_like(grad);
  return {c.needs(0) ? ops::where(first_selected, grad, zeros) : Value(),
          c.needs(1) ? ops::where(first_selected, zeros, grad) : Value()};
}

std::vector<Value> maximum_vjp(const VjpContext& c) {
  return route_by_mask(c, ops::greater_equal(c.input(0), c.input(1)));
}

std::vector<Value> minimum_vjp(const VjpContext& c) {
  return route_by_mask(c, ops::less_equal(c.input(0), c.input(1)));
}

}  // namespace

void register_binary_vjps(VjpRegistry& registry) {
  registry.add("add", add_vjp);
  registry.add("subtract", subtract_vjp);
  registry.add("multiply", multiply_vjp);
  registry.add("divide", divide_vjp);
  registry.add("power", power_vjp);
  registry.add("maximum", maximum_vjp);
  registry.add("minimum", minimum_vjp);
  // Comparisons are step functions with bool results: no gradient flows.
  for (const char* op : {"equal", "not_equal", "greater", "greater_equal", "less", "less_equal"}) {
    registry.add_not_differentiable(op);
  }
}

}  // namespace keras::autodiff
