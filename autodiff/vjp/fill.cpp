// fill_like reads only its input's shape, so no gradient flows through it.
#include "vjp_families.hpp"

namespace keras::autodiff {

void register_fill_vjps(VjpRegistry& registry) {
  registry.add_not_differentiable("fill_like");
}

}  // namespace keras::autodiff
