#pragma once
// The reference kernel families, one per graph op family; each adds its
// kernels. Listed once here and called from kernel_families.cpp.
#include <string_view>

#include "kernel.hpp"

namespace keras::backend::reference {

class KernelRegistry {
 public:
  virtual ~KernelRegistry() = default;
  virtual void add(std::string_view op, Kernel kernel) = 0;
};

void register_sources_kernels(KernelRegistry& registry);
void register_matmul_kernels(KernelRegistry& registry);
void register_binary_kernels(KernelRegistry& registry);
void register_unary_math_kernels(KernelRegistry& registry);
void register_activations_kernels(KernelRegistry& registry);
void register_softmax_kernels(KernelRegistry& registry);
void register_reductions_kernels(KernelRegistry& registry);
void register_reshape_kernels(KernelRegistry& registry);
void register_transpose_kernels(KernelRegistry& registry);
void register_concatenate_kernels(KernelRegistry& registry);
void register_slice_kernels(KernelRegistry& registry);
void register_tile_kernels(KernelRegistry& registry);
void register_broadcast_kernels(KernelRegistry& registry);
void register_cast_kernels(KernelRegistry& registry);
void register_where_kernels(KernelRegistry& registry);
void register_one_hot_kernels(KernelRegistry& registry);
void register_clip_kernels(KernelRegistry& registry);
void register_fill_kernels(KernelRegistry& registry);
void register_dropout_kernels(KernelRegistry& registry);
void register_cross_entropy_kernels(KernelRegistry& registry);
void register_batch_norm_kernels(KernelRegistry& registry);
void register_identity_kernels(KernelRegistry& registry);

}  // namespace keras::backend::reference
