// Adam with AMSGrad, and AdamW, which is Adam with decoupled weight decay
// (keras.optimizers.Adam, keras.optimizers.AdamW).
#include <cmath>

#include "keras/optimizers.hpp"
#include "moment_optimizer.hpp"
#include "update_kernels.hpp"

namespace keras::optimizers {

namespace {

class AdamImpl final : public MomentOptimizer {
 public:
  template <class Options>
  AdamImpl(std::string class_name, const Options& o)
      : MomentOptimizer(std::move(class_name), o), amsgrad_(o.amsgrad) {}

  serialize::Config get_config() const override {
    serialize::Config c = MomentOptimizer::get_config();
    c["amsgrad"] = amsgrad_;
    return c;
  }

 protected:
  std::vector<std::size_t> slot_groups() const override {
    return amsgrad_ ? std::vector<std::size_t>{2, 1} : std::vector<std::size_t>{2};
  }
  void build_slots(const Variable& v) override {
    add_slot(v, "momentum");
    add_slot(v, "velocity");
    if (amsgrad_) add_slot(v, "velocity_hat");
  }

  void update_step(std::size_t index, const Tensor& gradient, Variable& variable,
                   double learning_rate, std::int64_t step) override {
    const double t = static_cast<double>(step);
    const double alpha_d =
        learning_rate * std::sqrt(1 - std::pow(beta_2_, t)) / (1 - std::pow(beta_1_, t));
    kernels::visit(variable, [&](auto tag) {
      using T = decltype(tag);
      T* w = kernels::storage<T>(variable);
      T* m = kernels::storage<T>(slot(index, 0));
      T* v = kernels::storage<T>(slot(index, 1));
      T* v_hat = amsgrad_ ? kernels::storage<T>(slot(index, 2)) : nullptr;
      const T* g = gradient.template data<T>();
      const T alpha = static_cast<T>(alpha_d);
      const T one_minus_b1 = static_cast<T>(1 - beta_1_);
      const T one_minus_b2 = static_cast<T>(1 - beta_2_);
      const T eps = static_cast<T>(epsilon_);
      const std::int64_t n = gradient.size();
      kernels::parallel_for(n, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t i = begin; i < end; ++i) {
          m[i] += (g[i] - m[i]) * one_minus_b1;
          v[i] += (g[i] * g[i] - v[i]) * one_minus_b2;
          T velocity = v[i];
          if (v_hat != nullptr) {
            v_hat[i] = std::max(v_hat[i], v[i]);
            velocity = v_hat[i];
          }
          w[i] -= m[i] * alpha / (std::sqrt(velocity) + eps);
        }
      });
    });
  }

 private:
  bool amsgrad_;
};

}  // namespace

Optimizer Adam(AdamOptions o) {
  return Optimizer(std::make_shared<AdamImpl>("Adam", o));
}

Optimizer AdamW(AdamWOptions o) {
  if (!o.weight_decay) {
    throw Error("AdamW: weight_decay must be a number (Keras' default is 0.004)");
  }
  return Optimizer(std::make_shared<AdamImpl>("AdamW", o));
}

}  // namespace keras::optimizers
