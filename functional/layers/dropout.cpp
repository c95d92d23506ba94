#include "keras/layers/dropout.hpp"

#include "keras/backend/function.hpp"
#include "keras/graph/ops.hpp"

namespace keras::layers {

DropoutImpl::DropoutImpl(double rate, DropoutOptions options)
    : LayerImpl("Dropout", common_options(options)),
      rate_(rate),
      options_(std::move(options)),
      seed_(layers::draw_seed(options_.seed)) {
  // Keras builds it at construction (_build_at_init), so configs carry no build_config.
  mark_built();
  if (!(rate_ >= 0.0 && rate_ <= 1.0)) {
    throw Error(
        fmt::format("Dropout: rate must be a float in the range [0, 1], received "
                    "rate={}",
                    rate_));
  }
}

std::vector<graph::Value> DropoutImpl::call(const std::vector<graph::Value>& inputs,
                                            const graph::Value& training) {
  const graph::Value& x = inputs.at(0);
  // rate 1 drops everything (Keras returns zeros); rate 0 is the identity.
  if (rate_ == 0.0) return {x};
  const graph::Value dropped = rate_ >= 1.0
                                   ? ops::zeros_like(x)
                                   : ops::dropout(x, rate_, seed_, options_.noise_shape).output;
  return {backend::in_train_phase(dropped, x, training)};
}

serialize::Config DropoutImpl::get_config() const {
  serialize::Config config = LayerImpl::get_config();
  config["rate"] = rate_;
  config["seed"] = options_.seed ? serialize::Config(*options_.seed) : serialize::Config();
  if (options_.noise_shape.empty()) {
    config["noise_shape"] = nullptr;
  } else {
    serialize::Config shape = serialize::Config::list();
    for (std::int64_t d : options_.noise_shape) {
      shape.push_back(d < 0 ? serialize::Config() : serialize::Config(d));
    }
    config["noise_shape"] = shape;
  }
  return config;
}

Dropout::Dropout(double rate, DropoutOptions options)
    : LayerHandle(std::make_shared<DropoutImpl>(rate, std::move(options))) {}

}  // namespace keras::layers
