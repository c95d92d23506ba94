// one_hot: integer class indices to (..., num_classes) indicator vectors. An
// index outside [0, num_classes) gives a row of zeros, as in TensorFlow.
#include <fmt/format.h>

#include "keras/graph/ops.hpp"
#include "op_families.hpp"

namespace keras::graph {

namespace {

std::vector<TensorType> infer_one_hot(const InferContext& context) {
  const TensorType& indices = context.input(0);
  if (!is_integer(indices.dtype)) {
    context.fail(fmt::format("indices must be int32 or int64, got {}; cast them first",
                             dtype_name(indices.dtype)));
  }
  const std::int64_t num_classes = context.attrs().get_int("num_classes");
  if (num_classes < 1) {
    context.fail(fmt::format("num_classes must be >= 1, got {}", num_classes));
  }
  std::vector<std::int64_t> dims = indices.shape.dims();
  dims.push_back(num_classes);
  return {{context.attrs().get_dtype("dtype"), Shape(std::move(dims))}};
}

}  // namespace

void register_one_hot_ops(OpRegistry& registry) {
  registry.add(OpDef{.name = "one_hot",
                     .min_inputs = 1,
                     .max_inputs = 1,
                     .attrs = {{"num_classes", AttrKind::integer, std::nullopt},
                               {"dtype", AttrKind::dtype, AttrValue(DType::float32)}},
                     .infer = infer_one_hot});
}

}  // namespace keras::graph

namespace keras::ops {

Value one_hot(const Value& indices, std::int64_t num_classes, DType dtype) {
  return indices.graph().add("one_hot", {indices},
                             {{"num_classes", num_classes}, {"dtype", dtype}});
}

}  // namespace keras::ops
