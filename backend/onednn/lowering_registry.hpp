#pragma once
// Lowering families register here; lowering_table.cpp lists them and the ops
// that run on the reference kernels.
#include <string_view>

#include "lowering.hpp"

namespace keras::backend::onednn {

class LoweringRegistry {
 public:
  virtual ~LoweringRegistry() = default;
  virtual void add(std::string_view op, Lowering lowering) = 0;
};

void register_eltwise_lowerings(LoweringRegistry& registry);
void register_matmul_lowerings(LoweringRegistry& registry);
void register_binary_lowerings(LoweringRegistry& registry);
void register_softmax_lowerings(LoweringRegistry& registry);
void register_reduction_lowerings(LoweringRegistry& registry);
void register_batch_norm_lowerings(LoweringRegistry& registry);
void register_concat_lowerings(LoweringRegistry& registry);
void register_reorder_lowerings(LoweringRegistry& registry);
void register_view_lowerings(LoweringRegistry& registry);
void register_cross_entropy_lowerings(LoweringRegistry& registry);

}  // namespace keras::backend::onednn
