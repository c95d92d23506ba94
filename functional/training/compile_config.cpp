// Keras 3's compile_config: compile's arguments in a model's config, so that
// model_from_json (and later load_model) compiles the model again.
#include "keras/models/model.hpp"
#include "trainer.hpp"

namespace keras::models {

using serialize::Config;

namespace {

Config loss_config(const losses::Loss& loss) {
  if (!loss.requested_name().empty()) return loss.requested_name();
  return losses::serialize(loss);
}

Config metric_list(const std::vector<metrics::Metric>& list) {
  Config out = Config::list();
  for (const metrics::Metric& m : list) {
    out.push_back(m.requested_name().empty() ? metrics::serialize(m) : Config(m.requested_name()));
  }
  return out;
}

Config metrics_config(const MetricsSpec& spec) {
  if (spec.empty()) return nullptr;
  if (spec.by_name().empty()) return metric_list(spec.all());
  Config out = Config::dict();
  for (const auto& [name, list] : spec.by_name()) out[name] = metric_list(list);
  return out;
}

std::vector<metrics::Metric> metric_list_from(const Config& config) {
  std::vector<metrics::Metric> out;
  for (const Config& m : config.is_list() ? config.as_list() : Config::List{config}) {
    out.push_back(metrics::from_config(m));
  }
  return out;
}

MetricsSpec metrics_from(const Config& config) {
  if (config.is_null()) return {};
  if (config.is_dict() && !config.contains("class_name")) {
    std::map<std::string, std::vector<metrics::Metric>> by_name;
    for (const auto& [name, list] : config.as_dict()) {
      if (!list.is_null()) by_name[name] = metric_list_from(list);
    }
    return by_name;
  }
  return metric_list_from(config);
}

losses::Loss loss_from(const Config& config) {
  if (config.is_string()) return losses::Loss(config.as_string());
  return losses::from_config(config);
}

}  // namespace

Config Trainer::compile_config() const {
  Config c = Config::dict();
  c["optimizer"] = optimizers::serialize(options_.optimizer);
  const LossSpec& spec = options_.loss;
  if (spec.single().valid()) {
    c["loss"] = loss_config(spec.single());
  } else if (!spec.list().empty()) {
    Config list = Config::list();
    for (const losses::Loss& l : spec.list()) list.push_back(loss_config(l));
    c["loss"] = list;
  } else {
    Config dict = Config::dict();
    for (const auto& [name, l] : spec.by_name()) dict[name] = loss_config(l);
    c["loss"] = dict;
  }
  if (options_.loss_weights.empty()) {
    c["loss_weights"] = nullptr;
  } else {
    Config weights = Config::list();
    for (double w : options_.loss_weights) weights.push_back(w);
    c["loss_weights"] = weights;
  }
  c["metrics"] = metrics_config(options_.metrics);
  c["weighted_metrics"] = metrics_config(options_.weighted_metrics);
  // Keras' own execution settings, as Keras 3 on JAX writes them.
  c["run_eagerly"] = false;
  c["steps_per_execution"] = 1;
  c["jit_compile"] = true;
  return c;
}

CompileOptions compile_options_from_config(const Config& config) {
  CompileOptions options;
  if (config.contains("optimizer") && !config.at("optimizer").is_null()) {
    options.optimizer = optimizers::from_config(config.at("optimizer"));
  }
  if (config.contains("loss") && !config.at("loss").is_null()) {
    const Config& loss = config.at("loss");
    if (loss.is_list()) {
      std::vector<losses::Loss> list;
      for (const Config& l : loss.as_list()) list.push_back(loss_from(l));
      options.loss = list;
    } else if (loss.is_dict() && !loss.contains("class_name")) {
      std::map<std::string, losses::Loss> by_name;
      for (const auto& [name, l] : loss.as_dict()) by_name[name] = loss_from(l);
      options.loss = by_name;
    } else {
      options.loss = loss_from(loss);
    }
  }
  if (config.contains("loss_weights") && config.at("loss_weights").is_list()) {
    for (const Config& w : config.at("loss_weights").as_list()) {
      options.loss_weights.push_back(w.as_number());
    }
  }
  if (config.contains("metrics")) options.metrics = metrics_from(config.at("metrics"));
  if (config.contains("weighted_metrics")) {
    options.weighted_metrics = metrics_from(config.at("weighted_metrics"));
  }
  return options;
}

Config Model::get_compile_config() const {
  if (!impl().trainer) return Config::dict();
  return impl().trainer->compile_config();
}

void Model::compile_from_config(const Config& config) const {
  compile(compile_options_from_config(config));
}

}  // namespace keras::models
