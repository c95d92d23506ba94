#pragma once
// A reference kernel computes one node: it reads its input tensors and writes
// its outputs, which the executor has already allocated with the node's
// (fully known) output types. Kernels may assume the op registry validated
// the node: shapes, dtypes and attributes are as inferred.
#include <cstdint>
#include <string_view>
#include <vector>

#include "keras/graph/graph.hpp"
#include "keras/tensor.hpp"

namespace keras::backend::reference {

struct KernelContext {
  const graph::Node& node;
  std::vector<const Tensor*> inputs;
  std::vector<Tensor*> outputs;
  std::uint64_t step = 0;  // RunOptions::step, for random ops

  const Tensor& input(int i) const { return *inputs.at(static_cast<std::size_t>(i)); }
  Tensor& output(int i = 0) const { return *outputs.at(static_cast<std::size_t>(i)); }
  const graph::Attrs& attrs() const { return node.attrs(); }
};

using Kernel = void (*)(const KernelContext& context);

// The reference kernel of `op`, or nullptr.
Kernel find_kernel(std::string_view op);

// Runs one node outside a plan: allocates its outputs and calls its kernel.
std::vector<Tensor> run_node(const graph::Node& node, const std::vector<Tensor>& inputs,
                             std::uint64_t step = 0);

}  // namespace keras::backend::reference
