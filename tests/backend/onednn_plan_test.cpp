// Engine claims, tested: an MLP training step compiles to fused oneDNN
// primitives with no reference fallback, primitives are created once per
// plan, and the results match the reference backend.
#include <catch2/catch.hpp>

#include <random>

#include "keras/autodiff/gradients.hpp"
#include "keras/backend/function.hpp"
#include "keras/graph/ops.hpp"
#include "onednn/lowering.hpp"

using Catch::Matchers::Contains;
using keras::DType;
using keras::Shape;
using keras::Tensor;
using keras::Variable;
namespace backend = keras::backend;
namespace graph = keras::graph;
namespace ops = keras::ops;

namespace {

Tensor uniform(Shape shape, std::mt19937& rng) {
  std::uniform_real_distribution<float> dist(-0.5f, 0.5f);
  Tensor t(DType::float32, shape);
  for (std::int64_t i = 0; i < t.size(); ++i) t.data<float>()[i] = dist(rng);
  return t;
}

// One SGD step of a 20-16-16-4 relu MLP with a mean squared error loss: the
// loss and the new weights.
struct Mlp {
  std::shared_ptr<graph::Graph> graph = graph::Graph::create();
  graph::Value x, y, loss;
  std::vector<graph::Value> outputs;
};

Mlp build_mlp(std::vector<Variable>& weights) {
  Mlp m;
  graph::GraphScope scope(m.graph);
  m.x = ops::placeholder({Shape::kUnknown, 20});
  m.y = ops::placeholder({Shape::kUnknown, 4});
  graph::Value h = m.x;
  for (std::size_t i = 0; i < weights.size(); i += 2) {
    h = ops::matmul(h, ops::read(weights[i])) + ops::read(weights[i + 1]);
    if (i + 2 < weights.size()) h = ops::relu(h);
  }
  m.loss = ops::mean(ops::square(h - m.y));
  std::vector<graph::Value> reads;
  for (const Variable& w : weights) reads.push_back(ops::read(w));
  std::vector<graph::Value> grads = keras::autodiff::gradients(m.loss, reads);
  m.outputs.push_back(m.loss);
  for (std::size_t i = 0; i < reads.size(); ++i) m.outputs.push_back(reads[i] - grads[i] * 0.1);
  return m;
}

std::vector<Variable> mlp_weights() {
  std::mt19937 rng(3);
  return {Variable("k0", uniform({20, 16}, rng)), Variable("b0", uniform({16}, rng)),
          Variable("k1", uniform({16, 16}, rng)), Variable("b1", uniform({16}, rng)),
          Variable("k2", uniform({16, 4}, rng)),  Variable("b2", uniform({4}, rng))};
}

}  // namespace

TEST_CASE("an MLP training step compiles to fused oneDNN primitives", "[backend][onednn]") {
  std::vector<Variable> weights = mlp_weights();
  Mlp m = build_mlp(weights);
  std::mt19937 rng(5);
  Tensor x = uniform({32, 20}, rng);
  Tensor y = uniform({32, 4}, rng);
  auto dnn = backend::function({m.x, m.y}, m.outputs);
  auto ref =
      backend::function({m.x, m.y}, m.outputs, {}, {.backend = &backend::reference_backend()});

  std::vector<Tensor> got = dnn({x, y});
  const std::string plan = dnn.plan_to_string();
  INFO(plan);
  CHECK_THAT(plan, Contains("matmul+bias+relu"));
  CHECK_THAT(plan, Contains("matmul+bias '"));
  CHECK_THAT(plan, Contains("eltwise_backward relu (from dst)"));
  CHECK_THAT(plan, Contains("(reused)"));
  CHECK_THAT(plan, !Contains("reference "));

  std::vector<Tensor> want = ref({x, y});
  REQUIRE(got.size() == want.size());
  for (std::size_t k = 0; k < got.size(); ++k) {
    std::vector<float> a = got[k].to_vector<float>();
    std::vector<float> b = want[k].to_vector<float>();
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
      INFO("output " << k << " element " << i);
      CHECK(std::abs(a[i] - b[i]) <= 1e-6 + 1e-5 * std::abs(b[i]));
    }
  }

  // A second run reuses the plan: no primitive is created.
  const std::uint64_t created = backend::onednn::primitive_creations();
  dnn({x, y});
  CHECK(backend::onednn::primitive_creations() == created);
  CHECK(dnn.num_plans() == 1);
  // A short last batch gets its own plan.
  dnn({Tensor(DType::float32, Shape{5, 20}), Tensor(DType::float32, Shape{5, 4})});
  CHECK(dnn.num_plans() == 2);
  CHECK(backend::onednn::primitive_creations() > created);
}

TEST_CASE("oneDNN failures name the node and the shapes", "[backend][onednn]") {
  CHECK(backend::onednn::has_entry("matmul"));
  CHECK_FALSE(backend::onednn::runs_on_reference("matmul"));
  CHECK(backend::onednn::runs_on_reference("dropout"));
  CHECK_FALSE(backend::onednn::has_entry("no_such_op"));
}

TEST_CASE("the thread count is a setting", "[backend][threads]") {
  const int before = backend::num_threads();
  CHECK(before >= 1);
  backend::set_num_threads(1);
  CHECK(backend::num_threads() == 1);
  CHECK_THROWS_WITH(backend::set_num_threads(0), Contains("at least 1 thread"));
  backend::set_num_threads(before);
}

TEST_CASE("SGD updates are written into the variables in place", "[backend][onednn]") {
  std::vector<Variable> dnn_weights = mlp_weights();
  std::vector<Variable> ref_weights = mlp_weights();
  std::mt19937 rng(9);
  Tensor x = uniform({8, 20}, rng);
  Tensor y = uniform({8, 4}, rng);
  auto train = [&](std::vector<Variable>& weights, backend::Backend& on) {
    Mlp m = build_mlp(weights);
    std::vector<backend::Update> updates;
    for (std::size_t i = 0; i < weights.size(); ++i) {
      updates.emplace_back(weights[i], m.outputs[i + 1]);
    }
    auto step = backend::function({m.x, m.y}, {m.loss}, updates, {.backend = &on});
    for (int i = 0; i < 3; ++i) step({x, y});
    return step.plan_to_string();
  };
  const std::string plan = train(dnn_weights, backend::onednn_backend());
  train(ref_weights, backend::reference_backend());
  INFO(plan);
  CHECK_THAT(plan, Contains("binary subtract (scaled by 0.1)"));
  CHECK_THAT(plan, Contains("(updated in place)"));
  for (std::size_t i = 0; i < dnn_weights.size(); ++i) {
    std::vector<float> a = dnn_weights[i].value().to_vector<float>();
    std::vector<float> b = ref_weights[i].value().to_vector<float>();
    for (std::size_t k = 0; k < a.size(); ++k) {
      INFO("weight " << i << " element " << k);
      CHECK(std::abs(a[k] - b[k]) <= 1e-6 + 1e-5 * std::abs(b[k]));
    }
  }
}

TEST_CASE("a sum of two scaled values fuses one scaling", "[backend][onednn]") {
  auto g = graph::Graph::create();
  graph::GraphScope scope(g);
  auto a = ops::placeholder({3});
  auto b = ops::placeholder({3});
  // The moving-average update of BatchNormalization: a * 0.9 + b * 0.1.
  auto y = a * 0.9 + b * 0.1;
  auto dnn = backend::function({a, b}, {y});
  Tensor ta(Shape{3}, std::vector<float>{1, 2, 3});
  Tensor tb(Shape{3}, std::vector<float>{10, 20, 30});
  std::vector<float> got = dnn({ta, tb})[0].to_vector<float>();
  // 1 * 0.9 + 10 * 0.1 = 1.9, 3.8, 5.7
  CHECK(got[0] == Approx(1.9f));
  CHECK(got[1] == Approx(3.8f));
  CHECK(got[2] == Approx(5.7f));
  CHECK_THAT(dnn.plan_to_string(), Contains("(scaled by 0.1)"));
}
