// Rows of matmul: hand-worked products for each transpose flag, then random
// rows over batch broadcasting, rank-1 operands (numpy.matmul's rule), a
// batch of 1 and odd sizes.
#include <catch2/catch.hpp>

#include "keras/graph/ops.hpp"
#include "row_helpers.hpp"

namespace keras::testing {

namespace {

using namespace rows;

Build matmul_of(bool transpose_a = false, bool transpose_b = false) {
  return [=](const std::vector<Value>& in) {
    return std::vector<Value>{ops::matmul(in[0], in[1], {transpose_a, transpose_b})};
  };
}

// Float32 GEMMs sum in different orders on the two backends; near-zero
// results of cancelling sums need an absolute tolerance.
OpCase gemm_row(std::string name, std::vector<InputSpec> inputs, Build build,
                std::vector<std::vector<double>> expected = {}) {
  OpCase c = row(std::move(name), std::move(inputs), std::move(build), std::move(expected));
  c.atol32 = 1e-5;
  return c;
}

std::vector<OpCase> hand_worked_cases() {
  const InputSpec a23 = given_input({2, 3}, {1, 2, 3, 4, 5, 6});
  const InputSpec a32 = given_input({3, 2}, {1, 2, 3, 4, 5, 6});
  return {
      // [[1,2,3],[4,5,6]] x [[7,8],[9,10],[11,12]]
      //   = [[7+18+33, 8+20+36], [28+45+66, 32+50+72]] = [[58, 64], [139, 154]]
      gemm_row("matmul (2, 3) x (3, 2)", {a23, given_input({3, 2}, {7, 8, 9, 10, 11, 12})},
               matmul_of(), {{58, 64, 139, 154}}),
      // a^T = [[1,3,5],[2,4,6]]; x [[7,8],[9,10],[11,12]]
      //   = [[7+27+55, 8+30+60], [14+36+66, 16+40+72]] = [[89, 98], [116, 128]]
      gemm_row("matmul transpose_a (3, 2)^T x (3, 2)",
               {a32, given_input({3, 2}, {7, 8, 9, 10, 11, 12})}, matmul_of(true, false),
               {{89, 98, 116, 128}}),
      // [[1,2,3],[4,5,6]] x [[7,8,9],[10,11,12]]^T
      //   = [[7+16+27, 10+22+36], [28+40+54, 40+55+72]] = [[50, 68], [122, 167]]
      gemm_row("matmul transpose_b (2, 3) x (2, 3)^T",
               {a23, given_input({2, 3}, {7, 8, 9, 10, 11, 12})}, matmul_of(false, true),
               {{50, 68, 122, 167}}),
      // a^T = [[1,3,5],[2,4,6]], b^T = [[7,10],[8,11],[9,12]]:
      //   [[7+24+45, 10+33+60], [14+32+54, 20+44+72]] = [[76, 103], [100, 136]]
      gemm_row("matmul transpose_a transpose_b (3, 2)^T x (2, 3)^T",
               {a32, given_input({2, 3}, {7, 8, 9, 10, 11, 12})}, matmul_of(true, true),
               {{76, 103, 100, 136}}),
      // (1, 2, 3) . (4, 5, 6) = 4 + 10 + 18 = 32, a scalar as in numpy.matmul.
      gemm_row("matmul vector (3,) x vector (3,)",
               {given_input({3}, {1, 2, 3}), given_input({3}, {4, 5, 6})}, matmul_of(), {{32}}),
      // (1, 2, 3) x [[1,2],[3,4],[5,6]] = (1+6+15, 2+8+18) = (22, 28)
      gemm_row("matmul vector (3,) x (3, 2)", {given_input({3}, {1, 2, 3}), a32}, matmul_of(),
               {{22, 28}}),
  };
}

std::vector<OpCase> random_cases() {
  auto r = [](Shape shape) { return random_input(std::move(shape)); };
  return {
      gemm_row("matmul (5, 7) x (7, 3)", {r({5, 7}), r({7, 3})}, matmul_of()),
      gemm_row("matmul batch 1 (1, 4) x (4, 6)", {r({1, 4}), r({4, 6})}, matmul_of()),
      gemm_row("matmul (1, 1) x (1, 1)", {r({1, 1}), r({1, 1})}, matmul_of()),
      gemm_row("matmul transpose_a transpose_b (4, 3)^T x (5, 4)^T", {r({4, 3}), r({5, 4})},
               matmul_of(true, true)),
      gemm_row("matmul batched (2, 3, 4) x (2, 4, 5)", {r({2, 3, 4}), r({2, 4, 5})}, matmul_of()),
      gemm_row("matmul batched (2, 3, 4) x (4, 5)", {r({2, 3, 4}), r({4, 5})}, matmul_of()),
      gemm_row("matmul batched (3, 4) x (2, 4, 5)", {r({3, 4}), r({2, 4, 5})}, matmul_of()),
      gemm_row("matmul broadcast batch (2, 1, 3, 4) x (3, 4, 2)", {r({2, 1, 3, 4}), r({3, 4, 2})},
               matmul_of()),
      gemm_row("matmul batched transpose_a transpose_b (2, 4, 3)^T x (2, 5, 4)^T",
               {r({2, 4, 3}), r({2, 5, 4})}, matmul_of(true, true)),
      gemm_row("matmul batched transpose_b (3, 2, 5) x (1, 4, 5)^T", {r({3, 2, 5}), r({1, 4, 5})},
               matmul_of(false, true)),
      gemm_row("matmul (3, 4) x vector (4,)", {r({3, 4}), r({4})}, matmul_of()),
      gemm_row("matmul vector (4,) x batched (2, 4, 3)", {r({4}), r({2, 4, 3})}, matmul_of()),
      gemm_row("matmul vector (6,) x vector (6,)", {r({6}), r({6})}, matmul_of()),
  };
}

std::vector<OpCase> all_cases() {
  std::vector<OpCase> cases = hand_worked_cases();
  for (OpCase& c : random_cases()) cases.push_back(std::move(c));
  return cases;
}

static RegisterCases cases(all_cases());

}  // namespace

TEST_CASE("matmul names both shapes when the contraction axes differ", "[ops][matmul]") {
  using Catch::Matchers::Contains;
  auto graph = graph::Graph::create();
  graph::GraphScope scope(graph);
  const Value x = ops::placeholder({Shape::kUnknown, 32}, DType::float32, "x");
  const Value w = ops::placeholder({64, 10});
  REQUIRE_THROWS_WITH(ops::matmul(x, w), Contains("(None, 32)") && Contains("(64, 10)") &&
                                             Contains("contraction axes differ (32 vs 64)"));
  REQUIRE_THROWS_WITH(ops::matmul(ops::placeholder({2, 3, 4}), ops::placeholder({3, 4, 5})),
                      Contains("batch axes"));
  REQUIRE_THROWS_WITH(ops::matmul(ops::placeholder({}), w), Contains("scalar"));
  // Mixed dtypes are promoted; the result of a vector product has its axis removed.
  const Value v = ops::placeholder({64}, DType::float64);
  CHECK(ops::matmul(v, w).shape() == Shape{10});
  CHECK(ops::matmul(v, w).dtype() == DType::float64);
}

TEST_CASE("matmul gradients agree with the batch unknown", "[ops][matmul][unknown_batch]") {
  for (const OpCase& c : all_cases()) {
    DYNAMIC_SECTION(c.name) {
      rows::check_gradients_with_unknown_batch(c);
    }
  }
}

}  // namespace keras::testing
