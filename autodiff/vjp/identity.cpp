// identity passes its gradient through; stop_gradient passes none (Keras'
// ops.stop_gradient).
#include "vjp_families.hpp"

namespace keras::autodiff {

namespace {

std::vector<Value> identity_vjp(const VjpContext& context) {
  return {context.grad()};
}

}  // namespace

void register_identity_vjps(VjpRegistry& registry) {
  registry.add("identity", identity_vjp);
  registry.add_not_differentiable("stop_gradient");
}

}  // namespace keras::autodiff
