#pragma once
// Traces recorded layer calls into an op graph (DESIGN.md, "How data flows",
// step 3): each KerasTensor is computed by calling its layer's call() on the
// graph values of its inputs, once per recorded call.
#include <map>
#include <unordered_map>
#include <utility>
#include <vector>

#include "keras/graph/graph.hpp"
#include "keras/keras_tensor.hpp"
#include "keras/layers/call_effects.hpp"

namespace keras::layers {

class Tracer {
 public:
  // `training` is the learning phase value every call receives.
  Tracer(graph::Graph& graph, graph::Value training) : graph_(graph), training_(training) {}

  void feed(const KerasTensor& tensor, const graph::Value& value);
  // The graph value of `tensor`, tracing the calls it depends on. Throws
  // keras::Error when it depends on an Input that was not fed.
  graph::Value trace(const KerasTensor& tensor);

 private:
  graph::Graph& graph_;
  graph::Value training_;
  std::unordered_map<const void*, graph::Value> values_;
  std::map<std::pair<const void*, int>, std::vector<graph::Value>> calls_;
};

// Layer calls traced into a graph of their own.
struct TracedGraph {
  std::shared_ptr<graph::Graph> graph;
  std::vector<graph::Value> inputs;  // a placeholder per input; the learning phase as itself
  std::vector<graph::Value> outputs;
  CallEffects effects;  // losses and updates the calls reported
};

// Traces what `outputs` need into a fresh graph whose learning phase every
// call receives. Throws keras::Error when an output needs an Input that is
// not among `inputs`.
TracedGraph trace_graph(const std::vector<KerasTensor>& inputs,
                        const std::vector<KerasTensor>& outputs);

}  // namespace keras::layers
