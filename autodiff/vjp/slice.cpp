// VJPs of slice and pad, each the other's transpose: a slice's gradient is
// the output gradient padded with zeros to the input's shape, and a pad's
// gradient is the interior slice of the output gradient.
#include <fmt/format.h>

#include "keras/graph/ops.hpp"
#include "vjp_families.hpp"

namespace keras::autodiff {

namespace {

using Ints = std::vector<std::int64_t>;

// Zeros after the slice along `axis`, whose length (the input's size minus
// the slice's end) is unknown until run time: cut from zeros_like(x), with
// the extents `grad` has on the other axes (`begin`/`size` per axis).
Value zeros_after(const Value& zeros, std::size_t axis, Ints begin, Ints size,
                  std::int64_t slice_end) {
  begin[axis] = slice_end;
  size[axis] = -1;
  return ops::slice(zeros, std::move(begin), std::move(size));
}

std::vector<Value> slice_vjp(const VjpContext& context) {
  const Value& x = context.input(0);
  const Ints& begin = context.attrs().get_ints("begin");
  const Ints& size = context.attrs().get_ints("size");
  // What grad covers of x on each axis, as a slice of x: updated as axes are
  // extended to x's end.
  Ints covered_begin = begin;
  Ints covered_size = size;
  std::vector<std::pair<std::int64_t, std::int64_t>> pad_width;
  Value grad = context.grad();
  Value zeros;
  for (std::size_t a = 0; a < begin.size(); ++a) {
    const std::int64_t dim = x.shape()[a];
    if (size[a] == -1) {
      pad_width.emplace_back(begin[a], 0);
    } else if (dim != Shape::kUnknown) {
      pad_width.emplace_back(begin[a], dim - begin[a] - size[a]);
    } else {
      // Unknown trailing length: append zeros cut from x's shape, then pad
      // only the known leading part.
      if (!zeros.valid()) zeros = ops::zeros_like(x);
      const Value tail = zeros_after(zeros, a, covered_begin, covered_size, begin[a] + size[a]);
      grad = ops::concatenate({grad, tail}, static_cast<std::int64_t>(a));
      covered_size[a] = -1;
      pad_width.emplace_back(begin[a], 0);
    }
  }
  return {ops::pad(grad, pad_width, 0.0)};
}

std::vector<Value> pad_vjp(const VjpContext& context) {
  const Value& x = context.input(0);
  const Ints& pad_width = context.attrs().get_ints("pad_width");
  Ints begin;
  Ints size;
  for (std::size_t a = 0; a < static_cast<std::size_t>(x.shape().rank()); ++a) {
    const std::int64_t dim = x.shape()[a];
    const std::int64_t after = pad_width[2 * a + 1];
    if (dim == Shape::kUnknown && after != 0) {
      throw Error(
          fmt::format("cannot build the gradient of pad (node '{}'): axis {} of {} has an "
                      "unknown size and {} padding after it, so the slice that undoes it "
                      "has an unknown size; pad unknown axes only before",
                      context.node.name(), a, x.to_string(), after));
    }
    begin.push_back(pad_width[2 * a]);
    size.push_back(dim == Shape::kUnknown ? -1 : dim);
  }
  return {ops::slice(context.grad(), std::move(begin), std::move(size))};
}

}  // namespace

void register_slice_vjps(VjpRegistry& registry) {
  registry.add("slice", slice_vjp);
  registry.add("pad", pad_vjp);
}

}  // namespace keras::autodiff
