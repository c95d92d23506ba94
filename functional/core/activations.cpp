#include "keras/activations.hpp"

#include <map>

#include "keras/graph/ops.hpp"

namespace keras::activations {

namespace {

using graph::Value;

// Keras 3's definitions (keras/src/activations/activations.py).
const std::map<std::string, Activation, std::less<>>& table() {
  static const std::map<std::string, Activation, std::less<>> instance = {
      {"linear", [](const Value& x) { return x; }},
      {"relu", [](const Value& x) { return ops::relu(x); }},
      {"relu6", [](const Value& x) { return ops::clip(x, 0.0, 6.0); }},
      {"sigmoid", [](const Value& x) { return ops::sigmoid(x); }},
      {"tanh", [](const Value& x) { return ops::tanh(x); }},
      {"softmax", [](const Value& x) { return ops::softmax(x, -1); }},
      {"log_softmax", [](const Value& x) { return ops::log_softmax(x, -1); }},
      {"softplus", [](const Value& x) { return ops::softplus(x); }},
      {"softsign", [](const Value& x) { return ops::softsign(x); }},
      {"selu", [](const Value& x) { return ops::selu(x); }},
      {"elu", [](const Value& x) { return ops::elu(x, 1.0); }},
      {"exponential", [](const Value& x) { return ops::exp(x); }},
      {"leaky_relu", [](const Value& x) { return ops::leaky_relu(x, 0.2); }},
      {"silu", [](const Value& x) { return ops::swish(x); }},
      // keras.activations.gelu defaults to the exact (erf) form.
      {"gelu", [](const Value& x) { return ops::gelu(x, false); }},
      {"hard_sigmoid", [](const Value& x) { return ops::hard_sigmoid(x, 1.0 / 6.0, 0.5); }},
      {"hard_silu", [](const Value& x) { return x * ops::hard_sigmoid(x, 1.0 / 6.0, 0.5); }},
      {"mish", [](const Value& x) { return x * ops::tanh(ops::softplus(x)); }},
      {"celu",
       [](const Value& x) {
         return ops::relu(x) + ops::minimum(ops::elu(x, 1.0), ops::scalar_like(x, 0.0));
       }},
      {"hard_tanh", [](const Value& x) { return ops::clip(x, -1.0, 1.0); }},
      {"log_sigmoid", [](const Value& x) { return -ops::softplus(-x); }},
      {"tanh_shrink", [](const Value& x) { return x - ops::tanh(x); }},
      {"hard_shrink",
       [](const Value& x) {
         return ops::where(ops::greater(ops::abs(x), ops::scalar_like(x, 0.5)), x,
                           ops::zeros_like(x));
       }},
      {"soft_shrink",
       [](const Value& x) {
         const Value t = ops::scalar_like(x, 0.5);
         return ops::where(ops::greater(x, t), x - 0.5,
                           ops::where(ops::less(x, -t), x + 0.5, ops::zeros_like(x)));
       }},
      {"squareplus", [](const Value& x) { return (x + ops::sqrt(ops::square(x) + 4.0)) * 0.5; }},
      {"sparse_plus",
       [](const Value& x) {
         const Value one = ops::scalar_like(x, 1.0);
         return ops::where(ops::less_equal(x, -one), ops::zeros_like(x),
                           ops::where(ops::greater_equal(x, one), x, ops::square(x + 1.0) * 0.25));
       }},
      {"sparse_sigmoid",
       [](const Value& x) {
         const Value one = ops::scalar_like(x, 1.0);
         return ops::where(
             ops::less_equal(x, -one), ops::zeros_like(x),
             ops::where(ops::greater_equal(x, one), ops::ones_like(x), (x + 1.0) * 0.5));
       }},
      // Gated linear unit: the first half of the last axis gated by the second.
      {"glu",
       [](const Value& x) {
         const std::int64_t half = x.shape().dim(-1) / 2;
         std::vector<std::int64_t> begin(static_cast<std::size_t>(x.shape().rank()), 0);
         std::vector<std::int64_t> size(static_cast<std::size_t>(x.shape().rank()), -1);
         size.back() = half;
         const Value a = ops::slice(x, begin, size);
         begin.back() = half;
         return a * ops::sigmoid(ops::slice(x, begin, size));
       }},
  };
  return instance;
}

std::string_view alias(std::string_view name) {
  if (name == "swish") return "silu";
  if (name == "hard_swish") return "hard_silu";
  if (name.empty()) return "linear";
  return name;
}

}  // namespace

std::vector<std::string> names() {
  std::vector<std::string> out;
  for (const auto& [name, fn] : table()) out.push_back(name);
  return out;
}

std::string canonical_name(std::string_view name) {
  std::string_view resolved = alias(name);
  if (table().find(resolved) == table().end()) get(name);  // throws with the list
  return std::string(resolved);
}

Activation get(std::string_view name) {
  auto it = table().find(alias(name));
  if (it == table().end()) {
    std::string known;
    for (const std::string& n : names()) known += (known.empty() ? "" : ", ") + n;
    throw Error(fmt::format("unknown activation '{}'; Keras' activations are: {}", name, known));
  }
  return it->second;
}

}  // namespace keras::activations
