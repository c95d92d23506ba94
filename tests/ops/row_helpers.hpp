#pragma once
// Row builders for the sources, matmul, dropout, cross_entropy, batch_norm and
// identity rows. They fill OpCase and InputSpec by assignment so that rows
// name only what they change (aggregate initializers that skip members warn
// under -Wextra).
#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "keras/autodiff/gradients.hpp"
#include "keras/backend/function.hpp"
#include "op_case.hpp"
#include "row_builders.hpp"

namespace keras::testing::rows {

using graph::Value;
using Build = RowBuild;

namespace detail {

// The row's inputs in float64: its given values, else uniform in [low, high).
inline std::vector<Tensor> float64_feeds(const OpCase& c) {
  std::mt19937_64 rng(std::hash<std::string>()(c.name) ^ 0x5eedULL);
  std::vector<Tensor> feeds;
  for (const InputSpec& spec : c.inputs) {
    std::vector<double> values = spec.values;
    if (values.empty()) {
      std::uniform_real_distribution<double> uniform(spec.low, spec.high);
      for (std::int64_t i = 0; i < spec.shape.num_elements(); ++i) values.push_back(uniform(rng));
    }
    feeds.push_back(Tensor(spec.shape, values).astype(DType::float64));
  }
  return feeds;
}

// d(sum_k 0.5 * sum(output_k^2)) / d(input) for the differentiable inputs,
// built on placeholders whose axis 0 is unknown or not, run on `feeds`.
inline std::vector<Tensor> gradients_of_squares(const OpCase& c, const std::vector<Tensor>& feeds,
                                                bool unknown_batch) {
  auto graph = graph::Graph::create();
  graph::GraphScope scope(graph);
  std::vector<Value> inputs;
  std::vector<Value> wrt;
  std::vector<graph::TensorType> types;
  for (std::size_t i = 0; i < c.inputs.size(); ++i) {
    std::vector<std::int64_t> dims = c.inputs[i].shape.dims();
    if (unknown_batch && !dims.empty()) dims[0] = Shape::kUnknown;
    inputs.push_back(ops::placeholder(Shape(dims), DType::float64));
    if (c.inputs[i].differentiable) wrt.push_back(inputs.back());
    types.push_back({DType::float64, c.inputs[i].shape});
  }
  Value loss;
  for (const Value& output : c.build(inputs)) {
    if (!is_floating(output.dtype())) continue;
    const Value term = ops::sum(output * output) * 0.5;
    loss = loss.valid() ? loss + term : term;
  }
  const std::vector<Value> grads = autodiff::gradients(loss, wrt);
  auto plan = backend::compile(inputs, types, grads, {}, backend::reference_backend());
  return plan->run(feeds, backend::RunOptions{0});
}

}  // namespace detail

// The driver checks gradients only with known shapes; rules that count
// elements or broadcast batch axes build different ops when the batch is
// unknown. This runs the row's gradients both ways and compares them.
inline void check_gradients_with_unknown_batch(const OpCase& c) {
  if (!c.check_gradients || !c.check_unknown_batch || c.inputs.empty()) return;
  INFO(c.name << ": gradients with the batch unknown against the batch known");
  const std::vector<Tensor> feeds = detail::float64_feeds(c);
  const std::vector<Tensor> known = detail::gradients_of_squares(c, feeds, false);
  const std::vector<Tensor> unknown = detail::gradients_of_squares(c, feeds, true);
  REQUIRE(known.size() == unknown.size());
  for (std::size_t k = 0; k < known.size(); ++k) {
    REQUIRE(unknown[k].shape() == known[k].shape());
    const std::vector<double> a = known[k].to_vector<double>();
    const std::vector<double> b = unknown[k].to_vector<double>();
    for (std::size_t i = 0; i < a.size(); ++i) {
      INFO("gradient " << k << " element " << i);
      CHECK(std::abs(a[i] - b[i]) <= 1e-10 * (1.0 + std::abs(a[i])));
    }
  }
}

}  // namespace keras::testing::rows
