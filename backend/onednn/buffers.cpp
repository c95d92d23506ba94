// The memory planner. Sources keep their own memory (feeds are rebound each
// run, constants and variables are read in place). Step outputs take the
// smallest free buffer that holds them (greedy best fit over liveness); a
// variable's update is written into the variable itself when that is safe;
// a view (reshape, expand_dims, identity, ...) of a planned buffer or a
// constant aliases it instead of copying.
#include <algorithm>
#include <map>
#include <optional>
#include <unordered_set>

#include "lowering.hpp"
#include "plan.hpp"

namespace keras::backend::onednn {

namespace {

using graph::Node;
using graph::Value;
using LastUse = std::unordered_map<Value, std::size_t, graph::ValueHash>;
using InPlace = std::unordered_map<Value, Variable, graph::ValueHash>;

// A binary step that reads each operand at the position it writes: it may
// write over an operand. (With a broadcast operand, the oneDNN lowering first
// writes that operand into the output, over the other one.)
bool elementwise_binary(const Step& step, const std::vector<Value>& inputs) {
  const std::string& op = step.node->op();
  if (step.matmul != nullptr || (op != "add" && op != "subtract" && op != "multiply" &&
                                 op != "divide" && op != "maximum" && op != "minimum")) {
    return false;
  }
  return std::all_of(inputs.begin(), inputs.end(),
                     [&](const Value& v) { return v.shape() == step.node->output_type(0).shape; });
}

// The input whose buffer a step's output may take over when the input dies
// there: an activation's gradient reads dy once per element and writes dx at
// the same position (oneDNN's eltwise_backward allows diff_src over
// diff_dst), so dx lands on lines that are still in cache.
std::optional<Value> overwritable_input(const Step& step) {
  if (step.matmul != nullptr || step.node->op() != "activation_grad") return std::nullopt;
  const Value dy = step.node->input(2);
  if (dy.type() != step.node->output_type(0)) return std::nullopt;
  return dy;
}

}  // namespace

void OnednnPlan::plan_buffers() {
  auto new_slot = [&](const Value& value, Tensor tensor, std::string note, bool lendable = false) {
    slot_of_[value] = static_cast<int>(slots_.size());
    slots_.push_back(std::move(tensor));
    slot_notes_.push_back(std::move(note));
    lendable_.push_back(lendable);
  };
  std::unordered_map<std::uint64_t, Value> variable_value;  // by variable id
  for (const auto& owned : graph_->nodes()) {
    const Node& node = *owned;
    if (node.op() == "constant") {
      new_slot(output_of(node), node.attrs().get_tensor("value"), "constant");
    } else if (node.op() == "variable") {
      const Variable& variable = node.attrs().get_variable("variable");
      new_slot(output_of(node), variable.value(), "variable " + variable.name());
      variable_value.emplace(variable.id(), output_of(node));
    } else if (node.op() == "placeholder") {
      const graph::TensorType& type = node.output_type(0);
      new_slot(output_of(node), Tensor(type.dtype, type.shape), "feed");
    }
  }
  for (const Value& feed : feeds_) feed_slots_.push_back(slot_of_.at(feed));
  std::unordered_map<Value, std::size_t, graph::ValueHash> step_of;
  for (std::size_t s = 0; s < steps_.size(); ++s) {
    for (const Value& out : step_outputs(steps_[s])) {
      slot_of_[out] = -1;  // planned below
      step_of[out] = s;
    }
  }
  // The last step that reads each value; fetches and updates live to the end
  // (updates are copied into their variables after the last step).
  LastUse last_use;
  for (std::size_t s = 0; s < steps_.size(); ++s) {
    for (const Value& v : step_inputs(steps_[s])) last_use[v] = s;
  }
  for (const Value& v : fetches_) last_use[v] = steps_.size();
  for (const auto& update : updates_) last_use[update.second] = steps_.size();

  // An update written straight into its variable saves a buffer and a copy.
  // Safe when nothing reads the variable after the update's step, and that
  // step reads it, if at all, elementwise at the same position.
  InPlace in_place;
  for (const auto& [variable, value] : updates_) {
    auto produced = step_of.find(value);
    if (produced == step_of.end() || updates_per_variable_[variable.id()] != 1) continue;
    if (value.type() != graph::TensorType{variable.dtype(), variable.shape()}) continue;
    const std::size_t s = produced->second;
    if (is_view(steps_[s].node->op())) continue;
    if (auto read = variable_value.find(variable.id()); read != variable_value.end()) {
      const Value& current = read->second;
      if (last_use.count(current) && last_use[current] > s) continue;
      const std::vector<Value> inputs = step_inputs(steps_[s]);
      const bool reads_variable = std::find(inputs.begin(), inputs.end(), current) != inputs.end();
      if (reads_variable && !elementwise_binary(steps_[s], inputs)) continue;
    }
    in_place.emplace(value, variable);
  }

  for (const Step& step : steps_) {
    KERAS_INTERNAL_CHECK(!step.accumulate_scale.valid() || in_place.count(output_of(*step.node)),
                         "the update '{}' a matmul accumulates is not in its variable",
                         step.node->name());
  }

  // Views alias the storage of their input's root: a planned buffer or a
  // constant (feeds are rebound each run and variables change, so views of
  // those copy). The root then lives as long as its last alias.
  std::unordered_map<Value, Value, graph::ValueHash> alias_root;
  for (Step& step : steps_) {
    const Node& node = *step.node;
    if (!is_view(node.op()) || step.matmul != nullptr || step.scaling != nullptr) continue;
    const Value in = node.input(0);
    const Value out = output_of(node);
    const bool planned = step_of.count(in) && !in_place.count(in);
    if ((!planned && in.node()->op() != "constant") || in_place.count(out)) continue;
    step.view = true;
    alias_root[out] = alias_root.count(in) ? alias_root[in] : in;
  }
  for (const auto& [alias, root] : alias_root) {
    if (last_use.count(alias)) last_use[root] = std::max(last_use[root], last_use[alias]);
  }

  // Greedy best fit: a step's outputs take the smallest free buffer that
  // holds them, then the buffers of the values it read last are freed.
  std::vector<Tensor> buffers;
  std::multimap<std::size_t, int> free_buffers;  // bytes -> buffer
  std::unordered_map<Value, int, graph::ValueHash> buffer_of;
  for (std::size_t s = 0; s < steps_.size(); ++s) {
    const std::vector<Value> outputs = step_outputs(steps_[s]);
    const std::vector<Value> inputs = step_inputs(steps_[s]);
    // A dying input's buffer that the first output takes over.
    int taken_over = -1;
    if (auto input = overwritable_input(steps_[s]);
        input && buffer_of.count(*input) && last_use[*input] == s) {
      taken_over = buffer_of[*input];
      for (Value v : inputs) {
        if (auto root = alias_root.find(v); root != alias_root.end()) v = root->second;
        if (v != *input && buffer_of.count(v) && buffer_of[v] == taken_over) taken_over = -1;
      }
    }
    for (const Value& out : outputs) {
      const graph::TensorType& type = out.type();
      if (auto root = alias_root.find(out); root != alias_root.end()) {
        const int root_slot = slot(root->second);
        new_slot(
            out, Tensor::alias(slots_[static_cast<std::size_t>(root_slot)], type.dtype, type.shape),
            fmt::format("view of {}:{} ({})", root->second.node()->name(), root->second.index(),
                        slot_notes_[static_cast<std::size_t>(root_slot)]));
        continue;
      }
      if (auto target = in_place.find(out); target != in_place.end()) {
        new_slot(out, target->second.value(),
                 "variable " + target->second.name() + " (updated in place)");
        continue;
      }
      const std::size_t bytes =
          std::max<std::size_t>(1, static_cast<std::size_t>(type.shape.num_elements())) *
          dtype_size(type.dtype);
      auto fit = free_buffers.lower_bound(bytes);
      int buffer;
      std::string note;
      if (taken_over >= 0 && out == outputs.front()) {
        buffer = taken_over;
        note = fmt::format("buffer {} (in place)", buffer);
      } else if (fit != free_buffers.end()) {
        buffer = fit->second;
        free_buffers.erase(fit);
        note = fmt::format("buffer {} (reused)", buffer);
      } else {
        buffer = static_cast<int>(buffers.size());
        buffers.emplace_back(DType::bool_, Shape{static_cast<std::int64_t>(bytes)});
        buffer_bytes_ += bytes;
        note = fmt::format("buffer {}", buffer);
      }
      buffer_of[out] = buffer;
      new_slot(out,
               Tensor::alias(buffers[static_cast<std::size_t>(buffer)], type.dtype, type.shape),
               note, true);
      if (!last_use.count(out)) last_use[out] = s;  // never read: free at once
    }
    if (!buffer_of.count(outputs.front()) || buffer_of[outputs.front()] != taken_over) {
      taken_over = -1;  // the output went into a variable or a view
    }
    std::unordered_set<int> released;
    for (const Value& out : outputs) {
      if (buffer_of.count(out) && last_use[out] == s) released.insert(buffer_of[out]);
    }
    for (Value v : inputs) {
      if (auto root = alias_root.find(v); root != alias_root.end()) v = root->second;
      if (buffer_of.count(v) && last_use[v] == s && buffer_of[v] != taken_over) {
        released.insert(buffer_of[v]);
      }
    }
    for (int b : released) {
      free_buffers.emplace(buffers[static_cast<std::size_t>(b)].nbytes(), b);
    }
  }
  for (const auto& [variable, value] : updates_) {
    if (in_place.count(value)) continue;
    CopiedUpdate update{variable, slot_of_.at(value), std::nullopt};
    if (value.node()->op() == "variable" &&
        updates_per_variable_.count(value.node()->attrs().get_variable("variable").id())) {
      update.snapshot = Tensor(value.dtype(), value.shape());
    }
    copied_updates_.push_back(std::move(update));
  }
}

int OnednnPlan::slot(const Value& value) const {
  auto it = slot_of_.find(value);
  KERAS_INTERNAL_CHECK(it != slot_of_.end() && it->second >= 0, "no buffer for {}",
                       value.to_string());
  return it->second;
}

}  // namespace keras::backend::onednn
