// VJP of tile: every copy of an element receives part of the gradient, so
// the gradient, seen as (r0, d0, r1, d1, ...), is summed over the r axes.
#include "keras/graph/ops.hpp"
#include "reshape_like.hpp"
#include "vjp_families.hpp"

namespace keras::autodiff {

namespace {

std::vector<Value> tile_vjp(const VjpContext& context) {
  const Value& x = context.input(0);
  std::vector<std::int64_t> repeats = context.attrs().get_ints("repeats");
  std::vector<std::int64_t> dims = x.shape().dims();
  // numpy.tile pads the shorter of the two with leading 1s.
  const std::size_t padded_axes = repeats.size() > dims.size() ? repeats.size() - dims.size() : 0;
  dims.insert(dims.begin(), padded_axes, 1);
  if (repeats.size() < dims.size())
    repeats.insert(repeats.begin(), dims.size() - repeats.size(), 1);

  std::vector<std::int64_t> interleaved;  // (r0, d0, r1, d1, ...)
  std::vector<std::int64_t> copy_axes;    // the r axes: 0, 2, 4, ...
  for (std::size_t a = 0; a < dims.size(); ++a) {
    copy_axes.push_back(static_cast<std::int64_t>(interleaved.size()));
    interleaved.insert(interleaved.end(), {repeats[a], dims[a]});
  }
  // (r0 * d0, r1 * d1, ...) -> (r0, d0, r1, d1, ...) -> (d0, d1, ...)
  const Value split = ops::reshape(context.grad(), reshape_target(interleaved, context.node));
  Value grad = ops::sum(split, copy_axes);
  if (padded_axes > 0) {
    std::vector<std::int64_t> leading(padded_axes);
    for (std::size_t a = 0; a < padded_axes; ++a) leading[a] = static_cast<std::int64_t>(a);
    grad = ops::squeeze(grad, leading);
  }
  return {grad};
}

}  // namespace

void register_tile_vjps(VjpRegistry& registry) {
  registry.add("tile", tile_vjp);
}

}  // namespace keras::autodiff
