#pragma once
// Shapes as Keras configs write them: a list of sizes with null for an
// unknown one ([null, 784]), as batch_shape, build_config and keras_history
// tensors do.
#include "keras/serialize/config.hpp"
#include "keras/shape.hpp"

namespace keras::serialize {

Config shape_to_config(const Shape& shape);
// Throws keras::Error when `config` is not a list of ints and nulls.
Shape shape_from_config(const Config& config);

}  // namespace keras::serialize
