// The op-table driver builds every row a second time with axis 0 of each
// input unknown, but checks only shapes then. Gradient rules are where
// unknown sizes matter most (counts, offsets and reshape targets are fixed
// at build time), so the rows registered with
// values_checked_with_unknown_batch also compare their values in that build.
#include <catch2/catch.hpp>

#include <cmath>

#include "keras/backend/function.hpp"
#include "shape_rows.hpp"

namespace keras::testing {

namespace {

std::vector<graph::Value> build_with_unknown_batch(const OpCase& c, std::vector<Tensor>& feeds) {
  std::vector<graph::Value> inputs;
  for (const InputSpec& spec : c.inputs) {
    std::vector<std::int64_t> dims = spec.shape.dims();
    if (!dims.empty()) dims[0] = Shape::kUnknown;
    const DType dtype = is_floating(spec.dtype) ? DType::float64 : spec.dtype;
    inputs.push_back(ops::placeholder(Shape(dims), dtype));
    feeds.push_back(Tensor(spec.shape, spec.values).astype(dtype));
  }
  return inputs;
}

void check_row(const OpCase& c) {
  auto graph = graph::Graph::create();
  graph::GraphScope scope(graph);
  std::vector<Tensor> feeds;
  const std::vector<graph::Value> inputs = build_with_unknown_batch(c, feeds);
  const std::vector<graph::Value> outputs = c.build(inputs);
  std::vector<graph::TensorType> types;
  for (const Tensor& t : feeds) types.push_back({t.dtype(), t.shape()});
  auto plan = backend::compile(inputs, types, outputs, {}, backend::reference_backend());
  const std::vector<Tensor> results = plan->run(feeds, backend::RunOptions{0});
  REQUIRE(results.size() == c.expected.size());
  for (std::size_t k = 0; k < results.size(); ++k) {
    const std::vector<double> actual = results[k].to_vector<double>();
    INFO(c.name << " output " << k << " with the batch unknown");
    REQUIRE(actual.size() == c.expected[k].size());
    for (std::size_t i = 0; i < actual.size(); ++i) {
      CHECK(std::abs(actual[i] - c.expected[k][i]) <= 1e-9 + 1e-9 * std::abs(c.expected[k][i]));
    }
  }
}

}  // namespace

TEST_CASE("hand-worked values hold with the batch unknown", "[ops][unknown_batch]") {
  for (const OpCase& c : op_cases()) {
    if (!c.check_unknown_batch || unknown_batch_value_rows().count(c.name) == 0) continue;
    DYNAMIC_SECTION(c.name) {
      check_row(c);
    }
  }
}

}  // namespace keras::testing
