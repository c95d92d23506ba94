#pragma once
// Row (axis 0) slicing and joining of tensors, for running models in batches.
#include <cstdint>
#include <vector>

#include "keras/tensor.hpp"

namespace keras::layers {

Tensor take_rows(const Tensor& t, std::int64_t begin, std::int64_t count);
Tensor concatenate_rows(const std::vector<Tensor>& parts);

}  // namespace keras::layers
