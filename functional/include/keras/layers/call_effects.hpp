#pragma once
// Side effects of layer calls while they are traced into a graph: losses
// (activity and weight regularization) and state updates (BatchNormalization's
// moving statistics). A layer's call() reports them with add_loss and
// add_update; Layer::apply returns them (CallResult), and the training step
// collects them through a CallEffectsScope. Shape inference, which only
// needs the outputs, runs with no scope and drops them.
#include <utility>
#include <vector>

#include "keras/graph/graph.hpp"
#include "keras/variable.hpp"

namespace keras::layers {

struct CallEffects {
  std::vector<graph::Value> losses;
  std::vector<std::pair<Variable, graph::Value>> updates;  // (variable, new value)
};

void add_loss(const graph::Value& loss);
// `new_value` should select the old value in test mode (backend::in_train_phase)
// when the update belongs to training only.
void add_update(const Variable& variable, const graph::Value& new_value);

class CallEffectsScope {
 public:
  explicit CallEffectsScope(CallEffects& sink);
  ~CallEffectsScope();
  CallEffectsScope(const CallEffectsScope&) = delete;
  CallEffectsScope& operator=(const CallEffectsScope&) = delete;
};

}  // namespace keras::layers
