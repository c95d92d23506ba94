#include "keras/backend/symbolic_function.hpp"

#include "tracer.hpp"

namespace keras::backend {

Function function(const std::vector<KerasTensor>& inputs, const std::vector<KerasTensor>& outputs,
                  FunctionOptions options) {
  // A probe changes nothing, as Keras' K.function: the calls' state updates
  // (BatchNormalization's moving statistics) are left out, also in train
  // mode. State changes through fit and train_on_batch.
  layers::TracedGraph traced = layers::trace_graph(inputs, outputs);
  return Function(traced.inputs, traced.outputs, {}, options);
}

}  // namespace keras::backend
