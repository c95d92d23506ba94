// Steps and fusions: one step per computing node, except that
// - matmul + bias add (+ activation) become one dnnl::matmul with a bias
//   argument and an eltwise post-op, when the intermediate values are read by
//   nothing else (an activation's gradient may read the activation's output
//   instead of its input when oneDNN computes it from there), and
// - a + b * c or a - b * c with a scalar constant c becomes one dnnl::binary
//   with a source scale (an SGD update in one pass over memory), and
// - a variable's update w - p * s or w + p * s, where p is a matmul's product
//   and s a scalar value of the plan (the learning rate), becomes that matmul
//   accumulating into the variable's storage: an output scale and a sum
//   post-op. SGD's update then costs no pass of its own: the weight gradient
//   is never stored.
// - a ReLU's gradient and the sum_to_like that sums it over leading axes (a
//   bias gradient) become one pass of keras-cpp's own kernel.
// Fetched values and updates are never fused away: they need their buffers.
// Small steps (small_steps.hpp) run on the reference kernels and fuse nothing.
#include <algorithm>
#include <optional>
#include <unordered_set>

#include "lowering.hpp"
#include "plan.hpp"
#include "small_steps.hpp"

namespace keras::backend::onednn {

namespace {

using graph::Node;
using graph::Value;
using Consumers = std::unordered_map<Value, std::vector<const Node*>, graph::ValueHash>;
using ValueSet = std::unordered_set<Value, graph::ValueHash>;

bool is_source(const Node& node) {
  return node.op() == "placeholder" || node.op() == "constant" || node.op() == "variable";
}

// The add that `matmul` feeds, when it adds a vector over the product's last
// axis (a Dense layer's bias), and that vector.
std::pair<const Node*, Value> bias_add_of(const Node& matmul, const Consumers& consumers,
                                          const ValueSet& kept) {
  const Value product = output_of(matmul);
  auto users = consumers.find(product);
  if (users == consumers.end() || users->second.size() != 1 || kept.count(product)) return {};
  const Node* add = users->second[0];
  if (add->op() != "add" || add->output_type(0) != matmul.output_type(0)) return {};
  const Value bias = add->input(0) == product ? add->input(1) : add->input(0);
  const std::int64_t units = matmul.output_type(0).shape.dim(-1);
  if (bias == product || bias.dtype() != DType::float32 || bias.shape().rank() < 1 ||
      bias.shape().num_elements() != units || bias.shape().dim(-1) != units) {
    return {};
  }
  return {add, bias};
}

// The activation applied to `pre` (the biased product), when it can be a
// post-op: `pre` has no other reader but gradients that oneDNN computes from
// the activation's output.
const Node* activation_of(const Value& pre, const Consumers& consumers, const ValueSet& kept) {
  if (kept.count(pre)) return nullptr;
  auto users = consumers.find(pre);
  if (users == consumers.end()) return nullptr;
  const Node* activation = nullptr;
  for (const Node* user : users->second) {
    if (user->op() == "activation_grad") continue;
    if (activation != nullptr) return nullptr;
    activation = user;
  }
  if (activation == nullptr || activation->input(0) != pre) return nullptr;
  auto algorithm = eltwise_algorithm(activation->op(), activation->attrs());
  if (!algorithm || algorithm->scalar_only) return nullptr;
  // A small gradient runs on its reference kernel, which reads the input.
  for (const Node* user : users->second) {
    if (user->op() != "activation_grad") continue;
    if (user->input(1) != output_of(*activation) || !algorithm->backward ||
        !algorithm->backward->from_dst || is_small_step(*user)) {
      return nullptr;
    }
  }
  return activation;
}

// A variable's update that a matmul can accumulate, in the matmul's place:
// w - p * s or w + p * s, with p the matmul's product (one that runs on
// sgemm or the narrow kernel) and s a scalar computed before the matmul (a source, or a node
// earlier in the graph), neither read by anything else; nothing reads the
// variable after the matmul.
struct Accumulation {
  const Node* update = nullptr;  // the add or subtract
  const Node* product_scaling = nullptr;
  const Node* matmul = nullptr;
  Value scale;
};

std::optional<Accumulation> accumulation_of(
    const Variable& variable, const Value& value, const Consumers& consumers, const ValueSet& kept,
    const std::unordered_map<const Node*, std::size_t>& order) {
  const Node& update = *value.node();
  const graph::TensorType type{variable.dtype(), variable.shape()};
  if ((update.op() != "add" && update.op() != "subtract") || update.output_type(0) != type ||
      type.dtype != DType::float32 || consumers.count(value)) {
    return std::nullopt;
  }
  for (int side = 0; side < 2; ++side) {
    const Value read = update.input(side);
    const Value scaled = update.input(1 - side);
    if (update.op() == "subtract" && side != 0) break;
    if (read.node()->op() != "variable" ||
        read.node()->attrs().get_variable("variable") != variable || kept.count(read) ||
        kept.count(scaled) || read == scaled) {
      continue;
    }
    const Node& scaling = *scaled.node();
    if (scaling.op() != "multiply" || consumers.at(scaled).size() != 1) continue;
    for (int i = 0; i < 2; ++i) {
      const Value product = scaling.input(i);
      const Value scale = scaling.input(1 - i);
      const Node& matmul = *product.node();
      if (matmul.op() != "matmul" || matmul.output_type(0) != type || kept.count(product) ||
          consumers.at(product).size() != 1 || scale.dtype() != DType::float32 ||
          scale.shape().num_elements() != 1 ||
          !(prefers_sgemm(matmul) || is_narrow_matmul(matmul))) {
        continue;
      }
      if (!is_source(*scale.node()) && order.at(scale.node()) > order.at(&matmul)) continue;
      const bool read_later = std::any_of(
          consumers.at(read).begin(), consumers.at(read).end(),
          [&](const Node* user) { return user != &update && order.at(user) >= order.at(&matmul); });
      if (read_later) continue;
      return Accumulation{&update, &scaling, &matmul, scale};
    }
  }
  return std::nullopt;
}

// The sum over leading axes of a (not small) ReLU gradient's result, which
// its step computes on the way.
const Node* column_sum_of(const Node& activation_grad, const Consumers& consumers) {
  if (!relu_grad_slope(activation_grad)) return nullptr;
  const Value dx = output_of(activation_grad);
  auto users = consumers.find(dx);
  if (users == consumers.end()) return nullptr;
  for (const Node* user : users->second) {
    if (user->op() == "sum_to_like" && user->input(0) == dx && is_column_sum(*user)) return user;
  }
  return nullptr;
}

}  // namespace

std::vector<Value> step_outputs(const Step& step) {
  std::vector<Value> outputs;
  for (int i = 0; i < step.node->num_outputs(); ++i) outputs.push_back(output_of(*step.node, i));
  if (step.column_sum != nullptr) outputs.push_back(output_of(*step.column_sum));
  return outputs;
}

void OnednnPlan::plan_steps() {
  Consumers consumers;
  for (const auto& node : graph_->nodes()) {
    for (const Value& v : node->inputs()) consumers[v].push_back(node.get());
  }
  ValueSet kept(fetches_.begin(), fetches_.end());
  for (const auto& update : updates_) kept.insert(update.second);
  std::unordered_set<const Node*> absorbed;
  std::unordered_map<const Node*, std::size_t> order;
  for (const auto& owned : graph_->nodes()) order.emplace(owned.get(), order.size());
  // Updates a matmul accumulates, by the node at whose place the fused step runs.
  std::unordered_map<const Node*, Accumulation> accumulations;
  for (const auto& [variable, value] : updates_) ++updates_per_variable_[variable.id()];
  for (const auto& [variable, value] : updates_) {
    if (updates_per_variable_[variable.id()] != 1) continue;
    auto found = accumulation_of(variable, value, consumers, kept, order);
    if (!found || accumulations.count(found->matmul)) continue;
    absorbed.insert({found->update, found->product_scaling});
    accumulations.emplace(found->matmul, *found);
  }
  // Scalings fold into the add or subtract that consumes them, which comes
  // later in node order: find them first.
  for (const auto& owned : graph_->nodes()) {
    const Node& node = *owned;
    if (absorbed.count(&node) || node.op() != "multiply" ||
        node.output_type(0).dtype != DType::float32) {
      continue;
    }
    const Value product = output_of(node);
    const auto& users = consumers[product];
    if (users.size() != 1 || kept.count(product)) continue;
    const Node& user = *users[0];
    if (is_small_step(user)) continue;
    // One scaling per add: a + b * c fuses, (a * c) + (b * d) fuses one side.
    if ((user.op() != "add" && user.op() != "subtract") || scalings_.count(&user)) continue;
    const bool second_operand = user.input(1) == product && user.input(0) != product;
    const bool commutes =
        user.op() == "add" && user.input(0) == product && user.input(1) != product;
    if (!second_operand && !commutes) continue;
    for (int i = 0; i < 2; ++i) {
      const Value factor = node.input(i);
      const Value operand = node.input(1 - i);
      if (factor.node()->op() == "constant" && factor.shape().num_elements() == 1 &&
          operand.type() == user.output_type(0) &&
          user.input(commutes ? 1 : 0).type() == user.output_type(0)) {
        scalings_[&user] = {&node, operand,
                            static_cast<float>(factor.node()->attrs().get_tensor("value").item())};
        absorbed.insert(&node);
        break;
      }
    }
  }
  for (const auto& owned : graph_->nodes()) {
    const Node& node = *owned;
    if (auto fused = accumulations.find(&node); fused != accumulations.end()) {
      Step step;
      step.node = fused->second.update;
      step.matmul = &node;
      step.accumulate_scale = fused->second.scale;
      steps_.push_back(step);
      continue;
    }
    if (absorbed.count(&node) || is_source(node)) continue;
    Step step;
    step.node = &node;
    step.small = is_small_step(node);
    if (!step.small && node.op() == "matmul" && node.output_type(0).dtype == DType::float32) {
      auto [add, bias] = bias_add_of(node, consumers, kept);
      // An add that already absorbed a scaling keeps it.
      if (add != nullptr && !scalings_.count(add)) {
        step.matmul = &node;
        step.bias_add = add;
        step.bias = bias;
        step.node = add;
        absorbed.insert(add);
        if (const Node* activation = activation_of(output_of(*add), consumers, kept)) {
          step.activation = activation;
          step.node = activation;
          absorbed.insert(activation);
        }
      }
    }
    if (!step.small && node.op() == "activation_grad") {
      step.column_sum = column_sum_of(node, consumers);
      if (step.column_sum != nullptr) absorbed.insert(step.column_sum);
    }
    if (auto scaling = scalings_.find(&node); scaling != scalings_.end()) {
      step.scaling = scaling->second.node;
      step.scaled_operand = scaling->second.operand;
      step.scale = scaling->second.scale;
    }
    steps_.push_back(step);
  }
}

std::vector<Value> OnednnPlan::step_inputs(const Step& step) const {
  std::vector<Value> inputs;
  if (step.matmul != nullptr) {
    inputs = step.matmul->inputs();
    inputs.push_back(step.bias);
  } else {
    inputs = step.node->inputs();
  }
  if (step.scaling != nullptr) inputs.push_back(step.scaled_operand);
  if (step.accumulate_scale.valid()) inputs.push_back(step.accumulate_scale);
  // A fused pre-activation has no buffer: gradients read the activation's output.
  std::erase_if(inputs, [&](const Value& v) { return !slot_of_.count(v); });
  return inputs;
}

}  // namespace keras::backend::onednn
