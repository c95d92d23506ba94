// Inference through the functional API: Model::predict on the Keras
// tutorials' kind of MLP (Input 784, Dense 512 relu, Dense 512 relu, Dense 10
// softmax), as Keras' model.predict runs it: batching, test mode, the plan
// compiled once and reused. compare_pytorch.py runs the same in PyTorch.
//   batch 128: throughput
//   batch 1:   the latency of predicting one sample
#include <benchmark/benchmark.h>

#include <random>

#include <keras.hpp>

using keras::DType;
using keras::Shape;
using keras::Tensor;
namespace layers = keras::layers;
namespace models = keras::models;

namespace {

models::Model mlp() {
  keras::backend::clear_session();
  keras::utils::set_random_seed(7);
  auto x = layers::Input({784});
  auto h = layers::Dense(512, {.activation = "relu"})(x);
  h = layers::Dense(512, {.activation = "relu"})(h);
  return models::Model(x, layers::Dense(10, {.activation = "softmax"})(h));
}

void run_predict(benchmark::State& state, std::int64_t batch) {
  const models::Model model = mlp();
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> dist(0.0f, 1.0f);
  Tensor x(DType::float32, Shape{batch, 784});
  for (std::int64_t i = 0; i < x.size(); ++i) x.data<float>()[i] = dist(rng);
  for (int i = 0; i < 5; ++i) model.predict(x, batch);  // compile and warm up
  for (auto _ : state) {
    Tensor y = model.predict(x, batch);
    benchmark::DoNotOptimize(y.data<float>()[0]);
  }
  state.counters["samples/s"] = benchmark::Counter(static_cast<double>(state.iterations() * batch),
                                                   benchmark::Counter::kIsRate);
  state.counters["threads"] = keras::backend::num_threads();
}

void BM_Predict_MLP_784_512_512_10_batch128(benchmark::State& state) {
  run_predict(state, 128);
}
void BM_Predict_MLP_784_512_512_10_batch1(benchmark::State& state) {
  run_predict(state, 1);
}

BENCHMARK(BM_Predict_MLP_784_512_512_10_batch128)->UseRealTime()->MinTime(1.0);
BENCHMARK(BM_Predict_MLP_784_512_512_10_batch1)->UseRealTime()->MinTime(1.0);

}  // namespace

BENCHMARK_MAIN();
