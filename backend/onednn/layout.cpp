// Data movement: concatenate as dnnl::concat; transpose and broadcast_like as
// reorders from strided views of the input.
#include "compiler.hpp"
#include "lowering_registry.hpp"

namespace keras::backend::onednn {

namespace {

bool lower_concatenate(const Step& step, Compiler& c) {
  const graph::Node& node = *step.node;
  const graph::Value y(const_cast<graph::Node*>(&node), 0);
  if (y.dtype() != DType::float32 || y.shape().rank() == 0) return false;
  const int axis =
      static_cast<int>(normalize_axis(node.attrs().get_int("axis"), y.shape().rank(), "concat"));
  std::vector<dnnl::memory::desc> sources;
  std::unordered_map<int, dnnl::memory> args;
  for (int i = 0; i < node.num_inputs(); ++i) {
    // oneDNN rejects empty sources; the reference kernel handles them.
    if (node.input(i).shape().num_elements() == 0) return false;
    sources.push_back(plain_desc(node.input(i).shape()));
    args[DNNL_ARG_MULTIPLE_SRC + i] = c.memory(node.input(i));
  }
  const dnnl::memory::desc dst = plain_desc(y.shape());
  dnnl::concat::primitive_desc pd(dst, axis, sources, c.engine());
  args[DNNL_ARG_DST] = c.memory(y);
  c.emit(dnnl::concat(pd), std::move(args),
         fmt::format("concat '{}' {} inputs axis {} -> {}", node.name(), node.num_inputs(), axis,
                     y.shape().to_string()));
  return true;
}

bool lower_transpose(const Step& step, Compiler& c) {
  const graph::Node& node = *step.node;
  const graph::Value x = node.input(0);
  const graph::Value y(const_cast<graph::Node*>(&node), 0);
  const std::int64_t rank = x.shape().rank();
  if (x.dtype() != DType::float32 || rank < 2) return false;
  std::vector<std::int64_t> axes = node.attrs().get_ints("axes");
  if (axes.empty()) {
    for (std::int64_t a = rank - 1; a >= 0; --a) axes.push_back(a);
  }
  dnnl::memory::dims in_strides(static_cast<std::size_t>(rank), 1);
  for (std::int64_t i = rank - 2; i >= 0; --i) {
    in_strides[static_cast<std::size_t>(i)] =
        in_strides[static_cast<std::size_t>(i + 1)] * x.shape()[static_cast<std::size_t>(i + 1)];
  }
  // The output's axis i walks the input's axis axes[i].
  dnnl::memory::dims strides;
  for (std::int64_t a : axes) {
    strides.push_back(in_strides[static_cast<std::size_t>(normalize_axis(a, rank, "transpose"))]);
  }
  const dnnl::memory::desc view(dims_of(y.shape()), dnnl::memory::data_type::f32, strides);
  dnnl::memory src = c.memory(x, view);
  dnnl::memory dst = c.memory(y);
  dnnl::reorder::primitive_desc pd(c.engine(), view, c.engine(), plain_desc(y.shape()));
  c.emit(dnnl::reorder(pd), {{DNNL_ARG_FROM, src}, {DNNL_ARG_TO, dst}},
         fmt::format("reorder transpose '{}' {} -> {}", node.name(), x.shape().to_string(),
                     y.shape().to_string()));
  return true;
}

// broadcast_like(x, target): a reorder from a view of x whose broadcast axes
// have stride 0.
bool lower_broadcast_like(const Step& step, Compiler& c) {
  const graph::Node& node = *step.node;
  const graph::Value x = node.input(0);
  const graph::Value y(const_cast<graph::Node*>(&node), 0);
  if (x.dtype() != DType::float32 || y.shape().rank() == 0) return false;
  const std::int64_t rank = y.shape().rank();
  const dnnl::memory::dims x_dims = dims_at_rank(x.shape(), rank);
  dnnl::memory::dims strides(static_cast<std::size_t>(rank), 0);
  std::int64_t stride = 1;
  for (std::int64_t i = rank - 1; i >= 0; --i) {
    const auto a = static_cast<std::size_t>(i);
    if (x_dims[a] != 1) strides[a] = stride;
    stride *= x_dims[a];
  }
  const dnnl::memory::desc view(dims_of(y.shape()), dnnl::memory::data_type::f32, strides);
  dnnl::memory src = c.memory(x, view);
  dnnl::memory dst = c.memory(y);
  dnnl::reorder::primitive_desc pd(c.engine(), view, c.engine(), plain_desc(y.shape()));
  c.emit(dnnl::reorder(pd), {{DNNL_ARG_FROM, src}, {DNNL_ARG_TO, dst}},
         fmt::format("reorder broadcast '{}' {} -> {}", node.name(), x.shape().to_string(),
                     y.shape().to_string()));
  return true;
}

}  // namespace

void register_layout_lowerings(LoweringRegistry& registry) {
  registry.add("broadcast_like", lower_broadcast_like);
  registry.add("concatenate", lower_concatenate);
  registry.add("transpose", lower_transpose);
}

}  // namespace keras::backend::onednn
