// Engine claims, tested: an MLP training step compiles to fused oneDNN
// primitives with no reference fallback, primitives are created once per
// plan, views alias buffers, updates survive buffer reuse, and the results
// match the reference backend.
#include <fmt/core.h>
#include <catch2/catch.hpp>

#include <random>

#include "keras/autodiff/gradients.hpp"
#include "keras/backend/function.hpp"
#include "keras/graph/ops.hpp"
#include "onednn/lowering.hpp"
#include "onednn/small_steps.hpp"

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

// Rows of one-hot labels over `classes`.
Tensor one_hot_rows(std::int64_t rows, std::int64_t classes, std::mt19937& rng) {
  std::uniform_int_distribution<std::int64_t> pick(0, classes - 1);
  Tensor t = Tensor::zeros({rows, classes});
  for (std::int64_t r = 0; r < rows; ++r) t.data<float>()[r * classes + pick(rng)] = 1.0f;
  return t;
}

void require_close(const std::vector<Tensor>& got, const std::vector<Tensor>& want) {
  REQUIRE(got.size() == want.size());
  for (std::size_t k = 0; k < got.size(); ++k) {
    REQUIRE(got[k].shape() == want[k].shape());
    std::vector<float> a = got[k].to_vector<float>();
    std::vector<float> b = want[k].to_vector<float>();
    for (std::size_t i = 0; i < a.size(); ++i) {
      INFO("output " << k << " element " << i);
      CHECK(std::abs(a[i] - b[i]) <= 1e-6 + 1e-5 * std::abs(b[i]));
    }
  }
}

enum class Loss { squared_error, softmax_cross_entropy };

// One SGD step of a 20-16-16-4 relu MLP: the loss and the new weights.
struct Mlp {
  std::shared_ptr<graph::Graph> graph = graph::Graph::create();
  graph::Value x, y, loss;
  std::vector<graph::Value> outputs;
};

Mlp build_mlp(std::vector<Variable>& weights, Loss loss = Loss::squared_error) {
  Mlp m;
  graph::GraphScope scope(m.graph);
  m.x = ops::placeholder({Shape::kUnknown, 20});
  m.y = ops::placeholder({Shape::kUnknown, 4});
  graph::Value h = m.x;
  for (std::size_t i = 0; i < weights.size(); i += 2) {
    h = ops::matmul(h, ops::read(weights[i])) + ops::read(weights[i + 1]);
    if (i + 2 < weights.size()) h = ops::relu(h);
  }
  m.loss = loss == Loss::squared_error ? ops::mean(ops::square(h - m.y))
                                       : ops::mean(ops::softmax_cross_entropy(m.y, h));
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

TEST_CASE("an MLP training step with softmax cross-entropy runs on oneDNN alone",
          "[backend][onednn]") {
  // Every step on its oneDNN lowering, however small (small_steps.hpp).
  const backend::onednn::SmallStepBytes all_lowered(0);
  std::vector<Variable> weights = mlp_weights();
  Mlp m = build_mlp(weights, Loss::softmax_cross_entropy);
  std::mt19937 rng(7);
  Tensor x = uniform({32, 20}, rng);
  Tensor y = one_hot_rows(32, 4, rng);
  auto dnn = backend::function({m.x, m.y}, m.outputs);
  auto ref =
      backend::function({m.x, m.y}, m.outputs, {}, {.backend = &backend::reference_backend()});

  std::vector<Tensor> got = dnn({x, y});
  const std::string plan = dnn.plan_to_string();
  INFO(plan);
  CHECK_THAT(plan, Contains("matmul+bias+relu"));
  CHECK_THAT(plan, Contains("logsoftmax (softmax_cross_entropy"));
  CHECK_THAT(plan, Contains("relu_grad 'gradients/activation_grad"));
  CHECK_THAT(plan, Contains("(aliases its input, no copy)"));  // the gradient's expand_dims
  CHECK_THAT(plan, Contains("(b transposed)"));
  CHECK_THAT(plan, Contains("wei:ba"));
  CHECK_THAT(plan, !Contains("reference"));
  require_close(got, ref({x, y}));

  // A second run reuses the plan: no primitive is created, same results.
  const std::uint64_t created = backend::onednn::primitive_creations();
  require_close(dnn({x, y}), got);
  CHECK(backend::onednn::primitive_creations() == created);
  CHECK(dnn.num_plans() == 1);
}

TEST_CASE("an MLP training step compiles to fused oneDNN primitives", "[backend][onednn]") {
  // Every step on its oneDNN lowering, however small (small_steps.hpp).
  const backend::onednn::SmallStepBytes all_lowered(0);
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
  CHECK_THAT(plan, Contains("(reused)"));
  CHECK_THAT(plan, !Contains("reference"));
  require_close(got, ref({x, y}));

  const std::uint64_t created = backend::onednn::primitive_creations();
  dnn({x, y});
  CHECK(backend::onednn::primitive_creations() == created);
  // A short last batch gets its own plan, with its own primitives.
  dnn({Tensor(DType::float32, Shape{5, 20}), Tensor(DType::float32, Shape{5, 4})});
  CHECK(dnn.num_plans() == 2);
  CHECK(backend::onednn::primitive_creations() > created);
}

TEST_CASE("the lowering table answers for every op", "[backend][onednn]") {
  CHECK(backend::onednn::has_entry("matmul"));
  CHECK_FALSE(backend::onednn::runs_on_reference("matmul"));
  CHECK(backend::onednn::runs_on_reference("dropout"));
  CHECK_FALSE(backend::onednn::reference_reason("dropout").empty());
  CHECK(backend::onednn::is_view("reshape"));
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
  // Every step on its oneDNN lowering, however small (small_steps.hpp).
  const backend::onednn::SmallStepBytes all_lowered(0);
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
    require_close({dnn_weights[i].value()}, {ref_weights[i].value()});
  }
}

TEST_CASE("a weight gradient's matmul applies an update scaled by a fed learning rate",
          "[backend][onednn]") {
  // w' = w - (x^T dy) * lr and v' = v + (x^T dy) * lr, with lr fed each run,
  // on oneDNN's sgemm; u's narrow gradient (8 units) on the narrow kernel.
  auto run = [](backend::Backend& on, bool read_after) {
    std::mt19937 rng(4);
    Variable w("w", uniform({96, 80}, rng));
    Variable v("v", uniform({96, 80}, rng));
    Variable u("u", uniform({96, 8}, rng));
    auto g = graph::Graph::create();
    graph::GraphScope scope(g);
    auto lr = ops::placeholder(Shape{});
    auto x = ops::placeholder({64, 96});
    auto dy = ops::placeholder({64, 80});
    auto w_new = ops::read(w) - ops::matmul(x, dy, {.transpose_a = true}) * lr;
    auto v_new = ops::read(v) + lr * ops::matmul(x, ops::tanh(dy), {.transpose_a = true});
    auto u_new =
        ops::read(u) - ops::matmul(x, ops::slice(dy, {0, 0}, {64, 8}), {.transpose_a = true}) * lr;
    // Fetching w's read keeps its update out of the matmul (and w's storage).
    std::vector<graph::Value> fetches{ops::sum(dy)};
    if (read_after) fetches.push_back(ops::read(w));
    auto f = backend::function({lr, x, dy}, fetches, {{w, w_new}, {v, v_new}, {u, u_new}},
                               {.backend = &on});
    for (double rate : {0.5, 0.25, -1.0}) {
      f({Tensor::scalar(rate), uniform({64, 96}, rng), uniform({64, 80}, rng)});
    }
    return std::make_pair(
        std::vector<Tensor>{w.value().clone(), v.value().clone(), u.value().clone()},
        f.plan_to_string());
  };
  for (bool read_after : {false, true}) {
    INFO("w read after the update: " << read_after);
    auto [got, plan] = run(backend::onednn_backend(), read_after);
    INFO(plan);
    CHECK_THAT(plan, Contains("matmul+add 'matmul_1' (96, 64) x (64, 80) (a transposed)"));
    CHECK_THAT(plan, Contains("gemm:jit => variable v (updated in place)"));
    CHECK_THAT(plan, Contains("narrow_matmul+subtract 'matmul_2' (96, 64) x (64, 8) (a "
                              "transposed) -> (96, 8) times 'placeholder' => variable u"));
    if (read_after) {
      CHECK_THAT(plan, !Contains("matmul+subtract 'matmul' "));
    } else {
      CHECK_THAT(plan, Contains("negate 'placeholder' (the scale of 'subtract')"));
      CHECK_THAT(plan, Contains("gemm:jit => variable w (updated in place)"));
    }
    require_close(got, run(backend::reference_backend(), read_after).first);
  }
}

TEST_CASE("a narrow head's update accumulates after the gradient that reads its weights",
          "[backend][onednn]") {
  // SGD with a fed learning rate on relu(x W + b) V, V of 10 units: dV = h^T
  // dy accumulates into V on the narrow kernel, after dh = dy V^T has read V.
  auto run = [](backend::Backend& on) {
    std::mt19937 rng(29);
    Variable w("w", uniform({30, 64}, rng)), b("b", uniform({64}, rng));
    Variable v("v", uniform({64, 10}, rng));
    auto g = graph::Graph::create();
    graph::GraphScope scope(g);
    auto lr = ops::placeholder(Shape{});
    auto x = ops::placeholder({96, 30});
    auto h = ops::relu(ops::matmul(x, ops::read(w)) + ops::read(b));
    auto loss = ops::mean(ops::square(ops::matmul(h, ops::read(v))));
    std::vector<graph::Value> reads{ops::read(w), ops::read(b), ops::read(v)};
    std::vector<graph::Value> grads = keras::autodiff::gradients(loss, reads);
    auto f = backend::function({lr, x}, {loss},
                               {{w, reads[0] - grads[0] * lr},
                                {b, reads[1] - grads[1] * lr},
                                {v, reads[2] - grads[2] * lr}},
                               {.backend = &on});
    for (double rate : {0.5, 0.1}) f({Tensor::scalar(rate), uniform({96, 30}, rng)});
    return std::make_pair(
        std::vector<Tensor>{w.value().clone(), b.value().clone(), v.value().clone()},
        f.plan_to_string());
  };
  const backend::onednn::SmallStepBytes all_lowered(0);
  auto [got, plan] = run(backend::onednn_backend());
  INFO(plan);
  CHECK_THAT(plan, Contains("narrow_matmul+subtract"));
  CHECK_THAT(plan, Contains("=> variable v (updated in place)"));
  require_close(got, run(backend::reference_backend()).first);
}

TEST_CASE("small steps run on the reference kernels, large ones on oneDNN", "[backend][onednn]") {
  // The Pima tutorial's 8-12-8-1 training step, batch 10: every tensor is
  // tiny, so every step is a loop; with 256 rows the matmuls are oneDNN's.
  std::mt19937 rng(2);
  std::vector<Variable> weights{
      Variable("k0", uniform({8, 12}, rng)), Variable("b0", uniform({12}, rng)),
      Variable("k1", uniform({12, 8}, rng)), Variable("b1", uniform({8}, rng)),
      Variable("k2", uniform({8, 1}, rng)),  Variable("b2", uniform({1}, rng))};
  auto g = graph::Graph::create();
  graph::GraphScope scope(g);
  auto x = ops::placeholder({Shape::kUnknown, 8});
  auto y = ops::placeholder({Shape::kUnknown, 1});
  graph::Value h = x;
  std::vector<graph::Value> reads;
  for (const Variable& w : weights) reads.push_back(ops::read(w));
  for (std::size_t i = 0; i < reads.size(); i += 2) {
    h = ops::matmul(h, reads[i]) + reads[i + 1];
    h = i + 2 < reads.size() ? ops::relu(h) : ops::sigmoid(h);
  }
  auto loss = ops::mean(ops::square(h - y));
  std::vector<graph::Value> fetches{loss};
  for (const graph::Value& grad : keras::autodiff::gradients(loss, reads)) fetches.push_back(grad);
  auto dnn = backend::function({x, y}, fetches);
  auto ref = backend::function({x, y}, fetches, {}, {.backend = &backend::reference_backend()});
  for (std::int64_t rows : {10, 256}) {
    INFO(rows << " rows");
    Tensor tx = uniform({rows, 8}, rng);
    Tensor ty = uniform({rows, 1}, rng);
    std::vector<Tensor> got = dnn({tx, ty});
    const std::string plan = dnn.plan_to_string();
    INFO(plan);
    if (rows == 10) {
      CHECK_THAT(plan, Contains("reference matmul 'matmul' ((10, 8) float32, (8, 12) float32) "
                                "(small: a loop costs less than a primitive's call)"));
      CHECK_THAT(plan, Contains("(0 primitives)"));
    } else {
      CHECK_THAT(plan, Contains("matmul+bias 'matmul' (256, 8) x (8, 12)"));
      CHECK_THAT(plan, Contains("reference matmul 'matmul_2' ((256, 8) float32, (8, 1) float32) "
                                "(small"));
    }
    require_close(got, ref({tx, ty}));
    // The same plan with every step lowered gives the same values.
    const backend::onednn::SmallStepBytes all_lowered(0);
    auto lowered = backend::function({x, y}, fetches);
    require_close(lowered({tx, ty}), got);
    CHECK_THAT(lowered.plan_to_string(), !Contains("reference matmul"));
  }
}

TEST_CASE("an update read by later steps keeps its buffer until it is copied",
          "[backend][onednn]") {
  // Every step on its oneDNN lowering, however small (small_steps.hpp).
  const backend::onednn::SmallStepBytes all_lowered(0);
  auto run = [](backend::Backend& on) {
    Variable m("m", Tensor(Shape{4}, std::vector<float>{1, 2, 3, 4}));
    Variable w("w", Tensor(Shape{4}, std::vector<float>{5, 6, 7, 8}));
    auto g = graph::Graph::create();
    graph::GraphScope scope(g);
    auto x = ops::placeholder({4});
    // Momentum: m' = 0.9 m + x, w' = w - 0.1 m'. Fetching m's old value keeps
    // m' out of m's storage, and the steps after w' want (4,) buffers.
    auto m_new = ops::read(m) * 0.9 + x;
    auto w_new = ops::read(w) - m_new * 0.1;
    auto later = ops::tanh(x) + ops::exp(x) * 2.0;
    auto f =
        backend::function({x}, {ops::read(m), later}, {{m, m_new}, {w, w_new}}, {.backend = &on});
    std::vector<Tensor> out = f({Tensor(Shape{4}, std::vector<float>{0.5, -0.5, 1, -1})});
    out.push_back(m.value().clone());
    out.push_back(w.value().clone());
    return out;
  };
  std::vector<Tensor> got = run(backend::onednn_backend());
  // m' = (1.4, 1.3, 3.7, 2.6)
  CHECK(got[2].to_vector<float>()[0] == Approx(1.4f));
  require_close(got, run(backend::reference_backend()));
}

TEST_CASE("views alias the buffers they read", "[backend][onednn]") {
  // Every step on its oneDNN lowering, however small (small_steps.hpp).
  const backend::onednn::SmallStepBytes all_lowered(0);
  auto g = graph::Graph::create();
  graph::GraphScope scope(g);
  auto x = ops::placeholder({2, 6});
  auto h = ops::tanh(x);
  auto r = ops::reshape(h, {3, 4});
  auto e = ops::expand_dims(ops::transpose(r), 0);  // (1, 4, 3)
  auto s = ops::squeeze(e) * 2.0;
  auto dnn = backend::function({x}, {r, s, ops::identity(ops::exp(h))});
  auto ref = backend::function({x}, {r, s, ops::identity(ops::exp(h))}, {},
                               {.backend = &backend::reference_backend()});
  std::mt19937 rng(11);
  Tensor input = uniform({2, 6}, rng);
  std::vector<Tensor> got = dnn({input});
  const std::string plan = dnn.plan_to_string();
  INFO(plan);
  CHECK_THAT(plan, Contains("view reshape"));
  CHECK_THAT(plan, Contains("view expand_dims"));
  CHECK_THAT(plan, Contains("view squeeze"));
  CHECK_THAT(plan, !Contains("reference"));
  require_close(got, ref({input}));
  require_close(dnn({input}), got);
}

TEST_CASE("a sum of two scaled values fuses one scaling", "[backend][onednn]") {
  // Every step on its oneDNN lowering, however small (small_steps.hpp).
  const backend::onednn::SmallStepBytes all_lowered(0);
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

TEST_CASE("float64 graphs run on the reference kernels and say why", "[backend][onednn]") {
  // Every step on its oneDNN lowering, however small (small_steps.hpp).
  const backend::onednn::SmallStepBytes all_lowered(0);
  auto g = graph::Graph::create();
  graph::GraphScope scope(g);
  auto x = ops::placeholder({2, 3}, DType::float64);
  auto y = ops::relu(ops::matmul(x, ops::transpose(x)));
  auto dnn = backend::function({x}, {y});
  Tensor input = Tensor(Shape{2, 3}, std::vector<double>{1, -2, 3, -4, 5, -6});
  // x x^T = ((14, -32), (-32, 77)), relu'd.
  CHECK(dnn({input})[0].to_vector<double>() == std::vector<double>{14, 0, 0, 77});
  CHECK_THAT(dnn.plan_to_string(), Contains("reference matmul"));
  CHECK_THAT(dnn.plan_to_string(), Contains("float64: oneDNN has no f64"));
}

TEST_CASE("an empty batch runs and gives empty results", "[backend][onednn]") {
  // Every step on its oneDNN lowering, however small (small_steps.hpp).
  const backend::onednn::SmallStepBytes all_lowered(0);
  auto g = graph::Graph::create();
  graph::GraphScope scope(g);
  auto x = ops::placeholder({keras::Shape::kUnknown, 3});
  auto w = ops::constant(Tensor::full({3, 4}, 0.5));
  auto y = ops::relu(ops::matmul(x, w) + ops::constant(Tensor::full({4}, 1.0)));
  auto f = backend::function({x}, {y, ops::sum(y)});
  const std::vector<Tensor> empty = f({Tensor::zeros({0, 3})});
  CHECK(empty[0].shape() == Shape{0, 4});
  CHECK(empty[1].item() == 0.0);
  // The same function still runs real batches: (1.5 + 1) per unit.
  const std::vector<Tensor> two = f({Tensor::full({2, 3}, 1.0)});
  CHECK(two[0].to_vector<float>() == std::vector<float>(8, 2.5f));
  CHECK_THAT(f.plan_to_string(), Contains("matmul+bias+relu"));
}

TEST_CASE("a ReLU's gradient and its bias gradient run as one pass over dy's buffer",
          "[backend][onednn]") {
  const backend::onednn::SmallStepBytes all_lowered(0);
  std::mt19937 rng(13);
  // 150 columns leave a tail after the 16-wide vectors; 300 rows of them
  // are split over the threads, 7 rows are not.
  for (std::int64_t rows : {7, 300}) {
    for (double slope : {0.0, 0.2}) {
      for (bool bias : {true, false}) {
        INFO(rows << " rows, slope " << slope << ", bias " << bias);
        auto g = graph::Graph::create();
        graph::GraphScope scope(g);
        Variable w("w", uniform({40, 150}, rng)), b("b", uniform({150}, rng));
        Variable v("v", uniform({150, 3}, rng));
        auto x = ops::placeholder({Shape::kUnknown, 40});
        graph::Value h = ops::matmul(x, ops::read(w));
        if (bias) h = h + ops::read(b);
        h = slope == 0.0 ? ops::relu(h) : ops::leaky_relu(h, slope);
        auto loss = ops::mean(ops::square(ops::matmul(h, ops::read(v))));
        std::vector<graph::Value> reads{ops::read(w), ops::read(v)};
        if (bias) reads.push_back(ops::read(b));
        std::vector<graph::Value> outputs = keras::autodiff::gradients(loss, reads);
        outputs.push_back(loss);
        auto dnn = backend::function({x}, outputs);
        auto ref = backend::function({x}, outputs, {}, {.backend = &backend::reference_backend()});
        const Tensor input = uniform({rows, 40}, rng);
        require_close(dnn({input}), ref({input}));
        const std::string plan = dnn.plan_to_string();
        INFO(plan);
        // With no bias there is no sum: oneDNN's eltwise_backward, also in place.
        const std::string unfused =
            fmt::format("eltwise_backward {} (from dst)", slope == 0.0 ? "relu" : "leaky_relu");
        CHECK_THAT(plan,
                   Contains(bias ? "relu_grad 'gradients/activation_grad' + column_sum" : unfused));
        CHECK_THAT(plan, Contains("(in place)"));
        CHECK_THAT(plan, !Contains("reference"));
      }
    }
  }
}

TEST_CASE("sums over leading axes run on the column-sum kernel", "[backend][onednn]") {
  const backend::onednn::SmallStepBytes all_lowered(0);
  std::mt19937 rng(17);
  for (Shape shape : {Shape{3, 5}, Shape{6, 50, 133}, Shape{1000, 40}}) {
    INFO(shape.to_string());
    auto g = graph::Graph::create();
    graph::GraphScope scope(g);
    auto x = ops::placeholder(shape);
    const std::int64_t last = shape.dim(-1);
    auto to_like = ops::sum_to_like(x, ops::constant(Tensor::zeros({1, last})));
    auto over_batch = ops::sum(
        x, shape.rank() == 3 ? std::vector<std::int64_t>{0, 1} : std::vector<std::int64_t>{0});
    auto dnn = backend::function({x}, {to_like, over_batch});
    auto ref = backend::function({x}, {to_like, over_batch}, {},
                                 {.backend = &backend::reference_backend()});
    const Tensor input = uniform(shape, rng);
    require_close(dnn({input}), ref({input}));
    CHECK_THAT(dnn.plan_to_string(), Contains("column_sum 'sum_to_like"));
    CHECK_THAT(dnn.plan_to_string(), Contains("column_sum 'sum"));
  }
}

TEST_CASE("products of at most 16 columns run on the narrow kernel and match the reference",
          "[backend][onednn]") {
  const backend::onednn::SmallStepBytes all_lowered(0);
  std::mt19937 rng(19);
  // Rows around the kernel's eight at once; widths 1, 10 (a classifier) and
  // 16; K small enough that B is all padded tail, and large.
  for (std::int64_t m : {2, 8, 13, 128}) {
    for (std::int64_t n : {1, 10, 16}) {
      for (std::int64_t k : {3, 37, 512}) {
        for (bool transpose_a : {false, true}) {
          INFO("m " << m << ", n " << n << ", k " << k << ", transpose_a " << transpose_a);
          auto g = graph::Graph::create();
          graph::GraphScope scope(g);
          auto a = ops::placeholder(transpose_a ? Shape{k, m} : Shape{m, k});
          auto b = ops::placeholder({k, n});
          auto product = ops::matmul(a, b, {.transpose_a = transpose_a});
          auto biased = ops::tanh(product + ops::constant(uniform({n}, rng)));
          std::vector<Tensor> feeds{uniform(a.shape(), rng), uniform(b.shape(), rng)};
          // Over 512 terms float32 sums near 0 differ by ~1e-6 with the order
          // of summation: positive terms keep the results away from 0.
          if (k == 512) {
            for (Tensor& t : feeds) {
              for (std::int64_t i = 0; i < t.size(); ++i) t.data<float>()[i] += 0.5f;
            }
          }
          // Apart: a fetched product keeps its bias add apart.
          for (const auto& [output, line] :
               {std::pair{product, "narrow_matmul '"}, std::pair{biased, "narrow_matmul+bias '"}}) {
            auto dnn = backend::function({a, b}, {output});
            auto ref =
                backend::function({a, b}, {output}, {}, {.backend = &backend::reference_backend()});
            require_close(dnn(feeds), ref(feeds));
            CHECK_THAT(dnn.plan_to_string(), Contains(line));
          }
        }
      }
    }
  }
}

TEST_CASE("one row times a matrix runs on the gemv kernel and matches the reference",
          "[backend][onednn]") {
  // Every step on its oneDNN lowering, however small (small_steps.hpp).
  const backend::onednn::SmallStepBytes all_lowered(0);
  std::mt19937 rng(11);
  // Column counts around the kernel's 128-column blocks; K odd.
  for (std::int64_t n : {1, 10, 100, 128, 130, 300, 512}) {
    for (const char* activation : {"", "relu", "tanh", "elu"}) {
      for (bool bias : {false, true}) {
        INFO("n " << n << ", activation '" << activation << "', bias " << bias);
        auto g = graph::Graph::create();
        graph::GraphScope scope(g);
        auto x = ops::placeholder({1, 37});
        auto y = ops::matmul(x, ops::constant(uniform({37, n}, rng)));
        if (bias) y = y + ops::constant(uniform({n}, rng));
        if (std::string_view(activation) == "relu") y = ops::relu(y);
        if (std::string_view(activation) == "tanh") y = ops::tanh(y);
        if (std::string_view(activation) == "elu") y = ops::elu(y);
        auto dnn = backend::function({x}, {y});
        auto ref = backend::function({x}, {y}, {}, {.backend = &backend::reference_backend()});
        const Tensor input = uniform({1, 37}, rng);
        require_close(dnn({input}), ref({input}));
        CHECK_THAT(dnn.plan_to_string(), Contains("gemv"));
      }
    }
  }
  // Two rows, or a transposed operand, stay on oneDNN's matmul.
  auto g = graph::Graph::create();
  graph::GraphScope scope(g);
  auto x = ops::placeholder({2, 8});
  auto w = ops::constant(uniform({8, 4}, rng));
  auto two_rows = backend::function({x}, {ops::matmul(x, w)});
  two_rows({uniform({2, 8}, rng)});
  CHECK_THAT(two_rows.plan_to_string(), !Contains("gemv"));
  auto row = ops::placeholder({1, 4});
  auto transposed = backend::function({row}, {ops::matmul(row, w, {.transpose_b = true})});
  transposed({uniform({1, 4}, rng)});
  CHECK_THAT(transposed.plan_to_string(), !Contains("gemv"));
}

TEST_CASE("updates apply together: two variables swap", "[backend][onednn]") {
  // Every step on its oneDNN lowering, however small (small_steps.hpp).
  const backend::onednn::SmallStepBytes all_lowered(0);
  Variable a("a", Tensor(Shape{2}, std::vector<float>{1, 2}));
  Variable b("b", Tensor(Shape{2}, std::vector<float>{3, 4}));
  auto g = graph::Graph::create();
  graph::GraphScope scope(g);
  auto x = ops::placeholder({2});
  auto f = backend::function({x}, {x * 2.0}, {{a, ops::read(b)}, {b, ops::read(a)}});
  f({Tensor(Shape{2}, std::vector<float>{0, 0})});
  CHECK(a.value().to_vector<float>() == std::vector<float>{3, 4});
  CHECK(b.value().to_vector<float>() == std::vector<float>{1, 2});
}

TEST_CASE("an update that broadcasts into its variable reads it first", "[backend][onednn]") {
  // Every step on its oneDNN lowering, however small (small_steps.hpp).
  const backend::onednn::SmallStepBytes all_lowered(0);
  Variable v("v", Tensor(Shape{3}, std::vector<float>{1, 2, 4}));
  auto g = graph::Graph::create();
  graph::GraphScope scope(g);
  auto x = ops::placeholder({1});
  // v' = x - v, x broadcast: oneDNN first broadcasts x into the output.
  auto f = backend::function({x}, {x * 2.0}, {{v, x - ops::read(v)}});
  f({Tensor(Shape{1}, std::vector<float>{10})});
  CHECK(v.value().to_vector<float>() == std::vector<float>{9, 8, 6});
}
