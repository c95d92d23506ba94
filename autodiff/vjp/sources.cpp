// The sources are leaves: placeholders, constants and variables are what
// gradients are taken with respect to, not through. assign passes no gradient
// to the value it writes (a state update, as in TensorFlow), and random
// numbers do not depend on any input's values (the _like ops read only a shape).
#include "vjp_families.hpp"

namespace keras::autodiff {

void register_sources_vjps(VjpRegistry& registry) {
  for (const char* op : {"placeholder", "constant", "variable", "assign", "random_uniform",
                         "random_normal", "random_uniform_like", "random_normal_like"}) {
    registry.add_not_differentiable(op);
  }
}

}  // namespace keras::autodiff
