#pragma once
// Keras' core and reshaping layers: Activation and Dropout (their own
// headers, included here), Flatten, Reshape, Permute and RepeatVector. The
// shapes below are Keras', batch first; none of these layers has weights.
//
//   auto flat = keras::layers::Flatten()(images);                 // (None, 28, 28, 1) -> (None,
//   784) auto grid = keras::layers::Reshape({-1, 4})(flat);            // (None, 196, 4)
#include <cstdint>
#include <string>
#include <vector>

#include "keras/layers/activation.hpp"
#include "keras/layers/dropout.hpp"
#include "keras/layers/layer.hpp"

namespace keras::layers {

// --- Flatten -------------------------------------------------------------------
// keras.layers.Flatten: (batch, d1, ..., dn) -> (batch, d1 * ... * dn);
// (batch,) -> (batch, 1). "channels_first" moves axis 1 last before
// flattening, so the result is laid out as a channels_last input would be.
struct FlattenOptions {
  // "channels_last" or "channels_first"; keras.json's image_data_format unless given.
  std::string data_format = backend::image_data_format();
  std::string name = "";
  bool trainable = true;
  DType dtype = backend::floatx_dtype();
  std::optional<Shape> input_shape = std::nullopt;
};

class FlattenImpl : public LayerImpl {
 public:
  explicit FlattenImpl(FlattenOptions options);
  std::vector<graph::Value> call(const std::vector<graph::Value>& inputs,
                                 const graph::Value& training) override;
  serialize::Config get_config() const override;

 private:
  FlattenOptions options_;
};

class Flatten : public LayerHandle<FlattenImpl> {
 public:
  explicit Flatten(FlattenOptions options = {});
  // The layer a Keras config describes (Keras' Flatten.from_config).
  static Flatten from_config(const serialize::Config& config);
};

// --- Reshape -------------------------------------------------------------------
// keras.layers.Reshape: (batch, ...) -> (batch, *target_shape). target_shape
// leaves out the batch; one entry may be -1, inferred from the element count.
//
//   keras::layers::Reshape({3, 4})(x);   // (None, 12) -> (None, 3, 4)
class ReshapeImpl : public LayerImpl {
 public:
  ReshapeImpl(std::vector<std::int64_t> target_shape, const LayerOptions& options);
  std::vector<graph::Value> call(const std::vector<graph::Value>& inputs,
                                 const graph::Value& training) override;
  serialize::Config get_config() const override;

  const std::vector<std::int64_t>& target_shape() const { return target_shape_; }

 private:
  std::vector<std::int64_t> target_shape_;
};

class Reshape : public LayerHandle<ReshapeImpl> {
 public:
  explicit Reshape(std::vector<std::int64_t> target_shape, LayerOptions options = {});
  static Reshape from_config(const serialize::Config& config);
};

// --- Permute -------------------------------------------------------------------
// keras.layers.Permute: reorders the non-batch axes; dims counts them from 1,
// as Keras does.
//
//   keras::layers::Permute({2, 1})(x);   // (None, 10, 64) -> (None, 64, 10)
class PermuteImpl : public LayerImpl {
 public:
  PermuteImpl(std::vector<std::int64_t> dims, const LayerOptions& options);
  std::vector<graph::Value> call(const std::vector<graph::Value>& inputs,
                                 const graph::Value& training) override;
  serialize::Config get_config() const override;

  const std::vector<std::int64_t>& dims() const { return dims_; }

 private:
  std::vector<std::int64_t> dims_;
};

class Permute : public LayerHandle<PermuteImpl> {
 public:
  explicit Permute(std::vector<std::int64_t> dims, LayerOptions options = {});
  static Permute from_config(const serialize::Config& config);
};

// --- RepeatVector --------------------------------------------------------------
// keras.layers.RepeatVector: (batch, features) -> (batch, n, features).
//
//   keras::layers::RepeatVector(3)(x);   // (None, 32) -> (None, 3, 32)
class RepeatVectorImpl : public LayerImpl {
 public:
  RepeatVectorImpl(std::int64_t n, const LayerOptions& options);
  std::vector<graph::Value> call(const std::vector<graph::Value>& inputs,
                                 const graph::Value& training) override;
  serialize::Config get_config() const override;

  std::int64_t n() const { return n_; }

 private:
  std::int64_t n_;
};

class RepeatVector : public LayerHandle<RepeatVectorImpl> {
 public:
  explicit RepeatVector(std::int64_t n, LayerOptions options = {});
  static RepeatVector from_config(const serialize::Config& config);
};

}  // namespace keras::layers
