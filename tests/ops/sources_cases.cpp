// Rows of the sources: placeholder, constant, variable, assign and the random
// ops. The random ops' determinism and statistics have their own tests; here
// they get shape checks and oneDNN against reference (both backends draw from
// backend/random.hpp, so the numbers match exactly).
#include <catch2/catch.hpp>

#include <cmath>

#include "keras/backend/function.hpp"
#include "keras/graph/ops.hpp"
#include "row_helpers.hpp"

namespace keras::testing {

namespace {

using namespace rows;

// A variable of x's dtype and shape (an unknown batch taken as `batch`), zeros.
Variable variable_like(const Value& x, const std::string& name, std::int64_t batch) {
  std::vector<std::int64_t> dims = x.shape().dims();
  if (!dims.empty() && dims[0] == Shape::kUnknown) dims[0] = batch;
  return Variable(name, Tensor::zeros(Shape(dims), x.dtype()));
}

std::vector<OpCase> source_cases() {
  return {
      // The executor feeds the placeholder; the fetch is the fed tensor.
      row("placeholder (2, 3) fetched as fed", {given_input({2, 3}, {1, 2, 3, 4, 5, 6})},
          [](const std::vector<Value>& in) { return in; }, {{1, 2, 3, 4, 5, 6}}),
      row("constant (2, 2) float64", {},
          [](const std::vector<Value>&) {
            return std::vector<Value>{
                ops::constant(Tensor({2, 2}, std::vector<double>{1, 2, 3, 4}))};
          },
          {{1, 2, 3, 4}}),
      // 3 * x + 0.5 through scalar_like: (1, -2, 4) -> (3.5, -5.5, 12.5).
      row("scalar_like 3 * x + 0.5 (3,)", {given_input({3}, {1, -2, 4})},
          [](const std::vector<Value>& in) { return std::vector<Value>{in[0] * 3.0 + 0.5}; },
          {{3.5, -5.5, 12.5}}),
      row("variable read (2, 2)", {},
          [](const std::vector<Value>&) {
            Variable v("kernel", Tensor({2, 2}, std::vector<float>{1.5f, -2, 0.25f, 4}));
            return std::vector<Value>{ops::read(v)};
          },
          {{1.5, -2, 0.25, 4}}),
      // x * read(v), v = (2, -1, 0.5): (1, 2, 3) -> (2, -2, 1.5); d/dx = v.
      row("variable read times x (3,)", {given_input({3}, {1, 2, 3})},
          [](const std::vector<Value>& in) {
            Variable v("scale", Tensor({3}, std::vector<double>{2, -1, 0.5}).astype(in[0].dtype()));
            return std::vector<Value>{in[0] * ops::read(v)};
          },
          {{2, -2, 1.5}}),
      // assign passes no gradient, while its output moves with x.
      without_gradients(row("assign (2, 3)", {given_input({2, 3}, {1, -2, 3, -4, 5, -6})},
                            [](const std::vector<Value>& in) {
                              Variable v = variable_like(in[0], "assigned", 2);
                              return std::vector<Value>{ops::assign(v, in[0])};
                            },
                            {{1, -2, 3, -4, 5, -6}})),
  };
}

Build random_uniform_of(Shape shape, double minval, double maxval, DType dtype, std::int64_t seed) {
  return [=](const std::vector<Value>&) {
    return std::vector<Value>{ops::random_uniform(shape, minval, maxval, dtype, seed)};
  };
}

Build random_normal_of(Shape shape, double mean, double stddev, DType dtype, std::int64_t seed) {
  return [=](const std::vector<Value>&) {
    return std::vector<Value>{ops::random_normal(shape, mean, stddev, dtype, seed)};
  };
}

Build random_uniform_like_of(double minval, double maxval, std::int64_t seed) {
  return [=](const std::vector<Value>& in) {
    return std::vector<Value>{ops::random_uniform_like(in[0], minval, maxval, seed)};
  };
}

Build random_normal_like_of(double mean, double stddev, std::int64_t seed) {
  return [=](const std::vector<Value>& in) {
    return std::vector<Value>{ops::random_normal_like(in[0], mean, stddev, seed)};
  };
}

std::vector<OpCase> random_cases() {
  return {
      without_gradients(row("random_uniform (3, 4) float32 seed 7", {},
                            random_uniform_of({3, 4}, 0.0, 1.0, DType::float32, 7))),
      without_gradients(row("random_uniform (17,) [-3, 5) float64 seed -1", {},
                            random_uniform_of({17}, -3.0, 5.0, DType::float64, -1))),
      without_gradients(row("random_uniform () float32 seed 1", {},
                            random_uniform_of({}, 0.0, 1.0, DType::float32, 1))),
      without_gradients(row("random_normal (5, 3) float32 seed 11", {},
                            random_normal_of({5, 3}, 0.0, 1.0, DType::float32, 11))),
      without_gradients(row("random_normal (2, 3, 5) mean 2 stddev 0.5 float64 seed -1", {},
                            random_normal_of({2, 3, 5}, 2.0, 0.5, DType::float64, -1))),
      // The _like ops take x's shape at run time (the driver also runs them
      // with x's batch unknown); x's values are never read.
      without_gradients(row("random_uniform_like (4, 3) [-1, 2) seed 5", {random_input({4, 3})},
                            random_uniform_like_of(-1.0, 2.0, 5))),
      without_gradients(row("random_uniform_like () seed -1", {random_input({})},
                            random_uniform_like_of(0.0, 1.0, -1))),
      without_gradients(row("random_normal_like (3, 2, 4) mean 1 stddev 0.5 seed 13",
                            {random_input({3, 2, 4})}, random_normal_like_of(1.0, 0.5, 13))),
      without_gradients(row("random_normal_like batch 1 (1, 7) seed -1", {random_input({1, 7})},
                            random_normal_like_of(0.0, 1.0, -1))),
  };
}

std::vector<OpCase> all_cases() {
  std::vector<OpCase> cases = source_cases();
  for (OpCase& c : random_cases()) cases.push_back(std::move(c));
  return cases;
}

static RegisterCases cases(all_cases());

}  // namespace

TEST_CASE("ops::read reuses the graph's node of a variable", "[ops][sources]") {
  auto graph = graph::Graph::create();
  graph::GraphScope scope(graph);
  Variable v("dense/kernel", Tensor::zeros({3, 2}));
  const Value first = ops::read(v);
  CHECK(ops::read(v) == first);
  CHECK(first.node()->name() == "dense/kernel");
  Variable other("dense/bias", Tensor::zeros({2}));
  CHECK(ops::read(other) != first);
}

TEST_CASE("random ops store a concrete seed", "[ops][sources]") {
  auto graph = graph::Graph::create();
  graph::GraphScope scope(graph);
  const Value a = ops::random_uniform({2});
  const Value b = ops::random_normal({2});
  CHECK(a.node()->attrs().get_int("seed") != -1);
  CHECK(b.node()->attrs().get_int("seed") != -1);
  CHECK(a.node()->attrs().get_int("seed") != b.node()->attrs().get_int("seed"));
  CHECK(ops::random_uniform({2}, 0, 1, DType::float32, 5).node()->attrs().get_int("seed") == 5);
}

TEST_CASE("random _like ops draw what the shaped random ops draw, at x's run-time shape",
          "[ops][sources]") {
  auto graph = graph::Graph::create();
  graph::GraphScope scope(graph);
  const Value x = ops::placeholder({Shape::kUnknown, 3});
  const Value noise = ops::random_normal_like(x, 2.0, 0.5, 17);
  const Value uniform = ops::random_uniform_like(x, -1.0, 1.0, 19);
  CHECK(noise.shape() == Shape({Shape::kUnknown, 3}));
  CHECK(noise.dtype() == DType::float32);
  // The same generator, seed, step and element index as random_normal((4, 3)).
  const Value shaped = ops::random_normal({4, 3}, 2.0, 0.5, DType::float32, 17);
  const Value shaped_uniform = ops::random_uniform({4, 3}, -1.0, 1.0, DType::float32, 19);
  auto plan =
      backend::compile({x}, {{DType::float32, {4, 3}}}, {noise, shaped, uniform, shaped_uniform},
                       {}, backend::reference_backend());
  const std::vector<Tensor> out = plan->run({Tensor::zeros({4, 3})}, backend::RunOptions{2});
  REQUIRE(out[0].shape() == Shape{4, 3});
  CHECK(out[0].to_vector<float>() == out[1].to_vector<float>());
  CHECK(out[2].to_vector<float>() == out[3].to_vector<float>());
}

TEST_CASE("random_normal_like has the requested moments", "[ops][sources]") {
  auto graph = graph::Graph::create();
  graph::GraphScope scope(graph);
  const Value x = ops::placeholder({Shape::kUnknown, 100}, DType::float64);
  const Value noise = ops::random_normal_like(x, 1.0, 0.25, 23);
  auto plan = backend::compile({x}, {{DType::float64, {40, 100}}}, {noise}, {},
                               backend::reference_backend());
  const std::vector<double> values =
      plan->run({Tensor::zeros({40, 100}, DType::float64)}, backend::RunOptions{0})[0]
          .to_vector<double>();
  double sum = 0.0;
  double squares = 0.0;
  for (double v : values) {
    sum += v;
    squares += v * v;
  }
  const double n = static_cast<double>(values.size());
  const double mean = sum / n;
  const double stddev = std::sqrt(squares / n - mean * mean);
  // 4000 draws: the sample mean's standard error is 0.25 / sqrt(4000) ~ 0.004.
  CHECK(mean == Approx(1.0).margin(0.02));
  CHECK(stddev == Approx(0.25).margin(0.01));
}

TEST_CASE("source ops reject bad arguments with messages", "[ops][sources]") {
  using Catch::Matchers::Contains;
  auto graph = graph::Graph::create();
  graph::GraphScope scope(graph);
  REQUIRE_THROWS_WITH(ops::random_uniform({Shape::kUnknown, 3}), Contains("fully known"));
  REQUIRE_THROWS_WITH(ops::random_uniform({2}, 0, 1, DType::int32), Contains("int32"));
  REQUIRE_THROWS_WITH(ops::random_normal({2}, 0, -1), Contains("stddev=-1"));
  const Value counts = ops::placeholder({Shape::kUnknown, 2}, DType::int32);
  REQUIRE_THROWS_WITH(ops::random_normal_like(counts), Contains("int32"));
  const Value floats = ops::placeholder({Shape::kUnknown, 2});
  REQUIRE_THROWS_WITH(ops::random_normal_like(floats, 0, -2), Contains("stddev=-2"));
  REQUIRE_THROWS_WITH(ops::random_uniform_like(floats, 3, 1), Contains("minval=3, maxval=1"));
  Variable v("w", Tensor::zeros({2, 3}));
  const Value x = ops::placeholder({3, 2});
  REQUIRE_THROWS_WITH(ops::assign(v, x), Contains("variable 'w' holds (2, 3) float32"));
}

TEST_CASE("source gradients agree with the batch unknown", "[ops][sources][unknown_batch]") {
  for (const OpCase& c : all_cases()) {
    DYNAMIC_SECTION(c.name) {
      rows::check_gradients_with_unknown_batch(c);
    }
  }
}

}  // namespace keras::testing
