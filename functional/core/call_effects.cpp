#include "keras/layers/call_effects.hpp"

namespace keras::layers {

namespace {
thread_local std::vector<CallEffects*> sinks;
}  // namespace

void add_loss(const graph::Value& loss) {
  if (!sinks.empty()) sinks.back()->losses.push_back(loss);
}

void add_update(const Variable& variable, const graph::Value& new_value) {
  if (!sinks.empty()) sinks.back()->updates.emplace_back(variable, new_value);
}

CallEffectsScope::CallEffectsScope(CallEffects& sink) {
  sinks.push_back(&sink);
}

CallEffectsScope::~CallEffectsScope() {
  sinks.pop_back();
}

}  // namespace keras::layers
