#include "keras/models/model.hpp"

#include <unordered_set>

#include "../core/batching.hpp"
#include "../core/tracer.hpp"
#include "keras/graph/ops.hpp"
#include "keras/layers/call_effects.hpp"
#include "keras/layers/input_layer.hpp"

namespace keras::models {

using layers::LayerImpl;

namespace {

bool is_input_tensor(const KerasTensor& t) {
  return dynamic_cast<layers::InputLayerImpl*>(t.history().layer.get()) != nullptr;
}

// The layers between `inputs` and `outputs` in dependency order (inputs
// first), checking that every output is reachable from the inputs alone.
// Sequential keeps this order; functional models list map_graph()'s.
std::vector<std::shared_ptr<LayerImpl>> collect_layers(const std::vector<KerasTensor>& inputs,
                                                       const std::vector<KerasTensor>& outputs,
                                                       const std::string& model_name) {
  std::unordered_set<const void*> given;
  for (const KerasTensor& t : inputs) given.insert(t.id());
  std::vector<std::shared_ptr<LayerImpl>> order;
  std::unordered_set<const LayerImpl*> seen_layers;
  std::unordered_set<const void*> visited_calls;
  for (const KerasTensor& t : inputs) {
    if (seen_layers.insert(t.history().layer.get()).second) order.push_back(t.history().layer);
  }
  std::function<void(const KerasTensor&, const KerasTensor&)> visit =
      [&](const KerasTensor& t, const KerasTensor& output) {
        if (given.count(t.id())) return;
        const KerasHistory& h = t.history();
        if (is_input_tensor(t)) {
          throw Error(
              fmt::format("output {} of model '{}' is not connected to its inputs: it "
                          "depends on input layer '{}' {}, which is not among them",
                          output.to_string(), model_name, h.layer->name(), t.shape().to_string()));
        }
        const auto* call = &h.layer->inbound_nodes().at(static_cast<std::size_t>(h.node_index));
        if (!visited_calls.insert(call).second) return;
        for (const KerasTensor& input : call->inputs) visit(input, output);
        if (seen_layers.insert(h.layer.get()).second) order.push_back(h.layer);
      };
  for (const KerasTensor& t : outputs) visit(t, t);
  return order;
}

}  // namespace

FunctionalImpl::FunctionalImpl(std::vector<KerasTensor> inputs, std::vector<KerasTensor> outputs,
                               std::string name, std::string class_name)
    : LayerImpl(std::move(class_name), {.name = std::move(name)}) {
  relink(std::move(inputs), std::move(outputs));
}

FunctionalImpl::FunctionalImpl(std::string name, std::string class_name)
    : LayerImpl(std::move(class_name), {.name = std::move(name)}) {}

void FunctionalImpl::relink(std::vector<KerasTensor> inputs, std::vector<KerasTensor> outputs,
                            bool list_input_layers) {
  if (inputs.empty() || outputs.empty()) {
    throw Error(fmt::format("model '{}' needs at least one input and one output", name()));
  }
  for (const KerasTensor& t : inputs) {
    if (!t.valid() || t.is_learning_phase() || !is_input_tensor(t)) {
      throw Error(
          fmt::format("the inputs of model '{}' must come from layers::Input; {} was made "
                      "by layer '{}'",
                      name(), t.valid() ? t.to_string() : "an empty tensor",
                      t.valid() && t.history().layer ? t.history().layer->name() : "?"));
    }
  }
  std::vector<std::shared_ptr<LayerImpl>> layers = collect_layers(inputs, outputs, name());
  std::unordered_set<std::string> names;
  for (const auto& layer : layers) {
    if (!names.insert(layer->name()).second) {
      throw Error(
          fmt::format("model '{}' holds two layers named '{}': layer names must be "
                      "unique within a model; rename one with the `name` option",
                      name(), layer->name()));
    }
  }
  inputs_ = std::move(inputs);
  outputs_ = std::move(outputs);
  if (list_input_layers) {
    // Keras lists a functional model's layers deepest first (its map_graph).
    layers = map_graph().layers;
  } else {
    std::erase_if(layers, [](const auto& layer) {
      return dynamic_cast<layers::InputLayerImpl*>(layer.get()) != nullptr;
    });
  }
  layers_ = std::move(layers);
  predict_function_.reset();
  mark_built();
}

std::vector<std::shared_ptr<LayerImpl>> FunctionalImpl::sublayers() const {
  return layers_;
}

void FunctionalImpl::clear_links() {
  inputs_.clear();
  outputs_.clear();
  layers_.clear();
  predict_function_.reset();
}

std::vector<graph::Value> FunctionalImpl::call(const std::vector<graph::Value>& inputs,
                                               const graph::Value& training) {
  if (inputs.size() != inputs_.size()) {
    throw Error(fmt::format("{} takes {} inputs but was called on {}", describe(), inputs_.size(),
                            inputs.size()));
  }
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (!inputs_[i].shape().is_compatible_with(inputs[i].shape())) {
      throw Error(fmt::format("{} expects input {} of shape {}, but was called on {}", describe(),
                              i, inputs_[i].shape().to_string(), inputs[i].shape().to_string()));
    }
  }
  layers::Tracer tracer(inputs[0].graph(), training);
  for (std::size_t i = 0; i < inputs.size(); ++i) tracer.feed(inputs_[i], inputs[i]);
  std::vector<graph::Value> outputs;
  for (const KerasTensor& t : outputs_) outputs.push_back(tracer.trace(t));
  return outputs;
}

std::vector<Tensor> FunctionalImpl::predict(const std::vector<Tensor>& x, std::int64_t batch_size) {
  std::lock_guard lock(predict_mutex_);
  ensure_built(x);
  if (x.size() != inputs_.size()) {
    throw Error(fmt::format("model '{}' takes {} inputs, but predict was given {} arrays", name(),
                            inputs_.size(), x.size()));
  }
  if (batch_size < 1)
    throw Error(fmt::format("predict: batch_size must be >= 1, got {}", batch_size));
  const std::int64_t n = x[0].rank() > 0 ? x[0].shape()[0] : 0;
  for (const Tensor& t : x) {
    if (t.rank() == 0 || t.shape()[0] != n) {
      throw Error(
          fmt::format("predict: all inputs need the same number of samples (axis 0); "
                      "got {} and {}",
                      x[0].shape().to_string(), t.shape().to_string()));
    }
  }
  if (!predict_function_) {
    // predict runs in test mode: the calls' updates and losses are not needed.
    layers::TracedGraph traced = layers::trace_graph(inputs_, outputs_);
    traced.inputs.push_back(traced.graph->learning_phase());
    predict_function_ = std::make_unique<backend::Function>(traced.inputs, traced.outputs);
  }
  // Batches in order; an input that fits one batch (or has no rows) is fed
  // as it is, without copying.
  std::vector<std::vector<Tensor>> parts(outputs_.size());
  const std::int64_t batches = n == 0 ? 1 : (n + batch_size - 1) / batch_size;
  for (std::int64_t i = 0; i < batches; ++i) {
    const std::int64_t begin = i * batch_size;
    const std::int64_t count = std::min(batch_size, n - begin);
    std::vector<Tensor> batch;
    for (const Tensor& t : x) batch.push_back(count == n ? t : t.rows(begin, count));
    batch.push_back(Tensor::scalar(0));
    std::vector<Tensor> out = (*predict_function_)(batch);
    for (std::size_t k = 0; k < out.size(); ++k) parts[k].push_back(out[k]);
  }
  return layers::join_batches(parts);
}

Model::Model(std::vector<KerasTensor> inputs, std::vector<KerasTensor> outputs, std::string name)
    : LayerHandle(std::make_shared<FunctionalImpl>(std::move(inputs), std::move(outputs),
                                                   std::move(name))) {}

Model::Model(const KerasTensor& input, const KerasTensor& output, std::string name)
    : Model(std::vector<KerasTensor>{input}, std::vector<KerasTensor>{output}, std::move(name)) {}

std::vector<layers::Layer> Model::layers() const {
  std::vector<layers::Layer> out;
  for (const auto& layer : impl().sublayers()) out.emplace_back(layer);
  return out;
}

layers::Layer Model::get_layer(std::string_view name) const {
  const auto slash = name.find('/');
  const std::string_view head = name.substr(0, slash);
  const auto all = impl().sublayers();
  for (const auto& layer : all) {
    if (layer->name() != head) continue;
    if (slash == std::string_view::npos) return layers::Layer(layer);
    auto nested = std::dynamic_pointer_cast<FunctionalImpl>(layer);
    if (!nested) {
      throw Error(
          fmt::format("layer '{}' of model '{}' is a {}, not a model, so it has no layer "
                      "'{}'",
                      head, this->name(), layer->class_name(), name.substr(slash + 1)));
    }
    return Model(nested).get_layer(name.substr(slash + 1));
  }
  std::string names;
  for (const auto& layer : all) names += (names.empty() ? "" : ", ") + layer->name();
  throw Error(fmt::format("model '{}' has no layer named '{}'; its layers are: {}", this->name(),
                          head, names));
}

layers::Layer Model::get_layer(int index) const {
  const auto all = impl().sublayers();
  if (index < 0 || index >= static_cast<int>(all.size())) {
    throw Error(fmt::format("model '{}' has {} layers, so there is no layer at index {}", name(),
                            all.size(), index));
  }
  return layers::Layer(all[static_cast<std::size_t>(index)]);
}

KerasTensor Model::input() const {
  if (inputs().size() != 1) {
    throw Error(fmt::format("model '{}' has {} inputs: use inputs()", name(), inputs().size()));
  }
  return inputs()[0];
}

KerasTensor Model::output() const {
  if (outputs().size() != 1) {
    throw Error(fmt::format("model '{}' has {} outputs: use outputs()", name(), outputs().size()));
  }
  return outputs()[0];
}

Tensor Model::predict(const Tensor& x, std::int64_t batch_size) const {
  std::vector<Tensor> out = predict(std::vector<Tensor>{x}, batch_size);
  if (out.size() != 1) {
    throw Error(
        fmt::format("model '{}' has {} outputs: call predict with a vector of inputs to "
                    "get them all",
                    name(), out.size()));
  }
  return out[0];
}

std::vector<Tensor> Model::predict(const std::vector<Tensor>& x, std::int64_t batch_size) const {
  return impl().predict(x, batch_size);
}

}  // namespace keras::models
