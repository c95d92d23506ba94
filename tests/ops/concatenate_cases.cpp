// Rows for concatenate.
#include <catch2/catch.hpp>

#include "shape_rows.hpp"

namespace keras::testing {

namespace {

using graph::Value;
using Values = std::vector<Value>;

std::vector<OpCase> all_rows() {
  return {
      // [1, 2] then [3, 4, 5].
      row("concatenate (2,), (3,) axis -1 hand-worked",
          {given_input({2}, {1, 2}), given_input({3}, {3, 4, 5})},
          [](const Values& x) -> Values { return {ops::concatenate(x)}; }, {{1, 2, 3, 4, 5}}),
      // [[1, 2], [3, 4]] above [[5, 6]].
      row("concatenate (2, 2), (1, 2) axis 0 hand-worked",
          {given_input({2, 2}, {1, 2, 3, 4}), given_input({1, 2}, {5, 6})},
          [](const Values& x) -> Values { return {ops::concatenate(x, 0)}; }, {{1, 2, 3, 4, 5, 6}}),
      // [[1], [2]] beside [[3, 4], [5, 6]]: rows [1, 3, 4] and [2, 5, 6].
      row("concatenate (2, 1), (2, 2) axis 1 hand-worked",
          {given_input({2, 1}, {1, 2}), given_input({2, 2}, {3, 4, 5, 6})},
          [](const Values& x) -> Values { return {ops::concatenate(x, 1)}; }, {{1, 3, 4, 2, 5, 6}}),
      // The int32 input is promoted to the floating dtype first.
      row("concatenate float (2,), int32 (2,) hand-worked",
          {given_input({2}, {0.5, 1.5}), given_input({2}, {3, 4}, DType::int32)},
          [](const Values& x) -> Values { return {ops::concatenate(x)}; }, {{0.5, 1.5, 3, 4}}),
      row("concatenate int64 (2,), (1,) hand-worked",
          {given_input({2}, {7, 8}, DType::int64), given_input({1}, {-9}, DType::int64)},
          [](const Values& x) -> Values { return {ops::concatenate(x)}; }, {{7, 8, -9}}),
      row("concatenate (3,) alone", {random_input({3})},
          [](const Values& x) -> Values { return {ops::concatenate(x)}; }),
      row("concatenate (2, 3), (2, 1), (2, 4) axis -1",
          {random_input({2, 3}), random_input({2, 1}), random_input({2, 4})},
          [](const Values& x) -> Values { return {ops::concatenate(x, -1)}; }),
      row("concatenate (1, 4), (1, 4) axis 0", {random_input({1, 4}), random_input({1, 4})},
          [](const Values& x) -> Values { return {ops::concatenate(x, 0)}; }),
      row("concatenate (2, 3, 5), (2, 2, 5) axis 1",
          {random_input({2, 3, 5}), random_input({2, 2, 5})},
          [](const Values& x) -> Values { return {ops::concatenate(x, 1)}; }),
      // Each input gets its own slice of the gradient: J^T y = x, per input.
      vjp_row("concatenate vjp (2, 1), (2, 2) axis 1",
              {given_input({2, 1}, {1, 2}), given_input({2, 2}, {3, 4, 5, 6})},
              [](const Values& x) { return ops::concatenate(x, 1); }, {{1, 2}, {3, 4, 5, 6}}),
      // Alone along an unknown batch: the slice runs "to the end".
      vjp_row("concatenate vjp (3,) alone", {given_input({3}, {1, 2, 3})},
              [](const Values& x) { return ops::concatenate(x, 0); }, {{1, 2, 3}}),
      // Along an unknown batch the offsets are unknown, so only known sizes.
      known_batch_only(vjp_row("concatenate vjp (2, 2), (1, 2) axis 0",
                               {given_input({2, 2}, {1, 2, 3, 4}), given_input({1, 2}, {5, 6})},
                               [](const Values& x) { return ops::concatenate(x, 0); },
                               {{1, 2, 3, 4}, {5, 6}})),
  };
}

static RegisterCases cases(all_rows());

}  // namespace

TEST_CASE("concatenate rejects mismatched inputs", "[ops][concatenate][errors]") {
  auto graph = graph::Graph::create();
  graph::GraphScope scope(graph);
  const Value a = ops::placeholder({2, 3});
  REQUIRE_THROWS_WITH(ops::concatenate({a, ops::placeholder({3, 3})}, 1),
                      Catch::Contains("input 1 has size 3 on axis 0 but input 0 has size 2"));
  REQUIRE_THROWS_WITH(ops::concatenate({a, ops::placeholder({3})}),
                      Catch::Contains("input 1 has rank 1 but input 0 has rank 2"));
  REQUIRE_THROWS_WITH(ops::concatenate({ops::placeholder({})}), Catch::Contains("scalars"));
  REQUIRE_THROWS_WITH(ops::concatenate({}), Catch::Contains("at least one tensor"));
  // Unknown sizes: the joined axis is unknown, the others take the known size.
  const Value b = ops::placeholder({Shape::kUnknown, 3});
  CHECK(ops::concatenate({a, b}, 0).shape() == Shape({Shape::kUnknown, 3}));
  CHECK(ops::concatenate({a, b}, 1).shape() == Shape({2, 6}));
}

TEST_CASE("concatenate gradients need known offsets", "[ops][concatenate][errors]") {
  auto graph = graph::Graph::create();
  graph::GraphScope scope(graph);
  const Value a = ops::placeholder({Shape::kUnknown, 3});
  const Value b = ops::placeholder({2, 3});
  REQUIRE_THROWS_WITH(vjp_of_self(ops::concatenate({a, b}, 0), {a, b}),
                      Catch::Contains("offset is not known"));
}

}  // namespace keras::testing
