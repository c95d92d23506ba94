// VJPs of reshape, squeeze and expand_dims: each gradient is the output
// gradient put back into the input's shape.
#include "keras/graph/ops.hpp"
#include "reshape_like.hpp"
#include "vjp_families.hpp"

namespace keras::autodiff {

namespace {

std::vector<Value> reshape_vjp(const VjpContext& context) {
  return {reshape_like(context.grad(), context.input(0), context.node)};
}

// Re-inserting the squeezed axes with expand_dims (rather than a reshape)
// keeps any number of unknown dimensions.
std::vector<Value> squeeze_vjp(const VjpContext& context) {
  const Shape& shape = context.input(0).shape();
  std::vector<std::int64_t> axes;
  if (context.attrs().get_ints("axis").empty()) {
    for (std::int64_t a = 0; a < shape.rank(); ++a) {
      if (shape[static_cast<std::size_t>(a)] == 1) axes.push_back(a);
    }
  } else {
    axes = reduced_axes(context.node, shape.rank());
  }
  return {expand_axes(context.grad(), axes)};
}

std::vector<Value> expand_dims_vjp(const VjpContext& context) {
  const std::int64_t rank = context.input(0).shape().rank();
  const std::int64_t axis =
      normalize_axis(context.attrs().get_int("axis"), rank + 1, "expand_dims");
  return {ops::squeeze(context.grad(), {axis})};
}

}  // namespace

void register_reshape_vjps(VjpRegistry& registry) {
  registry.add("reshape", reshape_vjp);
  registry.add("squeeze", squeeze_vjp);
  registry.add("expand_dims", expand_dims_vjp);
}

}  // namespace keras::autodiff
