#pragma once
// Loops shared by the elementwise reference kernels: a unary map, and a
// binary map that broadcasts its operands as NumPy does.
#include <type_traits>

#include "indexing.hpp"
#include "kernel.hpp"

namespace keras::backend::reference {

// output(i) = f(input(i)) for every element; input T, output R.
template <class T, class R = T, class F>
void map_unary(const KernelContext& context, F&& f) {
  const Tensor& x = context.input(0);
  const T* in = x.data<T>();
  R* out = context.output().data<R>();
  for (std::int64_t i = 0; i < x.size(); ++i) out[i] = f(in[i]);
}

// output = f(input(0), input(1)) with both operands broadcast to the output's
// shape; input T, output R.
template <class T, class R = T, class F>
void map_binary(const KernelContext& context, F&& f) {
  const Tensor& a = context.input(0);
  const Tensor& b = context.input(1);
  Tensor& output = context.output();
  const T* in_a = a.data<T>();
  const T* in_b = b.data<T>();
  R* out = output.data<R>();
  if (a.shape() == output.shape() && b.shape() == output.shape()) {
    for (std::int64_t i = 0; i < output.size(); ++i) out[i] = f(in_a[i], in_b[i]);
    return;
  }
  for_each_element(
      output.shape(),
      [&](std::int64_t i, std::int64_t ia, std::int64_t ib) { out[i] = f(in_a[ia], in_b[ib]); },
      broadcast_strides(a.shape(), output.shape()), broadcast_strides(b.shape(), output.shape()));
}

// Calls f(T{}) for the numeric dtypes (float32, float64, int32, int64); bool
// is an internal error, as the op's inference rejects it.
template <class F>
void visit_numeric(DType dtype, F&& f) {
  visit_dtype(dtype, [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_same_v<T, bool>) {
      KERAS_INTERNAL_CHECK(false, "a numeric kernel was given a bool input");
    } else {
      f(tag);
    }
  });
}

}  // namespace keras::backend::reference
