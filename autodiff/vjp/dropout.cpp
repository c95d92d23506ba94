// The VJP of dropout: the output gradient times the mask the forward pass
// drew (broadcast from the noise shape). The mask output itself does not
// depend on x, so a gradient reaching it flows nowhere.
#include "keras/graph/ops.hpp"
#include "vjp_families.hpp"

namespace keras::autodiff {

namespace {

std::vector<Value> dropout_vjp(const VjpContext& context) {
  const Value& grad = context.grad(0);
  if (!grad.valid()) return {Value()};
  const Value& mask = context.result(1);
  return {grad * mask};
}

}  // namespace

void register_dropout_vjps(VjpRegistry& registry) {
  registry.add("dropout", dropout_vjp);
}

}  // namespace keras::autodiff
