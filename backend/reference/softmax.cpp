// Reference kernels of softmax and log_softmax along one axis and of their
// gradient ops. A tensor is seen as (outer, n, inner) around the axis, so
// element k of row (o, i) is at (o * n + k) * inner + i.
#include <algorithm>
#include <cmath>

#include "kernel_families.hpp"

namespace keras::backend::reference {

namespace {

struct Rows {
  std::int64_t outer = 1;
  std::int64_t n = 1;
  std::int64_t inner = 1;
};

Rows rows_of(const Shape& shape, std::int64_t attr_axis) {
  const std::int64_t axis = attr_axis < 0 ? attr_axis + shape.rank() : attr_axis;
  Rows rows;
  for (std::int64_t a = 0; a < shape.rank(); ++a) {
    const std::int64_t d = shape[static_cast<std::size_t>(a)];
    if (a < axis) rows.outer *= d;
    if (a == axis) rows.n = d;
    if (a > axis) rows.inner *= d;
  }
  return rows;
}

// Calls f(base, stride) for each row along the axis: its elements are at
// base + k * stride for k in [0, n).
template <class F>
void for_each_row(const Rows& rows, F&& f) {
  for (std::int64_t o = 0; o < rows.outer; ++o) {
    for (std::int64_t i = 0; i < rows.inner; ++i) f(o * rows.n * rows.inner + i, rows.inner);
  }
}

// Subtracting the row's max keeps exp from overflowing; returns
// sum(exp(x - max)), writes exp(x - max) to `out` and the max to `max_out`.
template <class T>
T shifted_exp(const T* x, T* out, std::int64_t base, std::int64_t stride, std::int64_t n,
              T& max_out) {
  T max = x[base];
  for (std::int64_t k = 1; k < n; ++k) max = std::max(max, x[base + k * stride]);
  T sum = 0;
  for (std::int64_t k = 0; k < n; ++k) {
    const std::int64_t at = base + k * stride;
    out[at] = std::exp(x[at] - max);
    sum += out[at];
  }
  max_out = max;
  return sum;
}

template <bool is_log>
void softmax_kernel(const KernelContext& context) {
  const Tensor& input = context.input(0);
  const Rows rows = rows_of(input.shape(), context.attrs().get_int("axis"));
  visit_floating(input.dtype(), context.node.op(), [&](auto tag) {
    using T = decltype(tag);
    const T* x = input.data<T>();
    T* y = context.output().data<T>();
    for_each_row(rows, [&](std::int64_t base, std::int64_t stride) {
      if (rows.n == 0) return;
      T max = 0;
      const T sum = shifted_exp(x, y, base, stride, rows.n, max);
      const T log_sum = is_log ? std::log(sum) : T(0);
      for (std::int64_t k = 0; k < rows.n; ++k) {
        const std::int64_t at = base + k * stride;
        y[at] = is_log ? x[at] - max - log_sum : y[at] / sum;
      }
    });
  });
}

// softmax: dx = y * (dy - sum(dy * y)).
// log_softmax: dx = dy - exp(y) * sum(dy).
template <bool is_log>
void softmax_grad_kernel(const KernelContext& context) {
  const Tensor& result = context.input(0);
  const Rows rows = rows_of(result.shape(), context.attrs().get_int("axis"));
  visit_floating(result.dtype(), context.node.op(), [&](auto tag) {
    using T = decltype(tag);
    const T* y = result.data<T>();
    const T* dy = context.input(1).data<T>();
    T* dx = context.output().data<T>();
    for_each_row(rows, [&](std::int64_t base, std::int64_t stride) {
      T sum = 0;
      for (std::int64_t k = 0; k < rows.n; ++k) {
        const std::int64_t at = base + k * stride;
        sum += is_log ? dy[at] : dy[at] * y[at];
      }
      for (std::int64_t k = 0; k < rows.n; ++k) {
        const std::int64_t at = base + k * stride;
        dx[at] = is_log ? dy[at] - std::exp(y[at]) * sum : y[at] * (dy[at] - sum);
      }
    });
  });
}

}  // namespace

void register_softmax_kernels(KernelRegistry& registry) {
  registry.add("softmax", softmax_kernel<false>);
  registry.add("log_softmax", softmax_kernel<true>);
  registry.add("softmax_grad", softmax_grad_kernel<false>);
  registry.add("log_softmax_grad", softmax_grad_kernel<true>);
}

}  // namespace keras::backend::reference
