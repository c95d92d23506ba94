#pragma once
// Helpers for the rows of the elementwise families (binary, unary_math,
// activations, softmax, clip): input specs, single-output builders and the
// shapes every elementwise op is run on.
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "op_case.hpp"
#include "row_builders.hpp"

namespace keras::testing::elementwise {

using graph::Value;
using Build = RowBuild;

inline Build unary(std::function<Value(const Value&)> op) {
  return [op](const std::vector<Value>& in) { return std::vector<Value>{op(in[0])}; };
}

inline Build binary(std::function<Value(const Value&, const Value&)> op) {
  return [op](const std::vector<Value>& in) { return std::vector<Value>{op(in[0], in[1])}; };
}

// A scalar, rank 1, batch 1, odd sizes and rank 3.
inline std::vector<Shape> unary_shapes() {
  return {{}, {7}, {1, 5}, {2, 3}, {3, 1, 5}};
}

// Equal shapes, scalars, and broadcasting on one side, on both sides and
// against a missing leading axis.
inline std::vector<std::pair<Shape, Shape>> binary_shape_pairs() {
  return {{{}, {}},      {{5}, {5}},   {{2, 3}, {3}},       {{4, 1}, {1, 3}},
          {{1, 7}, {7}}, {{}, {2, 3}}, {{3, 1, 5}, {2, 1}}, {{2, 3, 4}, {2, 3, 4}}};
}

}  // namespace keras::testing::elementwise
