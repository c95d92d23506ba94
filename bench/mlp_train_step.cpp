// One training step (forward, loss, backward, SGD update, reading the loss)
// through backend::function on the oneDNN backend: what a Keras fit() batch
// does. compare_pytorch.py runs the same workloads in PyTorch.
//   MLP 784-512-512-10 relu, softmax cross-entropy, batch 128 (compute-bound)
//   MLP 8-12-8-1 relu, sigmoid cross-entropy, batch 10 (per-step overhead)
#include <benchmark/benchmark.h>

#include <random>

#include <keras.hpp>

using keras::DType;
using keras::Shape;
using keras::Tensor;
namespace backend = keras::backend;
namespace ops = keras::ops;

namespace {

Tensor uniform(Shape shape, double limit, std::mt19937& rng) {
  std::uniform_real_distribution<float> dist(static_cast<float>(-limit), static_cast<float>(limit));
  Tensor t(DType::float32, shape);
  for (std::int64_t i = 0; i < t.size(); ++i) t.data<float>()[i] = dist(rng);
  return t;
}

struct Mlp {
  std::vector<keras::Variable> weights;
  backend::Function step;
  Tensor x, y;
};

// A relu MLP with the given layer widths; the last layer is linear and feeds
// the loss. Labels are one-hot for several classes, 0/1 for one output.
Mlp build(const std::vector<std::int64_t>& widths, std::int64_t batch) {
  keras::graph::reset_default_graph();
  std::mt19937 rng(7);
  auto x = ops::placeholder({Shape::kUnknown, widths.front()});
  auto y = ops::placeholder({Shape::kUnknown, widths.back()});
  std::vector<keras::Variable> weights;
  keras::graph::Value h = x;
  for (std::size_t i = 1; i < widths.size(); ++i) {
    const double limit = std::sqrt(6.0 / static_cast<double>(widths[i - 1] + widths[i]));
    weights.emplace_back("kernel", uniform({widths[i - 1], widths[i]}, limit, rng));
    weights.emplace_back("bias", Tensor::zeros({widths[i]}));
    h = ops::matmul(h, ops::read(weights[weights.size() - 2])) + ops::read(weights.back());
    if (i + 1 < widths.size()) h = ops::relu(h);
  }
  auto loss = widths.back() > 1 ? ops::mean(ops::softmax_cross_entropy(y, h))
                                : ops::mean(ops::sigmoid_cross_entropy(y, h));
  std::vector<keras::graph::Value> reads;
  for (const auto& w : weights) reads.push_back(ops::read(w));
  auto grads = keras::autodiff::gradients(loss, reads);
  std::vector<backend::Update> updates;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    updates.emplace_back(weights[i], reads[i] - grads[i] * 0.01);
  }
  Tensor xs = uniform({batch, widths.front()}, 1.0, rng);
  Tensor ys(DType::float32, Shape{batch, widths.back()});
  for (std::int64_t r = 0; r < batch; ++r) {
    const std::int64_t c = widths.back() > 1 ? r % widths.back() : 0;
    ys.data<float>()[r * widths.back() + c] = widths.back() > 1 ? 1.0f : static_cast<float>(r % 2);
  }
  return Mlp{weights, backend::function({x, y}, {loss}, updates), xs, ys};
}

void run_steps(benchmark::State& state, const std::vector<std::int64_t>& widths,
               std::int64_t batch) {
  Mlp mlp = build(widths, batch);
  for (int i = 0; i < 5; ++i) mlp.step({mlp.x, mlp.y});  // compile and warm up
  for (auto _ : state) {
    benchmark::DoNotOptimize(mlp.step({mlp.x, mlp.y})[0].item());
  }
  state.counters["samples/s"] = benchmark::Counter(static_cast<double>(state.iterations() * batch),
                                                   benchmark::Counter::kIsRate);
  state.counters["threads"] = backend::num_threads();
}

void BM_TrainStep_MLP_784_512_512_10_batch128(benchmark::State& state) {
  run_steps(state, {784, 512, 512, 10}, 128);
}
void BM_TrainStep_MLP_8_12_8_1_batch10(benchmark::State& state) {
  run_steps(state, {8, 12, 8, 1}, 10);
}

BENCHMARK(BM_TrainStep_MLP_784_512_512_10_batch128)->UseRealTime()->MinTime(1.0);
BENCHMARK(BM_TrainStep_MLP_8_12_8_1_batch10)->UseRealTime()->MinTime(1.0);

}  // namespace

BENCHMARK_MAIN();
