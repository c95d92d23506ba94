// Reference kernels of the elementwise binary ops, broadcasting as NumPy does.
#include <cmath>
#include <cstdint>

#include "elementwise.hpp"
#include "kernel_families.hpp"

namespace keras::backend::reference {

namespace {

struct Add {
  template <class T>
  T operator()(T a, T b) const {
    return a + b;
  }
};
struct Subtract {
  template <class T>
  T operator()(T a, T b) const {
    return a - b;
  }
};
struct Multiply {
  template <class T>
  T operator()(T a, T b) const {
    return a * b;
  }
};
struct Divide {
  template <class T>
  T operator()(T a, T b) const {
    return a / b;
  }
};
struct Power {
  template <class T>
  T operator()(T a, T b) const {
    return std::pow(a, b);
  }
};
// NaN in either operand gives NaN, as NumPy's maximum and minimum do
// (`a != a` is only true for NaN).
struct Maximum {
  template <class T>
  T operator()(T a, T b) const {
    return (a > b || a != a) ? a : b;
  }
};
struct Minimum {
  template <class T>
  T operator()(T a, T b) const {
    return (a < b || a != a) ? a : b;
  }
};

struct Equal {
  template <class T>
  bool operator()(T a, T b) const {
    return a == b;
  }
};
struct NotEqual {
  template <class T>
  bool operator()(T a, T b) const {
    return a != b;
  }
};
struct Greater {
  template <class T>
  bool operator()(T a, T b) const {
    return a > b;
  }
};
struct GreaterEqual {
  template <class T>
  bool operator()(T a, T b) const {
    return a >= b;
  }
};
struct Less {
  template <class T>
  bool operator()(T a, T b) const {
    return a < b;
  }
};
struct LessEqual {
  template <class T>
  bool operator()(T a, T b) const {
    return a <= b;
  }
};

template <class Op>
void numeric_kernel(const KernelContext& context) {
  visit_numeric(context.input(0).dtype(), [&](auto tag) {
    using T = decltype(tag);
    map_binary<T>(context, Op{});
  });
}

template <class Op>
void floating_kernel(const KernelContext& context) {
  visit_floating(context.input(0).dtype(), context.node.op(), [&](auto tag) {
    using T = decltype(tag);
    map_binary<T>(context, Op{});
  });
}

// bool results are stored as one byte per element.
template <class Op>
void comparison_kernel(const KernelContext& context) {
  visit_dtype(context.input(0).dtype(), [&](auto tag) {
    using T = decltype(tag);
    map_binary<T, bool>(context, [](T a, T b) { return static_cast<bool>(Op{}(a, b)); });
  });
}

}  // namespace

void register_binary_kernels(KernelRegistry& registry) {
  registry.add("add", numeric_kernel<Add>);
  registry.add("subtract", numeric_kernel<Subtract>);
  registry.add("multiply", numeric_kernel<Multiply>);
  registry.add("maximum", numeric_kernel<Maximum>);
  registry.add("minimum", numeric_kernel<Minimum>);
  registry.add("divide", floating_kernel<Divide>);
  registry.add("power", floating_kernel<Power>);
  registry.add("equal", comparison_kernel<Equal>);
  registry.add("not_equal", comparison_kernel<NotEqual>);
  registry.add("greater", comparison_kernel<Greater>);
  registry.add("greater_equal", comparison_kernel<GreaterEqual>);
  registry.add("less", comparison_kernel<Less>);
  registry.add("less_equal", comparison_kernel<LessEqual>);
}

}  // namespace keras::backend::reference
