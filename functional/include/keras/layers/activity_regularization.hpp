#pragma once
// keras::layers::ActivityRegularization (keras.layers.ActivityRegularization):
// passes its input through unchanged and reports the penalty
// (l1 * sum|x| + l2 * sum x²) / batch_size as a loss of the call, in both
// learning phases, as Keras 3 does. Training adds it to the loss.
//
//   auto h = keras::layers::ActivityRegularization({.l1 = 1e-5})(x);
#include "keras/layers/layer.hpp"

namespace keras::layers {

struct ActivityRegularizationOptions {
  double l1 = 0.0;
  double l2 = 0.0;
  std::string name = "";
  bool trainable = true;
  DType dtype = backend::floatx_dtype();
  std::optional<Shape> input_shape = std::nullopt;
};

class ActivityRegularizationImpl : public LayerImpl {
 public:
  explicit ActivityRegularizationImpl(ActivityRegularizationOptions options);
  std::vector<graph::Value> call(const std::vector<graph::Value>& inputs,
                                 const graph::Value& training) override;
  serialize::Config get_config() const override;

 private:
  ActivityRegularizationOptions options_;
};

class ActivityRegularization : public LayerHandle<ActivityRegularizationImpl> {
 public:
  explicit ActivityRegularization(ActivityRegularizationOptions options = {});
  static ActivityRegularization from_config(const serialize::Config& config);
};

}  // namespace keras::layers
