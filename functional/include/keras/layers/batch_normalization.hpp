#pragma once
// keras::layers::BatchNormalization (keras.layers.BatchNormalization):
//   training:  y = gamma * (x - mean(x)) / sqrt(var(x) + epsilon) + beta,
//              with the batch's statistics over every axis but `axis`, and
//              moving = moving * momentum + batch_stat * (1 - momentum)
//              (the biased batch variance, as Keras 3);
//   inference: the same with moving_mean and moving_variance.
// Weights, in Keras' order: gamma (if scale), beta (if center), moving_mean,
// moving_variance, each of shape (channels,). The moving statistics are
// non-trainable and change only in the training phase. A frozen layer
// (trainable = false) always runs in inference mode and updates nothing, as
// in Keras.
//
//   auto h = keras::layers::BatchNormalization()(x);                // (None, 28, 28, 32)
//   auto c = keras::layers::BatchNormalization({.axis = 1})(images);  // channels first
#include "keras/layers/layer.hpp"

namespace keras::layers {

struct BatchNormalizationOptions {
  std::int64_t axis = -1;  // the channels; negative counts from the end
  double momentum = 0.99;
  double epsilon = 1e-3;
  bool center = true;  // add beta
  bool scale = true;   // multiply by gamma
  initializers::InitializerArg beta_initializer = "zeros";
  initializers::InitializerArg gamma_initializer = "ones";
  initializers::InitializerArg moving_mean_initializer = "zeros";
  initializers::InitializerArg moving_variance_initializer = "ones";
  regularizers::RegularizerArg beta_regularizer = nullptr;
  regularizers::RegularizerArg gamma_regularizer = nullptr;
  constraints::ConstraintArg beta_constraint = nullptr;
  constraints::ConstraintArg gamma_constraint = nullptr;
  // Cross-replica statistics: TensorFlow-only in Keras 3; rejected here.
  bool synchronized = false;
  std::string name = "";
  bool trainable = true;
  DType dtype = backend::floatx_dtype();
  std::optional<Shape> input_shape = std::nullopt;
};

class BatchNormalizationImpl : public LayerImpl {
 public:
  explicit BatchNormalizationImpl(BatchNormalizationOptions options);
  void build(const std::vector<Shape>& input_shapes) override;
  std::vector<graph::Value> call(const std::vector<graph::Value>& inputs,
                                 const graph::Value& training) override;
  serialize::Config get_config() const override;

  std::int64_t axis() const { return options_.axis; }
  double momentum() const { return options_.momentum; }
  double epsilon() const { return options_.epsilon; }
  const std::optional<Variable>& gamma() const { return gamma_; }
  const std::optional<Variable>& beta() const { return beta_; }
  const Variable& moving_mean() const;
  const Variable& moving_variance() const;

 private:
  // Registers moving = moving * momentum + batch_stat * (1 - momentum) for the
  // training phase; in the test phase the update writes the old value back.
  void add_moving_update(const Variable& moving, const graph::Value& current,
                         const graph::Value& batch_stat, const graph::Value& training) const;

  BatchNormalizationOptions options_;
  std::int64_t channel_axis_ = 0;  // options_.axis, made non-negative by build()
  std::optional<Variable> gamma_;
  std::optional<Variable> beta_;
  std::optional<Variable> moving_mean_;
  std::optional<Variable> moving_variance_;
};

class BatchNormalization : public LayerHandle<BatchNormalizationImpl> {
 public:
  explicit BatchNormalization(BatchNormalizationOptions options = {});
  // The layer a Keras 3 config describes (Keras' BatchNormalization.from_config);
  // a keras::Error for what keras-cpp lacks (renorm, regularizers, constraints).
  static BatchNormalization from_config(const serialize::Config& config);
};

}  // namespace keras::layers
