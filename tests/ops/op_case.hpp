#pragma once
// One row of the op test table (see tests/ops/README.md). The driver
// (op_table_test.cpp) runs every row four ways:
//  1. the reference backend against `expected` (when given), float64 and float32;
//  2. the oneDNN backend against the reference backend, float32, rtol 1e-5;
//  3. gradients against central finite differences, float64, reference backend;
//  4. the inferred output shapes against the shapes actually produced, also
//     with axis 0 of every input unknown (the batch).
#include <functional>
#include <string>
#include <vector>

#include "keras/graph/graph.hpp"
#include "keras/graph/ops.hpp"

namespace keras::testing {

struct InputSpec {
  Shape shape;  // fully known
  // float32 means "floating": the driver runs the row in float32 and float64.
  DType dtype = DType::float32;
  double low = -2.0;  // random inputs are uniform in [low, high)
  double high = 2.0;
  std::vector<double> values = {};  // explicit values in row-major order; empty: random
  bool differentiable = true;       // part of the gradient check (floating inputs only)
};

struct OpCase {
  std::string name;  // with its parameters: "add (2, 3) + (3,)"
  std::vector<InputSpec> inputs;
  // Emits the op under test on placeholders shaped as `inputs`; returns the
  // values to check.
  std::function<std::vector<graph::Value>(const std::vector<graph::Value>&)> build;
  // Hand-worked outputs (row-major, one vector per returned value); the
  // arithmetic goes in a comment beside the row.
  std::vector<std::vector<double>> expected = {};
  bool check_gradients = true;
  bool check_unknown_batch = true;
  bool compare_backends = true;
  // Tolerances of the float32 comparisons (|a - b| <= atol + rtol * |ref|).
  double rtol32 = 1e-5;
  double atol32 = 1e-6;
};

std::vector<OpCase>& op_cases();

// At namespace scope in a cases file: static RegisterCases cases({...});
struct RegisterCases {
  explicit RegisterCases(std::vector<OpCase> cases);
};

}  // namespace keras::testing
