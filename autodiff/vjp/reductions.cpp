// VJPs of the reductions. Each broadcasts the output gradient back over the
// reduced axes: sum is the transpose of broadcast_like.
#include <optional>

#include "keras/graph/ops.hpp"
#include "reshape_like.hpp"
#include "vjp_families.hpp"

namespace keras::autodiff {

namespace {

std::vector<std::int64_t> axes_of(const VjpContext& context) {
  return reduced_axes(context.node, context.input(0).shape().rank());
}

// A reduction output (or its gradient) with the reduced axes kept as size 1,
// so it broadcasts against the input.
Value with_kept_axes(const VjpContext& context, const Value& reduced) {
  if (context.attrs().get_bool("keepdims")) return reduced;
  return expand_axes(reduced, axes_of(context));
}

std::vector<Value> sum_vjp(const VjpContext& context) {
  const Value& x = context.input(0);
  return {ops::broadcast_like(with_kept_axes(context, context.grad()), x)};
}

// The number of elements behind each output element, or nullopt when a
// reduced size is unknown until the graph runs.
std::optional<std::int64_t> known_count(const VjpContext& context) {
  const Shape& shape = context.input(0).shape();
  std::int64_t count = 1;
  for (std::int64_t a : axes_of(context)) {
    const std::int64_t d = shape[static_cast<std::size_t>(a)];
    if (d == Shape::kUnknown) return std::nullopt;
    count *= d;
  }
  return count;
}

std::vector<Value> mean_vjp(const VjpContext& context) {
  const Value& x = context.input(0);
  const Value grad_kept = with_kept_axes(context, context.grad());
  if (const auto count = known_count(context)) {
    return {ops::broadcast_like(grad_kept / static_cast<double>(*count), x)};
  }
  // Counted at run time: sum(ones_like(x)) over the reduced axes.
  const Value count = ops::sum(ops::ones_like(x), axes_of(context), true);
  return {ops::broadcast_like(grad_kept / count, x)};
}

// Ties split the gradient equally among the extreme elements, as TensorFlow
// does (tf.reduce_max's gradient divides by the number of maxima).
std::vector<Value> extremum_vjp(const VjpContext& context) {
  const Value& x = context.input(0);
  const Value y_kept = with_kept_axes(context, context.result());
  const Value mask = ops::cast(ops::equal(x, ops::broadcast_like(y_kept, x)), x.dtype());
  const Value ties = ops::sum(mask, axes_of(context), true);
  const Value grad_kept = with_kept_axes(context, context.grad());
  return {mask * ops::broadcast_like(grad_kept / ties, x)};
}

// d prod / d x_i = prod / x_i: exact away from zero, like TensorFlow's
// simple form (inputs with zeros give inf or NaN).
std::vector<Value> prod_vjp(const VjpContext& context) {
  const Value& x = context.input(0);
  const Value grad_kept = with_kept_axes(context, context.grad());
  const Value y_kept = with_kept_axes(context, context.result());
  return {ops::broadcast_like(grad_kept * y_kept, x) / x};
}

}  // namespace

void register_reductions_vjps(VjpRegistry& registry) {
  registry.add("sum", sum_vjp);
  registry.add("mean", mean_vjp);
  registry.add("max", extremum_vjp);
  registry.add("min", extremum_vjp);
  registry.add("prod", prod_vjp);
  registry.add_not_differentiable("argmax");
  registry.add_not_differentiable("argmin");
}

}  // namespace keras::autodiff
