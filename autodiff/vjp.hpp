#pragma once
// A VJP rule: given a node, its inputs, its results and the gradient of each
// result, returns the gradient of each input, built as ordinary graph ops.
// Rules assume same-shape operands: the engine sums a returned gradient back
// to its input's shape (undoing broadcasting) and adds fan-out contributions.
#include <string_view>
#include <vector>

#include "keras/graph/graph.hpp"

namespace keras::autodiff {

using graph::Value;

struct VjpContext {
  const graph::Node& node;
  const std::vector<Value>& inputs;
  const std::vector<Value>& results;
  // One per result; an invalid Value when no gradient reaches that result.
  const std::vector<Value>& grads;
  // One per input: false for inputs that need no gradient (labels, indices,
  // frozen weights); a rule may skip building those and return an invalid Value.
  const std::vector<bool>& needs_grad;

  const Value& input(int i) const { return inputs.at(static_cast<std::size_t>(i)); }
  const Value& result(int i = 0) const { return results.at(static_cast<std::size_t>(i)); }
  const Value& grad(int i = 0) const { return grads.at(static_cast<std::size_t>(i)); }
  bool needs(int i) const { return needs_grad.at(static_cast<std::size_t>(i)); }
  const graph::Attrs& attrs() const { return node.attrs(); }
};

using VjpFn = std::vector<Value> (*)(const VjpContext& context);

struct VjpRule {
  VjpFn fn = nullptr;  // nullptr with differentiable == false: no gradient flows
  bool differentiable = true;
};

// The rule of `op`, or nullptr when it has none (a keras::Error at use).
const VjpRule* find_vjp(std::string_view op);

}  // namespace keras::autodiff
