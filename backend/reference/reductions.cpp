// Reference reductions. sum, mean and prod accumulate in double (int64 for
// integers) so the oracle is more accurate than the backends it checks.
#include <cmath>
#include <limits>
#include <type_traits>

#include "indexing.hpp"
#include "kernel_families.hpp"

namespace keras::backend::reference {

namespace {

// Strides that map a position of x to its output element: the output's
// keepdims strides, with 0 along the reduced axes.
std::vector<std::int64_t> output_strides(const KernelContext& context) {
  const Shape& shape = context.input(0).shape();
  const std::vector<std::int64_t>& axis = context.attrs().get_ints("axis");
  std::vector<bool> reduced(static_cast<std::size_t>(shape.rank()), axis.empty());
  for (std::int64_t a : axis) {
    reduced[static_cast<std::size_t>(normalize_axis(a, shape.rank(), "reduction"))] = true;
  }
  std::vector<std::int64_t> kept = shape.dims();
  for (std::size_t a = 0; a < kept.size(); ++a) {
    if (reduced[a]) kept[a] = 1;
  }
  std::vector<std::int64_t> strides = strides_of(Shape(kept));
  for (std::size_t a = 0; a < kept.size(); ++a) {
    if (reduced[a]) strides[a] = 0;
  }
  return strides;
}

template <class T>
using Accumulator = std::conditional_t<std::is_floating_point_v<T>, double, std::int64_t>;

// Folds every element of x into its output element with `step`, starting
// from `initial`; returns the accumulators (one per output element).
template <class T, class Acc, class Step>
std::vector<Acc> fold(const KernelContext& context, Acc initial, Step step) {
  const Tensor& x = context.input(0);
  std::vector<Acc> acc(static_cast<std::size_t>(context.output().size()), initial);
  const T* in = x.data<T>();
  for_each_element(
      x.shape(),
      [&](std::int64_t i, std::int64_t o) {
        Acc& a = acc[static_cast<std::size_t>(o)];
        a = step(a, in[i]);
      },
      output_strides(context));
  return acc;
}

template <class T, class Acc>
void store(const KernelContext& context, const std::vector<Acc>& acc) {
  T* out = context.output().data<T>();
  for (std::size_t o = 0; o < acc.size(); ++o) out[o] = static_cast<T>(acc[o]);
}

void sum_kernel(const KernelContext& context) {
  visit_dtype(context.input(0).dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (!std::is_same_v<T, bool>) {
      using Acc = Accumulator<T>;
      store<T>(context, fold<T>(context, Acc{0}, [](Acc a, T v) { return a + Acc(v); }));
    }
  });
}

void mean_kernel(const KernelContext& context) {
  visit_floating(context.input(0).dtype(), "mean", [&](auto tag) {
    using T = decltype(tag);
    const double count =
        static_cast<double>(context.input(0).size()) / static_cast<double>(context.output().size());
    std::vector<double> sums = fold<T>(context, 0.0, [](double a, T v) { return a + double(v); });
    // Zero elements per output gives 0 / 0, NaN as in NumPy.
    for (double& s : sums) s /= count;
    store<T>(context, sums);
  });
}

void prod_kernel(const KernelContext& context) {
  visit_floating(context.input(0).dtype(), "prod", [&](auto tag) {
    using T = decltype(tag);
    store<T>(context, fold<T>(context, 1.0, [](double a, T v) { return a * double(v); }));
  });
}

// NaN wins, as in NumPy's max and min.
template <class T>
bool is_nan(T v) {
  if constexpr (std::is_floating_point_v<T>) return std::isnan(v);
  return false;
}

template <bool kMax>
void extremum_kernel(const KernelContext& context) {
  visit_dtype(context.input(0).dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (!std::is_same_v<T, bool>) {
      using Limits = std::numeric_limits<T>;
      T initial;
      if constexpr (std::is_floating_point_v<T>) {
        initial = kMax ? -Limits::infinity() : Limits::infinity();
      } else {
        initial = kMax ? Limits::lowest() : Limits::max();
      }
      store<T>(context, fold<T>(context, initial, [](T a, T v) {
                 if (is_nan(a)) return a;
                 if (is_nan(v)) return v;
                 return (kMax ? v > a : v < a) ? v : a;
               }));
    }
  });
}

// The first position of the extremum along `axis` (the first NaN if any), as
// numpy.argmax and argmin.
template <bool kMax>
void arg_extremum_kernel(const KernelContext& context) {
  const Tensor& x = context.input(0);
  const std::int64_t axis = normalize_axis(context.attrs().get_int("axis"), x.rank(), "argmax");
  std::int64_t outer = 1;
  std::int64_t inner = 1;
  for (std::int64_t a = 0; a < axis; ++a) outer *= x.shape().dim(a);
  for (std::int64_t a = axis + 1; a < x.rank(); ++a) inner *= x.shape().dim(a);
  const std::int64_t n = x.shape().dim(axis);
  std::int64_t* out = context.output().data<std::int64_t>();
  visit_dtype(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* in = x.data<T>();
    for (std::int64_t o = 0; o < outer; ++o) {
      for (std::int64_t i = 0; i < inner; ++i) {
        const T* row = in + o * n * inner + i;
        std::int64_t best = 0;
        for (std::int64_t k = 1; k < n && !is_nan(row[best * inner]); ++k) {
          const T v = row[k * inner];
          if (is_nan(v) || (kMax ? v > row[best * inner] : v < row[best * inner])) best = k;
        }
        out[o * inner + i] = best;
      }
    }
  });
}

}  // namespace

void register_reductions_kernels(KernelRegistry& registry) {
  registry.add("sum", sum_kernel);
  registry.add("mean", mean_kernel);
  registry.add("prod", prod_kernel);
  registry.add("max", extremum_kernel<true>);
  registry.add("min", extremum_kernel<false>);
  registry.add("argmax", arg_extremum_kernel<true>);
  registry.add("argmin", arg_extremum_kernel<false>);
}

}  // namespace keras::backend::reference
