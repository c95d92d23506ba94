#include "keras/activations.hpp"

#include <map>
#include <mutex>
#include <optional>

#include "keras/graph/ops.hpp"

namespace keras::activations {

namespace {

using graph::Value;

// Sparsemax (Martins & Astudillo 2016) along the last axis: max(x - tau, 0),
// tau chosen so that each row sums to 1. Without a sort op, element i's rank
// comes from comparing every pair of the row: c_i elements are >= x_i and
// sum to s_i; i is in the support when 1 + c_i x_i > s_i (ties fall in or
// out together), and tau = (sum of the support - 1) / its size. That costs
// n² per row of n classes. Keras 3.15.1 sums the cumulative sums instead
// (keras-team/keras#23425, fixed upstream), so its rows do not sum to 1
// once the support holds two or more classes; this follows the paper.
Value sparsemax(const Value& x) {
  const Value rows = ops::expand_dims(x, -1);  // (..., n, 1): x_i
  const Value cols = ops::expand_dims(x, -2);  // (..., 1, n): x_j
  // where(), not a product with the mask: 0 * -inf would be NaN.
  const Value at_least = ops::greater_equal(cols, rows);
  const Value zero = ops::scalar_like(x, 0.0);
  const Value count = ops::sum(ops::cast(at_least, x.dtype()), {-1});
  const Value total = ops::sum(ops::where(at_least, cols, zero), {-1});
  const Value support = ops::greater(count * x + 1.0, total);
  const Value size = ops::sum(ops::cast(support, x.dtype()), {-1}, true);
  const Value tau = (ops::sum(ops::where(support, x, zero), {-1}, true) - 1.0) / size;
  return ops::relu(x - tau);
}

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
      {"sparsemax", sparsemax},
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
      // Keras 1 and 2 computed hard_sigmoid as clip(0.2 x + 0.5); models read
      // from their files keep it under this name (serialize/dialects).
      {"keras2_hard_sigmoid", [](const Value& x) { return ops::hard_sigmoid(x, 0.2, 0.5); }},
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

// A user's activations (register_activation), by name.
struct Custom {
  std::mutex mutex;
  std::map<std::string, Activation, std::less<>> table;
};
Custom& custom() {
  static Custom instance;
  return instance;
}

std::optional<Activation> find_custom(std::string_view name) {
  Custom& c = custom();
  std::lock_guard<std::mutex> lock(c.mutex);
  auto it = c.table.find(name);
  if (it == c.table.end()) return std::nullopt;
  return it->second;
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
  Custom& c = custom();
  std::lock_guard<std::mutex> lock(c.mutex);
  for (const auto& [name, fn] : c.table) out.push_back(name);
  return out;
}

void register_activation(const std::string& name, Activation activation) {
  if (table().count(name)) {
    throw Error(
        fmt::format("'{}' is one of Keras' activations; register yours under another name", name));
  }
  Custom& c = custom();
  std::lock_guard<std::mutex> lock(c.mutex);
  c.table[name] = std::move(activation);
}

std::string canonical_name(std::string_view name) {
  if (find_custom(name)) return std::string(name);
  std::string_view resolved = alias(name);
  if (table().find(resolved) == table().end()) get(name);  // throws with the list
  return std::string(resolved);
}

Activation get(std::string_view name) {
  auto it = table().find(alias(name));
  if (it == table().end()) {
    if (std::optional<Activation> fn = find_custom(name)) return *fn;
    std::string known;
    for (const std::string& n : names()) known += (known.empty() ? "" : ", ") + n;
    throw Error(fmt::format(
        "unknown activation '{}': register your own with keras::activations::register_activation; "
        "known: {}",
        name, known));
  }
  return it->second;
}

}  // namespace keras::activations
