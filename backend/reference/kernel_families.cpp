#include "kernel_families.hpp"

namespace keras::backend::reference {

void register_all_kernels(KernelRegistry& registry) {
  register_sources_kernels(registry);
  register_matmul_kernels(registry);
  register_binary_kernels(registry);
  register_unary_math_kernels(registry);
  register_activations_kernels(registry);
  register_softmax_kernels(registry);
  register_reductions_kernels(registry);
  register_reshape_kernels(registry);
  register_transpose_kernels(registry);
  register_concatenate_kernels(registry);
  register_slice_kernels(registry);
  register_tile_kernels(registry);
  register_broadcast_kernels(registry);
  register_cast_kernels(registry);
  register_where_kernels(registry);
  register_one_hot_kernels(registry);
  register_clip_kernels(registry);
  register_fill_kernels(registry);
  register_dropout_kernels(registry);
  register_cross_entropy_kernels(registry);
  register_batch_norm_kernels(registry);
  register_identity_kernels(registry);
}

}  // namespace keras::backend::reference
