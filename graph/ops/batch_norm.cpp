// Batch normalization over every axis but `axis` (the channels), as Keras'
// BatchNormalization computes it:
//   batch_norm_training:  y = (x - mean) / sqrt(variance + epsilon) * gamma + beta
//                         with the batch's mean and biased variance, also returned;
//   batch_norm_inference: the same with given (moving) statistics;
//   batch_norm_grad:      the training form's gradient w.r.t. x, gamma and beta.
// gamma, beta and the statistics have shape (channels,).
#include <cmath>

#include <fmt/format.h>

#include "keras/graph/gradient_ops.hpp"
#include "keras/graph/ops.hpp"
#include "op_families.hpp"

namespace keras::graph {

namespace {

// The names of the inputs, for messages.
using InputNames = std::vector<const char*>;

void require_epsilon(const InferContext& context) {
  const double epsilon = context.attrs().get_float("epsilon");
  if (!(epsilon >= 0.0) || !std::isfinite(epsilon)) {
    context.fail(fmt::format("epsilon must be a finite number >= 0, got {:g}", epsilon));
  }
}

// Checks that the inputs of `channel_inputs` are (channels,) vectors matching
// x's channel axis; returns the channel count (unknown if no input knows it).
std::int64_t channel_count(const InferContext& context, std::int64_t axis,
                           const std::vector<int>& channel_inputs, const InputNames& names) {
  const Shape& x = context.input(0).shape;
  std::int64_t channels = x[static_cast<std::size_t>(axis)];
  for (int i : channel_inputs) {
    const Shape& s = context.input(i).shape;
    const std::int64_t c = s.rank() == 1 ? s[0] : Shape::kUnknown;
    if (s.rank() != 1 || (c != Shape::kUnknown && channels != Shape::kUnknown && c != channels)) {
      context.fail(fmt::format(
          "{} must have shape ({},), one value per channel of x {} along axis {}, got {}",
          names[static_cast<std::size_t>(i)],
          channels == Shape::kUnknown ? std::string("None") : std::to_string(channels),
          x.to_string(), axis, s.to_string()));
    }
    if (channels == Shape::kUnknown) channels = c;
  }
  return channels;
}

// Common checks; returns the channel count.
std::int64_t check_inputs(const InferContext& context, const std::vector<int>& channel_inputs,
                          const InputNames& names) {
  context.require_floating(0);
  context.require_same_dtype();
  require_epsilon(context);
  const Shape& x = context.input(0).shape;
  if (x.rank() == 0) context.fail("x must have at least one axis (the channels), got a scalar");
  const std::int64_t axis = context.axis(context.attrs().get_int("axis"), x.rank());
  return channel_count(context, axis, channel_inputs, names);
}

// x with its channel size filled in where only the vectors knew it.
Shape x_shape_with(const InferContext& context, std::int64_t channels) {
  const Shape& x = context.input(0).shape;
  std::vector<std::int64_t> dims = x.dims();
  dims[static_cast<std::size_t>(context.axis(context.attrs().get_int("axis"), x.rank()))] =
      channels;
  return Shape(std::move(dims));
}

std::vector<TensorType> infer_batch_norm_training(const InferContext& context) {
  const std::int64_t channels = check_inputs(context, {1, 2}, {"x", "gamma", "beta"});
  const DType dtype = context.input(0).dtype;
  const TensorType stats{dtype, Shape{channels}};
  return {{dtype, x_shape_with(context, channels)}, stats, stats};
}

std::vector<TensorType> infer_batch_norm_inference(const InferContext& context) {
  const std::int64_t channels =
      check_inputs(context, {1, 2, 3, 4}, {"x", "mean", "variance", "gamma", "beta"});
  return {{context.input(0).dtype, x_shape_with(context, channels)}};
}

std::vector<TensorType> infer_batch_norm_grad(const InferContext& context) {
  const std::int64_t channels =
      check_inputs(context, {1, 2, 3}, {"x", "gamma", "mean", "variance", "dy"});
  const Shape& x = context.input(0).shape;
  const Shape& dy = context.input(4).shape;
  if (!x.is_compatible_with(dy)) {
    context.fail(fmt::format("dy must have x's shape {}, got {}", x.to_string(), dy.to_string()));
  }
  std::vector<std::int64_t> dims = x_shape_with(context, channels).dims();
  for (std::size_t a = 0; a < dims.size(); ++a) {
    if (dims[a] == Shape::kUnknown) dims[a] = dy[a];
  }
  const DType dtype = context.input(0).dtype;
  const TensorType per_channel{dtype, Shape{channels}};
  return {{dtype, Shape(std::move(dims))}, per_channel, per_channel};
}

AttrSpec axis_spec(std::optional<AttrValue> default_value) {
  return {"axis", AttrKind::integer, std::move(default_value)};
}

AttrSpec epsilon_spec(std::optional<AttrValue> default_value) {
  return {"epsilon", AttrKind::floating, std::move(default_value)};
}

}  // namespace

void register_batch_norm_ops(OpRegistry& registry) {
  const AttrValue default_axis(std::int64_t{-1});
  const AttrValue default_epsilon(1e-3);
  registry.add(OpDef{.name = "batch_norm_training",
                     .min_inputs = 3,
                     .max_inputs = 3,
                     .attrs = {axis_spec(default_axis), epsilon_spec(default_epsilon)},
                     .infer = infer_batch_norm_training});
  registry.add(OpDef{.name = "batch_norm_inference",
                     .min_inputs = 5,
                     .max_inputs = 5,
                     .attrs = {axis_spec(default_axis), epsilon_spec(default_epsilon)},
                     .infer = infer_batch_norm_inference});
  registry.add(OpDef{.name = "batch_norm_grad",
                     .min_inputs = 5,
                     .max_inputs = 5,
                     .attrs = {axis_spec(std::nullopt), epsilon_spec(std::nullopt)},
                     .infer = infer_batch_norm_grad});
}

}  // namespace keras::graph

namespace keras::ops {

BatchNormTraining batch_norm_training(const Value& x, const Value& gamma, const Value& beta,
                                      std::int64_t axis, double epsilon) {
  std::vector<Value> outputs = x.graph().add_node("batch_norm_training", {x, gamma, beta},
                                                  {{"axis", axis}, {"epsilon", epsilon}});
  return {outputs[0], outputs[1], outputs[2]};
}

Value batch_norm_inference(const Value& x, const Value& mean, const Value& variance,
                           const Value& gamma, const Value& beta, std::int64_t axis,
                           double epsilon) {
  return x.graph().add("batch_norm_inference", {x, mean, variance, gamma, beta},
                       {{"axis", axis}, {"epsilon", epsilon}});
}

BatchNormGrad batch_norm_grad(const Value& x, const Value& gamma, const Value& mean,
                              const Value& variance, const Value& dy, std::int64_t axis,
                              double epsilon) {
  std::vector<Value> outputs = x.graph().add_node("batch_norm_grad", {x, gamma, mean, variance, dy},
                                                  {{"axis", axis}, {"epsilon", epsilon}});
  return {outputs[0], outputs[1], outputs[2]};
}

}  // namespace keras::ops
