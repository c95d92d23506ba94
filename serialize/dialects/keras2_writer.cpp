// Keras 3 model configs written in tf.keras 2's dialect (what tf-keras'
// model_from_json and load_model read): {"class_name", "config"} objects
// without module or registered_name, dtype strings, batch_input_shape, and
// calls as [layer, node, tensor, kwargs] references whose node indices count
// a nested model's construction.
#include <set>

#include "common.hpp"
#include "keras/error.hpp"
#include "keras/serialize/dialects.hpp"

namespace keras::serialize {

using dialects::is_model_class;

namespace {

// Keras 3 arguments that tf.keras' layers do not take (and that keras-cpp
// writes only at their defaults).
bool keras3_only(const std::string& key) {
  return key == "lora_rank" || key == "lora_alpha" || key == "quantization_config" ||
         key == "optional";
}

// A nested object ({"module", "class_name", "config", "registered_name"})
// as tf.keras writes it: {"class_name", "config"}; a DTypePolicy as its name.
Config downgrade_value(const Config& value) {
  if (value.is_list()) {
    Config out = Config::list();
    for (const Config& v : value.as_list()) out.push_back(downgrade_value(v));
    return out;
  }
  if (!value.is_dict()) return value;
  if (value.contains("class_name") && value.at("class_name").is_string() &&
      value.at("class_name").as_string() == "DTypePolicy" && value.contains("config")) {
    return value.at("config").at("name");
  }
  Config out = Config::dict();
  for (const auto& [key, v] : value.as_dict()) {
    if (value.contains("class_name") && (key == "module" || key == "registered_name")) continue;
    // Keras 3.15's variance-scaling initializers take axes tf.keras' do not.
    if ((key == "input_axes" || key == "output_axes") && v.is_null()) continue;
    out[key] = downgrade_value(v);
  }
  return out;
}

Config downgrade_layer_config(const std::string& class_name, const Config& config,
                              const std::string& layer) {
  Config out = Config::dict();
  for (const auto& [key, value] : config.as_dict()) {
    if (keras3_only(key)) continue;
    if (dialects::is_activation_key(key) && value.is_string()) {
      if (value.as_string() == "hard_sigmoid") {
        throw Error(fmt::format(
            "layer '{}' uses Keras 3's hard_sigmoid (clip(x / 6 + 0.5)), which Keras 2 computes "
            "as clip(0.2 x + 0.5): the Keras 2 dialect cannot express it; save in Keras 3's",
            layer));
      }
      if (value.as_string() == dialects::kKeras2HardSigmoid) {
        out[key] = "hard_sigmoid";
        continue;
      }
    }
    if (class_name == "InputLayer" && key == "batch_shape") {
      out["batch_input_shape"] = value;
      continue;
    }
    out[key] = downgrade_value(value);
  }
  return out;
}

Config downgrade_model(const std::string& class_name, const Config& config);

Config downgrade_layer(const Config& entry) {
  const std::string& class_name = entry.at("class_name").as_string();
  const Config& config = entry.contains("config") ? entry.at("config") : Config::dict();
  Config out = Config::dict();
  out["class_name"] = class_name;
  if (is_model_class(class_name)) {
    out["config"] = downgrade_model(class_name, config);
  } else {
    const std::string name = config.contains("name") && config.at("name").is_string()
                                 ? config.at("name").as_string()
                                 : class_name;
    out["config"] = downgrade_layer_config(class_name, config, name);
  }
  return out;
}

// Keras 3's {"args", "kwargs"} call as a list of Keras 2 references.
Config downgrade_call(const Config& call, const std::set<std::string>& models,
                      const std::string& layer) {
  if (!call.is_dict() || !call.contains("args") || !call.at("args").is_list() ||
      call.at("args").size() == 0) {
    throw Error(
        fmt::format("a call of layer '{}' has no tensor arguments: {}", layer, call.to_json()));
  }
  const Config& first = call.at("args").as_list()[0];
  const Config::List tensors = first.is_list() ? first.as_list() : Config::List{first};
  Config kwargs = Config::dict();
  if (call.contains("kwargs") && call.at("kwargs").is_dict()) {
    for (const auto& [key, value] : call.at("kwargs").as_dict()) {
      if (key != "mask") kwargs[key] = value;
    }
  }
  Config refs = Config::list();
  for (const Config& t : tensors) {
    const Config::List& history = t.at("config").at("keras_history").as_list();
    const std::string& source = history.at(0).as_string();
    Config ref = Config::list();
    ref.push_back(source);
    ref.push_back(history.at(1).as_int() + (models.count(source) ? 1 : 0));
    ref.push_back(history.at(2).as_int());
    ref.push_back(kwargs);
    refs.push_back(ref);
  }
  return refs;
}

// tf.keras always lists references, and counts a nested Sequential's
// construction as its node 0 (Keras 3 does only for functional models).
Config downgrade_references(const Config& refs, const std::set<std::string>& sequentials,
                            bool top) {
  if (refs.is_list() && refs.size() >= 3 && refs.as_list()[0].is_string()) {
    Config::List ref = refs.as_list();
    if (sequentials.count(ref[0].as_string())) ref[1] = ref[1].as_int() + 1;
    if (!top) return Config(ref);
    Config list = Config::list();
    list.push_back(Config(ref));
    return list;
  }
  Config out = Config::list();
  for (const Config& r : refs.as_list()) out.push_back(downgrade_references(r, sequentials, false));
  return out;
}

Config downgrade_functional(const Config& config) {
  std::set<std::string> models;
  std::set<std::string> sequentials;
  for (const Config& entry : config.at("layers").as_list()) {
    const std::string& class_name = entry.at("class_name").as_string();
    if (is_model_class(class_name)) {
      models.insert(entry.at("name").as_string());
      if (class_name == "Sequential") sequentials.insert(entry.at("name").as_string());
    }
  }
  Config out = Config::dict();
  out["name"] = config.at("name");
  Config layers = Config::list();
  for (const Config& entry : config.at("layers").as_list()) {
    Config layer = downgrade_layer(entry);
    const std::string& name = entry.at("name").as_string();
    layer["name"] = name;
    Config nodes = Config::list();
    for (const Config& call : entry.at("inbound_nodes").as_list()) {
      nodes.push_back(downgrade_call(call, models, name));
    }
    layer["inbound_nodes"] = nodes;
    layers.push_back(layer);
  }
  out["layers"] = layers;
  out["input_layers"] = downgrade_references(config.at("input_layers"), sequentials, true);
  out["output_layers"] = downgrade_references(config.at("output_layers"), sequentials, true);
  return out;
}

Config downgrade_sequential(const Config& config) {
  Config out = Config::dict();
  out["name"] = config.at("name");
  Config layers = Config::list();
  for (const Config& entry : config.at("layers").as_list()) {
    layers.push_back(downgrade_layer(entry));
  }
  out["layers"] = layers;
  return out;
}

Config downgrade_model(const std::string& class_name, const Config& config) {
  return class_name == "Sequential" ? downgrade_sequential(config) : downgrade_functional(config);
}

}  // namespace

Config downgrade_model_config(const Config& model_config) {
  const std::string& class_name = model_config.at("class_name").as_string();
  if (!is_model_class(class_name)) {
    throw Error(fmt::format("'{}' is not a model class", class_name));
  }
  Config out = Config::dict();
  out["class_name"] = class_name;
  out["config"] = downgrade_model(class_name, model_config.at("config"));
  return out;
}

}  // namespace keras::serialize

namespace keras::serialize {

namespace {

void check_activations(const Config& value, const std::string& layer) {
  if (value.is_list()) {
    for (const Config& v : value.as_list()) check_activations(v, layer);
    return;
  }
  if (!value.is_dict()) return;
  const std::string name =
      value.contains("name") && value.at("name").is_string() ? value.at("name").as_string() : layer;
  for (const auto& [key, v] : value.as_dict()) {
    if (dialects::is_activation_key(key) && v.is_string() &&
        v.as_string() == dialects::kKeras2HardSigmoid) {
      throw Error(fmt::format(
          "layer '{}' computes Keras 2's hard_sigmoid (clip(0.2 x + 0.5), as the file it was "
          "read from did); Keras 3's hard_sigmoid is clip(x / 6 + 0.5), so a Keras 3 file "
          "cannot express it: save with {{.dialect = keras::models::Dialect::keras2}}",
          name));
    }
    check_activations(v, name);
  }
}

}  // namespace

void check_keras3_expressible(const Config& model_config) {
  check_activations(model_config, "?");
}

}  // namespace keras::serialize
