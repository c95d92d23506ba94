// Data movement as dnnl::reorder from a strided view of the input to the
// row-major output: transpose (permuted strides), broadcast_like (stride 0
// on broadcast axes), slice (a sub-memory) and tile (the input seen as
// (r0, d0, r1, d1, ...) with stride 0 on the repeat axes). float32, int32 and
// bool move exactly; float64 and int64 run on the reference kernels.
#include "compiler.hpp"
#include "lowering_registry.hpp"

namespace keras::backend::onednn {

namespace {

using dnnl::memory;

void emit_reorder(const memory::desc& view, const graph::Value& x, const memory::desc& to,
                  const graph::Value& y, std::string text, Compiler& c) {
  dnnl::reorder::primitive_desc pd(c.engine(), view, c.engine(), to);
  c.emit(dnnl::reorder(pd), {{DNNL_ARG_FROM, c.memory(x, view)}, {DNNL_ARG_TO, c.memory(y, to)}},
         std::move(text));
}

bool lower_transpose(const Step& step, Compiler& c) {
  const graph::Node& node = *step.node;
  const graph::Value x = node.input(0);
  const graph::Value y = output_of(node);
  const std::int64_t rank = x.shape().rank();
  auto type = data_type_of(x.dtype());
  if (!type || rank == 0 || y.shape().num_elements() == 0) return false;
  std::vector<std::int64_t> axes = node.attrs().get_ints("axes");
  if (axes.empty()) {
    for (std::int64_t a = rank - 1; a >= 0; --a) axes.push_back(a);
  }
  const memory::dims in_strides = row_major_strides(dims_of(x.shape()));
  // The output's axis i walks the input's axis axes[i].
  memory::dims strides;
  for (std::int64_t a : axes) {
    strides.push_back(in_strides[static_cast<std::size_t>(normalize_axis(a, rank, "transpose"))]);
  }
  const memory::desc view(dims_of(y.shape()), *type, strides);
  emit_reorder(view, x, plain_desc(y.shape(), *type), y,
               fmt::format("reorder transpose '{}' {} -> {}", node.name(), x.shape().to_string(),
                           y.shape().to_string()),
               c);
  return true;
}

bool lower_broadcast_like(const Step& step, Compiler& c) {
  const graph::Node& node = *step.node;
  const graph::Value x = node.input(0);
  const graph::Value y = output_of(node);
  auto type = data_type_of(x.dtype());
  if (!type || y.shape().rank() == 0 || y.shape().num_elements() == 0) return false;
  const std::int64_t rank = y.shape().rank();
  const memory::dims x_dims = dims_at_rank(x.shape(), rank);
  const memory::dims x_strides = row_major_strides(x_dims);
  memory::dims strides(static_cast<std::size_t>(rank), 0);
  for (std::size_t a = 0; a < x_dims.size(); ++a) {
    if (x_dims[a] != 1) strides[a] = x_strides[a];
  }
  const memory::desc view(dims_of(y.shape()), *type, strides);
  emit_reorder(view, x, plain_desc(y.shape(), *type), y,
               fmt::format("reorder broadcast '{}' {} -> {}", node.name(), x.shape().to_string(),
                           y.shape().to_string()),
               c);
  return true;
}

bool lower_slice(const Step& step, Compiler& c) {
  const graph::Node& node = *step.node;
  const graph::Value x = node.input(0);
  const graph::Value y = output_of(node);
  auto type = data_type_of(x.dtype());
  const std::vector<std::int64_t>& begin = node.attrs().get_ints("begin");
  const std::int64_t rank = x.shape().rank();
  if (!type || rank == 0 || y.shape().num_elements() == 0) return false;
  if (static_cast<std::int64_t>(begin.size()) != rank) return false;
  const memory::dims offsets(begin.begin(), begin.end());
  for (std::size_t a = 0; a < offsets.size(); ++a) {
    if (offsets[a] < 0 || offsets[a] + y.shape()[a] > x.shape()[a]) return false;
  }
  const memory::desc view =
      plain_desc(x.shape(), *type).submemory_desc(dims_of(y.shape()), offsets);
  emit_reorder(view, x, plain_desc(y.shape(), *type), y,
               fmt::format("reorder slice '{}' {} at {} -> {}", node.name(), x.shape().to_string(),
                           dims_text(offsets), y.shape().to_string()),
               c);
  return true;
}

bool lower_tile(const Step& step, Compiler& c) {
  const graph::Node& node = *step.node;
  const graph::Value x = node.input(0);
  const graph::Value y = output_of(node);
  auto type = data_type_of(x.dtype());
  if (!type || y.shape().rank() == 0 || y.shape().num_elements() == 0) return false;
  // Repeats and dims right-aligned to the output's rank, as the reference does.
  const std::int64_t rank = y.shape().rank();
  const memory::dims dims = dims_at_rank(x.shape(), rank);
  std::vector<std::int64_t> repeats = node.attrs().get_ints("repeats");
  repeats.insert(repeats.begin(), static_cast<std::size_t>(rank) - repeats.size(), 1);
  const memory::dims strides = row_major_strides(dims);
  memory::dims view_dims, view_strides;
  for (std::size_t a = 0; a < dims.size(); ++a) {
    if (repeats[a] != 1) {
      view_dims.push_back(repeats[a]);
      view_strides.push_back(0);
    }
    view_dims.push_back(dims[a]);
    view_strides.push_back(strides[a]);
  }
  if (view_dims.size() > DNNL_MAX_NDIMS) return false;
  const memory::desc view(view_dims, *type, view_strides);
  const memory::desc to(view_dims, *type, row_major_strides(view_dims));
  emit_reorder(view, x, to, y,
               fmt::format("reorder tile '{}' {} -> {}", node.name(), x.shape().to_string(),
                           y.shape().to_string()),
               c);
  return true;
}

}  // namespace

void register_reorder_lowerings(LoweringRegistry& registry) {
  registry.add("broadcast_like", lower_broadcast_like);
  registry.add("transpose", lower_transpose);
  registry.add("slice", lower_slice);
  registry.add("tile", lower_tile);
}

}  // namespace keras::backend::onednn
