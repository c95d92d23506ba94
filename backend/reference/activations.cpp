// Reference kernels of the activations and of activation_grad, which
// computes dx = dy * f'(x) for the activation named by its `activation`
// attribute, reading f's parameters from the attributes copied from the
// forward node. The formulas follow keras/src/activations/activations.py.
#include <cmath>
#include <string_view>
#include <utility>

#include "elementwise.hpp"
#include "kernel_families.hpp"

namespace keras::backend::reference {

namespace {

// SELU's constants, from Klambauer et al. (2017), as Keras spells them.
constexpr double kSeluAlpha = 1.6732632423543772;
constexpr double kSeluScale = 1.0507009873554805;
// sqrt(2 / pi) and the cubic coefficient of GELU's tanh approximation.
constexpr double kGeluTanhScale = 0.7978845608028654;
constexpr double kGeluCubic = 0.044715;
constexpr double kSqrtHalf = 0.7071067811865476;    // 1 / sqrt(2)
constexpr double kInvSqrt2Pi = 0.3989422804014327;  // 1 / sqrt(2 pi)

enum class Kind {
  relu,
  elu,
  selu,
  sigmoid,
  hard_sigmoid,
  tanh,
  softplus,
  softsign,
  gelu,
  swish,
  leaky_relu
};

Kind kind_of(std::string_view name) {
  static constexpr std::pair<std::string_view, Kind> kNames[] = {
      {"relu", Kind::relu},
      {"elu", Kind::elu},
      {"selu", Kind::selu},
      {"sigmoid", Kind::sigmoid},
      {"hard_sigmoid", Kind::hard_sigmoid},
      {"tanh", Kind::tanh},
      {"softplus", Kind::softplus},
      {"softsign", Kind::softsign},
      {"gelu", Kind::gelu},
      {"swish", Kind::swish},
      {"leaky_relu", Kind::leaky_relu}};
  for (const auto& [n, kind] : kNames) {
    if (n == name) return kind;
  }
  throw InternalError(fmt::format("no reference activation named '{}'", name));
}

// The activation's parameters; a node has only those of its own activation
// (activation_grad has them all), the rest keep their defaults.
struct Params {
  double alpha = 1.0;
  double slope = 1.0 / 6.0;
  double offset = 0.5;
  double negative_slope = 0.2;
  bool approximate = true;
};

Params params_of(const graph::Attrs& attrs) {
  Params p;
  if (attrs.has("alpha")) p.alpha = attrs.get_float("alpha");
  if (attrs.has("slope")) p.slope = attrs.get_float("slope");
  if (attrs.has("offset")) p.offset = attrs.get_float("offset");
  if (attrs.has("negative_slope")) p.negative_slope = attrs.get_float("negative_slope");
  if (attrs.has("approximate")) p.approximate = attrs.get_bool("approximate");
  return p;
}

// 1 / (1 + exp(-x)) without overflow for large |x|.
template <class T>
T sigmoid(T x) {
  if (x >= 0) return T(1) / (T(1) + std::exp(-x));
  const T e = std::exp(x);
  return e / (T(1) + e);
}

template <class T>
T gelu(T x, bool approximate) {
  if (approximate) {
    const T inner = T(kGeluTanhScale) * (x + T(kGeluCubic) * x * x * x);
    return T(0.5) * x * (T(1) + std::tanh(inner));
  }
  return T(0.5) * x * (T(1) + std::erf(x * T(kSqrtHalf)));
}

template <class T>
T gelu_derivative(T x, bool approximate) {
  if (approximate) {
    const T inner = T(kGeluTanhScale) * (x + T(kGeluCubic) * x * x * x);
    const T t = std::tanh(inner);
    const T d_inner = T(kGeluTanhScale) * (T(1) + T(3 * kGeluCubic) * x * x);
    return T(0.5) * (T(1) + t) + T(0.5) * x * (T(1) - t * t) * d_inner;
  }
  // Phi(x) + x * phi(x), with Phi and phi the standard normal cdf and pdf.
  return T(0.5) * (T(1) + std::erf(x * T(kSqrtHalf))) +
         x * T(kInvSqrt2Pi) * std::exp(T(-0.5) * x * x);
}

template <Kind kind, class T>
T forward(T x, const Params& p) {
  switch (kind) {
    case Kind::relu:
      return x > 0 ? x : T(0);
    case Kind::elu:
      return x > 0 ? x : T(p.alpha) * std::expm1(x);
    case Kind::selu:
      return T(kSeluScale) * (x > 0 ? x : T(kSeluAlpha) * std::expm1(x));
    case Kind::sigmoid:
      return sigmoid(x);
    case Kind::hard_sigmoid:
      return std::fmax(T(0), std::fmin(T(1), T(p.slope) * x + T(p.offset)));
    case Kind::tanh:
      return std::tanh(x);
    // log(1 + exp(x)) = log1p(exp(-|x|)) + max(x, 0) never overflows.
    case Kind::softplus:
      return std::log1p(std::exp(-std::abs(x))) + std::fmax(x, T(0));
    case Kind::softsign:
      return x / (T(1) + std::abs(x));
    case Kind::gelu:
      return gelu(x, p.approximate);
    case Kind::swish:
      return x * sigmoid(x);
    case Kind::leaky_relu:
      return x > 0 ? x : T(p.negative_slope) * x;
  }
  return x;
}

// f'(x), from the input x or the result y, whichever is cheaper. At the kinks
// the derivative is TensorFlow's: relu'(0) = 0, leaky_relu'(0) =
// negative_slope, elu'(0) and selu'(0) from the left, hard_sigmoid' = 0 at
// the ends of its linear piece.
template <Kind kind, class T>
T derivative(T x, T y, const Params& p) {
  switch (kind) {
    case Kind::relu:
      return x > 0 ? T(1) : T(0);
    case Kind::elu:
      return x > 0 ? T(1) : y + T(p.alpha);
    case Kind::selu:
      return x > 0 ? T(kSeluScale) : y + T(kSeluScale * kSeluAlpha);
    case Kind::sigmoid:
      return y * (T(1) - y);
    case Kind::hard_sigmoid: {
      const T linear = T(p.slope) * x + T(p.offset);
      return (linear > 0 && linear < 1) ? T(p.slope) : T(0);
    }
    case Kind::tanh:
      return T(1) - y * y;
    case Kind::softplus:
      return sigmoid(x);
    case Kind::softsign: {
      const T denominator = T(1) + std::abs(x);
      return T(1) / (denominator * denominator);
    }
    case Kind::gelu:
      return gelu_derivative(x, p.approximate);
    case Kind::swish: {
      const T s = sigmoid(x);
      return s * (T(1) + x * (T(1) - s));
    }
    case Kind::leaky_relu:
      return x > 0 ? T(1) : T(p.negative_slope);
  }
  return T(0);
}

template <Kind kind>
void forward_kernel(const KernelContext& context) {
  const Params p = params_of(context.attrs());
  visit_floating(context.input(0).dtype(), context.node.op(), [&](auto tag) {
    using T = decltype(tag);
    map_unary<T>(context, [&](T x) { return forward<kind>(x, p); });
  });
}

template <Kind kind, class T>
void grad_loop(const KernelContext& context, const Params& p) {
  const Tensor& x = context.input(0);
  const T* in_x = x.data<T>();
  const T* in_y = context.input(1).data<T>();
  const T* in_dy = context.input(2).data<T>();
  T* dx = context.output().data<T>();
  for (std::int64_t i = 0; i < x.size(); ++i) {
    dx[i] = in_dy[i] * derivative<kind>(in_x[i], in_y[i], p);
  }
}

template <Kind kind>
void grad_for(const KernelContext& context, const Params& p) {
  visit_floating(context.input(0).dtype(), "activation_grad",
                 [&](auto tag) { grad_loop<kind, decltype(tag)>(context, p); });
}

void activation_grad_kernel(const KernelContext& context) {
  const Params p = params_of(context.attrs());
  switch (kind_of(context.attrs().get_string("activation"))) {
    case Kind::relu:
      return grad_for<Kind::relu>(context, p);
    case Kind::elu:
      return grad_for<Kind::elu>(context, p);
    case Kind::selu:
      return grad_for<Kind::selu>(context, p);
    case Kind::sigmoid:
      return grad_for<Kind::sigmoid>(context, p);
    case Kind::hard_sigmoid:
      return grad_for<Kind::hard_sigmoid>(context, p);
    case Kind::tanh:
      return grad_for<Kind::tanh>(context, p);
    case Kind::softplus:
      return grad_for<Kind::softplus>(context, p);
    case Kind::softsign:
      return grad_for<Kind::softsign>(context, p);
    case Kind::gelu:
      return grad_for<Kind::gelu>(context, p);
    case Kind::swish:
      return grad_for<Kind::swish>(context, p);
    case Kind::leaky_relu:
      return grad_for<Kind::leaky_relu>(context, p);
  }
}

}  // namespace

void register_activations_kernels(KernelRegistry& registry) {
  registry.add("relu", forward_kernel<Kind::relu>);
  registry.add("elu", forward_kernel<Kind::elu>);
  registry.add("selu", forward_kernel<Kind::selu>);
  registry.add("sigmoid", forward_kernel<Kind::sigmoid>);
  registry.add("hard_sigmoid", forward_kernel<Kind::hard_sigmoid>);
  registry.add("tanh", forward_kernel<Kind::tanh>);
  registry.add("softplus", forward_kernel<Kind::softplus>);
  registry.add("softsign", forward_kernel<Kind::softsign>);
  registry.add("gelu", forward_kernel<Kind::gelu>);
  registry.add("swish", forward_kernel<Kind::swish>);
  registry.add("leaky_relu", forward_kernel<Kind::leaky_relu>);
  registry.add("activation_grad", activation_grad_kernel);
}

}  // namespace keras::backend::reference
