#pragma once
// For ops whose inputs must all have one shape (the gradient ops, which take
// forward values and their gradient): the shape they share.
#include <fmt/format.h>

#include "keras/graph/op_def.hpp"

namespace keras::graph {

// The shape every input of `context` has, each unknown size taken from an
// input where it is known; fails unless all inputs are compatible with input 0.
inline Shape common_input_shape(const InferContext& context) {
  const Shape& first = context.input(0).shape;
  std::vector<std::int64_t> dims = first.dims();
  for (int i = 1; i < context.num_inputs(); ++i) {
    const Shape& other = context.input(i).shape;
    if (!first.is_compatible_with(other)) {
      context.fail(fmt::format("all inputs must have one shape; input 0 is {} but input {} is {}",
                               first.to_string(), i, other.to_string()));
    }
    for (std::size_t axis = 0; axis < dims.size(); ++axis) {
      if (dims[axis] == Shape::kUnknown) dims[axis] = other[axis];
    }
  }
  return Shape(std::move(dims));
}

}  // namespace keras::graph
