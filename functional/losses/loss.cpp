// LossImpl and the Loss handle: Keras' Loss.__call__ (rank alignment,
// sample weights, reduction) on graph values and, eagerly, on Tensors.
#include <array>

#include "../core/eager.hpp"
#include "../core/rank_alignment.hpp"
#include "keras/backend/config.hpp"
#include "keras/graph/ops.hpp"
#include "keras/losses.hpp"

namespace keras::losses {

namespace {

constexpr std::array<std::string_view, 5> kReductions = {"sum_over_batch_size", "sum", "mean",
                                                         "mean_with_sample_weight", "none"};

std::string checked_reduction(std::string reduction, const std::string& name) {
  for (std::string_view r : kReductions) {
    if (reduction == r) return reduction;
  }
  throw Error(fmt::format(
      "loss '{}': unknown reduction '{}'; Keras' reductions are sum_over_batch_size, sum, "
      "mean, mean_with_sample_weight and none",
      name, reduction));
}

}  // namespace

LossImpl::LossImpl(std::string class_name, std::string name, std::string reduction)
    : class_name_(std::move(class_name)),
      name_(std::move(name)),
      reduction_(checked_reduction(std::move(reduction), name_)) {}

std::optional<Value> LossImpl::mask(const Value&, const Value&) const {
  return std::nullopt;
}

serialize::Config LossImpl::get_config() const {
  serialize::Config config = serialize::Config::dict();
  config["name"] = name_;
  config["reduction"] = reduction_;
  return config;
}

Value LossImpl::operator()(const Value& y_true, const Value& y_pred,
                           const std::optional<Value>& sample_weight) const {
  if (!is_floating(y_pred.dtype())) {
    throw Error(fmt::format("loss '{}' needs floating predictions, got {} {}", name_,
                            dtype_name(y_pred.dtype()), y_pred.shape().to_string()));
  }
  graph::NameScope scope(y_pred.graph(), name_);
  const Value t = y_true.dtype() == y_pred.dtype() ? y_true : ops::cast(y_true, y_pred.dtype());
  auto [aligned_true, aligned_pred] = squeeze_or_expand_to_same_rank(t, y_pred);
  Value values = call(aligned_true, aligned_pred);
  std::optional<Value> weights;
  if (sample_weight) weights = aligned_weights(values, *sample_weight);
  if (std::optional<Value> counted = mask(aligned_true, aligned_pred)) {
    // Keras' apply_mask: averaging reductions scale the counted samples by
    // total / counted, so that the mean is over the counted ones.
    Value m = ops::cast(*counted, values.dtype());
    if (reduction_ == "sum_over_batch_size" || reduction_ == "mean") {
      m = m * (ops::sum(ops::ones_like(m)) / (ops::sum(m) + backend::epsilon()));
    }
    weights = weights ? *weights * m : m;
  }
  if (reduction_ == "none" || values.shape().rank() == 0) {
    return weights ? values * *weights : values;
  }
  if (weights) values = values * *weights;
  const Value total = ops::sum(values);
  if (reduction_ == "sum") return total;
  if (reduction_ == "mean_with_sample_weight" && weights) return total / ops::sum(*weights);
  return ops::mean(values);
}

Loss::Loss(std::shared_ptr<const LossImpl> impl) : impl_(std::move(impl)) {}

Loss::Loss(const char* name) : Loss(std::string(name)) {}

Loss::Loss(const std::string& name) : Loss(deserialize(name)) {
  requested_name_ = name;
}

const LossImpl& Loss::impl() const {
  if (!impl_) throw Error("this Loss is empty: give it a loss name or object");
  return *impl_;
}

Value Loss::operator()(const Value& y_true, const Value& y_pred,
                       const std::optional<Value>& sample_weight) const {
  return impl()(y_true, y_pred, sample_weight);
}

Tensor Loss::operator()(const Tensor& y_true, const Tensor& y_pred) const {
  const LossImpl& loss = impl();
  return eager::run({y_true, y_pred}, [&](const std::vector<Value>& in) {
    return std::vector<Value>{loss(in[0], in[1])};
  })[0];
}

Tensor Loss::operator()(const Tensor& y_true, const Tensor& y_pred,
                        const Tensor& sample_weight) const {
  const LossImpl& loss = impl();
  return eager::run({y_true, y_pred, sample_weight}, [&](const std::vector<Value>& in) {
    return std::vector<Value>{loss(in[0], in[1], in[2])};
  })[0];
}

}  // namespace keras::losses
