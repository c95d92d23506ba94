// Softmax (keras/src/layers/activations/softmax.py).
#include "config_args.hpp"
#include "keras/graph/ops.hpp"
#include "keras/layers/activation_layers.hpp"

namespace keras::layers {

SoftmaxImpl::SoftmaxImpl(std::vector<std::int64_t> axes, bool axis_is_list,
                         const LayerOptions& options)
    : LayerImpl("Softmax", options), axes_(std::move(axes)), axis_is_list_(axis_is_list) {
  // Keras builds it at construction (_build_at_init), so configs carry no build_config.
  mark_built();
  if (axes_.empty()) {
    throw Error(
        fmt::format("{}: axis must be an integer or a non-empty list of integers; "
                    "received an empty list",
                    describe()));
  }
}

std::vector<graph::Value> SoftmaxImpl::call(const std::vector<graph::Value>& inputs,
                                            const graph::Value&) {
  const graph::Value& x = inputs.at(0);
  if (axes_.size() == 1) return {ops::softmax(x, axes_[0])};
  // Jointly over several axes: exp(x - m) / sum(exp(x - m)) with m the max
  // over those axes (Keras writes exp(x - logsumexp(x)), the same function).
  // m only keeps exp finite; its gradient cancels, so it is not followed.
  const graph::Value shift = ops::stop_gradient(ops::max(x, axes_, true));
  const graph::Value e = ops::exp(x - shift);
  return {e / ops::sum(e, axes_, true)};
}

serialize::Config SoftmaxImpl::get_config() const {
  serialize::Config config = LayerImpl::get_config();
  config["axis"] = axis_is_list_ ? serialize::Config::ints(axes_) : serialize::Config(axes_[0]);
  return config;
}

Softmax::Softmax(std::int64_t axis, LayerOptions options)
    : LayerHandle(std::make_shared<SoftmaxImpl>(std::vector<std::int64_t>{axis}, false, options)) {}

Softmax::Softmax(std::vector<std::int64_t> axes, LayerOptions options)
    : LayerHandle(std::make_shared<SoftmaxImpl>(std::move(axes), true, options)) {}

Softmax Softmax::from_config(const serialize::Config& config) {
  const LayerOptions options = options_from_config(config);
  if (config_args::has_value(config, "axis") && config.at("axis").is_list()) {
    return Softmax(config.at("axis").as_ints(), options);
  }
  return Softmax(config_args::has_value(config, "axis") ? config.at("axis").as_int() : -1, options);
}

}  // namespace keras::layers
