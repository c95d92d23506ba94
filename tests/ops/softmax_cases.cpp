// Rows of the softmax family: softmax and log_softmax along different axes,
// and their gradient ops, whose rows check second derivatives.
#include <catch2/catch.hpp>

#include "elementwise_case_helpers.hpp"
#include "keras/graph/gradient_ops.hpp"
#include "keras/graph/ops.hpp"

namespace keras::testing {

namespace {

using namespace elementwise;

struct AxisCase {
  Shape shape;
  std::int64_t axis;
};

// Rank 1, the last and the first axis, a middle axis, batch 1 and an axis
// of size 1.
std::vector<AxisCase> axis_cases() {
  return {{{5}, -1},    {{2, 3}, -1}, {{2, 3}, 0},    {{2, 3, 4}, 1},
          {{1, 7}, -1}, {{3, 1}, 1},  {{2, 3, 4}, -3}};
}

std::vector<OpCase> random_cases() {
  std::vector<OpCase> cases;
  for (const AxisCase& c : axis_cases()) {
    const std::int64_t axis = c.axis;
    const std::string where = fmt::format("{} axis={}", c.shape.to_string(), axis);
    cases.push_back({.name = "softmax " + where,
                     .inputs = {random_input(c.shape, -3, 3)},
                     .build = unary([axis](const Value& x) { return ops::softmax(x, axis); }),
                     .expected = {}});
    cases.push_back({.name = "log_softmax " + where,
                     .inputs = {random_input(c.shape, -3, 3)},
                     .build = unary([axis](const Value& x) { return ops::log_softmax(x, axis); }),
                     .expected = {}});
    cases.push_back({.name = "softmax_grad " + where,
                     .inputs = {random_input(c.shape, -3, 3), random_input(c.shape)},
                     .build = binary([axis](const Value& x, const Value& dy) {
                       return ops::softmax_grad(ops::softmax(x, axis), dy, axis);
                     }),
                     .expected = {}});
    cases.push_back({.name = "log_softmax_grad " + where,
                     .inputs = {random_input(c.shape, -3, 3), random_input(c.shape)},
                     .build = binary([axis](const Value& x, const Value& dy) {
                       return ops::log_softmax_grad(ops::log_softmax(x, axis), dy, axis);
                     }),
                     .expected = {}});
  }
  return cases;
}

std::vector<OpCase> hand_worked_cases() {
  return {
      // e^[1, 2, 3] / (e + e^2 + e^3)
      {.name = "softmax (3,) hand-worked",
       .inputs = {given_input({3}, {1, 2, 3})},
       .build = unary([](const Value& x) { return ops::softmax(x); }),
       .expected = {{0.09003057317038046, 0.24472847105479767, 0.6652409557748219}}},
      // Rows [1, 1] and [0, ln 3] along axis 1: [0.5, 0.5] and [1/4, 3/4];
      // 1000 would overflow exp without subtracting the max.
      {.name = "softmax (3, 2) axis=1 hand-worked",
       .inputs = {given_input({3, 2}, {1, 1, 0, 1.0986122886681098, 1000, 1000})},
       .build = unary([](const Value& x) { return ops::softmax(x, 1); }),
       .expected = {{0.5, 0.5, 0.25, 0.75, 0.5, 0.5}}},
      // Columns of [[0, 0], [ln 3, 0]] along axis 0: [1/4, 3/4] and [1/2, 1/2].
      {.name = "softmax (2, 2) axis=0 hand-worked",
       .inputs = {given_input({2, 2}, {0, 0, 1.0986122886681098, 0})},
       .build = unary([](const Value& x) { return ops::softmax(x, 0); }),
       .expected = {{0.25, 0.5, 0.75, 0.5}}},
      // [1, 2, 3] - log(e + e^2 + e^3)
      {.name = "log_softmax (3,) hand-worked",
       .inputs = {given_input({3}, {1, 2, 3})},
       .build = unary([](const Value& x) { return ops::log_softmax(x); }),
       .expected = {{-2.40760596444438, -1.4076059644443801, -0.4076059644443803}}},
      // [1000, 0] - (1000 + log(1 + e^-1000)): stable where exp overflows.
      {.name = "log_softmax (2,) large hand-worked",
       .inputs = {given_input({2}, {1000, 0})},
       .build = unary([](const Value& x) { return ops::log_softmax(x); }),
       .expected = {{0, -1000}}},
      // y = softmax([0, 0]) = [0.5, 0.5], dy = [1, 3]: sum(dy y) = 2, so
      // dx = y (dy - 2) = [-0.5, 0.5].
      {.name = "softmax_grad (2,) hand-worked",
       .inputs = {given_input({2}, {0, 0}), given_input({2}, {1, 3})},
       .build = binary([](const Value& x, const Value& dy) {
         return ops::softmax_grad(ops::softmax(x), dy, -1);
       }),
       .expected = {{-0.5, 0.5}}},
      // y = log_softmax([0, 0]) = log [0.5, 0.5], dy = [1, 3]: sum(dy) = 4,
      // so dx = dy - 0.5 * 4 = [-1, 1].
      {.name = "log_softmax_grad (2,) hand-worked",
       .inputs = {given_input({2}, {0, 0}), given_input({2}, {1, 3})},
       .build = binary([](const Value& x, const Value& dy) {
         return ops::log_softmax_grad(ops::log_softmax(x), dy, -1);
       }),
       .expected = {{-1, 1}}},
  };
}

std::vector<OpCase> all_cases() {
  std::vector<OpCase> cases = hand_worked_cases();
  for (OpCase& c : random_cases()) cases.push_back(std::move(c));
  return cases;
}

RegisterCases cases(all_cases());

}  // namespace

TEST_CASE("softmax rejects an axis out of range", "[ops][softmax]") {
  auto graph = graph::Graph::create();
  graph::GraphScope scope(graph);
  Value x = ops::placeholder({2, 3});
  REQUIRE_THROWS_WITH(ops::softmax(x, 2), Catch::Contains("axis 2 is out of range for rank 2"));
  REQUIRE_THROWS_WITH(ops::softmax(ops::placeholder({})),
                      Catch::Contains("expected an input of rank >= 1"));
}

}  // namespace keras::testing
