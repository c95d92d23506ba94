// SGD with momentum and Nesterov momentum (keras.optimizers.SGD).
#include "keras/graph/ops.hpp"
#include "keras/optimizers.hpp"
#include "update_kernels.hpp"

namespace keras::optimizers {

namespace {

class SGDImpl final : public OptimizerImpl {
 public:
  explicit SGDImpl(SGDOptions o)
      : OptimizerImpl("SGD", common_options(o)), momentum_(o.momentum), nesterov_(o.nesterov) {
    if (momentum_ < 0 || momentum_ > 1) {
      throw Error(fmt::format("SGD: momentum must be in [0, 1], got {}", momentum_));
    }
  }

  serialize::Config get_config() const override {
    serialize::Config c = OptimizerImpl::get_config();
    c["momentum"] = momentum_;
    c["nesterov"] = nesterov_;
    return c;
  }

 protected:
  // Keras' `variable.assign_sub(gradient * learning_rate)`.
  bool has_graph_update_step() const override { return momentum_ == 0; }
  graph::Value graph_update_step(const graph::Value& variable, const graph::Value& gradient,
                                 const graph::Value& learning_rate) const override {
    return variable - gradient * learning_rate;
  }

  void build_slots(const Variable& v) override {
    if (momentum_ != 0) add_slot(v, "momentum");
  }

  void update_step(std::size_t index, const Tensor& gradient, Variable& variable,
                   double learning_rate, std::int64_t /*step*/) override {
    kernels::visit(variable, [&](auto tag) {
      using T = decltype(tag);
      T* w = kernels::storage<T>(variable);
      const T* g = gradient.template data<T>();
      const T lr = static_cast<T>(learning_rate);
      const std::int64_t n = gradient.size();
      if (momentum_ == 0) {
        kernels::parallel_for(n, [&](std::int64_t begin, std::int64_t end) {
          for (std::int64_t i = begin; i < end; ++i) w[i] -= g[i] * lr;
        });
        return;
      }
      T* m = kernels::storage<T>(slot(index, 0));
      const T mu = static_cast<T>(momentum_);
      kernels::parallel_for(n, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t i = begin; i < end; ++i) {
          m[i] = m[i] * mu - g[i] * lr;
          w[i] += nesterov_ ? m[i] * mu - g[i] * lr : m[i];
        }
      });
    });
  }

 private:
  double momentum_;
  bool nesterov_;
};

}  // namespace

Optimizer SGD(SGDOptions options) {
  return Optimizer(std::make_shared<SGDImpl>(std::move(options)));
}

}  // namespace keras::optimizers
