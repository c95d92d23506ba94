// Rows of dropout: rate 0 is the identity (hand-worked); other rates check
// shapes, oneDNN against reference (one generator for both) and the gradient
// (the mask is fixed by the seed and step, so finite differences see it).
#include <catch2/catch.hpp>

#include "keras/backend/function.hpp"
#include "keras/graph/ops.hpp"
#include "row_helpers.hpp"

namespace keras::testing {

namespace {

using namespace rows;

Build dropout_of(double rate, std::int64_t seed, std::vector<std::int64_t> noise_shape = {}) {
  return [=](const std::vector<Value>& in) {
    const ops::DropoutResult result = ops::dropout(in[0], rate, seed, noise_shape);
    return std::vector<Value>{result.output, result.mask};
  };
}

std::vector<OpCase> all_cases() {
  auto r = [](Shape shape) { return random_input(std::move(shape)); };
  return {
      // rate 0 keeps everything with scale 1 / (1 - 0) = 1.
      row("dropout rate 0 (2, 3)", {given_input({2, 3}, {1, -2, 3, -4, 5, -6})}, dropout_of(0.0, 1),
          {{1, -2, 3, -4, 5, -6}, {1, 1, 1, 1, 1, 1}}),
      row("dropout rate 0.5 (4, 5) seed 3", {r({4, 5})}, dropout_of(0.5, 3)),
      row("dropout rate 0.2 (7,) seed -1", {r({7})}, dropout_of(0.2, -1)),
      row("dropout rate 0.5 () seed 9", {r({})}, dropout_of(0.5, 9)),
      row("dropout rate 0.9 batch 1 (1, 6) seed 4", {r({1, 6})}, dropout_of(0.9, 4)),
      row("dropout rate 0.3 (6, 4) noise_shape (-1, 1)", {r({6, 4})}, dropout_of(0.3, 5, {-1, 1})),
      row("dropout rate 0.25 (3, 5) noise_shape (1, 5)", {r({3, 5})}, dropout_of(0.25, 6, {1, 5})),
      row("dropout rate 0.5 (2, 3, 4) noise_shape (-1, 1, -1)", {r({2, 3, 4})},
          dropout_of(0.5, 8, {-1, 1, -1})),
  };
}

static RegisterCases cases(all_cases());

}  // namespace

TEST_CASE("dropout rejects a rate outside [0, 1) and a bad noise_shape", "[ops][dropout]") {
  using Catch::Matchers::Contains;
  auto graph = graph::Graph::create();
  graph::GraphScope scope(graph);
  const Value x = ops::placeholder({Shape::kUnknown, 4});
  REQUIRE_THROWS_WITH(ops::dropout(x, 1.0), Contains("`rate`") && Contains("rate=1"));
  REQUIRE_THROWS_WITH(ops::dropout(x, -0.5), Contains("rate=-0.5"));
  REQUIRE_THROWS_WITH(ops::dropout(x, 0.5, 1, {1, 3}), Contains("noise_shape [1, 3]"));
  REQUIRE_THROWS_WITH(ops::dropout(x, 0.5, 1, {4}), Contains("one entry per axis"));
  CHECK(ops::dropout(x, 0.5, 1, {1, -1}).mask.shape() == Shape{1, 4});
  CHECK(ops::dropout(x, 0.5).output.node()->attrs().get_int("seed") != -1);
}

TEST_CASE("dropout's mask holds 0 or 1 / (1 - rate) and scales x", "[ops][dropout]") {
  auto graph = graph::Graph::create();
  graph::GraphScope scope(graph);
  const Value x = ops::placeholder({50, 40});
  const ops::DropoutResult result = ops::dropout(x, 0.75, 21);
  auto plan = backend::compile({x}, {{DType::float32, {50, 40}}}, {result.output, result.mask}, {},
                               backend::reference_backend());
  const std::vector<Tensor> out = plan->run({Tensor::full({50, 40}, 2.0)}, backend::RunOptions{3});
  const std::vector<double> output = out[0].to_vector<double>();
  const std::vector<double> mask = out[1].to_vector<double>();
  std::size_t kept = 0;
  for (std::size_t i = 0; i < mask.size(); ++i) {
    REQUIRE((mask[i] == 0.0 || mask[i] == 4.0));
    CHECK(output[i] == 2.0 * mask[i]);
    kept += mask[i] != 0.0;
  }
  // 2000 draws keeping 1 in 4: 500 expected, standard deviation about 19.
  CHECK(kept > 400);
  CHECK(kept < 600);
}

TEST_CASE("dropout gradients agree with the batch unknown", "[ops][dropout][unknown_batch]") {
  for (const OpCase& c : all_cases()) {
    DYNAMIC_SECTION(c.name) {
      rows::check_gradients_with_unknown_batch(c);
    }
  }
}

}  // namespace keras::testing
