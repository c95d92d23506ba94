#include "keras/layers/dense.hpp"

#include "keras/activations.hpp"
#include "keras/graph/ops.hpp"

namespace keras::layers {

namespace {
LayerOptions dense_layer_options(const DenseOptions& options) {
  LayerOptions common = common_options(options);
  if (options.input_dim) common.input_shape = Shape{*options.input_dim};
  return common;
}
}  // namespace

DenseImpl::DenseImpl(std::int64_t units, DenseOptions options)
    : LayerImpl("Dense", dense_layer_options(options)),
      units_(units),
      options_(std::move(options)) {
  if (units_ <= 0) {
    throw Error(fmt::format("Dense: units must be a positive integer, got {}", units_));
  }
  options_.activation = activations::canonical_name(options_.activation);
  // Names resolve now, so that a bad one fails at construction, as in Keras.
  options_.kernel_initializer = options_.kernel_initializer.resolve();
  options_.bias_initializer = options_.bias_initializer.resolve();
  options_.kernel_regularizer = options_.kernel_regularizer.resolve();
  options_.bias_regularizer = options_.bias_regularizer.resolve();
  options_.kernel_constraint = options_.kernel_constraint.resolve();
  options_.bias_constraint = options_.bias_constraint.resolve();
  set_activity_regularizer(options_.activity_regularizer.resolve());
  set_input_spec({.ndim = std::nullopt, .min_ndim = 2, .axes = {}});
}

void DenseImpl::build(const std::vector<Shape>& input_shapes) {
  const Shape& shape = input_shapes.at(0);
  const std::int64_t input_dim = shape.dim(-1);
  if (input_dim == Shape::kUnknown) {
    throw Error(fmt::format("{} needs the last axis of its input to be known, got {}", describe(),
                            shape.to_string()));
  }
  kernel_ = add_weight("kernel", Shape{input_dim, units_}, *options_.kernel_initializer.resolve(),
                       {.regularizer = options_.kernel_regularizer.resolve(),
                        .constraint = options_.kernel_constraint.resolve()});
  if (options_.use_bias) {
    bias_ = add_weight("bias", Shape{units_}, *options_.bias_initializer.resolve(),
                       {.regularizer = options_.bias_regularizer.resolve(),
                        .constraint = options_.bias_constraint.resolve()});
  }
  set_input_spec({.ndim = std::nullopt, .min_ndim = 2, .axes = {{-1, input_dim}}});
}

std::vector<graph::Value> DenseImpl::call(const std::vector<graph::Value>& inputs,
                                          const graph::Value&) {
  graph::Value y = ops::matmul(inputs.at(0), ops::read(kernel()));
  if (bias_) y = y + ops::read(*bias_);
  return {activations::get(options_.activation)(y)};
}

const Variable& DenseImpl::kernel() const {
  if (!kernel_)
    throw Error(fmt::format("{} is not built yet: call it on a tensor first", describe()));
  return *kernel_;
}

serialize::Config DenseImpl::get_config() const {
  serialize::Config config = LayerImpl::get_config();
  config["units"] = units_;
  config["activation"] = options_.activation;
  config["use_bias"] = options_.use_bias;
  config["kernel_initializer"] = initializers::serialize(options_.kernel_initializer.resolve());
  config["bias_initializer"] = initializers::serialize(options_.bias_initializer.resolve());
  config["kernel_regularizer"] = regularizers::serialize(options_.kernel_regularizer.resolve());
  config["bias_regularizer"] = regularizers::serialize(options_.bias_regularizer.resolve());
  config["kernel_constraint"] = constraints::serialize(options_.kernel_constraint.resolve());
  config["bias_constraint"] = constraints::serialize(options_.bias_constraint.resolve());
  config["quantization_config"] = nullptr;
  return config;
}

Dense::Dense(std::int64_t units, DenseOptions options)
    : LayerHandle(std::make_shared<DenseImpl>(units, std::move(options))) {}

}  // namespace keras::layers
