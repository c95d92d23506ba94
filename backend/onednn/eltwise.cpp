// Activations and elementwise math as oneDNN eltwise primitives, forward and
// backward (activation_grad).
#include "compiler.hpp"
#include "keras/graph/op_def.hpp"
#include "lowering_registry.hpp"

namespace keras::backend::onednn {

using dnnl::algorithm;

std::optional<EltwiseAlgorithm> eltwise_algorithm(std::string_view op, const graph::Attrs& attrs) {
  auto with = [](algorithm forward, float alpha, float beta, bool from_dst, algorithm backward) {
    return EltwiseAlgorithm{forward, alpha, beta, from_dst, backward};
  };
  if (op == "relu") {
    return with(algorithm::eltwise_relu, 0, 0, true, algorithm::eltwise_relu_use_dst_for_bwd);
  }
  if (op == "leaky_relu") {
    const auto slope = static_cast<float>(attrs.get_float("negative_slope"));
    // Computing from the output needs the slope to keep signs.
    return with(algorithm::eltwise_relu, slope, 0, slope > 0,
                slope > 0 ? algorithm::eltwise_relu_use_dst_for_bwd : algorithm::eltwise_relu);
  }
  if (op == "elu") {
    const auto alpha = static_cast<float>(attrs.get_float("alpha"));
    return with(algorithm::eltwise_elu, alpha, 0, alpha >= 0,
                alpha >= 0 ? algorithm::eltwise_elu_use_dst_for_bwd : algorithm::eltwise_elu);
  }
  if (op == "tanh") {
    return with(algorithm::eltwise_tanh, 0, 0, true, algorithm::eltwise_tanh_use_dst_for_bwd);
  }
  if (op == "sigmoid") {
    return with(algorithm::eltwise_logistic, 0, 0, true,
                algorithm::eltwise_logistic_use_dst_for_bwd);
  }
  if (op == "exp") {
    return with(algorithm::eltwise_exp, 0, 0, true, algorithm::eltwise_exp_use_dst_for_bwd);
  }
  if (op == "sqrt") {
    return with(algorithm::eltwise_sqrt, 0, 0, true, algorithm::eltwise_sqrt_use_dst_for_bwd);
  }
  if (op == "square")
    return with(algorithm::eltwise_square, 0, 0, false, algorithm::eltwise_square);
  if (op == "abs") return with(algorithm::eltwise_abs, 0, 0, false, algorithm::eltwise_abs);
  if (op == "negative") {
    return with(algorithm::eltwise_linear, -1, 0, false, algorithm::eltwise_linear);
  }
  if (op == "swish") return with(algorithm::eltwise_swish, 1, 0, false, algorithm::eltwise_swish);
  if (op == "softplus") {
    return with(algorithm::eltwise_soft_relu, 0, 0, false, algorithm::eltwise_soft_relu);
  }
  if (op == "rsqrt") return with(algorithm::eltwise_pow, 1, -0.5f, false, algorithm::eltwise_pow);
  if (op == "gelu") {
    const algorithm a =
        attrs.get_bool("approximate") ? algorithm::eltwise_gelu_tanh : algorithm::eltwise_gelu_erf;
    return with(a, 0, 0, false, a);
  }
  if (op == "clip") {
    return with(algorithm::eltwise_clip_v2, static_cast<float>(attrs.get_float("min_value")),
                static_cast<float>(attrs.get_float("max_value")), false,
                algorithm::eltwise_clip_v2);
  }
  return std::nullopt;
}

namespace {

bool all_f32(const graph::Node& node) {
  for (const graph::Value& v : node.inputs()) {
    if (v.dtype() != DType::float32) return false;
  }
  return node.output_type(0).dtype == DType::float32;
}

bool lower_eltwise(const Step& step, Compiler& c) {
  const graph::Node& node = *step.node;
  auto algorithm = eltwise_algorithm(node.op(), node.attrs());
  if (!algorithm || !all_f32(node)) return false;
  const graph::Value x = node.input(0);
  const graph::Value y(const_cast<graph::Node*>(&node), 0);
  dnnl::eltwise_forward::desc desc(dnnl::prop_kind::forward_training, algorithm->algorithm,
                                   plain_desc(x.shape()), algorithm->alpha, algorithm->beta);
  dnnl::eltwise_forward::primitive_desc pd(desc, c.engine());
  c.emit(dnnl::eltwise_forward(pd), {{DNNL_ARG_SRC, c.memory(x)}, {DNNL_ARG_DST, c.memory(y)}},
         fmt::format("eltwise {} '{}' {}", node.op(), node.name(), x.shape().to_string()));
  return true;
}

// activation_grad(x, y, dy): from the output y when oneDNN can (then a fused
// pre-activation x need not exist), else from x.
bool lower_activation_grad(const Step& step, Compiler& c) {
  const graph::Node& node = *step.node;
  const std::string& activation = node.attrs().get_string("activation");
  const graph::OpDef& forward_def = graph::op_def(activation);
  graph::Attrs forward_attrs;
  for (const graph::AttrSpec& spec : forward_def.attrs) {
    forward_attrs.set(spec.name, node.attrs().get(spec.name));
  }
  auto algorithm = eltwise_algorithm(activation, forward_attrs);
  if (!algorithm || !all_f32(node)) return false;
  const graph::Value data = algorithm->backward_from_dst ? node.input(1) : node.input(0);
  const graph::Value dy = node.input(2);
  const graph::Value dx(const_cast<graph::Node*>(&node), 0);
  const dnnl::memory::desc md = plain_desc(dy.shape());
  const dnnl::algorithm backward =
      algorithm->backward_from_dst ? algorithm->backward_algorithm : algorithm->algorithm;
  dnnl::eltwise_forward::desc forward_desc(dnnl::prop_kind::forward_training, backward, md,
                                           algorithm->alpha, algorithm->beta);
  dnnl::eltwise_forward::primitive_desc hint(forward_desc, c.engine());
  dnnl::eltwise_backward::desc desc(backward, md, md, algorithm->alpha, algorithm->beta);
  dnnl::eltwise_backward::primitive_desc pd(desc, c.engine(), hint);
  const int data_arg = algorithm->backward_from_dst ? DNNL_ARG_DST : DNNL_ARG_SRC;
  c.emit(dnnl::eltwise_backward(pd),
         {{data_arg, c.memory(data)},
          {DNNL_ARG_DIFF_DST, c.memory(dy)},
          {DNNL_ARG_DIFF_SRC, c.memory(dx)}},
         fmt::format("eltwise_backward {}{} '{}' {}", activation,
                     algorithm->backward_from_dst ? " (from dst)" : "", node.name(),
                     dy.shape().to_string()));
  return true;
}

}  // namespace

void register_eltwise_lowerings(LoweringRegistry& registry) {
  for (const char* op : {"relu", "leaky_relu", "elu", "tanh", "sigmoid", "exp", "sqrt", "square",
                         "abs", "negative", "swish", "softplus", "rsqrt", "gelu", "clip"}) {
    registry.add(op, lower_eltwise);
  }
  registry.add("activation_grad", lower_activation_grad);
}

}  // namespace keras::backend::onednn
