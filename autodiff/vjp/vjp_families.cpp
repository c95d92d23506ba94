#include "vjp_families.hpp"

namespace keras::autodiff {

void register_all_vjps(VjpRegistry& registry) {
  register_sources_vjps(registry);
  register_matmul_vjps(registry);
  register_binary_vjps(registry);
  register_unary_math_vjps(registry);
  register_activations_vjps(registry);
  register_softmax_vjps(registry);
  register_reductions_vjps(registry);
  register_reshape_vjps(registry);
  register_transpose_vjps(registry);
  register_concatenate_vjps(registry);
  register_slice_vjps(registry);
  register_tile_vjps(registry);
  register_broadcast_vjps(registry);
  register_cast_vjps(registry);
  register_where_vjps(registry);
  register_one_hot_vjps(registry);
  register_clip_vjps(registry);
  register_fill_vjps(registry);
  register_dropout_vjps(registry);
  register_cross_entropy_vjps(registry);
  register_batch_norm_vjps(registry);
  register_identity_vjps(registry);
}

}  // namespace keras::autodiff
