// Reference kernels of the sources: constants and variables copy their
// tensors into the preallocated output, assign writes through to the
// variable, and random ops draw from backend/random.hpp. Placeholders are fed
// by the executor and never run as kernels.
#include <cstring>

#include "../random.hpp"
#include "kernel_families.hpp"

namespace keras::backend::reference {

namespace {

void copy_into(Tensor& output, const Tensor& value) {
  KERAS_INTERNAL_CHECK(output.dtype() == value.dtype() && output.shape() == value.shape(),
                       "copying a {} {} tensor into a {} {} output", value.shape().to_string(),
                       dtype_name(value.dtype()), output.shape().to_string(),
                       dtype_name(output.dtype()));
  std::memcpy(output.raw_data(), value.raw_data(), value.nbytes());
}

void placeholder_kernel(const KernelContext& context) {
  throw InternalError(
      fmt::format("placeholder '{}' reached the kernels; the executor feeds "
                  "placeholders itself",
                  context.node.name()));
}

void constant_kernel(const KernelContext& context) {
  copy_into(context.output(), context.attrs().get_tensor("value"));
}

void variable_kernel(const KernelContext& context) {
  copy_into(context.output(), context.attrs().get_variable("variable").value());
}

void assign_kernel(const KernelContext& context) {
  // Variable is a handle: this copy refers to the node's variable.
  Variable variable = context.attrs().get_variable("variable");
  variable.assign(context.input(0));
  copy_into(context.output(), context.input(0));
}

RandomStream stream_of(const KernelContext& context) {
  return RandomStream(context.attrs().get_int("seed"), context.step);
}

void random_uniform_kernel(const KernelContext& context) {
  const RandomStream stream = stream_of(context);
  const double minval = context.attrs().get_float("minval");
  const double maxval = context.attrs().get_float("maxval");
  Tensor& output = context.output();
  visit_floating(output.dtype(), "random_uniform", [&](auto tag) {
    using T = decltype(tag);
    T* out = output.data<T>();
    for (std::int64_t i = 0; i < output.size(); ++i) {
      out[i] = stream.uniform<T>(static_cast<std::uint64_t>(i), minval, maxval);
    }
  });
}

void random_normal_kernel(const KernelContext& context) {
  const RandomStream stream = stream_of(context);
  const double mean = context.attrs().get_float("mean");
  const double stddev = context.attrs().get_float("stddev");
  Tensor& output = context.output();
  visit_floating(output.dtype(), "random_normal", [&](auto tag) {
    using T = decltype(tag);
    T* out = output.data<T>();
    for (std::int64_t i = 0; i < output.size(); ++i) {
      out[i] = stream.normal<T>(static_cast<std::uint64_t>(i), mean, stddev);
    }
  });
}

}  // namespace

void register_sources_kernels(KernelRegistry& registry) {
  registry.add("placeholder", placeholder_kernel);
  registry.add("constant", constant_kernel);
  registry.add("variable", variable_kernel);
  registry.add("assign", assign_kernel);
  registry.add("random_uniform", random_uniform_kernel);
  registry.add("random_normal", random_normal_kernel);
  // The _like ops fill an output of their input's shape and dtype with the
  // same draws; the input's values are never read.
  registry.add("random_uniform_like", random_uniform_kernel);
  registry.add("random_normal_like", random_normal_kernel);
}

}  // namespace keras::backend::reference
