#pragma once
// keras::layers::Dense: output = activation(dot(input, kernel) + bias)
// (keras.layers.Dense). kernel is (input_dim, units), bias (units,).
// Inputs of rank > 2 are multiplied along their last axis. Regularizers add
// penalties to the training loss (kernel and bias while trainable; the
// activity one on every output, divided by the batch size); constraints
// project kernel and bias after each optimizer step.
//
//   auto y = keras::layers::Dense(64, {.activation = "relu"})(x);  // (None, 64)
//   auto z = keras::layers::Dense(10, {.kernel_regularizer = keras::regularizers::L2(1e-4),
//                                      .kernel_constraint = "max_norm"})(y);
#include "keras/layers/layer.hpp"

namespace keras::layers {

struct DenseOptions {
  std::string activation = "";  // empty: linear
  bool use_bias = true;
  initializers::InitializerArg kernel_initializer = "glorot_uniform";
  initializers::InitializerArg bias_initializer = "zeros";
  regularizers::RegularizerArg kernel_regularizer = nullptr;
  regularizers::RegularizerArg bias_regularizer = nullptr;
  regularizers::RegularizerArg activity_regularizer = nullptr;
  constraints::ConstraintArg kernel_constraint = nullptr;
  constraints::ConstraintArg bias_constraint = nullptr;
  std::string name = "";
  bool trainable = true;
  DType dtype = backend::floatx_dtype();
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
