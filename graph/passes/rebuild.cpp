#include "rebuild.hpp"

#include <unordered_set>

#include "keras/graph/op_def.hpp"

namespace keras::graph {

std::vector<Value> copy_node(const Node& node, const std::vector<Value>& inputs, Graph& out) {
  return out.add_node(node.op(), inputs, node.attrs(), node.name());
}

Program rebuild(const std::vector<Value>& feeds, const std::vector<Value>& fetches,
                std::shared_ptr<Graph> out, ValueMap seed, const RewriteFn& rewrite) {
  // Mark what the fetches need, stopping at seeded values.
  std::unordered_set<const Node*> needed;
  std::vector<const Node*> stack;
  for (const Value& v : fetches) {
    if (!seed.count(v)) stack.push_back(v.node());
  }
  while (!stack.empty()) {
    const Node* node = stack.back();
    stack.pop_back();
    if (!needed.insert(node).second) continue;
    for (const Value& input : node->inputs()) {
      if (!seed.count(input)) stack.push_back(input.node());
    }
  }
  ValueMap map = std::move(seed);
  if (!fetches.empty()) {
    // Node ids are a topological order.
    for (const auto& owned : fetches.front().graph().nodes()) {
      const Node& node = *owned;
      if (!needed.count(&node)) continue;
      std::vector<Value> inputs;
      inputs.reserve(node.inputs().size());
      for (const Value& input : node.inputs()) inputs.push_back(map.at(input));
      std::optional<std::vector<Value>> replaced = rewrite(node, inputs, *out);
      std::vector<Value> outputs = replaced ? std::move(*replaced) : copy_node(node, inputs, *out);
      for (int i = 0; i < node.num_outputs(); ++i) {
        map[Value(const_cast<Node*>(&node), i)] = outputs.at(static_cast<std::size_t>(i));
      }
    }
  }
  Program program;
  program.graph = std::move(out);
  for (const Value& v : feeds) program.feeds.push_back(map.at(v));
  for (const Value& v : fetches) program.fetches.push_back(map.at(v));
  return program;
}

Program rebuild(const Program& program, const RewriteFn& rewrite) {
  ValueMap seed;
  auto out = Graph::create();
  for (const Value& feed : program.feeds) seed[feed] = copy_node(*feed.node(), {}, *out)[0];
  return rebuild(program.feeds, program.fetches, out, std::move(seed), rewrite);
}

}  // namespace keras::graph
