// Rows of batch normalization. batch_norm_training rows return all three
// outputs, so the gradient check covers the statistics' gradients as well as
// batch_norm_grad (through the y gradient). batch_norm_grad's own rows check
// it against hand-worked values; its VJP (second derivatives) is not
// supported, so they skip the gradient check.
#include <catch2/catch.hpp>

#include "keras/graph/gradient_ops.hpp"
#include "keras/graph/ops.hpp"
#include "row_helpers.hpp"

namespace keras::testing {

namespace {

using namespace rows;

Build training_of(std::int64_t axis = -1, double epsilon = 1e-3) {
  return [=](const std::vector<Value>& in) {
    const ops::BatchNormTraining r = ops::batch_norm_training(in[0], in[1], in[2], axis, epsilon);
    return std::vector<Value>{r.output, r.mean, r.variance};
  };
}

Build inference_of(std::int64_t axis = -1, double epsilon = 1e-3) {
  return [=](const std::vector<Value>& in) {
    return std::vector<Value>{
        ops::batch_norm_inference(in[0], in[1], in[2], in[3], in[4], axis, epsilon)};
  };
}

Build grad_of(std::int64_t axis = -1, double epsilon = 1e-3) {
  return [=](const std::vector<Value>& in) {
    const ops::BatchNormGrad g =
        ops::batch_norm_grad(in[0], in[1], in[2], in[3], in[4], axis, epsilon);
    return std::vector<Value>{g.dx, g.dgamma, g.dbeta};
  };
}

// Values normalized to O(1) are compared in float32 after sums in different
// orders on the two backends.
OpCase norm_row(std::string name, std::vector<InputSpec> inputs, Build build,
                std::vector<std::vector<double>> expected = {}) {
  OpCase c = row(std::move(name), std::move(inputs), std::move(build), std::move(expected));
  c.atol32 = 1e-5;
  return c;
}

InputSpec r(Shape shape) {
  return random_input(std::move(shape));
}
InputSpec positive(Shape shape) {
  return random_input(std::move(shape), 0.5, 2.0);
}

std::vector<OpCase> training_cases() {
  return {
      // x = (1, 2, 3, 4): mean 2.5, variance (2.25 + 0.25 + 0.25 + 2.25) / 4 = 1.25;
      // y = (x - 2.5) / sqrt(1.251) * 2 + 1 = (-1.6822089, 0.1059304, 1.8940696, 3.6822089).
      norm_row("batch_norm_training (4, 1)",
               {given_input({4, 1}, {1, 2, 3, 4}), given_input({1}, {2}), given_input({1}, {1})},
               training_of(),
               {{-1.6822089039291006, 0.10593036535696643, 1.8940696346430337, 3.6822089039291006},
                {2.5},
                {1.25}}),
      norm_row("batch_norm_training (5, 3)", {r({5, 3}), r({3}), r({3})}, training_of()),
      norm_row("batch_norm_training (2, 3, 4) axis 1", {r({2, 3, 4}), r({3}), r({3})},
               training_of(1)),
      norm_row("batch_norm_training (3, 2, 2, 4) axis -1 epsilon 1e-5",
               {r({3, 2, 2, 4}), r({4}), r({4})}, training_of(-1, 1e-5)),
      norm_row("batch_norm_training (4, 3, 2) axis 0", {r({4, 3, 2}), r({4}), r({4})},
               training_of(0)),
      norm_row("batch_norm_training batch 1 (1, 4)", {r({1, 4}), r({4}), r({4})}, training_of()),
  };
}

std::vector<OpCase> inference_cases() {
  return {
      // epsilon 1: sqrt(3 + 1) = 2 and sqrt(8 + 1) = 3, so
      // y = ((1-1)/2*2 + 0.5, (2-2)/3*3 - 1, (3-1)/2*2 + 0.5, (4-2)/3*3 - 1) = (0.5, -1, 2.5, 1).
      norm_row("batch_norm_inference (2, 2) epsilon 1",
               {given_input({2, 2}, {1, 2, 3, 4}), given_input({2}, {1, 2}),
                given_input({2}, {3, 8}), given_input({2}, {2, 3}), given_input({2}, {0.5, -1})},
               inference_of(-1, 1.0), {{0.5, -1, 2.5, 1}}),
      norm_row("batch_norm_inference (4, 3)", {r({4, 3}), r({3}), positive({3}), r({3}), r({3})},
               inference_of()),
      norm_row("batch_norm_inference (2, 3, 5) axis 1",
               {r({2, 3, 5}), r({3}), positive({3}), r({3}), r({3})}, inference_of(1)),
      norm_row("batch_norm_inference batch 1 (1, 2, 2, 3)",
               {r({1, 2, 2, 3}), r({3}), positive({3}), r({3}), r({3})}, inference_of()),
  };
}

std::vector<OpCase> grad_cases() {
  // x = (1, 2, 3, 4) with its batch statistics, gamma 2, dy = (1, 0, 0, 0), epsilon 1e-3:
  // s = 1 / sqrt(1.251), xhat = (x - 2.5) * s, dbeta = sum(dy) = 1,
  // dgamma = sum(dy * xhat) = -1.5 * s = -1.3411045,
  // dx = 2 * s / 4 * (4 * dy - 1 - xhat * dgamma) = (0.5370850, -0.7150413, -0.1790283, 0.3569846).
  return {
      without_gradients(norm_row(
          "batch_norm_grad (4, 1)",
          {given_input({4, 1}, {1, 2, 3, 4}), given_input({1}, {2}), given_input({1}, {2.5}),
           given_input({1}, {1.25}), given_input({4, 1}, {1, 0, 0, 0})},
          grad_of(),
          {{0.5370849963503115, -0.7150413025262631, -0.1790283321167705, 0.3569846382927221},
           {-1.3411044519645503},
           {1}})),
      without_gradients(norm_row("batch_norm_grad (2, 3, 4) axis 1",
                                 {r({2, 3, 4}), r({3}), r({3}), positive({3}), r({2, 3, 4})},
                                 grad_of(1))),
  };
}

std::vector<OpCase> all_cases() {
  std::vector<OpCase> cases = training_cases();
  for (OpCase& c : inference_cases()) cases.push_back(std::move(c));
  for (OpCase& c : grad_cases()) cases.push_back(std::move(c));
  return cases;
}

static RegisterCases cases(all_cases());

}  // namespace

TEST_CASE("batch normalization checks its per-channel operands", "[ops][batch_norm]") {
  using Catch::Matchers::Contains;
  auto graph = graph::Graph::create();
  graph::GraphScope scope(graph);
  const Value x = ops::placeholder({Shape::kUnknown, 8, 8, 3});
  const Value gamma = ops::placeholder({3});
  REQUIRE_THROWS_WITH(ops::batch_norm_training(x, ops::placeholder({4}), gamma),
                      Contains("gamma must have shape (3,)") && Contains("got (4,)"));
  REQUIRE_THROWS_WITH(ops::batch_norm_training(x, gamma, gamma, 4), Contains("axis 4"));
  REQUIRE_THROWS_WITH(ops::batch_norm_training(x, gamma, gamma, -1, -1.0), Contains("epsilon"));
  const Value rows_gamma = ops::placeholder({8});
  const ops::BatchNormTraining r = ops::batch_norm_training(x, rows_gamma, rows_gamma, 1);
  CHECK(r.mean.shape() == Shape{8});
  CHECK(r.output.shape() == x.shape());
}

TEST_CASE("batch normalization gradients agree with the batch unknown",
          "[ops][batch_norm][unknown_batch]") {
  for (const OpCase& c : all_cases()) {
    DYNAMIC_SECTION(c.name) {
      rows::check_gradients_with_unknown_batch(c);
    }
  }
}

}  // namespace keras::testing
