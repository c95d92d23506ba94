// fill_like: a tensor of x's type holding one value everywhere (zeros_like,
// ones_like). Only x's shape and dtype are read, never its values.
#include "keras/graph/ops.hpp"
#include "op_families.hpp"

namespace keras::graph {

namespace {

std::vector<TensorType> infer_fill_like(const InferContext& context) {
  return {context.input(0)};
}

}  // namespace

void register_fill_ops(OpRegistry& registry) {
  registry.add(OpDef{.name = "fill_like",
                     .min_inputs = 1,
                     .max_inputs = 1,
                     .attrs = {{"value", AttrKind::floating, std::nullopt}},
                     .infer = infer_fill_like});
}

}  // namespace keras::graph

namespace keras::ops {

namespace {
Value fill_like(const Value& x, double value) {
  return x.graph().add("fill_like", {x}, {{"value", value}});
}
}  // namespace

Value zeros_like(const Value& x) {
  return fill_like(x, 0.0);
}
Value ones_like(const Value& x) {
  return fill_like(x, 1.0);
}

}  // namespace keras::ops
