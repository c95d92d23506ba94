// Rows for cast.
#include "shape_rows.hpp"

namespace keras::testing {

namespace {

using graph::Value;
using Values = std::vector<Value>;

std::vector<OpCase> all_rows() {
  return {
      // Floating to integer truncates toward zero, as C++ and NumPy do.
      row("cast (4,) to int32 hand-worked", {given_input({4}, {1.7, -1.7, 0.0, 2.2})},
          [](const Values& x) -> Values { return {ops::cast(x[0], DType::int32)}; },
          {{1, -1, 0, 2}}),
      // Anything nonzero is true.
      row("cast (3,) to bool hand-worked", {given_input({3}, {0.0, 1.5, -2.0})},
          [](const Values& x) -> Values { return {ops::cast(x[0], DType::bool_)}; }, {{0, 1, 1}}),
      row("cast int32 (3,) to float32 hand-worked", {given_input({3}, {1, -2, 3}, DType::int32)},
          [](const Values& x) -> Values { return {ops::cast(x[0], DType::float32)}; },
          {{1, -2, 3}}),
      row("cast bool (3,) to float64 hand-worked", {given_input({3}, {1, 0, 1}, DType::bool_)},
          [](const Values& x) -> Values { return {ops::cast(x[0], DType::float64)}; }, {{1, 0, 1}}),
      row("cast int64 (2,) to int32 hand-worked", {given_input({2}, {-5, 40000}, DType::int64)},
          [](const Values& x) -> Values { return {ops::cast(x[0], DType::int32)}; }, {{-5, 40000}}),
      row("cast (2, 3) to float64", {random_input({2, 3})},
          [](const Values& x) -> Values { return {ops::cast(x[0], DType::float64)}; }),
      row("cast () to float64", {random_input({})},
          [](const Values& x) -> Values { return {ops::cast(x[0], DType::float64)}; }),
      // Rounding to float32 hides the finite-difference step, so no gradient check.
      without_gradients(
          row("cast (1, 4) to float32", {random_input({1, 4})},
              [](const Values& x) -> Values { return {ops::cast(x[0], DType::float32)}; })),
      // The gradient is cast back to the input's dtype: J^T y = x.
      vjp_row("cast vjp (3,) to float64", {given_input({3}, {1, 2, 3})},
              [](const Values& x) { return ops::cast(x[0], DType::float64); }, {{1, 2, 3}}),
  };
}

static RegisterCases cases(all_rows());

}  // namespace

}  // namespace keras::testing
