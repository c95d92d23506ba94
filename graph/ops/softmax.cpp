// softmax and log_softmax along one axis, and their gradient ops, which
// oneDNN has as backward primitives (softmax_backward, logsoftmax_backward)
// computed from the forward result.
#include "keras/graph/gradient_ops.hpp"
#include "keras/graph/ops.hpp"
#include "op_families.hpp"
#include "same_shape.hpp"

namespace keras::graph {

namespace {

std::vector<TensorType> infer_softmax(const InferContext& context) {
  context.require_floating(0);
  if (context.input(0).shape.rank() == 0) {
    context.fail("expected an input of rank >= 1 to normalize along an axis, got a scalar");
  }
  context.axis(context.attrs().get_int("axis"), context.input(0).shape.rank());
  return {context.input(0)};
}

// softmax_grad(y, dy) and log_softmax_grad(y, dy): the forward result and its
// gradient, of one type.
std::vector<TensorType> infer_softmax_grad(const InferContext& context) {
  context.require_floating(0);
  context.require_same_dtype();
  const Shape shape = common_input_shape(context);
  context.axis(context.attrs().get_int("axis"), shape.rank());
  return {{context.input(0).dtype, shape}};
}

OpDef softmax_def(const char* name) {
  return OpDef{.name = name,
               .min_inputs = 1,
               .max_inputs = 1,
               .attrs = {{"axis", AttrKind::integer, AttrValue(std::int64_t{-1})}},
               .infer = infer_softmax};
}

OpDef softmax_grad_def(const char* name) {
  return OpDef{.name = name,
               .min_inputs = 2,
               .max_inputs = 2,
               .attrs = {{"axis", AttrKind::integer, std::nullopt}},
               .infer = infer_softmax_grad};
}

}  // namespace

void register_softmax_ops(OpRegistry& registry) {
  registry.add(softmax_def("softmax"));
  registry.add(softmax_def("log_softmax"));
  registry.add(softmax_grad_def("softmax_grad"));
  registry.add(softmax_grad_def("log_softmax_grad"));
}

}  // namespace keras::graph

namespace keras::ops {

Value softmax(const Value& x, std::int64_t axis) {
  return x.graph().add("softmax", {x}, {{"axis", axis}});
}
Value log_softmax(const Value& x, std::int64_t axis) {
  return x.graph().add("log_softmax", {x}, {{"axis", axis}});
}
Value softmax_grad(const Value& y, const Value& dy, std::int64_t axis) {
  return y.graph().add("softmax_grad", {y, dy}, {{"axis", axis}});
}
Value log_softmax_grad(const Value& y, const Value& dy, std::int64_t axis) {
  return y.graph().add("log_softmax_grad", {y, dy}, {{"axis", axis}});
}

}  // namespace keras::ops
