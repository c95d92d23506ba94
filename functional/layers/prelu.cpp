// PReLU (keras/src/layers/activations/prelu.py).
#include <algorithm>

#include "config_args.hpp"
#include "keras/graph/ops.hpp"
#include "keras/layers/activation_layers.hpp"

namespace keras::layers {

PReLUImpl::PReLUImpl(PReLUOptions options)
    : LayerImpl("PReLU", common_options(options)), options_(std::move(options)) {
  for (std::int64_t axis : options_.shared_axes) {
    if (axis < 1) {
      throw Error(
          fmt::format("{}: shared_axes counts the non-batch axes from 1, as Keras does; "
                      "received shared_axes={}",
                      describe(), config_args::tuple_string(options_.shared_axes)));
    }
  }
  options_.alpha_initializer = options_.alpha_initializer.resolve();
  options_.alpha_regularizer = options_.alpha_regularizer.resolve();
  options_.alpha_constraint = options_.alpha_constraint.resolve();
}

void PReLUImpl::build(const std::vector<Shape>& input_shapes) {
  const Shape& shape = input_shapes.at(0);
  const std::int64_t rank = shape.rank();
  // alpha: the input's shape without the batch, 1 along the shared axes.
  std::vector<std::int64_t> alpha_shape(shape.dims().begin() + 1, shape.dims().end());
  for (std::int64_t axis : options_.shared_axes) {
    if (axis >= rank) {
      throw Error(
          fmt::format("{} shares axis {} but its input {} has axes 1 to {} after the "
                      "batch; received shared_axes={}",
                      describe(), axis, shape.to_string(), rank - 1,
                      config_args::tuple_string(options_.shared_axes)));
    }
    alpha_shape[static_cast<std::size_t>(axis - 1)] = 1;
  }
  if (!Shape(alpha_shape).is_fully_known()) {
    throw Error(
        fmt::format("{} needs every non-batch axis of its input that it does not share "
                    "to be known, got {}; give the Input those sizes or share the "
                    "unknown axes (shared_axes)",
                    describe(), shape.to_string()));
  }
  alpha_ = add_weight("alpha", Shape(alpha_shape), *options_.alpha_initializer.resolve(),
                      {.regularizer = options_.alpha_regularizer.resolve(),
                       .constraint = options_.alpha_constraint.resolve()});
  // Pin the axes alpha was built for (Keras pins them only with shared_axes;
  // without, a mismatch would fail in the broadcast with a vaguer message).
  InputSpec spec{.ndim = rank, .min_ndim = std::nullopt, .axes = {}};
  for (std::int64_t axis = 1; axis < rank; ++axis) {
    const auto& shared = options_.shared_axes;
    if (std::find(shared.begin(), shared.end(), axis) == shared.end()) {
      spec.axes.emplace_back(axis, shape.dim(axis));
    }
  }
  set_input_spec(std::move(spec));
}

std::vector<graph::Value> PReLUImpl::call(const std::vector<graph::Value>& inputs,
                                          const graph::Value&) {
  // relu(x) - alpha * relu(-x), as Keras computes it; alpha broadcasts over
  // the batch and the shared axes.
  const graph::Value& x = inputs.at(0);
  return {ops::relu(x) - ops::read(alpha()) * ops::relu(-x)};
}

const Variable& PReLUImpl::alpha() const {
  if (!alpha_) {
    throw Error(fmt::format("{} is not built yet: call it on a tensor first", describe()));
  }
  return *alpha_;
}

serialize::Config PReLUImpl::get_config() const {
  serialize::Config config = LayerImpl::get_config();
  config["alpha_initializer"] = initializers::serialize(options_.alpha_initializer.resolve());
  config["alpha_regularizer"] = regularizers::serialize(options_.alpha_regularizer.resolve());
  config["alpha_constraint"] = constraints::serialize(options_.alpha_constraint.resolve());
  config["shared_axes"] = options_.shared_axes.empty()
                              ? serialize::Config()
                              : serialize::Config::ints(options_.shared_axes);
  return config;
}

PReLU::PReLU(PReLUOptions options) : LayerHandle(std::make_shared<PReLUImpl>(std::move(options))) {}

PReLU PReLU::from_config(const serialize::Config& config) {
  PReLUOptions options = config_args::with_common(PReLUOptions{}, config);
  if (config_args::has_value(config, "alpha_initializer")) {
    options.alpha_initializer = initializers::from_config(config.at("alpha_initializer"));
  }
  options.alpha_regularizer = config_args::regularizer_or_none(config, "alpha_regularizer");
  options.alpha_constraint = config_args::constraint_or_none(config, "alpha_constraint");
  options.shared_axes = config_args::ints_or_empty(config, "shared_axes");
  return PReLU(std::move(options));
}

}  // namespace keras::layers
