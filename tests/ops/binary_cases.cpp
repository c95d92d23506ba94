// Rows of the binary family: arithmetic and comparisons, with broadcasting,
// integer operands and dtype promotion.
#include <catch2/catch.hpp>

#include "elementwise_case_helpers.hpp"
#include "keras/graph/ops.hpp"

namespace keras::testing {

namespace {

using namespace elementwise;

struct Arithmetic {
  const char* name;
  const char* symbol;
  Value (*op)(const Value&, const Value&);
  // Input domains: divide keeps the divisor away from 0, power keeps the
  // base positive (log(a) in d/db).
  double a_low, a_high, b_low, b_high;
};

std::vector<Arithmetic> arithmetic_ops() {
  return {{"add", "+", ops::add, -2, 2, -2, 2},
          {"subtract", "-", ops::subtract, -2, 2, -2, 2},
          {"multiply", "*", ops::multiply, -2, 2, -2, 2},
          {"divide", "/", ops::divide, -2, 2, 0.5, 2},
          {"power", "**", ops::power, 0.5, 2, -2, 2},
          // Continuous random operands never tie, so the kink is not hit.
          {"maximum", "vs", ops::maximum, -2, 2, -2, 2},
          {"minimum", "vs", ops::minimum, -2, 2, -2, 2}};
}

std::vector<OpCase> random_arithmetic_cases() {
  std::vector<OpCase> cases;
  for (const Arithmetic& op : arithmetic_ops()) {
    for (const auto& [a, b] : binary_shape_pairs()) {
      cases.push_back(OpCase{
          .name = fmt::format("{} {} {} {}", op.name, a.to_string(), op.symbol, b.to_string()),
          .inputs = {random_input(a, op.a_low, op.a_high), random_input(b, op.b_low, op.b_high)},
          .build = binary(op.op),
          .expected = {}});
    }
  }
  return cases;
}

struct Comparison {
  const char* name;
  Value (*op)(const Value&, const Value&);
  // For a = [1, 2, 3] against b = [2, 2, 2].
  std::vector<double> expected;
};

std::vector<Comparison> comparison_ops() {
  return {{"equal", ops::equal, {0, 1, 0}},     {"not_equal", ops::not_equal, {1, 0, 1}},
          {"greater", ops::greater, {0, 0, 1}}, {"greater_equal", ops::greater_equal, {0, 1, 1}},
          {"less", ops::less, {1, 0, 0}},       {"less_equal", ops::less_equal, {1, 1, 0}}};
}

std::vector<OpCase> comparison_cases() {
  std::vector<OpCase> cases;
  for (const Comparison& op : comparison_ops()) {
    cases.push_back(OpCase{.name = fmt::format("{} (3,) vs (3,) hand-worked", op.name),
                           .inputs = {given_input({3}, {1, 2, 3}), given_input({3}, {2, 2, 2})},
                           .build = binary(op.op),
                           .expected = {op.expected}});
    // Integer operands compare exactly; the same values as above.
    cases.push_back(OpCase{
        .name = fmt::format("{} int32 (3,) vs () hand-worked", op.name),
        .inputs = {given_input({3}, {1, 2, 3}, DType::int32), given_input({}, {2}, DType::int32)},
        .build = binary(op.op),
        .expected = {op.expected}});
    for (const auto& [a, b] : {std::pair<Shape, Shape>{{2, 3}, {3}}, {{4, 1}, {1, 3}}}) {
      cases.push_back(
          OpCase{.name = fmt::format("{} {} vs {}", op.name, a.to_string(), b.to_string()),
                 .inputs = {random_input(a), random_input(b)},
                 .build = binary(op.op),
                 .expected = {}});
    }
  }
  return cases;
}

std::vector<OpCase> hand_worked_cases() {
  return {
      // [[1, 2, 3], [4, 5, 6]] + [10, 20, 30]
      {.name = "add (2, 3) + (3,) hand-worked",
       .inputs = {given_input({2, 3}, {1, 2, 3, 4, 5, 6}), given_input({3}, {10, 20, 30})},
       .build = binary(ops::add),
       .expected = {{11, 22, 33, 14, 25, 36}}},
      // [5, 7] - 2
      {.name = "subtract (2,) - () hand-worked",
       .inputs = {given_input({2}, {5, 7}), given_input({}, {2})},
       .build = binary(ops::subtract),
       .expected = {{3, 5}}},
      // [[1], [2]] * [[3, 4, 5]]: the outer product.
      {.name = "multiply (2, 1) * (1, 3) hand-worked",
       .inputs = {given_input({2, 1}, {1, 2}), given_input({1, 3}, {3, 4, 5})},
       .build = binary(ops::multiply),
       .expected = {{3, 4, 5, 6, 8, 10}}},
      // [1 / 2, -3 / 4, 2.5 / -0.5]
      {.name = "divide (3,) / (3,) hand-worked",
       .inputs = {given_input({3}, {1, -3, 2.5}), given_input({3}, {2, 4, -0.5})},
       .build = binary(ops::divide),
       .expected = {{0.5, -0.75, -5}}},
      // [2^3, 9^0.5, 0.5^-1]
      {.name = "power (3,) ** (3,) hand-worked",
       .inputs = {given_input({3}, {2, 9, 0.5}), given_input({3}, {3, 0.5, -1})},
       .build = binary(ops::power),
       .expected = {{8, 3, 2}}},
      {.name = "maximum (4,) vs (4,) hand-worked",
       .inputs = {given_input({4}, {1, -2, 3, 0.5}), given_input({4}, {0.5, -1, 4, 0.25})},
       .build = binary(ops::maximum),
       .expected = {{1, -1, 4, 0.5}}},
      {.name = "minimum (4,) vs (4,) hand-worked",
       .inputs = {given_input({4}, {1, -2, 3, 0.5}), given_input({4}, {0.5, -1, 4, 0.25})},
       .build = binary(ops::minimum),
       .expected = {{0.5, -2, 3, 0.25}}},
      // [[1, 2], [3, 4]] + [10, -20]
      {.name = "add int32 (2, 2) + (2,) hand-worked",
       .inputs = {given_input({2, 2}, {1, 2, 3, 4}, DType::int32),
                  given_input({2}, {10, -20}, DType::int32)},
       .build = binary(ops::add),
       .expected = {{11, -18, 13, -16}}},
      // [2 - 5, -3 - 6, 4 + 7]
      {.name = "subtract int64 (3,) - (3,) hand-worked",
       .inputs = {given_input({3}, {2, -3, 4}, DType::int64),
                  given_input({3}, {5, 6, -7}, DType::int64)},
       .build = binary(ops::subtract),
       .expected = {{-3, -9, 11}}},
      // [2 * 5, -3 * 6, 4 * -7]
      {.name = "multiply int64 (3,) * (3,) hand-worked",
       .inputs = {given_input({3}, {2, -3, 4}, DType::int64),
                  given_input({3}, {5, 6, -7}, DType::int64)},
       .build = binary(ops::multiply),
       .expected = {{10, -18, -28}}},
      {.name = "maximum int32 (3,) vs () hand-worked",
       .inputs = {given_input({3}, {-4, 0, 9}, DType::int32), given_input({}, {1}, DType::int32)},
       .build = binary(ops::maximum),
       .expected = {{1, 1, 9}}},
      {.name = "minimum int32 (3,) vs () hand-worked",
       .inputs = {given_input({3}, {-4, 0, 9}, DType::int32), given_input({}, {1}, DType::int32)},
       .build = binary(ops::minimum),
       .expected = {{-4, 0, 1}}},
      // Keras' true division: int32 operands give float32, [1 / 2, 3 / 4].
      {.name = "divide int32 (2,) / (2,) gives float32 hand-worked",
       .inputs = {given_input({2}, {1, 3}, DType::int32), given_input({2}, {2, 4}, DType::int32)},
       .build = binary(ops::divide),
       .expected = {{0.5, 0.75}}},
      // The int32 operand is cast to the floating one's dtype: [0.5 + 2, -1 + 3].
      {.name = "add (2,) + int32 (2,) promotes hand-worked",
       .inputs = {given_input({2}, {0.5, -1}), given_input({2}, {2, 3}, DType::int32)},
       .build = binary(ops::add),
       .expected = {{2.5, 2}}},
      // [1 == 1, 0 == 1, 1 == 0]
      {.name = "equal bool (3,) vs (3,) hand-worked",
       .inputs = {given_input({3}, {1, 0, 1}, DType::bool_),
                  given_input({3}, {1, 1, 0}, DType::bool_)},
       .build = binary(ops::equal),
       .expected = {{1, 0, 0}}},
      // The Value-with-number operators: for x = [1, -2], (x + 1) * 3 - 1 =
      // [5, -4]; 0.5 * that / 2 = [1.25, -1]; 4 - that = [2.75, 5].
      {.name = "Value with double operators (2,) hand-worked",
       .inputs = {given_input({2}, {1, -2})},
       .build = unary([](const Value& x) { return 4.0 - 0.5 * ((x + 1.0) * 3.0 - 1.0) / 2.0; }),
       .expected = {{2.75, 5}}},
  };
}

std::vector<OpCase> all_cases() {
  std::vector<OpCase> cases = hand_worked_cases();
  for (auto* family : {random_arithmetic_cases, comparison_cases}) {
    for (OpCase& c : family()) cases.push_back(std::move(c));
  }
  return cases;
}

RegisterCases cases(all_cases());

}  // namespace

TEST_CASE("binary ops reject shapes that do not broadcast", "[ops][binary]") {
  auto graph = graph::Graph::create();
  graph::GraphScope scope(graph);
  Value a = ops::placeholder({2, 3});
  Value b = ops::placeholder({4});
  REQUIRE_THROWS_WITH(ops::add(a, b), Catch::Contains("shapes (2, 3) and (4,) cannot be "
                                                      "broadcast together: axis -1 has sizes 3 "
                                                      "and 4"));
}

TEST_CASE("binary ops broadcast unknown sizes", "[ops][binary]") {
  auto graph = graph::Graph::create();
  graph::GraphScope scope(graph);
  Value a = ops::placeholder({Shape::kUnknown, 1, 3});
  Value b = ops::placeholder({Shape::kUnknown, 1});
  CHECK(ops::multiply(a, b).shape() == Shape({Shape::kUnknown, Shape::kUnknown, 3}));
  Value c = ops::placeholder({Shape::kUnknown});
  CHECK(ops::greater(a, c).shape() == Shape({Shape::kUnknown, 1, 3}));
  CHECK(ops::greater(a, c).dtype() == DType::bool_);
}

TEST_CASE("divide and power reject integer operands after promotion", "[ops][binary]") {
  auto graph = graph::Graph::create();
  graph::GraphScope scope(graph);
  Value a = ops::placeholder({2}, DType::int32);
  REQUIRE_THROWS_WITH(ops::power(a, a), Catch::Contains("must be float32 or float64, got int32"));
}

}  // namespace keras::testing
