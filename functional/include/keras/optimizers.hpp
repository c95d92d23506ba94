#pragma once
// Keras 3's optimizers (keras.optimizers) with their names, arguments,
// defaults and update rules, and the options every optimizer shares
// (weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema,
// gradient_accumulation_steps).
//
//   model.compile({.optimizer = keras::optimizers::Adam({.learning_rate = 0.01,
//                                                        .amsgrad = true}), ...});
//   optimizer.set_learning_rate(1e-4);   // takes effect on the next step
//
// Each option struct lists its fields in the order of the Keras class's
// signature: C++ designated initializers must follow that order.
//
// The update of each variable runs as one fused pass over its elements,
// after the training plan has computed the gradients; plain SGD's update runs
// inside the plan instead (updates_in_graph). The learning rate is read at
// every step, so schedules and set_learning_rate never recompile.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keras/graph/graph.hpp"
#include "keras/optimizers/schedules.hpp"
#include "keras/serialize/config.hpp"
#include "keras/tensor.hpp"
#include "keras/variable.hpp"

namespace keras::optimizers {

// A number or a schedule of the step (Keras' learning_rate argument).
class LearningRate {
 public:
  LearningRate(double value) : value_(value) {}  // NOLINT: implicit, like a Python float
  LearningRate(schedules::SchedulePtr schedule)  // NOLINT: implicit, a schedule object
      : schedule_(std::move(schedule)) {}
  // Any callable of the step (Keras accepts a callable too).
  LearningRate(std::function<double(std::int64_t)> fn);  // NOLINT
  const schedules::SchedulePtr& schedule() const { return schedule_; }
  double value() const { return value_; }

 private:
  double value_ = 0.001;
  schedules::SchedulePtr schedule_;
};

// The arguments every Keras optimizer takes after its own, in Keras' order.
#define KERAS_OPTIMIZER_COMMON_OPTIONS(default_name)                      \
  std::optional<double> weight_decay = std::nullopt;                      \
  std::optional<double> clipnorm = std::nullopt;                          \
  std::optional<double> clipvalue = std::nullopt;                         \
  std::optional<double> global_clipnorm = std::nullopt;                   \
  bool use_ema = false;                                                   \
  double ema_momentum = 0.99;                                             \
  std::optional<std::int64_t> ema_overwrite_frequency = std::nullopt;     \
  std::optional<double> loss_scale_factor = std::nullopt;                 \
  std::optional<std::int64_t> gradient_accumulation_steps = std::nullopt; \
  std::string name = default_name

struct CommonOptions {
  LearningRate learning_rate = 0.001;
  KERAS_OPTIMIZER_COMMON_OPTIONS("");
};

template <class Options>
CommonOptions common_options(const Options& o) {
  return CommonOptions{o.learning_rate,
                       o.weight_decay,
                       o.clipnorm,
                       o.clipvalue,
                       o.global_clipnorm,
                       o.use_ema,
                       o.ema_momentum,
                       o.ema_overwrite_frequency,
                       o.loss_scale_factor,
                       o.gradient_accumulation_steps,
                       o.name};
}

class OptimizerImpl {
 public:
  OptimizerImpl(std::string class_name, CommonOptions options);
  virtual ~OptimizerImpl() = default;

  // Creates the optimizer's variables for these trainable variables; runs
  // once (apply_gradients builds on first use).
  void build(const std::vector<Variable>& variables);
  bool built() const { return built_; }
  // One step: unscales, clips, decays weights, updates, averages (EMA) and
  // counts the iteration, as Keras' apply_gradients. `gradients` are
  // consumed (clipping writes into them).
  void apply_gradients(std::vector<Tensor>& gradients, const std::vector<Variable>& variables);
  // The step as graph ops, for a training plan to apply together with the
  // gradients (a Dense kernel's weight gradient is then accumulated straight
  // into the kernel, never stored): true when this optimizer's step is plain
  // arithmetic on each variable and its gradient (SGD without momentum) and
  // none of the shared options needs the optimizer's own loops (clipping,
  // weight decay, loss scaling, accumulation, EMA).
  bool updates_in_graph() const;
  // The new value of a variable read as `variable` in the graph, from its
  // `gradient` and `learning_rate` (a scalar of the variable's dtype, fed
  // learning_rate() each step). Only when updates_in_graph().
  graph::Value update_in_graph(const graph::Value& variable, const graph::Value& gradient,
                               const graph::Value& learning_rate) const;
  // After a plan applied the updates of update_in_graph to `variables`:
  // builds the optimizer's state for them on first use and counts the step,
  // as apply_gradients does.
  void count_step_in_graph(const std::vector<Variable>& variables);
  // With EMA: replaces the variables by their moving averages (Keras'
  // finalize_variable_values; fit calls it at the end of training).
  void finalize_variable_values(const std::vector<Variable>& variables);

  // The learning rate of the next step (the schedule at `iterations`).
  double learning_rate() const;
  // Keras' `optimizer.learning_rate = x`; an error when it is a schedule.
  void set_learning_rate(double value);
  bool has_schedule() const { return schedule_ != nullptr; }
  // Steps taken (with gradient_accumulation_steps: updates applied, as
  // Keras' optimizer.iterations).
  std::int64_t iterations() const;

  // Keras' optimizer.variables: iterations, the learning rate (unless it
  // is a schedule), then each variable's slots.
  std::vector<Variable> variables() const;
  // By name ("iteration", "learning_rate", "dense_kernel_momentum") or path
  // ("adam/dense_kernel_momentum"); a keras::Error lists the names.
  Variable get_variable(std::string_view name) const;

  const std::string& class_name() const { return class_name_; }
  const std::string& name() const { return options_.name; }
  virtual serialize::Config get_config() const;

 protected:
  // The optimizer's own slots for `variable` (Keras' build), made with
  // add_slot in order.
  virtual void build_slots(const Variable& variable) = 0;
  // Updates variable `index` (its slots are slot(index, k)) from its
  // gradient; `step` is iterations + 1.
  virtual void update_step(std::size_t index, const Tensor& gradient, Variable& variable,
                           double learning_rate, std::int64_t step) = 0;
  // Whether the update rule is plain graph arithmetic (graph_update_step),
  // with no slots or per-step factors; see update_in_graph.
  virtual bool has_graph_update_step() const { return false; }
  virtual graph::Value graph_update_step(const graph::Value& variable, const graph::Value& gradient,
                                         const graph::Value& learning_rate) const;
  // Runs before the variables are updated in a step (Nadam's product).
  virtual void before_update(std::int64_t /*step*/) {}
  // How Keras lists the slots: in groups of kinds, each group variable by
  // variable (Adam: momentum and velocity of each variable, then every
  // velocity_hat; RMSprop: every velocity, then every momentum). The sizes
  // of the groups; empty: one group of all of a variable's slots.
  virtual std::vector<std::size_t> slot_groups() const { return {}; }

  Variable add_slot(const Variable& reference, const std::string& name, double initial = 0.0);
  Variable add_scalar(const std::string& name, double initial);
  Variable& slot(std::size_t index, std::size_t k) { return slots_[index][k]; }
  const CommonOptions& options() const { return options_; }

 private:
  void clip(std::vector<Tensor>& gradients) const;
  void apply_weight_decay(const std::vector<Variable>& variables, double learning_rate);
  void update_moving_averages(const std::vector<Variable>& variables);
  void update(std::vector<Tensor>& gradients, const std::vector<Variable>& variables);
  std::size_t index_of(const Variable& variable) const;
  // A slot of `reference`'s shape and dtype, named as Keras names it.
  Variable slot_variable(const Variable& reference, const std::string& name,
                         double initial = 0.0) const;
  std::int64_t raw_iterations() const;

  std::string class_name_;
  CommonOptions options_;
  schedules::SchedulePtr schedule_;
  Variable iterations_;
  std::optional<Variable> learning_rate_;
  bool built_ = false;
  std::vector<Variable> trainable_;
  std::vector<Variable> averages_;      // use_ema
  std::vector<Variable> accumulators_;  // gradient_accumulation_steps
  std::vector<std::vector<Variable>> slots_;
  std::vector<Variable> building_;  // the slots build_slots is adding
  std::vector<Variable> own_;       // extra scalars (Nadam's u_product)
  std::vector<Variable> all_;       // Keras' order
};

// A handle: copies share one optimizer (and its state).
class Optimizer {
 public:
  Optimizer() = default;
  Optimizer(std::shared_ptr<OptimizerImpl> impl);  // NOLINT: implicit, an optimizer object
  Optimizer(const char* name);                     // NOLINT: implicit, like Keras' strings
  Optimizer(const std::string& name);              // NOLINT

  OptimizerImpl& impl() const;
  OptimizerImpl* operator->() const { return &impl(); }
  bool valid() const { return impl_ != nullptr; }

 private:
  std::shared_ptr<OptimizerImpl> impl_;
};

struct SGDOptions {
  LearningRate learning_rate = 0.01;
  double momentum = 0.0;
  bool nesterov = false;
  KERAS_OPTIMIZER_COMMON_OPTIONS("sgd");
};

struct RMSpropOptions {
  LearningRate learning_rate = 0.001;
  double rho = 0.9;
  double momentum = 0.0;
  double epsilon = 1e-7;
  bool centered = false;
  KERAS_OPTIMIZER_COMMON_OPTIONS("rm_sprop");
};

struct AdamOptions {
  LearningRate learning_rate = 0.001;
  double beta_1 = 0.9;
  double beta_2 = 0.999;
  double epsilon = 1e-7;
  bool amsgrad = false;
  KERAS_OPTIMIZER_COMMON_OPTIONS("adam");
};

// AdamW's weight_decay defaults to 0.004 (the common field's default is none).
struct AdamWOptions {
  LearningRate learning_rate = 0.001;
  std::optional<double> weight_decay = 0.004;
  double beta_1 = 0.9;
  double beta_2 = 0.999;
  double epsilon = 1e-7;
  bool amsgrad = false;
  std::optional<double> clipnorm = std::nullopt;
  std::optional<double> clipvalue = std::nullopt;
  std::optional<double> global_clipnorm = std::nullopt;
  bool use_ema = false;
  double ema_momentum = 0.99;
  std::optional<std::int64_t> ema_overwrite_frequency = std::nullopt;
  std::optional<double> loss_scale_factor = std::nullopt;
  std::optional<std::int64_t> gradient_accumulation_steps = std::nullopt;
  std::string name = "adam_w";
};

struct AdagradOptions {
  LearningRate learning_rate = 0.001;
  double initial_accumulator_value = 0.1;
  double epsilon = 1e-7;
  KERAS_OPTIMIZER_COMMON_OPTIONS("adagrad");
};

struct AdadeltaOptions {
  LearningRate learning_rate = 0.001;
  double rho = 0.95;
  double epsilon = 1e-7;
  KERAS_OPTIMIZER_COMMON_OPTIONS("adadelta");
};

struct AdamaxOptions {
  LearningRate learning_rate = 0.001;
  double beta_1 = 0.9;
  double beta_2 = 0.999;
  double epsilon = 1e-7;
  KERAS_OPTIMIZER_COMMON_OPTIONS("adamax");
};

struct NadamOptions {
  LearningRate learning_rate = 0.001;
  double beta_1 = 0.9;
  double beta_2 = 0.999;
  double epsilon = 1e-7;
  KERAS_OPTIMIZER_COMMON_OPTIONS("nadam");
};

struct LionOptions {
  LearningRate learning_rate = 0.001;
  double beta_1 = 0.9;
  double beta_2 = 0.99;
  KERAS_OPTIMIZER_COMMON_OPTIONS("lion");
};

Optimizer SGD(SGDOptions options = {});
Optimizer RMSprop(RMSpropOptions options = {});
Optimizer Adam(AdamOptions options = {});
Optimizer AdamW(AdamWOptions options = {});
Optimizer Adagrad(AdagradOptions options = {});
Optimizer Adadelta(AdadeltaOptions options = {});
Optimizer Adamax(AdamaxOptions options = {});
Optimizer Nadam(NadamOptions options = {});
Optimizer Lion(LionOptions options = {});

// By Keras name ("adam", "sgd", "rmsprop", ... or the class name) with
// Keras' defaults; a keras::Error lists the names.
Optimizer get(std::string_view name);
// Revives {"class_name": ..., "config": {...}} (Keras 3's serialized form)
// or a name.
Optimizer from_config(const serialize::Config& config);
serialize::Config serialize(const Optimizer& optimizer);

}  // namespace keras::optimizers
