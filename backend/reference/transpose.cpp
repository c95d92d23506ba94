// Reference transpose: output axis k reads input axis axes[k].
#include "kernel_families.hpp"
#include "strided_copy.hpp"

namespace keras::backend::reference {

namespace {

void transpose_kernel(const KernelContext& context) {
  const Tensor& x = context.input(0);
  Tensor& out = context.output();
  const std::int64_t rank = x.rank();
  std::vector<std::int64_t> axes = context.attrs().get_ints("axes");
  if (axes.empty()) {
    for (std::int64_t a = rank - 1; a >= 0; --a) axes.push_back(a);
  }
  const std::vector<std::int64_t> strides = strides_of(x.shape());
  std::vector<std::int64_t> permuted;
  for (std::int64_t a : axes) {
    permuted.push_back(strides[static_cast<std::size_t>(normalize_axis(a, rank, "transpose"))]);
  }
  strided_copy(x, out, out.shape(), permuted);
}

}  // namespace

void register_transpose_kernels(KernelRegistry& registry) {
  registry.add("transpose", transpose_kernel);
}

}  // namespace keras::backend::reference
