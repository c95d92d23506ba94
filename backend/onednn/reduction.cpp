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

bool lower_reduction(const Step& step, Compiler& c) {
  const graph::Node& node = *step.node;
  const graph::Value x = node.input(0);
  const graph::Value y(const_cast<graph::Node*>(&node), 0);
  auto algorithm = reduction_algorithm(node.op());
  if (!algorithm || x.dtype() != DType::float32 || x.shape().rank() == 0) return false;
  const std::int64_t rank = x.shape().rank();
  dnnl::memory::dims out_dims;
  if (node.op() == "sum_to_like") {
    out_dims = dims_at_rank(node.input(1).shape(), rank);
  } else {
    out_dims = dims_of(x.shape());
    std::vector<std::int64_t> axes = node.attrs().get_ints("axis");
    if (axes.empty()) {
      for (std::int64_t a = 0; a < rank; ++a) axes.push_back(a);
    }
    for (std::int64_t a : axes)
      out_dims[static_cast<std::size_t>(normalize_axis(a, rank, node.op()))] = 1;
  }
  // oneDNN refuses a reduction that reduces nothing; that is a copy.
  if (out_dims == dims_of(x.shape())) return false;
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
