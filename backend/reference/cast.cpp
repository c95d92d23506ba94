// Reference cast: C++ conversions, except that anything cast to bool is
// x != 0 (stored as one byte holding 0 or 1).
#include <type_traits>

#include "kernel_families.hpp"

namespace keras::backend::reference {

namespace {

void cast_kernel(const KernelContext& context) {
  const Tensor& x = context.input(0);
  Tensor& out = context.output();
  visit_dtype(x.dtype(), [&](auto from_tag) {
    using From = decltype(from_tag);
    visit_dtype(out.dtype(), [&](auto to_tag) {
      using To = decltype(to_tag);
      const From* source = x.data<From>();
      To* target = out.data<To>();
      for (std::int64_t i = 0; i < x.size(); ++i) {
        if constexpr (dtype_of<To>() == DType::bool_) {
          target[i] = source[i] != From{0} ? 1 : 0;
        } else {
          target[i] = static_cast<To>(source[i]);
        }
      }
    });
  });
}

}  // namespace

void register_cast_kernels(KernelRegistry& registry) {
  registry.add("cast", cast_kernel);
}

}  // namespace keras::backend::reference
