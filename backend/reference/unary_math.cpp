// Reference kernels of the elementwise unary math ops.
#include <cmath>

#include "elementwise.hpp"
#include "kernel_families.hpp"

namespace keras::backend::reference {

namespace {

struct Negative {
  template <class T>
  T operator()(T x) const {
    return -x;
  }
};
struct Abs {
  template <class T>
  T operator()(T x) const {
    return x < 0 ? -x : x;
  }
};
struct Square {
  template <class T>
  T operator()(T x) const {
    return x * x;
  }
};
// NaN stays NaN, as in NumPy (`x != x` is only true for NaN).
struct Sign {
  template <class T>
  T operator()(T x) const {
    if (x != x) return x;
    return static_cast<T>((x > 0) - (x < 0));
  }
};
struct Exp {
  template <class T>
  T operator()(T x) const {
    return std::exp(x);
  }
};
struct Log {
  template <class T>
  T operator()(T x) const {
    return std::log(x);
  }
};
struct Log1p {
  template <class T>
  T operator()(T x) const {
    return std::log1p(x);
  }
};
struct Sqrt {
  template <class T>
  T operator()(T x) const {
    return std::sqrt(x);
  }
};
struct Rsqrt {
  template <class T>
  T operator()(T x) const {
    return T(1) / std::sqrt(x);
  }
};

template <class Op>
void numeric_kernel(const KernelContext& context) {
  visit_numeric(context.input(0).dtype(), [&](auto tag) {
    using T = decltype(tag);
    map_unary<T>(context, Op{});
  });
}

template <class Op>
void floating_kernel(const KernelContext& context) {
  visit_floating(context.input(0).dtype(), context.node.op(), [&](auto tag) {
    using T = decltype(tag);
    map_unary<T>(context, Op{});
  });
}

}  // namespace

void register_unary_math_kernels(KernelRegistry& registry) {
  registry.add("negative", numeric_kernel<Negative>);
  registry.add("abs", numeric_kernel<Abs>);
  registry.add("square", numeric_kernel<Square>);
  registry.add("sign", numeric_kernel<Sign>);
  registry.add("exp", floating_kernel<Exp>);
  registry.add("log", floating_kernel<Log>);
  registry.add("log1p", floating_kernel<Log1p>);
  registry.add("sqrt", floating_kernel<Sqrt>);
  registry.add("rsqrt", floating_kernel<Rsqrt>);
}

}  // namespace keras::backend::reference
