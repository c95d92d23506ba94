#pragma once
// keras::layers::Activation: applies a Keras activation by name
// (keras.layers.Activation).
//
//   auto y = keras::layers::Activation("relu")(x);
#include "keras/layers/layer.hpp"

namespace keras::layers {

class ActivationImpl : public LayerImpl {
 public:
  ActivationImpl(std::string activation, const LayerOptions& options);
  std::vector<graph::Value> call(const std::vector<graph::Value>& inputs,
                                 const graph::Value& training) override;
  serialize::Config get_config() const override;

 private:
  std::string activation_;
};

class Activation : public LayerHandle<ActivationImpl> {
 public:
  explicit Activation(std::string activation, LayerOptions options = {});
};

}  // namespace keras::layers
