#pragma once
// Merge layers (keras.layers.Add, Subtract, Multiply, Average, Maximum,
// Minimum, Concatenate, Dot): they take a list of tensors and return one.
// All share MergeImpl (Keras' Merge base class), which checks the number of
// inputs and their shapes on every call and names the layer and all input
// shapes when they cannot be merged.
//
// - The elementwise merges combine inputs of broadcast-compatible shapes; an
//   input of lower rank gets size-1 axes inserted after the batch axis first,
//   as Keras does, so (None, 3) merges with (None, 2, 3) into (None, 2, 3).
// - Concatenate joins inputs of one rank along `axis`; the other sizes match.
// - Dot is the batchwise dot product of two inputs along `axes`.
//
// Each has a function form, as keras.layers.add etc.:
//
//   auto y = keras::layers::Add()({a, b});                  // a + b
//   auto z = keras::layers::concatenate({a, b}, -1);         // (None, 3) + (None, 2) -> (None, 5)
//   auto s = keras::layers::dot({a, c}, 1, /*normalize=*/true);  // cosine similarity, (None, 1)
#include <cstdint>
#include <utility>

#include "keras/layers/layer.hpp"

namespace keras::layers {

struct MergeOptions {
  std::string name = "";
  bool trainable = true;
  DType dtype = backend::floatx_dtype();
  std::optional<Shape> input_shape = std::nullopt;
};

// Keras' Merge: what every merge layer shares.
class MergeImpl : public LayerImpl {
 public:
  // Checks the count and shapes of the inputs (keras::Error otherwise), then
  // merges them.
  std::vector<graph::Value> call(const std::vector<graph::Value>& inputs,
                                 const graph::Value& training) final;

 protected:
  // Keras' merges take a list of at least two tensors (Subtract and Dot:
  // exactly two), so that calling one on a single tensor is an error.
  MergeImpl(std::string class_name, const MergeOptions& options, std::size_t max_inputs = 0);

  // Throws keras::Error when `shapes` cannot be merged. This default checks
  // the elementwise merges' rule: equal batch sizes, the other axes
  // broadcast-compatible (aligned from the end).
  virtual void check_shapes(const std::vector<Shape>& shapes) const;
  // Emits the merge of inputs whose count and shapes have been checked.
  virtual graph::Value merge(const std::vector<graph::Value>& inputs) const = 0;

  // The inputs with size-1 axes inserted at axis 1 until all have one rank
  // (Keras' Merge, `_reshape_required`).
  static std::vector<graph::Value> with_equal_ranks(const std::vector<graph::Value>& inputs);
  // "(None, 3) and (None, 4)": the shapes of all inputs, for messages.
  static std::string shapes_to_string(const std::vector<Shape>& shapes);

 private:
  std::size_t max_inputs_;  // 0: no limit
};

// --- elementwise merges -----------------------------------------------------

// inputs[0] + inputs[1] + ... (keras.layers.Add).
class AddImpl : public MergeImpl {
 public:
  explicit AddImpl(const MergeOptions& options) : MergeImpl("Add", options) {}

 protected:
  graph::Value merge(const std::vector<graph::Value>& inputs) const override;
};

// inputs[0] - inputs[1]; exactly two inputs (keras.layers.Subtract).
class SubtractImpl : public MergeImpl {
 public:
  explicit SubtractImpl(const MergeOptions& options) : MergeImpl("Subtract", options, 2) {}

 protected:
  graph::Value merge(const std::vector<graph::Value>& inputs) const override;
};

// inputs[0] * inputs[1] * ... (keras.layers.Multiply).
class MultiplyImpl : public MergeImpl {
 public:
  explicit MultiplyImpl(const MergeOptions& options) : MergeImpl("Multiply", options) {}

 protected:
  graph::Value merge(const std::vector<graph::Value>& inputs) const override;
};

// (inputs[0] + inputs[1] + ...) / count (keras.layers.Average).
class AverageImpl : public MergeImpl {
 public:
  explicit AverageImpl(const MergeOptions& options) : MergeImpl("Average", options) {}

 protected:
  graph::Value merge(const std::vector<graph::Value>& inputs) const override;
};

// The elementwise maximum (keras.layers.Maximum).
class MaximumImpl : public MergeImpl {
 public:
  explicit MaximumImpl(const MergeOptions& options) : MergeImpl("Maximum", options) {}

 protected:
  graph::Value merge(const std::vector<graph::Value>& inputs) const override;
};

// The elementwise minimum (keras.layers.Minimum).
class MinimumImpl : public MergeImpl {
 public:
  explicit MinimumImpl(const MergeOptions& options) : MergeImpl("Minimum", options) {}

 protected:
  graph::Value merge(const std::vector<graph::Value>& inputs) const override;
};

class Add : public LayerHandle<AddImpl> {
 public:
  explicit Add(MergeOptions options = {});
};
class Subtract : public LayerHandle<SubtractImpl> {
 public:
  explicit Subtract(MergeOptions options = {});
};
class Multiply : public LayerHandle<MultiplyImpl> {
 public:
  explicit Multiply(MergeOptions options = {});
};
class Average : public LayerHandle<AverageImpl> {
 public:
  explicit Average(MergeOptions options = {});
};
class Maximum : public LayerHandle<MaximumImpl> {
 public:
  explicit Maximum(MergeOptions options = {});
};
class Minimum : public LayerHandle<MinimumImpl> {
 public:
  explicit Minimum(MergeOptions options = {});
};

// --- Concatenate ------------------------------------------------------------

// Joins inputs along `axis` (keras.layers.Concatenate); every other axis
// must have the same size in all inputs. (None, 2, 3) and (None, 1, 3) along
// axis 1 give (None, 3, 3).
class ConcatenateImpl : public MergeImpl {
 public:
  ConcatenateImpl(std::int64_t axis, const MergeOptions& options);
  serialize::Config get_config() const override;
  std::int64_t axis() const { return axis_; }

 protected:
  void check_shapes(const std::vector<Shape>& shapes) const override;
  graph::Value merge(const std::vector<graph::Value>& inputs) const override;

 private:
  std::int64_t axis_;
};

class Concatenate : public LayerHandle<ConcatenateImpl> {
 public:
  explicit Concatenate(std::int64_t axis = -1, MergeOptions options = {});
};

// --- Dot --------------------------------------------------------------------

// Dot's `axes`: one axis for both inputs (Keras' int), or one per input
// (Keras' pair). Negative axes count from the end of each input.
//   Dot(1)        Dot({2, 2})
struct DotAxes {
  DotAxes(std::int64_t axis) : first(axis), second(axis) {}  // NOLINT: implicit, like Keras' int
  DotAxes(std::int64_t first_axis, std::int64_t second_axis)
      : first(first_axis), second(second_axis), is_pair(true) {}
  std::int64_t first;
  std::int64_t second;
  bool is_pair = false;  // how get_config writes it: 1 or [1, 2]
};

struct DotOptions {
  bool normalize = false;  // l2-normalize along `axes` first: the cosine similarity
  std::string name = "";
  bool trainable = true;
  DType dtype = backend::floatx_dtype();
  std::optional<Shape> input_shape = std::nullopt;
};

// The batchwise dot product of two inputs (keras.layers.Dot): sums
// x[b, ..., k, ...] * y[b, ..., k, ...] over k along axes (a0, a1). The
// output is x's shape without a0, followed by y's without the batch and a1;
// (None, 5) by (None, 5) gives (None, 1), as Keras pads a rank-1 result.
//   (None, 2, 3) . (None, 4, 3) with axes (2, 2) -> (None, 2, 4)
class DotImpl : public MergeImpl {
 public:
  DotImpl(DotAxes axes, const DotOptions& options);
  serialize::Config get_config() const override;
  const DotAxes& axes() const { return axes_; }
  bool normalize() const { return normalize_; }

 protected:
  void check_shapes(const std::vector<Shape>& shapes) const override;
  graph::Value merge(const std::vector<graph::Value>& inputs) const override;

 private:
  // `axes_` made non-negative for inputs of these ranks.
  std::pair<std::int64_t, std::int64_t> resolved_axes(std::int64_t rank0, std::int64_t rank1) const;

  DotAxes axes_;
  bool normalize_;
};

class Dot : public LayerHandle<DotImpl> {
 public:
  explicit Dot(DotAxes axes, DotOptions options = {});
  // The layer a Keras config describes (Keras' Dot.from_config).
  static Dot from_config(const serialize::Config& config);
};

// --- function forms (keras.layers.add, ...): make the layer and call it ------

KerasTensor add(const std::vector<KerasTensor>& inputs, MergeOptions options = {});
KerasTensor subtract(const std::vector<KerasTensor>& inputs, MergeOptions options = {});
KerasTensor multiply(const std::vector<KerasTensor>& inputs, MergeOptions options = {});
KerasTensor average(const std::vector<KerasTensor>& inputs, MergeOptions options = {});
KerasTensor maximum(const std::vector<KerasTensor>& inputs, MergeOptions options = {});
KerasTensor minimum(const std::vector<KerasTensor>& inputs, MergeOptions options = {});
KerasTensor concatenate(const std::vector<KerasTensor>& inputs, std::int64_t axis = -1,
                        MergeOptions options = {});
KerasTensor dot(const std::vector<KerasTensor>& inputs, DotAxes axes = -1, bool normalize = false,
                MergeOptions options = {});

}  // namespace keras::layers
