// Keras 1 and Keras 2 (tf.keras) model configs read into Keras 3's form
// (KERAS-FORMATS.md §2): the Sequential list form, batch_input_shape on the
// first layer, four- (Keras 2) or three-element (Keras 1) node references
// whose indices count a nested model's own construction, Keras 1's argument
// names and its Merge layer.
#include <set>

#include "common.hpp"
#include "keras/error.hpp"
#include "keras/serialize/dialects.hpp"

namespace keras::serialize {

using dialects::is_model_class;

namespace {

// Keras 1's argument names and the Keras 2 names that replaced them.
const std::pair<const char*, const char*> kKeras1Renames[] = {
    {"output_dim", "units"},
    {"init", "kernel_initializer"},
    {"inner_init", "recurrent_initializer"},
    {"W_regularizer", "kernel_regularizer"},
    {"U_regularizer", "recurrent_regularizer"},
    {"b_regularizer", "bias_regularizer"},
    {"W_constraint", "kernel_constraint"},
    {"U_constraint", "recurrent_constraint"},
    {"b_constraint", "bias_constraint"},
    {"bias", "use_bias"},
    {"beta_init", "beta_initializer"},
    {"gamma_init", "gamma_initializer"},
    {"input_dtype", "dtype"},
    {"inner_activation", "recurrent_activation"},
    {"dropout_W", "dropout"},
    {"dropout_U", "recurrent_dropout"},
    {"border_mode", "padding"},
    {"nb_filter", "filters"},
    {"subsample", "strides"},
};

void rename(Config& config, const char* from, const char* to) {
  if (!config.contains(from) || config.contains(to)) return;
  Config value = config.at(from);
  config.erase(from);
  config[to] = std::move(value);
}

// Keras 1's Merge layer becomes the merge layer of its mode.
std::string merge_class(Config& config, const std::string& layer) {
  const std::string mode =
      config.contains("mode") && config.at("mode").is_string() ? config.at("mode").as_string() : "";
  std::string class_name;
  if (mode == "sum") class_name = "Add";
  if (mode == "mul") class_name = "Multiply";
  if (mode == "ave") class_name = "Average";
  if (mode == "max") class_name = "Maximum";
  if (mode == "concat") {
    class_name = "Concatenate";
    config["axis"] = config.contains("concat_axis") ? config.at("concat_axis") : Config(-1);
  }
  if (mode == "dot" || mode == "cos") {
    class_name = "Dot";
    config["axes"] = config.contains("dot_axes") ? config.at("dot_axes") : Config(-1);
    config["normalize"] = mode == "cos";
  }
  if (class_name.empty()) {
    throw Error(fmt::format(
        "Keras 1 Merge layer '{}' has mode {}; keras-cpp reads the modes sum, mul, ave, max, "
        "concat, dot and cos (a Python function as mode cannot be read)",
        layer, config.contains("mode") ? config.at("mode").to_json() : "null"));
  }
  for (const char* key : {"mode", "concat_axis", "dot_axes", "mode_type", "output_shape",
                          "output_shape_type", "output_mask", "output_mask_type", "arguments"}) {
    config.erase(key);
  }
  return class_name;
}

Config upgrade_model(const std::string& class_name, const Config& config, Generation generation);

// One layer's {"class_name", "config"} in Keras 3's terms (nested models
// recursively). batch_input_shape stays for the model to place.
Config upgrade_layer(const Config& entry, Generation generation) {
  if (!entry.is_dict() || !entry.contains("class_name") || !entry.at("class_name").is_string()) {
    throw Error(
        fmt::format("a layer in the model config needs a \"class_name\": {}", entry.to_json()));
  }
  std::string class_name = entry.at("class_name").as_string();
  Config config = entry.contains("config") ? entry.at("config") : Config::dict();
  Config out = Config::dict();
  if (is_model_class(class_name)) {
    out["class_name"] = class_name == "Model" ? "Functional" : class_name;
    out["config"] = upgrade_model(class_name, config, generation);
    return out;
  }
  if (!config.is_dict()) {
    throw Error(fmt::format("the config of a {} layer must be a dict, got {}", class_name,
                            config.to_json()));
  }
  if (generation == Generation::keras1) {
    for (const auto& [from, to] : kKeras1Renames) rename(config, from, to);
    if (class_name == "Dropout") rename(config, "p", "rate");
    if (class_name == "Merge") {
      const std::string name = config.contains("name") ? config.at("name").as_string() : "";
      class_name = merge_class(config, name);
    }
  }
  if (class_name == "InputLayer") {
    rename(config, "batch_input_shape", "batch_shape");
    for (const char* key : {"sparse", "ragged"}) {
      if (config.contains(key) && config.at(key).is_bool() && !config.at(key).as_bool()) {
        config.erase(key);
      }
    }
  }
  Config upgraded = Config::dict();
  for (const auto& [key, value] : config.as_dict()) {
    if (dialects::is_activation_key(key) && value.is_string() &&
        value.as_string() == "hard_sigmoid") {
      upgraded[key] = dialects::kKeras2HardSigmoid;
    } else {
      upgraded[key] = value;
    }
  }
  out["class_name"] = class_name;
  out["config"] = upgraded;
  return out;
}

// Keras 2's [[name, node, tensor, kwargs], ...] call (Keras 1's without
// kwargs) as Keras 3's {"args", "kwargs"}. A nested model's node indices
// count its construction in Keras 2, not in Keras 3's keras_history.
Config upgrade_call(const Config& call, const std::set<std::string>& models,
                    const std::string& layer) {
  if (!call.is_list() || call.size() == 0) {
    throw Error(
        fmt::format("a call of layer '{}' in the model config must list its inputs as "
                    "[layer, node, tensor, kwargs] references, got {}",
                    layer, call.to_json()));
  }
  Config tensors = Config::list();
  Config kwargs = Config::dict();
  for (const Config& ref : call.as_list()) {
    if (!ref.is_list() || ref.size() < 3 || !ref.as_list()[0].is_string() ||
        !ref.as_list()[1].is_int() || !ref.as_list()[2].is_int()) {
      throw Error(
          fmt::format("a call of layer '{}' has the input reference {}; expected [layer "
                      "name, node index, tensor index, kwargs]",
                      layer, ref.to_json()));
    }
    const Config::List& r = ref.as_list();
    const std::string& source = r[0].as_string();
    if (source == "_CONSTANT_VALUE") {
      throw Error(
          fmt::format("layer '{}' is called on a constant, which keras-cpp cannot read", layer));
    }
    Config history = Config::list();
    history.push_back(source);
    history.push_back(r[1].as_int() - (models.count(source) ? 1 : 0));
    history.push_back(r[2].as_int());
    Config inner = Config::dict();
    inner["keras_history"] = history;
    Config tensor = Config::dict();
    tensor["class_name"] = "__keras_tensor__";
    tensor["config"] = inner;
    tensors.push_back(tensor);
    if (ref.size() >= 4 && ref.as_list()[3].is_dict()) {
      for (const auto& [key, value] : ref.as_list()[3].as_dict()) {
        if (key != "mask") kwargs[key] = value;
      }
    }
  }
  Config args = Config::list();
  args.push_back(tensors.size() == 1 ? tensors.as_list()[0] : tensors);
  Config node = Config::dict();
  node["args"] = args;
  node["kwargs"] = kwargs;
  return node;
}

// Model outputs and inputs: Keras 3 counts a nested Sequential's calls from 0.
Config upgrade_references(const Config& refs, const std::set<std::string>& sequentials) {
  if (!refs.is_list()) return refs;
  if (refs.size() >= 3 && refs.as_list()[0].is_string() && refs.as_list()[1].is_int()) {
    Config out = refs;
    const std::string& name = refs.as_list()[0].as_string();
    if (sequentials.count(name)) {
      Config::List list = refs.as_list();
      list[1] = list[1].as_int() - 1;
      out = Config(list);
    }
    return out;
  }
  Config out = Config::list();
  for (const Config& r : refs.as_list()) out.push_back(upgrade_references(r, sequentials));
  return out;
}

Config upgrade_functional(const Config& config, Generation generation) {
  if (!config.is_dict() || !config.contains("layers") || !config.at("layers").is_list()) {
    throw Error("a functional model config needs a \"layers\" list");
  }
  std::set<std::string> models;
  std::set<std::string> sequentials;
  for (const Config& entry : config.at("layers").as_list()) {
    if (entry.is_dict() && entry.contains("class_name") && entry.at("class_name").is_string() &&
        is_model_class(entry.at("class_name").as_string()) && entry.contains("name")) {
      models.insert(entry.at("name").as_string());
      if (entry.at("class_name").as_string() == "Sequential") {
        sequentials.insert(entry.at("name").as_string());
      }
    }
  }
  Config out = Config::dict();
  if (config.contains("name")) out["name"] = config.at("name");
  if (config.contains("trainable")) out["trainable"] = config.at("trainable");
  Config layers = Config::list();
  for (const Config& entry : config.at("layers").as_list()) {
    Config layer = upgrade_layer(entry, generation);
    const std::string name = entry.contains("name") ? entry.at("name").as_string()
                             : layer.at("config").contains("name")
                                 ? layer.at("config").at("name").as_string()
                                 : "";
    layer["name"] = name;
    if (layer.at("class_name").as_string() != "InputLayer" && layer["config"].is_dict()) {
      layer["config"].erase("batch_input_shape");
    }
    Config nodes = Config::list();
    if (entry.contains("inbound_nodes")) {
      for (const Config& call : entry.at("inbound_nodes").as_list()) {
        nodes.push_back(upgrade_call(call, models, name));
      }
    }
    layer["inbound_nodes"] = nodes;
    layers.push_back(layer);
  }
  out["layers"] = layers;
  out["input_layers"] = upgrade_references(config.at("input_layers"), sequentials);
  out["output_layers"] = upgrade_references(config.at("output_layers"), sequentials);
  return out;
}

Config upgrade_sequential(const Config& config, Generation generation) {
  const bool list_form = config.is_list();
  const Config& entries = list_form ? config : config.at("layers");
  Config out = Config::dict();
  out["name"] = !list_form && config.contains("name") ? config.at("name") : Config("sequential");
  Config layers = Config::list();
  for (const Config& entry : entries.as_list()) {
    Config layer = upgrade_layer(entry, generation);
    Config& c = layer["config"];
    const bool first = layers.size() == 0;
    if (c.is_dict() && c.contains("batch_input_shape") &&
        layer.at("class_name").as_string() != "InputLayer") {
      if (first) {
        // Keras 2 gave the first layer its input shape; Keras 3 lists an InputLayer.
        Config input = Config::dict();
        input["batch_shape"] = c.at("batch_input_shape");
        if (c.contains("dtype")) input["dtype"] = c.at("dtype");
        input["name"] =
            fmt::format("{}_input", c.contains("name") ? c.at("name").as_string() : "sequential");
        Config input_entry = Config::dict();
        input_entry["class_name"] = "InputLayer";
        input_entry["config"] = input;
        layers.push_back(input_entry);
      }
      c.erase("batch_input_shape");
    }
    layers.push_back(layer);
  }
  out["layers"] = layers;
  if (!list_form && config.contains("build_input_shape")) {
    out["build_input_shape"] = config.at("build_input_shape");
  }
  return out;
}

Config upgrade_model(const std::string& class_name, const Config& config, Generation generation) {
  return class_name == "Sequential" ? upgrade_sequential(config, generation)
                                    : upgrade_functional(config, generation);
}

}  // namespace

std::string_view generation_name(Generation generation) {
  switch (generation) {
    case Generation::keras1:
      return "Keras 1";
    case Generation::keras2:
      return "Keras 2";
    case Generation::keras3:
      return "Keras 3";
  }
  return "?";
}

Generation detect_generation(const Config& model_config, std::string_view keras_version) {
  std::string version(keras_version);
  if (version.empty() && model_config.is_dict() && model_config.contains("keras_version") &&
      model_config.at("keras_version").is_string()) {
    version = model_config.at("keras_version").as_string();
  }
  if (!version.empty()) {
    if (version[0] == '1') return Generation::keras1;
    if (version[0] == '2') return Generation::keras2;
    return Generation::keras3;
  }
  if (model_config.is_dict() && model_config.contains("module")) return Generation::keras3;
  // Without a version: Keras 2's calls are lists of references, Keras 3's dicts.
  const Config& config = model_config.at("config");
  if (config.is_list()) return Generation::keras2;
  if (config.is_dict() && config.contains("layers") && config.at("layers").is_list()) {
    for (const Config& layer : config.at("layers").as_list()) {
      if (!layer.is_dict() || !layer.contains("inbound_nodes")) continue;
      for (const Config& call : layer.at("inbound_nodes").as_list()) {
        if (call.is_list()) return Generation::keras2;
        if (call.is_dict()) return Generation::keras3;
      }
    }
    for (const Config& layer : config.at("layers").as_list()) {
      if (layer.is_dict() && !layer.contains("module")) return Generation::keras2;
    }
  }
  return Generation::keras3;
}

Config upgrade_model_config(const Config& model_config, Generation generation) {
  if (generation == Generation::keras3) return model_config;
  if (!model_config.is_dict() || !model_config.contains("class_name") ||
      !model_config.at("class_name").is_string() || !model_config.contains("config")) {
    throw Error("a model config needs \"class_name\" and \"config\"");
  }
  const std::string& class_name = model_config.at("class_name").as_string();
  if (!is_model_class(class_name)) {
    throw Error(
        fmt::format("'{}' is not a model class (Sequential, Model or Functional)", class_name));
  }
  Config out = Config::dict();
  out["class_name"] = class_name == "Model" ? "Functional" : class_name;
  out["config"] = upgrade_model(class_name, model_config.at("config"), generation);
  return out;
}

}  // namespace keras::serialize
