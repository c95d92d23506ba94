// ReLU and LeakyReLU (keras/src/layers/activations/relu.py, leaky_relu.py).
#include "config_args.hpp"
#include "keras/graph/ops.hpp"
#include "keras/layers/activation_layers.hpp"

namespace keras::layers {

namespace {

using graph::Value;

// keras.activations.relu with all its arguments, step by step as Keras 3's
// ReLU.static_call (keras/src/activations/activations.py), so the values
// match at the threshold and at max_value too.
Value keras_relu(const Value& x, double negative_slope, std::optional<double> max_value,
                 double threshold) {
  if (negative_slope != 0.0 && !max_value && threshold == 0.0) {
    return ops::leaky_relu(x, negative_slope);
  }
  // relu(threshold - x): how far below the threshold x is.
  Value below;
  if (negative_slope != 0.0) below = ops::relu(threshold != 0.0 ? threshold - x : -x);
  Value y;
  if (threshold != 0.0) {
    // x where x > threshold, else 0.
    y = x * ops::cast(ops::greater(x, ops::scalar_like(x, threshold)), x.dtype());
  } else {
    y = ops::relu(x);
  }
  if (max_value) y = ops::clip(y, 0.0, *max_value);
  if (negative_slope != 0.0) y = y - below * negative_slope;
  return y;
}

}  // namespace

// --- ReLU ----------------------------------------------------------------------

ReLUImpl::ReLUImpl(ReLUOptions options)
    : LayerImpl("ReLU", common_options(options)), options_(std::move(options)) {
  // Keras builds it at construction (_build_at_init), so configs carry no build_config.
  mark_built();
  if (options_.max_value && *options_.max_value < 0.0) {
    throw Error(fmt::format(
        "{}: max_value of a ReLU layer cannot be a negative value. Received: max_value={}",
        describe(), *options_.max_value));
  }
  if (options_.negative_slope < 0.0) {
    throw Error(
        fmt::format("{}: negative_slope of a ReLU layer cannot be a negative value. "
                    "Received: negative_slope={}",
                    describe(), options_.negative_slope));
  }
  if (options_.threshold < 0.0) {
    throw Error(fmt::format(
        "{}: threshold of a ReLU layer cannot be a negative value. Received: threshold={}",
        describe(), options_.threshold));
  }
}

std::vector<Value> ReLUImpl::call(const std::vector<Value>& inputs, const Value&) {
  return {
      keras_relu(inputs.at(0), options_.negative_slope, options_.max_value, options_.threshold)};
}

serialize::Config ReLUImpl::get_config() const {
  serialize::Config config = LayerImpl::get_config();
  config["max_value"] = config_args::optional_to_config(options_.max_value);
  config["negative_slope"] = options_.negative_slope;
  config["threshold"] = options_.threshold;
  return config;
}

ReLU::ReLU(ReLUOptions options) : LayerHandle(std::make_shared<ReLUImpl>(std::move(options))) {}

ReLU ReLU::from_config(const serialize::Config& config) {
  ReLUOptions options = config_args::with_common(ReLUOptions{}, config);
  options.max_value = config_args::optional_number(config, "max_value");
  options.negative_slope = config_args::number_or(config, "negative_slope", 0.0);
  options.threshold = config_args::number_or(config, "threshold", 0.0);
  return ReLU(std::move(options));
}

// --- LeakyReLU -----------------------------------------------------------------

LeakyReLUImpl::LeakyReLUImpl(double negative_slope, const LayerOptions& options)
    : LayerImpl("LeakyReLU", options), negative_slope_(negative_slope) {
  // Keras builds it at construction (_build_at_init), so configs carry no build_config.
  mark_built();
  if (negative_slope_ < 0.0) {
    throw Error(
        fmt::format("{}: the negative_slope value of a Leaky ReLU layer cannot be a "
                    "negative value. Expected a float. Received: negative_slope={}",
                    describe(), negative_slope_));
  }
}

std::vector<Value> LeakyReLUImpl::call(const std::vector<Value>& inputs, const Value&) {
  return {ops::leaky_relu(inputs.at(0), negative_slope_)};
}

serialize::Config LeakyReLUImpl::get_config() const {
  serialize::Config config = LayerImpl::get_config();
  config["negative_slope"] = negative_slope_;
  return config;
}

LeakyReLU::LeakyReLU(double negative_slope, LayerOptions options)
    : LayerHandle(std::make_shared<LeakyReLUImpl>(negative_slope, options)) {}

LeakyReLU LeakyReLU::from_config(const serialize::Config& config) {
  // Keras 2 (and Keras 3's deprecated keyword) call the slope "alpha".
  const double slope = config_args::has_value(config, "negative_slope")
                           ? config.at("negative_slope").as_number()
                           : config_args::number_or(config, "alpha", 0.3);
  return LeakyReLU(slope, options_from_config(config));
}

}  // namespace keras::layers
