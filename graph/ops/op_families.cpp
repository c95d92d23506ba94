#include "op_families.hpp"

namespace keras::graph {

void register_all_ops(OpRegistry& registry) {
  register_sources_ops(registry);
  register_matmul_ops(registry);
  register_binary_ops(registry);
  register_unary_math_ops(registry);
  register_activations_ops(registry);
  register_softmax_ops(registry);
  register_reductions_ops(registry);
  register_reshape_ops(registry);
  register_transpose_ops(registry);
  register_concatenate_ops(registry);
  register_slice_ops(registry);
  register_tile_ops(registry);
  register_broadcast_ops(registry);
  register_cast_ops(registry);
  register_where_ops(registry);
  register_one_hot_ops(registry);
  register_clip_ops(registry);
  register_fill_ops(registry);
  register_dropout_ops(registry);
  register_cross_entropy_ops(registry);
  register_batch_norm_ops(registry);
  register_identity_ops(registry);
}

}  // namespace keras::graph
