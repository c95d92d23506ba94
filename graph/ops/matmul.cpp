// matmul: (..., m, k) x (..., k, n) -> (..., m, n), each operand optionally
// transposed in its last two axes, the leading (batch) axes broadcast as
// NumPy does. The op takes operands of rank >= 2; the emitter handles rank-1
// operands as numpy.matmul does by adding and removing a unit axis.
#include <algorithm>

#include <fmt/format.h>

#include "keras/graph/ops.hpp"
#include "op_families.hpp"

namespace keras::graph {

namespace {

struct MatrixAxes {
  std::int64_t rows;  // after the optional transpose
  std::int64_t cols;
};

MatrixAxes matrix_axes(const Shape& shape, bool transpose) {
  const std::int64_t a = shape.dim(-2);
  const std::int64_t b = shape.dim(-1);
  return transpose ? MatrixAxes{b, a} : MatrixAxes{a, b};
}

std::string operand_name(const char* name, bool transpose) {
  return transpose ? fmt::format("{} (transposed)", name) : std::string(name);
}

// NumPy broadcasting of the batch axes (all but the last two), with an
// unknown size against a known size n != 1 taken as n.
std::vector<std::int64_t> broadcast_batch(const InferContext& context, const Shape& a,
                                          const Shape& b) {
  const std::int64_t batch_a = a.rank() - 2;
  const std::int64_t batch_b = b.rank() - 2;
  const std::int64_t rank = std::max(batch_a, batch_b);
  std::vector<std::int64_t> dims(static_cast<std::size_t>(rank));
  for (std::int64_t i = 0; i < rank; ++i) {
    const std::int64_t ia = i - (rank - batch_a);
    const std::int64_t ib = i - (rank - batch_b);
    const std::int64_t da = ia < 0 ? 1 : a[static_cast<std::size_t>(ia)];
    const std::int64_t db = ib < 0 ? 1 : b[static_cast<std::size_t>(ib)];
    std::int64_t d;
    if (da == db || db == 1) {
      d = da;
    } else if (da == 1 || da == Shape::kUnknown) {
      d = db;
    } else if (db == Shape::kUnknown) {
      d = da;
    } else {
      context.fail(fmt::format(
          "the batch axes of {} and {} cannot be broadcast together (sizes {} and {} at batch "
          "axis {}); batch sizes must be equal or 1",
          a.to_string(), b.to_string(), da, db, i));
    }
    dims[static_cast<std::size_t>(i)] = d;
  }
  return dims;
}

std::vector<TensorType> infer_matmul(const InferContext& context) {
  context.require_floating(0);
  context.require_same_dtype();
  const Shape& a = context.input(0).shape;
  const Shape& b = context.input(1).shape;
  if (a.rank() < 2 || b.rank() < 2) {
    context.fail(fmt::format("operands must have rank >= 2 (..., rows, columns), got {} and {}",
                             a.to_string(), b.to_string()));
  }
  const bool transpose_a = context.attrs().get_bool("transpose_a");
  const bool transpose_b = context.attrs().get_bool("transpose_b");
  const MatrixAxes ma = matrix_axes(a, transpose_a);
  const MatrixAxes mb = matrix_axes(b, transpose_b);
  if (ma.cols != Shape::kUnknown && mb.rows != Shape::kUnknown && ma.cols != mb.rows) {
    context.fail(fmt::format(
        "cannot multiply {} {} by {} {}: the contraction axes differ ({} vs {}); the last axis "
        "of the first operand must equal the second-to-last axis of the second",
        operand_name("a", transpose_a), a.to_string(), operand_name("b", transpose_b),
        b.to_string(), ma.cols, mb.rows));
  }
  std::vector<std::int64_t> dims = broadcast_batch(context, a, b);
  dims.push_back(ma.rows);
  dims.push_back(mb.cols);
  return {{context.input(0).dtype, Shape(std::move(dims))}};
}

}  // namespace

void register_matmul_ops(OpRegistry& registry) {
  registry.add(OpDef{.name = "matmul",
                     .min_inputs = 2,
                     .max_inputs = 2,
                     .attrs = {{"transpose_a", AttrKind::boolean, AttrValue(false)},
                               {"transpose_b", AttrKind::boolean, AttrValue(false)}},
                     .infer = infer_matmul});
}

}  // namespace keras::graph

namespace keras::ops {

namespace {

void require_not_scalar(const Value& x, const char* which) {
  if (x.shape().rank() == 0) {
    throw Error(
        fmt::format("matmul: operand {} is the scalar {}; matmul needs operands of rank "
                    ">= 1 (use multiply to scale a tensor)",
                    which, x.to_string()));
  }
}

}  // namespace

// numpy.matmul's rank-1 rule: a vector first operand is a row (1, k), a
// vector second operand a column (k, 1), and that unit axis is removed from
// the result. Transposing a vector changes nothing.
Value matmul(const Value& a, const Value& b, MatmulOptions options) {
  require_not_scalar(a, "a");
  require_not_scalar(b, "b");
  const bool vector_a = a.shape().rank() == 1;
  const bool vector_b = b.shape().rank() == 1;
  const Value lhs = vector_a ? expand_dims(a, 0) : a;
  const Value rhs = vector_b ? expand_dims(b, -1) : b;
  const DType dtype = promote_types(a.dtype(), b.dtype());
  const Value cast_lhs = lhs.dtype() == dtype ? lhs : cast(lhs, dtype);
  const Value cast_rhs = rhs.dtype() == dtype ? rhs : cast(rhs, dtype);
  Value result = a.graph().add("matmul", {cast_lhs, cast_rhs},
                               {{"transpose_a", options.transpose_a && !vector_a},
                                {"transpose_b", options.transpose_b && !vector_b}});
  if (vector_b) result = squeeze(result, {-1});
  if (vector_a) result = squeeze(result, {-2 + (vector_b ? 1 : 0)});
  return result;
}

}  // namespace keras::ops
