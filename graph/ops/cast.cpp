// cast: converts elements to another dtype (C++ conversion rules; to bool is
// x != 0, as keras.ops.cast).
#include "keras/graph/ops.hpp"
#include "op_families.hpp"

namespace keras::graph {

namespace {

std::vector<TensorType> infer_cast(const InferContext& context) {
  return {{context.attrs().get_dtype("dtype"), context.input(0).shape}};
}

}  // namespace

void register_cast_ops(OpRegistry& registry) {
  registry.add(OpDef{.name = "cast",
                     .min_inputs = 1,
                     .max_inputs = 1,
                     .attrs = {{"dtype", AttrKind::dtype, std::nullopt}},
                     .infer = infer_cast});
}

}  // namespace keras::graph

namespace keras::ops {

Value cast(const Value& x, DType dtype) {
  return x.graph().add("cast", {x}, {{"dtype", dtype}});
}

}  // namespace keras::ops
