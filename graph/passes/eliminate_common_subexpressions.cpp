#include <unordered_map>

#include "keras/graph/op_def.hpp"
#include "keras/graph/passes.hpp"
#include "rebuild.hpp"

namespace keras::graph {

Program eliminate_common_subexpressions(const Program& program) {
  // Candidates by (op, first input): a short list to compare attributes on.
  std::unordered_multimap<std::string, Node*> seen;
  auto key_of = [](const std::string& op, const std::vector<Value>& inputs) {
    std::string key = op;
    for (const Value& v : inputs) key += fmt::format("|{}:{}", v.node()->id(), v.index());
    return key;
  };
  auto rewrite = [&](const Node& node, const std::vector<Value>& inputs,
                     Graph& out) -> std::optional<std::vector<Value>> {
    if (node.def().stateful) return std::nullopt;
    const std::string key = key_of(node.op(), inputs);
    auto [begin, end] = seen.equal_range(key);
    for (auto it = begin; it != end; ++it) {
      if (it->second->attrs() == node.attrs()) {
        std::vector<Value> outputs;
        for (int i = 0; i < it->second->num_outputs(); ++i)
          outputs.push_back(it->second->output(i));
        return outputs;
      }
    }
    std::vector<Value> outputs = copy_node(node, inputs, out);
    seen.emplace(key, outputs[0].node());
    return outputs;
  };
  return eliminate_dead_code(rebuild(program, rewrite));
}

}  // namespace keras::graph
