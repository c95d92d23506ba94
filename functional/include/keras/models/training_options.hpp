#pragma once
// The arguments of Model::compile, fit, evaluate and predict, as Keras 3
// names them. Fields follow the order of Keras' signatures, since C++
// designated initializers must be written in declaration order:
//   compile: optimizer, loss, loss_weights, metrics, weighted_metrics
//   fit:     batch_size, epochs, verbose, callbacks, validation_split,
//            validation_data, shuffle, class_weight, sample_weight,
//            initial_epoch, steps_per_epoch, validation_steps,
//            validation_batch_size, validation_freq
#include <concepts>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "keras/callbacks.hpp"
#include "keras/losses.hpp"
#include "keras/metrics.hpp"
#include "keras/optimizers.hpp"

namespace keras::models {

// One loss for every output, one per output in order, or one per output
// name (std::map<std::string, Loss>{{"out", "mse"}}).
class LossSpec {
 public:
  LossSpec() = default;
  LossSpec(losses::Loss loss) : single_(std::move(loss)) {}  // NOLINT: implicit, as in Keras
  LossSpec(const char* name) : single_(name) {}              // NOLINT
  LossSpec(const std::string& name) : single_(name) {}       // NOLINT
  LossSpec(std::initializer_list<losses::Loss> per_output) : list_(per_output) {}
  LossSpec(std::vector<losses::Loss> per_output) : list_(std::move(per_output)) {}  // NOLINT
  template <class M>
  requires std::same_as<M, std::map<std::string, losses::Loss>> LossSpec(const M& by_name)
      : by_name_(by_name) {}  // NOLINT

  bool empty() const { return !single_.valid() && list_.empty() && by_name_.empty(); }
  const losses::Loss& single() const { return single_; }
  const std::vector<losses::Loss>& list() const { return list_; }
  const std::map<std::string, losses::Loss>& by_name() const { return by_name_; }

 private:
  losses::Loss single_;
  std::vector<losses::Loss> list_;
  std::map<std::string, losses::Loss> by_name_;
};

// Metrics for every output ({"accuracy"}: one each, named "out_accuracy"
// when there are several outputs), or per output name
// (std::map<std::string, std::vector<Metric>>{{"out", {"mae"}}}).
class MetricsSpec {
 public:
  MetricsSpec() = default;
  MetricsSpec(std::initializer_list<metrics::Metric> all) : all_(all) {}
  MetricsSpec(std::vector<metrics::Metric> all) : all_(std::move(all)) {}  // NOLINT: implicit
  template <class M>
  requires std::same_as<M, std::map<std::string, std::vector<metrics::Metric>>> MetricsSpec(
      const M& by_name)
      : by_name_(by_name) {}  // NOLINT

  bool empty() const { return all_.empty() && by_name_.empty(); }
  const std::vector<metrics::Metric>& all() const { return all_; }
  const std::map<std::string, std::vector<metrics::Metric>>& by_name() const { return by_name_; }
  void push_back(metrics::Metric m) { all_.push_back(std::move(m)); }

 private:
  std::vector<metrics::Metric> all_;
  std::map<std::string, std::vector<metrics::Metric>> by_name_;
};

struct CompileOptions {
  optimizers::Optimizer optimizer = "rmsprop";
  LossSpec loss = {};
  // One weight per output, in order (empty: 1 each).
  std::vector<double> loss_weights = {};
  // "accuracy" is resolved from the shapes of the targets and outputs.
  MetricsSpec metrics = {};
  // Metrics that use the sample weights and class weights.
  MetricsSpec weighted_metrics = {};
};

// Data that fit evaluates on after each epoch (Keras' validation_data).
struct ValidationData {
  std::vector<Tensor> x;
  std::vector<Tensor> y;
  std::optional<Tensor> sample_weight = std::nullopt;
};

using CallbackList = std::vector<std::reference_wrapper<callbacks::Callback>>;

// Arrays by the names of a model's inputs or outputs (Keras' dict of
// arrays): model.fit({{"image", x1}, {"meta", x2}}, {{"label", y}}).
class NamedTensors {
 public:
  NamedTensors(std::initializer_list<std::pair<const std::string, Tensor>> tensors)
      : tensors_(tensors) {}
  explicit NamedTensors(std::map<std::string, Tensor> tensors) : tensors_(std::move(tensors)) {}
  const std::map<std::string, Tensor>& tensors() const { return tensors_; }

 private:
  std::map<std::string, Tensor> tensors_;
};

// One batch of a generator: the inputs, the targets and, optionally, one
// weight per sample.
struct DataBatch {
  std::vector<Tensor> x;
  std::vector<Tensor> y = {};
  std::optional<Tensor> sample_weight = std::nullopt;
};

// Data larger than memory (the Keras FAQ's generators, Keras 3's
// PyDataset): fit and evaluate call it for each batch. It returns nothing
// when its data ends; with steps_per_epoch (or steps) set, each epoch takes
// that many batches, so a generator that never ends works too.
using BatchGenerator = std::function<std::optional<DataBatch>()>;
// For predict: batches of inputs only.
using InputGenerator = std::function<std::optional<std::vector<Tensor>>()>;

struct FitOptions {
  std::int64_t batch_size = 32;
  std::int64_t epochs = 1;
  int verbose = 1;  // 0 silent, 1 progress bar, 2 one line per epoch
  CallbackList callbacks = {};
  double validation_split = 0.0;  // the last fraction of the samples, before shuffling
  std::optional<ValidationData> validation_data = std::nullopt;
  bool shuffle = true;  // every epoch
  std::map<std::int64_t, double> class_weight = {};
  std::optional<Tensor> sample_weight = std::nullopt;
  std::int64_t initial_epoch = 0;
  std::optional<std::int64_t> steps_per_epoch = std::nullopt;
  std::optional<std::int64_t> validation_steps = std::nullopt;
  std::optional<std::int64_t> validation_batch_size = std::nullopt;
  std::int64_t validation_freq = 1;
};

struct EvaluateOptions {
  std::int64_t batch_size = 32;
  int verbose = 1;
  std::optional<Tensor> sample_weight = std::nullopt;
  std::optional<std::int64_t> steps = std::nullopt;
  CallbackList callbacks = {};
};

struct PredictOptions {
  std::int64_t batch_size = 32;
  int verbose = 0;  // silent by default: services call predict in a loop
  std::optional<std::int64_t> steps = std::nullopt;
  CallbackList callbacks = {};
};

struct BatchOptions {
  std::optional<Tensor> sample_weight = std::nullopt;
  std::map<std::int64_t, double> class_weight = {};
};

}  // namespace keras::models
