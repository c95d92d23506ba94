#pragma once
// keras::models::Sequential: a plain stack of layers (keras.Sequential),
// usable wherever a Model is.
//
//   keras::models::Sequential model;
//   model.add(keras::layers::Input({784}));
//   model.add(keras::layers::Dense(800, {.activation = "relu"}));
//   model.add(keras::layers::Dense(10, {.activation = "softmax"}));
//   model.pop();  // drops the last Dense
#include "keras/models/model.hpp"

namespace keras::models {

class SequentialImpl : public FunctionalImpl {
 public:
  explicit SequentialImpl(std::string name);
  void add(const layers::Layer& layer);
  void add_input(const KerasTensor& input);
  void pop();
  // Every added layer, built or not (Keras' Sequential.layers).
  std::vector<std::shared_ptr<layers::LayerImpl>> sublayers() const override;
  // Called as a layer before it has an input: builds on the call's shape.
  void build(const std::vector<Shape>& input_shapes) override;
  bool has_input() const { return input_.valid(); }
  // Keras 3's Sequential config: name, trainable, dtype, the layers (an
  // InputLayer first when the model has an input) and build_input_shape.
  serialize::Config get_config() const override;
  std::optional<serialize::Config> get_build_config() const override;

 protected:
  void ensure_built(const std::vector<Tensor>& x) override;

 private:
  void link();

  KerasTensor input_;
  std::vector<layers::Layer> stack_;
  std::vector<KerasTensor> outputs_;  // one per layer of the stack, once linked
};

class Sequential : public Model {
 public:
  explicit Sequential(std::vector<layers::Layer> layers = {}, std::string name = "");
  // Appends a layer. The first may carry its input shape ({.input_shape} or
  // Dense's {.input_dim}); otherwise add an Input first, or the model is
  // built on the first data it sees.
  void add(const layers::Layer& layer) const;
  // Sets the model's input (keras.Input) before any layer.
  void add(const KerasTensor& input) const;
  // Removes the last layer; a keras::Error when there is none.
  void pop() const;
  // Revives a Sequential from its get_config() (new layers, new weights).
  static Sequential from_config(const serialize::Config& config);

 private:
  SequentialImpl& sequential() const;
};

}  // namespace keras::models
