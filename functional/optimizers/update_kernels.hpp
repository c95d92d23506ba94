#pragma once
// The loops optimizers run over a variable's elements: each update is one
// pass over the variable, its gradient and its slots, written into their
// storage in place (compiled plans hold that storage, so they see it).
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

#include "keras/tensor.hpp"
#include "keras/variable.hpp"

namespace keras::optimizers::kernels {

// A writable view of a tensor's storage (a Tensor is a handle: the copy
// shares it).
template <class T>
T* storage(const Tensor& t) {
  return const_cast<T*>(t.data<T>());
}

template <class T>
T* storage(const Variable& v) {
  return storage<T>(v.value());
}

// Runs f(begin, end) over [0, n) in blocks, on the kernel threads
// (backend::num_threads) when n is large enough to pay for waking them:
// a large model's update is memory-bound, and one core cannot use the
// bandwidth of two.
template <class F>
void parallel_for(std::int64_t n, F&& f) {
  constexpr std::int64_t kGrain = 1 << 15;
  const std::int64_t blocks = (n + kGrain - 1) / kGrain;
  if (blocks < 2) {
    f(std::int64_t{0}, n);
    return;
  }
#pragma omp parallel for schedule(static)
  for (std::int64_t b = 0; b < blocks; ++b) f(b * kGrain, std::min(n, (b + 1) * kGrain));
}

// Calls f(T{}) with the variable's floating element type.
template <class F>
void visit(const Variable& v, F&& f) {
  visit_floating(v.dtype(), "an optimizer update", f);
}

void clip_by_norm(Tensor& g, double clipnorm);
void clip_by_global_norm(std::vector<Tensor>& gradients, double clipnorm);
void clip_by_value(Tensor& g, double clipvalue);
void scale(Tensor& g, double factor);
// v -= v * weight_decay * learning_rate, as Keras' _apply_weight_decay.
void decay(const Variable& v, double weight_decay, double learning_rate);
// g = (g + acc) * factor.
void add_and_scale(Tensor& g, const Variable& acc, double factor);
void accumulate(const Variable& acc, const Tensor& g);
void fill(const Variable& v, double value);
// average = momentum * average + (1 - momentum) * v.
void moving_average(const Variable& average, const Variable& v, double momentum);

}  // namespace keras::optimizers::kernels
