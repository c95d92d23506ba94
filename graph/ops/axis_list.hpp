#pragma once
// Helpers shared by the ops that take a list of axes (reductions, squeeze,
// transpose): normalizing the list against a rank and printing it in
// messages the way Keras users write it.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "keras/graph/op_def.hpp"

namespace keras::graph {

// "[0, -1]"
inline std::string ints_to_string(const std::vector<std::int64_t>& values) {
  return fmt::format("[{}]", fmt::join(values, ", "));
}

// Each axis mapped into [0, rank), sorted; fails on an axis out of range or
// named twice.
inline std::vector<std::int64_t> normalize_axis_list(const InferContext& context,
                                                     const std::vector<std::int64_t>& axes,
                                                     std::int64_t rank) {
  std::vector<std::int64_t> normalized;
  normalized.reserve(axes.size());
  for (std::int64_t axis : axes) normalized.push_back(context.axis(axis, rank));
  std::sort(normalized.begin(), normalized.end());
  if (std::adjacent_find(normalized.begin(), normalized.end()) != normalized.end()) {
    context.fail(fmt::format("axis {} names the same axis more than once", ints_to_string(axes)));
  }
  return normalized;
}

}  // namespace keras::graph
