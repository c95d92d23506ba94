#pragma once
// Running ops emitted by a function (an activation, a regularizer, a
// constraint) on a value, and checking their gradient against central
// differences in float64.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

#include "keras/autodiff/gradients.hpp"
#include "keras/backend/function.hpp"
#include "keras/graph/ops.hpp"

namespace keras::testing {

// `emit` applied to a placeholder fed with `x`: the value it computes.
template <class Emit>
Tensor apply(const Emit& emit, const Tensor& x) {
  auto graph = graph::Graph::create();
  graph::GraphScope scope(graph);
  auto input = ops::placeholder(x.shape(), x.dtype());
  auto f = backend::function(std::vector<graph::Value>{input}, {emit(input)});
  return f({x})[0];
}

// Autodiff against central differences of sum(emit(x) * r) at `x` (float64),
// with r = 1, 2, 3, ... so that every output element counts differently.
template <class Emit>
void check_gradient(const Emit& emit, const Tensor& x) {
  auto graph = graph::Graph::create();
  graph::GraphScope scope(graph);
  auto input = ops::placeholder(x.shape(), DType::float64);
  auto y = emit(input);
  std::vector<double> ramp(static_cast<std::size_t>(y.shape().num_elements()));
  for (std::size_t i = 0; i < ramp.size(); ++i) ramp[i] = static_cast<double>(i + 1);
  auto probe = ops::sum(y * ops::constant(Tensor(y.shape(), ramp)));
  auto grad = autodiff::gradients(probe, {input})[0];
  auto f = backend::function(std::vector<graph::Value>{input}, {probe, grad});
  const std::vector<double> analytic = f({x})[1].template to_vector<double>();
  std::vector<double> values = x.to_vector<double>();
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double eps = 1e-6 * std::max(1.0, std::abs(values[i]));
    std::vector<double> up = values, down = values;
    up[i] += eps;
    down[i] -= eps;
    const double numeric =
        (f({Tensor(x.shape(), up)})[0].item() - f({Tensor(x.shape(), down)})[0].item()) / (2 * eps);
    INFO("element " << i << ": numeric " << numeric << ", autodiff " << analytic[i]);
    CHECK(std::abs(numeric - analytic[i]) <= 1e-5 + 1e-3 * std::abs(numeric));
  }
}

}  // namespace keras::testing
