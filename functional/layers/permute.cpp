// Permute (keras/src/layers/reshaping/permute.py).
#include <algorithm>
#include <numeric>

#include "config_args.hpp"
#include "keras/graph/ops.hpp"
#include "keras/layers/core.hpp"

namespace keras::layers {

PermuteImpl::PermuteImpl(std::vector<std::int64_t> dims, const LayerOptions& options)
    : LayerImpl("Permute", options), dims_(std::move(dims)) {
  std::vector<std::int64_t> sorted = dims_;
  std::sort(sorted.begin(), sorted.end());
  std::vector<std::int64_t> expected(dims_.size());
  std::iota(expected.begin(), expected.end(), 1);
  if (sorted != expected) {
    throw Error(
        fmt::format("{}: invalid permutation argument `dims` for Permute Layer. The set "
                    "of indices in `dims` must be consecutive and start from 1 (the "
                    "batch axis is 0 and stays first). Received dims={}",
                    describe(), config_args::tuple_string(dims_)));
  }
  set_input_spec(
      {.ndim = static_cast<std::int64_t>(dims_.size()) + 1, .min_ndim = std::nullopt, .axes = {}});
}

std::vector<graph::Value> PermuteImpl::call(const std::vector<graph::Value>& inputs,
                                            const graph::Value&) {
  // dims count the non-batch axes from 1, so they are already the input's
  // axis numbers: (0, *dims).
  std::vector<std::int64_t> axes = {0};
  axes.insert(axes.end(), dims_.begin(), dims_.end());
  return {ops::transpose(inputs.at(0), std::move(axes))};
}

serialize::Config PermuteImpl::get_config() const {
  serialize::Config config = LayerImpl::get_config();
  config["dims"] = serialize::Config::ints(dims_);
  return config;
}

Permute::Permute(std::vector<std::int64_t> dims, LayerOptions options)
    : LayerHandle(std::make_shared<PermuteImpl>(std::move(dims), options)) {}

Permute Permute::from_config(const serialize::Config& config) {
  return Permute(config.at("dims").as_ints(), options_from_config(config));
}

}  // namespace keras::layers
