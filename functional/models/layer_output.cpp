// Model::get_layer_output: probing a layer inside a nested model. The probe is
// a layer of the outer model, called on the nested model's inputs at one of
// its calls; its call() traces the nested model on them and returns the
// inner tensor instead of the nested model's outputs. The traced ops equal
// those of the full pass, so the probe equals it exactly.
#include "../core/tracer.hpp"
#include "keras/models/model.hpp"

namespace keras::models {

namespace {

class ProbeImpl : public layers::LayerImpl {
 public:
  ProbeImpl(std::shared_ptr<FunctionalImpl> model, KerasTensor target, const std::string& name)
      : LayerImpl("Probe", {.name = name}), model_(std::move(model)), target_(std::move(target)) {}

  std::vector<graph::Value> call(const std::vector<graph::Value>& inputs,
                                 const graph::Value& training) override {
    layers::Tracer tracer(inputs.at(0).graph(), training);
    for (std::size_t i = 0; i < inputs.size(); ++i) tracer.feed(model_->inputs()[i], inputs[i]);
    return {tracer.trace(target_)};
  }

 private:
  std::shared_ptr<FunctionalImpl> model_;
  KerasTensor target_;
};

// "inner@1" -> ("inner", 1); "inner" -> ("inner", 0).
std::pair<std::string, int> split_call(std::string_view segment) {
  const auto at = segment.find('@');
  if (at == std::string_view::npos) return {std::string(segment), 0};
  const std::string index(segment.substr(at + 1));
  if (index.empty() || index.find_first_not_of("0123456789") != std::string::npos) {
    throw Error(
        fmt::format("'{}' is not a layer path segment: write name or name@call_index", segment));
  }
  return {std::string(segment.substr(0, at)), std::stoi(index)};
}

}  // namespace

KerasTensor Model::get_layer_output(std::string_view path) const {
  const auto slash = path.find('/');
  const auto [name, call] = split_call(path.substr(0, slash));
  layers::Layer layer = get_layer(name);
  // The calls of `layer` inside this model, in the order they were made.
  std::vector<int> calls;
  for (const auto& [key, depth] : impl().map_graph().node_depths) {
    if (key.first == &layer.impl()) calls.push_back(key.second);
  }
  if (call < 0 || call >= static_cast<int>(calls.size())) {
    throw Error(fmt::format("layer '{}' is called {} time{} in model '{}', so it has no call {}",
                            name, calls.size(), calls.size() == 1 ? "" : "s", this->name(), call));
  }
  const int node = calls[static_cast<std::size_t>(call)];
  if (slash == std::string_view::npos) return layer.get_output_at(node);
  auto nested = std::dynamic_pointer_cast<FunctionalImpl>(layer.ptr());
  if (!nested) {
    throw Error(fmt::format("layer '{}' of model '{}' is a {}, not a model: nothing lies inside it",
                            name, this->name(), layer.class_name()));
  }
  const KerasTensor target = Model(nested).get_layer_output(path.substr(slash + 1));
  layers::Layer probe(std::make_shared<ProbeImpl>(
      nested, target, fmt::format("{}_probe_{}", name, path.substr(slash + 1))));
  return probe(layer.get_inputs_at(node));
}

}  // namespace keras::models
