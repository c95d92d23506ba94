// ActivityRegularization
// (keras/src/layers/regularization/activity_regularization.py).
#include "keras/layers/activity_regularization.hpp"

#include "config_args.hpp"

namespace keras::layers {

ActivityRegularizationImpl::ActivityRegularizationImpl(ActivityRegularizationOptions options)
    : LayerImpl("ActivityRegularization", common_options(options)), options_(std::move(options)) {
  // Keras builds it at construction (_build_at_init), so configs carry no build_config.
  mark_built();
  set_activity_regularizer(regularizers::L1L2(options_.l1, options_.l2));
}

std::vector<graph::Value> ActivityRegularizationImpl::call(const std::vector<graph::Value>& inputs,
                                                           const graph::Value&) {
  return {inputs.at(0)};
}

serialize::Config ActivityRegularizationImpl::get_config() const {
  serialize::Config config = LayerImpl::get_config();
  // The regularizer follows from l1 and l2, so Keras leaves it out.
  config.erase("activity_regularizer");
  config["l1"] = options_.l1;
  config["l2"] = options_.l2;
  return config;
}

ActivityRegularization::ActivityRegularization(ActivityRegularizationOptions options)
    : LayerHandle(std::make_shared<ActivityRegularizationImpl>(std::move(options))) {}

ActivityRegularization ActivityRegularization::from_config(const serialize::Config& config) {
  ActivityRegularizationOptions options =
      config_args::with_common(ActivityRegularizationOptions{}, config);
  options.l1 = config_args::number_or(config, "l1", 0.0);
  options.l2 = config_args::number_or(config, "l2", 0.0);
  return ActivityRegularization(std::move(options));
}

}  // namespace keras::layers
