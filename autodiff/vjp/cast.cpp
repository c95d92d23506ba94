// VJP of cast: between floating dtypes the gradient is cast back; through an
// integer or bool value no gradient flows (as in TensorFlow).
#include "keras/graph/ops.hpp"
#include "vjp_families.hpp"

namespace keras::autodiff {

namespace {

std::vector<Value> cast_vjp(const VjpContext& context) {
  const Value& x = context.input(0);
  if (!is_floating(x.dtype()) || !is_floating(context.result().dtype())) return {Value()};
  return {ops::cast(context.grad(), x.dtype())};
}

}  // namespace

void register_cast_vjps(VjpRegistry& registry) {
  registry.add("cast", cast_vjp);
}

}  // namespace keras::autodiff
