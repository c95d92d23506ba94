#include "keras/constraints.hpp"

#include <cmath>

#include "keras/backend/config.hpp"
#include "keras/graph/ops.hpp"
#include "object_table.hpp"

namespace keras::constraints {

using serialize::Config;

namespace {

// Keras writes one axis as an int, several as a list, and all as null.
Config axes_config(const Axes& axes) {
  if (axes.empty()) return Config();
  if (axes.size() == 1) return Config(axes[0]);
  Config list = Config::list();
  for (std::int64_t a : axes) list.push_back(a);
  return list;
}

// The L2 norms of w along `axes` (all of them when empty), kept as size-1
// axes for broadcasting.
graph::Value norms(const graph::Value& w, const Axes& axes, const char* constraint) {
  for (std::int64_t axis : axes) {
    if (axis >= w.shape().rank() || axis < -w.shape().rank()) {
      throw Error(fmt::format("{}: axis {} is out of range for a weight of shape {}", constraint,
                              axis, w.shape().to_string()));
    }
  }
  return ops::sqrt(ops::sum(ops::square(w), axes, true));
}

// A number as the user wrote it: Keras' MaxNorm default (2) is an int, and
// configs give back what was passed.
Config number_config(double value) {
  const double whole = std::trunc(value);
  if (whole == value && std::abs(value) < 9e15) return Config(static_cast<std::int64_t>(whole));
  return Config(value);
}

class MaxNormImpl final : public Constraint {
 public:
  MaxNormImpl(Config max_value, Axes axes)
      : max_value_(std::move(max_value)), axes_(std::move(axes)) {}
  graph::Value operator()(const graph::Value& w) const override {
    const graph::Value n = norms(w, axes_, "MaxNorm");
    const graph::Value desired = ops::clip(n, 0.0, max_value_.as_number());
    return w * (desired / (n + backend::epsilon()));
  }
  std::string class_name() const override { return "MaxNorm"; }
  Config get_config() const override {
    Config config = Config::dict();
    config["max_value"] = max_value_;
    config["axis"] = axes_config(axes_);
    return config;
  }

 private:
  Config max_value_;
  Axes axes_;
};

class NonNegImpl final : public Constraint {
 public:
  graph::Value operator()(const graph::Value& w) const override {
    return ops::maximum(w, ops::scalar_like(w, 0.0));
  }
  std::string class_name() const override { return "NonNeg"; }
  Config get_config() const override { return Config::dict(); }
};

class UnitNormImpl final : public Constraint {
 public:
  explicit UnitNormImpl(Axes axes) : axes_(std::move(axes)) {}
  graph::Value operator()(const graph::Value& w) const override {
    return w / (norms(w, axes_, "UnitNorm") + backend::epsilon());
  }
  std::string class_name() const override { return "UnitNorm"; }
  Config get_config() const override {
    Config config = Config::dict();
    config["axis"] = axes_config(axes_);
    return config;
  }

 private:
  Axes axes_;
};

class MinMaxNormImpl final : public Constraint {
 public:
  MinMaxNormImpl(Config min_value, Config max_value, Config rate, Axes axes)
      : min_value_(std::move(min_value)),
        max_value_(std::move(max_value)),
        rate_(std::move(rate)),
        axes_(std::move(axes)) {
    if (min_value_.as_number() > max_value_.as_number()) {
      throw Error(fmt::format("MinMaxNorm: min_value {} is above max_value {}",
                              min_value_.as_number(), max_value_.as_number()));
    }
  }
  graph::Value operator()(const graph::Value& w) const override {
    const graph::Value n = norms(w, axes_, "MinMaxNorm");
    const double rate = rate_.as_number();
    const graph::Value desired =
        ops::clip(n, min_value_.as_number(), max_value_.as_number()) * rate + n * (1.0 - rate);
    return w * (desired / (n + backend::epsilon()));
  }
  std::string class_name() const override { return "MinMaxNorm"; }
  Config get_config() const override {
    Config config = Config::dict();
    config["min_value"] = min_value_;
    config["max_value"] = max_value_;
    config["rate"] = rate_;
    config["axis"] = axes_config(axes_);
    return config;
  }

 private:
  Config min_value_;
  Config max_value_;
  Config rate_;
  Axes axes_;
};

// A config's number as written there (int or float), or the default.
Config number_or(const Config& args, const char* key, Config fallback) {
  if (!args.contains(key) || args.at(key).is_null()) return fallback;
  if (!args.at(key).is_number()) {
    throw Error(fmt::format("constraint argument {} must be a number, got {}", key,
                            args.at(key).to_json()));
  }
  return args.at(key);
}

Axes axes_or_default(const Config& args) {
  if (!args.contains("axis")) return {0};
  if (args.at("axis").is_null()) return {};  // None: the norm of the whole weight
  const Config& axis = args.at("axis");
  return axis.is_int() ? Axes{axis.as_int()} : axis.as_ints();
}

const detail::ObjectTable<Constraint>& table() {
  static const detail::ObjectTable<Constraint> instance = [] {
    detail::ObjectTable<Constraint> t("constraint", "keras.constraints");
    t.add("MaxNorm", "max_norm",
          [](const Config& a) -> ConstraintPtr {
            return std::make_shared<MaxNormImpl>(number_or(a, "max_value", Config(2)),
                                                 axes_or_default(a));
          })
        .add("NonNeg", "non_neg", [](const Config&) { return NonNeg(); })
        .add("UnitNorm", "unit_norm", [](const Config& a) { return UnitNorm(axes_or_default(a)); })
        .add("MinMaxNorm", "min_max_norm", [](const Config& a) -> ConstraintPtr {
          return std::make_shared<MinMaxNormImpl>(
              number_or(a, "min_value", Config(0.0)), number_or(a, "max_value", Config(1.0)),
              number_or(a, "rate", Config(1.0)), axes_or_default(a));
        });
    return t;
  }();
  return instance;
}

}  // namespace

ConstraintPtr MaxNorm(double max_value, Axes axis) {
  return std::make_shared<MaxNormImpl>(number_config(max_value), std::move(axis));
}
ConstraintPtr NonNeg() {
  return std::make_shared<NonNegImpl>();
}
ConstraintPtr UnitNorm(Axes axis) {
  return std::make_shared<UnitNormImpl>(std::move(axis));
}
ConstraintPtr MinMaxNorm(double min_value, double max_value, double rate, Axes axis) {
  return std::make_shared<MinMaxNormImpl>(Config(min_value), Config(max_value), Config(rate),
                                          std::move(axis));
}

void register_constraint(const std::string& class_name,
                         std::function<ConstraintPtr(const serialize::Config& config)> factory) {
  table().register_custom(class_name, std::move(factory));
}

ConstraintPtr get(std::string_view name) {
  return table().get(name);
}

ConstraintPtr from_config(const Config& config) {
  return table().from_config(config);
}

Config serialize(const ConstraintPtr& constraint) {
  return table().serialize(constraint);
}

}  // namespace keras::constraints
