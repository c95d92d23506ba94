// Rows for transpose.
#include <fmt/format.h>

#include <catch2/catch.hpp>

#include "shape_rows.hpp"

namespace keras::testing {

namespace {

using graph::Value;
using Values = std::vector<Value>;
using Axes = std::vector<std::int64_t>;

// x[a, b, c] = 4a + 2b + c + 1.
const std::vector<double> kOneToEight = {1, 2, 3, 4, 5, 6, 7, 8};

OpCase random_row(Shape shape, Axes axes) {
  std::string name = axes.empty() ? fmt::format("transpose {} reversed", shape.to_string())
                                  : fmt::format("transpose {} axes [{}]", shape.to_string(),
                                                fmt::join(axes, ", "));
  return row(std::move(name), {random_input(std::move(shape))},
             [axes](const Values& x) -> Values { return {ops::transpose(x[0], axes)}; });
}

std::vector<OpCase> all_rows() {
  return {
      // [[1, 2, 3], [4, 5, 6]] -> [[1, 4], [2, 5], [3, 6]].
      row("transpose (2, 3) reversed hand-worked", {given_input({2, 3}, {1, 2, 3, 4, 5, 6})},
          [](const Values& x) -> Values { return {ops::transpose(x[0])}; }, {{1, 4, 2, 5, 3, 6}}),
      // out[i, j, k] = x[j, k, i]: out[0] = x[:, :, 0] = [1, 3, 5, 7], out[1] = [2, 4, 6, 8].
      row("transpose (2, 2, 2) axes [2, 0, 1] hand-worked", {given_input({2, 2, 2}, kOneToEight)},
          [](const Values& x) -> Values {
            return {ops::transpose(x[0], {2, 0, 1})};
          },
          {{1, 3, 5, 7, 2, 4, 6, 8}}),
      row("transpose int32 (2, 2) reversed hand-worked",
          {given_input({2, 2}, {1, 2, 3, 4}, DType::int32)},
          [](const Values& x) -> Values { return {ops::transpose(x[0])}; }, {{1, 3, 2, 4}}),
      random_row({}, {}),
      random_row({5}, {}),
      random_row({1, 4}, {}),
      random_row({2, 3, 4}, {1, 0, 2}),
      random_row({3, 1, 5}, {2, 0, 1}),
      random_row({2, 3, 4}, {}),
      random_row({2, 3, 4}, {-1, 0, 1}),
      random_row({2, 1, 3, 2}, {0, 3, 1, 2}),
      // The inverse permutation brings the gradient back: J^T y = x.
      vjp_row("transpose vjp (2, 2, 2) axes [2, 0, 1]", {given_input({2, 2, 2}, kOneToEight)},
              [](const Values& x) {
                return ops::transpose(x[0], {2, 0, 1});
              },
              {kOneToEight}),
  };
}

static RegisterCases cases(all_rows());

}  // namespace

TEST_CASE("transpose rejects axes that are not a permutation", "[ops][transpose][errors]") {
  auto graph = graph::Graph::create();
  graph::GraphScope scope(graph);
  const Value x = ops::placeholder({2, 3});
  REQUIRE_THROWS_WITH(ops::transpose(x, {0}), Catch::Contains("must list each of the input's 2"));
  REQUIRE_THROWS_WITH(ops::transpose(x, {1, -1}), Catch::Contains("more than once"));
}

}  // namespace keras::testing
