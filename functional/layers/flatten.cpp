// Flatten (keras/src/layers/reshaping/flatten.py).
#include "config_args.hpp"
#include "keras/graph/ops.hpp"
#include "keras/layers/core.hpp"

namespace keras::layers {

FlattenImpl::FlattenImpl(FlattenOptions options)
    : LayerImpl("Flatten", common_options(options)), options_(std::move(options)) {
  if (options_.data_format != "channels_last" && options_.data_format != "channels_first") {
    throw Error(fmt::format(
        "{}: the `data_format` argument must be one of 'channels_first', 'channels_last'. "
        "Received: data_format={}",
        describe(), options_.data_format));
  }
  set_input_spec({.ndim = std::nullopt, .min_ndim = 1, .axes = {}});
}

std::vector<graph::Value> FlattenImpl::call(const std::vector<graph::Value>& inputs,
                                            const graph::Value&) {
  graph::Value x = inputs.at(0);
  const Shape shape = x.shape();
  const std::int64_t rank = shape.rank();
  if (options_.data_format == "channels_first" && rank > 2) {
    // (batch, c, d1, ..., dn) -> (batch, d1, ..., dn, c): flatten in
    // channels_last order, as Keras does.
    std::vector<std::int64_t> axes = {0};
    for (std::int64_t a = 2; a < rank; ++a) axes.push_back(a);
    axes.push_back(1);
    x = ops::transpose(x, axes);
  }
  // (batch,) flattens to (batch, 1).
  std::int64_t flat = 1;
  bool flat_known = true;
  for (std::int64_t a = 1; a < rank; ++a) {
    if (shape.is_known(a)) {
      flat *= shape.dim(a);
    } else {
      flat_known = false;
    }
  }
  const std::int64_t batch = shape.dim(0);
  if (!flat_known && batch == Shape::kUnknown) {
    // The reshape op infers one size only; Keras reads both from the tensor.
    throw Error(
        fmt::format("{} cannot flatten {}: with the batch unknown, every other axis "
                    "must be known; give the Input those sizes",
                    describe(), shape.to_string()));
  }
  return {ops::reshape(x, {batch, flat_known ? flat : Shape::kUnknown})};
}

serialize::Config FlattenImpl::get_config() const {
  serialize::Config config = LayerImpl::get_config();
  config["data_format"] = options_.data_format;
  return config;
}

Flatten::Flatten(FlattenOptions options)
    : LayerHandle(std::make_shared<FlattenImpl>(std::move(options))) {}

Flatten Flatten::from_config(const serialize::Config& config) {
  FlattenOptions options = config_args::with_common(FlattenOptions{}, config);
  // Keras 2 wrote null for "use the image data format": backend::image_data_format(),
  // FlattenOptions' default.
  if (config_args::has_value(config, "data_format")) {
    options.data_format = config.at("data_format").as_string();
  }
  return Flatten(std::move(options));
}

}  // namespace keras::layers
