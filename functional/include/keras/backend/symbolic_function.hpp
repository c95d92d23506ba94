#pragma once
// backend::function on KerasTensors: Keras' K.function over a model's
// tensors. The layer calls that the outputs need are traced into a fresh op
// graph; backend::learning_phase() may stand among the inputs.
//
//   auto probe = keras::backend::function({model.input(), keras::backend::learning_phase()},
//                                         {model.get_layer("dense_1").output()});
//   auto test_mode = probe({batch, keras::Tensor::scalar(0)})[0];
#include <initializer_list>
#include <vector>

#include "keras/backend/function.hpp"
#include "keras/keras_tensor.hpp"

namespace keras::backend {

Function function(const std::vector<KerasTensor>& inputs, const std::vector<KerasTensor>& outputs,
                  FunctionOptions options = {});
inline Function function(std::initializer_list<KerasTensor> inputs,
                         std::initializer_list<KerasTensor> outputs, FunctionOptions options = {}) {
  return function(std::vector<KerasTensor>(inputs), std::vector<KerasTensor>(outputs), options);
}

}  // namespace keras::backend
