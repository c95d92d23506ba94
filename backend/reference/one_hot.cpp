// Reference one_hot: out-of-range indices give rows of zeros (TensorFlow).
#include "kernel_families.hpp"

namespace keras::backend::reference {

namespace {

void one_hot_kernel(const KernelContext& context) {
  const Tensor& indices = context.input(0);
  Tensor& out = context.output();
  const std::int64_t num_classes = context.attrs().get_int("num_classes");
  const std::vector<std::int64_t> classes = indices.to_vector<std::int64_t>();
  visit_dtype(out.dtype(), [&](auto tag) {
    using T = decltype(tag);
    T* target = out.data<T>();
    for (std::int64_t i = 0; i < out.size(); ++i) target[i] = T{0};
    for (std::size_t i = 0; i < classes.size(); ++i) {
      const std::int64_t c = classes[i];
      if (c >= 0 && c < num_classes) target[static_cast<std::int64_t>(i) * num_classes + c] = T{1};
    }
  });
}

}  // namespace

void register_one_hot_kernels(KernelRegistry& registry) {
  registry.add("one_hot", one_hot_kernel);
}

}  // namespace keras::backend::reference
