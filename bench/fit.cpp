// Training through Model::fit, as a Keras user runs it: batching, shuffling
// and verbose=0 included. compare_fit.py runs the same workloads in Keras 3
// on JAX and PyTorch 2.
//   MLP 784-512-512-10 relu, SGD(0.01), batch 128: one epoch of 12,800
//     in-memory samples per iteration (compute-bound)
//   Pima 8-12-8-1 relu/sigmoid, Adam, batch 10: one epoch of 760 samples
//     (per-step overhead)
// Also the raw training step of the large MLP through train_on_batch, which
// fit should match within a few percent.
#include <benchmark/benchmark.h>

#include <random>

#include <keras.hpp>

using keras::DType;
using keras::Shape;
using keras::Tensor;
namespace layers = keras::layers;
namespace models = keras::models;

namespace {

Tensor uniform(Shape shape, std::mt19937& rng) {
  std::uniform_real_distribution<float> dist(0.0f, 1.0f);
  Tensor t(DType::float32, shape);
  for (std::int64_t i = 0; i < t.size(); ++i) t.data<float>()[i] = dist(rng);
  return t;
}

// Labels 0..9 in turn.
Tensor class_labels(std::int64_t n) {
  Tensor y(DType::int32, Shape{n});
  for (std::int64_t i = 0; i < n; ++i)
    y.data<std::int32_t>()[i] = static_cast<std::int32_t>(i % 10);
  return y;
}

models::Sequential mlp(const std::vector<std::int64_t>& widths, const std::string& last) {
  keras::backend::clear_session();
  keras::utils::set_random_seed(7);
  models::Sequential model;
  model.add(layers::Input({widths.front()}));
  for (std::size_t i = 1; i + 1 < widths.size(); ++i) {
    model.add(layers::Dense(widths[i], {.activation = "relu"}));
  }
  model.add(layers::Dense(widths.back(), {.activation = last}));
  return model;
}

// The large MLP as the comparison frameworks build it: SGD(0.01), Keras'
// sparse categorical cross-entropy on its softmax output.
models::Sequential compiled_large_mlp() {
  models::Sequential model = mlp({784, 512, 512, 10}, "softmax");
  model.compile({.optimizer = keras::optimizers::SGD({.learning_rate = 0.01}),
                 .loss = "sparse_categorical_crossentropy"});
  return model;
}

void BM_Fit_MLP_784_512_512_10_SGD_batch128(benchmark::State& state) {
  std::mt19937 rng(7);
  const std::int64_t n = 12800;
  const Tensor x = uniform({n, 784}, rng);
  const Tensor y = class_labels(n);
  models::Sequential model = compiled_large_mlp();
  model.fit(x, y, {.batch_size = 128, .verbose = 0});  // compile the plans, warm up
  for (auto _ : state) model.fit(x, y, {.batch_size = 128, .verbose = 0});
  state.counters["samples/s"] =
      benchmark::Counter(static_cast<double>(state.iterations() * n), benchmark::Counter::kIsRate);
}

void BM_TrainOnBatch_MLP_784_512_512_10_SGD_batch128(benchmark::State& state) {
  std::mt19937 rng(7);
  const Tensor x = uniform({128, 784}, rng);
  const Tensor y = class_labels(128);
  models::Sequential model = compiled_large_mlp();
  for (int i = 0; i < 5; ++i) model.train_on_batch(x, y);
  for (auto _ : state) benchmark::DoNotOptimize(model.train_on_batch(x, y)[0]);
  state.counters["samples/s"] = benchmark::Counter(static_cast<double>(state.iterations() * 128),
                                                   benchmark::Counter::kIsRate);
}

// The same model's training step written by hand with the core: its ops
// (Layer::apply), Keras' loss on its softmax output, gradients and the SGD
// update in the plan. What fit should come within a few percent of.
void BM_RawStep_MLP_784_512_512_10_SGD_batch128(benchmark::State& state) {
  std::mt19937 rng(7);
  const Tensor x = uniform({128, 784}, rng);
  const Tensor y = class_labels(128);
  models::Sequential model = mlp({784, 512, 512, 10}, "softmax");
  namespace ops = keras::ops;
  auto input = ops::placeholder({Shape::kUnknown, 784});
  auto labels = ops::placeholder({Shape::kUnknown}, DType::int32);
  auto phase = keras::backend::learning_phase();
  auto probabilities = model.apply({input}, phase).outputs[0];
  auto loss = keras::losses::SparseCategoricalCrossentropy()(labels, probabilities);
  std::vector<keras::graph::Value> reads;
  for (const keras::Variable& w : model.trainable_weights()) reads.push_back(ops::read(w));
  auto grads = keras::autodiff::gradients(loss, reads);
  std::vector<keras::backend::Update> sgd;
  for (std::size_t i = 0; i < reads.size(); ++i) {
    sgd.emplace_back(model.trainable_weights()[i], reads[i] - grads[i] * 0.01);
  }
  auto step = keras::backend::function({input, labels, phase}, {loss}, sgd);
  for (int i = 0; i < 5; ++i) step({x, y, Tensor::scalar(1)});
  for (auto _ : state) benchmark::DoNotOptimize(step({x, y, Tensor::scalar(1)})[0].item());
  state.counters["samples/s"] = benchmark::Counter(static_cast<double>(state.iterations() * 128),
                                                   benchmark::Counter::kIsRate);
}

void BM_Fit_Pima_8_12_8_1_Adam_batch10(benchmark::State& state) {
  std::mt19937 rng(7);
  const std::int64_t n = 760;
  const Tensor x = uniform({n, 8}, rng);
  Tensor y(DType::float32, Shape{n, 1});
  for (std::int64_t i = 0; i < n; ++i) y.data<float>()[i] = static_cast<float>(i % 2);
  models::Sequential model = mlp({8, 12, 8, 1}, "sigmoid");
  model.compile({.optimizer = "adam", .loss = "binary_crossentropy", .metrics = {"accuracy"}});
  model.fit(x, y, {.batch_size = 10, .verbose = 0});
  for (auto _ : state) model.fit(x, y, {.batch_size = 10, .verbose = 0});
  const double steps = static_cast<double>(state.iterations() * (n / 10));
  state.counters["samples/s"] =
      benchmark::Counter(static_cast<double>(state.iterations() * n), benchmark::Counter::kIsRate);
  state.counters["us/step"] =
      benchmark::Counter(steps / 1e6, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

BENCHMARK(BM_Fit_MLP_784_512_512_10_SGD_batch128)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond)
    ->MinTime(2.0);
BENCHMARK(BM_TrainOnBatch_MLP_784_512_512_10_SGD_batch128)->UseRealTime()->MinTime(2.0);
BENCHMARK(BM_RawStep_MLP_784_512_512_10_SGD_batch128)->UseRealTime()->MinTime(2.0);
BENCHMARK(BM_Fit_Pima_8_12_8_1_Adam_batch10)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond)
    ->MinTime(2.0);

}  // namespace

BENCHMARK_MAIN();
