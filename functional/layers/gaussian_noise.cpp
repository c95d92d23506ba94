// GaussianNoise (keras/src/layers/regularization/gaussian_noise.py).
#include "config_args.hpp"
#include "keras/backend/function.hpp"
#include "keras/graph/ops.hpp"
#include "keras/layers/noise.hpp"

namespace keras::layers {

GaussianNoiseImpl::GaussianNoiseImpl(double stddev, GaussianNoiseOptions options)
    : LayerImpl("GaussianNoise", common_options(options)),
      stddev_(stddev),
      options_(std::move(options)),
      seed_(layers::draw_seed(options_.seed)) {
  // Keras builds it at construction (_build_at_init), so configs carry no build_config.
  mark_built();
  if (!(stddev_ >= 0.0 && stddev_ <= 1.0)) {
    throw Error(
        fmt::format("{}: invalid value received for argument `stddev`. Expected a float "
                    "value between 0 and 1. Received: stddev={}",
                    describe(), stddev_));
  }
}

std::vector<graph::Value> GaussianNoiseImpl::call(const std::vector<graph::Value>& inputs,
                                                  const graph::Value& training) {
  const graph::Value& x = inputs.at(0);
  if (stddev_ == 0.0) return {x};
  // The noise takes x's shape when the model runs, so an unknown batch is fine.
  const graph::Value noise = ops::random_normal_like(x, 0.0, stddev_, seed_);
  return {backend::in_train_phase(x + noise, x, training)};
}

serialize::Config GaussianNoiseImpl::get_config() const {
  serialize::Config config = LayerImpl::get_config();
  config["stddev"] = stddev_;
  config["seed"] = config_args::optional_to_config(options_.seed);
  return config;
}

GaussianNoise::GaussianNoise(double stddev, GaussianNoiseOptions options)
    : LayerHandle(std::make_shared<GaussianNoiseImpl>(stddev, std::move(options))) {}

GaussianNoise GaussianNoise::from_config(const serialize::Config& config) {
  GaussianNoiseOptions options = config_args::with_common(GaussianNoiseOptions{}, config);
  options.seed = config_args::optional_int(config, "seed");
  return GaussianNoise(config.at("stddev").as_number(), std::move(options));
}

}  // namespace keras::layers
