#include <atomic>
#include <map>
#include <set>
#include <string>

#include "keras/error.hpp"
#include "lowering_registry.hpp"

namespace keras::backend::onednn {

namespace {

// Ops that run on the reference kernels inside oneDNN plans, and why.
const std::set<std::string, std::less<>>& reference_ops() {
  static const std::set<std::string, std::less<>> ops = {
      // Sources: the plan binds their memory directly; no computation.
      "placeholder",
      "constant",
      "variable",
      // Writes into a variable's own storage, outside any primitive.
      "assign",
      // oneDNN has no random number generation; both backends share one generator.
      "random_uniform",
      "random_uniform_like",
      "random_normal_like",
      "random_normal",
      "dropout",
      // No oneDNN primitive (or none for this form).
      "power",
      "equal",
      "not_equal",
      "greater",
      "greater_equal",
      "less",
      "less_equal",
      // oneDNN 2.6's log is accurate to ~1e-6 absolute: short of rtol 1e-5 near 0.
      "log",
      "log_softmax",
      "log_softmax_grad",
      "log1p",
      "sign",
      "selu",
      "hard_sigmoid",
      "softsign",
      "argmax",
      "argmin",
      "reshape",
      "squeeze",
      "expand_dims",
      "slice",
      "pad",
      "tile",
      "cast",
      "where",
      "one_hot",
      "fill_like",
      "softmax_cross_entropy",
      "sigmoid_cross_entropy",
      "identity",
      "stop_gradient",
  };
  return ops;
}

class Table : public LoweringRegistry {
 public:
  Table() {
    register_eltwise_lowerings(*this);
    register_matmul_lowerings(*this);
    register_binary_lowerings(*this);
    register_softmax_lowerings(*this);
    register_reduction_lowerings(*this);
    register_batch_norm_lowerings(*this);
    register_layout_lowerings(*this);
  }
  void add(std::string_view op, Lowering lowering) override {
    auto [it, inserted] = lowerings_.emplace(std::string(op), lowering);
    KERAS_INTERNAL_CHECK(inserted, "oneDNN lowering for '{}' registered twice", op);
    KERAS_INTERNAL_CHECK(!reference_ops().count(op), "'{}' is lowered and marked reference", op);
  }
  Lowering find(std::string_view op) const {
    auto it = lowerings_.find(op);
    return it == lowerings_.end() ? nullptr : it->second;
  }

 private:
  std::map<std::string, Lowering, std::less<>> lowerings_;
};

const Table& table() {
  static const Table instance;
  return instance;
}

std::atomic<std::uint64_t> creations{0};

}  // namespace

void count_primitive_creation() {
  ++creations;
}

std::uint64_t primitive_creations() {
  return creations.load();
}

Lowering find_lowering(std::string_view op) {
  return table().find(op);
}

bool runs_on_reference(std::string_view op) {
  return reference_ops().count(op) != 0;
}

bool has_entry(std::string_view op) {
  return find_lowering(op) != nullptr || runs_on_reference(op);
}

}  // namespace keras::backend::onednn
