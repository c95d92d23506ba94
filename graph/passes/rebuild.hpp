#pragma once
// The walk every pass shares: copy the nodes that the fetches need, in order,
// into a new graph, letting the pass replace any node on the way.
#include <functional>
#include <optional>
#include <unordered_map>

#include "keras/graph/passes.hpp"

namespace keras::graph {

using ValueMap = std::unordered_map<Value, Value, ValueHash>;

// Returns the node's replacement outputs, or nullopt to copy it unchanged.
using RewriteFn = std::function<std::optional<std::vector<Value>>(
    const Node& node, const std::vector<Value>& inputs, Graph& out)>;

// `seed` maps source values (feeds, bindings) to values already created in
// `out`; nodes upstream of seeded values are not visited.
Program rebuild(const std::vector<Value>& feeds, const std::vector<Value>& fetches,
                std::shared_ptr<Graph> out, ValueMap seed, const RewriteFn& rewrite);

// rebuild() of a whole program into a fresh graph, its feeds copied first.
Program rebuild(const Program& program, const RewriteFn& rewrite);

// Copies `node` into `out` with new inputs, keeping its name and attributes.
std::vector<Value> copy_node(const Node& node, const std::vector<Value>& inputs, Graph& out);

}  // namespace keras::graph
