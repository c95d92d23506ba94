#pragma once
// Merge layers (keras.layers.Add, Concatenate, ...): they take a list of
// tensors. The elementwise ones broadcast as NumPy does; Concatenate joins
// along `axis`. Each has a function form, layers::add({a, b}).
//
//   auto y = keras::layers::Add()({a, b});
//   auto z = keras::layers::concatenate({a, b}, -1);
#include "keras/layers/layer.hpp"

namespace keras::layers {

struct MergeOptions {
  std::string name = "";
  bool trainable = true;
  DType dtype = DType::float32;
  std::optional<Shape> input_shape = std::nullopt;
};

// The elementwise merges: add, subtract, multiply, average, maximum, minimum.
class MergeImpl : public LayerImpl {
 public:
  MergeImpl(std::string class_name, MergeOptions options);
  std::vector<graph::Value> call(const std::vector<graph::Value>& inputs,
                                 const graph::Value& training) override;
};

class ConcatenateImpl : public LayerImpl {
 public:
  ConcatenateImpl(std::int64_t axis, MergeOptions options);
  std::vector<graph::Value> call(const std::vector<graph::Value>& inputs,
                                 const graph::Value& training) override;
  serialize::Config get_config() const override;

 private:
  std::int64_t axis_;
};

class Add : public LayerHandle<MergeImpl> {
 public:
  explicit Add(MergeOptions options = {});
};
class Subtract : public LayerHandle<MergeImpl> {
 public:
  explicit Subtract(MergeOptions options = {});
};
class Multiply : public LayerHandle<MergeImpl> {
 public:
  explicit Multiply(MergeOptions options = {});
};
class Average : public LayerHandle<MergeImpl> {
 public:
  explicit Average(MergeOptions options = {});
};
class Maximum : public LayerHandle<MergeImpl> {
 public:
  explicit Maximum(MergeOptions options = {});
};
class Minimum : public LayerHandle<MergeImpl> {
 public:
  explicit Minimum(MergeOptions options = {});
};
class Concatenate : public LayerHandle<ConcatenateImpl> {
 public:
  explicit Concatenate(std::int64_t axis = -1, MergeOptions options = {});
};

KerasTensor add(const std::vector<KerasTensor>& inputs);
KerasTensor subtract(const std::vector<KerasTensor>& inputs);
KerasTensor multiply(const std::vector<KerasTensor>& inputs);
KerasTensor average(const std::vector<KerasTensor>& inputs);
KerasTensor maximum(const std::vector<KerasTensor>& inputs);
KerasTensor minimum(const std::vector<KerasTensor>& inputs);
KerasTensor concatenate(const std::vector<KerasTensor>& inputs, std::int64_t axis = -1);

}  // namespace keras::layers
