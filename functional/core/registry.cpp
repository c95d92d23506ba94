#include "keras/layers/registry.hpp"

#include "../training/trainer.hpp"

#include <map>
#include <mutex>
#include <set>

#include "../layers/config_args.hpp"
#include "keras/layers/activation.hpp"
#include "keras/layers/activation_layers.hpp"
#include "keras/layers/activity_regularization.hpp"
#include "keras/layers/batch_normalization.hpp"
#include "keras/layers/core.hpp"
#include "keras/layers/dense.hpp"
#include "keras/layers/dropout.hpp"
#include "keras/layers/input_layer.hpp"
#include "keras/layers/merge.hpp"
#include "keras/layers/noise.hpp"
#include "keras/models/model.hpp"
#include "keras/models/sequential.hpp"
#include "keras/serialize/shape_config.hpp"

namespace keras::layers {

namespace {

using serialize::Config;

std::string string_or(const Config& config, const char* key, const std::string& fallback) {
  return config.contains(key) && !config.at(key).is_null() ? config.at(key).as_string() : fallback;
}

Layer dense_from_config(const Config& c) {
  LayerOptions common = options_from_config(c);
  DenseOptions options;
  options.activation = string_or(c, "activation", "linear");
  options.use_bias = !c.contains("use_bias") || c.at("use_bias").as_bool();
  if (c.contains("kernel_initializer")) {
    options.kernel_initializer = initializers::from_config(c.at("kernel_initializer"));
  }
  if (c.contains("bias_initializer")) {
    options.bias_initializer = initializers::from_config(c.at("bias_initializer"));
  }
  options.kernel_regularizer = config_args::regularizer_or_none(c, "kernel_regularizer");
  options.bias_regularizer = config_args::regularizer_or_none(c, "bias_regularizer");
  options.activity_regularizer = config_args::regularizer_or_none(c, "activity_regularizer");
  options.kernel_constraint = config_args::constraint_or_none(c, "kernel_constraint");
  options.bias_constraint = config_args::constraint_or_none(c, "bias_constraint");
  options.name = common.name;
  options.trainable = common.trainable;
  options.dtype = common.dtype;
  return Dense(c.at("units").as_int(), options);
}

Layer dropout_from_config(const Config& c) {
  LayerOptions common = options_from_config(c);
  DropoutOptions options;
  if (c.contains("noise_shape") && !c.at("noise_shape").is_null()) {
    for (const Config& d : c.at("noise_shape").as_list()) {
      options.noise_shape.push_back(d.is_null() ? -1 : d.as_int());
    }
  }
  if (c.contains("seed") && !c.at("seed").is_null()) options.seed = c.at("seed").as_int();
  options.name = common.name;
  options.trainable = common.trainable;
  options.dtype = common.dtype;
  return Dropout(c.at("rate").as_number(), options);
}

// Keras 3 writes batch_shape, Keras 2 batch_input_shape.
Layer input_layer_from_config(const Config& c) {
  const Config& shape = c.contains("batch_shape") ? c.at("batch_shape") : c.at("batch_input_shape");
  const LayerOptions common = options_from_config(c);
  return InputLayer(serialize::shape_from_config(shape), common.dtype, common.name);
}

template <class Merge>
Layer merge_from_config(const Config& c) {
  LayerOptions common = options_from_config(c);
  return Merge({.name = common.name, .trainable = common.trainable, .dtype = common.dtype});
}

struct Registry {
  std::mutex mutex;
  std::map<std::string, LayerFactory, std::less<>> factories = {
      {"InputLayer", input_layer_from_config},
      {"Functional", [](const Config& c) -> Layer { return models::Model::from_config(c); }},
      {"Model", [](const Config& c) -> Layer { return models::Model::from_config(c); }},
      {"Sequential", [](const Config& c) -> Layer { return models::Sequential::from_config(c); }},
      {"Dense", dense_from_config},
      {"Dropout", dropout_from_config},
      {"Activation",
       [](const Config& c) {
         return Activation(c.at("activation").as_string(), options_from_config(c));
       }},
      {"Add", merge_from_config<Add>},
      {"Subtract", merge_from_config<Subtract>},
      {"Multiply", merge_from_config<Multiply>},
      {"Average", merge_from_config<Average>},
      {"Maximum", merge_from_config<Maximum>},
      {"Minimum", merge_from_config<Minimum>},
      {"Dot", [](const Config& c) -> Layer { return Dot::from_config(c); }},
      {"BatchNormalization",
       [](const Config& c) -> Layer { return BatchNormalization::from_config(c); }},
      {"Flatten", [](const Config& c) -> Layer { return Flatten::from_config(c); }},
      {"Reshape", [](const Config& c) -> Layer { return Reshape::from_config(c); }},
      {"Permute", [](const Config& c) -> Layer { return Permute::from_config(c); }},
      {"RepeatVector", [](const Config& c) -> Layer { return RepeatVector::from_config(c); }},
      {"ReLU", [](const Config& c) -> Layer { return ReLU::from_config(c); }},
      {"LeakyReLU", [](const Config& c) -> Layer { return LeakyReLU::from_config(c); }},
      {"PReLU", [](const Config& c) -> Layer { return PReLU::from_config(c); }},
      {"ELU", [](const Config& c) -> Layer { return ELU::from_config(c); }},
      {"Softmax", [](const Config& c) -> Layer { return Softmax::from_config(c); }},
      {"ActivityRegularization",
       [](const Config& c) -> Layer { return ActivityRegularization::from_config(c); }},
      {"GaussianNoise", [](const Config& c) -> Layer { return GaussianNoise::from_config(c); }},
      {"GaussianDropout", [](const Config& c) -> Layer { return GaussianDropout::from_config(c); }},
      {"Concatenate",
       [](const Config& c) {
         LayerOptions common = options_from_config(c);
         return Concatenate(
             c.contains("axis") ? c.at("axis").as_int() : -1,
             {.name = common.name, .trainable = common.trainable, .dtype = common.dtype});
       }},
  };
};

Registry& registry() {
  static Registry instance;
  return instance;
}

// Keras' own classes: those registered before any user's.
const std::set<std::string, std::less<>>& builtin_classes() {
  static const std::set<std::string, std::less<>> names = [] {
    std::set<std::string, std::less<>> out;
    for (const auto& [name, factory] : Registry().factories) out.insert(name);
    return out;
  }();
  return names;
}

}  // namespace

void register_layer(const std::string& class_name, LayerFactory factory) {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  r.factories[class_name] = std::move(factory);
}

std::vector<std::string> registered_layers() {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  std::vector<std::string> names;
  for (const auto& [name, factory] : r.factories) names.push_back(name);
  return names;
}

Layer from_config(const std::string& class_name, const serialize::Config& config) {
  LayerFactory factory;
  {
    Registry& r = registry();
    std::lock_guard lock(r.mutex);
    auto it = r.factories.find(class_name);
    if (it != r.factories.end()) factory = it->second;
  }
  if (!factory && class_name == "Lambda") {
    throw Error(fmt::format(
        "layer '{}' is a Lambda layer: its function is Python code, which keras-cpp never runs; "
        "register a C++ layer for it with keras::layers::register_layer(\"Lambda\", factory) "
        "(the factory gets the config, with the layer's name)",
        config.contains("name") && config.at("name").is_string() ? config.at("name").as_string()
                                                                 : "?"));
  }
  if (!factory) {
    std::string known;
    for (const std::string& n : registered_layers()) known += (known.empty() ? "" : ", ") + n;
    throw Error(
        fmt::format("unknown layer class '{}': register it with "
                    "keras::layers::register_layer; known classes: {}",
                    class_name, known));
  }
  // Name the layer (and, through nested models, its path) in what went wrong.
  try {
    return factory(config);
  } catch (const Error& e) {
    const bool named = config.is_dict() && config.contains("name") && config.at("name").is_string();
    throw Error(fmt::format("{} layer '{}': {}", class_name,
                            named ? config.at("name").as_string() : "?", e.what()));
  }
}

Config serialize(const Layer& layer) {
  const LayerImpl& impl = layer.impl();
  const std::string& class_name = impl.class_name();
  Config config = Config::dict();
  // Where Keras 3 finds the class: its models live outside keras.layers.
  if (class_name == "Functional") {
    config["module"] = "keras.src.models.functional";
  } else if (class_name == "Sequential") {
    config["module"] = "keras";
  } else if (builtin_classes().count(class_name)) {
    config["module"] = "keras.layers";
  } else {
    config["module"] = nullptr;
  }
  config["class_name"] = class_name;
  config["config"] = impl.get_config();
  const bool builtin = builtin_classes().count(class_name) > 0 && class_name != "Functional";
  config["registered_name"] = builtin ? Config() : Config(class_name);
  if (const std::optional<Config> build = impl.get_build_config()) config["build_config"] = *build;
  if (const auto* model = dynamic_cast<const models::FunctionalImpl*>(&impl)) {
    config["compile_config"] = model->trainer ? model->trainer->compile_config() : Config::dict();
  }
  return config;
}

Layer deserialize(const Config& config) {
  if (!config.is_dict() || !config.contains("class_name")) {
    throw Error(fmt::format("a serialized layer needs a \"class_name\" and a \"config\", got {}",
                            config.to_json()));
  }
  return from_config(config.at("class_name").as_string(),
                     config.contains("config") ? config.at("config") : Config::dict());
}

LayerOptions options_from_config(const serialize::Config& config) {
  LayerOptions options;
  if (config.contains("name")) options.name = config.at("name").as_string();
  if (config.contains("trainable")) options.trainable = config.at("trainable").as_bool();
  if (config.contains("dtype") && !config.at("dtype").is_null()) {
    const Config& dtype = config.at("dtype");
    options.dtype = dtype_from_name(dtype.is_string() ? dtype.as_string()
                                                      : dtype.at("config").at("name").as_string());
  }
  return options;
}

}  // namespace keras::layers
