#pragma once
// What compile() makes of a model: the training and test steps (one graph:
// the model traced in one learning phase, the weighted losses, the metrics'
// batch statistics, the gradients), the optimizer, the metrics and the loss
// tracker. fit, evaluate and train_on_batch run batches through it.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "keras/backend/function.hpp"
#include "keras/callbacks.hpp"
#include "keras/models/training_options.hpp"

namespace keras::models {

class FunctionalImpl;

// compile's arguments from a Keras 3 compile_config.
CompileOptions compile_options_from_config(const serialize::Config& config);

// One batch: inputs, targets, and one weight per sample (sample weights
// times class weights) when any were given.
struct Batch {
  std::vector<Tensor> x;
  std::vector<Tensor> y;
  std::optional<Tensor> sample_weight;
};

class Trainer {
 public:
  Trainer(FunctionalImpl& model, CompileOptions options);
  ~Trainer();
  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;

  // Forward, loss, backward and the optimizer's update; the metrics and
  // the loss tracker take the batch.
  void train_batch(const Batch& batch);
  // Forward in test mode; the metrics and the loss tracker take the batch.
  void test_batch(const Batch& batch);
  // Keras' get_metrics_result(): the loss tracker and every metric whose
  // result is one number, by name.
  callbacks::Logs logs() const;
  void reset_metrics();
  // "loss", then the metrics in compile order (per output for several).
  std::vector<std::string> metrics_names() const;

  const optimizers::Optimizer& optimizer() const { return options_.optimizer; }
  // Keras 3's compile_config: what compile was given, names as names.
  serialize::Config compile_config() const;
  const CompileOptions& options() const { return options_; }
  // Checks targets against the model's outputs before any step runs: their
  // count, rows and, for sparse losses, the label range.
  void check_targets(const std::vector<Tensor>& y) const;

 public:
  struct Step;

 private:
  Step& step_for(const Batch& batch);
  void resolve_metrics(const std::vector<Tensor>& y);
  void build_constraints();
  std::vector<Tensor> run(Step& step, const Batch& batch, bool training);

  FunctionalImpl& model_;
  CompileOptions options_;
  std::vector<losses::Loss> losses_;  // one per output
  std::vector<double> loss_weights_;  // one per output
  std::vector<std::string> output_names_;
  std::vector<Variable> trainable_;  // fixed at compile, as in Keras
  // A compiled metric: whether it takes the sample weights, and its name in
  // the logs (Keras' CompileMetrics names: "out_" for several outputs, "_1"
  // for a repeated name, "weighted_" for a weighted one whose name is taken).
  struct CompiledMetric {
    metrics::Metric metric;
    bool weighted;
    std::string log_name;
  };
  std::vector<std::vector<CompiledMetric>> metrics_;  // per output
  bool metrics_resolved_ = false;
  std::shared_ptr<metrics::MeanImpl> loss_tracker_;
  // With several outputs, each output's (unweighted) loss: "out_loss".
  std::vector<std::shared_ptr<metrics::MeanImpl>> output_loss_trackers_;
  std::vector<std::unique_ptr<Step>> steps_;
  Step* last_step_ = nullptr;
  std::unique_ptr<backend::Function> constraints_;
};

}  // namespace keras::models
