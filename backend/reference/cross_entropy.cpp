// Reference cross entropies on logits, in double for the oracle's accuracy.
// softmax: -sum(labels * log_softmax(logits)) with the log-sum-exp shifted by
// the row maximum; sigmoid: max(x, 0) - x * z + log1p(exp(-|x|)), which never
// overflows.
#include <algorithm>
#include <cmath>

#include "indexing.hpp"
#include "kernel_families.hpp"

namespace keras::backend::reference {

namespace {

// One softmax row of n elements, `stride` apart.
template <class T>
double softmax_cross_entropy_row(const T* labels, const T* logits, std::int64_t n,
                                 std::int64_t stride) {
  double max = -INFINITY;
  for (std::int64_t k = 0; k < n; ++k) max = std::max(max, double(logits[k * stride]));
  double sum = 0.0;
  for (std::int64_t k = 0; k < n; ++k) sum += std::exp(double(logits[k * stride]) - max);
  const double log_sum_exp = max + std::log(sum);
  double loss = 0.0;
  for (std::int64_t k = 0; k < n; ++k) {
    loss += double(labels[k * stride]) * (log_sum_exp - double(logits[k * stride]));
  }
  return loss;
}

template <class T>
void softmax_cross_entropy(const KernelContext& context) {
  const Tensor& labels = context.input(0);
  const Tensor& logits = context.input(1);
  const Shape& shape = logits.shape();
  const std::int64_t axis =
      normalize_axis(context.attrs().get_int("axis"), shape.rank(), "softmax_cross_entropy");
  std::int64_t outer = 1;
  std::int64_t inner = 1;
  for (std::int64_t a = 0; a < axis; ++a) outer *= shape.dim(a);
  for (std::int64_t a = axis + 1; a < shape.rank(); ++a) inner *= shape.dim(a);
  const std::int64_t n = shape.dim(axis);
  const T* z = labels.data<T>();
  const T* x = logits.data<T>();
  T* out = context.output().data<T>();
  for (std::int64_t o = 0; o < outer; ++o) {
    for (std::int64_t i = 0; i < inner; ++i) {
      const std::int64_t start = o * n * inner + i;
      out[o * inner + i] =
          static_cast<T>(softmax_cross_entropy_row(z + start, x + start, n, inner));
    }
  }
}

template <class T>
void sigmoid_cross_entropy(const KernelContext& context) {
  const Tensor& labels = context.input(0);
  const Tensor& logits = context.input(1);
  Tensor& output = context.output();
  const T* z = labels.data<T>();
  const T* x = logits.data<T>();
  T* out = output.data<T>();
  for_each_element(
      output.shape(),
      [&](std::int64_t i, std::int64_t iz, std::int64_t ix) {
        const double xi = x[ix];
        const double zi = z[iz];
        out[i] = static_cast<T>(std::max(xi, 0.0) - xi * zi + std::log1p(std::exp(-std::abs(xi))));
      },
      broadcast_strides(labels.shape(), output.shape()),
      broadcast_strides(logits.shape(), output.shape()));
}

void softmax_cross_entropy_kernel(const KernelContext& context) {
  visit_floating(context.input(1).dtype(), "softmax_cross_entropy",
                 [&](auto tag) { softmax_cross_entropy<decltype(tag)>(context); });
}

void sigmoid_cross_entropy_kernel(const KernelContext& context) {
  visit_floating(context.input(1).dtype(), "sigmoid_cross_entropy",
                 [&](auto tag) { sigmoid_cross_entropy<decltype(tag)>(context); });
}

}  // namespace

void register_cross_entropy_kernels(KernelRegistry& registry) {
  registry.add("softmax_cross_entropy", softmax_cross_entropy_kernel);
  registry.add("sigmoid_cross_entropy", sigmoid_cross_entropy_kernel);
}

}  // namespace keras::backend::reference
