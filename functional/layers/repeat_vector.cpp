// RepeatVector (keras/src/layers/reshaping/repeat_vector.py).
#include "config_args.hpp"
#include "keras/graph/ops.hpp"
#include "keras/layers/core.hpp"

namespace keras::layers {

RepeatVectorImpl::RepeatVectorImpl(std::int64_t n, const LayerOptions& options)
    : LayerImpl("RepeatVector", options), n_(n) {
  // Keras accepts any integer and fails later for a negative one.
  if (n_ < 0) {
    throw Error(fmt::format("{}: n is the number of repetitions, an integer >= 0. Received: n={}",
                            describe(), n_));
  }
  set_input_spec({.ndim = 2, .min_ndim = std::nullopt, .axes = {}});
}

std::vector<graph::Value> RepeatVectorImpl::call(const std::vector<graph::Value>& inputs,
                                                 const graph::Value&) {
  // (batch, features) -> (batch, 1, features) -> (batch, n, features)
  const graph::Value row = ops::expand_dims(inputs.at(0), 1);
  return {ops::tile(row, {1, n_, 1})};
}

serialize::Config RepeatVectorImpl::get_config() const {
  serialize::Config config = LayerImpl::get_config();
  config["n"] = n_;
  return config;
}

RepeatVector::RepeatVector(std::int64_t n, LayerOptions options)
    : LayerHandle(std::make_shared<RepeatVectorImpl>(n, options)) {}

RepeatVector RepeatVector::from_config(const serialize::Config& config) {
  return RepeatVector(config.at("n").as_int(), options_from_config(config));
}

}  // namespace keras::layers
