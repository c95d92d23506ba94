#pragma once
// Runs graph ops on Tensors at once, as Keras' eager mode does for losses and
// metrics called on arrays: a graph of placeholders with the tensors' shapes,
// compiled and run once.
#include <functional>
#include <vector>

#include "keras/graph/graph.hpp"
#include "keras/tensor.hpp"

namespace keras::eager {

using Builder = std::function<std::vector<graph::Value>(const std::vector<graph::Value>&)>;

std::vector<Tensor> run(const std::vector<Tensor>& inputs, const Builder& build);

}  // namespace keras::eager
