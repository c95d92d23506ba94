// VJP of where: the gradient goes to x where the condition holds and to y
// elsewhere; the condition gets none. The engine sums each back over the
// axes along which x or y were broadcast.
#include "keras/graph/ops.hpp"
#include "vjp_families.hpp"

namespace keras::autodiff {

namespace {

std::vector<Value> where_vjp(const VjpContext& context) {
  const Value& condition = context.input(0);
  const Value& grad = context.grad();
  const Value zeros = ops::zeros_like(grad);
  Value dx;
  Value dy;
  if (context.needs(1)) dx = ops::where(condition, grad, zeros);
  if (context.needs(2)) dy = ops::where(condition, zeros, grad);
  return {Value(), dx, dy};
}

}  // namespace

void register_where_vjps(VjpRegistry& registry) {
  registry.add("where", where_vjp);
}

}  // namespace keras::autodiff
