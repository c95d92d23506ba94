// Elementwise binary arithmetic as dnnl::binary. oneDNN broadcasts only its
// second source, so a broadcast first operand of a commutative op is swapped;
// otherwise the op runs on the reference kernel.
#include "compiler.hpp"
#include "lowering_registry.hpp"

namespace keras::backend::onednn {

namespace {

struct BinaryOp {
  dnnl::algorithm algorithm;
  bool commutative;
};

std::optional<BinaryOp> binary_op(std::string_view op) {
  using dnnl::algorithm;
  if (op == "add") return BinaryOp{algorithm::binary_add, true};
  if (op == "subtract") return BinaryOp{algorithm::binary_sub, false};
  if (op == "multiply") return BinaryOp{algorithm::binary_mul, true};
  if (op == "divide") return BinaryOp{algorithm::binary_div, false};
  if (op == "maximum") return BinaryOp{algorithm::binary_max, true};
  if (op == "minimum") return BinaryOp{algorithm::binary_min, true};
  return std::nullopt;
}

// a + b * scale or a - b * scale (the multiply fused away), with oneDNN's
// source scales: one pass over memory for an SGD update.
bool lower_scaled(const Step& step, Compiler& c) {
  const graph::Node& node = *step.node;
  const graph::Value out(const_cast<graph::Node*>(&node), 0);
  const graph::Value product(const_cast<graph::Node*>(step.scaling), 0);
  const graph::Value a = node.input(0) == product ? node.input(1) : node.input(0);
  const graph::Value& b = step.scaled_operand;
  const dnnl::memory::desc md = plain_desc(out.shape());
  dnnl::primitive_attr attr;
  attr.set_scales(DNNL_ARG_SRC_1, 0, {step.scale});
  const auto algorithm =
      node.op() == "add" ? dnnl::algorithm::binary_add : dnnl::algorithm::binary_sub;
  dnnl::binary::desc desc(algorithm, md, md, md);
  dnnl::binary::primitive_desc pd(desc, attr, c.engine());
  c.emit(
      dnnl::binary(pd),
      {{DNNL_ARG_SRC_0, c.memory(a)}, {DNNL_ARG_SRC_1, c.memory(b)}, {DNNL_ARG_DST, c.memory(out)}},
      fmt::format("binary {} (scaled by {:g}) '{}' {}", node.op(), step.scale, node.name(),
                  out.shape().to_string()));
  return true;
}

bool lower_binary(const Step& step, Compiler& c) {
  const graph::Node& node = *step.node;
  auto op = binary_op(node.op());
  graph::Value a = node.input(0);
  graph::Value b = node.input(1);
  if (step.scaling != nullptr) return lower_scaled(step, c);
  const graph::Value out(const_cast<graph::Node*>(&node), 0);
  if (!op || a.dtype() != DType::float32 || b.dtype() != DType::float32) return false;
  const std::int64_t rank = std::max<std::int64_t>(out.shape().rank(), 1);
  const dnnl::memory::dims out_dims = dims_at_rank(out.shape(), rank);
  if (dims_at_rank(a.shape(), rank) != out_dims) {
    if (!op->commutative || dims_at_rank(b.shape(), rank) != out_dims) return false;
    std::swap(a, b);
  }
  const dnnl::memory::desc a_desc = plain_desc(Shape(out_dims));
  const dnnl::memory::desc b_desc = plain_desc(Shape(dims_at_rank(b.shape(), rank)));
  dnnl::binary::desc desc(op->algorithm, a_desc, b_desc, a_desc);
  dnnl::binary::primitive_desc pd(desc, c.engine());
  c.emit(dnnl::binary(pd),
         {{DNNL_ARG_SRC_0, c.memory(a, a_desc)},
          {DNNL_ARG_SRC_1, c.memory(b, b_desc)},
          {DNNL_ARG_DST, c.memory(out, a_desc)}},
         fmt::format("binary {} '{}' {} with {}", node.op(), node.name(), dims_text(out_dims),
                     dims_text(b_desc.dims())));
  return true;
}

}  // namespace

void register_binary_lowerings(LoweringRegistry& registry) {
  for (const char* op : {"add", "subtract", "multiply", "divide", "maximum", "minimum"}) {
    registry.add(op, lower_binary);
  }
}

}  // namespace keras::backend::onednn
