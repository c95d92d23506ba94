// Rows for where.
#include <catch2/catch.hpp>

#include "shape_rows.hpp"

namespace keras::testing {

namespace {

using graph::Value;
using Values = std::vector<Value>;

// Random bools: floor of uniform [-1, 1) is -1 (true) or 0 (false).
InputSpec random_condition(Shape shape) {
  return random_integers(std::move(shape), DType::bool_, -1.0, 1.0);
}

// J^T y for y = where(c, x, y), with respect to x and y only.
Values where_vjp(const Values& v) {
  return vjp_of_self(ops::where(v[0], v[1], v[2]), {v[1], v[2]});
}

std::vector<OpCase> all_rows() {
  return {
      // [true, false, true] picks x, y, x: [1, 5, 3].
      row("where (3,) hand-worked",
          {given_input({3}, {1, 0, 1}, DType::bool_), given_input({3}, {1, 2, 3}),
           given_input({3}, {4, 5, 6})},
          [](const Values& v) -> Values { return {ops::where(v[0], v[1], v[2])}; }, {{1, 5, 3}}),
      // Condition (2, 1), x (2, 3), y (): row 0 from x, row 1 all 9.
      row("where (2, 1), (2, 3), () hand-worked",
          {given_input({2, 1}, {1, 0}, DType::bool_), given_input({2, 3}, {1, 2, 3, 4, 5, 6}),
           given_input({}, {9})},
          [](const Values& v) -> Values { return {ops::where(v[0], v[1], v[2])}; },
          {{1, 2, 3, 9, 9, 9}}),
      // int32 x and floating y are promoted to the floating dtype.
      row("where int32 x, float y (2,) hand-worked",
          {given_input({2}, {0, 1}, DType::bool_), given_input({2}, {7, 8}, DType::int32),
           given_input({2}, {0.5, 1.5})},
          [](const Values& v) -> Values { return {ops::where(v[0], v[1], v[2])}; }, {{0.5, 8}}),
      row("where int64 (3,) hand-worked",
          {given_input({3}, {0, 0, 1}, DType::bool_), given_input({3}, {1, 2, 3}, DType::int64),
           given_input({3}, {-1, -2, -3}, DType::int64)},
          [](const Values& v) -> Values { return {ops::where(v[0], v[1], v[2])}; }, {{-1, -2, 3}}),
      row("where (), (3,), (3,)",
          {given_input({}, {1}, DType::bool_), random_input({3}), random_input({3})},
          [](const Values& v) -> Values { return {ops::where(v[0], v[1], v[2])}; }),
      row("where (2, 3), (2, 3), (2, 3)",
          {random_condition({2, 3}), random_input({2, 3}), random_input({2, 3})},
          [](const Values& v) -> Values { return {ops::where(v[0], v[1], v[2])}; }),
      row("where (4,), (1, 4), (3, 1)",
          {random_condition({4}), random_input({1, 4}), random_input({3, 1})},
          [](const Values& v) -> Values { return {ops::where(v[0], v[1], v[2])}; }),
      row("where (1, 5), (1, 5), ()",
          {random_condition({1, 5}), random_input({1, 5}), random_input({})},
          [](const Values& v) -> Values { return {ops::where(v[0], v[1], v[2])}; }),
      // y = [1, 5, 3]: x gets [1, 0, 3], y gets [0, 5, 0].
      values_checked_with_unknown_batch(
          without_gradients(row("where vjp (3,)",
                                {given_input({3}, {1, 0, 1}, DType::bool_),
                                 given_input({3}, {1, 2, 3}), given_input({3}, {4, 5, 6})},
                                where_vjp, {{1, 0, 3}, {0, 5, 0}}))),
      // y = [[1, 2, 3], [9, 9, 9]]: x (1, 3) gets row 0 plus zeros, [1, 2, 3];
      // y () gets 9 + 9 + 9 = 27.
      values_checked_with_unknown_batch(
          without_gradients(row("where vjp (2, 1), (1, 3), ()",
                                {given_input({2, 1}, {1, 0}, DType::bool_),
                                 given_input({1, 3}, {1, 2, 3}), given_input({}, {9})},
                                where_vjp, {{1, 2, 3}, {27}}))),
  };
}

static RegisterCases cases(all_rows());

}  // namespace

TEST_CASE("where rejects a non-bool condition and mixed x, y", "[ops][where][errors]") {
  auto graph = graph::Graph::create();
  graph::GraphScope scope(graph);
  const Value x = ops::placeholder({3});
  REQUIRE_THROWS_WITH(graph->add("where", {x, x, x}), Catch::Contains("condition must be bool"));
  const Value c = ops::placeholder({3}, DType::bool_);
  REQUIRE_THROWS_WITH(graph->add("where", {c, x, ops::placeholder({3}, DType::float64)}),
                      Catch::Contains("x and y must have the same dtype"));
  REQUIRE_THROWS_WITH(ops::where(c, x, ops::placeholder({4})),
                      Catch::Contains("cannot be broadcast together"));
}

}  // namespace keras::testing
