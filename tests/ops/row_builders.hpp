#pragma once
// Builders for op table rows, shared by every *_cases.cpp: they fill OpCase
// and InputSpec by assignment so that a row names only what it changes.
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "op_case.hpp"

namespace keras::testing {

using RowBuild = std::function<std::vector<graph::Value>(const std::vector<graph::Value>&)>;

// Random floating input, uniform in [low, high); float32 means "run in
// float32 and float64".
inline InputSpec random_input(Shape shape, double low = -2.0, double high = 2.0) {
  InputSpec spec;
  spec.shape = std::move(shape);
  spec.low = low;
  spec.high = high;
  return spec;
}

// Explicit values in row-major order.
inline InputSpec given_input(Shape shape, std::vector<double> values,
                             DType dtype = DType::float32) {
  InputSpec spec;
  spec.shape = std::move(shape);
  spec.dtype = dtype;
  spec.values = std::move(values);
  return spec;
}

// Random integers (or bools) in [low, high).
inline InputSpec random_integers(Shape shape, DType dtype, double low, double high) {
  InputSpec spec = random_input(std::move(shape), low, high);
  spec.dtype = dtype;
  return spec;
}

// Part of the run but not of the gradient check (labels, for example).
inline InputSpec constant_input(InputSpec spec) {
  spec.differentiable = false;
  return spec;
}

inline OpCase row(std::string name, std::vector<InputSpec> inputs, RowBuild build,
                  std::vector<std::vector<double>> expected = {}) {
  OpCase c;
  c.name = std::move(name);
  c.inputs = std::move(inputs);
  c.build = std::move(build);
  c.expected = std::move(expected);
  return c;
}

// A row whose outputs are gradients, random or not floating: no finite differences.
inline OpCase without_gradients(OpCase c) {
  c.check_gradients = false;
  return c;
}

}  // namespace keras::testing
