#include "keras/graph/op_def.hpp"
#include "keras/graph/passes.hpp"
#include "rebuild.hpp"

namespace keras::graph {

namespace {

bool is_constant(const Value& v) {
  return v.node()->op() == "constant";
}

const Tensor& constant_value(const Value& v) {
  return v.node()->attrs().get_tensor("value");
}

}  // namespace

Program fold_constants(const Program& program, const Evaluator& evaluate) {
  auto rewrite = [&](const Node& node, const std::vector<Value>& inputs,
                     Graph& out) -> std::optional<std::vector<Value>> {
    if (node.def().stateful || node.op() == "constant" || inputs.empty()) return std::nullopt;
    if (node.op() == "where" && is_constant(inputs[0]) && inputs[0].shape().rank() == 0) {
      // The learning phase, once bound: keep only the branch it selects.
      const Value& taken = constant_value(inputs[0]).item() != 0.0 ? inputs[1] : inputs[2];
      if (taken.type() == node.output_type(0)) return std::vector<Value>{taken};
    }
    for (const Value& v : inputs) {
      if (!is_constant(v)) return std::nullopt;
    }
    std::vector<Tensor> values;
    for (const Value& v : inputs) values.push_back(constant_value(v));
    std::vector<Tensor> results = evaluate(node, values);
    std::vector<Value> outputs;
    for (std::size_t i = 0; i < results.size(); ++i) {
      std::string name = results.size() == 1 ? node.name() : fmt::format("{}_{}", node.name(), i);
      outputs.push_back(out.add("constant", {}, {{"value", results[i]}}, name));
    }
    return outputs;
  };
  // A folded branch leaves its copied inputs behind: prune them.
  return eliminate_dead_code(rebuild(program, rewrite));
}

}  // namespace keras::graph
