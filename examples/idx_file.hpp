#pragma once
// Reads the gzipped IDX files of Debian's dataset-fashion-mnist
// (/usr/share/datasets/fashion-mnist/). The datasets module of the functional
// API will own this; the example carries it until then.
#include <string>

#include "keras/tensor.hpp"

namespace example {

// Images as float32 (count, rows * cols) scaled to [0, 1], labels as int32 (count,).
keras::Tensor read_idx_images(const std::string& path);
keras::Tensor read_idx_labels(const std::string& path);

}  // namespace example
