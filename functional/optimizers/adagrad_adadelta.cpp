// Adagrad and Adadelta: per-element rates from accumulated squares
// (keras.optimizers.Adagrad, keras.optimizers.Adadelta).
#include <cmath>

#include "keras/optimizers.hpp"
#include "update_kernels.hpp"

namespace keras::optimizers {

namespace {

class AdagradImpl final : public OptimizerImpl {
 public:
  explicit AdagradImpl(AdagradOptions o)
      : OptimizerImpl("Adagrad", common_options(o)),
        initial_accumulator_value_(o.initial_accumulator_value),
        epsilon_(o.epsilon) {}

  serialize::Config get_config() const override {
    serialize::Config c = OptimizerImpl::get_config();
    c["initial_accumulator_value"] = initial_accumulator_value_;
    c["epsilon"] = epsilon_;
    return c;
  }

 protected:
  void build_slots(const Variable& v) override {
    add_slot(v, "accumulator", initial_accumulator_value_);
  }

  void update_step(std::size_t index, const Tensor& gradient, Variable& variable,
                   double learning_rate, std::int64_t /*step*/) override {
    kernels::visit(variable, [&](auto tag) {
      using T = decltype(tag);
      T* w = kernels::storage<T>(variable);
      T* acc = kernels::storage<T>(slot(index, 0));
      const T* g = gradient.template data<T>();
      const T lr = static_cast<T>(learning_rate);
      const T eps = static_cast<T>(epsilon_);
      kernels::parallel_for(gradient.size(), [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t i = begin; i < end; ++i) {
          acc[i] += g[i] * g[i];
          w[i] -= lr * g[i] / std::sqrt(acc[i] + eps);
        }
      });
    });
  }

 private:
  double initial_accumulator_value_, epsilon_;
};

class AdadeltaImpl final : public OptimizerImpl {
 public:
  explicit AdadeltaImpl(AdadeltaOptions o)
      : OptimizerImpl("Adadelta", common_options(o)), rho_(o.rho), epsilon_(o.epsilon) {}

  serialize::Config get_config() const override {
    serialize::Config c = OptimizerImpl::get_config();
    c["rho"] = rho_;
    c["epsilon"] = epsilon_;
    return c;
  }

 protected:
  void build_slots(const Variable& v) override {
    add_slot(v, "accumulated_grad");
    add_slot(v, "accumulated_delta_var");
  }

  void update_step(std::size_t index, const Tensor& gradient, Variable& variable,
                   double learning_rate, std::int64_t /*step*/) override {
    kernels::visit(variable, [&](auto tag) {
      using T = decltype(tag);
      T* w = kernels::storage<T>(variable);
      T* acc_grad = kernels::storage<T>(slot(index, 0));
      T* acc_delta = kernels::storage<T>(slot(index, 1));
      const T* g = gradient.template data<T>();
      const T lr = static_cast<T>(learning_rate);
      const T rho = static_cast<T>(rho_);
      const T eps = static_cast<T>(epsilon_);
      kernels::parallel_for(gradient.size(), [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t i = begin; i < end; ++i) {
          acc_grad[i] = rho * acc_grad[i] + (1 - rho) * g[i] * g[i];
          const T delta = -(std::sqrt(acc_delta[i] + eps) * g[i]) / std::sqrt(acc_grad[i] + eps);
          acc_delta[i] = rho * acc_delta[i] + (1 - rho) * delta * delta;
          w[i] += lr * delta;
        }
      });
    });
  }

 private:
  double rho_, epsilon_;
};

}  // namespace

Optimizer Adagrad(AdagradOptions options) {
  return Optimizer(std::make_shared<AdagradImpl>(std::move(options)));
}

Optimizer Adadelta(AdadeltaOptions options) {
  return Optimizer(std::make_shared<AdadeltaImpl>(std::move(options)));
}

}  // namespace keras::optimizers
