// Rows for reshape, squeeze and expand_dims.
#include <catch2/catch.hpp>

#include "shape_rows.hpp"

namespace keras::testing {

namespace {

using graph::Value;
using Values = std::vector<Value>;

const std::vector<double> kOneToSix = {1, 2, 3, 4, 5, 6};
const std::vector<double> kOneToTwelve = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};

std::vector<OpCase> reshape_rows() {
  return {
      // Row-major order is kept: [[1, 2, 3], [4, 5, 6]] -> [[1, 2], [3, 4], [5, 6]].
      row("reshape (2, 3) to (3, 2) hand-worked", {given_input({2, 3}, kOneToSix)},
          [](const Values& x) -> Values {
            return {ops::reshape(x[0], {3, 2})};
          },
          {kOneToSix}),
      row("reshape (2, 3, 4) to (-1, 12)", {random_input({2, 3, 4})},
          [](const Values& x) -> Values {
            return {ops::reshape(x[0], {-1, 12})};
          }),
      row("reshape () to (1, 1)", {random_input({})},
          [](const Values& x) -> Values {
            return {ops::reshape(x[0], {1, 1})};
          }),
      row("reshape (6,) to (2, -1)", {random_input({6})},
          [](const Values& x) -> Values {
            return {ops::reshape(x[0], {2, -1})};
          }),
      row("reshape (1, 4) to (4,)", {random_input({1, 4})},
          [](const Values& x) -> Values { return {ops::reshape(x[0], {4})}; }),
      row("reshape (3, 5) to (5, 3)", {random_input({3, 5})},
          [](const Values& x) -> Values {
            return {ops::reshape(x[0], {5, 3})};
          }),
      row("reshape int64 (2, 2) to (4,)", {given_input({2, 2}, {7, -1, 3, 0}, DType::int64)},
          [](const Values& x) -> Values { return {ops::reshape(x[0], {4})}; }, {{7, -1, 3, 0}}),
      // The gradient of a reshape is the gradient reshaped back: J^T y = x.
      vjp_row("reshape vjp (2, 3) to (-1,)", {given_input({2, 3}, kOneToSix)},
              [](const Values& x) { return ops::reshape(x[0], {-1}); }, {kOneToSix}),
      vjp_row("reshape vjp (2, 3, 2) to (-1, 6)", {given_input({2, 3, 2}, kOneToTwelve)},
              [](const Values& x) {
                return ops::reshape(x[0], {-1, 6});
              },
              {kOneToTwelve}),
  };
}

std::vector<OpCase> squeeze_rows() {
  return {
      // (1, 3, 1) -> (3,): the values are unchanged.
      row("squeeze (1, 3, 1) all hand-worked", {given_input({1, 3, 1}, {1, 2, 3})},
          [](const Values& x) -> Values { return {ops::squeeze(x[0])}; }, {{1, 2, 3}}),
      row("squeeze (2, 1, 3) axis [1]", {random_input({2, 1, 3})},
          [](const Values& x) -> Values { return {ops::squeeze(x[0], {1})}; }),
      row("squeeze (1, 1) axis [-1]", {random_input({1, 1})},
          [](const Values& x) -> Values { return {ops::squeeze(x[0], {-1})}; }),
      row("squeeze (4, 1, 1, 2) axis [1, 2]", {random_input({4, 1, 1, 2})},
          [](const Values& x) -> Values {
            return {ops::squeeze(x[0], {1, 2})};
          }),
      // With the batch unknown, axis 0 is squeezed on trust; it is 1 at run time.
      row("squeeze (1, 4) axis [0]", {random_input({1, 4})},
          [](const Values& x) -> Values { return {ops::squeeze(x[0], {0})}; }),
      vjp_row("squeeze vjp (1, 3, 1) all", {given_input({1, 3, 1}, {1, 2, 3})},
              [](const Values& x) { return ops::squeeze(x[0]); }, {{1, 2, 3}}),
      vjp_row("squeeze vjp (2, 1, 3) axis [1]", {given_input({2, 1, 3}, kOneToSix)},
              [](const Values& x) { return ops::squeeze(x[0], {1}); }, {kOneToSix}),
  };
}

std::vector<OpCase> expand_dims_rows() {
  return {
      // (2, 3) -> (1, 2, 3): the values are unchanged.
      row("expand_dims (2, 3) axis 0 hand-worked", {given_input({2, 3}, kOneToSix)},
          [](const Values& x) -> Values { return {ops::expand_dims(x[0], 0)}; }, {kOneToSix}),
      row("expand_dims (2, 3) axis -1", {random_input({2, 3})},
          [](const Values& x) -> Values { return {ops::expand_dims(x[0], -1)}; }),
      row("expand_dims () axis 0", {random_input({})},
          [](const Values& x) -> Values { return {ops::expand_dims(x[0], 0)}; }),
      row("expand_dims (3,) axis 1", {random_input({3})},
          [](const Values& x) -> Values { return {ops::expand_dims(x[0], 1)}; }),
      row("expand_dims (1, 5) axis 1", {random_input({1, 5})},
          [](const Values& x) -> Values { return {ops::expand_dims(x[0], 1)}; }),
      vjp_row("expand_dims vjp (2, 3) axis 1", {given_input({2, 3}, kOneToSix)},
              [](const Values& x) { return ops::expand_dims(x[0], 1); }, {kOneToSix}),
  };
}

std::vector<OpCase> all_rows() {
  std::vector<OpCase> rows = reshape_rows();
  for (OpCase& r : squeeze_rows()) rows.push_back(std::move(r));
  for (OpCase& r : expand_dims_rows()) rows.push_back(std::move(r));
  return rows;
}

static RegisterCases cases(all_rows());

}  // namespace

TEST_CASE("reshape, squeeze and expand_dims reject bad shapes", "[ops][reshape][errors]") {
  auto graph = graph::Graph::create();
  graph::GraphScope scope(graph);
  const Value x = ops::placeholder({2, 3});
  REQUIRE_THROWS_WITH(ops::reshape(x, {4, 4}),
                      Catch::Contains("cannot reshape 6 elements into [4, 4] (16 elements)"));
  REQUIRE_THROWS_WITH(ops::reshape(x, {-1, -1}), Catch::Contains("more than one -1"));
  REQUIRE_THROWS_WITH(ops::reshape(x, {4, -1}), Catch::Contains("cannot be inferred"));
  REQUIRE_THROWS_WITH(ops::squeeze(x, {1}), Catch::Contains("cannot squeeze axis 1 of size 3"));
  REQUIRE_THROWS_WITH(ops::expand_dims(x, 3),
                      Catch::Contains("axis 3 is out of range for expanding a tensor of rank 2"));
  // An unknown batch stays unknown through a -1 entry.
  const Value batch = ops::placeholder({Shape::kUnknown, 2, 3});
  CHECK(ops::reshape(batch, {-1, 6}).shape() == Shape({Shape::kUnknown, 6}));
}

TEST_CASE("reshape gradients need at most one unknown dimension", "[ops][reshape][errors]") {
  auto graph = graph::Graph::create();
  graph::GraphScope scope(graph);
  const Value x = ops::placeholder({Shape::kUnknown, Shape::kUnknown, 4});
  const Value y = ops::reshape(x, {-1, 4});
  REQUIRE_THROWS_WITH(vjp_of_self(y, {x}), Catch::Contains("more than one unknown dimension"));
}

}  // namespace keras::testing
