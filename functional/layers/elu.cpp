// ELU (keras/src/layers/activations/elu.py).
#include "config_args.hpp"
#include "keras/graph/ops.hpp"
#include "keras/layers/activation_layers.hpp"

namespace keras::layers {

ELUImpl::ELUImpl(double alpha, const LayerOptions& options)
    : LayerImpl("ELU", options), alpha_(alpha) {
  // Keras builds it at construction (_build_at_init), so configs carry no build_config.
  mark_built();
}

std::vector<graph::Value> ELUImpl::call(const std::vector<graph::Value>& inputs,
                                        const graph::Value&) {
  return {ops::elu(inputs.at(0), alpha_)};
}

serialize::Config ELUImpl::get_config() const {
  // Keras 3's ELU writes no get_config of its own: the automatic config of
  // keras.Operation lists the constructor's arguments right after the name,
  // so "alpha" comes before "trainable" and "dtype".
  const serialize::Config base = LayerImpl::get_config();
  serialize::Config config = serialize::Config::dict();
  config["name"] = base.at("name");
  config["alpha"] = alpha_;
  for (const auto& [key, value] : base.as_dict()) {
    if (key != "name") config[key] = value;
  }
  return config;
}

ELU::ELU(double alpha, LayerOptions options)
    : LayerHandle(std::make_shared<ELUImpl>(alpha, options)) {}

ELU ELU::from_config(const serialize::Config& config) {
  return ELU(config_args::number_or(config, "alpha", 1.0), options_from_config(config));
}

}  // namespace keras::layers
