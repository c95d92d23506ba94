// matmul as dnnl::matmul, transposes read through strides, batch axes
// broadcast; a following bias add and activation fuse in as the bias argument
// and an eltwise post-op. One row times a matrix runs on the gemv kernel.
#include "compiler.hpp"
#include "gemv.hpp"
#include "lowering_registry.hpp"

namespace keras::backend::onednn {

namespace {

// The operand's descriptor at `rank`, its last two axes swapped when
// `transpose`: a view, not a copy.
dnnl::memory::desc operand_desc(const Shape& shape, std::int64_t rank, bool transpose) {
  dnnl::memory::dims dims = dims_at_rank(shape, rank);
  dnnl::memory::dims strides(dims.size(), 1);
  for (std::size_t i = dims.size() - 1; i-- > 0;) strides[i] = strides[i + 1] * dims[i + 1];
  if (transpose) {
    std::swap(dims[dims.size() - 1], dims[dims.size() - 2]);
    std::swap(strides[strides.size() - 1], strides[strides.size() - 2]);
  }
  return dnnl::memory::desc(dims, dnnl::memory::data_type::f32, strides);
}

// One row times a row-major matrix (+ bias, + activation): the gemv kernel,
// then a non-relu activation in place. False when the step has another shape.
bool lower_row_times_matrix(const Step& step, const graph::Node& node, Compiler& c) {
  const graph::Value a = node.input(0);
  const graph::Value b = node.input(1);
  const graph::Value out = output_of(*step.node);
  if (a.shape().rank() != 2 || b.shape().rank() != 2 || a.shape().dim(0) != 1 ||
      node.attrs().get_bool("transpose_a") || node.attrs().get_bool("transpose_b")) {
    return false;
  }
  std::optional<EltwiseAlgorithm> activation;
  bool relu = false;
  if (step.activation != nullptr) {
    activation = eltwise_algorithm(step.activation->op(), step.activation->attrs());
    if (!activation || activation->scalar_only) return false;
    relu = activation->forward.algorithm == dnnl::algorithm::eltwise_relu &&
           activation->forward.alpha == 0.0f && !activation->then;
  }
  const std::int64_t k = a.shape().dim(1);
  const std::int64_t n = b.shape().dim(1);
  dnnl::memory x = c.memory(a), w = c.memory(b), y = c.memory(out);
  dnnl::memory bias = step.bias_add != nullptr ? c.memory(step.bias) : dnnl::memory();
  c.emit_kernel(
      [=] {
        gemv({static_cast<const float*>(x.get_data_handle()),
              static_cast<const float*>(w.get_data_handle()),
              bias ? static_cast<const float*>(bias.get_data_handle()) : nullptr,
              static_cast<float*>(y.get_data_handle()), k, n, relu});
      },
      fmt::format("gemv{}{} '{}' (1, {}) x ({}, {}) -> (1, {})",
                  step.bias_add != nullptr ? "+bias" : "", relu ? "+relu" : "", node.name(), k, k,
                  n, n));
  if (activation && !relu) {
    emit_in_place(activation->forward, out, step.activation->op(), c);
    if (activation->then) {
      emit_in_place(*activation->then, out, step.activation->op() + " second stage", c);
    }
  }
  return true;
}

bool lower_matmul(const Step& step, Compiler& c) {
  const graph::Node& node = step.matmul != nullptr ? *step.matmul : *step.node;
  const graph::Value a = node.input(0);
  const graph::Value b = node.input(1);
  if (a.dtype() != DType::float32 || b.dtype() != DType::float32) return false;
  if (lower_row_times_matrix(step, node, c)) return true;
  const graph::Value out = output_of(*step.node);
  const std::int64_t rank = out.shape().rank();
  const dnnl::memory::desc a_desc =
      operand_desc(a.shape(), rank, node.attrs().get_bool("transpose_a"));
  const dnnl::memory::desc b_desc =
      operand_desc(b.shape(), rank, node.attrs().get_bool("transpose_b"));
  const dnnl::memory::desc out_desc = plain_desc(out.shape());
  std::unordered_map<int, dnnl::memory> args{{DNNL_ARG_SRC, c.memory(a, a_desc)},
                                             {DNNL_ARG_WEIGHTS, c.memory(b, b_desc)},
                                             {DNNL_ARG_DST, c.memory(out, out_desc)}};
  std::string fused;
  dnnl::memory::desc bias_desc;
  if (step.bias_add != nullptr) {
    bias_desc = plain_desc(Shape(dims_at_rank(step.bias.shape(), rank)));
    args[DNNL_ARG_BIAS] = c.memory(step.bias, bias_desc);
    fused += "+bias";
  }
  dnnl::primitive_attr attr;
  if (step.activation != nullptr) {
    auto algorithm = eltwise_algorithm(step.activation->op(), step.activation->attrs());
    dnnl::post_ops post_ops;
    post_ops.append_eltwise(1.0f, algorithm->forward.algorithm, algorithm->forward.alpha,
                            algorithm->forward.beta);
    if (algorithm->then) {
      post_ops.append_eltwise(1.0f, algorithm->then->algorithm, algorithm->then->alpha,
                              algorithm->then->beta);
    }
    attr.set_post_ops(post_ops);
    fused += "+" + step.activation->op();
  }
  dnnl::matmul::desc desc = step.bias_add != nullptr
                                ? dnnl::matmul::desc(a_desc, b_desc, bias_desc, out_desc)
                                : dnnl::matmul::desc(a_desc, b_desc, out_desc);
  dnnl::matmul::primitive_desc pd(desc, attr, c.engine());
  c.emit(dnnl::matmul(pd), std::move(args),
         fmt::format("matmul{} '{}' {} x {}{}{} -> {}", fused, node.name(),
                     dims_text(a_desc.dims()), dims_text(b_desc.dims()),
                     node.attrs().get_bool("transpose_a") ? " (a transposed)" : "",
                     node.attrs().get_bool("transpose_b") ? " (b transposed)" : "",
                     dims_text(out_desc.dims())));
  return true;
}

}  // namespace

void register_matmul_lowerings(LoweringRegistry& registry) {
  registry.add("matmul", lower_matmul);
}

}  // namespace keras::backend::onednn
