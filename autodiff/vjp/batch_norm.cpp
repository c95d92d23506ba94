// VJPs of batch normalization. Per-channel vectors (C,) are expanded to
// (C, 1, ..., 1) so that they broadcast against x along `axis`, and
// per-channel sums reduce every other axis.
//
// batch_norm_training: the y gradient goes through the batch_norm_grad op
// (a oneDNN backward primitive). Gradients reaching the returned mean and
// variance (rare: layers feed them to assign, which passes none) are added
// with their formulas, mean = sum(x) / N and variance = sum((x - mean)^2) / N:
//   dx += dmean / N + dvariance * 2 * (x - mean) / N.
//
// batch_norm_inference, y = (x - mean) * s * gamma + beta with
// s = rsqrt(variance + epsilon), is differentiated as that composite.
#include <fmt/format.h>

#include "keras/graph/gradient_ops.hpp"
#include "keras/graph/ops.hpp"
#include "vjp_families.hpp"

namespace keras::autodiff {

namespace {

struct ChannelAxis {
  std::int64_t axis;
  std::int64_t rank;
};

ChannelAxis channel_axis(const VjpContext& context) {
  const std::int64_t rank = context.input(0).shape().rank();
  return {normalize_axis(context.attrs().get_int("axis"), rank, context.node.op()), rank};
}

// (C,) -> (C, 1, ..., 1), broadcasting against x along the channel axis.
Value per_channel(Value v, ChannelAxis channel) {
  for (std::int64_t a = channel.axis + 1; a < channel.rank; ++a) v = ops::expand_dims(v, -1);
  return v;
}

std::vector<std::int64_t> other_axes(ChannelAxis channel) {
  std::vector<std::int64_t> axes;
  for (std::int64_t a = 0; a < channel.rank; ++a) {
    if (a != channel.axis) axes.push_back(a);
  }
  return axes;
}

// Sums an x-shaped value over every axis but the channel axis: (C,).
Value channel_sum(const Value& v, ChannelAxis channel) {
  const std::vector<std::int64_t> axes = other_axes(channel);
  // An empty axis list would mean "all axes" to sum.
  return axes.empty() ? v : ops::sum(v, axes);
}

// N, the number of elements per channel, broadcastable against x: a scalar
// constant when the sizes are known, else counted when the graph runs.
Value count_per_channel(const Value& x, ChannelAxis channel) {
  std::int64_t count = 1;
  for (std::int64_t a : other_axes(channel)) {
    const std::int64_t d = x.shape().dim(a);
    if (d == Shape::kUnknown) return per_channel(channel_sum(ops::ones_like(x), channel), channel);
    count *= d;
  }
  return ops::scalar_like(x, static_cast<double>(count));
}

// The x gradient of the returned batch statistics (see the file comment).
Value statistics_grad(const VjpContext& context, ChannelAxis channel) {
  const Value& x = context.input(0);
  const Value& grad_mean = context.grad(1);
  const Value& grad_variance = context.grad(2);
  const Value count = count_per_channel(x, channel);
  Value dx;
  if (grad_mean.valid()) dx = ops::broadcast_like(per_channel(grad_mean, channel) / count, x);
  if (grad_variance.valid()) {
    const Value centered = x - per_channel(context.result(1), channel);
    const Value term = per_channel(grad_variance, channel) * centered * 2.0 / count;
    dx = dx.valid() ? dx + term : term;
  }
  return dx;
}

std::vector<Value> batch_norm_training_vjp(const VjpContext& context) {
  const ChannelAxis channel = channel_axis(context);
  const double epsilon = context.attrs().get_float("epsilon");
  Value dx;
  Value dgamma;
  Value dbeta;
  if (context.grad(0).valid()) {
    const ops::BatchNormGrad grads =
        ops::batch_norm_grad(context.input(0), context.input(1), context.result(1),
                             context.result(2), context.grad(0), channel.axis, epsilon);
    dx = grads.dx;
    dgamma = grads.dgamma;
    dbeta = grads.dbeta;
  }
  if (context.needs(0) && (context.grad(1).valid() || context.grad(2).valid())) {
    const Value statistics = statistics_grad(context, channel);
    dx = dx.valid() ? dx + statistics : statistics;
  }
  return {dx, dgamma, dbeta};
}

std::vector<Value> batch_norm_inference_vjp(const VjpContext& context) {
  const ChannelAxis channel = channel_axis(context);
  const double epsilon = context.attrs().get_float("epsilon");
  const Value& x = context.input(0);
  const Value& mean = context.input(1);
  const Value& variance = context.input(2);
  const Value& gamma = context.input(3);
  const Value& grad = context.grad();                    // x's shape
  const Value inv_std = ops::rsqrt(variance + epsilon);  // s, (C,)
  std::vector<Value> grads(5);
  if (context.needs(0)) grads[0] = grad * per_channel(gamma * inv_std, channel);
  const Value grad_sum = channel_sum(grad, channel);  // (C,)
  if (context.needs(1)) grads[1] = -grad_sum * gamma * inv_std;
  if (context.needs(2) || context.needs(3)) {
    // sum(grad * (x - mean)) per channel, shared by dvariance and dgamma.
    const Value grad_centered = channel_sum(grad * (x - per_channel(mean, channel)), channel);
    // d s / d variance = -s^3 / 2
    if (context.needs(2)) grads[2] = grad_centered * gamma * inv_std * inv_std * inv_std * -0.5;
    if (context.needs(3)) grads[3] = grad_centered * inv_std;
  }
  if (context.needs(4)) grads[4] = grad_sum;
  return grads;
}

// Second derivatives through batch normalization would need the gradient of
// batch_norm_grad itself; failing names the op instead of silently passing
// a zero gradient.
std::vector<Value> batch_norm_grad_vjp(const VjpContext& context) {
  throw Error(
      fmt::format("no gradient for batch_norm_grad (node '{}'): second derivatives "
                  "through batch_norm_training are not supported; wrap the first "
                  "gradient in stop_gradient if none should flow",
                  context.node.name()));
}

}  // namespace

void register_batch_norm_vjps(VjpRegistry& registry) {
  registry.add("batch_norm_training", batch_norm_training_vjp);
  registry.add("batch_norm_inference", batch_norm_inference_vjp);
  registry.add("batch_norm_grad", batch_norm_grad_vjp);
}

}  // namespace keras::autodiff
