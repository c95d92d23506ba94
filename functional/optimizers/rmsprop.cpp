// RMSprop, plain and centered, with momentum (keras.optimizers.RMSprop).
#include <cmath>

#include "keras/optimizers.hpp"
#include "update_kernels.hpp"

namespace keras::optimizers {

namespace {

class RMSpropImpl final : public OptimizerImpl {
 public:
  explicit RMSpropImpl(RMSpropOptions o)
      : OptimizerImpl("RMSprop", common_options(o)),
        rho_(o.rho),
        momentum_(o.momentum),
        epsilon_(o.epsilon),
        centered_(o.centered) {}

  serialize::Config get_config() const override {
    serialize::Config c = OptimizerImpl::get_config();
    c["rho"] = rho_;
    c["momentum"] = momentum_;
    c["epsilon"] = epsilon_;
    c["centered"] = centered_;
    return c;
  }

 protected:
  std::vector<std::size_t> slot_groups() const override {
    return std::vector<std::size_t>(1 + (momentum_ > 0 ? 1 : 0) + (centered_ ? 1 : 0), 1);
  }
  void build_slots(const Variable& v) override {
    add_slot(v, "velocity");
    if (momentum_ > 0) add_slot(v, "momentum");
    if (centered_) add_slot(v, "average_gradient");
  }

  void update_step(std::size_t index, const Tensor& gradient, Variable& variable,
                   double learning_rate, std::int64_t /*step*/) override {
    kernels::visit(variable, [&](auto tag) {
      using T = decltype(tag);
      T* w = kernels::storage<T>(variable);
      T* velocity = kernels::storage<T>(slot(index, 0));
      std::size_t next = 1;
      T* momentum = momentum_ > 0 ? kernels::storage<T>(slot(index, next++)) : nullptr;
      T* average = centered_ ? kernels::storage<T>(slot(index, next++)) : nullptr;
      const T* g = gradient.template data<T>();
      const T lr = static_cast<T>(learning_rate);
      const T rho = static_cast<T>(rho_);
      const T eps = static_cast<T>(epsilon_);
      const T mu = static_cast<T>(momentum_);
      const std::int64_t n = gradient.size();
      kernels::parallel_for(n, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t i = begin; i < end; ++i) {
          velocity[i] = rho * velocity[i] + (1 - rho) * g[i] * g[i];
          T denominator;
          if (average != nullptr) {
            average[i] = rho * average[i] + (1 - rho) * g[i];
            denominator = velocity[i] - average[i] * average[i] + eps;
          } else {
            denominator = velocity[i] + eps;
          }
          const T increment = lr * g[i] / std::sqrt(denominator);
          if (momentum != nullptr) {
            momentum[i] = mu * momentum[i] + increment;
            w[i] -= momentum[i];
          } else {
            w[i] -= increment;
          }
        }
      });
    });
  }

 private:
  double rho_, momentum_, epsilon_;
  bool centered_;
};

}  // namespace

Optimizer RMSprop(RMSpropOptions options) {
  return Optimizer(std::make_shared<RMSpropImpl>(std::move(options)));
}

}  // namespace keras::optimizers
