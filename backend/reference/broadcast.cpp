// Reference broadcast_like and its transpose, sum_to_like.
#include <type_traits>

#include "kernel_families.hpp"
#include "strided_copy.hpp"

namespace keras::backend::reference {

namespace {

void broadcast_like_kernel(const KernelContext& context) {
  const Tensor& x = context.input(0);
  Tensor& out = context.output();
  strided_copy(x, out, out.shape(), broadcast_strides(x.shape(), out.shape()));
}

// Every element of x adds into the output element it was broadcast from;
// floating sums accumulate in double.
void sum_to_like_kernel(const KernelContext& context) {
  const Tensor& x = context.input(0);
  Tensor& out = context.output();
  visit_dtype(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    using Acc = std::conditional_t<std::is_floating_point_v<T>, double, std::int64_t>;
    std::vector<Acc> acc(static_cast<std::size_t>(out.size()), Acc{0});
    const T* source = x.data<T>();
    for_each_element(
        x.shape(),
        [&](std::int64_t i, std::int64_t o) { acc[static_cast<std::size_t>(o)] += Acc(source[i]); },
        broadcast_strides(out.shape(), x.shape()));
    T* target = out.data<T>();
    for (std::size_t o = 0; o < acc.size(); ++o) target[o] = static_cast<T>(acc[o]);
  });
}

}  // namespace

void register_broadcast_kernels(KernelRegistry& registry) {
  registry.add("broadcast_like", broadcast_like_kernel);
  registry.add("sum_to_like", sum_to_like_kernel);
}

}  // namespace keras::backend::reference
