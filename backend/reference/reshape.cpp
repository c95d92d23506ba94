// Reference reshape, squeeze and expand_dims: the row-major data is unchanged,
// so each is a plain copy into the output's shape.
#include <cstring>

#include "kernel_families.hpp"

namespace keras::backend::reference {

namespace {

void copy_kernel(const KernelContext& context) {
  const Tensor& x = context.input(0);
  Tensor& out = context.output();
  KERAS_INTERNAL_CHECK(x.nbytes() == out.nbytes(), "{} of {} into {}", context.node.op(),
                       x.shape().to_string(), out.shape().to_string());
  if (x.nbytes() > 0) std::memcpy(out.raw_data(), x.raw_data(), x.nbytes());
}

}  // namespace

void register_reshape_kernels(KernelRegistry& registry) {
  registry.add("reshape", copy_kernel);
  registry.add("squeeze", copy_kernel);
  registry.add("expand_dims", copy_kernel);
}

}  // namespace keras::backend::reference
