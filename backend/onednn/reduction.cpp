// Reductions (sum, mean, max, min, prod) and sum_to_like (the transpose of
// broadcasting, which gradients of broadcast operands need) as
// dnnl::reduction, but sums over leading axes (a bias gradient), which run on
// column_sum.hpp's kernel. The output buffer is viewed with keepdims
// dimensions.
#include <omp.h>

#include "column_sum.hpp"
#include "compiler.hpp"
#include "lowering_registry.hpp"

namespace keras::backend::onednn {

namespace {

std::optional<dnnl::algorithm> reduction_algorithm(std::string_view op) {
  if (op == "sum" || op == "sum_to_like") return dnnl::algorithm::reduction_sum;
  if (op == "mean") return dnnl::algorithm::reduction_mean;
  if (op == "max") return dnnl::algorithm::reduction_max;
  if (op == "min") return dnnl::algorithm::reduction_min;
  if (op == "prod") return dnnl::algorithm::reduction_mul;
  return std::nullopt;
}

// The keepdims dims of a reduction's output, at its input's rank (at least 1).
dnnl::memory::dims reduced_dims(const graph::Node& node) {
  const graph::Value x = node.input(0);
  if (node.op() == "sum_to_like") {
    return dims_at_rank(node.input(1).shape(), std::max<std::int64_t>(x.shape().rank(), 1));
  }
  dnnl::memory::dims out = dims_of(x.shape());
  std::vector<std::int64_t> axes = node.attrs().get_ints("axis");
  if (axes.empty()) {
    for (std::int64_t a = 0; a < x.shape().rank(); ++a) axes.push_back(a);
  }
  for (std::int64_t a : axes) {
    out[static_cast<std::size_t>(normalize_axis(a, x.shape().rank(), node.op()))] = 1;
  }
  return out;
}

// A sum of `in` down to `out` (keepdims, same rank) over leading axes only,
// seen as a (rows, columns) matrix summed over its rows; nullopt when the sum
// reduces another axis.
struct RowsColumns {
  std::int64_t rows;
  std::int64_t columns;
};

std::optional<RowsColumns> leading_sum(const dnnl::memory::dims& in,
                                       const dnnl::memory::dims& out) {
  std::size_t kept = in.size();
  while (kept > 0 && out[kept - 1] == in[kept - 1]) --kept;
  for (std::size_t i = 0; i < kept; ++i) {
    if (out[i] != 1) return std::nullopt;  // a reduced axis after a kept one
  }
  RowsColumns split{1, 1};
  for (std::size_t i = 0; i < in.size(); ++i) (i < kept ? split.rows : split.columns) *= in[i];
  return split;
}

bool lower_copy(const graph::Node& node, Compiler& c) {
  const graph::Value x = node.input(0);
  const graph::Value y = output_of(node);
  const dnnl::memory::desc md = plain_desc(Shape{x.shape().num_elements()});
  dnnl::reorder::primitive_desc pd(c.engine(), md, c.engine(), md);
  c.emit(dnnl::reorder(pd), {{DNNL_ARG_FROM, c.memory(x, md)}, {DNNL_ARG_TO, c.memory(y, md)}},
         fmt::format("reorder copy ({} over size-1 axes) '{}' {} -> {}", node.op(), node.name(),
                     x.shape().to_string(), y.shape().to_string()));
  return true;
}

bool lower_reduction(const Step& step, Compiler& c) {
  const graph::Node& node = *step.node;
  const graph::Value x = node.input(0);
  const graph::Value y = output_of(node);
  auto algorithm = reduction_algorithm(node.op());
  if (!algorithm || x.dtype() != DType::float32 || x.shape().num_elements() == 0) return false;
  const dnnl::memory::dims out_dims = reduced_dims(node);
  // oneDNN refuses a reduction that reduces nothing (only size-1 axes, or a
  // scalar): every one of these is then a copy.
  if (out_dims == dims_of(x.shape())) return lower_copy(node, c);
  // oneDNN 2.6 runs a sum over leading axes on its slow reference code.
  if (is_column_sum(node)) {
    emit_column_sum(node, std::nullopt, c);
    return true;
  }
  const dnnl::memory::desc src = plain_desc(x.shape());
  const dnnl::memory::desc dst = plain_desc(Shape(out_dims));
  dnnl::reduction::desc desc(*algorithm, src, dst, 0.0f, 0.0f);
  dnnl::reduction::primitive_desc pd(desc, c.engine());
  c.emit(dnnl::reduction(pd), {{DNNL_ARG_SRC, c.memory(x)}, {DNNL_ARG_DST, c.memory(y, dst)}},
         fmt::format("reduction {} '{}' {} -> {}", node.op(), node.name(), x.shape().to_string(),
                     dims_text(out_dims)));
  return true;
}

}  // namespace

bool is_column_sum(const graph::Node& sum) {
  const graph::Value x = sum.input(0);
  return (sum.op() == "sum" || sum.op() == "sum_to_like") && x.dtype() == DType::float32 &&
         sum.output_type(0).dtype == DType::float32 &&
         leading_sum(dims_of(x.shape()), reduced_dims(sum)).has_value();
}

void emit_column_sum(const graph::Node& sum, std::optional<ReluGrad> relu, Compiler& c) {
  const graph::Value x = sum.input(0);
  const auto split = leading_sum(dims_of(x.shape()), reduced_dims(sum));
  KERAS_INTERNAL_CHECK(split && x.dtype() == DType::float32, "'{}' is no column sum", sum.name());
  const auto [rows, columns] = *split;
  const dnnl::memory total = c.memory(output_of(sum));
  // The gradient's step reads dy and writes dx (the sum's input).
  const dnnl::memory in = c.memory(relu ? relu->activation_grad.input(2) : x);
  const dnnl::memory y = relu ? c.memory(relu->activation_grad.input(1)) : dnnl::memory();
  const dnnl::memory dx = relu ? c.memory(x) : dnnl::memory();
  const float slope = relu ? relu->slope : 0.0f;
  const int threads = omp_get_max_threads();
  const dnnl::memory partials = c.scratch(plain_desc(Shape{std::max(threads - 1, 1), columns}));
  c.emit_kernel(
      [=] {
        column_sum({floats_of(in), floats_of(total), rows, columns, floats_of(y), floats_of(dx),
                    slope, floats_of(partials), threads});
      },
      fmt::format("{}column_sum '{}' {} -> {}",
                  relu ? fmt::format("relu_grad '{}' + ", relu->activation_grad.name()) : "",
                  sum.name(), x.shape().to_string(), sum.output_type(0).shape.to_string()));
}

void register_reduction_lowerings(LoweringRegistry& registry) {
  for (const char* op : {"sum", "mean", "max", "min", "prod", "sum_to_like"}) {
    registry.add(op, lower_reduction);
  }
}

}  // namespace keras::backend::onednn
