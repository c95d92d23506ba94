// Rows for broadcast_like and sum_to_like.
#include <fmt/format.h>

#include <catch2/catch.hpp>

#include "shape_rows.hpp"

namespace keras::testing {

namespace {

using graph::Value;
using Values = std::vector<Value>;

OpCase random_row(const char* op, Shape x, Shape target) {
  std::string name = fmt::format("{} {} to {}", op, x.to_string(), target.to_string());
  const bool broadcast = std::string(op) == "broadcast_like";
  return row(std::move(name), {random_input(std::move(x)), random_input(std::move(target))},
             [broadcast](const Values& v) -> Values {
               return {broadcast ? ops::broadcast_like(v[0], v[1]) : ops::sum_to_like(v[0], v[1])};
             });
}

std::vector<OpCase> broadcast_like_rows() {
  return {
      // [1, 2, 3] repeated for each of the 2 rows of the target.
      row("broadcast_like (3,) to (2, 3) hand-worked",
          {given_input({3}, {1, 2, 3}), given_input({2, 3}, std::vector<double>(6, 0.0))},
          [](const Values& v) -> Values { return {ops::broadcast_like(v[0], v[1])}; },
          {{1, 2, 3, 1, 2, 3}}),
      // [[1], [2]] repeated along axis 1.
      row("broadcast_like int32 (2, 1) to (2, 3) hand-worked",
          {given_input({2, 1}, {1, 2}, DType::int32), random_input({2, 3})},
          [](const Values& v) -> Values { return {ops::broadcast_like(v[0], v[1])}; },
          {{1, 1, 1, 2, 2, 2}}),
      random_row("broadcast_like", {}, {4}),
      random_row("broadcast_like", {1}, {1, 5}),
      random_row("broadcast_like", {3, 1, 2}, {3, 4, 2}),
      random_row("broadcast_like", {2, 3}, {2, 3}),
      random_row("broadcast_like", {1, 3}, {5, 3}),
      // J^T y sums the broadcast copies: 2 rows, so 2x; the target gets none.
      vjp_row("broadcast_like vjp (3,) to (2, 3)",
              {given_input({3}, {1, 2, 3}), given_input({2, 3}, std::vector<double>(6, 0.5))},
              [](const Values& v) { return ops::broadcast_like(v[0], v[1]); },
              {{2, 4, 6}, std::vector<double>(6, 0.0)}),
  };
}

std::vector<OpCase> sum_to_like_rows() {
  return {
      // Columns of [[1, 2, 3], [4, 5, 6]]: 1+4, 2+5, 3+6.
      row("sum_to_like (2, 3) to (3,) hand-worked",
          {given_input({2, 3}, {1, 2, 3, 4, 5, 6}), given_input({3}, {0, 0, 0})},
          [](const Values& v) -> Values { return {ops::sum_to_like(v[0], v[1])}; }, {{5, 7, 9}}),
      // Rows: 1+2+3, 4+5+6.
      row("sum_to_like (2, 3) to (2, 1) hand-worked",
          {given_input({2, 3}, {1, 2, 3, 4, 5, 6}), given_input({2, 1}, {0, 0})},
          [](const Values& v) -> Values { return {ops::sum_to_like(v[0], v[1])}; }, {{6, 15}}),
      row("sum_to_like int64 (4,) to () hand-worked",
          {given_input({4}, {1, -2, 3, 5}, DType::int64), random_input({})},
          [](const Values& v) -> Values { return {ops::sum_to_like(v[0], v[1])}; }, {{7}}),
      random_row("sum_to_like", {4}, {}),
      random_row("sum_to_like", {1, 5}, {1}),
      random_row("sum_to_like", {3, 4, 2}, {3, 1, 2}),
      random_row("sum_to_like", {2, 3}, {2, 3}),
      random_row("sum_to_like", {5, 3}, {1, 3}),
      // y = [5, 7, 9] broadcast back over both rows; the target gets none.
      vjp_row("sum_to_like vjp (2, 3) to (3,)",
              {given_input({2, 3}, {1, 2, 3, 4, 5, 6}), given_input({3}, {0.5, 0.5, 0.5})},
              [](const Values& v) { return ops::sum_to_like(v[0], v[1]); },
              {{5, 7, 9, 5, 7, 9}, {0, 0, 0}}),
  };
}

std::vector<OpCase> all_rows() {
  std::vector<OpCase> rows = broadcast_like_rows();
  for (OpCase& r : sum_to_like_rows()) rows.push_back(std::move(r));
  return rows;
}

static RegisterCases cases(all_rows());

}  // namespace

TEST_CASE("broadcast_like and sum_to_like reject shapes that do not broadcast",
          "[ops][broadcast][errors]") {
  auto graph = graph::Graph::create();
  graph::GraphScope scope(graph);
  const Value x = ops::placeholder({2, 3});
  REQUIRE_THROWS_WITH(ops::broadcast_like(x, ops::placeholder({3})),
                      Catch::Contains("x (2, 3) does not broadcast to target's shape (3,)"));
  REQUIRE_THROWS_WITH(ops::broadcast_like(x, ops::placeholder({2, 4})),
                      Catch::Contains("cannot be broadcast together"));
  REQUIRE_THROWS_WITH(ops::sum_to_like(x, ops::placeholder({1, 2, 3})),
                      Catch::Contains("target (1, 2, 3) does not broadcast to x's shape (2, 3)"));
  // The output takes the target's shape, unknown batch included.
  const Value target = ops::placeholder({Shape::kUnknown, 2, 3});
  CHECK(ops::broadcast_like(x, target).shape() == target.shape());
}

}  // namespace keras::testing
