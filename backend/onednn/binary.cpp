// Elementwise binary ops as dnnl::binary: arithmetic, maximum/minimum and the
// comparisons (bool written as u8 0/1). oneDNN broadcasts only its second
// source, so when the first operand needs broadcasting
// - a commutative op swaps its operands, a comparison swaps and mirrors
//   (a < b is b > a);
// - otherwise a reorder first broadcasts it into the output (then the binary
//   runs in place there) or, for a comparison, into scratch.
#include "compiler.hpp"
#include "lowering_registry.hpp"

namespace keras::backend::onednn {

namespace {

using dnnl::algorithm;

struct BinaryOp {
  algorithm forward;
  // The algorithm with the operands swapped, when there is one.
  std::optional<algorithm> swapped;
  bool comparison = false;
};

std::optional<BinaryOp> binary_op(std::string_view op) {
  if (op == "add") return BinaryOp{algorithm::binary_add, algorithm::binary_add};
  if (op == "subtract") return BinaryOp{algorithm::binary_sub, std::nullopt};
  if (op == "multiply") return BinaryOp{algorithm::binary_mul, algorithm::binary_mul};
  if (op == "divide") return BinaryOp{algorithm::binary_div, std::nullopt};
  if (op == "maximum") return BinaryOp{algorithm::binary_max, algorithm::binary_max};
  if (op == "minimum") return BinaryOp{algorithm::binary_min, algorithm::binary_min};
  if (op == "equal") return BinaryOp{algorithm::binary_eq, algorithm::binary_eq, true};
  if (op == "not_equal") return BinaryOp{algorithm::binary_ne, algorithm::binary_ne, true};
  if (op == "greater") return BinaryOp{algorithm::binary_gt, algorithm::binary_lt, true};
  if (op == "greater_equal") return BinaryOp{algorithm::binary_ge, algorithm::binary_le, true};
  if (op == "less") return BinaryOp{algorithm::binary_lt, algorithm::binary_gt, true};
  if (op == "less_equal") return BinaryOp{algorithm::binary_le, algorithm::binary_ge, true};
  return std::nullopt;
}

// a + b * scale or a - b * scale (the multiply fused away), with oneDNN's
// source scales: one pass over memory for an SGD update.
bool lower_scaled(const Step& step, Compiler& c) {
  const graph::Node& node = *step.node;
  const graph::Value out = output_of(node);
  const graph::Value product = output_of(*step.scaling);
  const graph::Value a = node.input(0) == product ? node.input(1) : node.input(0);
  const graph::Value& b = step.scaled_operand;
  const dnnl::memory::desc md = plain_desc(out.shape());
  dnnl::primitive_attr attr;
  attr.set_scales(DNNL_ARG_SRC_1, 0, {step.scale});
  const algorithm kind = node.op() == "add" ? algorithm::binary_add : algorithm::binary_sub;
  dnnl::binary::desc desc(kind, md, md, md);
  dnnl::binary::primitive_desc pd(desc, attr, c.engine());
  c.emit(
      dnnl::binary(pd),
      {{DNNL_ARG_SRC_0, c.memory(a)}, {DNNL_ARG_SRC_1, c.memory(b)}, {DNNL_ARG_DST, c.memory(out)}},
      fmt::format("binary {} (scaled by {:g}) '{}' {}", node.op(), step.scale, node.name(),
                  out.shape().to_string()));
  return true;
}

// Emits a reorder writing `a` broadcast to `dims` into `to`, and returns
// `to`: the first source of the binary that follows.
dnnl::memory broadcast_first(const graph::Value& a, const dnnl::memory& to,
                             const dnnl::memory::dims& dims, const std::string& name, Compiler& c) {
  const dnnl::memory::dims a_dims = dims_at_rank(a.shape(), static_cast<std::int64_t>(dims.size()));
  const dnnl::memory::dims a_strides = row_major_strides(a_dims);
  dnnl::memory::dims strides(dims.size(), 0);
  for (std::size_t i = 0; i < dims.size(); ++i) {
    if (a_dims[i] != 1) strides[i] = a_strides[i];
  }
  const dnnl::memory::desc view(dims, dnnl::memory::data_type::f32, strides);
  dnnl::reorder::primitive_desc pd(c.engine(), view, c.engine(), to.get_desc());
  c.emit(dnnl::reorder(pd), {{DNNL_ARG_FROM, c.memory(a, view)}, {DNNL_ARG_TO, to}},
         fmt::format("reorder broadcast (first operand of '{}') {} -> {}", name,
                     a.shape().to_string(), dims_text(dims)));
  return to;
}

bool lower_binary(const Step& step, Compiler& c) {
  if (step.scaling != nullptr) return lower_scaled(step, c);
  const graph::Node& node = *step.node;
  auto op = binary_op(node.op());
  graph::Value a = node.input(0);
  graph::Value b = node.input(1);
  const graph::Value out = output_of(node);
  if (!op || a.dtype() != DType::float32 || b.dtype() != DType::float32) return false;
  if (out.shape().num_elements() == 0) return false;
  const std::int64_t rank = std::max<std::int64_t>(out.shape().rank(), 1);
  const dnnl::memory::dims out_dims = dims_at_rank(out.shape(), rank);
  algorithm kind = op->forward;
  bool swapped = false;
  const bool a_broadcasts = dims_at_rank(a.shape(), rank) != out_dims;
  if (a_broadcasts && op->swapped && dims_at_rank(b.shape(), rank) == out_dims) {
    std::swap(a, b);
    swapped = true;
    kind = *op->swapped;
  }
  const auto dst_type = op->comparison ? dnnl::memory::data_type::u8 : dnnl::memory::data_type::f32;
  const dnnl::memory::desc a_desc = plain_desc(Shape(out_dims));
  const dnnl::memory::desc b_desc = plain_desc(Shape(dims_at_rank(b.shape(), rank)));
  const dnnl::memory::desc dst_desc = plain_desc(Shape(out_dims), dst_type);
  dnnl::binary::desc desc(kind, a_desc, b_desc, dst_desc);
  dnnl::binary::primitive_desc pd(desc, c.engine());
  dnnl::memory src0;
  if (a_broadcasts && !swapped) {
    // Into the output itself (the binary then runs in place) unless the
    // output is a comparison's bools: then into scratch.
    src0 = broadcast_first(a, op->comparison ? c.scratch(a_desc) : c.memory(out, a_desc), out_dims,
                           node.name(), c);
  } else {
    src0 = c.memory(a, a_desc);
  }
  c.emit(dnnl::binary(pd),
         {{DNNL_ARG_SRC_0, src0},
          {DNNL_ARG_SRC_1, c.memory(b, b_desc)},
          {DNNL_ARG_DST, c.memory(out, dst_desc)}},
         fmt::format("binary {}{} '{}' {} with {}", node.op(), swapped ? " (operands swapped)" : "",
                     node.name(), dims_text(out_dims), dims_text(b_desc.dims())));
  return true;
}

}  // namespace

void register_binary_lowerings(LoweringRegistry& registry) {
  for (const char* op : {"add", "subtract", "multiply", "divide", "maximum", "minimum", "equal",
                         "not_equal", "greater", "greater_equal", "less", "less_equal"}) {
    registry.add(op, lower_binary);
  }
}

}  // namespace keras::backend::onednn
