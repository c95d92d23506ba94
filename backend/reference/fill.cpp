// Reference fill_like: x's values are never read.
#include "kernel_families.hpp"

namespace keras::backend::reference {

namespace {

void fill_like_kernel(const KernelContext& context) {
  Tensor& out = context.output();
  const double value = context.attrs().get_float("value");
  visit_dtype(out.dtype(), [&](auto tag) {
    using T = decltype(tag);
    // bool stores 0 or 1, like a cast to bool.
    const T fill = dtype_of<T>() == DType::bool_ ? T(value != 0.0) : static_cast<T>(value);
    T* target = out.data<T>();
    for (std::int64_t i = 0; i < out.size(); ++i) target[i] = fill;
  });
}

}  // namespace

void register_fill_kernels(KernelRegistry& registry) {
  registry.add("fill_like", fill_like_kernel);
}

}  // namespace keras::backend::reference
