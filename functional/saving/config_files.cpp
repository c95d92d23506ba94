// Architecture files: to_json / to_yaml and model_from_json / model_from_yaml
// in every Keras dialect (serialize/dialects does the translation).
#include "keras/layers/registry.hpp"
#include "keras/models/model.hpp"
#include "keras/serialize/dialects.hpp"
#include "keras/serialize/yaml.hpp"
#include "model_files.hpp"

namespace keras::models {

namespace saving {

serialize::Config model_config(const Model& model, Dialect dialect) {
  serialize::Config config = layers::serialize(model);
  if (dialect == Dialect::keras3) {
    serialize::check_keras3_expressible(config);
    return config;
  }
  return serialize::downgrade_model_config(config);
}

Model model_from_any_config(const serialize::Config& config, std::string_view keras_version) {
  if (!config.is_dict() || !config.contains("class_name") || !config.contains("config")) {
    throw Error(
        "a model config is a dict with \"class_name\" and \"config\" (what model.to_json() "
        "writes)");
  }
  const serialize::Generation generation = serialize::detect_generation(config, keras_version);
  return model_from_config(serialize::upgrade_model_config(config, generation));
}

}  // namespace saving

std::string Model::to_json(ConfigOptions options) const {
  serialize::Config config = saving::model_config(*this, options.dialect);
  if (options.dialect == Dialect::keras2) {
    config["keras_version"] = saving::keras_version(Dialect::keras2);
    config["backend"] = "tensorflow";
  }
  return config.to_json();
}

std::string Model::to_yaml() const {
  serialize::Config config = saving::model_config(*this, Dialect::keras2);
  config["keras_version"] = saving::keras_version(Dialect::keras2);
  config["backend"] = "tensorflow";
  return serialize::config_to_yaml(config);
}

Model model_from_json(std::string_view json) {
  return saving::model_from_any_config(serialize::Config::from_json(json), "");
}

Model model_from_yaml(std::string_view yaml) {
  return saving::model_from_any_config(serialize::config_from_yaml(yaml), "");
}

}  // namespace keras::models
