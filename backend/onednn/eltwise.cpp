// Activations and elementwise math as oneDNN eltwise primitives, forward and
// backward (activation_grad). Gradients read the forward output where oneDNN
// has a *_use_dst_for_bwd algorithm: then a fused matmul+bias+activation need
// not keep its pre-activation.
#include "compiler.hpp"
#include "keras/graph/op_def.hpp"
#include "lowering_registry.hpp"

namespace keras::backend::onednn {

using dnnl::algorithm;

namespace {

// Keras' selu constants.
constexpr float kSeluAlpha = 1.6732632423543772f;
constexpr float kSeluScale = 1.0507009873554805f;

using Backward = EltwiseAlgorithm::Backward;

EltwiseAlgorithm one_stage(algorithm forward, float alpha, float beta,
                           std::optional<Backward> backward) {
  return EltwiseAlgorithm{{forward, alpha, beta}, std::nullopt, backward, false};
}

// The gradient computed from the input x, with the forward's parameters.
EltwiseAlgorithm from_src(algorithm forward, float alpha = 0, float beta = 0) {
  return one_stage(forward, alpha, beta, Backward{{forward, alpha, beta}, false});
}

// The gradient computed from the output y.
EltwiseAlgorithm from_dst(algorithm forward, algorithm backward, float alpha = 0) {
  return one_stage(forward, alpha, 0, Backward{{backward, alpha, 0}, true});
}

}  // namespace

std::optional<EltwiseAlgorithm> eltwise_algorithm(std::string_view op, const graph::Attrs& attrs) {
  if (op == "relu")
    return from_dst(algorithm::eltwise_relu, algorithm::eltwise_relu_use_dst_for_bwd);
  if (op == "leaky_relu") {
    const auto slope = static_cast<float>(attrs.get_float("negative_slope"));
    // Reading the output needs the slope to keep signs.
    if (slope > 0) {
      return from_dst(algorithm::eltwise_relu, algorithm::eltwise_relu_use_dst_for_bwd, slope);
    }
    return from_src(algorithm::eltwise_relu, slope);
  }
  if (op == "elu") {
    const auto alpha = static_cast<float>(attrs.get_float("alpha"));
    if (alpha >= 0) {
      return from_dst(algorithm::eltwise_elu, algorithm::eltwise_elu_use_dst_for_bwd, alpha);
    }
    return from_src(algorithm::eltwise_elu, alpha);
  }
  if (op == "tanh")
    return from_dst(algorithm::eltwise_tanh, algorithm::eltwise_tanh_use_dst_for_bwd);
  if (op == "sigmoid") {
    return from_dst(algorithm::eltwise_logistic, algorithm::eltwise_logistic_use_dst_for_bwd);
  }
  if (op == "exp") return from_dst(algorithm::eltwise_exp, algorithm::eltwise_exp_use_dst_for_bwd);
  if (op == "sqrt")
    return from_dst(algorithm::eltwise_sqrt, algorithm::eltwise_sqrt_use_dst_for_bwd);
  if (op == "square") return from_src(algorithm::eltwise_square);
  if (op == "abs") return from_src(algorithm::eltwise_abs);
  if (op == "negative") return from_src(algorithm::eltwise_linear, -1);
  if (op == "swish") return from_src(algorithm::eltwise_swish, 1);
  if (op == "softplus") return from_src(algorithm::eltwise_soft_relu);
  if (op == "rsqrt") return from_src(algorithm::eltwise_pow, 1, -0.5f);
  if (op == "gelu") {
    return from_src(attrs.get_bool("approximate") ? algorithm::eltwise_gelu_tanh
                                                  : algorithm::eltwise_gelu_erf);
  }
  if (op == "clip") {
    return from_src(algorithm::eltwise_clip_v2, static_cast<float>(attrs.get_float("min_value")),
                    static_cast<float>(attrs.get_float("max_value")));
  }
  if (op == "log") {
    EltwiseAlgorithm log = from_src(algorithm::eltwise_log);
    log.scalar_only = true;
    return log;
  }
  // selu = scale * elu(x, alpha); its gradient is scale * elu'(x).
  if (op == "selu") {
    EltwiseAlgorithm selu = from_src(algorithm::eltwise_elu, kSeluAlpha);
    selu.then = EltwiseStage{algorithm::eltwise_linear, kSeluScale, 0};
    selu.backward->scale = kSeluScale;
    return selu;
  }
  // hard_sigmoid = clip(slope * x + offset, 0, 1); its gradient is slope
  // where the output is strictly inside (0, 1), which clip_v2 reads from dst.
  if (op == "hard_sigmoid") {
    const auto slope = static_cast<float>(attrs.get_float("slope"));
    const auto offset = static_cast<float>(attrs.get_float("offset"));
    EltwiseAlgorithm hard_sigmoid =
        one_stage(algorithm::eltwise_linear, slope, offset,
                  Backward{{algorithm::eltwise_clip_v2_use_dst_for_bwd, 0, 1}, true, slope});
    hard_sigmoid.then = EltwiseStage{algorithm::eltwise_clip_v2, 0, 1};
    return hard_sigmoid;
  }
  return std::nullopt;
}

namespace {

bool all_f32(const graph::Node& node) {
  for (const graph::Value& v : node.inputs()) {
    if (v.dtype() != DType::float32) return false;
  }
  return node.output_type(0).dtype == DType::float32 &&
         node.output_type(0).shape.num_elements() > 0;
}

dnnl::eltwise_forward::primitive_desc forward_pd(const EltwiseStage& stage,
                                                 const dnnl::memory::desc& md,
                                                 const dnnl::engine& engine) {
  return {{dnnl::prop_kind::forward_training, stage.algorithm, md, stage.alpha, stage.beta},
          engine};
}

}  // namespace

// y = stage(y), in place: a second stage, or a gradient's scale. oneDNN 2.6
// runs eltwise post-ops on its slow scalar code; two jitted passes are faster.
void emit_in_place(const EltwiseStage& stage, const graph::Value& y, const std::string& what,
                   Compiler& c) {
  const dnnl::memory::desc md = plain_desc(y.shape());
  c.emit(
      dnnl::eltwise_forward(forward_pd(stage, md, c.engine())),
      {{DNNL_ARG_SRC, c.memory(y)}, {DNNL_ARG_DST, c.memory(y)}},
      fmt::format("eltwise {} (in place) '{}' {}", what, y.node()->name(), y.shape().to_string()));
}

namespace {

bool lower_eltwise(const Step& step, Compiler& c) {
  const graph::Node& node = *step.node;
  auto algorithm = eltwise_algorithm(node.op(), node.attrs());
  if (!algorithm || !all_f32(node)) return false;
  const graph::Value x = node.input(0);
  const graph::Value y = output_of(node);
  const EltwiseStage& stage = algorithm->forward;
  const dnnl::eltwise_forward::desc desc(dnnl::prop_kind::forward_training, stage.algorithm,
                                         plain_desc(x.shape()), stage.alpha, stage.beta);
  const auto pd =
      algorithm->scalar_only
          ? scalar_implementation<dnnl::eltwise_forward::primitive_desc>(desc, c.engine())
          : dnnl::eltwise_forward::primitive_desc(desc, c.engine());
  c.emit(dnnl::eltwise_forward(pd), {{DNNL_ARG_SRC, c.memory(x)}, {DNNL_ARG_DST, c.memory(y)}},
         fmt::format("eltwise {} '{}' {}", node.op(), node.name(), x.shape().to_string()));
  if (algorithm->then) emit_in_place(*algorithm->then, y, node.op() + " second stage", c);
  return true;
}

// A ReLU's gradient and the bias gradient summed from it, in one pass of
// keras-cpp's own kernel.
bool lower_relu_grad_column_sum(const Step& step, Compiler& c) {
  const graph::Node& node = *step.node;
  const auto slope = relu_grad_slope(node);
  KERAS_INTERNAL_CHECK(slope && is_column_sum(*step.column_sum), "'{}' cannot fuse '{}'",
                       node.name(), step.column_sum->name());
  emit_column_sum(*step.column_sum, ReluGrad{node, *slope}, c);
  return true;
}

// activation_grad(x, y, dy) with the activation's own attributes.
bool lower_activation_grad(const Step& step, Compiler& c) {
  if (step.column_sum != nullptr) return lower_relu_grad_column_sum(step, c);
  const graph::Node& node = *step.node;
  const std::string& activation = node.attrs().get_string("activation");
  const graph::OpDef& forward_def = graph::op_def(activation);
  graph::Attrs forward_attrs;
  for (const graph::AttrSpec& spec : forward_def.attrs) {
    forward_attrs.set(spec.name, node.attrs().get(spec.name));
  }
  auto algorithm = eltwise_algorithm(activation, forward_attrs);
  if (!algorithm || !algorithm->backward || !all_f32(node)) return false;
  const Backward& backward = *algorithm->backward;
  const graph::Value data = backward.from_dst ? node.input(1) : node.input(0);
  const graph::Value dy = node.input(2);
  const graph::Value dx = output_of(node);
  const dnnl::memory::desc md = plain_desc(dy.shape());
  const EltwiseStage& stage = backward.stage;
  dnnl::eltwise_backward::desc desc(stage.algorithm, md, md, stage.alpha, stage.beta);
  dnnl::eltwise_backward::primitive_desc pd(desc, c.engine(), forward_pd(stage, md, c.engine()));
  c.emit(dnnl::eltwise_backward(pd),
         {{backward.from_dst ? DNNL_ARG_DST : DNNL_ARG_SRC, c.memory(data)},
          {DNNL_ARG_DIFF_DST, c.memory(dy)},
          {DNNL_ARG_DIFF_SRC, c.memory(dx)}},
         fmt::format("eltwise_backward {}{} '{}' {}", activation,
                     backward.from_dst ? " (from dst)" : "", node.name(), dy.shape().to_string()));
  if (backward.scale != 1.0f) {
    emit_in_place({algorithm::eltwise_linear, backward.scale, 0}, dx,
                  fmt::format("{} gradient scale {:g}", activation, backward.scale), c);
  }
  return true;
}

}  // namespace

std::optional<float> relu_grad_slope(const graph::Node& activation_grad) {
  if (activation_grad.op() != "activation_grad" || !all_f32(activation_grad)) return std::nullopt;
  const std::string& activation = activation_grad.attrs().get_string("activation");
  if (activation == "relu") return 0.0f;
  if (activation == "leaky_relu") {
    const auto slope = static_cast<float>(activation_grad.attrs().get_float("negative_slope"));
    if (slope > 0) return slope;
  }
  return std::nullopt;
}

void register_eltwise_lowerings(LoweringRegistry& registry) {
  for (const char* op :
       {"relu", "leaky_relu", "elu", "tanh", "sigmoid", "exp", "sqrt", "square", "abs", "negative",
        "swish", "softplus", "rsqrt", "gelu", "clip", "selu", "hard_sigmoid", "log"}) {
    registry.add(op, lower_eltwise);
  }
  registry.add("activation_grad", lower_activation_grad);
}

}  // namespace keras::backend::onednn
