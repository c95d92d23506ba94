#pragma once
// The op registry: each op declares, in one place, its inputs, its attributes
// (Keras' names and defaults) and its shape and dtype inference. Everything
// else (gradients, kernels, lowerings) implements this contract and never
// re-derives shapes. See graph/README.md for how to add an op.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keras/graph/graph.hpp"

namespace keras::graph {

struct AttrSpec {
  std::string name;
  AttrKind kind;
  std::optional<AttrValue> default_value;  // nullopt: the attribute is required
};

// What an op's inference sees: its input types and its complete attributes.
class InferContext {
 public:
  InferContext(const OpDef& def, const std::vector<TensorType>& inputs, const Attrs& attrs,
               const std::string& node_name)
      : def_(def), inputs_(inputs), attrs_(attrs), node_name_(node_name) {}

  const std::vector<TensorType>& inputs() const { return inputs_; }
  const TensorType& input(int i) const { return inputs_.at(static_cast<std::size_t>(i)); }
  int num_inputs() const { return static_cast<int>(inputs_.size()); }
  const Attrs& attrs() const { return attrs_; }

  // Throws keras::Error: "<op> (node '<name>') on inputs (None, 3) float32,
  // (4, 5) float32: <message>".
  [[noreturn]] void fail(const std::string& message) const;
  // Normalizes attribute axis values against `rank`, failing with the op's context.
  std::int64_t axis(std::int64_t axis, std::int64_t rank) const;
  // Fails unless input `i` is float32 or float64.
  void require_floating(int i) const;
  // Fails unless all inputs have the dtype of input 0.
  void require_same_dtype() const;

 private:
  const OpDef& def_;
  const std::vector<TensorType>& inputs_;
  const Attrs& attrs_;
  const std::string& node_name_;
};

using InferFn = std::vector<TensorType> (*)(const InferContext& context);

struct OpDef {
  std::string name;
  int min_inputs = 0;
  int max_inputs = 0;  // kVariadic: no upper bound
  std::vector<AttrSpec> attrs;
  InferFn infer = nullptr;
  // Placeholders, variables, random ops and assignments: never merged by CSE
  // nor evaluated at compile time.
  bool stateful = false;

  static constexpr int kVariadic = -1;
};

// The definition of `name`; throws keras::Error listing close names when unknown.
const OpDef& op_def(std::string_view name);
const OpDef* find_op_def(std::string_view name);
// Every registered op, sorted by name.
const std::vector<const OpDef*>& all_op_defs();

}  // namespace keras::graph
