// Rows for fill_like (zeros_like, ones_like).
#include "shape_rows.hpp"

namespace keras::testing {

namespace {

using graph::Value;
using Values = std::vector<Value>;

std::vector<OpCase> all_rows() {
  return {
      row("zeros_like (2,) hand-worked", {given_input({2}, {3, -4})},
          [](const Values& x) -> Values { return {ops::zeros_like(x[0])}; }, {{0, 0}}),
      row("ones_like (2,) hand-worked", {given_input({2}, {3, -4})},
          [](const Values& x) -> Values { return {ops::ones_like(x[0])}; }, {{1, 1}}),
      row("ones_like int32 (3,) hand-worked", {given_input({3}, {5, 6, 7}, DType::int32)},
          [](const Values& x) -> Values { return {ops::ones_like(x[0])}; }, {{1, 1, 1}}),
      row("ones_like bool (2,) hand-worked", {given_input({2}, {0, 1}, DType::bool_)},
          [](const Values& x) -> Values { return {ops::ones_like(x[0])}; }, {{1, 1}}),
      row("zeros_like ()", {random_input({})},
          [](const Values& x) -> Values { return {ops::zeros_like(x[0])}; }),
      row("ones_like (1, 4)", {random_input({1, 4})},
          [](const Values& x) -> Values { return {ops::ones_like(x[0])}; }),
      // No gradient flows to x: the finite differences are zero too.
      row("ones_like (3, 5)", {random_input({3, 5})},
          [](const Values& x) -> Values { return {ops::ones_like(x[0])}; }),
  };
}

static RegisterCases cases(all_rows());

}  // namespace

}  // namespace keras::testing
