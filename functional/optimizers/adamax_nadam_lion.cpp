// Adam's relatives: Adamax (infinity norm), Nadam (Nesterov momentum) and
// Lion (signed updates) (keras.optimizers.Adamax, Nadam, Lion).
#include <cmath>

#include "keras/optimizers.hpp"
#include "moment_optimizer.hpp"
#include "update_kernels.hpp"

namespace keras::optimizers {

namespace {

class AdamaxImpl final : public MomentOptimizer {
 public:
  explicit AdamaxImpl(AdamaxOptions o) : MomentOptimizer("Adamax", o) {}

 protected:
  void build_slots(const Variable& v) override {
    add_slot(v, "momentum");
    add_slot(v, "norm");
  }

  void update_step(std::size_t index, const Tensor& gradient, Variable& variable,
                   double learning_rate, std::int64_t step) override {
    const double beta_1_power = std::pow(beta_1_, static_cast<double>(step));
    kernels::visit(variable, [&](auto tag) {
      using T = decltype(tag);
      T* w = kernels::storage<T>(variable);
      T* m = kernels::storage<T>(slot(index, 0));
      T* u = kernels::storage<T>(slot(index, 1));
      const T* g = gradient.template data<T>();
      const T lr = static_cast<T>(learning_rate);
      const T b1 = static_cast<T>(beta_1_);
      const T b2 = static_cast<T>(beta_2_);
      const T eps = static_cast<T>(epsilon_);
      const T correction = static_cast<T>(1 - beta_1_power);
      kernels::parallel_for(gradient.size(), [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t i = begin; i < end; ++i) {
          m[i] += (g[i] - m[i]) * (1 - b1);
          u[i] = std::max(b2 * u[i], std::abs(g[i]));
          w[i] -= lr * m[i] / (correction * (u[i] + eps));
        }
      });
    });
  }
};

class NadamImpl final : public MomentOptimizer {
 public:
  explicit NadamImpl(NadamOptions o) : MomentOptimizer("Nadam", o) {}

 protected:
  void build_slots(const Variable& v) override {
    add_slot(v, "momentum");
    add_slot(v, "velocity");
    // Keras creates its running product without a name.
    if (!u_product_) u_product_ = add_scalar("variable", 1.0);
  }

  void before_update(std::int64_t step) override {
    // Keras updates the product of the momentum schedule once per step,
    // before the variables.
    const double u_t = beta_1_ * (1.0 - 0.5 * std::pow(0.96, static_cast<double>(step)));
    u_product_->assign(Tensor::scalar(u_product_->value().item() * u_t));
  }

  void update_step(std::size_t index, const Tensor& gradient, Variable& variable,
                   double learning_rate, std::int64_t step) override {
    const double t = static_cast<double>(step);
    const double u_t = beta_1_ * (1.0 - 0.5 * std::pow(0.96, t));
    const double u_t_1 = beta_1_ * (1.0 - 0.5 * std::pow(0.96, t + 1));
    const double u_product_t = u_product_->value().item();
    const double u_product_t_1 = u_product_t * u_t_1;
    const double beta_2_power = std::pow(beta_2_, t);
    kernels::visit(variable, [&](auto tag) {
      using T = decltype(tag);
      T* w = kernels::storage<T>(variable);
      T* m = kernels::storage<T>(slot(index, 0));
      T* v = kernels::storage<T>(slot(index, 1));
      const T* g = gradient.template data<T>();
      const T lr = static_cast<T>(learning_rate);
      const T b1 = static_cast<T>(beta_1_);
      const T b2 = static_cast<T>(beta_2_);
      const T eps = static_cast<T>(epsilon_);
      const T a = static_cast<T>(u_t_1 / (1 - u_product_t_1));
      const T b = static_cast<T>((1 - u_t) / (1 - u_product_t));
      const T v_correction = static_cast<T>(1 - beta_2_power);
      kernels::parallel_for(gradient.size(), [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t i = begin; i < end; ++i) {
          m[i] += (g[i] - m[i]) * (1 - b1);
          v[i] += (g[i] * g[i] - v[i]) * (1 - b2);
          const T m_hat = a * m[i] + b * g[i];
          const T v_hat = v[i] / v_correction;
          w[i] -= m_hat * lr / (std::sqrt(v_hat) + eps);
        }
      });
    });
  }

 private:
  std::optional<Variable> u_product_;
};

class LionImpl final : public OptimizerImpl {
 public:
  explicit LionImpl(LionOptions o)
      : OptimizerImpl("Lion", common_options(o)), beta_1_(o.beta_1), beta_2_(o.beta_2) {
    if (beta_1_ <= 0 || beta_1_ > 1) {
      throw Error(fmt::format("Lion: beta_1 must be in (0, 1], got {}", beta_1_));
    }
  }

  serialize::Config get_config() const override {
    serialize::Config c = OptimizerImpl::get_config();
    c["beta_1"] = beta_1_;
    c["beta_2"] = beta_2_;
    return c;
  }

 protected:
  void build_slots(const Variable& v) override { add_slot(v, "momentum"); }

  void update_step(std::size_t index, const Tensor& gradient, Variable& variable,
                   double learning_rate, std::int64_t /*step*/) override {
    kernels::visit(variable, [&](auto tag) {
      using T = decltype(tag);
      T* w = kernels::storage<T>(variable);
      T* m = kernels::storage<T>(slot(index, 0));
      const T* g = gradient.template data<T>();
      const T lr = static_cast<T>(learning_rate);
      const T b1 = static_cast<T>(beta_1_);
      const T b2 = static_cast<T>(beta_2_);
      kernels::parallel_for(gradient.size(), [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t i = begin; i < end; ++i) {
          const T c = m[i] * (1 - b1) + g[i] * b1;
          w[i] -= lr * static_cast<T>((c > 0) - (c < 0));
          m[i] = m[i] * b2 + g[i] * (1 - b2);
        }
      });
    });
  }

 private:
  double beta_1_, beta_2_;
};

}  // namespace

Optimizer Adamax(AdamaxOptions options) {
  return Optimizer(std::make_shared<AdamaxImpl>(std::move(options)));
}

Optimizer Nadam(NadamOptions options) {
  return Optimizer(std::make_shared<NadamImpl>(std::move(options)));
}

Optimizer Lion(LionOptions options) {
  return Optimizer(std::make_shared<LionImpl>(std::move(options)));
}

}  // namespace keras::optimizers
