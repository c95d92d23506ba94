// Rows for sum, mean, max, min, prod, argmax and argmin.
#include <fmt/format.h>

#include <catch2/catch.hpp>

#include "shape_rows.hpp"

namespace keras::testing {

namespace {

using graph::Value;
using Axes = std::vector<std::int64_t>;
using Reduce = Value (*)(const Value&, Axes, bool);
using Values = std::vector<Value>;

OpCase reduction_row(const char* op, Reduce reduce, Shape shape, Axes axis, bool keepdims,
                     double low, double high) {
  std::string name = fmt::format("{} {} axis [{}]{}", op, shape.to_string(), fmt::join(axis, ", "),
                                 keepdims ? " keepdims" : "");
  return row(std::move(name), {random_input(std::move(shape), low, high)},
             [reduce, axis, keepdims](const Values& x) -> Values {
               return {reduce(x[0], axis, keepdims)};
             });
}

// The same random shapes for every reduction: scalar, rank 1, batch 1, odd
// sizes, several axes, negative axes.
void add_random_rows(std::vector<OpCase>& rows, const char* op, Reduce reduce, double low = -2.0,
                     double high = 2.0) {
  rows.push_back(reduction_row(op, reduce, {}, {}, false, low, high));
  rows.push_back(reduction_row(op, reduce, {5}, {}, false, low, high));
  rows.push_back(reduction_row(op, reduce, {1, 4}, {-1}, false, low, high));
  rows.push_back(reduction_row(op, reduce, {3, 1, 5}, {0, 2}, true, low, high));
  rows.push_back(reduction_row(op, reduce, {2, 3, 4}, {1}, false, low, high));
  rows.push_back(reduction_row(op, reduce, {7, 3}, {0}, false, low, high));
}

const std::vector<double> kOneToSix = {1, 2, 3, 4, 5, 6};
// [[1, 5, 3], [4, 2, 6]]: distinct values, extremes in different columns.
const std::vector<double> kMixed = {1, 5, 3, 4, 2, 6};

std::vector<OpCase> hand_worked_rows() {
  return {
      // [[1, 2, 3], [4, 5, 6]] along axis 1: 1+2+3 = 6, 4+5+6 = 15.
      row("sum (2, 3) axis [1] hand-worked", {given_input({2, 3}, kOneToSix)},
          [](const Values& x) -> Values { return {ops::sum(x[0], {1})}; }, {{6, 15}}),
      // 1+2+3+4+5+6 = 21.
      row("sum (2, 3) all hand-worked", {given_input({2, 3}, kOneToSix)},
          [](const Values& x) -> Values { return {ops::sum(x[0])}; }, {{21}}),
      // Columns 1+4, 2+5, 3+6, kept as shape (1, 3).
      row("sum (2, 3) axis [0] keepdims hand-worked", {given_input({2, 3}, kOneToSix)},
          [](const Values& x) -> Values { return {ops::sum(x[0], {0}, true)}; }, {{5, 7, 9}}),
      row("sum int32 (2, 3) axis [0] hand-worked", {given_input({2, 3}, kOneToSix, DType::int32)},
          [](const Values& x) -> Values { return {ops::sum(x[0], {0})}; }, {{5, 7, 9}}),
      // 6 / 3 = 2, 15 / 3 = 5.
      row("mean (2, 3) axis [-1] hand-worked", {given_input({2, 3}, kOneToSix)},
          [](const Values& x) -> Values { return {ops::mean(x[0], {-1})}; }, {{2, 5}}),
      // 21 / 6 = 3.5.
      row("mean (2, 3) all hand-worked", {given_input({2, 3}, kOneToSix)},
          [](const Values& x) -> Values { return {ops::mean(x[0])}; }, {{3.5}}),
      // 1*2*3 = 6, 4*5*6 = 120.
      row("prod (2, 3) axis [1] hand-worked", {given_input({2, 3}, kOneToSix)},
          [](const Values& x) -> Values { return {ops::prod(x[0], {1})}; }, {{6, 120}}),
      // Rows of [[1, 5, 3], [4, 2, 6]]: maxima 5 and 6, minima 1 and 2.
      row("max (2, 3) axis [1] hand-worked", {given_input({2, 3}, kMixed)},
          [](const Values& x) -> Values { return {ops::max(x[0], {1})}; }, {{5, 6}}),
      row("min (2, 3) axis [1] hand-worked", {given_input({2, 3}, kMixed)},
          [](const Values& x) -> Values { return {ops::min(x[0], {1})}; }, {{1, 2}}),
      // Columns: max(1, 4), max(5, 2), max(3, 6).
      row("max (2, 3) axis [0] hand-worked", {given_input({2, 3}, kMixed)},
          [](const Values& x) -> Values { return {ops::max(x[0], {0})}; }, {{4, 5, 6}}),
      row("max int64 (4,) all hand-worked", {given_input({4}, {-3, 7, 2, 7}, DType::int64)},
          [](const Values& x) -> Values { return {ops::max(x[0])}; }, {{7}}),
      row("min int32 (2, 2) axis [-1] hand-worked",
          {given_input({2, 2}, {5, -1, 0, 3}, DType::int32)},
          [](const Values& x) -> Values { return {ops::min(x[0], {-1})}; }, {{-1, 0}}),
  };
}

std::vector<OpCase> arg_rows() {
  return {
      // [[1, 5, 3], [4, 2, 6]]: row maxima at 1 and 2; column maxima in rows 1, 0, 1.
      row("argmax (2, 3) axis -1 hand-worked", {given_input({2, 3}, kMixed)},
          [](const Values& x) -> Values { return {ops::argmax(x[0])}; }, {{1, 2}}),
      row("argmax (2, 3) axis 0 hand-worked", {given_input({2, 3}, kMixed)},
          [](const Values& x) -> Values { return {ops::argmax(x[0], 0)}; }, {{1, 0, 1}}),
      // Row minima at 0 and 1; column minima in rows 0, 1, 0.
      row("argmin (2, 3) axis -1 hand-worked", {given_input({2, 3}, kMixed)},
          [](const Values& x) -> Values { return {ops::argmin(x[0], -1)}; }, {{0, 1}}),
      row("argmin (2, 3) axis 0 hand-worked", {given_input({2, 3}, kMixed)},
          [](const Values& x) -> Values { return {ops::argmin(x[0], 0)}; }, {{0, 1, 0}}),
      // Ties go to the first occurrence, as in NumPy.
      row("argmax (4,) ties hand-worked", {given_input({4}, {2, 7, 7, 1})},
          [](const Values& x) -> Values { return {ops::argmax(x[0])}; }, {{1}}),
      row("argmin int32 (3,) ties hand-worked", {given_input({3}, {3, 1, 1}, DType::int32)},
          [](const Values& x) -> Values { return {ops::argmin(x[0])}; }, {{1}}),
      row("argmax (1, 5) axis -1", {random_input({1, 5})},
          [](const Values& x) -> Values { return {ops::argmax(x[0])}; }),
      row("argmin (3, 4, 5) axis 1", {random_input({3, 4, 5})},
          [](const Values& x) -> Values { return {ops::argmin(x[0], 1)}; }),
  };
}

// J^T y for y = reduce(x), worked by hand (see shape_rows.hpp).
std::vector<OpCase> vjp_rows() {
  return {
      // y = [6, 15] broadcast back over axis 1.
      vjp_row("sum vjp (2, 3) axis [1]", {given_input({2, 3}, kOneToSix)},
              [](const Values& x) { return ops::sum(x[0], {1}); }, {{6, 6, 6, 15, 15, 15}}),
      // y = [2.5, 3.5, 4.5], each spread over 2 rows: y / 2. With the batch
      // unknown the count is taken at run time.
      vjp_row("mean vjp (2, 3) axis [0]", {given_input({2, 3}, kOneToSix)},
              [](const Values& x) { return ops::mean(x[0], {0}); },
              {{1.25, 1.75, 2.25, 1.25, 1.75, 2.25}}),
      // y = 3.5 spread over 6 elements: 3.5 / 6 each.
      vjp_row("mean vjp (2, 3) all", {given_input({2, 3}, kOneToSix)},
              [](const Values& x) { return ops::mean(x[0]); }, {std::vector<double>(6, 3.5 / 6)}),
      // max([1, 3, 3, 2]) = 3, reached twice: each maximum gets 3 / 2 (TF's rule).
      vjp_row("max vjp (4,) ties split equally", {given_input({4}, {1, 3, 3, 2})},
              [](const Values& x) { return ops::max(x[0]); }, {{0, 1.5, 1.5, 0}}),
      // Row minima of [[2, 1, 1], [4, 5, 4]]: 1 twice, 4 twice; each gets half.
      vjp_row("min vjp (2, 3) axis [1] keepdims ties split equally",
              {given_input({2, 3}, {2, 1, 1, 4, 5, 4})},
              [](const Values& x) { return ops::min(x[0], {1}, true); }, {{0, 0.5, 0.5, 2, 0, 2}}),
      // y = 1*2*4 = 8; dy/dx = y / x = [8, 4, 2]; times y: [64, 32, 16].
      vjp_row("prod vjp (3,)", {given_input({3}, {1, 2, 4})},
              [](const Values& x) { return ops::prod(x[0]); }, {{64, 32, 16}}),
  };
}

std::vector<OpCase> all_rows() {
  std::vector<OpCase> rows = hand_worked_rows();
  for (OpCase& r : arg_rows()) rows.push_back(std::move(r));
  for (OpCase& r : vjp_rows()) rows.push_back(std::move(r));
  add_random_rows(rows, "sum", ops::sum);
  add_random_rows(rows, "mean", ops::mean);
  add_random_rows(rows, "max", ops::max);
  add_random_rows(rows, "min", ops::min);
  // Away from zero, where prod's gradient prod / x is defined.
  add_random_rows(rows, "prod", ops::prod, 0.5, 1.5);
  return rows;
}

static RegisterCases cases(all_rows());

}  // namespace

TEST_CASE("reductions reject bad axes and dtypes", "[ops][reductions][errors]") {
  auto graph = graph::Graph::create();
  graph::GraphScope scope(graph);
  const Value x = ops::placeholder({2, 3});
  REQUIRE_THROWS_WITH(ops::sum(x, {0, -2}), Catch::Contains("names the same axis more than once"));
  REQUIRE_THROWS_WITH(ops::max(x, {2}), Catch::Contains("axis 2 is out of range for rank 2"));
  REQUIRE_THROWS_WITH(ops::mean(ops::placeholder({3}, DType::int32)),
                      Catch::Contains("must be float32 or float64, got int32"));
  REQUIRE_THROWS_WITH(ops::min(ops::placeholder({0, 3}), {0}),
                      Catch::Contains("cannot reduce axis 0 of size 0"));
  REQUIRE_THROWS_WITH(ops::argmax(ops::placeholder({})), Catch::Contains("rank >= 1"));
}

}  // namespace keras::testing
