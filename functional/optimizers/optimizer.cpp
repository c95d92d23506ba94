// OptimizerImpl: what every Keras 3 optimizer does around its update rule
// (keras/src/optimizers/base_optimizer.py apply): loss-scale unscaling,
// gradient accumulation, clipping, weight decay, the update, EMA of the
// variables, the iteration count.
#include <cmath>

#include "keras/optimizers.hpp"
#include "update_kernels.hpp"

namespace keras::optimizers {

using serialize::Config;

LearningRate::LearningRate(std::function<double(std::int64_t)> fn)
    : schedule_(schedules::from_function(std::move(fn))) {}

OptimizerImpl::OptimizerImpl(std::string class_name, CommonOptions options)
    : class_name_(std::move(class_name)),
      options_(std::move(options)),
      schedule_(options_.learning_rate.schedule()),
      iterations_(options_.name + "/iteration", Tensor::zeros({}, DType::int64), false) {
  const auto positive = [&](const std::optional<double>& v, const char* what) {
    if (v && !(*v > 0)) {
      throw Error(fmt::format("{}: {} must be > 0 when given, got {}", class_name_, what, *v));
    }
  };
  positive(options_.clipnorm, "clipnorm");
  positive(options_.clipvalue, "clipvalue");
  positive(options_.global_clipnorm, "global_clipnorm");
  if ((options_.clipnorm ? 1 : 0) + (options_.clipvalue ? 1 : 0) +
          (options_.global_clipnorm ? 1 : 0) >
      1) {
    throw Error(fmt::format(
        "{}: give at most one of clipnorm, clipvalue and global_clipnorm, as Keras requires",
        class_name_));
  }
  if (options_.gradient_accumulation_steps && *options_.gradient_accumulation_steps < 2) {
    throw Error(fmt::format("{}: gradient_accumulation_steps must be >= 2 when given, got {}",
                            class_name_, *options_.gradient_accumulation_steps));
  }
  if (options_.use_ema && (options_.ema_momentum < 0 || options_.ema_momentum > 1)) {
    throw Error(fmt::format("{}: ema_momentum must be in [0, 1], got {}", class_name_,
                            options_.ema_momentum));
  }
  all_.push_back(iterations_);
  if (!schedule_) {
    learning_rate_ = Variable(options_.name + "/learning_rate",
                              Tensor::scalar(options_.learning_rate.value()), false);
    all_.push_back(*learning_rate_);
  }
}

double OptimizerImpl::learning_rate() const {
  if (schedule_) return (*schedule_)(iterations());
  return learning_rate_->value().item();
}

void OptimizerImpl::set_learning_rate(double value) {
  if (schedule_) {
    throw Error(fmt::format(
        "{} '{}' takes its learning rate from a {} schedule, which cannot be set; compile "
        "with a number as learning_rate to set it",
        class_name_, name(), schedule_->class_name()));
  }
  learning_rate_->assign(Tensor::scalar(value));
}

std::int64_t OptimizerImpl::iterations() const {
  const auto raw = static_cast<std::int64_t>(iterations_.value().item());
  return options_.gradient_accumulation_steps ? raw / *options_.gradient_accumulation_steps : raw;
}

std::int64_t OptimizerImpl::raw_iterations() const {
  return static_cast<std::int64_t>(iterations_.value().item());
}

Variable OptimizerImpl::slot_variable(const Variable& reference, const std::string& name,
                                      double initial) const {
  std::string base = reference.name();
  for (char& c : base) {
    if (c == '/' || c == ':') c = '_';
  }
  return Variable(options_.name + "/" + base + "_" + name,
                  Tensor::full(reference.shape(), initial, reference.dtype()), false);
}

Variable OptimizerImpl::add_slot(const Variable& reference, const std::string& name,
                                 double initial) {
  building_.push_back(slot_variable(reference, name, initial));
  return building_.back();
}

Variable OptimizerImpl::add_scalar(const std::string& name, double initial) {
  own_.emplace_back(options_.name + "/" + name, Tensor::scalar(initial), false);
  return own_.back();
}

void OptimizerImpl::build(const std::vector<Variable>& variables) {
  if (built_) return;
  trainable_ = variables;
  // Keras' order: EMA averages and gradient accumulators (base optimizer's
  // build), each variable's slots grouped as slot_groups() says, then the
  // optimizer's own scalars.
  if (options_.use_ema) {
    for (const Variable& v : variables) {
      averages_.push_back(slot_variable(v, "average"));
      averages_.back().assign(v.value());
    }
    all_.insert(all_.end(), averages_.begin(), averages_.end());
  }
  if (options_.gradient_accumulation_steps) {
    for (const Variable& v : variables) {
      accumulators_.push_back(slot_variable(v, "gradient_accumulator"));
    }
    all_.insert(all_.end(), accumulators_.begin(), accumulators_.end());
  }
  slots_.resize(variables.size());
  for (std::size_t i = 0; i < variables.size(); ++i) {
    building_.clear();
    build_slots(variables[i]);
    slots_[i] = std::move(building_);
  }
  building_.clear();
  std::vector<std::size_t> groups = slot_groups();
  if (groups.empty() && !slots_.empty()) groups = {slots_[0].size()};
  std::size_t first = 0;
  for (std::size_t size : groups) {
    for (const auto& per_variable : slots_) {
      all_.insert(all_.end(), per_variable.begin() + static_cast<std::ptrdiff_t>(first),
                  per_variable.begin() + static_cast<std::ptrdiff_t>(first + size));
    }
    first += size;
  }
  all_.insert(all_.end(), own_.begin(), own_.end());
  built_ = true;
}

std::size_t OptimizerImpl::index_of(const Variable& variable) const {
  for (std::size_t i = 0; i < trainable_.size(); ++i) {
    if (trainable_[i] == variable) return i;
  }
  throw Error(fmt::format(
      "{} '{}' was built for other variables and has no state for '{}': use one optimizer "
      "per model, or compile again with a new one",
      class_name_, name(), variable.name()));
}

void OptimizerImpl::clip(std::vector<Tensor>& gradients) const {
  if (options_.clipnorm) {
    for (Tensor& g : gradients) kernels::clip_by_norm(g, *options_.clipnorm);
  } else if (options_.global_clipnorm) {
    kernels::clip_by_global_norm(gradients, *options_.global_clipnorm);
  } else if (options_.clipvalue) {
    for (Tensor& g : gradients) kernels::clip_by_value(g, *options_.clipvalue);
  }
}

void OptimizerImpl::apply_weight_decay(const std::vector<Variable>& variables,
                                       double learning_rate) {
  if (!options_.weight_decay) return;
  for (const Variable& v : variables) {
    kernels::decay(v, *options_.weight_decay, learning_rate);
  }
}

void OptimizerImpl::update(std::vector<Tensor>& gradients, const std::vector<Variable>& variables) {
  clip(gradients);
  const double lr = learning_rate();
  apply_weight_decay(variables, lr);
  const std::int64_t step = iterations() + 1;
  before_update(step);
  for (std::size_t i = 0; i < variables.size(); ++i) {
    Variable v = variables[i];
    update_step(index_of(v), gradients[i], v, lr, step);
  }
}

void OptimizerImpl::apply_gradients(std::vector<Tensor>& gradients,
                                    const std::vector<Variable>& variables) {
  if (gradients.size() != variables.size()) {
    throw Error(fmt::format("{}: {} gradients for {} variables", class_name_, gradients.size(),
                            variables.size()));
  }
  build(variables);
  for (std::size_t i = 0; i < variables.size(); ++i) {
    if (gradients[i].shape() != variables[i].shape()) {
      throw Error(fmt::format("{}: the gradient of '{}' has shape {}, the variable {}", class_name_,
                              variables[i].name(), gradients[i].shape().to_string(),
                              variables[i].shape().to_string()));
    }
    if (gradients[i].dtype() != variables[i].dtype()) {
      gradients[i] = gradients[i].astype(variables[i].dtype());
    }
  }
  if (options_.loss_scale_factor) {
    for (Tensor& g : gradients) kernels::scale(g, 1.0 / *options_.loss_scale_factor);
  }
  if (options_.gradient_accumulation_steps) {
    const std::int64_t steps = *options_.gradient_accumulation_steps;
    const bool is_update_step = (raw_iterations() + 1) % steps == 0;
    for (std::size_t i = 0; i < variables.size(); ++i) {
      const Variable& acc = accumulators_[index_of(variables[i])];
      if (is_update_step) {
        kernels::add_and_scale(gradients[i], acc, 1.0 / static_cast<double>(steps));
        kernels::fill(acc, 0.0);
      } else {
        kernels::accumulate(acc, gradients[i]);
      }
    }
    if (is_update_step) update(gradients, variables);
  } else {
    update(gradients, variables);
  }
  if (options_.use_ema) update_moving_averages(variables);
  if (options_.use_ema && options_.ema_overwrite_frequency &&
      (iterations() + 1) % *options_.ema_overwrite_frequency == 0) {
    finalize_variable_values(variables);
  }
  kernels::storage<std::int64_t>(iterations_)[0] += 1;
}

bool OptimizerImpl::updates_in_graph() const {
  return !options_.clipnorm && !options_.clipvalue && !options_.global_clipnorm &&
         !options_.weight_decay && !options_.loss_scale_factor &&
         !options_.gradient_accumulation_steps && !options_.use_ema && has_graph_update_step();
}

graph::Value OptimizerImpl::update_in_graph(const graph::Value& variable,
                                            const graph::Value& gradient,
                                            const graph::Value& learning_rate) const {
  KERAS_INTERNAL_CHECK(updates_in_graph(), "{} has no update in the graph", class_name_);
  return graph_update_step(variable, gradient, learning_rate);
}

graph::Value OptimizerImpl::graph_update_step(const graph::Value& /*variable*/,
                                              const graph::Value& /*gradient*/,
                                              const graph::Value& /*learning_rate*/) const {
  KERAS_INTERNAL_CHECK(false, "{} has no update in the graph", class_name_);
  return {};
}

void OptimizerImpl::count_step_in_graph(const std::vector<Variable>& variables) {
  build(variables);
  kernels::storage<std::int64_t>(iterations_)[0] += 1;
}

void OptimizerImpl::update_moving_averages(const std::vector<Variable>& variables) {
  const double momentum = iterations() != 0 ? options_.ema_momentum : 0.0;
  for (const Variable& v : variables) {
    kernels::moving_average(averages_[index_of(v)], v, momentum);
  }
}

void OptimizerImpl::finalize_variable_values(const std::vector<Variable>& variables) {
  if (!options_.use_ema || !built_) return;
  for (const Variable& v : variables) {
    Variable target = v;
    target.assign(averages_[index_of(v)].value());
  }
}

std::vector<Variable> OptimizerImpl::variables() const {
  return all_;
}

Variable OptimizerImpl::get_variable(std::string_view name) const {
  const std::string prefix = options_.name + "/";
  for (const Variable& v : all_) {
    if (v.name() == name) return v;
    if (v.name().size() > prefix.size() && v.name().compare(0, prefix.size(), prefix) == 0 &&
        std::string_view(v.name()).substr(prefix.size()) == name) {
      return v;
    }
  }
  std::string names;
  for (const Variable& v : all_) names += (names.empty() ? "" : ", ") + v.name();
  throw Error(fmt::format("{} '{}' has no variable '{}'; it has: {}", class_name_, options_.name,
                          name, names.empty() ? "none yet (not built)" : names));
}

Config OptimizerImpl::get_config() const {
  Config c = Config::dict();
  c["name"] = options_.name;
  if (schedule_) {
    c["learning_rate"] = schedules::serialize(schedule_);
  } else {
    c["learning_rate"] = static_cast<double>(static_cast<float>(learning_rate()));
  }
  const auto optional = [](const auto& v) { return v ? Config(*v) : Config(); };
  c["weight_decay"] = optional(options_.weight_decay);
  c["clipnorm"] = optional(options_.clipnorm);
  c["global_clipnorm"] = optional(options_.global_clipnorm);
  c["clipvalue"] = optional(options_.clipvalue);
  c["use_ema"] = options_.use_ema;
  c["ema_momentum"] = options_.ema_momentum;
  c["ema_overwrite_frequency"] = optional(options_.ema_overwrite_frequency);
  c["loss_scale_factor"] = optional(options_.loss_scale_factor);
  c["gradient_accumulation_steps"] = optional(options_.gradient_accumulation_steps);
  return c;
}

Optimizer::Optimizer(std::shared_ptr<OptimizerImpl> impl) : impl_(std::move(impl)) {}

Optimizer::Optimizer(const char* name) : Optimizer(get(name)) {}

Optimizer::Optimizer(const std::string& name) : Optimizer(get(name)) {}

OptimizerImpl& Optimizer::impl() const {
  if (!impl_) throw Error("this Optimizer is empty: give it an optimizer name or object");
  return *impl_;
}

}  // namespace keras::optimizers
