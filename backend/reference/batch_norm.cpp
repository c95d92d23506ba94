// Reference batch normalization, one channel at a time over an
// (outer, channels, inner) view of x, accumulating in double. Statistics are
// two-pass (mean, then the mean squared deviation) for accuracy.
#include <cmath>
#include <vector>

#include "kernel_families.hpp"

namespace keras::backend::reference {

namespace {

// x seen as (outer, channels, inner) around the channel axis.
struct ChannelLayout {
  std::int64_t outer = 1;
  std::int64_t channels = 1;
  std::int64_t inner = 1;

  // Calls f(flat index) for every element of channel c.
  template <class F>
  void for_channel(std::int64_t c, F&& f) const {
    for (std::int64_t o = 0; o < outer; ++o) {
      const std::int64_t start = (o * channels + c) * inner;
      for (std::int64_t i = 0; i < inner; ++i) f(start + i);
    }
  }
  double count() const { return static_cast<double>(outer * inner); }
};

ChannelLayout layout_of(const KernelContext& context) {
  const Shape& shape = context.input(0).shape();
  const std::int64_t axis =
      normalize_axis(context.attrs().get_int("axis"), shape.rank(), "batch normalization");
  ChannelLayout layout;
  for (std::int64_t a = 0; a < axis; ++a) layout.outer *= shape.dim(a);
  layout.channels = shape.dim(axis);
  for (std::int64_t a = axis + 1; a < shape.rank(); ++a) layout.inner *= shape.dim(a);
  return layout;
}

template <class T>
double at(const Tensor& t, std::int64_t i) {
  return static_cast<double>(t.data<T>()[i]);
}

template <class T>
void normalize_channel(const KernelContext& context, const ChannelLayout& layout, std::int64_t c,
                       double mean, double variance, const Tensor& gamma, const Tensor& beta) {
  const double epsilon = context.attrs().get_float("epsilon");
  const double scale = at<T>(gamma, c) / std::sqrt(variance + epsilon);
  const double shift = at<T>(beta, c);
  const T* x = context.input(0).data<T>();
  T* y = context.output(0).data<T>();
  layout.for_channel(
      c, [&](std::int64_t i) { y[i] = static_cast<T>((double(x[i]) - mean) * scale + shift); });
}

template <class T>
void batch_norm_training(const KernelContext& context) {
  const ChannelLayout layout = layout_of(context);
  const T* x = context.input(0).data<T>();
  T* mean_out = context.output(1).data<T>();
  T* variance_out = context.output(2).data<T>();
  for (std::int64_t c = 0; c < layout.channels; ++c) {
    double sum = 0.0;
    layout.for_channel(c, [&](std::int64_t i) { sum += x[i]; });
    const double mean = sum / layout.count();
    double squares = 0.0;
    layout.for_channel(c, [&](std::int64_t i) { squares += (x[i] - mean) * (x[i] - mean); });
    const double variance = squares / layout.count();  // biased, as Keras
    normalize_channel<T>(context, layout, c, mean, variance, context.input(1), context.input(2));
    mean_out[c] = static_cast<T>(mean);
    variance_out[c] = static_cast<T>(variance);
  }
}

template <class T>
void batch_norm_inference(const KernelContext& context) {
  const ChannelLayout layout = layout_of(context);
  for (std::int64_t c = 0; c < layout.channels; ++c) {
    normalize_channel<T>(context, layout, c, at<T>(context.input(1), c), at<T>(context.input(2), c),
                         context.input(3), context.input(4));
  }
}

// With xhat = (x - mean) / sqrt(variance + epsilon) and N elements per
// channel: dbeta = sum(dy), dgamma = sum(dy * xhat),
// dx = gamma / sqrt(variance + epsilon) / N * (N * dy - dbeta - xhat * dgamma).
template <class T>
void batch_norm_grad(const KernelContext& context) {
  const ChannelLayout layout = layout_of(context);
  const double epsilon = context.attrs().get_float("epsilon");
  const T* x = context.input(0).data<T>();
  const T* dy = context.input(4).data<T>();
  T* dx = context.output(0).data<T>();
  T* dgamma_out = context.output(1).data<T>();
  T* dbeta_out = context.output(2).data<T>();
  const double n = layout.count();
  for (std::int64_t c = 0; c < layout.channels; ++c) {
    const double mean = at<T>(context.input(2), c);
    const double inv_std = 1.0 / std::sqrt(at<T>(context.input(3), c) + epsilon);
    double dbeta = 0.0;
    double dgamma = 0.0;
    layout.for_channel(c, [&](std::int64_t i) {
      dbeta += dy[i];
      dgamma += dy[i] * (x[i] - mean) * inv_std;
    });
    const double scale = at<T>(context.input(1), c) * inv_std / n;
    layout.for_channel(c, [&](std::int64_t i) {
      const double xhat = (x[i] - mean) * inv_std;
      dx[i] = static_cast<T>(scale * (n * dy[i] - dbeta - xhat * dgamma));
    });
    dgamma_out[c] = static_cast<T>(dgamma);
    dbeta_out[c] = static_cast<T>(dbeta);
  }
}

void batch_norm_training_kernel(const KernelContext& context) {
  visit_floating(context.input(0).dtype(), "batch_norm_training",
                 [&](auto tag) { batch_norm_training<decltype(tag)>(context); });
}

void batch_norm_inference_kernel(const KernelContext& context) {
  visit_floating(context.input(0).dtype(), "batch_norm_inference",
                 [&](auto tag) { batch_norm_inference<decltype(tag)>(context); });
}

void batch_norm_grad_kernel(const KernelContext& context) {
  visit_floating(context.input(0).dtype(), "batch_norm_grad",
                 [&](auto tag) { batch_norm_grad<decltype(tag)>(context); });
}

}  // namespace

void register_batch_norm_kernels(KernelRegistry& registry) {
  registry.add("batch_norm_training", batch_norm_training_kernel);
  registry.add("batch_norm_inference", batch_norm_inference_kernel);
  registry.add("batch_norm_grad", batch_norm_grad_kernel);
}

}  // namespace keras::backend::reference
