#include "keras/backend/function.hpp"

#include <tuple>

#include "keras/graph/ops.hpp"
#include "keras/graph/passes.hpp"
#include "reference/kernel.hpp"

namespace keras::backend {

auto Function::Signature::operator<=>(const Signature& other) const {
  auto key = [](const Signature& s) {
    std::vector<std::int64_t> flat;
    for (const graph::TensorType& t : s.types) {
      flat.push_back(static_cast<std::int64_t>(t.dtype));
      flat.push_back(t.shape.rank());
      flat.insert(flat.end(), t.shape.dims().begin(), t.shape.dims().end());
    }
    return std::make_tuple(flat, s.learning_phase);
  };
  return key(*this) <=> key(other);
}

Function::Function(std::vector<graph::Value> inputs, std::vector<graph::Value> outputs,
                   std::vector<Update> updates, FunctionOptions options)
    : inputs_(std::move(inputs)),
      outputs_(std::move(outputs)),
      updates_(std::move(updates)),
      backend_(options.backend != nullptr ? options.backend : &default_backend()) {
  std::vector<graph::Value> all = inputs_;
  all.insert(all.end(), outputs_.begin(), outputs_.end());
  for (const Update& u : updates_) all.push_back(u.second);
  if (all.empty()) throw Error("backend::function needs at least one input or output");
  for (const graph::Value& v : all) {
    if (!v.valid()) throw Error("backend::function was given an empty value");
  }
  graph_ = all.front().graph().shared_from_this();
  for (const graph::Value& v : all) {
    if (&v.graph() != graph_.get()) {
      throw Error(fmt::format("backend::function: {} belongs to another graph than {}",
                              v.to_string(), all.front().to_string()));
    }
  }
  for (const auto& [variable, value] : updates_) {
    if (value.dtype() != variable.dtype() || !value.shape().is_compatible_with(variable.shape())) {
      throw Error(
          fmt::format("backend::function: the update of variable '{}' ({} {}) has the "
                      "value {}",
                      variable.name(), variable.shape().to_string(), dtype_name(variable.dtype()),
                      value.to_string()));
    }
  }
  if (auto phase = graph_->find_learning_phase()) {
    for (std::size_t i = 0; i < inputs_.size(); ++i) {
      if (inputs_[i] == *phase) learning_phase_index_ = static_cast<int>(i);
    }
  }
}

Function::Signature Function::signature_of(const std::vector<Tensor>& inputs) const {
  if (inputs.size() != inputs_.size()) {
    throw Error(
        fmt::format("this function takes {} inputs, got {}", inputs_.size(), inputs.size()));
  }
  Signature signature;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const Tensor& t = inputs[i];
    if (static_cast<int>(i) == learning_phase_index_) {
      if (t.size() != 1) {
        throw Error(
            fmt::format("the learning phase (input {}) must be a scalar 0 (test) or 1 "
                        "(train), got a tensor of shape {}",
                        i, t.shape().to_string()));
      }
      signature.learning_phase = t.item() != 0.0 ? 1 : 0;
      continue;
    }
    const graph::TensorType& expected = inputs_[i].type();
    if (t.dtype() != expected.dtype || !expected.shape.is_compatible_with(t.shape())) {
      throw Error(fmt::format("input {} ('{}') expects {}, got a tensor of {} {}", i,
                              inputs_[i].node()->name(), expected.to_string(),
                              t.shape().to_string(), dtype_name(t.dtype())));
    }
    signature.types.push_back({t.dtype(), t.shape()});
  }
  return signature;
}

Plan& Function::plan_for(const Signature& signature) {
  auto it = plans_.find(signature);
  if (it != plans_.end()) {
    it->second.last_used = ++lookups_;
    return *it->second.plan;
  }
  if (plans_.size() >= kMaxPlans) {
    auto oldest = plans_.begin();
    for (auto p = plans_.begin(); p != plans_.end(); ++p) {
      if (p->second.last_used < oldest->second.last_used) oldest = p;
    }
    plans_.erase(oldest);
  }

  std::vector<graph::Value> feeds;
  std::vector<graph::TensorType> feed_types;
  std::vector<std::pair<graph::Value, Tensor>> bindings;
  std::size_t next_type = 0;
  for (std::size_t i = 0; i < inputs_.size(); ++i) {
    if (static_cast<int>(i) == learning_phase_index_) {
      bindings.emplace_back(inputs_[i], Tensor::scalar(signature.learning_phase, DType::bool_));
    } else {
      feeds.push_back(inputs_[i]);
      feed_types.push_back(signature.types[next_type++]);
    }
  }
  auto plan = compile(feeds, feed_types, outputs_, bindings, *backend_, updates_);
  return *plans_.emplace(signature, CachedPlan{std::move(plan), ++lookups_}).first->second.plan;
}

bool Function::matches_last(const std::vector<Tensor>& inputs) const {
  if (last_signature_ == nullptr || inputs.size() != inputs_.size()) return false;
  std::size_t next_type = 0;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const Tensor& t = inputs[i];
    if (static_cast<int>(i) == learning_phase_index_) {
      if (t.size() != 1 || (t.item() != 0.0 ? 1 : 0) != last_signature_->learning_phase) {
        return false;
      }
      continue;
    }
    const graph::TensorType& type = last_signature_->types[next_type++];
    if (t.dtype() != type.dtype || t.shape() != type.shape) return false;
  }
  return true;
}

std::vector<Tensor> Function::operator()(const std::vector<Tensor>& inputs) {
  return run(inputs, false);
}

std::vector<Tensor> Function::call_borrowed(const std::vector<Tensor>& inputs) {
  return run(inputs, true);
}

std::vector<Tensor> Function::run(const std::vector<Tensor>& inputs, bool borrow) {
  if (!matches_last(inputs)) {
    Signature signature = signature_of(inputs);
    Plan& plan = plan_for(signature);
    last_plan_ = &plan;
    last_signature_ = &plans_.find(signature)->first;
  }
  feeds_.clear();
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (static_cast<int>(i) != learning_phase_index_) feeds_.push_back(inputs[i]);
  }
  return last_plan_->run(feeds_, RunOptions{step_++, borrow});
}

std::string Function::plan_to_string() const {
  if (last_plan_ == nullptr) return "(not compiled yet: call the function first)";
  return last_plan_->to_string();
}

Function function(std::vector<graph::Value> inputs, std::vector<graph::Value> outputs,
                  std::vector<Update> updates, FunctionOptions options) {
  return Function(std::move(inputs), std::move(outputs), std::move(updates), options);
}

std::unique_ptr<Plan> compile(const std::vector<graph::Value>& inputs,
                              const std::vector<graph::TensorType>& input_types,
                              const std::vector<graph::Value>& outputs,
                              const std::vector<std::pair<graph::Value, Tensor>>& bindings,
                              Backend& backend, const std::vector<Update>& updates) {
  std::vector<graph::Value> fetches = outputs;
  for (const Update& u : updates) fetches.push_back(u.second);
  graph::Program program = graph::specialize(inputs, input_types, fetches, bindings);
  program = graph::fold_constants(program,
                                  [](const graph::Node& node, const std::vector<Tensor>& values) {
                                    return reference::run_node(node, values);
                                  });
  program = graph::eliminate_common_subexpressions(program);
  std::vector<graph::Value> plan_outputs(
      program.fetches.begin(),
      program.fetches.begin() + static_cast<std::ptrdiff_t>(outputs.size()));
  std::vector<std::pair<Variable, graph::Value>> plan_updates;
  for (std::size_t u = 0; u < updates.size(); ++u) {
    plan_updates.emplace_back(updates[u].first, program.fetches[outputs.size() + u]);
  }
  return backend.compile(program.graph, program.feeds, plan_outputs, plan_updates);
}

graph::Value learning_phase() {
  return graph::current_graph().learning_phase();
}

graph::Value in_train_phase(const graph::Value& x, const graph::Value& alt) {
  return ops::where(x.graph().learning_phase(), x, alt);
}

graph::Value in_train_phase(const graph::Value& x, const graph::Value& alt,
                            const graph::Value& training) {
  return ops::where(training, x, alt);
}

graph::Value in_test_phase(const graph::Value& x, const graph::Value& alt) {
  return ops::where(x.graph().learning_phase(), alt, x);
}

}  // namespace keras::backend
