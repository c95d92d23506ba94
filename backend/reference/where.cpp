// Reference where, with NumPy broadcasting of all three inputs.
#include "indexing.hpp"
#include "kernel_families.hpp"

namespace keras::backend::reference {

namespace {

void where_kernel(const KernelContext& context) {
  const Tensor& condition = context.input(0);
  const Tensor& x = context.input(1);
  const Tensor& y = context.input(2);
  Tensor& out = context.output();
  visit_dtype(out.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const bool* mask = condition.data<bool>();
    const T* on_true = x.data<T>();
    const T* on_false = y.data<T>();
    T* target = out.data<T>();
    for_each_element(
        out.shape(),
        [&](std::int64_t o, std::int64_t c, std::int64_t i, std::int64_t j) {
          target[o] = mask[c] != 0 ? on_true[i] : on_false[j];
        },
        broadcast_strides(condition.shape(), out.shape()),
        broadcast_strides(x.shape(), out.shape()), broadcast_strides(y.shape(), out.shape()));
  });
}

}  // namespace

void register_where_kernels(KernelRegistry& registry) {
  registry.add("where", where_kernel);
}

}  // namespace keras::backend::reference
