// Rows for one_hot.
#include <catch2/catch.hpp>

#include "shape_rows.hpp"

namespace keras::testing {

namespace {

using graph::Value;
using Values = std::vector<Value>;

std::vector<OpCase> all_rows() {
  return {
      // Classes 0, 2, 1 of 3.
      row("one_hot int32 (3,) num_classes 3 hand-worked",
          {given_input({3}, {0, 2, 1}, DType::int32)},
          [](const Values& x) -> Values { return {ops::one_hot(x[0], 3)}; },
          {{1, 0, 0, 0, 0, 1, 0, 1, 0}}),
      // Out of range (3) and negative (-1) indices give rows of zeros (TF).
      row("one_hot int64 (2,) num_classes 3 out of range hand-worked",
          {given_input({2}, {3, -1}, DType::int64)},
          [](const Values& x) -> Values { return {ops::one_hot(x[0], 3)}; }, {{0, 0, 0, 0, 0, 0}}),
      // [[0, 1], [1, 0]] -> [[[1, 0], [0, 1]], [[0, 1], [1, 0]]].
      row("one_hot int32 (2, 2) num_classes 2 hand-worked",
          {given_input({2, 2}, {0, 1, 1, 0}, DType::int32)},
          [](const Values& x) -> Values { return {ops::one_hot(x[0], 2)}; },
          {{1, 0, 0, 1, 0, 1, 1, 0}}),
      row("one_hot int32 () num_classes 4 to int32 hand-worked",
          {given_input({}, {2}, DType::int32)},
          [](const Values& x) -> Values { return {ops::one_hot(x[0], 4, DType::int32)}; },
          {{0, 0, 1, 0}}),
      row("one_hot int32 (5,) num_classes 4", {random_integers({5}, DType::int32, 0.0, 4.0)},
          [](const Values& x) -> Values { return {ops::one_hot(x[0], 4)}; }),
      row("one_hot int64 (1, 3) num_classes 5 to float64",
          {random_integers({1, 3}, DType::int64, 0.0, 5.0)},
          [](const Values& x) -> Values { return {ops::one_hot(x[0], 5, DType::float64)}; }),
  };
}

static RegisterCases cases(all_rows());

}  // namespace

TEST_CASE("one_hot rejects floating indices and no classes", "[ops][one_hot][errors]") {
  auto graph = graph::Graph::create();
  graph::GraphScope scope(graph);
  REQUIRE_THROWS_WITH(ops::one_hot(ops::placeholder({3}), 2),
                      Catch::Contains("indices must be int32 or int64, got float32"));
  REQUIRE_THROWS_WITH(ops::one_hot(ops::placeholder({3}, DType::int32), 0),
                      Catch::Contains("num_classes must be >= 1, got 0"));
}

}  // namespace keras::testing
