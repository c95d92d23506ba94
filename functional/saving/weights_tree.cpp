// Keras 3's weights tree (saving_lib's _save_state walk): an object's
// variables under <path>/vars; the layers of a model under
// layers/<class name in snake_case>, counted per class ("dense",
// "dense_1"), whatever the layers' names; a layer reached twice is written
// once.
#include <set>

#include "../core/layer_names.hpp"
#include "weights.hpp"

namespace keras::models::saving {

namespace {

std::vector<Variable> own_variables(const layers::LayerImpl& layer) {
  // A model's own variables are none: its layers hold them.
  if (dynamic_cast<const FunctionalImpl*>(&layer) != nullptr) return {};
  return layer.weights();
}

void walk(const layers::LayerImpl& object, const std::string& path,
          std::set<const layers::LayerImpl*>& visited,
          const std::function<void(const layers::LayerImpl&, const std::string&)>& visit) {
  if (!visited.insert(&object).second) return;
  visit(object, path);
  const auto* model = dynamic_cast<const FunctionalImpl*>(&object);
  if (model == nullptr) return;
  std::map<std::string, int> used;
  const std::string prefix = path.empty() ? "layers" : path + "/layers";
  for (const auto& layer : model->sublayers()) {
    const std::string snake = layers::to_snake_case(layer->class_name());
    auto [it, first] = used.emplace(snake, 0);
    if (!first) ++it->second;
    const std::string name = first ? snake : fmt::format("{}_{}", snake, it->second);
    walk(*layer, prefix + "/" + name, visited, visit);
  }
}

void walk(const FunctionalImpl& model,
          const std::function<void(const layers::LayerImpl&, const std::string&)>& visit) {
  std::set<const layers::LayerImpl*> visited;
  walk(model, "", visited, visit);
}

}  // namespace

std::vector<serialize::ObjectVariables> weights_tree(const FunctionalImpl& model,
                                                     const serialize::TrainingState& state) {
  std::vector<serialize::ObjectVariables> out;
  walk(model, [&](const layers::LayerImpl& object, const std::string& path) {
    serialize::ObjectVariables entry{path, object.name(), {}};
    for (const Variable& v : own_variables(object)) entry.values.push_back(v.value().clone());
    out.push_back(std::move(entry));
  });
  if (!state.optimizer_variables.empty()) {
    // The vars group's name is the optimizer's ("adam"), as Keras writes it.
    const serialize::Config& optimizer =
        state.compile_config.is_dict() && state.compile_config.contains("optimizer")
            ? state.compile_config.at("optimizer")
            : serialize::Config();
    std::string name = "optimizer";
    if (optimizer.is_dict() && optimizer.contains("config") &&
        optimizer.at("config").contains("name") && optimizer.at("config").at("name").is_string()) {
      name = optimizer.at("config").at("name").as_string();
    }
    serialize::ObjectVariables entry{"optimizer", name, {}};
    for (const serialize::NamedArray& v : state.optimizer_variables)
      entry.values.push_back(v.value);
    out.push_back(std::move(entry));
  }
  return out;
}

LoadReport load_weights_tree(const FunctionalImpl& model,
                             const std::map<std::string, std::vector<Tensor>>& file,
                             const LoadWeightsOptions& options, const std::string& where) {
  if (options.by_name) {
    throw Error(fmt::format(
        "{}: by_name loading needs a legacy .h5 weights file; Keras 3's .weights.h5 and .keras "
        "files match weights by the model's structure (as in Keras)",
        where));
  }
  LoadReport report;
  std::vector<std::pair<Variable, const Tensor*>> assignments;
  walk(model, [&](const layers::LayerImpl& object, const std::string& path) {
    const std::vector<Variable> variables = own_variables(object);
    auto found = file.find(path);
    // tf.keras 2.13 wrote the layers under _layer_checkpoint_dependencies.
    if (found == file.end() && path.rfind("layers/", 0) == 0) {
      found = file.find("_layer_checkpoint_dependencies/" + path.substr(7));
    }
    const std::size_t saved = found == file.end() ? 0 : found->second.size();
    std::string problem;
    if (saved != variables.size()) {
      problem = fmt::format("{} '{}' ({}) has {} variables but the file has {} at '{}'",
                            dynamic_cast<const FunctionalImpl*>(&object) ? "model" : "layer",
                            object.name(), object.class_name(), variables.size(), saved,
                            path.empty() ? "/" : path);
    }
    for (std::size_t i = 0; problem.empty() && i < variables.size(); ++i) {
      const Tensor& value = found->second[i];
      if (value.shape() != variables[i].shape()) {
        problem =
            fmt::format("weight '{}' of layer '{}' has shape {} but the file's {}/vars/{} has {}",
                        variables[i].name(), object.name(), variables[i].shape().to_string(), path,
                        i, value.shape().to_string());
      }
    }
    if (!problem.empty()) {
      if (!options.skip_mismatch) {
        throw Error(
            fmt::format("{}: {}; pass {{.skip_mismatch = true}} to skip it", where, problem));
      }
      report.skipped.push_back(fmt::format("{}: {}", object.name(), problem));
      return;
    }
    for (std::size_t i = 0; i < variables.size(); ++i) {
      assignments.emplace_back(variables[i], &found->second[i]);
    }
    if (!variables.empty()) report.loaded.push_back(object.name());
  });
  for (auto& [variable, value] : assignments) {
    variable.assign(value->dtype() == variable.dtype() ? *value : value->astype(variable.dtype()));
  }
  return report;
}

}  // namespace keras::models::saving
