#pragma once
// Small steps run on the reference kernels. Executing a oneDNN primitive
// costs about 0.3-0.5 us whatever its size (an execution context built with
// hash maps and allocations on every call), while a loop over a few thousand
// values takes a fraction of that: a step whose tensors are all small is
// cheaper as a loop. Models with tiny layers (the Pima tutorial's 8-12-8-1,
// whose training step is some 40 steps over tensors of 10 values) are made of
// such steps; in large models, the loss's tail is.
#include <cstddef>

#include "keras/graph/graph.hpp"

namespace keras::backend::onednn {

// Tensors of at most this many bytes are small: a plan made only of them
// runs on one thread, and steps over them run as loops.
inline constexpr std::size_t kSmallTensorBytes = 16 * 1024;

// The bound: a step is small when every input and output holds at most this
// many bytes and, for a matmul, m * n * k multiply-adds counted as 4-byte
// values also fit it. kSmallTensorBytes by default; 0 lowers every step to oneDNN
// (the tests of the lowerings).
std::size_t small_step_bytes();
void set_small_step_bytes(std::size_t bytes);

bool is_small_step(const graph::Node& node);

// Sets the bound for a scope: the tests of the lowerings compile with 0.
class SmallStepBytes {
 public:
  explicit SmallStepBytes(std::size_t bytes) : restore_(small_step_bytes()) {
    set_small_step_bytes(bytes);
  }
  ~SmallStepBytes() { set_small_step_bytes(restore_); }
  SmallStepBytes(const SmallStepBytes&) = delete;
  SmallStepBytes& operator=(const SmallStepBytes&) = delete;

 private:
  std::size_t restore_;
};

}  // namespace keras::backend::onednn
