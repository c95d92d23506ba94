// GaussianDropout (keras/src/layers/regularization/gaussian_dropout.py).
#include <cmath>

#include "config_args.hpp"
#include "keras/backend/function.hpp"
#include "keras/graph/ops.hpp"
#include "keras/layers/noise.hpp"

namespace keras::layers {

GaussianDropoutImpl::GaussianDropoutImpl(double rate, GaussianDropoutOptions options)
    : LayerImpl("GaussianDropout", common_options(options)),
      rate_(rate),
      options_(std::move(options)),
      seed_(layers::draw_seed(options_.seed)) {
  // Keras builds it at construction (_build_at_init), so configs carry no build_config.
  mark_built();
  if (!(rate_ >= 0.0 && rate_ <= 1.0)) {
    throw Error(
        fmt::format("{}: invalid value received for argument `rate`. Expected a float "
                    "value between 0 and 1. Received: rate={}",
                    describe(), rate_));
  }
  // Keras accepts rate 1 and then divides by zero in its first training
  // step; the noise's standard deviation sqrt(rate / (1 - rate)) is infinite.
  if (rate_ == 1.0) {
    throw Error(
        fmt::format("{}: rate=1 gives the noise an infinite standard deviation "
                    "(sqrt(rate / (1 - rate))); use a rate below 1",
                    describe()));
  }
}

std::vector<graph::Value> GaussianDropoutImpl::call(const std::vector<graph::Value>& inputs,
                                                    const graph::Value& training) {
  const graph::Value& x = inputs.at(0);
  if (rate_ == 0.0) return {x};
  const double stddev = std::sqrt(rate_ / (1.0 - rate_));
  // The noise takes x's shape when the model runs, so an unknown batch is fine.
  const graph::Value noise = ops::random_normal_like(x, 1.0, stddev, seed_);
  return {backend::in_train_phase(x * noise, x, training)};
}

serialize::Config GaussianDropoutImpl::get_config() const {
  serialize::Config config = LayerImpl::get_config();
  config["rate"] = rate_;
  config["seed"] = config_args::optional_to_config(options_.seed);
  return config;
}

GaussianDropout::GaussianDropout(double rate, GaussianDropoutOptions options)
    : LayerHandle(std::make_shared<GaussianDropoutImpl>(rate, std::move(options))) {}

GaussianDropout GaussianDropout::from_config(const serialize::Config& config) {
  GaussianDropoutOptions options = config_args::with_common(GaussianDropoutOptions{}, config);
  options.seed = config_args::optional_int(config, "seed");
  return GaussianDropout(config.at("rate").as_number(), std::move(options));
}

}  // namespace keras::layers
