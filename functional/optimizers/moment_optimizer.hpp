#pragma once
// What Adam, AdamW, Adamax and Nadam share: beta_1, beta_2 and epsilon, in
// their Keras configs after the common arguments.
#include <string>

#include "keras/optimizers.hpp"

namespace keras::optimizers {

class MomentOptimizer : public OptimizerImpl {
 public:
  template <class Options>
  MomentOptimizer(std::string class_name, const Options& o)
      : OptimizerImpl(std::move(class_name), common_options(o)),
        beta_1_(o.beta_1),
        beta_2_(o.beta_2),
        epsilon_(o.epsilon) {}

  serialize::Config get_config() const override {
    serialize::Config c = OptimizerImpl::get_config();
    c["beta_1"] = beta_1_;
    c["beta_2"] = beta_2_;
    c["epsilon"] = epsilon_;
    return c;
  }

 protected:
  double beta_1_, beta_2_, epsilon_;
};

}  // namespace keras::optimizers
