// What this machine's FP32 FMA units allow, for reading the training
// benchmarks as a share of it: independent fused multiply-adds on 512-bit
// registers (256-bit where AVX-512 is missing) on every kernel thread.
#include <benchmark/benchmark.h>
#include <immintrin.h>
#include <omp.h>

#include <keras.hpp>

namespace {

constexpr int kChains = 12;  // independent accumulators: enough to hide FMA latency
constexpr std::int64_t kIterations = 1 << 22;

__attribute__((target("avx512f"))) float fma_avx512(float seed) {
  __m512 acc[kChains];
  for (int c = 0; c < kChains; ++c) acc[c] = _mm512_set1_ps(seed + static_cast<float>(c));
  const __m512 a = _mm512_set1_ps(0.999999f), b = _mm512_set1_ps(1e-7f);
  for (std::int64_t i = 0; i < kIterations; ++i) {
    for (int c = 0; c < kChains; ++c) acc[c] = _mm512_fmadd_ps(acc[c], a, b);
  }
  __m512 sum = acc[0];
  for (int c = 1; c < kChains; ++c) sum = _mm512_add_ps(sum, acc[c]);
  float out[16];
  _mm512_storeu_ps(out, sum);
  return out[0];
}

__attribute__((target("avx2,fma"))) float fma_avx2(float seed) {
  __m256 acc[kChains];
  for (int c = 0; c < kChains; ++c) acc[c] = _mm256_set1_ps(seed + static_cast<float>(c));
  const __m256 a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-7f);
  for (std::int64_t i = 0; i < kIterations; ++i) {
    for (int c = 0; c < kChains; ++c) acc[c] = _mm256_fmadd_ps(acc[c], a, b);
  }
  float out[8];
  __m256 sum = acc[0];
  for (int c = 1; c < kChains; ++c) sum = _mm256_add_ps(sum, acc[c]);
  _mm256_storeu_ps(out, sum);
  return out[0];
}

void BM_Peak_FP32_FMA(benchmark::State& state) {
  const bool avx512 = __builtin_cpu_supports("avx512f");
  const int threads = keras::backend::num_threads();
  const double lanes = avx512 ? 16.0 : 8.0;
  for (auto _ : state) {
    float sink = 0;
#pragma omp parallel num_threads(threads) reduction(+ : sink)
    sink += avx512 ? fma_avx512(static_cast<float>(omp_get_thread_num()))
                   : fma_avx2(static_cast<float>(omp_get_thread_num()));
    benchmark::DoNotOptimize(sink);
  }
  const double flops = 2.0 * lanes * kChains * static_cast<double>(kIterations) * threads;
  state.counters["GFLOP/s"] = benchmark::Counter(
      flops * static_cast<double>(state.iterations()) / 1e9, benchmark::Counter::kIsRate);
  state.counters["threads"] = threads;
  state.SetLabel(avx512 ? "avx512" : "avx2");
}

BENCHMARK(BM_Peak_FP32_FMA)->UseRealTime()->MinTime(1.0);

}  // namespace

BENCHMARK_MAIN();
