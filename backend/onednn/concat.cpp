// concatenate as dnnl::concat over row-major inputs (float32, int32, bool).
#include "compiler.hpp"
#include "lowering_registry.hpp"

namespace keras::backend::onednn {

namespace {

bool lower_concatenate(const Step& step, Compiler& c) {
  const graph::Node& node = *step.node;
  const graph::Value y = output_of(node);
  auto type = data_type_of(y.dtype());
  if (!type || y.shape().rank() == 0) return false;
  const int axis =
      static_cast<int>(normalize_axis(node.attrs().get_int("axis"), y.shape().rank(), "concat"));
  std::vector<dnnl::memory::desc> sources;
  for (int i = 0; i < node.num_inputs(); ++i) {
    // oneDNN rejects empty sources; the reference kernel handles them.
    if (node.input(i).shape().num_elements() == 0) return false;
    sources.push_back(plain_desc(node.input(i).shape(), *type));
  }
  std::unordered_map<int, dnnl::memory> args;
  for (int i = 0; i < node.num_inputs(); ++i) {
    args[DNNL_ARG_MULTIPLE_SRC + i] = c.memory(node.input(i), sources[static_cast<std::size_t>(i)]);
  }
  const dnnl::memory::desc dst = plain_desc(y.shape(), *type);
  dnnl::concat::primitive_desc pd(dst, axis, sources, c.engine());
  args[DNNL_ARG_DST] = c.memory(y, dst);
  c.emit(dnnl::concat(pd), std::move(args),
         fmt::format("concat '{}' {} inputs axis {} -> {}", node.name(), node.num_inputs(), axis,
                     y.shape().to_string()));
  return true;
}

}  // namespace

void register_concat_lowerings(LoweringRegistry& registry) {
  registry.add("concatenate", lower_concatenate);
}

}  // namespace keras::backend::onednn
