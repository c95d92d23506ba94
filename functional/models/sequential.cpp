#include "keras/models/sequential.hpp"

#include "keras/layers/input_layer.hpp"
#include "keras/layers/registry.hpp"
#include "keras/serialize/shape_config.hpp"

namespace keras::models {

SequentialImpl::SequentialImpl(std::string name) : FunctionalImpl(std::move(name), "Sequential") {}

std::vector<std::shared_ptr<layers::LayerImpl>> SequentialImpl::sublayers() const {
  std::vector<std::shared_ptr<layers::LayerImpl>> out;
  for (const layers::Layer& layer : stack_) out.push_back(layer.ptr());
  return out;
}

void SequentialImpl::add_input(const KerasTensor& input) {
  if (input_.valid() || !stack_.empty()) {
    throw Error(
        fmt::format("Sequential '{}': an Input can only be added first, before any "
                    "layer",
                    name()));
  }
  input_ = input;
}

void SequentialImpl::add(const layers::Layer& layer) {
  if (dynamic_cast<const FunctionalImpl*>(&layer.impl()) == this) {
    throw Error(fmt::format("Sequential '{}' cannot be added to itself", name()));
  }
  if (dynamic_cast<layers::InputLayerImpl*>(&layer.impl()) != nullptr) {
    std::vector<KerasTensor> outputs = layer.get_outputs_at(0);
    add_input(outputs.at(0));
    return;
  }
  if (stack_.empty() && !input_.valid() && layer.impl().input_shape()) {
    input_ = layers::Input(*layer.impl().input_shape());
  }
  stack_.push_back(layer);
  if (input_.valid()) {
    // Call only the new layer: earlier ones keep their single call.
    const KerasTensor& previous = outputs_.empty() ? input_ : outputs_.back();
    outputs_.push_back(layer(previous));
    relink({input_}, {outputs_.back()}, false);
  }
}

void SequentialImpl::pop() {
  if (stack_.empty()) {
    throw Error(fmt::format("Sequential '{}' has no layers to pop", name()));
  }
  stack_.pop_back();
  if (outputs_.empty()) return;
  outputs_.pop_back();
  if (outputs_.empty()) {
    clear_links();
  } else {
    relink({input_}, {outputs_.back()}, false);
  }
}

void SequentialImpl::build(const std::vector<Shape>& input_shapes) {
  if (!outputs_.empty()) return;
  if (stack_.empty()) throw Error(fmt::format("Sequential '{}' has no layers", name()));
  if (!input_.valid()) {
    std::vector<std::int64_t> dims = input_shapes.at(0).dims();
    dims.erase(dims.begin());
    input_ = layers::Input(Shape(dims));
  }
  link();
}

void SequentialImpl::ensure_built(const std::vector<Tensor>& x) {
  if (outputs_.empty()) build({x.at(0).shape()});
}

void SequentialImpl::link() {
  outputs_.clear();
  KerasTensor current = input_;
  for (const layers::Layer& layer : stack_) {
    current = layer(current);
    outputs_.push_back(current);
  }
  relink({input_}, {current}, false);
}

Sequential::Sequential(std::vector<layers::Layer> layers, std::string name)
    : Model(std::make_shared<SequentialImpl>(std::move(name))) {
  for (const layers::Layer& layer : layers) add(layer);
}

serialize::Config SequentialImpl::get_config() const {
  serialize::Config config = LayerImpl::get_config();
  serialize::Config list = serialize::Config::list();
  if (input_.valid()) list.push_back(layers::serialize(layers::Layer(input_.history().layer)));
  for (const layers::Layer& layer : stack_) list.push_back(layers::serialize(layer));
  config["layers"] = list;
  if (input_.valid()) config["build_input_shape"] = get_build_config()->at("input_shape");
  return config;
}

std::optional<serialize::Config> SequentialImpl::get_build_config() const {
  if (!input_.valid()) return LayerImpl::get_build_config();
  serialize::Config config = serialize::Config::dict();
  config["input_shape"] = serialize::shape_to_config(input_.shape());
  return config;
}

Sequential Sequential::from_config(const serialize::Config& config) {
  Sequential model({}, config.contains("name") ? config.at("name").as_string() : "");
  for (const serialize::Config& entry : config.at("layers").as_list()) {
    model.add(layers::deserialize(entry));
  }
  if (!model.sequential().has_input() && config.contains("build_input_shape") &&
      !config.at("build_input_shape").is_null()) {
    model.sequential().build({serialize::shape_from_config(config.at("build_input_shape"))});
  }
  // Keras 3's Sequential.from_config leaves "trainable" to the layers' own configs.
  return model;
}

SequentialImpl& Sequential::sequential() const {
  return static_cast<SequentialImpl&>(impl());
}

void Sequential::add(const layers::Layer& layer) const {
  sequential().add(layer);
}

void Sequential::add(const KerasTensor& input) const {
  sequential().add_input(input);
}

void Sequential::pop() const {
  sequential().pop();
}

}  // namespace keras::models
