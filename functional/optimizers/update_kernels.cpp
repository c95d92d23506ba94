#include "update_kernels.hpp"

namespace keras::optimizers::kernels {

namespace {

template <class F>
void visit_tensor(const Tensor& t, F&& f) {
  visit_floating(t.dtype(), "a gradient", f);
}

double squared_norm(const Tensor& g) {
  double sum = 0.0;
  visit_tensor(g, [&](auto tag) {
    using T = decltype(tag);
    const T* p = g.data<T>();
    // A reduction: serial, so that the norm does not depend on the threads.
    for (std::int64_t i = 0; i < g.size(); ++i) sum += static_cast<double>(p[i]) * p[i];
  });
  return sum;
}

}  // namespace

void scale(Tensor& g, double factor) {
  visit_tensor(g, [&](auto tag) {
    using T = decltype(tag);
    T* p = g.data<T>();
    const T f = static_cast<T>(factor);
    parallel_for(g.size(), [&](std::int64_t begin, std::int64_t end) {
      for (std::int64_t i = begin; i < end; ++i) p[i] *= f;
    });
  });
}

void clip_by_norm(Tensor& g, double clipnorm) {
  // Keras: g * clipnorm / max(||g||, clipnorm), with a zero norm left alone.
  const double l2 = std::sqrt(squared_norm(g));
  visit_tensor(g, [&](auto tag) {
    using T = decltype(tag);
    T* p = g.data<T>();
    const T c = static_cast<T>(clipnorm);
    const T d = static_cast<T>(std::max(l2, clipnorm));
    parallel_for(g.size(), [&](std::int64_t begin, std::int64_t end) {
      for (std::int64_t i = begin; i < end; ++i) p[i] = p[i] * c / d;
    });
  });
}

void clip_by_global_norm(std::vector<Tensor>& gradients, double clipnorm) {
  double sum = 0.0;
  for (const Tensor& g : gradients) sum += squared_norm(g);
  const double norm = std::sqrt(sum);
  // clip_norm * min(1 / norm, 1 / clip_norm); NaN for a non-finite norm.
  const double factor = clipnorm * std::min(1.0 / norm, 1.0 / clipnorm) + (norm - norm);
  for (Tensor& g : gradients) scale(g, factor);
}

void clip_by_value(Tensor& g, double clipvalue) {
  visit_tensor(g, [&](auto tag) {
    using T = decltype(tag);
    T* p = g.data<T>();
    const T hi = static_cast<T>(clipvalue);
    parallel_for(g.size(), [&](std::int64_t begin, std::int64_t end) {
      for (std::int64_t i = begin; i < end; ++i) p[i] = std::min(std::max(p[i], -hi), hi);
    });
  });
}

void decay(const Variable& v, double weight_decay, double learning_rate) {
  visit(v, [&](auto tag) {
    using T = decltype(tag);
    T* p = storage<T>(v);
    const T wd = static_cast<T>(weight_decay);
    const T lr = static_cast<T>(learning_rate);
    const std::int64_t n = v.value().size();
    parallel_for(n, [&](std::int64_t begin, std::int64_t end) {
      for (std::int64_t i = begin; i < end; ++i) p[i] = p[i] - p[i] * wd * lr;
    });
  });
}

void add_and_scale(Tensor& g, const Variable& acc, double factor) {
  visit(acc, [&](auto tag) {
    using T = decltype(tag);
    T* p = g.data<T>();
    const T* a = storage<T>(acc);
    const T f = static_cast<T>(factor);
    parallel_for(g.size(), [&](std::int64_t begin, std::int64_t end) {
      for (std::int64_t i = begin; i < end; ++i) p[i] = (p[i] + a[i]) * f;
    });
  });
}

void accumulate(const Variable& acc, const Tensor& g) {
  visit(acc, [&](auto tag) {
    using T = decltype(tag);
    T* a = storage<T>(acc);
    const T* p = g.data<T>();
    parallel_for(g.size(), [&](std::int64_t begin, std::int64_t end) {
      for (std::int64_t i = begin; i < end; ++i) a[i] += p[i];
    });
  });
}

void fill(const Variable& v, double value) {
  visit(v, [&](auto tag) {
    using T = decltype(tag);
    T* p = storage<T>(v);
    const std::int64_t n = v.value().size();
    parallel_for(n, [&](std::int64_t begin, std::int64_t end) {
      for (std::int64_t i = begin; i < end; ++i) p[i] = static_cast<T>(value);
    });
  });
}

void moving_average(const Variable& average, const Variable& v, double momentum) {
  visit(v, [&](auto tag) {
    using T = decltype(tag);
    T* a = storage<T>(average);
    const T* p = storage<T>(v);
    const T m = static_cast<T>(momentum);
    const std::int64_t n = v.value().size();
    parallel_for(n, [&](std::int64_t begin, std::int64_t end) {
      for (std::int64_t i = begin; i < end; ++i) a[i] = m * a[i] + (1 - m) * p[i];
    });
  });
}

}  // namespace keras::optimizers::kernels
