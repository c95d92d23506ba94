// FunctionalImpl::map_graph: Keras' map of a functional model's graph
// (keras/src/ops/function.py map_graph and _build_map): every call with its
// depth and the layers in Keras' order.
#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <unordered_set>

#include "keras/models/model.hpp"

namespace keras::models {

namespace {

using layers::LayerImpl;
using NodeKey = std::pair<const LayerImpl*, int>;

NodeKey key_of(const KerasTensor& t) {
  return {t.history().layer.get(), t.history().node_index};
}

const layers::Node& node_of(const NodeKey& key) {
  return key.first->inbound_nodes().at(static_cast<std::size_t>(key.second));
}

}  // namespace

FunctionalImpl::GraphMap FunctionalImpl::map_graph() const {
  const FunctionalImpl& model = *this;
  std::unordered_set<const void*> inputs;
  for (const KerasTensor& t : model.inputs()) inputs.insert(t.id());

  // _build_map: calls in post order from the outputs (inputs -> outputs) and
  // each layer's index in the pre order that first meets it.
  std::vector<NodeKey> ordered;
  std::set<NodeKey> finished;
  std::map<const LayerImpl*, int> first_seen;
  std::map<const LayerImpl*, std::shared_ptr<LayerImpl>> owners;
  std::function<void(const KerasTensor&)> visit = [&](const KerasTensor& t) {
    const NodeKey key = key_of(t);
    if (finished.count(key)) return;
    first_seen.emplace(key.first, static_cast<int>(first_seen.size()));
    owners.emplace(key.first, t.history().layer);
    if (!inputs.count(t.id())) {
      for (const KerasTensor& input : node_of(key).inputs) visit(input);
    }
    finished.insert(key);
    ordered.push_back(key);
  };
  for (const KerasTensor& t : model.outputs()) visit(t);

  // Depths from the outputs back; all calls of a shared layer sit at least as
  // deep as the deepest one seen so far (Keras' operations_depths).
  GraphMap map;
  std::map<const LayerImpl*, int> layer_depths;
  std::vector<const LayerImpl*> layer_order;  // as layer_depths fills, for stable ties
  for (auto it = ordered.rbegin(); it != ordered.rend(); ++it) {
    int depth = map.node_depths.emplace(*it, 0).first->second;
    auto [layer_depth, inserted] = layer_depths.emplace(it->first, 0);
    if (inserted) layer_order.push_back(it->first);
    depth = std::max(depth, layer_depth->second);
    layer_depth->second = depth;
    map.node_depths[*it] = depth;
    for (const KerasTensor& input : node_of(*it).inputs) {
      int& parent = map.node_depths[key_of(input)];
      parent = std::max(parent, depth + 1);
    }
  }
  // Inputs that no output depends on still belong to the model, at depth 0.
  for (const KerasTensor& t : model.inputs()) {
    const LayerImpl* layer = t.history().layer.get();
    if (layer_depths.emplace(layer, 0).second) {
      layer_order.push_back(layer);
      first_seen[layer] = -1;
      owners.emplace(layer, t.history().layer);
      map.node_depths[{layer, 0}] = 0;
    }
  }

  std::vector<const LayerImpl*> sorted = layer_order;
  std::stable_sort(sorted.begin(), sorted.end(), [&](const LayerImpl* a, const LayerImpl* b) {
    const int da = layer_depths.at(a), db = layer_depths.at(b);
    return da != db ? da > db : first_seen.at(a) < first_seen.at(b);
  });
  for (const LayerImpl* layer : sorted) map.layers.push_back(owners.at(layer));
  return map;
}

}  // namespace keras::models
