#pragma once
// The VJP rule families, one per graph op family; each adds its rules.
// Listed once here and called from vjp_families.cpp.
#include <string_view>

#include "../vjp.hpp"

namespace keras::autodiff {

class VjpRegistry {
 public:
  virtual ~VjpRegistry() = default;
  virtual void add(std::string_view op, VjpFn fn) = 0;
  // The op passes no gradient: comparisons, argmax, random ops, stop_gradient...
  virtual void add_not_differentiable(std::string_view op) = 0;
};

void register_sources_vjps(VjpRegistry& registry);
void register_matmul_vjps(VjpRegistry& registry);
void register_binary_vjps(VjpRegistry& registry);
void register_unary_math_vjps(VjpRegistry& registry);
void register_activations_vjps(VjpRegistry& registry);
void register_softmax_vjps(VjpRegistry& registry);
void register_reductions_vjps(VjpRegistry& registry);
void register_reshape_vjps(VjpRegistry& registry);
void register_transpose_vjps(VjpRegistry& registry);
void register_concatenate_vjps(VjpRegistry& registry);
void register_slice_vjps(VjpRegistry& registry);
void register_tile_vjps(VjpRegistry& registry);
void register_broadcast_vjps(VjpRegistry& registry);
void register_cast_vjps(VjpRegistry& registry);
void register_where_vjps(VjpRegistry& registry);
void register_one_hot_vjps(VjpRegistry& registry);
void register_clip_vjps(VjpRegistry& registry);
void register_fill_vjps(VjpRegistry& registry);
void register_dropout_vjps(VjpRegistry& registry);
void register_cross_entropy_vjps(VjpRegistry& registry);
void register_batch_norm_vjps(VjpRegistry& registry);
void register_identity_vjps(VjpRegistry& registry);

}  // namespace keras::autodiff
