// Rows of identity and stop_gradient. stop_gradient's rows skip the
// finite-difference check, which sees the identity it computes; a test below
// checks that no gradient flows through it.
#include <catch2/catch.hpp>

#include "keras/autodiff/gradients.hpp"
#include "keras/backend/function.hpp"
#include "keras/graph/ops.hpp"
#include "row_helpers.hpp"

namespace keras::testing {

namespace {

using namespace rows;

Build identity_of() {
  return [](const std::vector<Value>& in) { return std::vector<Value>{ops::identity(in[0])}; };
}

Build stop_gradient_of() {
  return [](const std::vector<Value>& in) { return std::vector<Value>{ops::stop_gradient(in[0])}; };
}

std::vector<OpCase> all_cases() {
  return {
      row("identity (2, 3)", {given_input({2, 3}, {1, -2, 3, -4, 5, -6})}, identity_of(),
          {{1, -2, 3, -4, 5, -6}}),
      row("identity ()", {random_input({})}, identity_of()),
      row("identity (3, 1, 4)", {random_input({3, 1, 4})}, identity_of()),
      without_gradients(row("stop_gradient (2, 2)", {given_input({2, 2}, {0.5, -1, 2, 3})},
                            stop_gradient_of(), {{0.5, -1, 2, 3}})),
      without_gradients(row("stop_gradient (5,)", {random_input({5})}, stop_gradient_of())),
  };
}

static RegisterCases cases(all_cases());

}  // namespace

TEST_CASE("no gradient flows through stop_gradient", "[ops][identity]") {
  auto graph = graph::Graph::create();
  graph::GraphScope scope(graph);
  const Value x = ops::placeholder({3}, DType::float64);
  // loss = sum(x * stop_gradient(x) + identity(x)): d/dx = stop_gradient(x) + 1.
  const Value loss = ops::sum(x * ops::stop_gradient(x) + ops::identity(x));
  const std::vector<Value> grads = autodiff::gradients(loss, {x});
  auto plan =
      backend::compile({x}, {{DType::float64, {3}}}, grads, {}, backend::reference_backend());
  const Tensor values({3}, std::vector<double>{1, -2, 4});
  CHECK(plan->run({values}, backend::RunOptions{0})[0].to_vector<double>() ==
        std::vector<double>{2, -1, 5});
}

TEST_CASE("identity gradients agree with the batch unknown", "[ops][identity][unknown_batch]") {
  for (const OpCase& c : all_cases()) {
    DYNAMIC_SECTION(c.name) {
      rows::check_gradients_with_unknown_batch(c);
    }
  }
}

}  // namespace keras::testing
