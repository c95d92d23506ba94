#pragma once
// The op families; each registers its OpDefs. Listed once here and called from
// op_families.cpp, so that no definition depends on static-initialization
// order or is dropped by the linker.
#include <vector>

#include "keras/graph/op_def.hpp"

namespace keras::graph {

class OpRegistry {
 public:
  void add(OpDef def);
  std::vector<OpDef>& defs() { return defs_; }

 private:
  std::vector<OpDef> defs_;
};

void register_sources_ops(OpRegistry& registry);
void register_matmul_ops(OpRegistry& registry);
void register_binary_ops(OpRegistry& registry);
void register_unary_math_ops(OpRegistry& registry);
void register_activations_ops(OpRegistry& registry);
void register_softmax_ops(OpRegistry& registry);
void register_reductions_ops(OpRegistry& registry);
void register_reshape_ops(OpRegistry& registry);
void register_transpose_ops(OpRegistry& registry);
void register_concatenate_ops(OpRegistry& registry);
void register_slice_ops(OpRegistry& registry);
void register_tile_ops(OpRegistry& registry);
void register_broadcast_ops(OpRegistry& registry);
void register_cast_ops(OpRegistry& registry);
void register_where_ops(OpRegistry& registry);
void register_one_hot_ops(OpRegistry& registry);
void register_clip_ops(OpRegistry& registry);
void register_fill_ops(OpRegistry& registry);
void register_dropout_ops(OpRegistry& registry);
void register_cross_entropy_ops(OpRegistry& registry);
void register_batch_norm_ops(OpRegistry& registry);
void register_identity_ops(OpRegistry& registry);

}  // namespace keras::graph
