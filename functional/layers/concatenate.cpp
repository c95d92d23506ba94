// keras.layers.Concatenate (keras/src/layers/merging/concatenate.py).
#include "keras/graph/ops.hpp"
#include "keras/layers/merge.hpp"

namespace keras::layers {

ConcatenateImpl::ConcatenateImpl(std::int64_t axis, const MergeOptions& options)
    : MergeImpl("Concatenate", options), axis_(axis) {}

void ConcatenateImpl::check_shapes(const std::vector<Shape>& shapes) const {
  const std::int64_t rank = shapes[0].rank();
  const auto mismatch = [&](const std::string& what) {
    return Error(fmt::format(
        "{} requires inputs with matching shapes except for the concatenation axis {}, but "
        "received {}: {}",
        describe(), axis_, shapes_to_string(shapes), what));
  };
  for (const Shape& s : shapes) {
    if (s.rank() != rank) {
      throw mismatch(fmt::format("the ranks differ ({} and {})", rank, s.rank()));
    }
  }
  if (axis_ < -rank || axis_ >= rank) {
    throw Error(fmt::format(
        "{} concatenates along axis {}, which is out of range for inputs of rank {} ({}); "
        "use an axis from {} to {}",
        describe(), axis_, rank, shapes_to_string(shapes), -rank, rank - 1));
  }
  const std::int64_t concat_axis = axis_ < 0 ? axis_ + rank : axis_;
  for (std::int64_t a = 0; a < rank; ++a) {
    if (a == concat_axis) continue;
    std::int64_t size = Shape::kUnknown;  // unknown sizes (None) match any size
    for (const Shape& s : shapes) {
      const std::int64_t d = s.dim(a);
      if (d == Shape::kUnknown) continue;
      if (size != Shape::kUnknown && d != size) {
        throw mismatch(fmt::format("axis {} has sizes {} and {}", a, size, d));
      }
      size = d;
    }
  }
}

graph::Value ConcatenateImpl::merge(const std::vector<graph::Value>& inputs) const {
  return ops::concatenate(inputs, axis_);
}

serialize::Config ConcatenateImpl::get_config() const {
  serialize::Config config = LayerImpl::get_config();
  config["axis"] = axis_;
  return config;
}

Concatenate::Concatenate(std::int64_t axis, MergeOptions options)
    : LayerHandle(std::make_shared<ConcatenateImpl>(axis, options)) {}

KerasTensor concatenate(const std::vector<KerasTensor>& inputs, std::int64_t axis,
                        MergeOptions options) {
  return Concatenate(axis, std::move(options))(inputs);
}

}  // namespace keras::layers
