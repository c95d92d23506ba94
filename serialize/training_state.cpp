#include "keras/serialize/training_state.hpp"

#include "keras/error.hpp"

namespace keras::serialize {

namespace {

// The keys both forms share, in Keras 3's order.
constexpr const char* kSharedKeys[] = {
    "loss",        "loss_weights",        "metrics",     "weighted_metrics",
    "run_eagerly", "steps_per_execution", "jit_compile", "sample_weight_mode"};

}  // namespace

Config training_config_from_compile_config(const Config& compile_config) {
  if (!compile_config.is_dict() || compile_config.size() == 0) return Config();
  Config out = Config::dict();
  for (const char* key : kSharedKeys) {
    if (compile_config.contains(key)) out[key] = compile_config.at(key);
  }
  if (compile_config.contains("optimizer") && compile_config.at("optimizer").is_dict()) {
    const Config& optimizer = compile_config.at("optimizer");
    Config legacy = Config::dict();
    legacy["class_name"] = optimizer.contains("class_name") ? optimizer.at("class_name") : Config();
    legacy["config"] = optimizer.contains("config") ? optimizer.at("config") : Config::dict();
    out["optimizer_config"] = legacy;
  }
  return out;
}

Config compile_config_from_training_config(const Config& training_config) {
  if (!training_config.is_dict()) return Config();
  Config out = Config::dict();
  if (training_config.contains("optimizer_config")) {
    Config optimizer = Config::dict();
    optimizer["module"] = "keras.optimizers";
    const Config& legacy = training_config.at("optimizer_config");
    optimizer["class_name"] = legacy.contains("class_name") ? legacy.at("class_name") : Config();
    optimizer["config"] = legacy.contains("config") ? legacy.at("config") : Config::dict();
    optimizer["registered_name"] = nullptr;
    out["optimizer"] = optimizer;
  }
  for (const char* key : kSharedKeys) {
    if (training_config.contains(key)) out[key] = training_config.at(key);
  }
  return out;
}

TrainingState read_h5_training_state(const hdf5::Group& root) {
  TrainingState state;
  if (root.has_attribute("training_config")) {
    const std::string text = root.read_string("training_config");
    try {
      state.training_config = Config::from_json(text);
    } catch (const Error& e) {
      throw Error(fmt::format("{}: the training_config attribute is not valid JSON: {}",
                              root.where(), e.what()));
    }
    state.compile_config = compile_config_from_training_config(state.training_config);
  }
  if (root.has_group("optimizer_weights")) {
    const hdf5::Group group = root.group("optimizer_weights");
    for (const std::string& name : group.read_strings("weight_names")) {
      state.optimizer_variables.push_back({name, group.read_dataset(name)});
    }
  }
  return state;
}

void write_h5_training_state(const hdf5::Group& root, const TrainingState& state) {
  if (!state.training_config.is_null()) {
    root.write_string("training_config", state.training_config.to_json());
  }
  if (state.optimizer_variables.empty()) return;
  const hdf5::Group group = root.require_group("optimizer_weights");
  std::vector<std::string> names;
  for (const NamedArray& v : state.optimizer_variables) {
    names.push_back(v.name);
    group.write_dataset(v.name, v.value);
  }
  group.write_strings("weight_names", names);
}

}  // namespace keras::serialize
