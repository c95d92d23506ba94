// Keras 3's learning-rate schedules (keras/src/optimizers/schedules/
// learning_rate_schedule.py), formula for formula.
#include "keras/optimizers/schedules.hpp"

#include <cmath>
#include <numbers>

#include "keras/error.hpp"

namespace keras::optimizers::schedules {

using serialize::Config;

namespace {

void check_positive(std::int64_t steps, const char* what, const std::string& name) {
  if (steps <= 0) throw Error(fmt::format("{}: {} must be > 0, got {}", name, what, steps));
}

// ExponentialDecay and InverseTimeDecay: the rate as a function of
// p = step / decay_steps (floored when staircase), with the same arguments.
class StepDecay final : public LearningRateSchedule {
 public:
  enum class Kind { exponential, inverse_time };
  StepDecay(Kind kind, double initial_learning_rate, std::int64_t decay_steps, double decay_rate,
            bool staircase, std::string name)
      : kind_(kind),
        initial_learning_rate_(initial_learning_rate),
        decay_steps_(decay_steps),
        decay_rate_(decay_rate),
        staircase_(staircase),
        name_(std::move(name)) {
    check_positive(decay_steps_, "decay_steps", name_);
  }
  double operator()(std::int64_t step) const override {
    double p = static_cast<double>(step) / static_cast<double>(decay_steps_);
    if (staircase_) p = std::floor(p);
    return kind_ == Kind::exponential ? initial_learning_rate_ * std::pow(decay_rate_, p)
                                      : initial_learning_rate_ / (1.0 + decay_rate_ * p);
  }
  std::string class_name() const override {
    return kind_ == Kind::exponential ? "ExponentialDecay" : "InverseTimeDecay";
  }
  Config get_config() const override {
    Config c = Config::dict();
    c["initial_learning_rate"] = initial_learning_rate_;
    c["decay_steps"] = decay_steps_;
    c["decay_rate"] = decay_rate_;
    c["staircase"] = staircase_;
    c["name"] = name_;
    return c;
  }

 private:
  Kind kind_;
  double initial_learning_rate_;
  std::int64_t decay_steps_;
  double decay_rate_;
  bool staircase_;
  std::string name_;
};

class Piecewise final : public LearningRateSchedule {
 public:
  explicit Piecewise(PiecewiseConstantDecayOptions o) : o_(std::move(o)) {
    if (o_.values.size() != o_.boundaries.size() + 1) {
      throw Error(fmt::format(
          "PiecewiseConstantDecay: values must have one more element than boundaries; got "
          "{} values and {} boundaries",
          o_.values.size(), o_.boundaries.size()));
    }
  }
  double operator()(std::int64_t step) const override {
    const double s = static_cast<double>(step);
    for (std::size_t i = 0; i < o_.boundaries.size(); ++i) {
      if (s <= o_.boundaries[i]) return o_.values[i];
    }
    return o_.values.back();
  }
  std::string class_name() const override { return "PiecewiseConstantDecay"; }
  Config get_config() const override {
    Config c = Config::dict();
    Config boundaries = Config::list();
    for (double b : o_.boundaries) {
      if (b == std::floor(b)) {
        boundaries.push_back(static_cast<std::int64_t>(b));
      } else {
        boundaries.push_back(b);
      }
    }
    Config values = Config::list();
    for (double v : o_.values) values.push_back(v);
    c["boundaries"] = boundaries;
    c["values"] = values;
    c["name"] = o_.name;
    return c;
  }

 private:
  PiecewiseConstantDecayOptions o_;
};

class Polynomial final : public LearningRateSchedule {
 public:
  explicit Polynomial(PolynomialDecayOptions o) : o_(std::move(o)) {
    check_positive(o_.decay_steps, "decay_steps", o_.name);
  }
  double operator()(std::int64_t step) const override {
    double s = static_cast<double>(step);
    double decay_steps = static_cast<double>(o_.decay_steps);
    if (o_.cycle) {
      // A multiplier of 1 at step 0, so the first cycle is not skipped.
      const double multiplier = s == 0 ? 1.0 : std::ceil(s / decay_steps);
      decay_steps *= multiplier;
    } else {
      s = std::min(s, decay_steps);
    }
    const double p = s / decay_steps;
    return (o_.initial_learning_rate - o_.end_learning_rate) * std::pow(1.0 - p, o_.power) +
           o_.end_learning_rate;
  }
  std::string class_name() const override { return "PolynomialDecay"; }
  Config get_config() const override {
    Config c = Config::dict();
    c["initial_learning_rate"] = o_.initial_learning_rate;
    c["decay_steps"] = o_.decay_steps;
    c["end_learning_rate"] = o_.end_learning_rate;
    c["power"] = o_.power;
    c["cycle"] = o_.cycle;
    c["name"] = o_.name;
    return c;
  }

 private:
  PolynomialDecayOptions o_;
};

class Cosine final : public LearningRateSchedule {
 public:
  explicit Cosine(CosineDecayOptions o) : o_(std::move(o)) {
    check_positive(o_.decay_steps, "decay_steps", o_.name);
  }
  double operator()(std::int64_t step) const override {
    const double decay_steps = static_cast<double>(o_.decay_steps);
    double s = static_cast<double>(step);
    if (!o_.warmup_target) {
      return decayed(std::min(s, decay_steps), o_.initial_learning_rate);
    }
    const double warmup_steps = static_cast<double>(o_.warmup_steps);
    s = std::min(s, decay_steps + warmup_steps);
    if (s < warmup_steps) {
      return (*o_.warmup_target - o_.initial_learning_rate) * (s / warmup_steps) +
             o_.initial_learning_rate;
    }
    return decayed(s - warmup_steps, *o_.warmup_target);
  }
  std::string class_name() const override { return "CosineDecay"; }
  Config get_config() const override {
    Config c = Config::dict();
    c["initial_learning_rate"] = o_.initial_learning_rate;
    c["decay_steps"] = o_.decay_steps;
    c["alpha"] = o_.alpha;
    c["name"] = o_.name;
    c["warmup_target"] = o_.warmup_target ? Config(*o_.warmup_target) : Config();
    c["warmup_steps"] = o_.warmup_steps;
    return c;
  }

 private:
  double decayed(double s, double from) const {
    const double fraction = s / static_cast<double>(o_.decay_steps);
    const double cosine = 0.5 * (1.0 + std::cos(std::numbers::pi * fraction));
    return from * ((1 - o_.alpha) * cosine + o_.alpha);
  }
  CosineDecayOptions o_;
};

class CosineRestarts final : public LearningRateSchedule {
 public:
  explicit CosineRestarts(CosineDecayRestartsOptions o) : o_(std::move(o)) {
    check_positive(o_.first_decay_steps, "first_decay_steps", o_.name);
  }
  double operator()(std::int64_t step) const override {
    double fraction = static_cast<double>(step) / static_cast<double>(o_.first_decay_steps);
    double restart;
    if (o_.t_mul == 1.0) {
      restart = std::floor(fraction);
      fraction -= restart;
    } else {
      restart = std::floor(std::log(1.0 - fraction * (1.0 - o_.t_mul)) / std::log(o_.t_mul));
      const double sum_r = (1.0 - std::pow(o_.t_mul, restart)) / (1.0 - o_.t_mul);
      fraction = (fraction - sum_r) / std::pow(o_.t_mul, restart);
    }
    const double m_fac = std::pow(o_.m_mul, restart);
    const double cosine = 0.5 * m_fac * (1.0 + std::cos(std::numbers::pi * fraction));
    return o_.initial_learning_rate * ((1 - o_.alpha) * cosine + o_.alpha);
  }
  std::string class_name() const override { return "CosineDecayRestarts"; }
  Config get_config() const override {
    Config c = Config::dict();
    c["initial_learning_rate"] = o_.initial_learning_rate;
    c["first_decay_steps"] = o_.first_decay_steps;
    c["t_mul"] = o_.t_mul;
    c["m_mul"] = o_.m_mul;
    c["alpha"] = o_.alpha;
    c["name"] = o_.name;
    return c;
  }

 private:
  CosineDecayRestartsOptions o_;
};

class FunctionSchedule final : public LearningRateSchedule {
 public:
  explicit FunctionSchedule(std::function<double(std::int64_t)> fn) : fn_(std::move(fn)) {}
  double operator()(std::int64_t step) const override { return fn_(step); }
  std::string class_name() const override { return "function"; }
  Config get_config() const override {
    throw Error(
        "a learning rate given as a C++ function has no Keras config; use one of "
        "keras::optimizers::schedules' classes to save the optimizer");
  }

 private:
  std::function<double(std::int64_t)> fn_;
};

}  // namespace

SchedulePtr ExponentialDecay(ExponentialDecayOptions o) {
  return std::make_shared<StepDecay>(StepDecay::Kind::exponential, o.initial_learning_rate,
                                     o.decay_steps, o.decay_rate, o.staircase, std::move(o.name));
}
SchedulePtr InverseTimeDecay(InverseTimeDecayOptions o) {
  return std::make_shared<StepDecay>(StepDecay::Kind::inverse_time, o.initial_learning_rate,
                                     o.decay_steps, o.decay_rate, o.staircase, std::move(o.name));
}
SchedulePtr PiecewiseConstantDecay(PiecewiseConstantDecayOptions o) {
  return std::make_shared<Piecewise>(std::move(o));
}
SchedulePtr PolynomialDecay(PolynomialDecayOptions o) {
  return std::make_shared<Polynomial>(std::move(o));
}
SchedulePtr CosineDecay(CosineDecayOptions o) {
  return std::make_shared<Cosine>(std::move(o));
}
SchedulePtr CosineDecayRestarts(CosineDecayRestartsOptions o) {
  return std::make_shared<CosineRestarts>(std::move(o));
}
SchedulePtr from_function(std::function<double(std::int64_t)> fn) {
  return std::make_shared<FunctionSchedule>(std::move(fn));
}

SchedulePtr from_config(const Config& config) {
  const std::string& class_name = config.at("class_name").as_string();
  const Config& c = config.at("config");
  const auto num = [&](const char* key, double fallback) {
    return c.contains(key) && !c.at(key).is_null() ? c.at(key).as_number() : fallback;
  };
  const auto steps = [&](const char* key) { return c.at(key).as_int(); };
  const auto flag = [&](const char* key) { return c.contains(key) && c.at(key).as_bool(); };
  const auto name = [&](const char* fallback) {
    return c.contains("name") && c.at("name").is_string() ? c.at("name").as_string()
                                                          : std::string(fallback);
  };
  if (class_name == "ExponentialDecay") {
    return ExponentialDecay({num("initial_learning_rate", 0.1), steps("decay_steps"),
                             num("decay_rate", 0.96), flag("staircase"), name("ExponentialDecay")});
  }
  if (class_name == "InverseTimeDecay") {
    return InverseTimeDecay({num("initial_learning_rate", 0.1), steps("decay_steps"),
                             num("decay_rate", 0.5), flag("staircase"), name("InverseTimeDecay")});
  }
  if (class_name == "PiecewiseConstantDecay") {
    std::vector<double> boundaries, values;
    for (const Config& b : c.at("boundaries").as_list()) boundaries.push_back(b.as_number());
    for (const Config& v : c.at("values").as_list()) values.push_back(v.as_number());
    return PiecewiseConstantDecay({boundaries, values, name("PiecewiseConstant")});
  }
  if (class_name == "PolynomialDecay") {
    return PolynomialDecay({num("initial_learning_rate", 0.1), steps("decay_steps"),
                            num("end_learning_rate", 0.0001), num("power", 1.0), flag("cycle"),
                            name("PolynomialDecay")});
  }
  if (class_name == "CosineDecay") {
    std::optional<double> warmup_target;
    if (c.contains("warmup_target") && !c.at("warmup_target").is_null()) {
      warmup_target = c.at("warmup_target").as_number();
    }
    return CosineDecay({num("initial_learning_rate", 0.1), steps("decay_steps"), num("alpha", 0.0),
                        name("CosineDecay"), warmup_target,
                        c.contains("warmup_steps") ? c.at("warmup_steps").as_int() : 0});
  }
  if (class_name == "CosineDecayRestarts") {
    return CosineDecayRestarts({num("initial_learning_rate", 0.1), steps("first_decay_steps"),
                                num("t_mul", 2.0), num("m_mul", 1.0), num("alpha", 0.0),
                                name("SGDRDecay")});
  }
  throw Error(fmt::format(
      "unknown learning rate schedule '{}'; Keras' schedules are CosineDecay, "
      "CosineDecayRestarts, ExponentialDecay, InverseTimeDecay, PiecewiseConstantDecay and "
      "PolynomialDecay",
      class_name));
}

Config serialize(const SchedulePtr& schedule) {
  Config out = Config::dict();
  out["module"] = "keras.optimizers.schedules";
  out["class_name"] = schedule->class_name();
  out["config"] = schedule->get_config();
  out["registered_name"] = nullptr;
  return out;
}

}  // namespace keras::optimizers::schedules
