// softmax and log_softmax, forward and backward, as oneDNN's softmax and
// logsoftmax primitives. log_softmax forward takes oneDNN's scalar
// implementation: the jitted one computes the logarithm to ~4e-6 absolute
// only (log(1) = 1.4e-6), which misses rtol 1e-5 for results near 0. Its
// backward needs no logarithm (dy - exp(y) * sum(dy)) and stays jitted.
#include "compiler.hpp"
#include "lowering_registry.hpp"

namespace keras::backend::onednn {

namespace {

template <class Forward>
typename Forward::primitive_desc forward_pd(const dnnl::memory::desc& md, int axis,
                                            const dnnl::engine& engine, bool scalar = false) {
  const typename Forward::desc desc(dnnl::prop_kind::forward_training, md, axis);
  if (scalar) return scalar_implementation<typename Forward::primitive_desc>(desc, engine);
  return typename Forward::primitive_desc(desc, engine);
}

int axis_of(const graph::Node& node, const Shape& shape) {
  return static_cast<int>(normalize_axis(node.attrs().get_int("axis"), shape.rank(), node.op()));
}

template <class Forward, bool kScalar = false>
bool lower_forward(const Step& step, Compiler& c) {
  const graph::Node& node = *step.node;
  const graph::Value x = node.input(0);
  const graph::Value y = output_of(node);
  if (x.dtype() != DType::float32 || x.shape().rank() == 0) return false;
  if (x.shape().num_elements() == 0) return false;
  const dnnl::memory::desc md = plain_desc(x.shape());
  auto pd = forward_pd<Forward>(md, axis_of(node, x.shape()), c.engine(), kScalar);
  c.emit(Forward(pd), {{DNNL_ARG_SRC, c.memory(x)}, {DNNL_ARG_DST, c.memory(y)}},
         fmt::format("{} '{}' {} axis {}", node.op(), node.name(), x.shape().to_string(),
                     axis_of(node, x.shape())));
  return true;
}

// softmax_grad(y, dy): the backward primitive reads the forward output.
template <class Forward, class Backward>
bool lower_backward(const Step& step, Compiler& c) {
  const graph::Node& node = *step.node;
  const graph::Value y = node.input(0);
  const graph::Value dy = node.input(1);
  const graph::Value dx = output_of(node);
  if (y.dtype() != DType::float32 || y.shape().rank() == 0) return false;
  if (y.shape().num_elements() == 0) return false;
  const dnnl::memory::desc md = plain_desc(y.shape());
  const int axis = axis_of(node, y.shape());
  auto hint = forward_pd<Forward>(md, axis, c.engine());
  typename Backward::desc desc(md, md, axis);
  typename Backward::primitive_desc pd(desc, c.engine(), hint);
  c.emit(Backward(pd),
         {{DNNL_ARG_DST, c.memory(y)},
          {DNNL_ARG_DIFF_DST, c.memory(dy)},
          {DNNL_ARG_DIFF_SRC, c.memory(dx)}},
         fmt::format("{} '{}' {} axis {}", node.op(), node.name(), y.shape().to_string(), axis));
  return true;
}

}  // namespace

void register_softmax_lowerings(LoweringRegistry& registry) {
  registry.add("softmax", lower_forward<dnnl::softmax_forward>);
  registry.add("softmax_grad", lower_backward<dnnl::softmax_forward, dnnl::softmax_backward>);
  registry.add("log_softmax", lower_forward<dnnl::logsoftmax_forward, true>);
  registry.add("log_softmax_grad",
               lower_backward<dnnl::logsoftmax_forward, dnnl::logsoftmax_backward>);
}

}  // namespace keras::backend::onednn
