// A functional model's Keras 3 config and its revival
// (keras/src/models/functional.py get_config and functional_from_config):
// each layer serialized with the calls that belong to this model, tensors as
// __keras_tensor__ references [layer, node, tensor] with node indices counted
// among the model's own calls, and the model's inputs and outputs.
#include <deque>
#include <map>

#include "keras/layers/input_layer.hpp"
#include "keras/layers/registry.hpp"
#include "keras/models/model.hpp"
#include "keras/models/sequential.hpp"
#include "keras/serialize/shape_config.hpp"

namespace keras::models {

using layers::LayerImpl;
using serialize::Config;

namespace {

bool is_functional(const LayerImpl& layer) {
  return dynamic_cast<const FunctionalImpl*>(&layer) != nullptr &&
         dynamic_cast<const SequentialImpl*>(&layer) == nullptr;
}

// Keras' layers whose call() has a mask argument (among keras-cpp's).
bool takes_mask(const LayerImpl& layer) {
  return dynamic_cast<const FunctionalImpl*>(&layer) != nullptr ||
         layer.class_name() == "BatchNormalization" || layer.class_name() == "Softmax";
}

// Keras' layers whose call() defaults training to False (among keras-cpp's).
bool training_defaults_to_false(const LayerImpl& layer) {
  const std::string& name = layer.class_name();
  return name == "Dropout" || name == "GaussianNoise" || name == "GaussianDropout";
}

// A list of one reference stands for itself, as Keras writes a single input.
Config unwrap_single(Config list) {
  return list.size() == 1 ? list.as_list()[0] : list;
}

class ConfigWriter {
 public:
  explicit ConfigWriter(const FunctionalImpl& model) : map_(model.map_graph()) {}

  bool own(const LayerImpl& layer, int node) const {
    return map_.node_depths.count({&layer, node}) > 0;
  }

  // The index of call `node` of `layer` among the calls that are this model's.
  int renumber(const LayerImpl& layer, int node) const {
    int index = 0;
    for (int i = 0; i < node; ++i) index += own(layer, i) ? 1 : 0;
    return index;
  }

  Config tensor(const KerasTensor& t) const {
    const KerasHistory& h = t.history();
    Config history = Config::list();
    history.push_back(h.layer->name());
    history.push_back(renumber(*h.layer, h.node_index));
    history.push_back(h.tensor_index);
    Config inner = Config::dict();
    inner["shape"] = serialize::shape_to_config(t.shape());
    inner["dtype"] = std::string(dtype_name(t.dtype()));
    inner["keras_history"] = history;
    Config config = Config::dict();
    config["class_name"] = "__keras_tensor__";
    config["config"] = inner;
    return config;
  }

  // {"args": [...], "kwargs": {...}} of one call (Keras' serialize_node).
  Config node(const LayerImpl& layer, const layers::Node& call) const {
    Config args = Config::list();
    if (call.inputs.size() == 1) {
      args.push_back(tensor(call.inputs[0]));
    } else {
      Config list = Config::list();
      for (const KerasTensor& t : call.inputs) list.push_back(tensor(t));
      args.push_back(list);
    }
    // Keras records a symbolic call's training argument when it resolves to
    // a value (the call's default, False, for the noise layers), then the
    // inputs' masks (none here) for layers whose call() takes a mask: one per
    // input when they were called on a list.
    Config kwargs = Config::dict();
    if (call.training) {
      kwargs["training"] = *call.training;
    } else if (training_defaults_to_false(layer)) {
      kwargs["training"] = false;
    }
    if (takes_mask(layer)) {
      if (call.inputs.size() == 1) {
        kwargs["mask"] = nullptr;
      } else {
        Config masks = Config::list();
        for (std::size_t i = 0; i < call.inputs.size(); ++i) masks.push_back(Config());
        kwargs["mask"] = masks;
      }
    }
    Config node = Config::dict();
    node["args"] = args;
    node["kwargs"] = kwargs;
    return node;
  }

  // [layer, node, tensor] of a model input or output; a nested functional
  // model counts its own construction as node 0 there, as Keras 3 does.
  Config reference(const KerasTensor& t) const {
    const KerasHistory& h = t.history();
    Config ref = Config::list();
    ref.push_back(h.layer->name());
    ref.push_back(renumber(*h.layer, h.node_index) + (is_functional(*h.layer) ? 1 : 0));
    ref.push_back(h.tensor_index);
    return ref;
  }

  const FunctionalImpl::GraphMap& map() const { return map_; }

 private:
  FunctionalImpl::GraphMap map_;
};

// The tensor a [layer, node, tensor] reference names among the layers
// revived so far; empty while that call has not been made yet.
std::optional<KerasTensor> find_tensor(const std::map<std::string, layers::Layer>& created,
                                       const std::string& name, std::int64_t node,
                                       std::int64_t tensor) {
  auto it = created.find(name);
  if (it == created.end()) {
    throw Error(
        fmt::format("the model config refers to a layer '{}' that it does not define", name));
  }
  const auto& calls = it->second.impl().inbound_nodes();
  if (node < 0 || node >= static_cast<std::int64_t>(calls.size())) return std::nullopt;
  const std::vector<KerasTensor> outputs = it->second.get_outputs_at(static_cast<int>(node));
  if (tensor < 0 || tensor >= static_cast<std::int64_t>(outputs.size())) {
    throw Error(fmt::format("the model config refers to output {} of layer '{}', which has {}",
                            tensor, name, outputs.size()));
  }
  return outputs[static_cast<std::size_t>(tensor)];
}

// [layer, node, tensor] (Keras 3), checked so that a bad file gets a
// keras::Error rather than an out-of-range access.
const Config::List& reference_triple(const Config& ref, const char* what) {
  if (!ref.is_list() || ref.size() < 3 || !ref.as_list()[0].is_string() ||
      !ref.as_list()[1].is_int() || !ref.as_list()[2].is_int()) {
    throw Error(fmt::format("{} must be [layer name, node index, tensor index], got {}", what,
                            ref.to_json()));
  }
  return ref.as_list();
}

std::optional<KerasTensor> tensor_from_config(const std::map<std::string, layers::Layer>& created,
                                              const Config& t) {
  if (!t.is_dict() || !t.contains("config") || !t.at("config").contains("keras_history")) {
    throw Error(
        fmt::format("a call's argument must be a __keras_tensor__ with a keras_history, "
                    "got {}",
                    t.to_json()));
  }
  const Config::List& history =
      reference_triple(t.at("config").at("keras_history"), "a keras_history");
  return find_tensor(created, history[0].as_string(), history[1].as_int(), history[2].as_int());
}

// The tensor arguments of a call: args[0] (one tensor or a list), or the
// "inputs" keyword when the layer was called as layer(inputs=x).
Config::List call_tensors(const Config& node, const std::string& layer) {
  const Config& args = node.contains("args") ? node.at("args") : Config();
  const Config* first = nullptr;
  if (args.is_list() && args.size() > 0) {
    first = &args.as_list()[0];
  } else if (node.contains("kwargs") && node.at("kwargs").contains("inputs")) {
    first = &node.at("kwargs").at("inputs");
  }
  if (first == nullptr) {
    throw Error(fmt::format("a call of layer '{}' in the model config has no tensor arguments: {}",
                            layer, node.to_json()));
  }
  return first->is_list() ? first->as_list() : Config::List{*first};
}

// The call's fixed phase, from its "training" keyword. Keras writes
// "training": false for every call of the noise layers (their call's
// default), so there it means "follow the phase", as it does in Keras.
layers::CallOptions call_options(const Config& node, const LayerImpl& layer) {
  layers::CallOptions options;
  if (!node.contains("kwargs") || !node.at("kwargs").contains("training")) return options;
  const Config& training = node.at("kwargs").at("training");
  if (!training.is_bool()) return options;
  if (!training.as_bool() && training_defaults_to_false(layer)) return options;
  options.training = training.as_bool();
  return options;
}

// The tensors of the model's inputs or outputs: one reference or a list.
std::vector<KerasTensor> references(const std::map<std::string, layers::Layer>& created,
                                    const Config& refs, const char* what) {
  std::vector<Config> list;
  if (!refs.is_list() || refs.size() == 0) {
    throw Error(
        fmt::format("the model config's {} must list [layer, node, tensor] references, "
                    "got {}",
                    what, refs.to_json()));
  }
  if (refs.as_list()[0].is_string()) {
    list.push_back(refs);
  } else {
    list = refs.as_list();
  }
  std::vector<KerasTensor> out;
  for (const Config& ref : list) {
    const Config::List& triple = reference_triple(ref, what);
    const std::string& name = triple[0].as_string();
    std::int64_t node = triple[1].as_int();
    if (created.count(name) && is_functional(created.at(name).impl())) node -= 1;
    std::optional<KerasTensor> t = find_tensor(created, name, node, triple[2].as_int());
    if (!t) {
      throw Error(
          fmt::format("the model's {} refer to call {} of layer '{}', which the config "
                      "never makes",
                      what, node, name));
    }
    out.push_back(*t);
  }
  return out;
}

}  // namespace

Config FunctionalImpl::get_config() const {
  const ConfigWriter writer(*this);
  Config config = Config::dict();
  config["name"] = name();
  config["trainable"] = trainable();
  Config list = Config::list();
  for (const auto& layer : layers_) {
    Config entry = layers::serialize(layers::Layer(layer));
    entry["name"] = layer->name();
    Config nodes = Config::list();
    const auto& calls = layer->inbound_nodes();
    for (std::size_t i = 0; i < calls.size(); ++i) {
      if (writer.own(*layer, static_cast<int>(i)) && !calls[i].inputs.empty()) {
        nodes.push_back(writer.node(*layer, calls[i]));
      }
    }
    entry["inbound_nodes"] = nodes;
    list.push_back(entry);
  }
  config["layers"] = list;
  Config inputs = Config::list();
  for (const KerasTensor& t : inputs_) inputs.push_back(writer.reference(t));
  Config outputs = Config::list();
  for (const KerasTensor& t : outputs_) outputs.push_back(writer.reference(t));
  config["input_layers"] = unwrap_single(inputs);
  config["output_layers"] = unwrap_single(outputs);
  return config;
}

std::optional<Config> FunctionalImpl::get_build_config() const {
  Config config = Config::dict();
  config["input_shape"] = nullptr;
  return config;
}

Model Model::from_config(const Config& config) {
  std::map<std::string, layers::Layer> created;
  std::vector<std::pair<layers::Layer, std::deque<Config>>> pending;
  if (!config.is_dict() || !config.contains("layers") || !config.at("layers").is_list() ||
      !config.contains("input_layers") || !config.contains("output_layers")) {
    throw Error(
        "a functional model config needs \"layers\", \"input_layers\" and "
        "\"output_layers\"");
  }
  for (const Config& entry : config.at("layers").as_list()) {
    layers::Layer layer = layers::deserialize(entry);
    const std::string name = entry.contains("name") ? entry.at("name").as_string() : layer.name();
    if (!created.emplace(name, layer).second) {
      throw Error(fmt::format("the model config defines two layers named '{}'", name));
    }
    std::deque<Config> calls;
    if (entry.contains("inbound_nodes")) {
      for (const Config& node : entry.at("inbound_nodes").as_list()) calls.push_back(node);
    }
    pending.emplace_back(layer, std::move(calls));
  }
  // Calls wait for the calls whose outputs they take, as in Keras'
  // functional_from_config: sweep until nothing more can be called.
  // Layers hold their calls' outputs weakly: keep them until the model does.
  std::vector<KerasTensor> made;
  bool progress = true;
  while (progress) {
    progress = false;
    for (auto& [layer, calls] : pending) {
      while (!calls.empty()) {
        std::vector<KerasTensor> inputs;
        bool ready = true;
        for (const Config& t : call_tensors(calls.front(), layer.name())) {
          std::optional<KerasTensor> input = tensor_from_config(created, t);
          if (!input) {
            ready = false;
            break;
          }
          inputs.push_back(*input);
        }
        if (!ready) break;
        for (KerasTensor& t : layer.call_multi(inputs, call_options(calls.front(), layer.impl()))) {
          made.push_back(std::move(t));
        }
        calls.pop_front();
        progress = true;
      }
    }
  }
  for (const auto& [layer, calls] : pending) {
    if (!calls.empty()) {
      throw Error(
          fmt::format("the model config never makes the inputs of a call of layer '{}': "
                      "its inbound_nodes refer to calls that do not exist",
                      layer.name()));
    }
  }
  Model model(references(created, config.at("input_layers"), "input_layers"),
              references(created, config.at("output_layers"), "output_layers"),
              config.contains("name") ? config.at("name").as_string() : "");
  if (config.contains("trainable"))
    model.impl().restore_trainable(config.at("trainable").as_bool());
  return model;
}

Model model_from_config(const Config& config) {
  const std::string& class_name = config.at("class_name").as_string();
  const Config& inner = config.at("config");
  // A compiled model's config carries compile's arguments: compile again,
  // as Keras does.
  const auto compiled = [&](Model model) {
    if (config.contains("compile_config") && config.at("compile_config").is_dict() &&
        config.at("compile_config").size() > 0) {
      model.compile_from_config(config.at("compile_config"));
    }
    return model;
  };
  if (class_name == "Sequential") return compiled(Sequential::from_config(inner));
  if (class_name == "Functional" || class_name == "Model")
    return compiled(Model::from_config(inner));
  throw Error(fmt::format(
      "'{}' is not a model class keras-cpp knows (Functional, Model or Sequential): a subclassed "
      "Keras model is Python code; rebuild it in C++ as a functional model, or for a layer use "
      "layers::deserialize",
      class_name));
}

}  // namespace keras::models
