// Keras 3's loss functions (keras/src/losses/losses.py and the backend's
// crossentropies), op for op, so values match Keras to float32 rounding.
#include <cmath>

#include "keras/backend/config.hpp"
#include "keras/graph/ops.hpp"
#include "keras/losses.hpp"

namespace keras::losses {

namespace {

Value scalar(const Value& like, double value) {
  return ops::scalar_like(like, value);
}

Value as_dtype_of(const Value& x, const Value& like) {
  return x.dtype() == like.dtype() ? x : ops::cast(x, like.dtype());
}

std::int64_t num_classes(const Value& y_pred, std::int64_t axis) {
  const std::int64_t classes =
      y_pred.shape().dim(normalize_axis(axis, y_pred.shape().rank(), "the loss' class axis"));
  if (classes == Shape::kUnknown) {
    throw Error(
        fmt::format("the class axis of predictions {} must be known", y_pred.shape().to_string()));
  }
  return classes;
}

// backend.binary_crossentropy on probabilities: clipped to [eps, 1 - eps].
Value binary_crossentropy_of_probabilities(const Value& target, const Value& output) {
  const double epsilon = backend::epsilon();
  const Value p = ops::clip(output, epsilon, 1.0 - epsilon);
  const Value bce = target * ops::log(p) + (1.0 - target) * ops::log(1.0 - p);
  return -bce;
}

// backend.categorical_crossentropy.
Value categorical_crossentropy_of(const Value& target, const Value& output, bool from_logits,
                                  std::int64_t axis) {
  if (from_logits) return -ops::sum(target * ops::log_softmax(output, axis), {axis});
  Value p = output / ops::sum(output, {axis}, true);
  const double epsilon = backend::epsilon();
  p = ops::clip(p, epsilon, 1.0 - epsilon);
  return -ops::sum(target * ops::log(p), {axis});
}

// Keras' convert_binary_labels_to_hinge: labels in {0, 1} become {-1, 1}
// (all of them, when every label is 0 or 1).
Value hinge_labels(const Value& y_true) {
  const Value is_zero_or_one = ops::cast(ops::equal(y_true, scalar(y_true, 0.0)), y_true.dtype()) +
                               ops::cast(ops::equal(y_true, scalar(y_true, 1.0)), y_true.dtype());
  const Value all_binary = ops::equal(ops::min(is_zero_or_one), scalar(y_true, 1.0));
  return ops::where(all_binary, y_true * 2.0 - 1.0, y_true);
}

Value l2_normalize(const Value& x, std::int64_t axis) {
  const Value square_sum = ops::sum(ops::square(x), {axis}, true);
  return x * ops::rsqrt(ops::maximum(square_sum, scalar(square_sum, 1e-12)));
}

}  // namespace

Value mean_squared_error(const Value& y_true, const Value& y_pred) {
  return ops::mean(ops::square(as_dtype_of(y_true, y_pred) - y_pred), {-1});
}

Value mean_absolute_error(const Value& y_true, const Value& y_pred) {
  return ops::mean(ops::abs(as_dtype_of(y_true, y_pred) - y_pred), {-1});
}

Value mean_absolute_percentage_error(const Value& y_true, const Value& y_pred) {
  const Value t = as_dtype_of(y_true, y_pred);
  const Value diff =
      ops::abs((t - y_pred) / ops::maximum(ops::abs(t), scalar(t, backend::epsilon())));
  return ops::mean(diff, {-1}) * 100.0;
}

Value mean_squared_logarithmic_error(const Value& y_true, const Value& y_pred) {
  const Value t = as_dtype_of(y_true, y_pred);
  const double epsilon = backend::epsilon();
  const Value first_log = ops::log(ops::maximum(y_pred, scalar(y_pred, epsilon)) + 1.0);
  const Value second_log = ops::log(ops::maximum(t, scalar(t, epsilon)) + 1.0);
  return ops::mean(ops::square(first_log - second_log), {-1});
}

Value binary_crossentropy(const Value& y_true, const Value& y_pred, bool from_logits,
                          double label_smoothing, std::int64_t axis) {
  Value t = as_dtype_of(y_true, y_pred);
  if (label_smoothing != 0.0) t = t * (1.0 - label_smoothing) + 0.5 * label_smoothing;
  const Value bce = from_logits ? ops::sigmoid_cross_entropy(t, y_pred)
                                : binary_crossentropy_of_probabilities(t, y_pred);
  return ops::mean(bce, {axis});
}

Value binary_focal_crossentropy(const Value& y_true, const Value& y_pred,
                                const BinaryFocalCrossentropyOptions& options) {
  Value t = as_dtype_of(y_true, y_pred);
  if (options.label_smoothing != 0.0) {
    t = t * (1.0 - options.label_smoothing) + 0.5 * options.label_smoothing;
  }
  const Value p = options.from_logits ? ops::sigmoid(y_pred) : y_pred;
  const Value bce = binary_crossentropy_of_probabilities(t, p);
  const Value p_t = t * p + (1.0 - t) * (1.0 - p);
  Value focal_bce = ops::power(1.0 - p_t, scalar(p_t, options.gamma)) * bce;
  if (options.apply_class_balancing) {
    focal_bce = (t * options.alpha + (1.0 - t) * (1.0 - options.alpha)) * focal_bce;
  }
  return ops::mean(focal_bce, {options.axis});
}

Value categorical_crossentropy(const Value& y_true, const Value& y_pred, bool from_logits,
                               double label_smoothing, std::int64_t axis) {
  Value t = as_dtype_of(y_true, y_pred);
  if (label_smoothing != 0.0) {
    const double classes = static_cast<double>(num_classes(y_pred, axis));
    t = t * (1.0 - label_smoothing) + label_smoothing / classes;
  }
  return categorical_crossentropy_of(t, y_pred, from_logits, axis);
}

Value categorical_focal_crossentropy(const Value& y_true, const Value& y_pred,
                                     const CategoricalFocalCrossentropyOptions& options) {
  Value t = as_dtype_of(y_true, y_pred);
  if (options.label_smoothing != 0.0) {
    const double classes = static_cast<double>(num_classes(y_pred, options.axis));
    t = t * (1.0 - options.label_smoothing) + options.label_smoothing / classes;
  }
  const Value p = options.from_logits ? ops::softmax(y_pred, options.axis) : y_pred;
  Value output = p / ops::sum(p, {options.axis}, true);
  const double epsilon = backend::epsilon();
  output = ops::clip(output, epsilon, 1.0 - epsilon);
  const Value cce = -t * ops::log(output);
  const Value weighting = ops::power(1.0 - output, scalar(output, options.gamma)) * options.alpha;
  return ops::sum(weighting * cce, {options.axis});
}

Value sparse_categorical_crossentropy(const Value& y_true, const Value& y_pred, bool from_logits,
                                      std::int64_t axis) {
  const std::int64_t classes = num_classes(y_pred, axis);
  Value labels = y_true;
  // Labels of shape (..., 1) against predictions (..., classes).
  if (labels.shape().rank() == y_pred.shape().rank() && labels.shape().dim(-1) == 1) {
    labels = ops::squeeze(labels, {-1});
  }
  if (labels.shape().rank() + 1 != y_pred.shape().rank()) {
    throw Error(
        fmt::format("sparse_categorical_crossentropy: labels of shape {} do not fit predictions of "
                    "shape {}: give one class index per prediction row",
                    y_true.shape().to_string(), y_pred.shape().to_string()));
  }
  if (is_floating(labels.dtype())) labels = ops::cast(labels, DType::int64);
  Value target = ops::one_hot(labels, classes, y_pred.dtype());
  const std::int64_t rank = y_pred.shape().rank();
  const std::int64_t a = normalize_axis(axis, rank, "the loss' class axis");
  if (a != rank - 1) {
    // one_hot puts the classes last; move them to `axis`.
    std::vector<std::int64_t> perm;
    for (std::int64_t i = 0; i < rank - 1; ++i) {
      if (i == a) perm.push_back(rank - 1);
      perm.push_back(i);
    }
    if (a == rank - 1) perm.push_back(rank - 1);
    target = ops::transpose(target, perm);
  }
  return categorical_crossentropy_of(target, y_pred, from_logits, axis);
}

Value hinge(const Value& y_true, const Value& y_pred) {
  const Value t = hinge_labels(as_dtype_of(y_true, y_pred));
  return ops::mean(ops::maximum(1.0 - t * y_pred, scalar(y_pred, 0.0)), {-1});
}

Value squared_hinge(const Value& y_true, const Value& y_pred) {
  const Value t = hinge_labels(as_dtype_of(y_true, y_pred));
  return ops::mean(ops::square(ops::maximum(1.0 - t * y_pred, scalar(y_pred, 0.0))), {-1});
}

Value categorical_hinge(const Value& y_true, const Value& y_pred) {
  const Value t = as_dtype_of(y_true, y_pred);
  const Value pos = ops::sum(t * y_pred, {-1});
  const Value neg = ops::max((1.0 - t) * y_pred, {-1});
  return ops::maximum(neg - pos + 1.0, scalar(y_pred, 0.0));
}

Value kl_divergence(const Value& y_true, const Value& y_pred) {
  const double epsilon = backend::epsilon();
  const Value t = ops::clip(as_dtype_of(y_true, y_pred), epsilon, 1.0);
  const Value p = ops::clip(y_pred, epsilon, 1.0);
  return ops::sum(t * ops::log(t / p), {-1});
}

Value poisson(const Value& y_true, const Value& y_pred) {
  const Value t = as_dtype_of(y_true, y_pred);
  return ops::mean(y_pred - t * ops::log(y_pred + backend::epsilon()), {-1});
}

Value cosine_similarity(const Value& y_true, const Value& y_pred, std::int64_t axis) {
  const Value t = l2_normalize(as_dtype_of(y_true, y_pred), axis);
  const Value p = l2_normalize(y_pred, axis);
  return -ops::sum(t * p, {axis});
}

Value huber(const Value& y_true, const Value& y_pred, double delta) {
  const Value error = y_pred - as_dtype_of(y_true, y_pred);
  const Value abs_error = ops::abs(error);
  const Value quadratic = ops::square(error) * 0.5;
  const Value linear = abs_error * delta - 0.5 * delta * delta;
  return ops::mean(
      ops::where(ops::less_equal(abs_error, scalar(abs_error, delta)), quadratic, linear), {-1});
}

Value log_cosh(const Value& y_true, const Value& y_pred) {
  const Value x = y_pred - as_dtype_of(y_true, y_pred);
  const Value log_cosh = x + ops::softplus(x * -2.0) - std::log(2.0);
  return ops::mean(log_cosh, {-1});
}

}  // namespace keras::losses
