// The Merge base and the elementwise merges (keras/src/layers/merging/
// base_merge.py, add.py, subtract.py, ...). Concatenate and Dot have files of
// their own.
#include "keras/layers/merge.hpp"

#include <set>

#include "keras/graph/ops.hpp"

namespace keras::layers {

namespace {

std::string dim_to_string(std::int64_t d) {
  return d == Shape::kUnknown ? "None" : std::to_string(d);
}

}  // namespace

MergeImpl::MergeImpl(std::string class_name, const MergeOptions& options, std::size_t max_inputs)
    : LayerImpl(std::move(class_name), common_options(options)), max_inputs_(max_inputs) {}

std::vector<graph::Value> MergeImpl::call(const std::vector<graph::Value>& inputs,
                                          const graph::Value&) {
  std::vector<Shape> shapes;
  for (const graph::Value& x : inputs) shapes.push_back(x.shape());
  // One tensor cannot be told apart from a list of one here, so a single
  // input is refused as Keras refuses a merge called on one tensor.
  if (inputs.size() < 2 || (max_inputs_ != 0 && inputs.size() > max_inputs_)) {
    const std::string expected =
        max_inputs_ != 0 ? fmt::format("exactly {}", max_inputs_) : "a list of at least 2";
    throw Error(fmt::format(
        "{} should be called on {} inputs, but received {} ({}); call it on a list of "
        "tensors such as {{a, b}}",
        describe(), expected, inputs.size(), inputs.empty() ? "none" : shapes_to_string(shapes)));
  }
  check_shapes(shapes);
  return {merge(inputs)};
}

void MergeImpl::check_shapes(const std::vector<Shape>& shapes) const {
  // Batch sizes must agree (Keras: "Cannot merge tensors with different
  // batch sizes"); the batch axis does not broadcast.
  std::set<std::int64_t> batch_sizes;
  for (const Shape& s : shapes) {
    if (s.rank() > 0 && s[0] != Shape::kUnknown) batch_sizes.insert(s[0]);
  }
  if (batch_sizes.size() > 1) {
    throw Error(fmt::format("{} cannot merge tensors with different batch sizes: received {}",
                            describe(), shapes_to_string(shapes)));
  }
  // The other axes broadcast as NumPy does, aligned from the end
  // (Keras' _compute_elemwise_op_output_shape); None matches any size.
  std::vector<std::int64_t> merged;  // without the batch axis, last axis first
  for (const Shape& s : shapes) {
    for (std::int64_t i = 0; i + 1 < s.rank(); ++i) {
      const std::int64_t d = s.dim(-1 - i);
      if (static_cast<std::size_t>(i) == merged.size()) {
        merged.push_back(d);
        continue;
      }
      std::int64_t& m = merged[static_cast<std::size_t>(i)];
      if (m == Shape::kUnknown || d == Shape::kUnknown) {
        m = Shape::kUnknown;
      } else if (m == 1) {
        m = d;
      } else if (d != 1 && d != m) {
        throw Error(fmt::format(
            "{} needs inputs of broadcast-compatible shapes, but received {}: sizes {} and "
            "{} meet at axis -{} (counted from the end); give the inputs equal sizes there, "
            "or size 1 where one input should be repeated",
            describe(), shapes_to_string(shapes), dim_to_string(m), dim_to_string(d), i + 1));
      }
    }
  }
}

std::vector<graph::Value> MergeImpl::with_equal_ranks(const std::vector<graph::Value>& inputs) {
  std::int64_t max_rank = 0;
  for (const graph::Value& x : inputs) max_rank = std::max(max_rank, x.shape().rank());
  std::vector<graph::Value> out;
  for (graph::Value x : inputs) {
    // Axis 1, not 0: the batch stays first, (None, 3) -> (None, 1, 3).
    while (x.shape().rank() < max_rank) x = ops::expand_dims(x, 1);
    out.push_back(x);
  }
  return out;
}

std::string MergeImpl::shapes_to_string(const std::vector<Shape>& shapes) {
  std::string out;
  for (std::size_t i = 0; i < shapes.size(); ++i) {
    if (i > 0) out += i + 1 == shapes.size() ? " and " : ", ";
    out += shapes[i].to_string();
  }
  return out;
}

graph::Value AddImpl::merge(const std::vector<graph::Value>& inputs) const {
  const std::vector<graph::Value> xs = with_equal_ranks(inputs);
  graph::Value sum = xs[0];
  for (std::size_t i = 1; i < xs.size(); ++i) sum = sum + xs[i];
  return sum;
}

graph::Value SubtractImpl::merge(const std::vector<graph::Value>& inputs) const {
  const std::vector<graph::Value> xs = with_equal_ranks(inputs);
  return xs[0] - xs[1];
}

graph::Value MultiplyImpl::merge(const std::vector<graph::Value>& inputs) const {
  const std::vector<graph::Value> xs = with_equal_ranks(inputs);
  graph::Value product = xs[0];
  for (std::size_t i = 1; i < xs.size(); ++i) product = product * xs[i];
  return product;
}

graph::Value AverageImpl::merge(const std::vector<graph::Value>& inputs) const {
  const std::vector<graph::Value> xs = with_equal_ranks(inputs);
  graph::Value sum = xs[0];
  for (std::size_t i = 1; i < xs.size(); ++i) sum = sum + xs[i];
  // Summed, then divided once, as Keras' Average does.
  return sum / static_cast<double>(xs.size());
}

graph::Value MaximumImpl::merge(const std::vector<graph::Value>& inputs) const {
  const std::vector<graph::Value> xs = with_equal_ranks(inputs);
  graph::Value result = xs[0];
  for (std::size_t i = 1; i < xs.size(); ++i) result = ops::maximum(result, xs[i]);
  return result;
}

graph::Value MinimumImpl::merge(const std::vector<graph::Value>& inputs) const {
  const std::vector<graph::Value> xs = with_equal_ranks(inputs);
  graph::Value result = xs[0];
  for (std::size_t i = 1; i < xs.size(); ++i) result = ops::minimum(result, xs[i]);
  return result;
}

Add::Add(MergeOptions options) : LayerHandle(std::make_shared<AddImpl>(options)) {}
Subtract::Subtract(MergeOptions options) : LayerHandle(std::make_shared<SubtractImpl>(options)) {}
Multiply::Multiply(MergeOptions options) : LayerHandle(std::make_shared<MultiplyImpl>(options)) {}
Average::Average(MergeOptions options) : LayerHandle(std::make_shared<AverageImpl>(options)) {}
Maximum::Maximum(MergeOptions options) : LayerHandle(std::make_shared<MaximumImpl>(options)) {}
Minimum::Minimum(MergeOptions options) : LayerHandle(std::make_shared<MinimumImpl>(options)) {}

KerasTensor add(const std::vector<KerasTensor>& inputs, MergeOptions options) {
  return Add(std::move(options))(inputs);
}
KerasTensor subtract(const std::vector<KerasTensor>& inputs, MergeOptions options) {
  return Subtract(std::move(options))(inputs);
}
KerasTensor multiply(const std::vector<KerasTensor>& inputs, MergeOptions options) {
  return Multiply(std::move(options))(inputs);
}
KerasTensor average(const std::vector<KerasTensor>& inputs, MergeOptions options) {
  return Average(std::move(options))(inputs);
}
KerasTensor maximum(const std::vector<KerasTensor>& inputs, MergeOptions options) {
  return Maximum(std::move(options))(inputs);
}
KerasTensor minimum(const std::vector<KerasTensor>& inputs, MergeOptions options) {
  return Minimum(std::move(options))(inputs);
}

}  // namespace keras::layers
