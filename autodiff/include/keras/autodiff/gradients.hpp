#pragma once
// Reverse-mode differentiation over the graph: keras::autodiff::gradients
// appends the backward ops to the graph that holds `loss`, so every backend
// runs them. Keras' K.gradients(loss, variables).
//
//   auto w = keras::ops::read(kernel);
//   auto loss = keras::ops::mean(keras::ops::square(keras::ops::matmul(x, w) - y));
//   auto [dw] = keras::autodiff::gradients(loss, {w});
#include <vector>

#include "keras/graph/graph.hpp"

namespace keras::autodiff {

// d(sum(loss))/d(w) for each w in `wrt`, each with w's shape. A w that `loss`
// does not depend on (or only through stop_gradient or integer values) gets
// zeros. Throws keras::Error naming the op when a needed rule is missing.
std::vector<graph::Value> gradients(const graph::Value& loss, const std::vector<graph::Value>& wrt);

}  // namespace keras::autodiff
