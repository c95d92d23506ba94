#pragma once
// Row builders for the shape, reduction and selection op families. They fill
// OpCase and InputSpec by assignment, so rows name only what they change
// (aggregate initializers that skip members warn under -Wextra).
//
// vjp_of_self rows check a VJP rule against hand-worked values: the row's
// output is d(0.5 * sum(y * y))/dx = J^T y, easy to work out for linear ops.
// The driver also builds every row with the batch unknown, so these rows run
// the rules on unknown shapes, which the finite-difference check does not.
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "keras/autodiff/gradients.hpp"
#include "keras/graph/ops.hpp"
#include "op_case.hpp"
#include "row_builders.hpp"

namespace keras::testing {

using BuildFn = RowBuild;

inline OpCase known_batch_only(OpCase c) {
  c.check_unknown_batch = false;
  return c;
}

// Names of the rows whose hand-worked values also hold with the batch unknown
// (vjp_unknown_batch_test.cpp checks them; the driver only checks shapes then).
inline std::set<std::string>& unknown_batch_value_rows() {
  static std::set<std::string> names;
  return names;
}

inline OpCase values_checked_with_unknown_batch(OpCase c) {
  unknown_batch_value_rows().insert(c.name);
  return c;
}

// J^T y for y = f(x), one gradient per value of `wrt`.
inline std::vector<graph::Value> vjp_of_self(const graph::Value& y,
                                             const std::vector<graph::Value>& wrt) {
  return autodiff::gradients(ops::sum(y * y) * 0.5, wrt);
}

// A vjp_of_self row with its hand-worked gradients.
inline OpCase vjp_row(std::string name, std::vector<InputSpec> inputs,
                      std::function<graph::Value(const std::vector<graph::Value>&)> forward,
                      std::vector<std::vector<double>> expected) {
  OpCase c = row(
      std::move(name), std::move(inputs),
      [forward](const std::vector<graph::Value>& x) { return vjp_of_self(forward(x), x); },
      std::move(expected));
  return values_checked_with_unknown_batch(without_gradients(std::move(c)));
}

}  // namespace keras::testing
