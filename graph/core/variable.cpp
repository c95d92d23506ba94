#include "keras/variable.hpp"

#include <atomic>
#include <cstring>

namespace keras {

namespace {
std::uint64_t next_variable_id() {
  static std::atomic<std::uint64_t> counter{0};
  return ++counter;
}
}  // namespace

Variable::Variable(std::string name, Tensor initial_value, bool trainable)
    : state_(std::make_shared<State>(
          State{std::move(name), initial_value.clone(), trainable, next_variable_id()})) {}

void Variable::assign(const Tensor& value) {
  if (value.dtype() != dtype() || value.shape() != shape()) {
    throw Error(
        fmt::format("cannot assign a {} tensor of shape {} to variable '{}', which holds {} "
                    "of shape {}",
                    dtype_name(value.dtype()), value.shape().to_string(), name(),
                    dtype_name(dtype()), shape().to_string()));
  }
  if (!value.shares_storage_with(state_->value)) {
    std::memcpy(state_->value.raw_data(), value.raw_data(), value.nbytes());
  }
}

}  // namespace keras
