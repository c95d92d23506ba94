#pragma once
// Keras' Gaussian noise layers (keras/src/layers/regularization/): active in
// the training phase only, the identity in inference. The noise has the
// input's shape (batch included, known only when the model runs) and is
// drawn afresh at every training step.
//
//   auto noisy = keras::layers::GaussianNoise(0.1)(x);     // x + N(0, 0.1²)
//   auto kept = keras::layers::GaussianDropout(0.2)(h);    // h * N(1, 0.2 / 0.8)
#include <cstdint>
#include <optional>

#include "keras/layers/layer.hpp"

namespace keras::layers {

// --- GaussianNoise -------------------------------------------------------------
// keras.layers.GaussianNoise: training: x + noise, noise ~ N(0, stddev²);
// stddev in [0, 1], as Keras requires.
struct GaussianNoiseOptions {
  std::optional<std::int64_t> seed = std::nullopt;  // None: drawn from the global seed
  std::string name = "";
  bool trainable = true;
  DType dtype = backend::floatx_dtype();
  std::optional<Shape> input_shape = std::nullopt;
};

class GaussianNoiseImpl : public LayerImpl {
 public:
  GaussianNoiseImpl(double stddev, GaussianNoiseOptions options);
  std::vector<graph::Value> call(const std::vector<graph::Value>& inputs,
                                 const graph::Value& training) override;
  serialize::Config get_config() const override;

 private:
  double stddev_;
  GaussianNoiseOptions options_;
  // The seed its noise draws from: the given one, or one drawn from the
  // global generator when the layer is made (keras::utils::set_random_seed
  // fixes it, as Keras' SeedGenerator).
  std::int64_t seed_;
};

class GaussianNoise : public LayerHandle<GaussianNoiseImpl> {
 public:
  explicit GaussianNoise(double stddev, GaussianNoiseOptions options = {});
  static GaussianNoise from_config(const serialize::Config& config);
};

// --- GaussianDropout -----------------------------------------------------------
// keras.layers.GaussianDropout: training: x * noise, noise ~ N(1, rate / (1 - rate)),
// i.e. a standard deviation of sqrt(rate / (1 - rate)).
struct GaussianDropoutOptions {
  std::optional<std::int64_t> seed = std::nullopt;  // None: drawn from the global seed
  std::string name = "";
  bool trainable = true;
  DType dtype = backend::floatx_dtype();
  std::optional<Shape> input_shape = std::nullopt;
};

class GaussianDropoutImpl : public LayerImpl {
 public:
  GaussianDropoutImpl(double rate, GaussianDropoutOptions options);
  std::vector<graph::Value> call(const std::vector<graph::Value>& inputs,
                                 const graph::Value& training) override;
  serialize::Config get_config() const override;

 private:
  double rate_;
  GaussianDropoutOptions options_;
  // The seed its noise draws from: the given one, or one drawn from the
  // global generator when the layer is made (keras::utils::set_random_seed
  // fixes it, as Keras' SeedGenerator).
  std::int64_t seed_;
};

class GaussianDropout : public LayerHandle<GaussianDropoutImpl> {
 public:
  explicit GaussianDropout(double rate, GaussianDropoutOptions options = {});
  static GaussianDropout from_config(const serialize::Config& config);
};

}  // namespace keras::layers
