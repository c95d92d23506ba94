// Rows for tile.
#include <catch2/catch.hpp>

#include "shape_rows.hpp"

namespace keras::testing {

namespace {

using graph::Value;
using Values = std::vector<Value>;

std::vector<OpCase> all_rows() {
  return {
      // [1, 2] twice.
      row("tile (2,) repeats [2] hand-worked", {given_input({2}, {1, 2})},
          [](const Values& x) -> Values { return {ops::tile(x[0], {2})}; }, {{1, 2, 1, 2}}),
      // [[1], [2]] three times along axis 1: [[1, 1, 1], [2, 2, 2]].
      row("tile (2, 1) repeats [1, 3] hand-worked", {given_input({2, 1}, {1, 2})},
          [](const Values& x) -> Values {
            return {ops::tile(x[0], {1, 3})};
          },
          {{1, 1, 1, 2, 2, 2}}),
      // More repeats than axes: x is seen as (1, 2), giving [[1, 2], [1, 2]].
      row("tile (2,) repeats [2, 1] hand-worked", {given_input({2}, {1, 2})},
          [](const Values& x) -> Values {
            return {ops::tile(x[0], {2, 1})};
          },
          {{1, 2, 1, 2}}),
      // Fewer repeats than axes: repeats are seen as [1, 2].
      row("tile (2, 2) repeats [2] hand-worked", {given_input({2, 2}, {1, 2, 3, 4})},
          [](const Values& x) -> Values { return {ops::tile(x[0], {2})}; },
          {{1, 2, 1, 2, 3, 4, 3, 4}}),
      row("tile bool (2,) repeats [2] hand-worked", {given_input({2}, {1, 0}, DType::bool_)},
          [](const Values& x) -> Values { return {ops::tile(x[0], {2})}; }, {{1, 0, 1, 0}}),
      row("tile () repeats [3]", {random_input({})},
          [](const Values& x) -> Values { return {ops::tile(x[0], {3})}; }),
      row("tile (1, 4) repeats [3, 1]", {random_input({1, 4})},
          [](const Values& x) -> Values {
            return {ops::tile(x[0], {3, 1})};
          }),
      row("tile (2, 3) repeats [2, 2]", {random_input({2, 3})},
          [](const Values& x) -> Values {
            return {ops::tile(x[0], {2, 2})};
          }),
      row("tile (3, 1, 2) repeats [1, 2, 3]", {random_input({3, 1, 2})},
          [](const Values& x) -> Values {
            return {ops::tile(x[0], {1, 2, 3})};
          }),
      // Each element has 3 copies, each copy's gradient is the element: 3x.
      vjp_row("tile vjp (2,) repeats [3]", {given_input({2}, {1, 2})},
              [](const Values& x) { return ops::tile(x[0], {3}); }, {{3, 6}}),
      // 2 * 3 = 6 copies: 6x.
      vjp_row("tile vjp (2, 1) repeats [2, 3]", {given_input({2, 1}, {1, 2})},
              [](const Values& x) {
                return ops::tile(x[0], {2, 3});
              },
              {{6, 12}}),
      // Through a leading axis that x does not have: 2 copies, 2x.
      vjp_row("tile vjp (2,) repeats [2, 1]", {given_input({2}, {1, 2})},
              [](const Values& x) {
                return ops::tile(x[0], {2, 1});
              },
              {{2, 4}}),
  };
}

static RegisterCases cases(all_rows());

}  // namespace

TEST_CASE("tile rejects negative repeats", "[ops][tile][errors]") {
  auto graph = graph::Graph::create();
  graph::GraphScope scope(graph);
  REQUIRE_THROWS_WITH(ops::tile(ops::placeholder({2}), {-1}), Catch::Contains("must be >= 0"));
}

}  // namespace keras::testing
