#include "trainer.hpp"

#include <cmath>

#include <fmt/ranges.h>

#include "../core/tracer.hpp"
#include "keras/autodiff/gradients.hpp"
#include "keras/backend/config.hpp"
#include "keras/graph/ops.hpp"
#include "keras/models/model.hpp"

namespace keras::models {

// The compiled steps for one kind of batch (target dtypes and ranks, with
// or without sample weights); each Function compiles per batch shape.
struct Trainer::Step {
  std::vector<graph::TensorType> target_types;
  bool weighted = false;
  // The optimizer's update runs in the train plan (updates_in_graph), which
  // then takes the learning rate as its last feed and fetches no gradients.
  bool updates_in_graph = false;
  std::unique_ptr<backend::Function> train;
  std::unique_ptr<backend::Function> test;
  std::size_t num_logged_values = 0;             // outputs between the loss and the gradients
  std::vector<std::size_t> metric_value_counts;  // per metric, in metrics_ order
};

namespace {

std::string loss_description(const losses::Loss& loss) {
  return fmt::format("'{}' ({})", loss.name(), loss.impl().class_name());
}

bool is_sparse(const losses::Loss& loss) {
  return loss.impl().class_name() == "SparseCategoricalCrossentropy";
}

}  // namespace

Trainer::Trainer(FunctionalImpl& model, CompileOptions options)
    : model_(model), options_(std::move(options)), loss_tracker_(metrics::Mean({.name = "loss"})) {
  const std::size_t n = model_.outputs().size();
  for (const KerasTensor& out : model_.outputs())
    output_names_.push_back(out.history().layer->name());
  const LossSpec& spec = options_.loss;
  if (spec.empty()) {
    throw Error(
        fmt::format("compile: model '{}' needs a loss to train, e.g. {{.loss = \"mse\"}} or a "
                    "keras::losses object",
                    model_.name()));
  }
  if (spec.single().valid()) {
    losses_.assign(n, spec.single());
  } else if (!spec.list().empty()) {
    if (spec.list().size() != n) {
      throw Error(fmt::format("compile: model '{}' has {} outputs but {} losses were given",
                              model_.name(), n, spec.list().size()));
    }
    losses_ = spec.list();
  } else {
    for (const std::string& name : output_names_) {
      auto it = spec.by_name().find(name);
      if (it == spec.by_name().end()) {
        throw Error(
            fmt::format("compile: no loss for output '{}' of model '{}'", name, model_.name()));
      }
      losses_.push_back(it->second);
    }
    for (const auto& [name, loss] : spec.by_name()) {
      if (std::find(output_names_.begin(), output_names_.end(), name) == output_names_.end()) {
        throw Error(
            fmt::format("compile: a loss is given for '{}', which is not an output of model "
                        "'{}'; its outputs are: {}",
                        name, model_.name(), fmt::join(output_names_, ", ")));
      }
    }
  }
  loss_weights_ =
      options_.loss_weights.empty() ? std::vector<double>(n, 1.0) : options_.loss_weights;
  if (loss_weights_.size() != n) {
    throw Error(fmt::format("compile: model '{}' has {} outputs but {} loss_weights were given",
                            model_.name(), n, loss_weights_.size()));
  }
  if (!options_.optimizer.valid()) throw Error("compile: the optimizer is empty");
  trainable_ = model_.trainable_weights();
  metrics_.resize(n);
  if (n > 1) {
    for (const std::string& name : output_names_) {
      output_loss_trackers_.push_back(metrics::Mean({.name = name + "_loss"}));
    }
  }
  for (const MetricsSpec* spec : {&options_.metrics, &options_.weighted_metrics}) {
    for (const auto& [name, list] : spec->by_name()) {
      if (std::find(output_names_.begin(), output_names_.end(), name) == output_names_.end()) {
        throw Error(
            fmt::format("compile: metrics are given for '{}', which is not an output of "
                        "model '{}'",
                        name, model_.name()));
      }
    }
  }
  build_constraints();
}

Trainer::~Trainer() = default;

namespace {

// Whether `batch`'s targets and weights are of the kind `step` was made for.
bool fits(const Trainer::Step& step, const Batch& batch) {
  if (step.weighted != batch.sample_weight.has_value() ||
      step.target_types.size() != batch.y.size()) {
    return false;
  }
  for (std::size_t k = 0; k < batch.y.size(); ++k) {
    const graph::TensorType& type = step.target_types[k];
    const Shape& shape = batch.y[k].shape();
    if (type.dtype != batch.y[k].dtype() || type.shape.rank() != shape.rank()) return false;
    for (std::int64_t d = 1; d < shape.rank(); ++d) {
      if (type.shape.dim(d) != shape.dim(d)) return false;
    }
  }
  return true;
}

}  // namespace

void Trainer::build_constraints() {
  auto constrained = model_.weight_constraints();
  if (constrained.empty()) return;
  auto g = graph::Graph::create();
  graph::GraphScope scope(g);
  std::vector<backend::Update> updates;
  for (const auto& [variable, constraint] : constrained) {
    updates.emplace_back(variable, (*constraint)(ops::read(variable)));
  }
  constraints_ = std::make_unique<backend::Function>(std::vector<graph::Value>{},
                                                     std::vector<graph::Value>{}, updates);
}

void Trainer::resolve_metrics(const std::vector<Tensor>& y) {
  if (metrics_resolved_) return;
  const std::size_t n = model_.outputs().size();
  std::map<std::string, int> taken{{"loss", 1}};
  for (const auto& tracker : output_loss_trackers_) taken[tracker->name()] = 1;
  const auto add_one = [&](std::size_t k, const metrics::Metric& requested, bool weighted,
                           bool shared) {
    metrics::Metric m = requested;
    const std::string& asked = requested.requested_name();
    if (asked == "accuracy" || asked == "acc") {
      m = metrics::resolve_accuracy(asked, y[k].shape(), model_.outputs()[k].shape());
    } else if (shared && n > 1) {
      // One metric object per output: the same object cannot hold the state of two.
      if (asked.empty()) {
        throw Error(fmt::format(
            "compile: model '{}' has {} outputs; give metrics for all outputs by name (each "
            "output gets its own), or metric objects per output name",
            model_.name(), n));
      }
      m = metrics::get(asked);
    }
    const std::string prefix = n > 1 ? fmt::format("{}_", output_names_[k]) : "";
    std::string name = fmt::format("{}{}", prefix, m.name());
    if (taken.count(name) && weighted) name = fmt::format("{}weighted_{}", prefix, m.name());
    if (auto [it, fresh] = taken.try_emplace(name, 1); !fresh) {
      name = fmt::format("{}_{}", name, it->second++);
    }
    metrics_[k].push_back({m, weighted, name});
  };
  // Keras names the unweighted metrics of every output first.
  const auto add = [&](const MetricsSpec& spec, bool weighted) {
    for (std::size_t k = 0; k < n; ++k) {
      for (const metrics::Metric& m : spec.all()) add_one(k, m, weighted, true);
      if (auto it = spec.by_name().find(output_names_[k]); it != spec.by_name().end()) {
        for (const metrics::Metric& m : it->second) add_one(k, m, weighted, false);
      }
    }
  };
  add(options_.metrics, false);
  add(options_.weighted_metrics, true);
  metrics_resolved_ = true;
}

void Trainer::check_targets(const std::vector<Tensor>& y) const {
  const auto& outputs = model_.outputs();
  if (y.size() != outputs.size()) {
    throw Error(fmt::format("model '{}' has {} outputs but {} target arrays were given",
                            model_.name(), outputs.size(), y.size()));
  }
  for (std::size_t k = 0; k < y.size(); ++k) {
    if (!is_sparse(losses_[k])) continue;
    const std::int64_t classes = outputs[k].shape().dim(-1);
    const std::vector<double> labels = y[k].to_vector<double>();
    for (double label : labels) {
      if (!(label >= 0 && label < static_cast<double>(classes)) || label != std::floor(label)) {
        throw Error(fmt::format(
            "targets for output '{}' hold the label {}, but loss {} needs class indices in "
            "[0, {}) for an output of shape {}",
            output_names_[k], label, loss_description(losses_[k]), classes,
            outputs[k].shape().to_string()));
      }
    }
  }
}

Trainer::Step& Trainer::step_for(const Batch& batch) {
  // The common case first: the kind of the last batch.
  if (last_step_ != nullptr && fits(*last_step_, batch)) return *last_step_;
  for (auto& step : steps_) {
    if (fits(*step, batch)) return *(last_step_ = step.get());
  }
  std::vector<graph::TensorType> types;
  for (const Tensor& t : batch.y) {
    std::vector<std::int64_t> dims = t.shape().dims();
    if (!dims.empty()) dims[0] = Shape::kUnknown;
    types.push_back({t.dtype(), Shape(dims)});
  }
  const bool weighted = batch.sample_weight.has_value();
  resolve_metrics(batch.y);
  auto step = std::make_unique<Step>();
  step->target_types = types;
  step->weighted = weighted;
  layers::TracedGraph traced = layers::trace_graph(model_.inputs(), model_.outputs());
  graph::GraphScope scope(traced.graph);
  std::vector<graph::Value> inputs = traced.inputs;
  std::vector<graph::Value> targets;
  for (std::size_t k = 0; k < types.size(); ++k) {
    targets.push_back(
        ops::placeholder(types[k].shape, types[k].dtype, output_names_[k] + "_target"));
    inputs.push_back(targets.back());
  }
  std::optional<graph::Value> sample_weight;
  if (weighted) {
    sample_weight = ops::placeholder(Shape{Shape::kUnknown}, DType::float32, "sample_weight");
    inputs.push_back(*sample_weight);
  }
  inputs.push_back(traced.graph->learning_phase());

  std::optional<graph::Value> total;
  std::vector<graph::Value> per_output_losses;
  // Keras computes losses in floatx (Loss' dtype policy): a float64 model
  // under floatx float64 keeps its gradients in float64.
  const DType loss_dtype = backend::floatx_dtype();
  const auto add = [&](const graph::Value& v) {
    const graph::Value scalar = v.dtype() == loss_dtype ? v : ops::cast(v, loss_dtype);
    total = total ? *total + scalar : scalar;
  };
  for (std::size_t k = 0; k < types.size(); ++k) {
    const graph::Value& prediction = traced.outputs[k];
    graph::Value loss;
    try {
      loss = losses_[k](targets[k], prediction, sample_weight);
    } catch (const Error& e) {
      throw Error(
          fmt::format("loss {} does not fit output '{}' of shape {} with targets of shape {}: {}",
                      loss_description(losses_[k]), output_names_[k],
                      prediction.shape().to_string(), types[k].shape.to_string(), e.what()));
    }
    if (loss.shape().rank() != 0) {
      throw Error(fmt::format("loss {} must reduce to a scalar to train (its reduction is '{}')",
                              loss_description(losses_[k]), losses_[k].impl().reduction()));
    }
    add(loss_weights_[k] == 1.0 ? loss : loss * loss_weights_[k]);
    per_output_losses.push_back(loss);
  }
  for (const graph::Value& penalty : model_.regularization_losses()) add(penalty);
  for (const graph::Value& activity : traced.effects.losses) add(activity);

  std::vector<graph::Value> outputs{*total};
  if (!output_loss_trackers_.empty()) {
    outputs.insert(outputs.end(), per_output_losses.begin(), per_output_losses.end());
  }
  for (std::size_t k = 0; k < types.size(); ++k) {
    for (const CompiledMetric& m : metrics_[k]) {
      std::vector<graph::Value> values = m.metric.impl().batch_state(
          targets[k], traced.outputs[k], m.weighted ? sample_weight : std::nullopt);
      step->metric_value_counts.push_back(values.size());
      outputs.insert(outputs.end(), values.begin(), values.end());
    }
  }
  step->num_logged_values = outputs.size() - 1;
  step->test = std::make_unique<backend::Function>(inputs, outputs);
  std::vector<graph::Value> reads;
  for (const Variable& v : trainable_) reads.push_back(ops::read(v));
  // The learning rate in each variable's dtype, made before the gradients:
  // the plan fuses an update into the matmul computing its gradient only
  // when the scale is ready by then.
  std::map<DType, graph::Value> learning_rate;
  step->updates_in_graph = options_.optimizer->updates_in_graph();
  if (step->updates_in_graph) {
    const graph::Value fed = ops::placeholder(Shape{}, DType::float64, "learning_rate");
    inputs.push_back(fed);
    for (const Variable& v : trainable_) {
      if (!learning_rate.count(v.dtype())) {
        learning_rate[v.dtype()] = v.dtype() == DType::float64 ? fed : ops::cast(fed, v.dtype());
      }
    }
  }
  std::vector<graph::Value> gradients = autodiff::gradients(*total, reads);
  std::vector<backend::Update> updates = traced.effects.updates;
  if (step->updates_in_graph) {
    for (std::size_t i = 0; i < trainable_.size(); ++i) {
      updates.emplace_back(
          trainable_[i], options_.optimizer->update_in_graph(reads[i], gradients[i],
                                                             learning_rate[trainable_[i].dtype()]));
    }
  } else {
    outputs.insert(outputs.end(), gradients.begin(), gradients.end());
  }
  step->train = std::make_unique<backend::Function>(inputs, outputs, updates);
  steps_.push_back(std::move(step));
  last_step_ = steps_.back().get();
  return *last_step_;
}

std::vector<Tensor> Trainer::run(Step& step, const Batch& batch, bool training) {
  std::vector<Tensor> feeds = batch.x;
  feeds.insert(feeds.end(), batch.y.begin(), batch.y.end());
  if (batch.sample_weight) feeds.push_back(*batch.sample_weight);
  feeds.push_back(Tensor::scalar(training ? 1 : 0));
  if (training && step.updates_in_graph) {
    feeds.push_back(Tensor::scalar(options_.optimizer->learning_rate(), DType::float64));
  }
  // Dropout and noise draw from (their seed, the optimizer's step). The
  // optimizer consumes the gradients before the next step, so the plan
  // lends them instead of copying.
  if (training) step.train->set_step(static_cast<std::uint64_t>(options_.optimizer->iterations()));
  std::vector<Tensor> out = training ? step.train->call_borrowed(feeds) : (*step.test)(feeds);
  const double loss = out[0].item();
  const double rows = static_cast<double>(batch.x[0].shape()[0]);
  loss_tracker_->add(loss * rows, rows);
  std::size_t offset = 1;
  for (auto& tracker : output_loss_trackers_) tracker->add(out[offset++].item() * rows, rows);
  std::size_t m = 0;
  for (auto& per_output : metrics_) {
    for (CompiledMetric& compiled : per_output) {
      metrics::Metric& metric = compiled.metric;
      const std::size_t count = step.metric_value_counts[m++];
      metric.impl().accumulate(std::span<const Tensor>(out.data() + offset, count));
      offset += count;
    }
  }
  return out;
}

void Trainer::train_batch(const Batch& batch) {
  Step& step = step_for(batch);
  std::vector<Tensor> out = run(step, batch, true);
  if (step.updates_in_graph) {
    options_.optimizer->count_step_in_graph(trainable_);
  } else {
    std::vector<Tensor> gradients(
        out.begin() + static_cast<std::ptrdiff_t>(1 + step.num_logged_values), out.end());
    options_.optimizer->apply_gradients(gradients, trainable_);
  }
  if (constraints_) (*constraints_)({});
}

void Trainer::test_batch(const Batch& batch) {
  run(step_for(batch), batch, false);
}

callbacks::Logs Trainer::logs() const {
  callbacks::Logs logs;
  logs["loss"] = loss_tracker_->result().item();
  for (const auto& tracker : output_loss_trackers_)
    logs[tracker->name()] = tracker->result().item();
  for (const auto& per_output : metrics_) {
    for (const CompiledMetric& m : per_output) {
      const Tensor result = m.metric.result();
      if (result.size() == 1) logs[m.log_name] = result.item();
    }
  }
  return logs;
}

void Trainer::reset_metrics() {
  loss_tracker_->reset_state();
  for (auto& tracker : output_loss_trackers_) tracker->reset_state();
  for (auto& per_output : metrics_) {
    for (CompiledMetric& m : per_output) m.metric.reset_state();
  }
}

std::vector<std::string> Trainer::metrics_names() const {
  std::vector<std::string> names{"loss"};
  for (const auto& tracker : output_loss_trackers_) names.push_back(tracker->name());
  for (const auto& per_output : metrics_) {
    for (const CompiledMetric& m : per_output) names.push_back(m.log_name);
  }
  return names;
}

}  // namespace keras::models
