// Reference slice and pad.
#include "kernel_families.hpp"
#include "strided_copy.hpp"

namespace keras::backend::reference {

namespace {

// The output reads the input through its own strides, starting at `begin`.
void slice_kernel(const KernelContext& context) {
  const Tensor& x = context.input(0);
  Tensor& out = context.output();
  const std::vector<std::int64_t>& begin = context.attrs().get_ints("begin");
  const std::vector<std::int64_t> strides = strides_of(x.shape());
  std::int64_t base = 0;
  for (std::size_t a = 0; a < begin.size(); ++a) base += begin[a] * strides[a];
  if (out.size() > 0) strided_copy(x, out, out.shape(), strides, base);
}

// Fills the output with constant_values, then writes x into the interior.
void pad_kernel(const KernelContext& context) {
  const Tensor& x = context.input(0);
  Tensor& out = context.output();
  const std::vector<std::int64_t>& pad_width = context.attrs().get_ints("pad_width");
  const double constant = context.attrs().get_float("constant_values");
  const std::vector<std::int64_t> out_strides = strides_of(out.shape());
  std::int64_t base = 0;
  for (std::size_t a = 0; a < out_strides.size(); ++a) base += pad_width[2 * a] * out_strides[a];
  visit_dtype(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    T* target = out.data<T>();
    const T fill = static_cast<T>(constant);
    for (std::int64_t i = 0; i < out.size(); ++i) target[i] = fill;
    const T* source = x.data<T>();
    for_each_element(
        x.shape(), [&](std::int64_t i, std::int64_t o) { target[base + o] = source[i]; },
        out_strides);
  });
}

}  // namespace

void register_slice_kernels(KernelRegistry& registry) {
  registry.add("slice", slice_kernel);
  registry.add("pad", pad_kernel);
}

}  // namespace keras::backend::reference
