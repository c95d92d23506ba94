// Rows of the cross entropies: hand-worked losses, then random rows with
// labels in [0, 1) (not normalized, which the exact gradients allow) and
// gradients checked for both labels and logits.
#include <catch2/catch.hpp>

#include "keras/graph/ops.hpp"
#include "row_helpers.hpp"

namespace keras::testing {

namespace {

using namespace rows;

Build softmax_cross_entropy_of(std::int64_t axis = -1) {
  return [=](const std::vector<Value>& in) {
    return std::vector<Value>{ops::softmax_cross_entropy(in[0], in[1], axis)};
  };
}

Build sigmoid_cross_entropy_of() {
  return [](const std::vector<Value>& in) {
    return std::vector<Value>{ops::sigmoid_cross_entropy(in[0], in[1])};
  };
}

InputSpec labels(Shape shape) {
  return random_input(std::move(shape), 0.0, 1.0);
}
InputSpec logits(Shape shape) {
  return random_input(std::move(shape), -3.0, 3.0);
}

std::vector<OpCase> softmax_cases() {
  return {
      // Row 0, one-hot on class 2: log(e^1 + e^2 + e^3) - 3 = log(1 + e^-1 + e^-2)
      //   = log(1.5032147244) = 0.4076059644.
      // Row 1, one-hot on class 0 of equal logits: log(3) = 1.0986122887.
      row("softmax_cross_entropy one-hot (2, 3)",
          {given_input({2, 3}, {0, 0, 1, 1, 0, 0}), given_input({2, 3}, {1, 2, 3, 1, 1, 1})},
          softmax_cross_entropy_of(), {{0.4076059644443806, 1.09861228866811}}),
      // Soft labels (0.25, 0.25, 0.5) on logits (0, 1, 2):
      //   logsumexp = 2 + 0.4076059644 = 2.4076059644; minus 0.25 * 1 + 0.5 * 2 = 1.25
      //   gives 1.1576059644.
      row("softmax_cross_entropy soft labels (3,)",
          {given_input({3}, {0.25, 0.25, 0.5}), given_input({3}, {0, 1, 2})},
          softmax_cross_entropy_of(), {{1.1576059644443806}}),
      // Large logits stay finite: (1000, 0) with label on class 0 gives log(1 + e^-1000) = 0.
      row("softmax_cross_entropy large logits (2,)",
          {given_input({2}, {1, 0}), given_input({2}, {1000, 0})}, softmax_cross_entropy_of(),
          {{0}}),
      row("softmax_cross_entropy (4, 5)", {labels({4, 5}), logits({4, 5})},
          softmax_cross_entropy_of()),
      row("softmax_cross_entropy (3, 4, 2) axis 1", {labels({3, 4, 2}), logits({3, 4, 2})},
          softmax_cross_entropy_of(1)),
      row("softmax_cross_entropy (2, 3, 4) axis 0", {labels({2, 3, 4}), logits({2, 3, 4})},
          softmax_cross_entropy_of(0)),
      row("softmax_cross_entropy batch 1 (1, 10)", {labels({1, 10}), logits({1, 10})},
          softmax_cross_entropy_of()),
      row("softmax_cross_entropy (7,)", {labels({7}), logits({7})}, softmax_cross_entropy_of()),
  };
}

std::vector<OpCase> sigmoid_cases() {
  return {
      // max(x, 0) - x z + log1p(exp(-|x|)) at (z, x) = (0, -1), (1, 0), (1, 2), (0, 3):
      //   log1p(e^-1) = 0.3132616875, log(2) = 0.6931471806,
      //   2 - 2 + log1p(e^-2) = 0.1269280110, 3 + log1p(e^-3) = 3.0485873516.
      row("sigmoid_cross_entropy (4,)",
          {given_input({4}, {0, 1, 1, 0}), given_input({4}, {-1, 0, 2, 3})},
          sigmoid_cross_entropy_of(),
          {{0.31326168751822286, 0.6931471805599453, 0.1269280110429725, 3.048587351573742}}),
      // Large |x| stays finite: x = 1000, z = 1 gives 0; x = -1000, z = 1 gives 1000.
      row("sigmoid_cross_entropy large logits (2,)",
          {given_input({2}, {1, 1}), given_input({2}, {1000, -1000})}, sigmoid_cross_entropy_of(),
          {{0, 1000}}),
      row("sigmoid_cross_entropy (3, 4)", {labels({3, 4}), logits({3, 4})},
          sigmoid_cross_entropy_of()),
      row("sigmoid_cross_entropy ()", {labels({}), logits({})}, sigmoid_cross_entropy_of()),
      row("sigmoid_cross_entropy (4,) labels against (3, 4) logits", {labels({4}), logits({3, 4})},
          sigmoid_cross_entropy_of()),
      row("sigmoid_cross_entropy (2, 3, 2)", {labels({2, 3, 2}), logits({2, 3, 2})},
          sigmoid_cross_entropy_of()),
  };
}

std::vector<OpCase> all_cases() {
  std::vector<OpCase> cases = softmax_cases();
  for (OpCase& c : sigmoid_cases()) cases.push_back(std::move(c));
  return cases;
}

static RegisterCases cases(all_cases());

}  // namespace

TEST_CASE("softmax_cross_entropy checks its operands", "[ops][cross_entropy]") {
  using Catch::Matchers::Contains;
  auto graph = graph::Graph::create();
  graph::GraphScope scope(graph);
  const Value logits = ops::placeholder({Shape::kUnknown, 10});
  REQUIRE_THROWS_WITH(ops::softmax_cross_entropy(ops::placeholder({4, 9}), logits),
                      Contains("labels (4, 9) and logits (None, 10) must have the same shape"));
  REQUIRE_THROWS_WITH(ops::softmax_cross_entropy(logits, logits, 2), Contains("axis 2"));
  // Integer labels take the logits' dtype.
  const Value loss = ops::softmax_cross_entropy(ops::placeholder({4, 10}, DType::int32), logits);
  CHECK(loss.shape() == Shape{4});
  CHECK(loss.dtype() == DType::float32);
}

TEST_CASE("cross entropy gradients agree with the batch unknown",
          "[ops][cross_entropy][unknown_batch]") {
  for (const OpCase& c : all_cases()) {
    DYNAMIC_SECTION(c.name) {
      rows::check_gradients_with_unknown_batch(c);
    }
  }
}

}  // namespace keras::testing
