// Reference kernel of clip.
#include <cmath>
#include <limits>

#include "elementwise.hpp"
#include "kernel_families.hpp"

namespace keras::backend::reference {

namespace {

// The bounds in T: integers keep the values inside [min_value, max_value]
// (so 0.5 rounds up to 1 as a lower bound), limited to T's range.
template <class T>
T lower_bound_in(double value) {
  if constexpr (std::numeric_limits<T>::is_integer) {
    value = std::ceil(value);
    if (value <= static_cast<double>(std::numeric_limits<T>::lowest())) {
      return std::numeric_limits<T>::lowest();
    }
    if (value >= static_cast<double>(std::numeric_limits<T>::max())) {
      return std::numeric_limits<T>::max();
    }
  }
  return static_cast<T>(value);
}

template <class T>
T upper_bound_in(double value) {
  if constexpr (std::numeric_limits<T>::is_integer) {
    return lower_bound_in<T>(std::floor(value));
  }
  return static_cast<T>(value);
}

void clip_kernel(const KernelContext& context) {
  const double min_value = context.attrs().get_float("min_value");
  const double max_value = context.attrs().get_float("max_value");
  visit_numeric(context.input(0).dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T low = lower_bound_in<T>(min_value);
    const T high = upper_bound_in<T>(max_value);
    // NaN stays NaN, as in NumPy.
    map_unary<T>(context, [&](T x) { return x < low ? low : (x > high ? high : x); });
  });
}

}  // namespace

void register_clip_kernels(KernelRegistry& registry) {
  registry.add("clip", clip_kernel);
}

}  // namespace keras::backend::reference
