#pragma once
// Ops that only gradients emit. Each exists because oneDNN has a backward
// primitive for it (eltwise, softmax, logsoftmax, batch normalization); the
// reference backend runs them with plain loops.
#include <string_view>

#include "keras/graph/graph.hpp"

namespace keras::ops {

using graph::Value;

// The gradient of the activation node `forward` (one of relu, elu, selu,
// sigmoid, hard_sigmoid, tanh, softplus, softsign, gelu, swish, leaky_relu)
// given its input x, its output y and the output gradient dy. The node's
// attributes (alpha, approximate, ...) are copied from `forward`.
Value activation_grad(const graph::Node& forward, const Value& x, const Value& y, const Value& dy);
Value softmax_grad(const Value& y, const Value& dy, std::int64_t axis);
Value log_softmax_grad(const Value& y, const Value& dy, std::int64_t axis);

struct BatchNormGrad {
  Value dx;
  Value dgamma;
  Value dbeta;
};
// The gradient of batch_norm_training with respect to x, gamma and beta, from
// the batch statistics it produced.
BatchNormGrad batch_norm_grad(const Value& x, const Value& gamma, const Value& mean,
                              const Value& variance, const Value& dy, std::int64_t axis,
                              double epsilon);

}  // namespace keras::ops
