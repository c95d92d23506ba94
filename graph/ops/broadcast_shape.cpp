#include "broadcast_shape.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace keras::graph {

namespace {

// The size of `shape` along the axis `from_end` places from its last one; a
// missing leading axis acts as size 1.
std::int64_t dim_from_end(const Shape& shape, std::int64_t from_end) {
  const std::int64_t axis = shape.rank() - 1 - from_end;
  return axis < 0 ? 1 : shape[static_cast<std::size_t>(axis)];
}

}  // namespace

std::optional<Shape> try_broadcast_shapes(const Shape& a, const Shape& b, std::int64_t* conflict) {
  const std::int64_t rank = std::max(a.rank(), b.rank());
  std::vector<std::int64_t> dims(static_cast<std::size_t>(rank));
  for (std::int64_t from_end = 0; from_end < rank; ++from_end) {
    const std::int64_t da = dim_from_end(a, from_end);
    const std::int64_t db = dim_from_end(b, from_end);
    std::int64_t result;
    if (da == db || db == 1) {
      result = da;
    } else if (da == 1) {
      result = db;
    } else if (da == Shape::kUnknown) {
      result = db;
    } else if (db == Shape::kUnknown) {
      result = da;
    } else {
      if (conflict != nullptr) *conflict = -1 - from_end;
      return std::nullopt;
    }
    dims[static_cast<std::size_t>(rank - 1 - from_end)] = result;
  }
  return Shape(std::move(dims));
}

Shape broadcast_shapes(const Shape& a, const Shape& b, const InferContext& context) {
  std::int64_t axis = 0;
  std::optional<Shape> shape = try_broadcast_shapes(a, b, &axis);
  if (!shape) {
    context.fail(fmt::format(
        "shapes {} and {} cannot be broadcast together: axis {} has sizes {} and {}; each "
        "axis must have equal sizes or size 1 in one of the operands",
        a.to_string(), b.to_string(), axis, dim_from_end(a, -1 - axis),
        dim_from_end(b, -1 - axis)));
  }
  return *shape;
}

}  // namespace keras::graph
