#pragma once
// keras::layers::Dropout: in training, zeroes a fraction `rate` of the inputs
// and scales the rest by 1 / (1 - rate); in inference, the identity
// (keras.layers.Dropout).
//
//   auto h = keras::layers::Dropout(0.2)(x);
#include "keras/layers/layer.hpp"

namespace keras::layers {

struct DropoutOptions {
  // Empty: the input's shape. -1 entries take the input's size (Keras' None).
  std::vector<std::int64_t> noise_shape = {};
  std::optional<std::int64_t> seed = std::nullopt;
  std::string name = "";
  bool trainable = true;
  DType dtype = backend::floatx_dtype();
  std::optional<Shape> input_shape = std::nullopt;
};

class DropoutImpl : public LayerImpl {
 public:
  DropoutImpl(double rate, DropoutOptions options);
  std::vector<graph::Value> call(const std::vector<graph::Value>& inputs,
                                 const graph::Value& training) override;
  serialize::Config get_config() const override;

 private:
  double rate_;
  DropoutOptions options_;
  // The seed its noise draws from: the given one, or one drawn from the
  // global generator when the layer is made (keras::utils::set_random_seed
  // fixes it, as Keras' SeedGenerator).
  std::int64_t seed_;
};

class Dropout : public LayerHandle<DropoutImpl> {
 public:
  explicit Dropout(double rate, DropoutOptions options = {});
};

}  // namespace keras::layers
