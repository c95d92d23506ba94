// Rows for slice and pad.
#include <catch2/catch.hpp>

#include "shape_rows.hpp"

namespace keras::testing {

namespace {

using graph::Value;
using Values = std::vector<Value>;

// [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]
const std::vector<double> kOneToTwelve = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};

std::vector<OpCase> slice_rows() {
  return {
      // Row 1, columns 1 and 2 of [[1..4], [5..8], [9..12]]: [6, 7].
      row("slice (3, 4) begin [1, 1] size [1, 2] hand-worked", {given_input({3, 4}, kOneToTwelve)},
          [](const Values& x) -> Values {
            return {ops::slice(x[0], {1, 1}, {1, 2})};
          },
          {{6, 7}}),
      // Rows 1 to the end, columns 0 and 1: [[5, 6], [9, 10]].
      row("slice (3, 4) begin [1, 0] size [-1, 2] hand-worked", {given_input({3, 4}, kOneToTwelve)},
          [](const Values& x) -> Values {
            return {ops::slice(x[0], {1, 0}, {-1, 2})};
          },
          {{5, 6, 9, 10}}),
      row("slice int32 (4,) begin [1] size [2] hand-worked",
          {given_input({4}, {4, 5, 6, 7}, DType::int32)},
          [](const Values& x) -> Values { return {ops::slice(x[0], {1}, {2})}; }, {{5, 6}}),
      row("slice () begin [] size []", {random_input({})},
          [](const Values& x) -> Values { return {ops::slice(x[0], {}, {})}; }),
      row("slice (5,) begin [2] size [3]", {random_input({5})},
          [](const Values& x) -> Values { return {ops::slice(x[0], {2}, {3})}; }),
      row("slice (1, 4) begin [0, 1] size [1, -1]", {random_input({1, 4})},
          [](const Values& x) -> Values {
            return {ops::slice(x[0], {0, 1}, {1, -1})};
          }),
      row("slice (3, 5, 2) begin [1, 0, 1] size [2, 3, 1]", {random_input({3, 5, 2})},
          [](const Values& x) -> Values {
            return {ops::slice(x[0], {1, 0, 1}, {2, 3, 1})};
          }),
      // The gradient is zero outside the slice: J^T y puts [6, 7] back in place.
      // With the batch unknown, the zeros after row 1 come from zeros_like(x).
      vjp_row("slice vjp (3, 4) begin [1, 1] size [1, 2]", {given_input({3, 4}, kOneToTwelve)},
              [](const Values& x) {
                return ops::slice(x[0], {1, 1}, {1, 2});
              },
              {{0, 0, 0, 0, 0, 6, 7, 0, 0, 0, 0, 0}}),
      vjp_row("slice vjp (3, 4) begin [1, 0] size [-1, 2]", {given_input({3, 4}, kOneToTwelve)},
              [](const Values& x) {
                return ops::slice(x[0], {1, 0}, {-1, 2});
              },
              {{0, 0, 0, 0, 5, 6, 0, 0, 9, 10, 0, 0}}),
      // x[0:2, 1:2, 0:1] of (3, 2, 2) holding 1..12 is [3, 7], back in place.
      // With the batch unknown, axis 0's trailing zeros come from
      // zeros_like(x) and axes 1 and 2 are padded.
      vjp_row("slice vjp (3, 2, 2) begin [0, 1, 0] size [2, 1, 1]",
              {given_input({3, 2, 2}, kOneToTwelve)},
              [](const Values& x) {
                return ops::slice(x[0], {0, 1, 0}, {2, 1, 1});
              },
              {{0, 0, 3, 0, 0, 0, 7, 0, 0, 0, 0, 0}}),
  };
}

std::vector<OpCase> pad_rows() {
  return {
      // [[1, 2], [3, 4]] with a row of zeros before and a column after:
      // [[0, 0, 0], [1, 2, 0], [3, 4, 0]].
      row("pad (2, 2) ((1, 0), (0, 1)) hand-worked", {given_input({2, 2}, {1, 2, 3, 4})},
          [](const Values& x) -> Values {
            return {ops::pad(x[0], {{1, 0}, {0, 1}})};
          },
          {{0, 0, 0, 1, 2, 0, 3, 4, 0}}),
      // [9] + [1, 2] + [9, 9].
      row("pad (2,) ((1, 2)) constant_values 9 hand-worked", {given_input({2}, {1, 2})},
          [](const Values& x) -> Values {
            return {ops::pad(x[0], {{1, 2}}, 9.0)};
          },
          {{9, 1, 2, 9, 9}}),
      row("pad int32 (2,) ((0, 1)) constant_values 3 hand-worked",
          {given_input({2}, {1, 2}, DType::int32)},
          [](const Values& x) -> Values {
            return {ops::pad(x[0], {{0, 1}}, 3.0)};
          },
          {{1, 2, 3}}),
      row("pad () ()", {random_input({})},
          [](const Values& x) -> Values { return {ops::pad(x[0], {})}; }),
      row("pad (1, 4) ((0, 0), (2, 1))", {random_input({1, 4})},
          [](const Values& x) -> Values {
            return {ops::pad(x[0], {{0, 0}, {2, 1}})};
          }),
      row("pad (3, 2, 2) ((1, 1), (0, 2), (1, 0))", {random_input({3, 2, 2})},
          [](const Values& x) -> Values {
            return {ops::pad(x[0], {{1, 1}, {0, 2}, {1, 0}})};
          }),
      // The gradient is the interior of the padded gradient: J^T y = x.
      vjp_row("pad vjp (2, 2) ((1, 0), (0, 1))", {given_input({2, 2}, {1, 2, 3, 4})},
              [](const Values& x) {
                return ops::pad(x[0], {{1, 0}, {0, 1}});
              },
              {{1, 2, 3, 4}}),
      // Padding after an unknown batch cannot be undone by a slice of known size.
      known_batch_only(vjp_row("pad vjp (2,) ((1, 2))", {given_input({2}, {1, 2})},
                               [](const Values& x) {
                                 return ops::pad(x[0], {{1, 2}});
                               },
                               {{1, 2}})),
  };
}

std::vector<OpCase> all_rows() {
  std::vector<OpCase> rows = slice_rows();
  for (OpCase& r : pad_rows()) rows.push_back(std::move(r));
  return rows;
}

static RegisterCases cases(all_rows());

}  // namespace

TEST_CASE("slice and pad reject bad extents", "[ops][slice][errors]") {
  auto graph = graph::Graph::create();
  graph::GraphScope scope(graph);
  const Value x = ops::placeholder({3, 4});
  REQUIRE_THROWS_WITH(
      ops::slice(x, {2, 0}, {2, -1}),
      Catch::Contains("axis 0 has size 3, so begin 2 with size 2 runs past its end"));
  REQUIRE_THROWS_WITH(ops::slice(x, {0}, {1}), Catch::Contains("must hold 1 entries per axis"));
  REQUIRE_THROWS_WITH(ops::slice(x, {-1, 0}, {1, 1}), Catch::Contains("must be >= 0"));
  REQUIRE_THROWS_WITH(ops::pad(x, {{0, 0}, {-1, 0}}), Catch::Contains("must be >= 0"));
  REQUIRE_THROWS_WITH(ops::pad(x, {{1, 1}}), Catch::Contains("must hold 2 entries per axis"));
}

}  // namespace keras::testing
