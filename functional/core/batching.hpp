#pragma once
// Row (axis 0) slicing and joining of tensors, for running models in batches.
#include <cstdint>
#include <vector>

#include "keras/tensor.hpp"

namespace keras::layers {

// The rows `indices` of `t` (axis 0), in that order, copied into a new tensor.
Tensor gather_rows(const Tensor& t, const std::int64_t* indices, std::int64_t count);
Tensor concatenate_rows(const std::vector<Tensor>& parts);
// Each output's batches joined along axis 0 (a lone batch as it is).
std::vector<Tensor> join_batches(const std::vector<std::vector<Tensor>>& per_output);

}  // namespace keras::layers
