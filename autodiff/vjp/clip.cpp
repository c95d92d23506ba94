// VJP rule of clip.
#include "keras/graph/ops.hpp"
#include "vjp_families.hpp"

namespace keras::autodiff {

namespace {

// TensorFlow's clip_by_value gradient: the gradient passes where
// min_value <= x <= max_value, bounds included, and is zero outside.
std::vector<Value> clip_vjp(const VjpContext& c) {
  const Value &x = c.input(0), &grad = c.grad();
  const Value below = ops::less(x, ops::scalar_like(x, c.attrs().get_float("min_value")));
  const Value above = ops::greater(x, ops::scalar_like(x, c.attrs().get_float("max_value")));
  const Value zeros = ops::zeros_like(grad);
  return {ops::where(below, zeros, ops::where(above, zeros, grad))};
}

}  // namespace

void register_clip_vjps(VjpRegistry& registry) {
  registry.add("clip", clip_vjp);
}

}  // namespace keras::autodiff
