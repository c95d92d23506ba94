#pragma once
// Graph passes that know nothing of devices. Each builds a new graph holding
// only what the fetches need (so dead code is eliminated by every pass) and
// re-runs shape inference on the way, so a specialized graph has concrete
// shapes everywhere.
#include <functional>
#include <memory>
#include <utility>
#include <vector>

#include "keras/graph/graph.hpp"

namespace keras::graph {

// A graph together with the values a caller feeds and fetches.
struct Program {
  std::shared_ptr<Graph> graph;
  std::vector<Value> feeds;    // placeholders of `graph`
  std::vector<Value> fetches;  // values of `graph`
};

// Copies what `fetches` need from `graph` into a new graph: each feed becomes
// a placeholder of the matching `feed_types` entry (upstream nodes of a feed
// are not copied, so any value can be fed, as in Keras), each bound value
// becomes a constant. Throws keras::Error when a fetch needs a placeholder
// that is neither fed nor bound.
Program specialize(const std::vector<Value>& feeds, const std::vector<TensorType>& feed_types,
                   const std::vector<Value>& fetches,
                   const std::vector<std::pair<Value, Tensor>>& bindings);

// Computes a node from constant inputs (the reference kernels, in practice).
using Evaluator =
    std::function<std::vector<Tensor>(const Node& node, const std::vector<Tensor>& inputs)>;

// Replaces every stateless node whose inputs are all constants by constants,
// and a `where` whose condition is a constant scalar by the branch it takes:
// binding the learning phase removes the untaken branch.
Program fold_constants(const Program& program, const Evaluator& evaluate);

// Drops the nodes that no fetch needs (every other pass ends with it).
Program eliminate_dead_code(const Program& program);

// Merges stateless nodes with the same op, inputs and attributes.
Program eliminate_common_subexpressions(const Program& program);

}  // namespace keras::graph
