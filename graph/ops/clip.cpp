// clip: each element limited to [min_value, max_value] (keras.ops.clip).
#include <cmath>

#include <fmt/format.h>

#include "keras/graph/ops.hpp"
#include "op_families.hpp"

namespace keras::graph {

namespace {

std::vector<TensorType> infer_clip(const InferContext& context) {
  const DType dtype = context.input(0).dtype;
  if (!is_floating(dtype) && !is_integer(dtype)) {
    context.fail(fmt::format("expected a float32, float64, int32 or int64 input, got {}",
                             dtype_name(dtype)));
  }
  const double min_value = context.attrs().get_float("min_value");
  const double max_value = context.attrs().get_float("max_value");
  if (std::isnan(min_value) || std::isnan(max_value) || min_value > max_value) {
    context.fail(
        fmt::format("min_value ({}) must not exceed max_value ({})", min_value, max_value));
  }
  return {context.input(0)};
}

}  // namespace

void register_clip_ops(OpRegistry& registry) {
  registry.add(OpDef{.name = "clip",
                     .min_inputs = 1,
                     .max_inputs = 1,
                     .attrs = {{"min_value", AttrKind::floating, std::nullopt},
                               {"max_value", AttrKind::floating, std::nullopt}},
                     .infer = infer_clip});
}

}  // namespace keras::graph

namespace keras::ops {

Value clip(const Value& x, double min_value, double max_value) {
  return x.graph().add("clip", {x}, {{"min_value", min_value}, {"max_value", max_value}});
}

}  // namespace keras::ops
