#include "../ops/broadcast_shape.hpp"
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

// Ops that are the identity once shapes are concrete: gradients emit
// sum_to_like and broadcast_like for shapes that may turn out equal.
bool is_identity(const Node& node, const std::vector<Value>& inputs) {
  const std::string& op = node.op();
  const bool same_type = inputs[0].type() == node.output_type(0);
  return same_type && (op == "identity" || op == "sum_to_like" || op == "broadcast_like" ||
                       op == "reshape" || op == "cast" || op == "squeeze" || op == "expand_dims");
}

// fill_like needs only its input's shape, which specialization made concrete.
bool is_fill_of_known_shape(const Node& node) {
  return node.op() == "fill_like" && node.output_type(0).shape.is_fully_known();
}

bool is_broadcasting_arithmetic(const std::string& op) {
  return op == "add" || op == "subtract" || op == "multiply" || op == "divide" || op == "maximum" ||
         op == "minimum";
}

// add(broadcast_like(a, t), b) computes the same as add(a, b) when b already
// has the result's shape: the binary op broadcasts by itself, and a
// broadcast_like copy is saved (gradients of mean() produce this pattern).
std::optional<std::vector<Value>> drop_explicit_broadcast(const Node& node,
                                                          const std::vector<Value>& inputs,
                                                          Graph& out) {
  if (!is_broadcasting_arithmetic(node.op())) return std::nullopt;
  for (int i = 0; i < 2; ++i) {
    const Value& in = inputs[static_cast<std::size_t>(i)];
    if (in.node()->op() != "broadcast_like") continue;
    std::vector<Value> replaced = inputs;
    replaced[static_cast<std::size_t>(i)] = in.node()->input(0);
    auto shape = try_broadcast_shapes(replaced[0].shape(), replaced[1].shape());
    if (shape && *shape == node.output_type(0).shape &&
        replaced[0].dtype() == replaced[1].dtype()) {
      return out.add_node(node.op(), replaced, node.attrs(), node.name());
    }
  }
  return std::nullopt;
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
    if (is_identity(node, inputs)) return std::vector<Value>{inputs[0]};
    if (auto rewritten = drop_explicit_broadcast(node, inputs, out)) return rewritten;
    if (is_fill_of_known_shape(node)) {
      const TensorType& type = node.output_type(0);
      Tensor value = Tensor::full(type.shape, node.attrs().get_float("value"), type.dtype);
      return std::vector<Value>{out.add("constant", {}, {{"value", value}}, node.name())};
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
