#pragma once
// Keras' activation functions by name (keras.activations), emitted as ops.
//
//   auto act = keras::activations::get("relu");
//   graph::Value y = act(x);
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "keras/graph/graph.hpp"

namespace keras::activations {

using Activation = std::function<graph::Value(const graph::Value&)>;

// relu, sigmoid, softmax, log_softmax, softplus, softsign, tanh, selu, elu,
// exponential, leaky_relu, relu6, silu (and swish), gelu, hard_sigmoid,
// hard_silu (and hard_swish), mish, linear. Throws keras::Error listing them.
Activation get(std::string_view name);
// Makes a user's activation known by `name` to get() and to every config
// loader, as Keras' custom_objects / register_keras_serializable do: a layer
// saved with {.activation = "cube"} loads wherever "cube" is registered.
//   keras::activations::register_activation("cube", [](const auto& x) { return x * x * x; });
void register_activation(const std::string& name, Activation activation);
// The name Keras writes in configs ("swish" is saved as "silu").
std::string canonical_name(std::string_view name);
std::vector<std::string> names();

}  // namespace keras::activations
