// Batch normalization as oneDNN's batch_normalization primitives: training
// (batch statistics as outputs), inference (given statistics) and backward.
// oneDNN normalizes over axis 1 of its logical (N, C, ...) order, so a
// channels-last tensor is described with the matching nwc/nhwc/ndhwc tag.
#include "compiler.hpp"
#include "lowering_registry.hpp"

namespace keras::backend::onednn {

namespace {

using dnnl::normalization_flags;

// The descriptor of x with its channel axis where oneDNN wants it, or nullopt.
std::optional<dnnl::memory::desc> channel_desc(const graph::Value& x, std::int64_t axis) {
  const Shape& shape = x.shape();
  const std::int64_t rank = shape.rank();
  if (x.dtype() != DType::float32 || rank < 2 || rank > 5) return std::nullopt;
  axis = normalize_axis(axis, rank, "batch_norm");
  if (axis == 1) return plain_desc(shape);
  if (axis != rank - 1) return std::nullopt;
  dnnl::memory::dims dims{shape[0], shape[static_cast<std::size_t>(rank - 1)]};
  for (std::int64_t i = 1; i < rank - 1; ++i) dims.push_back(shape[static_cast<std::size_t>(i)]);
  using tag = dnnl::memory::format_tag;
  const tag tags[] = {tag::undef, tag::undef, tag::nc, tag::nwc, tag::nhwc, tag::ndhwc};
  return dnnl::memory::desc(dims, dnnl::memory::data_type::f32, tags[rank]);
}

const auto kScaleShift = normalization_flags::use_scale | normalization_flags::use_shift;

dnnl::batch_normalization_forward::primitive_desc training_pd(const dnnl::memory::desc& md,
                                                              float epsilon,
                                                              const dnnl::engine& engine) {
  dnnl::batch_normalization_forward::desc desc(dnnl::prop_kind::forward_training, md, epsilon,
                                               kScaleShift);
  return {desc, engine};
}

bool lower_training(const Step& step, Compiler& c) {
  const graph::Node& node = *step.node;
  auto md = channel_desc(node.input(0), node.attrs().get_int("axis"));
  if (!md) return false;
  const auto epsilon = static_cast<float>(node.attrs().get_float("epsilon"));
  auto pd = training_pd(*md, epsilon, c.engine());
  c.emit(dnnl::batch_normalization_forward(pd),
         {{DNNL_ARG_SRC, c.memory(node.input(0), *md)},
          {DNNL_ARG_SCALE, c.memory(node.input(1))},
          {DNNL_ARG_SHIFT, c.memory(node.input(2))},
          {DNNL_ARG_DST, c.memory(output_of(node, 0), *md)},
          {DNNL_ARG_MEAN, c.memory(output_of(node, 1))},
          {DNNL_ARG_VARIANCE, c.memory(output_of(node, 2))}},
         fmt::format("batch_normalization training '{}' {}", node.name(),
                     node.input(0).shape().to_string()));
  return true;
}

bool lower_inference(const Step& step, Compiler& c) {
  const graph::Node& node = *step.node;
  auto md = channel_desc(node.input(0), node.attrs().get_int("axis"));
  if (!md) return false;
  const auto epsilon = static_cast<float>(node.attrs().get_float("epsilon"));
  dnnl::batch_normalization_forward::desc desc(dnnl::prop_kind::forward_inference, *md, epsilon,
                                               kScaleShift | normalization_flags::use_global_stats);
  dnnl::batch_normalization_forward::primitive_desc pd(desc, c.engine());
  c.emit(dnnl::batch_normalization_forward(pd),
         {{DNNL_ARG_SRC, c.memory(node.input(0), *md)},
          {DNNL_ARG_MEAN, c.memory(node.input(1))},
          {DNNL_ARG_VARIANCE, c.memory(node.input(2))},
          {DNNL_ARG_SCALE, c.memory(node.input(3))},
          {DNNL_ARG_SHIFT, c.memory(node.input(4))},
          {DNNL_ARG_DST, c.memory(output_of(node, 0), *md)}},
         fmt::format("batch_normalization inference '{}' {}", node.name(),
                     node.input(0).shape().to_string()));
  return true;
}

// batch_norm_grad(x, gamma, mean, variance, dy) -> dx, dgamma, dbeta.
bool lower_grad(const Step& step, Compiler& c) {
  const graph::Node& node = *step.node;
  auto md = channel_desc(node.input(0), node.attrs().get_int("axis"));
  if (!md) return false;
  const auto epsilon = static_cast<float>(node.attrs().get_float("epsilon"));
  auto hint = training_pd(*md, epsilon, c.engine());
  dnnl::batch_normalization_backward::desc desc(dnnl::prop_kind::backward, *md, *md, epsilon,
                                                kScaleShift);
  dnnl::batch_normalization_backward::primitive_desc pd(desc, c.engine(), hint);
  c.emit(dnnl::batch_normalization_backward(pd),
         {{DNNL_ARG_SRC, c.memory(node.input(0), *md)},
          {DNNL_ARG_SCALE, c.memory(node.input(1))},
          // oneDNN 2.6 insists on a shift argument here although the
          // gradient does not read it; gamma's buffer stands in.
          {DNNL_ARG_SHIFT, c.memory(node.input(1))},
          {DNNL_ARG_MEAN, c.memory(node.input(2))},
          {DNNL_ARG_VARIANCE, c.memory(node.input(3))},
          {DNNL_ARG_DIFF_DST, c.memory(node.input(4), *md)},
          {DNNL_ARG_DIFF_SRC, c.memory(output_of(node, 0), *md)},
          {DNNL_ARG_DIFF_SCALE, c.memory(output_of(node, 1))},
          {DNNL_ARG_DIFF_SHIFT, c.memory(output_of(node, 2))}},
         fmt::format("batch_normalization backward '{}' {}", node.name(),
                     node.input(0).shape().to_string()));
  return true;
}

}  // namespace

void register_batch_norm_lowerings(LoweringRegistry& registry) {
  registry.add("batch_norm_training", lower_training);
  registry.add("batch_norm_inference", lower_inference);
  registry.add("batch_norm_grad", lower_grad);
}

}  // namespace keras::backend::onednn
