// Activations (Keras 3's keras.activations, with its defaults) and
// activation_grad, the gradient op they all share: oneDNN computes every
// eltwise backward from the forward input or result, so one op carries the
// forward op's name and attributes.
#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>

#include <fmt/format.h>

#include "keras/graph/gradient_ops.hpp"
#include "keras/graph/ops.hpp"
#include "op_families.hpp"
#include "same_shape.hpp"

namespace keras::graph {

namespace {

constexpr std::array<std::string_view, 11> kActivations = {
    "relu",     "elu",      "selu", "sigmoid", "hard_sigmoid", "tanh",
    "softplus", "softsign", "gelu", "swish",   "leaky_relu"};

// The attributes of the parameterized activations, with Keras 3's defaults.
AttrSpec alpha_spec() {
  return {"alpha", AttrKind::floating, AttrValue(1.0)};
}
AttrSpec slope_spec() {
  return {"slope", AttrKind::floating, AttrValue(1.0 / 6.0)};
}
AttrSpec offset_spec() {
  return {"offset", AttrKind::floating, AttrValue(0.5)};
}
AttrSpec approximate_spec() {
  return {"approximate", AttrKind::boolean, AttrValue(true)};
}
AttrSpec negative_slope_spec() {
  return {"negative_slope", AttrKind::floating, AttrValue(0.2)};
}

void require_finite_attrs(const InferContext& context) {
  for (const auto& [name, value] : context.attrs().items()) {
    const double* number = std::get_if<double>(&value);
    if (number != nullptr && !std::isfinite(*number)) {
      context.fail(fmt::format("attribute {} must be a finite number, got {}", name, *number));
    }
  }
}

std::vector<TensorType> infer_activation(const InferContext& context) {
  context.require_floating(0);
  require_finite_attrs(context);
  return {context.input(0)};
}

// activation_grad(x, y, dy): the forward input, the forward result and the
// result's gradient, all of one type.
std::vector<TensorType> infer_activation_grad(const InferContext& context) {
  const std::string& activation = context.attrs().get_string("activation");
  if (std::find(kActivations.begin(), kActivations.end(), activation) == kActivations.end()) {
    context.fail(fmt::format("activation '{}' is not one of: {}", activation,
                             fmt::join(kActivations, ", ")));
  }
  context.require_floating(0);
  context.require_same_dtype();
  require_finite_attrs(context);
  return {{context.input(0).dtype, common_input_shape(context)}};
}

OpDef activation_def(const char* name, std::vector<AttrSpec> attrs = {}) {
  return OpDef{.name = name,
               .min_inputs = 1,
               .max_inputs = 1,
               .attrs = std::move(attrs),
               .infer = infer_activation};
}

}  // namespace

void register_activations_ops(OpRegistry& registry) {
  for (const char* name : {"relu", "selu", "sigmoid", "tanh", "softplus", "softsign", "swish"}) {
    registry.add(activation_def(name));
  }
  registry.add(activation_def("elu", {alpha_spec()}));
  registry.add(activation_def("hard_sigmoid", {slope_spec(), offset_spec()}));
  registry.add(activation_def("gelu", {approximate_spec()}));
  registry.add(activation_def("leaky_relu", {negative_slope_spec()}));
  registry.add(OpDef{.name = "activation_grad",
                     .min_inputs = 3,
                     .max_inputs = 3,
                     .attrs = {{"activation", AttrKind::string, std::nullopt},
                               alpha_spec(),
                               slope_spec(),
                               offset_spec(),
                               approximate_spec(),
                               negative_slope_spec()},
                     .infer = infer_activation_grad});
}

}  // namespace keras::graph

namespace keras::ops {

namespace {
Value activation(const char* op, const Value& x, graph::Attrs attrs = {}) {
  return x.graph().add(op, {x}, std::move(attrs));
}
}  // namespace

Value relu(const Value& x) {
  return activation("relu", x);
}
Value elu(const Value& x, double alpha) {
  return activation("elu", x, {{"alpha", alpha}});
}
Value selu(const Value& x) {
  return activation("selu", x);
}
Value sigmoid(const Value& x) {
  return activation("sigmoid", x);
}
Value hard_sigmoid(const Value& x, double slope, double offset) {
  return activation("hard_sigmoid", x, {{"slope", slope}, {"offset", offset}});
}
Value tanh(const Value& x) {
  return activation("tanh", x);
}
Value softplus(const Value& x) {
  return activation("softplus", x);
}
Value softsign(const Value& x) {
  return activation("softsign", x);
}
Value gelu(const Value& x, bool approximate) {
  return activation("gelu", x, {{"approximate", approximate}});
}
Value swish(const Value& x) {
  return activation("swish", x);
}
Value leaky_relu(const Value& x, double negative_slope) {
  return activation("leaky_relu", x, {{"negative_slope", negative_slope}});
}

Value activation_grad(const graph::Node& forward, const Value& x, const Value& y, const Value& dy) {
  graph::Attrs attrs = forward.attrs();
  attrs.set("activation", forward.op());
  return x.graph().add("activation_grad", {x, y, dy}, std::move(attrs));
}

}  // namespace keras::ops
