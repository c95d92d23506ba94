// Reference dropout: the mask is drawn per element of the noise shape with
// backend/random.hpp (kept when uniform >= rate, scaled by 1 / (1 - rate)),
// then broadcast against x.
#include "../random.hpp"
#include "indexing.hpp"
#include "kernel_families.hpp"

namespace keras::backend::reference {

namespace {

template <class T>
void dropout(const KernelContext& context) {
  const Tensor& x = context.input(0);
  Tensor& output = context.output(0);
  Tensor& mask = context.output(1);
  const double rate = context.attrs().get_float("rate");
  const RandomStream stream(context.attrs().get_int("seed"), context.step);
  const T scale = static_cast<T>(1.0 / (1.0 - rate));
  T* m = mask.data<T>();
  for (std::int64_t i = 0; i < mask.size(); ++i) {
    m[i] = stream.keep(static_cast<std::uint64_t>(i), rate) ? scale : T(0);
  }
  const T* in = x.data<T>();
  T* out = output.data<T>();
  for_each_element(
      x.shape(), [&](std::int64_t i, std::int64_t im) { out[i] = in[i] * m[im]; },
      broadcast_strides(mask.shape(), x.shape()));
}

void dropout_kernel(const KernelContext& context) {
  visit_floating(context.input(0).dtype(), "dropout",
                 [&](auto tag) { dropout<decltype(tag)>(context); });
}

}  // namespace

void register_dropout_kernels(KernelRegistry& registry) {
  registry.add("dropout", dropout_kernel);
}

}  // namespace keras::backend::reference
