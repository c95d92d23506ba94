#pragma once
// keras::layers::Dense: output = activation(dot(input, kernel) + bias)
// (keras.layers.Dense). kernel is (input_dim, units), bias (units,).
// Inputs of rank > 2 are multiplied along their last axis.
//
//   auto y = keras::layers::Dense(64, {.activation = "relu"})(x);  // (None, 64)
#include "keras/layers/layer.hpp"

namespace keras::layers {

struct DenseOptions {
  std::string activation = "";  // empty: linear
  bool use_bias = true;
  initializers::InitializerArg kernel_initializer = "glorot_uniform";
  initializers::InitializerArg bias_initializer = "zeros";
  std::string name = "";
  bool trainable = true;
  DType dtype = DType::float32;
  std::optional<Shape> input_shape = std::nullopt;
  std::optional<std::int64_t> input_dim =
      std::nullopt;  // Keras 2's shorthand for input_shape (input_dim,)
};

class DenseImpl : public LayerImpl {
 public:
  DenseImpl(std::int64_t units, DenseOptions options);
  void build(const std::vector<Shape>& input_shapes) override;
  std::vector<graph::Value> call(const std::vector<graph::Value>& inputs,
                                 const graph::Value& training) override;
  serialize::Config get_config() const override;

  std::int64_t units() const { return units_; }
  const Variable& kernel() const;
  const std::optional<Variable>& bias() const { return bias_; }

 private:
  std::int64_t units_;
  DenseOptions options_;
  std::optional<Variable> kernel_;
  std::optional<Variable> bias_;
};

class Dense : public LayerHandle<DenseImpl> {
 public:
  explicit Dense(std::int64_t units, DenseOptions options = {});
};

}  // namespace keras::layers
