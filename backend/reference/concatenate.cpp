// Reference concatenate: the output is, per position before the axis, the
// inputs' blocks laid end to end, so it is a sequence of byte copies.
#include <cstring>

#include "kernel_families.hpp"

namespace keras::backend::reference {

namespace {

void concatenate_kernel(const KernelContext& context) {
  Tensor& out = context.output();
  const std::int64_t axis =
      normalize_axis(context.attrs().get_int("axis"), out.rank(), "concatenate");
  std::int64_t outer = 1;
  for (std::int64_t a = 0; a < axis; ++a) outer *= out.shape().dim(a);
  auto* target = static_cast<std::byte*>(out.raw_data());
  for (std::int64_t o = 0; o < outer; ++o) {
    for (const Tensor* input : context.inputs) {
      // Bytes of this input per position before the axis.
      const std::size_t block = outer == 0 ? 0 : input->nbytes() / static_cast<std::size_t>(outer);
      if (block == 0) continue;
      std::memcpy(
          target,
          static_cast<const std::byte*>(input->raw_data()) + static_cast<std::size_t>(o) * block,
          block);
      target += block;
    }
  }
}

}  // namespace

void register_concatenate_kernels(KernelRegistry& registry) {
  registry.add("concatenate", concatenate_kernel);
}

}  // namespace keras::backend::reference
