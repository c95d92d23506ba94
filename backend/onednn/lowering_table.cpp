// The lowering table: every op is lowered to oneDNN primitives (by a family
// file's register_*_lowerings) or listed here as running on the reference
// kernels, with the reason. The completeness test checks that each op of the
// registry has exactly one of the two.
#include <atomic>
#include <map>
#include <set>
#include <string>

#include "keras/error.hpp"
#include "lowering_registry.hpp"

namespace keras::backend::onednn {

namespace {

const std::map<std::string, std::string, std::less<>>& reference_ops() {
  static const std::map<std::string, std::string, std::less<>> ops = [] {
    std::map<std::string, std::string, std::less<>> table;
    auto add = [&](std::initializer_list<const char*> names, const char* reason) {
      for (const char* name : names) table.emplace(name, reason);
    };
    add({"placeholder", "constant", "variable"},
        "a source: the plan binds its memory, nothing to compute");
    add({"assign"}, "writes into a variable's own storage");
    add({"random_uniform", "random_uniform_like", "random_normal", "random_normal_like", "dropout"},
        "oneDNN has no random numbers; both backends share one generator");
    add({"log1p"}, "no oneDNN eltwise algorithm (log of 1 + x loses x near 0)");
    add({"power"}, "oneDNN has no elementwise power of two tensors");
    add({"sign", "softsign"}, "no oneDNN eltwise algorithm");
    add({"argmax", "argmin"}, "oneDNN reductions return values, not indices");
    add({"cast"}, "oneDNN reorders round (Keras truncates) and lack int64, float64");
    add({"where"}, "oneDNN 2.6 has no select");
    add({"one_hot", "fill_like", "pad"}, "no oneDNN primitive writes constants");
    add({"sigmoid_cross_entropy"}, "needs log1p, which oneDNN 2.6 lacks");
    return table;
  }();
  return ops;
}

const std::set<std::string, std::less<>>& view_ops() {
  static const std::set<std::string, std::less<>> ops = {"reshape", "squeeze", "expand_dims",
                                                         "identity", "stop_gradient"};
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
    register_concat_lowerings(*this);
    register_reorder_lowerings(*this);
    register_view_lowerings(*this);
    register_cross_entropy_lowerings(*this);
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

std::string_view reference_reason(std::string_view op) {
  auto it = reference_ops().find(op);
  return it == reference_ops().end() ? std::string_view() : std::string_view(it->second);
}

bool is_view(std::string_view op) {
  return view_ops().count(op) != 0;
}

bool has_entry(std::string_view op) {
  return find_lowering(op) != nullptr || runs_on_reference(op);
}

}  // namespace keras::backend::onednn
