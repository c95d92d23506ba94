#include "keras/autodiff/gradients.hpp"

#include <unordered_map>
#include <unordered_set>

#include "keras/graph/ops.hpp"
#include "vjp.hpp"

namespace keras::autodiff {

namespace {

using ValueSet = std::unordered_set<Value, graph::ValueHash>;
using GradMap = std::unordered_map<Value, Value, graph::ValueHash>;

// Nodes that `loss` depends on.
std::unordered_set<const graph::Node*> ancestors_of(const Value& loss) {
  std::unordered_set<const graph::Node*> seen;
  std::vector<const graph::Node*> stack{loss.node()};
  while (!stack.empty()) {
    const graph::Node* node = stack.back();
    stack.pop_back();
    if (!seen.insert(node).second) continue;
    for (const Value& input : node->inputs()) stack.push_back(input.node());
  }
  return seen;
}

// Values that depend on some value of `wrt` through floating values; node
// ids are a topological order, so one forward sweep finds them.
ValueSet dependents_of(const graph::Graph& graph, const ValueSet& wrt,
                       const std::unordered_set<const graph::Node*>& relevant) {
  ValueSet dependent = wrt;
  for (const auto& owned : graph.nodes()) {
    graph::Node& node = *owned;
    if (!relevant.count(&node)) continue;
    bool depends = false;
    for (const Value& input : node.inputs()) depends = depends || dependent.count(input) != 0;
    if (!depends) continue;
    for (int i = 0; i < node.num_outputs(); ++i) {
      if (is_floating(node.output_type(i).dtype)) dependent.insert(node.output(i));
    }
  }
  return dependent;
}

void accumulate(GradMap& grads, const Value& target, Value grad) {
  // The engine, not the rules, undoes broadcasting. Shapes with unknown
  // sizes may agree now and differ at run time, so they are always summed.
  if (grad.shape() != target.shape() || !target.shape().is_fully_known()) {
    grad = ops::sum_to_like(grad, target);
  }
  if (grad.dtype() != target.dtype()) grad = ops::cast(grad, target.dtype());
  auto it = grads.find(target);
  if (it == grads.end()) {
    grads.emplace(target, grad);
  } else {
    it->second = it->second + grad;  // fan-out: contributions add up
  }
}

}  // namespace

std::vector<Value> gradients(const Value& loss, const std::vector<Value>& wrt) {
  if (!loss.valid()) throw Error("gradients: the loss is an empty value");
  if (!is_floating(loss.dtype())) {
    throw Error(fmt::format("gradients: the loss {} must be float32 or float64", loss.to_string()));
  }
  graph::Graph& graph = loss.graph();
  for (const Value& w : wrt) {
    if (!w.valid() || &w.graph() != &graph) {
      throw Error(fmt::format("gradients: {} is not a value of the loss' graph",
                              w.valid() ? w.to_string() : "an empty value"));
    }
  }
  const ValueSet wrt_set(wrt.begin(), wrt.end());
  const auto relevant = ancestors_of(loss);
  const ValueSet dependent = dependents_of(graph, wrt_set, relevant);

  graph::NameScope scope(graph, "gradients");
  GradMap grads;
  grads.emplace(loss, ops::ones_like(loss));
  // Walk backwards from the loss over the nodes between it and `wrt`.
  std::vector<graph::Node*> order;
  for (const auto& owned : graph.nodes()) {
    if (relevant.count(owned.get())) order.push_back(owned.get());
  }
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    graph::Node& node = **it;
    std::vector<Value> outputs, output_grads;
    bool any_grad = false;
    for (int i = 0; i < node.num_outputs(); ++i) {
      outputs.push_back(node.output(i));
      auto g = grads.find(node.output(i));
      output_grads.push_back(g == grads.end() ? Value() : g->second);
      any_grad = any_grad || g != grads.end();
    }
    if (!any_grad) continue;
    std::vector<bool> needs;
    bool any_needed = false;
    for (const Value& input : node.inputs()) {
      needs.push_back(dependent.count(input) != 0 && is_floating(input.dtype()));
      any_needed = any_needed || needs.back();
    }
    if (!any_needed) continue;
    const VjpRule* rule = find_vjp(node.op());
    if (rule == nullptr) {
      throw Error(
          fmt::format("no gradient rule for op '{}' (node '{}'): it cannot be "
                      "differentiated; wrap the value in stop_gradient if no gradient "
                      "should flow through it",
                      node.op(), node.name()));
    }
    if (!rule->differentiable) continue;
    VjpContext context{node, node.inputs(), outputs, output_grads, needs};
    std::vector<Value> input_grads = rule->fn(context);
    KERAS_INTERNAL_CHECK(input_grads.size() == node.inputs().size(),
                         "VJP of '{}' returned {} gradients for {} inputs", node.op(),
                         input_grads.size(), node.inputs().size());
    for (std::size_t i = 0; i < input_grads.size(); ++i) {
      if (needs[i] && input_grads[i].valid()) accumulate(grads, node.inputs()[i], input_grads[i]);
    }
  }
  std::vector<Value> result;
  for (const Value& w : wrt) {
    auto g = grads.find(w);
    result.push_back(g != grads.end() ? g->second : ops::zeros_like(w));
  }
  return result;
}

}  // namespace keras::autodiff
