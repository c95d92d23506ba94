// Reshape (keras/src/layers/reshaping/reshape.py).
#include <algorithm>

#include "config_args.hpp"
#include "keras/graph/ops.hpp"
#include "keras/layers/core.hpp"

namespace keras::layers {

ReshapeImpl::ReshapeImpl(std::vector<std::int64_t> target_shape, const LayerOptions& options)
    : LayerImpl("Reshape", options), target_shape_(std::move(target_shape)) {
  if (std::count(target_shape_.begin(), target_shape_.end(), -1) > 1) {
    throw Error(
        fmt::format("{}: the `target_shape` argument must not contain more than one "
                    "`-1` value. Received: target_shape={}",
                    describe(), config_args::tuple_string(target_shape_)));
  }
  for (std::int64_t d : target_shape_) {
    if (d < -1) {
      throw Error(
          fmt::format("{}: the `target_shape` argument holds sizes >= 0 and at most "
                      "one -1. Received: target_shape={}",
                      describe(), config_args::tuple_string(target_shape_)));
    }
  }
}

std::vector<graph::Value> ReshapeImpl::call(const std::vector<graph::Value>& inputs,
                                            const graph::Value&) {
  const graph::Value& x = inputs.at(0);
  const Shape& shape = x.shape();
  std::vector<std::int64_t> target = target_shape_;
  const auto inferred = std::find(target.begin(), target.end(), -1);
  const std::vector<std::int64_t> sample(shape.dims().begin() + 1, shape.dims().end());
  if (Shape(sample).is_fully_known()) {
    // Resolve the -1 here so that the batch, even unknown, is the op's only
    // size left to infer; a wrong element count fails now, not at run time.
    const std::int64_t count = Shape(sample).num_elements();
    std::int64_t known_product = 1;
    for (std::int64_t d : target) {
      if (d != -1) known_product *= d;
    }
    const bool fits = inferred != target.end() ? known_product != 0 && count % known_product == 0
                                               : known_product == count;
    if (!fits) {
      throw Error(fmt::format(
          "{} cannot reshape {} with target_shape={}: the total size of "
          "the tensor must be unchanged, and a sample holds {} values; "
          "pick a target_shape whose sizes multiply to {}",
          describe(), shape.to_string(), config_args::tuple_string(target_shape_), count, count));
    }
    if (inferred != target.end()) *inferred = count / known_product;
  } else if (inferred != target.end() && !shape.is_known(0)) {
    throw Error(
        fmt::format("{} cannot infer the -1 of target_shape={} from {}: with the "
                    "batch unknown, the other input axes must be known",
                    describe(), config_args::tuple_string(target_shape_), shape.to_string()));
  }
  std::vector<std::int64_t> new_shape = {shape.dim(0)};
  new_shape.insert(new_shape.end(), target.begin(), target.end());
  return {ops::reshape(x, std::move(new_shape))};
}

serialize::Config ReshapeImpl::get_config() const {
  serialize::Config config = LayerImpl::get_config();
  config["target_shape"] = serialize::Config::ints(target_shape_);
  return config;
}

Reshape::Reshape(std::vector<std::int64_t> target_shape, LayerOptions options)
    : LayerHandle(std::make_shared<ReshapeImpl>(std::move(target_shape), options)) {}

Reshape Reshape::from_config(const serialize::Config& config) {
  return Reshape(config.at("target_shape").as_ints(), options_from_config(config));
}

}  // namespace keras::layers
