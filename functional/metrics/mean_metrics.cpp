// Metrics that average a per-sample value (Keras' MeanMetricWrapper): the
// accuracy family, the regression errors and the crossentropies.
#include <cmath>
#include <functional>

#include "../core/rank_alignment.hpp"
#include "keras/graph/ops.hpp"
#include "keras/losses.hpp"
#include "keras/metrics.hpp"

namespace keras::metrics {

namespace {

using Fn = std::function<Value(const Value& y_true, const Value& y_pred)>;

class MeanMetricWrapper : public MetricImpl {
 public:
  MeanMetricWrapper(std::string class_name, std::string name, Fn fn,
                    serialize::Config kwargs = serialize::Config::dict(), bool root = false)
      : MetricImpl(std::move(class_name), std::move(name)),
        fn_(std::move(fn)),
        kwargs_(std::move(kwargs)),
        root_(root) {}

  std::vector<Value> batch_state(const Value& y_true, const Value& y_pred,
                                 const std::optional<Value>& sample_weight) const override {
    graph::NameScope scope(y_pred.graph(), name());
    const Value t = y_true.dtype() == y_pred.dtype() || !is_floating(y_pred.dtype())
                        ? y_true
                        : ops::cast(y_true, y_pred.dtype());
    return mean_.batch_state(t, fn_(t, y_pred), sample_weight);
  }
  Tensor result() const override {
    const auto& s = state();
    if (s.empty() || s[1] == 0.0) return Tensor::scalar(0.0);
    const double mean = s[0] / s[1];
    return Tensor::scalar(root_ ? std::sqrt(mean) : mean);
  }
  serialize::Config get_config() const override {
    serialize::Config config = MetricImpl::get_config();
    for (const auto& [key, value] : kwargs_.as_dict()) config[key] = value;
    return config;
  }

 private:
  Fn fn_;
  serialize::Config kwargs_;
  bool root_;
  MeanImpl mean_;
};

Metric make(std::string class_name, const std::string& default_name, const std::string& name, Fn fn,
            serialize::Config kwargs = serialize::Config::dict(), bool root = false) {
  return Metric(std::make_shared<MeanMetricWrapper>(std::move(class_name),
                                                    name.empty() ? default_name : name,
                                                    std::move(fn), std::move(kwargs), root));
}

Value as_float(const Value& x) {
  return ops::cast(x, DType::float32);
}

// Keras' sparse_categorical_accuracy: labels (N,) or (N, 1) against scores
// (N, classes); one match per row.
Value sparse_matches(const Value& y_true, const Value& y_pred) {
  Value labels = y_true;
  if (labels.shape().rank() == y_pred.shape().rank() && labels.shape().dim(-1) == 1) {
    labels = ops::squeeze(labels, {-1});
  }
  Value predicted = ops::argmax(y_pred, -1);
  if (is_floating(labels.dtype())) {
    predicted = ops::cast(predicted, labels.dtype());
  } else {
    labels = ops::cast(labels, DType::int64);
  }
  return as_float(ops::equal(labels, predicted));
}

// Whether the true class's score is among the k largest of its row (ties
// count in its favour only when fewer than k classes score higher).
Value in_top_k(const Value& labels, const Value& y_pred, std::int64_t k) {
  const std::int64_t classes = y_pred.shape().dim(-1);
  Value index = labels;
  if (index.shape().rank() == y_pred.shape().rank() && index.shape().dim(-1) == 1) {
    index = ops::squeeze(index, {-1});
  }
  if (is_floating(index.dtype())) index = ops::cast(index, DType::int64);
  const Value true_score =
      ops::sum(ops::one_hot(index, classes, y_pred.dtype()) * y_pred, {-1}, true);
  const Value higher = ops::sum(as_float(ops::greater(y_pred, true_score)), {-1});
  return as_float(ops::less(higher, ops::scalar_like(higher, static_cast<double>(k))));
}

Value categorical_to_sparse(const Value& y_true) {
  return ops::argmax(y_true, -1);
}

}  // namespace

Metric Accuracy(MetricOptions o) {
  return make("Accuracy", "accuracy", o.name, [](const Value& t, const Value& p) {
    auto [a, b] = losses::squeeze_or_expand_to_same_rank(t, p);
    return as_float(ops::equal(a, b));
  });
}

Metric BinaryAccuracy(ThresholdOptions o) {
  serialize::Config kwargs = serialize::Config::dict();
  kwargs["threshold"] = o.threshold;
  return make(
      "BinaryAccuracy", "binary_accuracy", o.name,
      [o](const Value& t, const Value& p) {
        auto [a, b] = losses::squeeze_or_expand_to_same_rank(t, p);
        const Value predicted =
            ops::cast(ops::greater(b, ops::scalar_like(b, o.threshold)), a.dtype());
        return ops::mean(as_float(ops::equal(a, predicted)), {-1});
      },
      kwargs);
}

Metric CategoricalAccuracy(MetricOptions o) {
  return make(
      "CategoricalAccuracy", "categorical_accuracy", o.name,
      [](const Value& t, const Value& p) { return sparse_matches(categorical_to_sparse(t), p); });
}

Metric SparseCategoricalAccuracy(MetricOptions o) {
  return make("SparseCategoricalAccuracy", "sparse_categorical_accuracy", o.name, sparse_matches);
}

Metric TopKCategoricalAccuracy(TopKOptions o) {
  serialize::Config kwargs = serialize::Config::dict();
  kwargs["k"] = o.k;
  return make(
      "TopKCategoricalAccuracy", "top_k_categorical_accuracy", o.name,
      [o](const Value& t, const Value& p) { return in_top_k(categorical_to_sparse(t), p, o.k); },
      kwargs);
}

Metric SparseTopKCategoricalAccuracy(TopKOptions o) {
  serialize::Config kwargs = serialize::Config::dict();
  kwargs["k"] = o.k;
  return make(
      "SparseTopKCategoricalAccuracy", "sparse_top_k_categorical_accuracy", o.name,
      [o](const Value& t, const Value& p) { return in_top_k(t, p, o.k); }, kwargs);
}

namespace {
// fn on labels and predictions whose ranks Keras' way aligned.
Fn aligned(Fn fn) {
  return [fn](const Value& t, const Value& p) {
    auto [a, b] = losses::squeeze_or_expand_to_same_rank(t, p);
    return fn(a, b);
  };
}
}  // namespace

Metric MeanSquaredError(MetricOptions o) {
  return make("MeanSquaredError", "mean_squared_error", o.name,
              aligned(losses::mean_squared_error));
}

Metric MeanAbsoluteError(MetricOptions o) {
  return make("MeanAbsoluteError", "mean_absolute_error", o.name,
              aligned(losses::mean_absolute_error));
}

Metric MeanAbsolutePercentageError(MetricOptions o) {
  return make("MeanAbsolutePercentageError", "mean_absolute_percentage_error", o.name,
              aligned(losses::mean_absolute_percentage_error));
}

Metric MeanSquaredLogarithmicError(MetricOptions o) {
  return make("MeanSquaredLogarithmicError", "mean_squared_logarithmic_error", o.name,
              aligned(losses::mean_squared_logarithmic_error));
}

Metric RootMeanSquaredError(MetricOptions o) {
  return make("RootMeanSquaredError", "root_mean_squared_error", o.name,
              aligned(losses::mean_squared_error), serialize::Config::dict(), true);
}

Metric BinaryCrossentropy(MetricOptions o) {
  serialize::Config kwargs = serialize::Config::dict();
  kwargs["from_logits"] = false;
  kwargs["label_smoothing"] = 0;
  return make(
      "BinaryCrossentropy", "binary_crossentropy", o.name,
      aligned([](const Value& t, const Value& p) { return losses::binary_crossentropy(t, p); }),
      kwargs);
}

Metric CategoricalCrossentropy(MetricOptions o) {
  serialize::Config kwargs = serialize::Config::dict();
  kwargs["from_logits"] = false;
  kwargs["label_smoothing"] = 0;
  kwargs["axis"] = -1;
  return make(
      "CategoricalCrossentropy", "categorical_crossentropy", o.name,
      [](const Value& t, const Value& p) { return losses::categorical_crossentropy(t, p); },
      kwargs);
}

Metric SparseCategoricalCrossentropy(MetricOptions o) {
  serialize::Config kwargs = serialize::Config::dict();
  kwargs["from_logits"] = false;
  kwargs["axis"] = -1;
  return make(
      "SparseCategoricalCrossentropy", "sparse_categorical_crossentropy", o.name,
      [](const Value& t, const Value& p) { return losses::sparse_categorical_crossentropy(t, p); },
      kwargs);
}

}  // namespace keras::metrics
