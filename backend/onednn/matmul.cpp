// matmul as dnnl::matmul, transposes read through strides, batch axes
// broadcast; a following bias add and activation fuse in as the bias argument
// and an eltwise post-op. One row times a matrix runs on the gemv kernel.
#include <omp.h>

#include "compiler.hpp"
#include "gemv.hpp"
#include "lowering_registry.hpp"
#include "narrow_matmul.hpp"

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

// A step's fused activation on an own kernel: relu (max(x, 0)) as the kernel
// stores, any other eltwise activation in place after it. nullopt when the
// activation has no jitted oneDNN form.
struct KernelActivation {
  std::optional<EltwiseAlgorithm> algorithm;
  bool relu = false;
};

std::optional<KernelActivation> kernel_activation(const Step& step) {
  KernelActivation a;
  if (step.activation == nullptr) return a;
  a.algorithm = eltwise_algorithm(step.activation->op(), step.activation->attrs());
  if (!a.algorithm || a.algorithm->scalar_only) return std::nullopt;
  a.relu = a.algorithm->forward.algorithm == dnnl::algorithm::eltwise_relu &&
           a.algorithm->forward.alpha == 0.0f && !a.algorithm->then;
  return a;
}

void emit_activation_in_place(const Step& step, const KernelActivation& a, const graph::Value& out,
                              Compiler& c) {
  if (!a.algorithm || a.relu) return;
  emit_in_place(a.algorithm->forward, out, step.activation->op(), c);
  if (a.algorithm->then) {
    emit_in_place(*a.algorithm->then, out, step.activation->op() + " second stage", c);
  }
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
  const auto activation = kernel_activation(step);
  if (!activation) return false;
  const bool relu = activation->relu;
  const std::int64_t k = a.shape().dim(1);
  const std::int64_t n = b.shape().dim(1);
  dnnl::memory x = c.memory(a), w = c.memory(b), y = c.memory(out);
  dnnl::memory bias = step.bias_add != nullptr ? c.memory(step.bias) : dnnl::memory();
  c.emit_kernel(
      [=] {
        gemv({floats_of(x), floats_of(w), floats_of(bias), floats_of(y), k, n, relu});
      },
      fmt::format("gemv{}{} '{}' (1, {}) x ({}, {}) -> (1, {})",
                  step.bias_add != nullptr ? "+bias" : "", relu ? "+relu" : "", node.name(), k, k,
                  n, n));
  emit_activation_in_place(step, *activation, out, c);
  return true;
}

// A product of at most 16 columns on the narrow_matmul kernel (+ bias, then
// an activation in place), or accumulated into the variable that step.node
// updates. False when the step has another shape.
bool lower_narrow_matmul(const Step& step, const graph::Node& node, Compiler& c) {
  if (!is_narrow_matmul(node)) return false;
  const auto activation = kernel_activation(step);
  if (!activation) return false;
  const bool relu = activation->relu;
  const graph::Value a = node.input(0);
  const bool transpose_a = node.attrs().get_bool("transpose_a");
  const std::int64_t m = node.output_type(0).shape.dim(0);
  const std::int64_t n = node.output_type(0).shape.dim(1);
  const std::int64_t k = transpose_a ? a.shape().dim(0) : a.shape().dim(1);
  const graph::Value out = output_of(*step.node);
  const dnnl::memory x = c.memory(a), w = c.memory(node.input(1)), y = c.memory(out);
  const dnnl::memory bias = step.bias_add != nullptr ? c.memory(step.bias) : dnnl::memory();
  const bool accumulates = step.accumulate_scale.valid();
  const dnnl::memory scale = accumulates ? c.memory(step.accumulate_scale) : dnnl::memory();
  const float sign = accumulates && step.node->op() == "subtract" ? -1.0f : 1.0f;
  const int threads = omp_get_max_threads();
  c.emit_kernel(
      [=] {
        narrow_matmul({floats_of(x), transpose_a ? 1 : k, transpose_a ? m : 1, floats_of(w),
                       floats_of(y), m, k, n, floats_of(bias), relu, floats_of(scale), sign,
                       threads});
      },
      fmt::format(
          "narrow_matmul{}{} '{}' ({}, {}) x ({}, {}){} -> ({}, {}){}",
          accumulates ? (sign < 0 ? "+subtract" : "+add")
                      : (step.bias_add != nullptr ? "+bias" : ""),
          relu ? "+relu" : "", node.name(), m, k, k, n, transpose_a ? " (a transposed)" : "", m, n,
          accumulates ? fmt::format(" times '{}'", step.accumulate_scale.node()->name()) : ""));
  emit_activation_in_place(step, *activation, out, c);
  return true;
}

}  // namespace

bool is_narrow_matmul(const graph::Node& matmul) {
  const Shape& out = matmul.output_type(0).shape;
  return matmul.op() == "matmul" && matmul.input(0).dtype() == DType::float32 &&
         matmul.input(1).dtype() == DType::float32 && matmul.input(0).shape().rank() == 2 &&
         matmul.input(1).shape().rank() == 2 && !matmul.attrs().get_bool("transpose_b") &&
         out.dim(1) >= 1 && out.dim(1) <= kNarrowColumns && out.num_elements() > 0;
}

// oneDNN 2.6 picks its brgemm matmul for every f32 product, but on a
// transposed A (the weight gradient x^T dy of a Dense layer) brgemm runs
// 10-15% slower than oneDNN's jitted sgemm, measured side by side on AVX-512
// (bench/ and the plan tests' shapes), and 40% faster on a transposed B. A
// narrow product (a 10-unit layer's) runs twice as long on sgemm inside a
// training step, whatever it does alone.
bool prefers_sgemm(const graph::Node& matmul) {
  constexpr std::int64_t kMinDim = 64;
  const Shape& out = matmul.output_type(0).shape;
  return matmul.attrs().get_bool("transpose_a") && !matmul.attrs().get_bool("transpose_b") &&
         out.dim(-1) >= kMinDim && out.dim(-2) >= kMinDim;
}

namespace {

// The sgemm is the implementation that takes a run-time output scale, which
// brgemm declines: asking for one (of 1) selects it.
dnnl::matmul::primitive_desc matmul_primitive_desc(const dnnl::matmul::desc& desc,
                                                   dnnl::primitive_attr attr,
                                                   const graph::Node& node, Compiler& c,
                                                   std::unordered_map<int, dnnl::memory>& args) {
  if (prefers_sgemm(node)) {
    dnnl::primitive_attr sgemm = attr;
    sgemm.set_output_scales(0, {DNNL_RUNTIME_F32_VAL});
    dnnl::matmul::primitive_desc pd(desc, sgemm, c.engine(), true);
    if (pd && std::string_view(pd.impl_info_str()).starts_with("gemm")) {
      args[DNNL_ARG_ATTR_OUTPUT_SCALES] = c.constant(
          Tensor::scalar(1.0f),
          dnnl::memory::desc({1}, dnnl::memory::data_type::f32, dnnl::memory::format_tag::x));
      return pd;
    }
  }
  return dnnl::matmul::primitive_desc(desc, attr, c.engine());
}

std::string operands_text(const graph::Node& node, const dnnl::memory::desc& a,
                          const dnnl::memory::desc& b, const dnnl::memory::desc& out) {
  return fmt::format(
      "'{}' {} x {}{}{} -> {}", node.name(), dims_text(a.dims()), dims_text(b.dims()),
      node.attrs().get_bool("transpose_a") ? " (a transposed)" : "",
      node.attrs().get_bool("transpose_b") ? " (b transposed)" : "", dims_text(out.dims()));
}

// The product times a scalar of the plan, added to (or subtracted from) the
// variable that step.node updates, in the variable's storage, where the
// buffer planner put the update: dst = scale * (a b) + dst. A subtraction
// negates the scale first, in a one-value kernel.
bool lower_accumulating_matmul(const Step& step, const graph::Node& node,
                               const dnnl::memory::desc& a_desc, const dnnl::memory::desc& b_desc,
                               const dnnl::memory::desc& out_desc, Compiler& c) {
  const dnnl::memory::desc scalar_desc({1}, dnnl::memory::data_type::f32,
                                       dnnl::memory::format_tag::x);
  dnnl::primitive_attr attr;
  attr.set_output_scales(0, {DNNL_RUNTIME_F32_VAL});
  dnnl::post_ops post_ops;
  post_ops.append_sum(1.0f);
  attr.set_post_ops(post_ops);
  dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(a_desc, b_desc, out_desc), attr, c.engine());
  const graph::Node& scale_node = *step.accumulate_scale.node();
  const bool subtracts = step.node->op() == "subtract";
  dnnl::memory scale;
  if (subtracts && scale_node.op() == "constant") {
    const double value = scale_node.attrs().get_tensor("value").item();
    scale = c.constant(Tensor::scalar(-value), scalar_desc);
  } else if (subtracts) {
    const dnnl::memory given = c.memory(step.accumulate_scale, scalar_desc);
    scale = c.scratch(scalar_desc);
    c.emit_kernel(
        [given, scale] { *floats_of(scale) = -*floats_of(given); },
        fmt::format("negate '{}' (the scale of '{}')", scale_node.name(), step.node->name()));
  } else {
    scale = c.memory(step.accumulate_scale, scalar_desc);
  }
  c.emit(dnnl::matmul(pd),
         {{DNNL_ARG_SRC, c.memory(node.input(0), a_desc)},
          {DNNL_ARG_WEIGHTS, c.memory(node.input(1), b_desc)},
          {DNNL_ARG_DST, c.memory(output_of(*step.node), out_desc)},
          {DNNL_ARG_ATTR_OUTPUT_SCALES, scale}},
         fmt::format("matmul+{} {} times '{}'", subtracts ? "subtract" : "add",
                     operands_text(node, a_desc, b_desc, out_desc), scale_node.name()));
  return true;
}

bool lower_matmul(const Step& step, Compiler& c) {
  const graph::Node& node = step.matmul != nullptr ? *step.matmul : *step.node;
  const graph::Value a = node.input(0);
  const graph::Value b = node.input(1);
  if (a.dtype() != DType::float32 || b.dtype() != DType::float32) return false;
  if (!step.accumulate_scale.valid() && lower_row_times_matrix(step, node, c)) return true;
  if (lower_narrow_matmul(step, node, c)) return true;
  const graph::Value out = output_of(*step.node);
  const std::int64_t rank = out.shape().rank();
  const dnnl::memory::desc a_desc =
      operand_desc(a.shape(), rank, node.attrs().get_bool("transpose_a"));
  const dnnl::memory::desc b_desc =
      operand_desc(b.shape(), rank, node.attrs().get_bool("transpose_b"));
  const dnnl::memory::desc out_desc = plain_desc(out.shape());
  if (step.accumulate_scale.valid()) {
    return lower_accumulating_matmul(step, node, a_desc, b_desc, out_desc, c);
  }
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
  dnnl::matmul::primitive_desc pd = matmul_primitive_desc(desc, attr, node, c, args);
  c.emit(dnnl::matmul(pd), std::move(args),
         fmt::format("matmul{} {}", fused, operands_text(node, a_desc, b_desc, out_desc)));
  return true;
}

}  // namespace

void register_matmul_lowerings(LoweringRegistry& registry) {
  registry.add("matmul", lower_matmul);
}

}  // namespace keras::backend::onednn
