#pragma once
// Keras 3's metrics (keras.metrics) as stateful objects: update_state adds a
// batch, result() reads the metric, reset_state() starts over.
//
//   auto auc = keras::metrics::AUC();
//   auc.update_state(y_true, y_pred);
//   double value = auc.result().item();
//
// During fit and evaluate a metric emits its batch statistics as graph ops
// (batch_state), which run inside the training plan; the metric then adds
// them to its state (accumulate) in double precision. A user's own metric
// derives from MetricImpl.
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "keras/graph/graph.hpp"
#include "keras/serialize/config.hpp"
#include "keras/tensor.hpp"

namespace keras::metrics {

using graph::Value;

class MetricImpl {
 public:
  MetricImpl(std::string class_name, std::string name);
  virtual ~MetricImpl() = default;

  // What one batch adds to the state: values whose shapes do not depend on
  // the batch size (sums and counts).
  virtual std::vector<Value> batch_state(const Value& y_true, const Value& y_pred,
                                         const std::optional<Value>& sample_weight) const = 0;
  // The metric from its state (a scalar, or one value per class or threshold).
  virtual Tensor result() const = 0;
  virtual serialize::Config get_config() const;

  // Adds a batch's batch_state values to the state.
  void accumulate(std::span<const Tensor> batch);
  void reset_state() { state_.clear(); }
  // Eagerly: batch_state on these tensors, then accumulate.
  void update_state(const Tensor& y_true, const Tensor& y_pred);
  void update_state(const Tensor& y_true, const Tensor& y_pred, const Tensor& sample_weight);

  const std::string& class_name() const { return class_name_; }
  const std::string& name() const { return name_; }
  void set_name(std::string name) { name_ = std::move(name); }

 protected:
  // The running sums, flattened in batch_state's order; empty before the
  // first batch (and after reset_state).
  const std::vector<double>& state() const { return state_; }
  // Adds values computed on the host (no tensors) to the state.
  void add_to_state(std::initializer_list<double> values);

 private:
  std::string class_name_;
  std::string name_;
  std::vector<double> state_;
};

// A metric handle: copies share one metric.
class Metric {
 public:
  Metric() = default;
  Metric(std::shared_ptr<MetricImpl> impl);  // NOLINT: implicit, a metric object
  Metric(const char* name);                  // NOLINT: implicit, like Keras' strings
  Metric(const std::string& name);           // NOLINT

  void update_state(const Tensor& y_true, const Tensor& y_pred) const {
    impl().update_state(y_true, y_pred);
  }
  void update_state(const Tensor& y_true, const Tensor& y_pred, const Tensor& sample_weight) const {
    impl().update_state(y_true, y_pred, sample_weight);
  }
  Tensor result() const { return impl().result(); }
  void reset_state() const { impl().reset_state(); }
  const std::string& name() const { return impl().name(); }
  serialize::Config get_config() const { return impl().get_config(); }

  bool valid() const { return impl_ != nullptr; }
  // Names as given to compile ("accuracy") stay unresolved until compile
  // knows the shapes of the targets and outputs.
  const std::string& requested_name() const { return requested_name_; }
  MetricImpl& impl() const;
  const std::shared_ptr<MetricImpl>& ptr() const { return impl_; }

 private:
  std::shared_ptr<MetricImpl> impl_;
  std::string requested_name_;
};

// keras.metrics.Mean: the (weighted) mean of the values given.
class MeanImpl final : public MetricImpl {
 public:
  explicit MeanImpl(std::string name = "mean");
  // y_true is ignored: the values are y_pred.
  std::vector<Value> batch_state(const Value& y_true, const Value& values,
                                 const std::optional<Value>& sample_weight) const override;
  Tensor result() const override;
  // Keras' Mean.update_state(values[, sample_weight]).
  void update(const Tensor& values);
  void update(const Tensor& values, const Tensor& sample_weight);
  // Adds an already reduced total and weight (the training loop's loss).
  void add(double total, double count);
};

struct MetricOptions {
  std::string name = "";  // empty: Keras' default name
};

struct ThresholdOptions {
  double threshold = 0.5;
  std::string name = "";
};

struct TopKOptions {
  std::int64_t k = 5;
  std::string name = "";
};

struct AUCOptions {
  std::int64_t num_thresholds = 200;
  std::string curve = "ROC";                       // or "PR"
  std::string summation_method = "interpolation";  // or "minoring", "majoring"
  std::string name = "";
  std::vector<double> thresholds = {};  // empty: num_thresholds evenly spaced in [0, 1]
  // One curve per label (the last axis), averaged (weighted by
  // label_weights when given); otherwise every value counts as one label.
  bool multi_label = false;
  std::vector<double> label_weights = {};
  bool from_logits = false;
};

struct PrecisionRecallOptions {
  std::vector<double> thresholds = {};  // empty: 0.5; several give a vector result
  std::string name = "";
};

struct FBetaOptions {
  std::string average = "";  // "" (None: per class), "micro", "macro", "weighted"
  double beta = 1.0;
  std::optional<double> threshold = std::nullopt;  // none: the row's largest value
  std::string name = "";
};

std::shared_ptr<MeanImpl> Mean(MetricOptions options = {});
Metric Accuracy(MetricOptions options = {});
Metric BinaryAccuracy(ThresholdOptions options = {});
Metric CategoricalAccuracy(MetricOptions options = {});
Metric SparseCategoricalAccuracy(MetricOptions options = {});
Metric TopKCategoricalAccuracy(TopKOptions options = {});
Metric SparseTopKCategoricalAccuracy(TopKOptions options = {});
Metric MeanSquaredError(MetricOptions options = {});
Metric MeanAbsoluteError(MetricOptions options = {});
Metric MeanAbsolutePercentageError(MetricOptions options = {});
Metric MeanSquaredLogarithmicError(MetricOptions options = {});
Metric RootMeanSquaredError(MetricOptions options = {});
Metric BinaryCrossentropy(MetricOptions options = {});
Metric CategoricalCrossentropy(MetricOptions options = {});
Metric SparseCategoricalCrossentropy(MetricOptions options = {});
Metric AUC(AUCOptions options = {});
Metric Precision(PrecisionRecallOptions options = {});
Metric Recall(PrecisionRecallOptions options = {});
Metric F1Score(FBetaOptions options = {});
Metric FBetaScore(FBetaOptions options = {});

// By Keras name: a class name ("AUC"), a function name
// ("categorical_accuracy", "mae") or an alias; function names keep the
// name they were asked by, as compile(metrics=["mae"]) logs "mae".
// "accuracy" and "acc" give Accuracy here; compile resolves them from the
// shapes (resolve_accuracy). A keras::Error lists the names it knows.
Metric get(std::string_view name);
// Revives {"class_name": ..., "config": {...}} (Keras 3's serialized form,
// with its arguments) or a bare name.
Metric from_config(const serialize::Config& config);
// Keras 3's serialized form: {"module", "class_name", "config", "registered_name"}.
serialize::Config serialize(const Metric& metric);
// What compile does with "accuracy" / "acc": binary, sparse categorical or
// categorical accuracy, chosen from the shapes as Keras 3 does.
Metric resolve_accuracy(const std::string& name, const Shape& y_true, const Shape& y_pred);

}  // namespace keras::metrics
