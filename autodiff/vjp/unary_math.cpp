// VJP rules of the elementwise unary math ops; exp, sqrt and rsqrt use their
// result, which is cheaper than recomputing from the input.
#include "keras/graph/ops.hpp"
#include "vjp_families.hpp"

namespace keras::autodiff {

namespace {

std::vector<Value> negative_vjp(const VjpContext& c) {
  return {-c.grad()};
}

// abs'(0) = sign(0) = 0, as in TensorFlow.
std::vector<Value> abs_vjp(const VjpContext& c) {
  return {c.grad() * ops::sign(c.input(0))};
}

std::vector<Value> exp_vjp(const VjpContext& c) {
  return {c.grad() * c.result()};
}

std::vector<Value> log_vjp(const VjpContext& c) {
  return {c.grad() / c.input(0)};
}

std::vector<Value> log1p_vjp(const VjpContext& c) {
  return {c.grad() / (c.input(0) + 1.0)};
}

// d sqrt(x) = 0.5 / sqrt(x).
std::vector<Value> sqrt_vjp(const VjpContext& c) {
  return {c.grad() * 0.5 / c.result()};
}

std::vector<Value> square_vjp(const VjpContext& c) {
  return {c.grad() * 2.0 * c.input(0)};
}

// d x^(-1/2) = -0.5 x^(-3/2) = -0.5 result^3.
std::vector<Value> rsqrt_vjp(const VjpContext& c) {
  const Value& result = c.result();
  return {c.grad() * -0.5 * result * result * result};
}

}  // namespace

void register_unary_math_vjps(VjpRegistry& registry) {
  registry.add("negative", negative_vjp);
  registry.add("abs", abs_vjp);
  registry.add("exp", exp_vjp);
  registry.add("log", log_vjp);
  registry.add("log1p", log1p_vjp);
  registry.add("sqrt", sqrt_vjp);
  registry.add("square", square_vjp);
  registry.add("rsqrt", rsqrt_vjp);
  // sign is a step function: its gradient is zero wherever it exists (JAX's
  // defjvp_zero, TensorFlow's sign gradient).
  registry.add_not_differentiable("sign");
}

}  // namespace keras::autodiff
