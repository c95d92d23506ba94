// identity and stop_gradient: the input, unchanged. stop_gradient differs only
// in autodiff, where no gradient flows through it (Keras' ops.stop_gradient).
#include "keras/graph/ops.hpp"
#include "op_families.hpp"

namespace keras::graph {

namespace {

std::vector<TensorType> infer_identity(const InferContext& context) {
  return {context.input(0)};
}

OpDef identity_def(const char* name) {
  return OpDef{
      .name = name, .min_inputs = 1, .max_inputs = 1, .attrs = {}, .infer = infer_identity};
}

}  // namespace

void register_identity_ops(OpRegistry& registry) {
  registry.add(identity_def("identity"));
  registry.add(identity_def("stop_gradient"));
}

}  // namespace keras::graph

namespace keras::ops {

Value identity(const Value& x) {
  return x.graph().add("identity", {x});
}
Value stop_gradient(const Value& x) {
  return x.graph().add("stop_gradient", {x});
}

}  // namespace keras::ops
