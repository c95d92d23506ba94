// Reference matmul: one Eigen GEMM per batch element, on row-major maps of
// the operands; broadcast batch axes map several outputs to one operand
// matrix.
#include <Eigen/Core>

#include "indexing.hpp"
#include "kernel_families.hpp"

namespace keras::backend::reference {

namespace {

template <class T>
using RowMajor = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// The leading (batch) axes of a matmul operand or result.
Shape batch_shape(const Shape& shape) {
  return Shape(std::vector<std::int64_t>(shape.dims().begin(), shape.dims().end() - 2));
}

// out = op(a) * op(b), op transposing where asked; Eigen evaluates the
// transposed maps without copying.
template <class T>
void multiply(const Eigen::Map<const RowMajor<T>>& a, const Eigen::Map<const RowMajor<T>>& b,
              bool transpose_a, bool transpose_b, Eigen::Map<RowMajor<T>>& out) {
  if (transpose_a && transpose_b) {
    out.noalias() = a.transpose() * b.transpose();
  } else if (transpose_a) {
    out.noalias() = a.transpose() * b;
  } else if (transpose_b) {
    out.noalias() = a * b.transpose();
  } else {
    out.noalias() = a * b;
  }
}

template <class T>
void matmul(const KernelContext& context) {
  const Tensor& a = context.input(0);
  const Tensor& b = context.input(1);
  Tensor& output = context.output();
  const bool transpose_a = context.attrs().get_bool("transpose_a");
  const bool transpose_b = context.attrs().get_bool("transpose_b");
  // Stored (untransposed) matrix sizes.
  const std::int64_t a_rows = a.shape().dim(-2), a_cols = a.shape().dim(-1);
  const std::int64_t b_rows = b.shape().dim(-2), b_cols = b.shape().dim(-1);
  const std::int64_t m = output.shape().dim(-2), n = output.shape().dim(-1);
  const Shape batch = batch_shape(output.shape());
  const T* a_data = a.data<T>();
  const T* b_data = b.data<T>();
  T* out_data = output.data<T>();
  // Strides in whole matrices, 0 along broadcast batch axes.
  for_each_element(
      batch,
      [&](std::int64_t o, std::int64_t ia, std::int64_t ib) {
        Eigen::Map<const RowMajor<T>> lhs(a_data + ia * a_rows * a_cols, a_rows, a_cols);
        Eigen::Map<const RowMajor<T>> rhs(b_data + ib * b_rows * b_cols, b_rows, b_cols);
        Eigen::Map<RowMajor<T>> out(out_data + o * m * n, m, n);
        multiply<T>(lhs, rhs, transpose_a, transpose_b, out);
      },
      broadcast_strides(batch_shape(a.shape()), batch),
      broadcast_strides(batch_shape(b.shape()), batch));
}

void matmul_kernel(const KernelContext& context) {
  visit_floating(context.output().dtype(), "matmul",
                 [&](auto tag) { matmul<decltype(tag)>(context); });
}

}  // namespace

void register_matmul_kernels(KernelRegistry& registry) {
  registry.add("matmul", matmul_kernel);
}

}  // namespace keras::backend::reference
