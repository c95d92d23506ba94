// Rows of the clip family.
#include <catch2/catch.hpp>

#include "elementwise_case_helpers.hpp"
#include "keras/graph/ops.hpp"

namespace keras::testing {

namespace {

using namespace elementwise;

// Inputs in [-2, 2) against the bounds [-1, 1] hit both clipped regions; a
// continuous draw never lands on a bound, where the gradient jumps.
std::vector<OpCase> random_cases() {
  std::vector<OpCase> cases;
  for (const Shape& shape : unary_shapes()) {
    cases.push_back({.name = fmt::format("clip {} to [-1, 1]", shape.to_string()),
                     .inputs = {random_input(shape)},
                     .build = unary([](const Value& x) { return ops::clip(x, -1, 1); }),
                     .expected = {}});
  }
  cases.push_back({.name = "clip (3, 4) to [-0.5, 1.5]",
                   .inputs = {random_input({3, 4})},
                   .build = unary([](const Value& x) { return ops::clip(x, -0.5, 1.5); }),
                   .expected = {}});
  return cases;
}

std::vector<OpCase> hand_worked_cases() {
  return {
      {.name = "clip (4,) to [-1, 1] hand-worked",
       .inputs = {given_input({4}, {-2, -0.5, 0.3, 1.7})},
       .build = unary([](const Value& x) { return ops::clip(x, -1, 1); }),
       .expected = {{-1, -0.5, 0.3, 1}}},
      {.name = "clip int32 (4,) to [-1, 3] hand-worked",
       .inputs = {given_input({4}, {-5, 0, 2, 7}, DType::int32)},
       .build = unary([](const Value& x) { return ops::clip(x, -1, 3); }),
       .expected = {{-1, 0, 2, 3}}},
  };
}

std::vector<OpCase> all_cases() {
  std::vector<OpCase> cases = hand_worked_cases();
  for (OpCase& c : random_cases()) cases.push_back(std::move(c));
  return cases;
}

RegisterCases cases(all_cases());

}  // namespace

TEST_CASE("clip rejects min_value above max_value", "[ops][clip]") {
  auto graph = graph::Graph::create();
  graph::GraphScope scope(graph);
  Value x = ops::placeholder({2});
  REQUIRE_THROWS_WITH(ops::clip(x, 1, -1),
                      Catch::Contains("min_value (1) must not exceed max_value (-1)"));
}

}  // namespace keras::testing
