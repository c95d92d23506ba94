// one_hot reads integer indices: nothing to differentiate.
#include "vjp_families.hpp"

namespace keras::autodiff {

void register_one_hot_vjps(VjpRegistry& registry) {
  registry.add_not_differentiable("one_hot");
}

}  // namespace keras::autodiff
