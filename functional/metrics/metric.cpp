// MetricImpl's state, the Metric handle and keras.metrics.Mean.
#include "../core/eager.hpp"
#include "../core/rank_alignment.hpp"
#include "keras/graph/ops.hpp"
#include "keras/metrics.hpp"

namespace keras::metrics {

MetricImpl::MetricImpl(std::string class_name, std::string name)
    : class_name_(std::move(class_name)), name_(std::move(name)) {}

serialize::Config MetricImpl::get_config() const {
  serialize::Config config = serialize::Config::dict();
  config["name"] = name_;
  config["dtype"] = "float32";
  return config;
}

void MetricImpl::accumulate(std::span<const Tensor> batch) {
  std::size_t total = 0;
  for (const Tensor& t : batch) total += static_cast<std::size_t>(t.size());
  if (state_.empty()) state_.assign(total, 0.0);
  if (state_.size() != total) {
    throw Error(fmt::format(
        "metric '{}' holds {} state values from earlier batches but this batch gives {}: "
        "the number of classes changed; call reset_state() first",
        name_, state_.size(), total));
  }
  std::size_t offset = 0;
  for (const Tensor& t : batch) {
    visit_dtype(t.dtype(), [&](auto tag) {
      using T = decltype(tag);
      const T* values = t.data<T>();
      for (std::int64_t i = 0; i < t.size(); ++i)
        state_[offset++] += static_cast<double>(values[i]);
    });
  }
}

void MetricImpl::add_to_state(std::initializer_list<double> values) {
  if (state_.empty()) state_.assign(values.size(), 0.0);
  KERAS_INTERNAL_CHECK(state_.size() == values.size(), "{} values for a state of {}", values.size(),
                       state_.size());
  std::size_t i = 0;
  for (double v : values) state_[i++] += v;
}

void MetricImpl::update_state(const Tensor& y_true, const Tensor& y_pred) {
  accumulate(eager::run({y_true, y_pred}, [&](const std::vector<Value>& in) {
    return batch_state(in[0], in[1], std::nullopt);
  }));
}

void MetricImpl::update_state(const Tensor& y_true, const Tensor& y_pred,
                              const Tensor& sample_weight) {
  accumulate(eager::run({y_true, y_pred, sample_weight}, [&](const std::vector<Value>& in) {
    return batch_state(in[0], in[1], in[2]);
  }));
}

Metric::Metric(std::shared_ptr<MetricImpl> impl) : impl_(std::move(impl)) {}

Metric::Metric(const char* name) : Metric(std::string(name)) {}

Metric::Metric(const std::string& name) : Metric(get(name)) {
  requested_name_ = name;
}

MetricImpl& Metric::impl() const {
  if (!impl_) throw Error("this Metric is empty: give it a metric name or object");
  return *impl_;
}

MeanImpl::MeanImpl(std::string name) : MetricImpl("Mean", std::move(name)) {}

std::vector<Value> MeanImpl::batch_state(const Value& /*y_true*/, const Value& values,
                                         const std::optional<Value>& sample_weight) const {
  // Keras' reduce_to_samplewise_values, then total and count.
  Value v = is_floating(values.dtype()) ? values : ops::cast(values, DType::float32);
  if (v.shape().rank() == 0) v = ops::reshape(v, {1});
  if (!sample_weight) {
    if (v.shape().rank() > 1) {
      std::vector<std::int64_t> axes;
      for (std::int64_t a = 1; a < v.shape().rank(); ++a) axes.push_back(a);
      v = ops::mean(v, axes);
    }
    return {ops::sum(v), ops::sum(ops::ones_like(v))};
  }
  Value w = ops::cast(*sample_weight, v.dtype());
  std::tie(v, w) = losses::squeeze_or_expand_to_same_rank(v, w);
  const std::int64_t weight_rank = w.shape().rank();
  if (v.shape().rank() > weight_rank) {
    std::vector<std::int64_t> axes;
    for (std::int64_t a = weight_rank; a < v.shape().rank(); ++a) axes.push_back(a);
    v = ops::mean(v, axes);
  }
  w = ops::broadcast_like(w, v);
  v = v * w;
  // Per sample: the mean over the other axes, of the values and the weights.
  const auto samplewise = [](const Value& t) {
    if (t.shape().rank() <= 1) return t;
    std::vector<std::int64_t> axes;
    for (std::int64_t a = 1; a < t.shape().rank(); ++a) axes.push_back(a);
    return ops::mean(t, axes);
  };
  return {ops::sum(samplewise(v)), ops::sum(samplewise(w))};
}

Tensor MeanImpl::result() const {
  const auto& s = state();
  if (s.empty() || s[1] == 0.0) return Tensor::scalar(0.0);
  return Tensor::scalar(s[0] / s[1]);
}

void MeanImpl::update(const Tensor& values) {
  update_state(values, values);
}

void MeanImpl::update(const Tensor& values, const Tensor& sample_weight) {
  update_state(values, values, sample_weight);
}

void MeanImpl::add(double total, double count) {
  add_to_state({total, count});
}

std::shared_ptr<MeanImpl> Mean(MetricOptions options) {
  return std::make_shared<MeanImpl>(options.name.empty() ? "mean" : options.name);
}

}  // namespace keras::metrics
