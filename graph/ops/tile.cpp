// tile: repeats a tensor along each axis, as numpy.tile does (the shorter of
// the input's shape and `repeats` is padded with leading 1s).
#include <fmt/format.h>

#include "axis_list.hpp"
#include "keras/graph/ops.hpp"
#include "op_families.hpp"

namespace keras::graph {

namespace {

std::vector<TensorType> infer_tile(const InferContext& context) {
  const TensorType& x = context.input(0);
  std::vector<std::int64_t> repeats = context.attrs().get_ints("repeats");
  for (std::int64_t r : repeats) {
    if (r < 0) {
      context.fail(fmt::format("repeats {} must be >= 0", ints_to_string(repeats)));
    }
  }
  std::vector<std::int64_t> dims = x.shape.dims();
  if (dims.size() < repeats.size()) dims.insert(dims.begin(), repeats.size() - dims.size(), 1);
  if (repeats.size() < dims.size())
    repeats.insert(repeats.begin(), dims.size() - repeats.size(), 1);
  for (std::size_t a = 0; a < dims.size(); ++a) {
    // Zero copies of an unknown size is still known to be empty.
    if (repeats[a] == 0) {
      dims[a] = 0;
    } else if (dims[a] != Shape::kUnknown) {
      dims[a] *= repeats[a];
    }
  }
  return {{x.dtype, Shape(std::move(dims))}};
}

}  // namespace

void register_tile_ops(OpRegistry& registry) {
  registry.add(OpDef{.name = "tile",
                     .min_inputs = 1,
                     .max_inputs = 1,
                     .attrs = {{"repeats", AttrKind::integers, std::nullopt}},
                     .infer = infer_tile});
}

}  // namespace keras::graph

namespace keras::ops {

Value tile(const Value& x, std::vector<std::int64_t> repeats) {
  return x.graph().add("tile", {x}, {{"repeats", std::move(repeats)}});
}

}  // namespace keras::ops
