// Views: reshape, squeeze, expand_dims, identity and stop_gradient leave the
// bytes as they are. The memory planner aliases the output to the input's
// buffer where it can (no step at all); otherwise (the input is a feed or a
// variable) a reorder copies the bytes, whatever the dtype.
#include "compiler.hpp"
#include "lowering_registry.hpp"

namespace keras::backend::onednn {

namespace {

bool lower_view(const Step& step, Compiler& c) {
  const graph::Node& node = *step.node;
  const graph::Value x = node.input(0);
  const graph::Value y = output_of(node);
  const std::string text = fmt::format("{} '{}' {} -> {}", node.op(), node.name(),
                                       x.shape().to_string(), y.shape().to_string());
  if (step.view) {
    c.note("view " + text + " (aliases its input, no copy)");
    return true;
  }
  const auto bytes = static_cast<std::int64_t>(y.shape().num_elements()) *
                     static_cast<std::int64_t>(dtype_size(y.dtype()));
  if (bytes == 0 || x.type().shape.num_elements() != y.shape().num_elements() ||
      x.dtype() != y.dtype()) {
    return false;
  }
  const dnnl::memory::desc md({bytes}, dnnl::memory::data_type::u8, dnnl::memory::dims{1});
  dnnl::reorder::primitive_desc pd(c.engine(), md, c.engine(), md);
  c.emit(dnnl::reorder(pd), {{DNNL_ARG_FROM, c.memory(x, md)}, {DNNL_ARG_TO, c.memory(y, md)}},
         "reorder copy " + text);
  return true;
}

}  // namespace

void register_view_lowerings(LoweringRegistry& registry) {
  for (const char* op : {"reshape", "squeeze", "expand_dims", "identity", "stop_gradient"}) {
    registry.add(op, lower_view);
  }
}

}  // namespace keras::backend::onednn
