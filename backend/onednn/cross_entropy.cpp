// softmax_cross_entropy(labels, logits) = -sum(labels * log_softmax(logits))
// over the class axis, in three primitives over one scratch buffer:
// logsoftmax, a binary multiply by the labels scaled by -1 (in place), and a
// sum reduction into the output (seen with the class axis kept as 1).
//
// The logsoftmax is oneDNN's scalar implementation: the jitted one computes
// the logarithm to ~4e-6 absolute only, which a loss near 0 (a confident,
// right prediction) cannot afford. The gradient needs no logarithm
// (softmax - labels) and its ops are all jitted.
#include "compiler.hpp"
#include "lowering_registry.hpp"

namespace keras::backend::onednn {

namespace {

bool lower_softmax_cross_entropy(const Step& step, Compiler& c) {
  const graph::Node& node = *step.node;
  const graph::Value labels = node.input(0);
  const graph::Value logits = node.input(1);
  const graph::Value loss = output_of(node);
  const Shape& shape = logits.shape();
  if (labels.dtype() != DType::float32 || logits.dtype() != DType::float32 ||
      labels.shape() != shape || shape.rank() == 0 || shape.num_elements() == 0) {
    return false;
  }
  const int axis =
      static_cast<int>(normalize_axis(node.attrs().get_int("axis"), shape.rank(), node.op()));
  // A single class reduces nothing, which oneDNN's reduction refuses.
  if (shape[static_cast<std::size_t>(axis)] == 1) return false;
  const dnnl::memory::desc md = plain_desc(shape);
  dnnl::memory::dims kept = dims_of(shape);
  kept[static_cast<std::size_t>(axis)] = 1;
  const dnnl::memory::desc loss_desc = plain_desc(Shape(kept));
  // Every descriptor first: a failure must come before anything is emitted.
  const dnnl::logsoftmax_forward::desc log_softmax_desc(dnnl::prop_kind::forward_inference, md,
                                                        axis);
  const auto log_softmax =
      scalar_implementation<dnnl::logsoftmax_forward::primitive_desc>(log_softmax_desc, c.engine());
  dnnl::primitive_attr negate;
  negate.set_scales(DNNL_ARG_SRC_0, 0, {-1.0f});
  const dnnl::binary::primitive_desc product({dnnl::algorithm::binary_mul, md, md, md}, negate,
                                             c.engine());
  const dnnl::reduction::primitive_desc sum(
      {dnnl::algorithm::reduction_sum, md, loss_desc, 0.0f, 0.0f}, c.engine());

  const dnnl::memory log_probs = c.scratch(md);
  c.emit(dnnl::logsoftmax_forward(log_softmax),
         {{DNNL_ARG_SRC, c.memory(logits)}, {DNNL_ARG_DST, log_probs}},
         fmt::format("logsoftmax (softmax_cross_entropy '{}') {} axis {}", node.name(),
                     shape.to_string(), axis));
  c.emit(
      dnnl::binary(product),
      {{DNNL_ARG_SRC_0, log_probs}, {DNNL_ARG_SRC_1, c.memory(labels)}, {DNNL_ARG_DST, log_probs}},
      fmt::format("binary multiply by -labels (softmax_cross_entropy '{}') {}", node.name(),
                  shape.to_string()));
  c.emit(dnnl::reduction(sum),
         {{DNNL_ARG_SRC, log_probs}, {DNNL_ARG_DST, c.memory(loss, loss_desc)}},
         fmt::format("reduction sum (softmax_cross_entropy '{}') {} -> {}", node.name(),
                     shape.to_string(), loss.shape().to_string()));
  return true;
}

}  // namespace

void register_cross_entropy_lowerings(LoweringRegistry& registry) {
  registry.add("softmax_cross_entropy", lower_softmax_cross_entropy);
}

}  // namespace keras::backend::onednn
