#include <catch2/catch.hpp>

#include <cmath>

#include "keras/backend/function.hpp"
#include "keras/graph/ops.hpp"

using Catch::Matchers::Contains;
using keras::DType;
using keras::Shape;
using keras::Tensor;
namespace backend = keras::backend;
namespace graph = keras::graph;
namespace ops = keras::ops;

namespace {
struct FreshGraph {
  std::shared_ptr<graph::Graph> g = graph::Graph::create();
  graph::GraphScope scope{g};
};

Tensor iota(Shape shape) {
  Tensor t(DType::float32, shape);
  for (std::int64_t i = 0; i < t.size(); ++i) t.data<float>()[i] = 1.0f + static_cast<float>(i);
  return t;
}
}  // namespace

TEST_CASE("backend::function runs the graph and compiles once per input-shape signature",
          "[backend][function]") {
  FreshGraph f;
  auto x = ops::placeholder({Shape::kUnknown, 3});
  auto y = ops::sum(x * 2.0, {1});
  auto fn = backend::function({x}, {y});
  // Rows (1, 2, 3) and (4, 5, 6): sums 6 and 15, doubled.
  CHECK(fn({iota({2, 3})})[0].to_vector<float>() == std::vector<float>{12, 30});
  CHECK(fn({iota({2, 3})})[0].to_vector<float>() == std::vector<float>{12, 30});
  CHECK(fn.num_plans() == 1);
  CHECK(fn({iota({1, 3})})[0].to_vector<float>() == std::vector<float>{12});
  CHECK(fn.num_plans() == 2);
}

TEST_CASE("backend::function keeps a bounded cache of plans", "[backend][function]") {
  FreshGraph f;
  auto x = ops::placeholder({Shape::kUnknown, 3});
  auto fn = backend::function({x}, {ops::sum(x, {1})});
  for (std::int64_t rows = 1; rows <= 20; ++rows) {
    const Tensor out = fn({iota({rows, 3})})[0];
    REQUIRE(out.shape() == Shape{rows});
    // Row r holds 3r + 1, 3r + 2, 3r + 3.
    CHECK(out.to_vector<float>().back() == static_cast<float>(9 * (rows - 1) + 6));
    CHECK(fn.num_plans() <= backend::Function::kMaxPlans);
  }
  CHECK(fn.num_plans() == backend::Function::kMaxPlans);
  // An evicted signature compiles again and still computes the right thing.
  CHECK(fn({iota({1, 3})})[0].to_vector<float>() == std::vector<float>{6});
}

TEST_CASE("backend::function rejects feeds of the wrong shape, dtype or count",
          "[backend][function]") {
  FreshGraph f;
  auto x = ops::placeholder({Shape::kUnknown, 3}, DType::float32, "features");
  auto fn = backend::function({x}, {ops::relu(x)});
  CHECK_THROWS_WITH(
      fn({iota({2, 4})}),
      Contains("input 0 ('features') expects (None, 3) float32") && Contains("(2, 4) float32"));
  CHECK_THROWS_WITH(fn({iota({2, 3}).astype(DType::float64)}),
                    Contains("(None, 3) float32") && Contains("(2, 3) float64"));
  CHECK_THROWS_WITH(fn({}), Contains("takes 1 inputs, got 0"));
  auto needs_feed = backend::function({}, {ops::relu(x)});
  CHECK_THROWS_WITH(needs_feed({}), Contains("placeholder 'features'"));
}

TEST_CASE("dropout follows the learning phase", "[backend][function][learning_phase]") {
  FreshGraph f;
  const double rate = 0.25;
  auto x = ops::placeholder({Shape::kUnknown, 100});
  auto y = backend::in_train_phase(ops::dropout(x, rate, 3).output, x);
  auto fn = backend::function({x, backend::learning_phase()}, {y});
  Tensor batch = iota({40, 100});

  SECTION("test mode returns the input exactly and compiles no dropout") {
    Tensor out = fn({batch, Tensor::scalar(0)})[0];
    CHECK(out.to_vector<float>() == batch.to_vector<float>());
    CHECK_THAT(fn.plan_to_string(), !Contains("dropout"));
  }
  SECTION("train mode zeroes about `rate` of the entries and scales the rest") {
    Tensor out = fn({batch, Tensor::scalar(1)})[0];
    std::vector<float> in = batch.to_vector<float>();
    std::vector<float> o = out.to_vector<float>();
    int zeros = 0;
    for (std::size_t i = 0; i < o.size(); ++i) {
      if (o[i] == 0.0f) {
        ++zeros;
      } else {
        CHECK(o[i] == Approx(in[i] / (1 - rate)).epsilon(1e-6));
      }
    }
    const double fraction = static_cast<double>(zeros) / static_cast<double>(o.size());
    CHECK(std::abs(fraction - rate) < 0.03);  // 4000 draws: 5 standard deviations
    CHECK_THAT(fn.plan_to_string(), Contains("dropout"));
    // Each call draws a fresh mask.
    CHECK(fn({batch, Tensor::scalar(1)})[0].to_vector<float>() != o);
  }
}

TEST_CASE("the learning phase must be fed as a scalar", "[backend][function][learning_phase]") {
  FreshGraph f;
  auto x = ops::placeholder({2});
  auto fn =
      backend::function({x, backend::learning_phase()}, {backend::in_train_phase(x * 2.0, x)});
  CHECK(fn({iota({2}), Tensor::scalar(1)})[0].to_vector<float>() == std::vector<float>{2, 4});
  CHECK(fn({iota({2}), Tensor::scalar(0)})[0].to_vector<float>() == std::vector<float>{1, 2});
  CHECK_THROWS_WITH(fn({iota({2}), iota({2})}), Contains("learning phase (input 1)"));
}

TEST_CASE("updates are applied after the outputs are computed", "[backend][function]") {
  FreshGraph f;
  keras::Variable counter("counter", Tensor::scalar(1.0));
  auto value = ops::read(counter);
  auto fn = backend::function({}, {value * 10.0}, {{counter, value + 1.0}});
  CHECK(fn({})[0].item() == 10.0);
  CHECK(counter.value().item() == 2.0);
  CHECK(fn({})[0].item() == 20.0);
  CHECK(counter.value().item() == 3.0);
}

TEST_CASE("random ops are reproducible per seed and fresh per call", "[backend][function]") {
  FreshGraph f;
  auto r = ops::random_normal({1000}, 2.0, 0.5, DType::float32, 11);
  auto a = backend::function({}, {r});
  auto b = backend::function({}, {r}, {}, {.backend = &backend::reference_backend()});
  std::vector<float> first = a({})[0].to_vector<float>();
  CHECK(b({})[0].to_vector<float>() == first);  // both backends share the generator
  std::vector<float> second = a({})[0].to_vector<float>();
  CHECK(second != first);
  double mean = 0, var = 0;
  for (float v : first) mean += v;
  mean /= 1000;
  for (float v : first) var += (v - mean) * (v - mean);
  var /= 1000;
  CHECK(std::abs(mean - 2.0) < 0.1);  // 0.5 / sqrt(1000) = 0.016: 6 sigma
  CHECK(std::abs(std::sqrt(var) - 0.5) < 0.05);
}
