#include "small_steps.hpp"

#include <atomic>

namespace keras::backend::onednn {

namespace {

std::atomic<std::size_t> bound{kSmallTensorBytes};

std::size_t bytes_of(const graph::TensorType& type) {
  return static_cast<std::size_t>(type.shape.num_elements()) * dtype_size(type.dtype);
}

}  // namespace

std::size_t small_step_bytes() {
  return bound.load();
}

void set_small_step_bytes(std::size_t bytes) {
  bound.store(bytes);
}

bool is_small_step(const graph::Node& node) {
  const std::size_t limit = small_step_bytes();
  for (const graph::Value& v : node.inputs()) {
    if (bytes_of(v.type()) > limit) return false;
  }
  for (int i = 0; i < node.num_outputs(); ++i) {
    if (bytes_of(node.output_type(i)) > limit) return false;
  }
  if (node.op() == "matmul") {
    const Shape& a = node.input(0).shape();
    const std::int64_t k = node.attrs().get_bool("transpose_a") ? a.dim(-2) : a.dim(-1);
    const auto macs = static_cast<std::size_t>(node.output_type(0).shape.num_elements() * k);
    if (macs * sizeof(float) > limit) return false;
  }
  return limit > 0;
}

}  // namespace keras::backend::onednn
