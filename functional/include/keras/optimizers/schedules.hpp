#pragma once
// Keras 3's learning-rate schedules (keras.optimizers.schedules): the
// learning rate as a function of the optimizer's step (its iterations).
//
//   auto lr = keras::optimizers::schedules::ExponentialDecay(
//       {.initial_learning_rate = 0.1, .decay_steps = 1000, .decay_rate = 0.96});
//   auto opt = keras::optimizers::SGD({.learning_rate = lr});
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "keras/serialize/config.hpp"

namespace keras::optimizers::schedules {

class LearningRateSchedule {
 public:
  virtual ~LearningRateSchedule() = default;
  virtual double operator()(std::int64_t step) const = 0;
  virtual std::string class_name() const = 0;
  virtual serialize::Config get_config() const = 0;
};

using SchedulePtr = std::shared_ptr<const LearningRateSchedule>;

struct ExponentialDecayOptions {
  double initial_learning_rate = 0.1;
  std::int64_t decay_steps = 1;
  double decay_rate = 0.96;
  bool staircase = false;
  std::string name = "ExponentialDecay";
};
struct InverseTimeDecayOptions {
  double initial_learning_rate = 0.1;
  std::int64_t decay_steps = 1;
  double decay_rate = 0.5;
  bool staircase = false;
  std::string name = "InverseTimeDecay";
};
struct PiecewiseConstantDecayOptions {
  std::vector<double> boundaries;
  std::vector<double> values;  // one more than boundaries
  std::string name = "PiecewiseConstant";
};
struct PolynomialDecayOptions {
  double initial_learning_rate = 0.1;
  std::int64_t decay_steps = 1;
  double end_learning_rate = 0.0001;
  double power = 1.0;
  bool cycle = false;
  std::string name = "PolynomialDecay";
};
struct CosineDecayOptions {
  double initial_learning_rate = 0.1;
  std::int64_t decay_steps = 1;
  double alpha = 0.0;
  std::string name = "CosineDecay";
  std::optional<double> warmup_target = std::nullopt;
  std::int64_t warmup_steps = 0;
};
struct CosineDecayRestartsOptions {
  double initial_learning_rate = 0.1;
  std::int64_t first_decay_steps = 1;
  double t_mul = 2.0;
  double m_mul = 1.0;
  double alpha = 0.0;
  std::string name = "SGDRDecay";
};

SchedulePtr ExponentialDecay(ExponentialDecayOptions options);
SchedulePtr InverseTimeDecay(InverseTimeDecayOptions options);
SchedulePtr PiecewiseConstantDecay(PiecewiseConstantDecayOptions options);
SchedulePtr PolynomialDecay(PolynomialDecayOptions options);
SchedulePtr CosineDecay(CosineDecayOptions options);
SchedulePtr CosineDecayRestarts(CosineDecayRestartsOptions options);
// Any callable of the step; it has no Keras config, so a model compiled
// with it cannot be written to a file.
SchedulePtr from_function(std::function<double(std::int64_t)> fn);

SchedulePtr from_config(const serialize::Config& config);
serialize::Config serialize(const SchedulePtr& schedule);

}  // namespace keras::optimizers::schedules
