// VJPs of broadcast_like and sum_to_like, each the other's transpose. The
// target only lends its shape, so it gets no gradient.
#include "keras/graph/ops.hpp"
#include "vjp_families.hpp"

namespace keras::autodiff {

namespace {

std::vector<Value> broadcast_like_vjp(const VjpContext& context) {
  return {ops::sum_to_like(context.grad(), context.input(0)), Value()};
}

std::vector<Value> sum_to_like_vjp(const VjpContext& context) {
  return {ops::broadcast_like(context.grad(), context.input(0)), Value()};
}

}  // namespace

void register_broadcast_vjps(VjpRegistry& registry) {
  registry.add("broadcast_like", broadcast_like_vjp);
  registry.add("sum_to_like", sum_to_like_vjp);
}

}  // namespace keras::autodiff
