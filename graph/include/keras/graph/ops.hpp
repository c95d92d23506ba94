#pragma once
// keras::ops: emits ops into a graph, with Keras 3's op names (keras.ops.*).
// Nothing is computed; each call appends a node and returns its output Value,
// whose shape and dtype are already inferred. Binary ops broadcast as NumPy
// does and promote mixed dtypes by inserting a cast.
//
//   auto x = keras::ops::placeholder({keras::Shape::kUnknown, 784});
//   auto y = keras::ops::relu(keras::ops::matmul(x, w) + b);
#include <cstdint>
#include <string>
#include <vector>

#include "keras/graph/graph.hpp"

namespace keras::ops {

using graph::Value;

// --- sources --------------------------------------------------------------
Value placeholder(const Shape& shape, DType dtype = DType::float32, const std::string& name = "");
Value constant(const Tensor& value);
// A scalar constant in `like`'s graph with `like`'s dtype.
Value scalar_like(const Value& like, double value);
Value read(const Variable& variable);
// Writes `value` into `variable` when the plan runs; returns the written value.
Value assign(const Variable& variable, const Value& value);
Value random_uniform(const Shape& shape, double minval = 0.0, double maxval = 1.0,
                     DType dtype = DType::float32, std::int64_t seed = -1);
Value random_normal(const Shape& shape, double mean = 0.0, double stddev = 1.0,
                    DType dtype = DType::float32, std::int64_t seed = -1);
// Random values of x's run-time shape and dtype (x's values are never read),
// for noise on tensors whose batch is unknown when the graph is built.
Value random_uniform_like(const Value& x, double minval = 0.0, double maxval = 1.0,
                          std::int64_t seed = -1);
Value random_normal_like(const Value& x, double mean = 0.0, double stddev = 1.0,
                         std::int64_t seed = -1);

// --- linear algebra --------------------------------------------------------
struct MatmulOptions {
  bool transpose_a = false;
  bool transpose_b = false;
};
// (..., m, k) x (..., k, n) -> (..., m, n); leading axes broadcast.
Value matmul(const Value& a, const Value& b, MatmulOptions options = {});

// --- elementwise binary (NumPy broadcasting) -------------------------------
Value add(const Value& a, const Value& b);
Value subtract(const Value& a, const Value& b);
Value multiply(const Value& a, const Value& b);
Value divide(const Value& a, const Value& b);
Value maximum(const Value& a, const Value& b);
Value minimum(const Value& a, const Value& b);
Value power(const Value& a, const Value& b);
Value equal(const Value& a, const Value& b);
Value not_equal(const Value& a, const Value& b);
Value greater(const Value& a, const Value& b);
Value greater_equal(const Value& a, const Value& b);
Value less(const Value& a, const Value& b);
Value less_equal(const Value& a, const Value& b);

// --- elementwise unary ---------------------------------------------------------
Value negative(const Value& x);
Value abs(const Value& x);
Value exp(const Value& x);
Value log(const Value& x);
Value log1p(const Value& x);
Value sqrt(const Value& x);
Value square(const Value& x);
Value rsqrt(const Value& x);
Value sign(const Value& x);

// --- activations (Keras 3 defaults) -----------------------------------------
Value relu(const Value& x);
Value elu(const Value& x, double alpha = 1.0);
Value selu(const Value& x);
Value sigmoid(const Value& x);
// max(0, min(1, slope * x + offset)); Keras 3 uses slope 1/6, Keras 2 used 0.2.
Value hard_sigmoid(const Value& x, double slope = 1.0 / 6.0, double offset = 0.5);
Value tanh(const Value& x);
Value softplus(const Value& x);
Value softsign(const Value& x);
Value gelu(const Value& x, bool approximate = true);
Value swish(const Value& x);
Value leaky_relu(const Value& x, double negative_slope = 0.2);
Value softmax(const Value& x, std::int64_t axis = -1);
Value log_softmax(const Value& x, std::int64_t axis = -1);

// --- reductions (empty axis: all axes) ---------------------------------------
Value sum(const Value& x, std::vector<std::int64_t> axis = {}, bool keepdims = false);
Value mean(const Value& x, std::vector<std::int64_t> axis = {}, bool keepdims = false);
Value max(const Value& x, std::vector<std::int64_t> axis = {}, bool keepdims = false);
Value min(const Value& x, std::vector<std::int64_t> axis = {}, bool keepdims = false);
Value prod(const Value& x, std::vector<std::int64_t> axis = {}, bool keepdims = false);
Value argmax(const Value& x, std::int64_t axis = -1);
Value argmin(const Value& x, std::int64_t axis = -1);

// --- shape ---------------------------------------------------------------------
// One entry may be -1 (inferred); an unknown batch passes through as -1.
Value reshape(const Value& x, std::vector<std::int64_t> new_shape);
Value transpose(const Value& x, std::vector<std::int64_t> axes = {});
Value concatenate(const std::vector<Value>& xs, std::int64_t axis = -1);
// x[begin : begin + size] per axis; a size of -1 runs to the end of the axis.
Value slice(const Value& x, std::vector<std::int64_t> begin, std::vector<std::int64_t> size);
Value squeeze(const Value& x, std::vector<std::int64_t> axis = {});
Value expand_dims(const Value& x, std::int64_t axis);
Value tile(const Value& x, std::vector<std::int64_t> repeats);
// pad_width holds (before, after) per axis.
Value pad(const Value& x, std::vector<std::pair<std::int64_t, std::int64_t>> pad_width,
          double constant_values = 0.0);
// Broadcasts x to target's (run-time) shape.
Value broadcast_like(const Value& x, const Value& target);
// Sums x over the axes along which `target` was broadcast to x's shape, giving
// target's shape: the transpose of broadcast_like.
Value sum_to_like(const Value& x, const Value& target);
Value cast(const Value& x, DType dtype);
Value where(const Value& condition, const Value& x, const Value& y);
Value one_hot(const Value& indices, std::int64_t num_classes, DType dtype = DType::float32);
Value clip(const Value& x, double min_value, double max_value);
Value zeros_like(const Value& x);
Value ones_like(const Value& x);

// --- training ------------------------------------------------------------------
struct DropoutResult {
  Value output;
  Value mask;  // 0 or 1 / (1 - rate), broadcast against the input
};
// noise_shape: empty for the input's shape; -1 entries take the input's size.
DropoutResult dropout(const Value& x, double rate, std::int64_t seed = -1,
                      std::vector<std::int64_t> noise_shape = {});
// Per-example loss of softmax(logits) against the probabilities `labels`
// along `axis`; numerically stable (log-sum-exp).
Value softmax_cross_entropy(const Value& labels, const Value& logits, std::int64_t axis = -1);
// Elementwise loss of sigmoid(logits) against `labels`:
// max(x, 0) - x * z + log1p(exp(-|x|)).
Value sigmoid_cross_entropy(const Value& labels, const Value& logits);

struct BatchNormTraining {
  Value output;
  Value mean;      // the batch mean, shape (channels,)
  Value variance;  // the biased batch variance, shape (channels,)
};
BatchNormTraining batch_norm_training(const Value& x, const Value& gamma, const Value& beta,
                                      std::int64_t axis = -1, double epsilon = 1e-3);
Value batch_norm_inference(const Value& x, const Value& mean, const Value& variance,
                           const Value& gamma, const Value& beta, std::int64_t axis = -1,
                           double epsilon = 1e-3);

Value stop_gradient(const Value& x);
Value identity(const Value& x);

}  // namespace keras::ops

namespace keras::graph {
// Arithmetic on Values reads like the formulas it builds.
inline Value operator+(const Value& a, const Value& b) {
  return ops::add(a, b);
}
inline Value operator-(const Value& a, const Value& b) {
  return ops::subtract(a, b);
}
inline Value operator*(const Value& a, const Value& b) {
  return ops::multiply(a, b);
}
inline Value operator/(const Value& a, const Value& b) {
  return ops::divide(a, b);
}
inline Value operator-(const Value& a) {
  return ops::negative(a);
}
Value operator+(const Value& a, double b);
Value operator-(const Value& a, double b);
Value operator*(const Value& a, double b);
Value operator/(const Value& a, double b);
Value operator*(double a, const Value& b);
Value operator-(double a, const Value& b);
}  // namespace keras::graph
