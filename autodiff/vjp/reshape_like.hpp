#pragma once
// Helpers for the VJPs of the shape-changing ops, which must build gradients
// whose shapes may hold unknown dimensions (the batch) at graph-build time.
#include <algorithm>
#include <cstdint>
#include <vector>

#include <fmt/format.h>

#include "keras/graph/ops.hpp"

namespace keras::autodiff {

// `dims` as a reshape target: its single unknown entry becomes -1 (inferred
// at run time). A reshape target can infer only one size, so more than one
// unknown dimension cannot be expressed; `op` names the rule that needed it.
inline std::vector<std::int64_t> reshape_target(const std::vector<std::int64_t>& dims,
                                                const graph::Node& node) {
  if (std::count(dims.begin(), dims.end(), Shape::kUnknown) > 1) {
    throw Error(
        fmt::format("cannot build the gradient of {} (node '{}'): it needs a reshape to {}, "
                    "which has more than one unknown dimension; give the model's inputs "
                    "known sizes on all but one axis",
                    node.op(), node.name(), Shape(dims).to_string()));
  }
  return dims;  // Shape::kUnknown is -1, the reshape op's "infer this size"
}

// `grad` reshaped to `input`'s shape (same element count).
inline graph::Value reshape_like(const graph::Value& grad, const graph::Value& input,
                                 const graph::Node& node) {
  if (grad.shape() == input.shape()) return grad;
  return ops::reshape(grad, reshape_target(input.shape().dims(), node));
}

// The reduced axes of a reduction node over an input of `rank`, normalized
// and ascending; an empty `axis` attribute means all axes.
inline std::vector<std::int64_t> reduced_axes(const graph::Node& node, std::int64_t rank) {
  const std::vector<std::int64_t>& axis = node.attrs().get_ints("axis");
  std::vector<std::int64_t> axes;
  for (std::int64_t a = 0; a < rank; ++a) {
    if (axis.empty()) axes.push_back(a);
  }
  for (std::int64_t a : axis) axes.push_back(normalize_axis(a, rank, node.op()));
  std::sort(axes.begin(), axes.end());
  return axes;
}

// Puts size-1 axes back at `axes` (ascending), undoing a squeeze or a
// reduction without keepdims; works whatever dimensions are unknown.
inline graph::Value expand_axes(graph::Value value, const std::vector<std::int64_t>& axes) {
  for (std::int64_t a : axes) value = ops::expand_dims(value, a);
  return value;
}

}  // namespace keras::autodiff
