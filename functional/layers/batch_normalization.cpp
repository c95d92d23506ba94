// keras.layers.BatchNormalization
// (keras/src/layers/normalization/batch_normalization.py).
#include "keras/layers/batch_normalization.hpp"

#include <cmath>

#include "config_args.hpp"
#include "keras/backend/function.hpp"
#include "keras/graph/ops.hpp"
#include "keras/layers/call_effects.hpp"
#include "keras/layers/registry.hpp"

namespace keras::layers {

namespace {

// Keras computes in the input's dtype (ops.cast(self.moving_mean, inputs.dtype)).
graph::Value as_dtype(const graph::Value& x, DType dtype) {
  return x.dtype() == dtype ? x : ops::cast(x, dtype);
}

}  // namespace

BatchNormalizationImpl::BatchNormalizationImpl(BatchNormalizationOptions options)
    : LayerImpl("BatchNormalization", common_options(options)), options_(std::move(options)) {
  if (options_.synchronized) {
    throw Error(
        "BatchNormalization: synchronized=true is only supported with the TensorFlow backend "
        "in Keras; keras-cpp computes the statistics of each batch where it runs: pass "
        "synchronized=false");
  }
  if (!std::isfinite(options_.momentum)) {
    throw Error(
        fmt::format("BatchNormalization: momentum must be a finite number, received "
                    "momentum={}",
                    options_.momentum));
  }
  // Unknown initializer names fail here, as initializers.get does in Keras' constructor.
  for (initializers::InitializerArg* init :
       {&options_.beta_initializer, &options_.gamma_initializer, &options_.moving_mean_initializer,
        &options_.moving_variance_initializer}) {
    *init = init->resolve();
  }
  options_.beta_regularizer = options_.beta_regularizer.resolve();
  options_.gamma_regularizer = options_.gamma_regularizer.resolve();
  options_.beta_constraint = options_.beta_constraint.resolve();
  options_.gamma_constraint = options_.gamma_constraint.resolve();
  // The ops divide by sqrt(variance + epsilon): a negative epsilon gives NaN.
  if (!(options_.epsilon >= 0.0) || !std::isfinite(options_.epsilon)) {
    throw Error(
        fmt::format("BatchNormalization: epsilon must be a finite number >= 0, received "
                    "epsilon={}",
                    options_.epsilon));
  }
}

void BatchNormalizationImpl::build(const std::vector<Shape>& input_shapes) {
  const Shape& shape = input_shapes.at(0);
  const std::int64_t rank = shape.rank();
  if (options_.axis < -rank || options_.axis >= rank) {
    throw Error(fmt::format(
        "{} normalizes along axis {}, which is out of range for its input {} of rank {}; "
        "use an axis from {} to {} (the channels)",
        describe(), options_.axis, shape.to_string(), rank, -rank, rank - 1));
  }
  channel_axis_ = options_.axis < 0 ? options_.axis + rank : options_.axis;
  const std::int64_t channels = shape.dim(channel_axis_);
  if (channels == Shape::kUnknown) {
    throw Error(
        fmt::format("{} needs the size of axis {} (the channels) of its input to be known, got {}; "
                    "give that axis a size, or normalize along another axis",
                    describe(), options_.axis, shape.to_string()));
  }
  const Shape weight_shape{channels};
  if (options_.scale) {
    gamma_ = add_weight("gamma", weight_shape, *options_.gamma_initializer.resolve(),
                        {.regularizer = options_.gamma_regularizer.resolve(),
                         .constraint = options_.gamma_constraint.resolve()});
  }
  if (options_.center) {
    beta_ = add_weight("beta", weight_shape, *options_.beta_initializer.resolve(),
                       {.regularizer = options_.beta_regularizer.resolve(),
                        .constraint = options_.beta_constraint.resolve()});
  }
  moving_mean_ = add_weight("moving_mean", weight_shape,
                            *options_.moving_mean_initializer.resolve(), {.trainable = false});
  moving_variance_ =
      add_weight("moving_variance", weight_shape, *options_.moving_variance_initializer.resolve(),
                 {.trainable = false});
  set_input_spec({.ndim = rank, .min_ndim = std::nullopt, .axes = {{channel_axis_, channels}}});
}

std::vector<graph::Value> BatchNormalizationImpl::call(const std::vector<graph::Value>& inputs,
                                                       const graph::Value& training) {
  const graph::Value& x = inputs.at(0);
  const DType dtype = x.dtype();
  const graph::Value mean = as_dtype(ops::read(moving_mean()), dtype);          // (channels,)
  const graph::Value variance = as_dtype(ops::read(moving_variance()), dtype);  // (channels,)
  // Without scale or center the op gets gamma = 1 or beta = 0.
  const graph::Value gamma = gamma_ ? as_dtype(ops::read(*gamma_), dtype) : ops::ones_like(mean);
  const graph::Value beta = beta_ ? as_dtype(ops::read(*beta_), dtype) : ops::zeros_like(mean);
  const graph::Value inference =
      ops::batch_norm_inference(x, mean, variance, gamma, beta, channel_axis_, options_.epsilon);
  // Keras' `if training and self.trainable`: a frozen layer is in inference
  // mode in both phases and leaves its moving statistics alone.
  if (!trainable()) return {inference};
  const ops::BatchNormTraining batch =
      ops::batch_norm_training(x, gamma, beta, channel_axis_, options_.epsilon);
  add_moving_update(moving_mean(), mean, batch.mean, training);
  add_moving_update(moving_variance(), variance, batch.variance, training);
  return {backend::in_train_phase(batch.output, inference, training)};
}

void BatchNormalizationImpl::add_moving_update(const Variable& moving, const graph::Value& current,
                                               const graph::Value& batch_stat,
                                               const graph::Value& training) const {
  // Keras' order of operations: moving * momentum + stat * (1 - momentum).
  const graph::Value updated = current * options_.momentum + batch_stat * (1.0 - options_.momentum);
  // `current` is the variable's read in the input's dtype; the update is
  // stored in the variable's.
  add_update(moving, as_dtype(backend::in_train_phase(updated, current, training), moving.dtype()));
}

const Variable& BatchNormalizationImpl::moving_mean() const {
  if (!moving_mean_) {
    throw Error(fmt::format("{} is not built yet: call it on a tensor first", describe()));
  }
  return *moving_mean_;
}

const Variable& BatchNormalizationImpl::moving_variance() const {
  if (!moving_variance_) {
    throw Error(fmt::format("{} is not built yet: call it on a tensor first", describe()));
  }
  return *moving_variance_;
}

serialize::Config BatchNormalizationImpl::get_config() const {
  serialize::Config config = LayerImpl::get_config();
  config["axis"] = options_.axis;
  config["momentum"] = options_.momentum;
  config["epsilon"] = options_.epsilon;
  config["center"] = options_.center;
  config["scale"] = options_.scale;
  config["beta_initializer"] = initializers::serialize(options_.beta_initializer.resolve());
  config["gamma_initializer"] = initializers::serialize(options_.gamma_initializer.resolve());
  config["moving_mean_initializer"] =
      initializers::serialize(options_.moving_mean_initializer.resolve());
  config["moving_variance_initializer"] =
      initializers::serialize(options_.moving_variance_initializer.resolve());
  config["beta_regularizer"] = regularizers::serialize(options_.beta_regularizer.resolve());
  config["gamma_regularizer"] = regularizers::serialize(options_.gamma_regularizer.resolve());
  config["beta_constraint"] = constraints::serialize(options_.beta_constraint.resolve());
  config["gamma_constraint"] = constraints::serialize(options_.gamma_constraint.resolve());
  config["synchronized"] = false;
  // Keras 3.15 added batch renormalization; it is off by default and not
  // offered here, so the config records Keras' defaults for it.
  config["renorm"] = false;
  config["renorm_clipping"] = nullptr;
  config["renorm_momentum"] = 0.99;
  return config;
}

BatchNormalization::BatchNormalization(BatchNormalizationOptions options)
    : LayerHandle(std::make_shared<BatchNormalizationImpl>(std::move(options))) {}

BatchNormalization BatchNormalization::from_config(const serialize::Config& config) {
  using serialize::Config;
  const LayerOptions common = options_from_config(config);
  const auto unsupported = [&](const std::string& what) {
    return Error(
        fmt::format("BatchNormalization config '{}' sets {}, which keras-cpp does not support yet",
                    common.name, what));
  };
  if (config_args::has_value(config, "renorm_clipping")) {
    throw unsupported(fmt::format("renorm_clipping={}", config.at("renorm_clipping").to_json()));
  }
  if (config.contains("renorm") && config.at("renorm").as_bool()) throw unsupported("renorm=true");

  BatchNormalizationOptions options;
  if (config.contains("axis")) {
    // tf.keras wrote the axis as a one-element list once built ([3]).
    const Config& axis = config.at("axis");
    if (axis.is_list()) {
      if (axis.size() != 1)
        throw unsupported(fmt::format("axis={} (several axes)", axis.to_json()));
      options.axis = axis.as_ints()[0];
    } else {
      options.axis = axis.as_int();
    }
  }
  if (config.contains("momentum")) options.momentum = config.at("momentum").as_number();
  if (config.contains("epsilon")) options.epsilon = config.at("epsilon").as_number();
  if (config.contains("center")) options.center = config.at("center").as_bool();
  if (config.contains("scale")) options.scale = config.at("scale").as_bool();
  const auto initializer = [&](const char* key, initializers::InitializerArg& target) {
    if (config.contains(key) && !config.at(key).is_null()) {
      target = initializers::from_config(config.at(key));
    }
  };
  initializer("beta_initializer", options.beta_initializer);
  initializer("gamma_initializer", options.gamma_initializer);
  initializer("moving_mean_initializer", options.moving_mean_initializer);
  initializer("moving_variance_initializer", options.moving_variance_initializer);
  options.beta_regularizer = config_args::regularizer_or_none(config, "beta_regularizer");
  options.gamma_regularizer = config_args::regularizer_or_none(config, "gamma_regularizer");
  options.beta_constraint = config_args::constraint_or_none(config, "beta_constraint");
  options.gamma_constraint = config_args::constraint_or_none(config, "gamma_constraint");
  if (config.contains("synchronized")) options.synchronized = config.at("synchronized").as_bool();
  options.name = common.name;
  options.trainable = common.trainable;
  options.dtype = common.dtype;
  return BatchNormalization(std::move(options));
}

}  // namespace keras::layers
