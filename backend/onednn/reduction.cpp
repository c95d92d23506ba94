// Reductions (sum, mean, max, min, prod) and sum_to_like (the transpose of
// broadcasting, which gradients of broadcast operands need) as
// dnnl::reduction. The output buffer is viewed with keepdims dimensions.
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

// A sum over leading axes only (a bias gradient summing the batch) as a
// matmul of a ones row with the input seen as (rows, columns): oneDNN 2.6
// runs that reduction with its slow reference implementation.
bool lower_leading_sum(const graph::Node& node, const dnnl::memory::dims& out_dims, Compiler& c) {
  const graph::Value x = node.input(0);
  const dnnl::memory::dims in_dims = dims_of(x.shape());
  std::size_t kept = in_dims.size();
  while (kept > 0 && out_dims[kept - 1] == in_dims[kept - 1]) --kept;
  for (std::size_t i = 0; i < kept; ++i) {
    if (out_dims[i] != 1) return false;  // a reduced axis after a kept one
  }
  std::int64_t rows = 1, columns = 1;
  for (std::size_t i = 0; i < in_dims.size(); ++i) (i < kept ? rows : columns) *= in_dims[i];
  const dnnl::memory::desc ones_desc = plain_desc(Shape{1, rows});
  const dnnl::memory::desc src_desc = plain_desc(Shape{rows, columns});
  const dnnl::memory::desc dst_desc = plain_desc(Shape{1, columns});
  dnnl::matmul::desc desc(ones_desc, src_desc, dst_desc);
  dnnl::matmul::primitive_desc pd(desc, c.engine());
  const graph::Value y = output_of(node);
  c.emit(dnnl::matmul(pd),
         {{DNNL_ARG_SRC, c.constant(Tensor::full({1, rows}, 1.0), ones_desc)},
          {DNNL_ARG_WEIGHTS, c.memory(x, src_desc)},
          {DNNL_ARG_DST, c.memory(y, dst_desc)}},
         fmt::format("matmul (ones) {} '{}' {} -> {}", node.op(), node.name(),
                     x.shape().to_string(), dims_text(out_dims)));
  return true;
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
  const std::int64_t rank = std::max<std::int64_t>(x.shape().rank(), 1);
  dnnl::memory::dims out_dims;
  if (node.op() == "sum_to_like") {
    out_dims = dims_at_rank(node.input(1).shape(), rank);
  } else {
    out_dims = dims_of(x.shape());
    std::vector<std::int64_t> axes = node.attrs().get_ints("axis");
    if (axes.empty()) {
      for (std::int64_t a = 0; a < x.shape().rank(); ++a) axes.push_back(a);
    }
    for (std::int64_t a : axes) {
      out_dims[static_cast<std::size_t>(normalize_axis(a, x.shape().rank(), node.op()))] = 1;
    }
  }
  // oneDNN refuses a reduction that reduces nothing (only size-1 axes, or a
  // scalar): every one of these is then a copy.
  if (out_dims == dims_of(x.shape())) return lower_copy(node, c);
  if (node.op() == "sum" || node.op() == "sum_to_like") {
    if (lower_leading_sum(node, out_dims, c)) return true;
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

void register_reduction_lowerings(LoweringRegistry& registry) {
  for (const char* op : {"sum", "mean", "max", "min", "prod", "sum_to_like"}) {
    registry.add(op, lower_reduction);
  }
}

}  // namespace keras::backend::onednn
