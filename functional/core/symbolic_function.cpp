#include "keras/backend/symbolic_function.hpp"

#include "tracer.hpp"

namespace keras::backend {

Function function(const std::vector<KerasTensor>& inputs, const std::vector<KerasTensor>& outputs,
                  FunctionOptions options) {
  // Updates (BatchNormalization's moving statistics) run with the function;
  // in test mode they fold to the old values.
  layers::TracedGraph traced = layers::trace_graph(inputs, outputs);
  return Function(traced.inputs, traced.outputs, traced.effects.updates, options);
}

}  // namespace keras::backend
