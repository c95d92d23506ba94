// Rows of the unary_math family.
#include "elementwise_case_helpers.hpp"
#include "keras/graph/ops.hpp"

namespace keras::testing {

namespace {

using namespace elementwise;

struct Unary {
  const char* name;
  Value (*op)(const Value&);
  // The random inputs' domain: positive for log, sqrt and rsqrt, above -1
  // for log1p.
  double low, high;
};

std::vector<Unary> unary_ops() {
  return {{"negative", ops::negative, -2, 2}, {"abs", ops::abs, -2, 2},
          {"exp", ops::exp, -2, 2},           {"log", ops::log, 0.2, 3},
          {"log1p", ops::log1p, -0.5, 2},     {"sqrt", ops::sqrt, 0.2, 3},
          {"square", ops::square, -2, 2},     {"rsqrt", ops::rsqrt, 0.2, 3},
          {"sign", ops::sign, -2, 2}};
}

std::vector<OpCase> random_cases() {
  std::vector<OpCase> cases;
  for (const Unary& op : unary_ops()) {
    for (const Shape& shape : unary_shapes()) {
      cases.push_back(OpCase{.name = fmt::format("{} {}", op.name, shape.to_string()),
                             .inputs = {random_input(shape, op.low, op.high)},
                             .build = unary(op.op),
                             .expected = {}});
    }
  }
  return cases;
}

std::vector<OpCase> hand_worked_cases() {
  return {
      {.name = "negative (3,) hand-worked",
       .inputs = {given_input({3}, {1, -2.5, 0})},
       .build = unary(ops::negative),
       .expected = {{-1, 2.5, 0}}},
      // abs'(0) = 0 matches the central difference at 0.
      {.name = "abs (3,) hand-worked",
       .inputs = {given_input({3}, {-1.5, 2, 0})},
       .build = unary(ops::abs),
       .expected = {{1.5, 2, 0}}},
      // [e^0, e^1, e^-1]
      {.name = "exp (3,) hand-worked",
       .inputs = {given_input({3}, {0, 1, -1})},
       .build = unary(ops::exp),
       .expected = {{1, 2.718281828459045, 0.36787944117144233}}},
      // [log 1, log e, log 0.5]
      {.name = "log (3,) hand-worked",
       .inputs = {given_input({3}, {1, 2.718281828459045, 0.5})},
       .build = unary(ops::log),
       .expected = {{0, 1, -0.6931471805599453}}},
      // [log 1, log 2, log 0.5]
      {.name = "log1p (3,) hand-worked",
       .inputs = {given_input({3}, {0, 1, -0.5})},
       .build = unary(ops::log1p),
       .expected = {{0, 0.6931471805599453, -0.6931471805599453}}},
      {.name = "sqrt (3,) hand-worked",
       .inputs = {given_input({3}, {4, 2.25, 0.01})},
       .build = unary(ops::sqrt),
       .expected = {{2, 1.5, 0.1}}},
      {.name = "square (3,) hand-worked",
       .inputs = {given_input({3}, {3, -1.5, 0.5})},
       .build = unary(ops::square),
       .expected = {{9, 2.25, 0.25}}},
      // [1 / sqrt 4, 1 / sqrt 0.25, 1 / sqrt 1]
      {.name = "rsqrt (3,) hand-worked",
       .inputs = {given_input({3}, {4, 0.25, 1})},
       .build = unary(ops::rsqrt),
       .expected = {{0.5, 2, 1}}},
      // sign jumps at 0, where finite differences do not apply.
      {.name = "sign (3,) hand-worked",
       .inputs = {given_input({3}, {-3, 0, 2.5})},
       .build = unary(ops::sign),
       .expected = {{-1, 0, 1}},
       .check_gradients = false},
      {.name = "negative int32 (3,) hand-worked",
       .inputs = {given_input({3}, {4, -7, 0}, DType::int32)},
       .build = unary(ops::negative),
       .expected = {{-4, 7, 0}}},
      {.name = "abs int64 (3,) hand-worked",
       .inputs = {given_input({3}, {4, -7, 0}, DType::int64)},
       .build = unary(ops::abs),
       .expected = {{4, 7, 0}}},
      {.name = "square int32 (3,) hand-worked",
       .inputs = {given_input({3}, {4, -7, 0}, DType::int32)},
       .build = unary(ops::square),
       .expected = {{16, 49, 0}}},
      {.name = "sign int64 (3,) hand-worked",
       .inputs = {given_input({3}, {4, -7, 0}, DType::int64)},
       .build = unary(ops::sign),
       .expected = {{1, -1, 0}}},
  };
}

std::vector<OpCase> all_cases() {
  std::vector<OpCase> cases = hand_worked_cases();
  for (OpCase& c : random_cases()) cases.push_back(std::move(c));
  return cases;
}

RegisterCases cases(all_cases());

}  // namespace

}  // namespace keras::testing
