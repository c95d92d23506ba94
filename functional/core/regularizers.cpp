#include "keras/regularizers.hpp"

#include <cmath>

#include "keras/backend/config.hpp"
#include "keras/graph/ops.hpp"
#include "keras/tensor.hpp"
#include "object_table.hpp"

namespace keras::regularizers {

using serialize::Config;

namespace {

// Keras validates every factor the same way (validate_float_arg).
double checked_factor(double value, const char* name) {
  if (!std::isfinite(value) || value < 0) {
    throw Error(fmt::format("regularizer argument {} must be a finite non-negative number, got {}",
                            name, value));
  }
  return value;
}

// Keras stores L1's and OrthogonalRegularizer's factor as a float32 tensor,
// and their configs give it back as float(tensor).
double as_float32(double value) {
  return static_cast<double>(static_cast<float>(value));
}

class L1Impl final : public Regularizer {
 public:
  explicit L1Impl(double l1) : l1_(as_float32(checked_factor(l1, "l1"))) {}
  graph::Value operator()(const graph::Value& x) const override {
    return ops::sum(ops::abs(x)) * l1_;
  }
  std::string class_name() const override { return "L1"; }
  Config get_config() const override {
    Config config = Config::dict();
    config["l1"] = l1_;
    return config;
  }

 private:
  double l1_;
};

class L2Impl final : public Regularizer {
 public:
  explicit L2Impl(double l2) : l2_(checked_factor(l2, "l2")) {}
  graph::Value operator()(const graph::Value& x) const override {
    return ops::sum(ops::square(x)) * l2_;
  }
  std::string class_name() const override { return "L2"; }
  Config get_config() const override {
    Config config = Config::dict();
    config["l2"] = l2_;
    return config;
  }

 private:
  double l2_;
};

class L1L2Impl final : public Regularizer {
 public:
  L1L2Impl(double l1, double l2) : l1_(checked_factor(l1, "l1")), l2_(checked_factor(l2, "l2")) {}
  graph::Value operator()(const graph::Value& x) const override {
    // Keras starts from a zero of x's dtype and adds only the nonzero terms.
    graph::Value penalty = ops::scalar_like(x, 0.0);
    if (l1_ != 0) penalty = penalty + ops::sum(ops::abs(x)) * l1_;
    if (l2_ != 0) penalty = penalty + ops::sum(ops::square(x)) * l2_;
    return penalty;
  }
  std::string class_name() const override { return "L1L2"; }
  Config get_config() const override {
    Config config = Config::dict();
    config["l1"] = l1_;
    config["l2"] = l2_;
    return config;
  }

 private:
  double l1_;
  double l2_;
};

class OrthogonalImpl final : public Regularizer {
 public:
  OrthogonalImpl(double factor, std::string mode)
      : factor_(as_float32(checked_factor(factor, "factor"))), mode_(std::move(mode)) {
    if (mode_ != "rows" && mode_ != "columns") {
      throw Error(fmt::format(
          "OrthogonalRegularizer: mode must be \"rows\" or \"columns\", got \"{}\"", mode_));
    }
  }

  graph::Value operator()(const graph::Value& x) const override {
    const Shape& shape = x.shape();
    if (shape.rank() != 2) {
      throw Error(
          fmt::format("OrthogonalRegularizer needs a rank-2 weight, got {}", shape.to_string()));
    }
    const bool rows = mode_ == "rows";
    const std::int64_t size = shape.dim(rows ? 0 : 1);
    if (size == Shape::kUnknown) {
      throw Error(fmt::format("OrthogonalRegularizer needs the size of the {} of {}",
                              rows ? "rows" : "columns", shape.to_string()));
    }
    // Keras' normalize(): x * min(rsqrt(sum x²), 1 / epsilon).
    const graph::Value inv_norm =
        ops::minimum(ops::rsqrt(ops::sum(ops::square(x), {rows ? 1 : 0}, true)),
                     ops::scalar_like(x, 1.0 / backend::epsilon()));
    const graph::Value unit = x * inv_norm;
    const graph::Value product = rows ? ops::matmul(unit, unit, {.transpose_b = true})
                                      : ops::matmul(unit, unit, {.transpose_a = true});
    std::vector<double> off_diagonal(static_cast<std::size_t>(size * size), 1.0);
    for (std::int64_t i = 0; i < size; ++i)
      off_diagonal[static_cast<std::size_t>(i * size + i)] = 0;
    const graph::Value mask =
        ops::constant(Tensor(Shape{size, size}, off_diagonal).astype(x.dtype()));
    const double pairs = static_cast<double>(size) * (static_cast<double>(size) - 1.0) / 2.0;
    return ops::sum(ops::abs(product * mask)) * (factor_ * 0.5 / pairs);
  }
  std::string class_name() const override { return "OrthogonalRegularizer"; }
  Config get_config() const override {
    Config config = Config::dict();
    config["factor"] = factor_;
    config["mode"] = mode_;
    return config;
  }

 private:
  double factor_;
  std::string mode_;
};

double number_or(const Config& args, const char* key, double fallback) {
  return args.contains(key) && !args.at(key).is_null() ? args.at(key).as_number() : fallback;
}

const detail::ObjectTable<Regularizer>& table() {
  static const detail::ObjectTable<Regularizer> instance = [] {
    detail::ObjectTable<Regularizer> t("regularizer", "keras.regularizers");
    t.add("L1", "l1", [](const Config& a) { return L1(number_or(a, "l1", 0.01)); })
        .add("L2", "l2", [](const Config& a) { return L2(number_or(a, "l2", 0.01)); })
        .add("L1L2", "l1l2",
             [](const Config& a) { return L1L2(number_or(a, "l1", 0.0), number_or(a, "l2", 0.0)); })
        .add("OrthogonalRegularizer", "orthogonal_regularizer", [](const Config& a) {
          const std::string mode =
              a.contains("mode") && !a.at("mode").is_null() ? a.at("mode").as_string() : "rows";
          return OrthogonalRegularizer(number_or(a, "factor", 0.01), mode);
        });
    return t;
  }();
  return instance;
}

}  // namespace

RegularizerPtr L1(double l1) {
  return std::make_shared<L1Impl>(l1);
}
RegularizerPtr L2(double l2) {
  return std::make_shared<L2Impl>(l2);
}
RegularizerPtr L1L2(double l1, double l2) {
  return std::make_shared<L1L2Impl>(l1, l2);
}
RegularizerPtr OrthogonalRegularizer(double factor, std::string mode) {
  return std::make_shared<OrthogonalImpl>(factor, std::move(mode));
}

void register_regularizer(const std::string& class_name,
                          std::function<RegularizerPtr(const serialize::Config& config)> factory) {
  table().register_custom(class_name, std::move(factory));
}

RegularizerPtr get(std::string_view name) {
  return table().get(name);
}

RegularizerPtr from_config(const Config& config) {
  return table().from_config(config);
}

Config serialize(const RegularizerPtr& regularizer) {
  return table().serialize(regularizer);
}

}  // namespace keras::regularizers
