#include "keras/layers/activation.hpp"

#include "keras/activations.hpp"

namespace keras::layers {

ActivationImpl::ActivationImpl(std::string activation, const LayerOptions& options)
    : LayerImpl("Activation", options), activation_(activations::canonical_name(activation)) {
  // Keras builds it at construction (_build_at_init), so configs carry no build_config.
  mark_built();
}

std::vector<graph::Value> ActivationImpl::call(const std::vector<graph::Value>& inputs,
                                               const graph::Value&) {
  return {activations::get(activation_)(inputs.at(0))};
}

serialize::Config ActivationImpl::get_config() const {
  serialize::Config config = LayerImpl::get_config();
  config["activation"] = activation_;
  return config;
}

Activation::Activation(std::string activation, LayerOptions options)
    : LayerHandle(std::make_shared<ActivationImpl>(std::move(activation), options)) {}

}  // namespace keras::layers
