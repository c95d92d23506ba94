// VJP rules of the activations, which all emit activation_grad (one oneDNN
// eltwise backward primitive), and of activation_grad itself, which gives
// second derivatives.
#include <string>

#include "keras/graph/gradient_ops.hpp"
#include "keras/graph/ops.hpp"
#include "vjp_families.hpp"

namespace keras::autodiff {

namespace {

constexpr double kGeluTanhScale = 0.7978845608028654;  // sqrt(2 / pi)
constexpr double kGeluCubic = 0.044715;
constexpr double kInvSqrt2Pi = 0.3989422804014327;  // 1 / sqrt(2 pi)

std::vector<Value> activation_vjp(const VjpContext& c) {
  return {ops::activation_grad(c.node, c.input(0), c.result(), c.grad())};
}

// --- activation_grad(x, y, dy) = dy * f'(x, y) -------------------------------
// The reference kernel computes f' from x or from y (backend/reference/
// activations.cpp); the partial derivatives below follow the same choice,
// and the engine adds the path through y = f(x). Piecewise-constant f'
// (relu, leaky_relu, hard_sigmoid, the masks of elu and selu) contributes
// nothing, its derivative being zero wherever it exists.

// f'' for the activations whose f' is a function of x; invalid when zero.
Value second_derivative_in_x(const std::string& activation, const Value& x, bool approximate) {
  if (activation == "softplus") {  // f' = sigmoid(x)
    const Value s = ops::sigmoid(x);
    return s * (1.0 - s);
  }
  if (activation == "softsign") {  // f' = (1 + |x|)^-2
    const Value denominator = ops::abs(x) + 1.0;
    return -2.0 * ops::sign(x) / (denominator * denominator * denominator);
  }
  if (activation == "swish") {  // f' = s (1 + x (1 - s)), s = sigmoid(x)
    const Value s = ops::sigmoid(x);
    return s * (1.0 - s) * (x * (1.0 - 2.0 * s) + 2.0);
  }
  if (activation == "gelu" && !approximate) {  // f' = Phi(x) + x phi(x)
    const Value phi = ops::exp(ops::square(x) * -0.5) * kInvSqrt2Pi;
    return phi * (2.0 - ops::square(x));
  }
  if (activation == "gelu") {
    // f' = 0.5 (1 + t) + 0.5 x (1 - t^2) u', t = tanh(u), u = k (x + c x^3).
    const Value u_prime = (ops::square(x) * (3.0 * kGeluCubic) + 1.0) * kGeluTanhScale;
    const Value u_second = x * (6.0 * kGeluCubic * kGeluTanhScale);
    const Value t = ops::tanh((x + ops::square(x) * x * kGeluCubic) * kGeluTanhScale);
    const Value sech2 = 1.0 - ops::square(t);
    return sech2 * (u_prime + x * 0.5 * (u_second - 2.0 * t * ops::square(u_prime)));
  }
  return Value();
}

// d f' / d y for the activations whose f' is a function of y; invalid when zero.
Value second_derivative_in_y(const std::string& activation, const Value& x, const Value& y) {
  if (activation == "sigmoid") return 1.0 - 2.0 * y;  // f' = y (1 - y)
  if (activation == "tanh") return -2.0 * y;          // f' = 1 - y^2
  if (activation == "elu" || activation == "selu") {  // f' = y + alpha where x <= 0
    const Value one = ops::ones_like(y);
    return ops::where(ops::greater(x, ops::scalar_like(x, 0.0)), ops::zeros_like(y), one);
  }
  return Value();
}

std::vector<Value> activation_grad_vjp(const VjpContext& c) {
  const Value &x = c.input(0), &y = c.input(1), &dy = c.input(2), &grad = c.grad();
  const std::string& activation = c.attrs().get_string("activation");
  Value dx, d_result, d_dy;
  if (c.needs(0)) {
    const Value f2 = second_derivative_in_x(activation, x, c.attrs().get_bool("approximate"));
    if (f2.valid()) dx = grad * dy * f2;
  }
  if (c.needs(1)) {
    const Value f2 = second_derivative_in_y(activation, x, y);
    if (f2.valid()) d_result = grad * dy * f2;
  }
  // Linear in dy: its transpose is the same op applied to the gradient.
  if (c.needs(2)) d_dy = x.graph().add("activation_grad", {x, y, grad}, c.attrs());
  return {dx, d_result, d_dy};
}

}  // namespace

void register_activations_vjps(VjpRegistry& registry) {
  for (const char* op : {"relu", "elu", "selu", "sigmoid", "hard_sigmoid", "tanh", "softplus",
                         "softsign", "gelu", "swish", "leaky_relu"}) {
    registry.add(op, activation_vjp);
  }
  registry.add("activation_grad", activation_grad_vjp);
}

}  // namespace keras::autodiff
