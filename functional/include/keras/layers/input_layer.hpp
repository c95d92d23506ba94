#pragma once
// keras::layers::Input: the entry point of a functional model (keras.Input).
//
//   auto x = keras::layers::Input({28, 28, 1});              // (None, 28, 28, 1)
//   auto y = keras::layers::Input({10}, {.batch_size = 32}); // (32, 10)
#include <optional>

#include "keras/layers/layer.hpp"

namespace keras::layers {

struct InputOptions {
  std::optional<std::int64_t> batch_size = std::nullopt;  // unknown (None) unless given
  std::string name = "";
  DType dtype = backend::floatx_dtype();
};

class InputLayerImpl : public LayerImpl {
 public:
  // `batch_shape` includes the batch axis.
  InputLayerImpl(Shape batch_shape, DType dtype, std::string name);
  std::vector<graph::Value> call(const std::vector<graph::Value>& inputs,
                                 const graph::Value& training) override;
  serialize::Config get_config() const override;
  const Shape& batch_shape() const { return batch_shape_; }
  // Records the layer's only call; the returned tensor is the Input.
  KerasTensor make_tensor() { return record_source_call(batch_shape_, dtype()); }
  // The tensor this layer feeds. When nothing holds it any more (a layer
  // revived from a config, reached through a plain Layer handle), it is made
  // again: nothing can tell the two apart.
  KerasTensor tensor();

 private:
  Shape batch_shape_;
};

class InputLayer : public LayerHandle<InputLayerImpl> {
 public:
  InputLayer(Shape batch_shape, DType dtype = backend::floatx_dtype(), std::string name = "");
  // The tensor this layer feeds (it has exactly one).
  const KerasTensor& tensor() const { return tensor_; }

 private:
  KerasTensor tensor_;
};

// `shape` excludes the batch axis.
KerasTensor Input(const Shape& shape, InputOptions options = {});

}  // namespace keras::layers
