#pragma once
// keras::backend::function: Keras' K.function over graph values. It compiles
// lazily, once per input-shape signature (and learning-phase value), and
// caches the plan; a later call with the same shapes reuses it.
//
//   auto x = keras::ops::placeholder({keras::Shape::kUnknown, 4});
//   auto y = keras::backend::in_train_phase(keras::ops::dropout(x, 0.5).output, x);
//   auto f = keras::backend::function({x, keras::backend::learning_phase()}, {y});
//   auto test_mode = f({batch, keras::Tensor::scalar(0)})[0];  // == batch
#include <initializer_list>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "keras/backend/backend.hpp"
#include "keras/graph/graph.hpp"

namespace keras::backend {

using Update = std::pair<Variable, graph::Value>;

struct FunctionOptions {
  Backend* backend = nullptr;  // nullptr: default_backend()
};

class Function {
 public:
  Function(std::vector<graph::Value> inputs, std::vector<graph::Value> outputs,
           std::vector<Update> updates = {}, FunctionOptions options = {});

  // One tensor per input, in order. When the learning phase is among the
  // inputs, its tensor is a scalar: 0 for test mode, 1 for train mode.
  // Updates are applied after all outputs are computed.
  std::vector<Tensor> operator()(const std::vector<Tensor>& inputs);
  // The same, but outputs may share the plan's buffers and are valid only
  // until this function runs again: for callers that consume them at once.
  std::vector<Tensor> call_borrowed(const std::vector<Tensor>& inputs);

  // Random ops draw from (seed, step), the step counting this function's
  // calls; a training loop sets it to its own step count so that a resumed
  // run draws what the uninterrupted one would have.
  void set_step(std::uint64_t step) { step_ = step; }

  // The plan of the most recent call's signature.
  std::string plan_to_string() const;
  // How many plans (input-shape signatures) are cached. At most
  // kMaxPlans: varying batch sizes (a last short batch, predict on any
  // size) evict the least recently used plan instead of growing the cache.
  std::size_t num_plans() const { return plans_.size(); }
  static constexpr std::size_t kMaxPlans = 8;

 private:
  struct Signature {
    std::vector<graph::TensorType> types;
    int learning_phase = -1;  // -1: not an input
    auto operator<=>(const Signature& other) const;
    bool operator==(const Signature& other) const = default;
  };
  Signature signature_of(const std::vector<Tensor>& inputs) const;
  // True when `inputs` have the shapes and dtypes of the last call's plan:
  // the common case, checked without allocating.
  bool matches_last(const std::vector<Tensor>& inputs) const;
  Plan& plan_for(const Signature& signature);
  std::vector<Tensor> run(const std::vector<Tensor>& inputs, bool borrow);

  std::vector<graph::Value> inputs_;
  std::vector<graph::Value> outputs_;
  std::vector<Update> updates_;
  Backend* backend_;
  std::shared_ptr<graph::Graph> graph_;  // keeps the values alive
  int learning_phase_index_ = -1;
  struct CachedPlan {
    std::unique_ptr<Plan> plan;
    std::uint64_t last_used = 0;
  };
  std::map<Signature, CachedPlan> plans_;
  std::uint64_t lookups_ = 0;
  Plan* last_plan_ = nullptr;
  const Signature* last_signature_ = nullptr;
  std::vector<Tensor> feeds_;  // reused across calls
  std::uint64_t step_ = 0;
};

Function function(std::vector<graph::Value> inputs, std::vector<graph::Value> outputs,
                  std::vector<Update> updates = {}, FunctionOptions options = {});
// Braced lists pick this overload over the KerasTensor one (keras.hpp) when
// every element is a graph value.
inline Function function(std::initializer_list<graph::Value> inputs,
                         std::initializer_list<graph::Value> outputs,
                         std::vector<Update> updates = {}, FunctionOptions options = {}) {
  return function(std::vector<graph::Value>(inputs), std::vector<graph::Value>(outputs),
                  std::move(updates), options);
}

// What Function does for each new signature: specializes `outputs` to the
// given input types (values in `bindings` become constants), folds constants
// with the reference kernels, merges common subexpressions and compiles the
// result on `backend`. The plan's feeds are `inputs`, in order.
std::unique_ptr<Plan> compile(const std::vector<graph::Value>& inputs,
                              const std::vector<graph::TensorType>& input_types,
                              const std::vector<graph::Value>& outputs,
                              const std::vector<std::pair<graph::Value, Tensor>>& bindings,
                              Backend& backend, const std::vector<Update>& updates = {});

// The current graph's learning phase (a scalar bool placeholder).
graph::Value learning_phase();
// `x` in train mode, `alt` in test mode, selected by x's graph's learning phase.
graph::Value in_train_phase(const graph::Value& x, const graph::Value& alt);
// `x` in test mode, `alt` in train mode.
graph::Value in_test_phase(const graph::Value& x, const graph::Value& alt);
// `x` where `training` (a bool scalar: the learning phase, or a call's
// fixed phase) is true, `alt` otherwise. Layers select with the `training`
// their call() receives.
graph::Value in_train_phase(const graph::Value& x, const graph::Value& alt,
                            const graph::Value& training);

}  // namespace keras::backend
