#include "tracer.hpp"

#include "keras/graph/ops.hpp"
#include "keras/layers/input_layer.hpp"
#include "keras/layers/layer.hpp"

namespace keras::layers {

void Tracer::feed(const KerasTensor& tensor, const graph::Value& value) {
  values_[tensor.id()] = value;
}

graph::Value Tracer::trace(const KerasTensor& tensor) {
  if (auto it = values_.find(tensor.id()); it != values_.end()) return it->second;
  if (tensor.is_learning_phase()) return graph_.learning_phase();
  const KerasHistory& history = tensor.history();
  LayerImpl& layer = *history.layer;
  if (dynamic_cast<InputLayerImpl*>(&layer) != nullptr) {
    throw Error(
        fmt::format("{} depends on input layer '{}' {}, which is not among the given "
                    "inputs: add it to the inputs",
                    tensor.to_string(), layer.name(), tensor.shape().to_string()));
  }
  const auto key = std::make_pair(static_cast<const void*>(&layer), history.node_index);
  auto call = calls_.find(key);
  if (call == calls_.end()) {
    const Node& node = layer.inbound_nodes().at(static_cast<std::size_t>(history.node_index));
    std::vector<graph::Value> inputs;
    for (const KerasTensor& input : node.inputs) inputs.push_back(trace(input));
    // A call that fixed its phase gets a constant, which folds the other
    // branch away; the others follow the phase this graph is traced in.
    graph::Value training = training_;
    if (node.training) {
      Tensor phase(DType::bool_, Shape{});
      phase.data<bool>()[0] = *node.training;
      training = ops::constant(phase);
    }
    graph::NameScope scope(graph_, layer.name());
    call = calls_.emplace(key, layer.trace_call(inputs, training)).first;
  }
  graph::Value value = call->second.at(static_cast<std::size_t>(history.tensor_index));
  values_[tensor.id()] = value;
  return value;
}

TracedGraph trace_graph(const std::vector<KerasTensor>& inputs,
                        const std::vector<KerasTensor>& outputs) {
  TracedGraph traced{graph::Graph::create(), {}, {}, {}};
  graph::Graph& g = *traced.graph;
  graph::GraphScope scope(traced.graph);
  Tracer tracer(g, g.learning_phase());
  CallEffectsScope effects_scope(traced.effects);
  for (const KerasTensor& t : inputs) {
    if (!t.valid()) throw Error("an empty KerasTensor was given as an input");
    if (t.is_learning_phase()) {
      traced.inputs.push_back(g.learning_phase());
      continue;
    }
    traced.inputs.push_back(ops::placeholder(t.shape(), t.dtype(), t.name()));
    tracer.feed(t, traced.inputs.back());
  }
  for (const KerasTensor& t : outputs) {
    if (!t.valid()) throw Error("an empty KerasTensor was given as an output");
    traced.outputs.push_back(tracer.trace(t));
  }
  return traced;
}

}  // namespace keras::layers
