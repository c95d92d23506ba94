// keras.layers.Dot (keras/src/layers/merging/dot.py): the batchwise dot
// product of two tensors, optionally of their l2-normalized forms.
#include <numeric>

#include "keras/backend/config.hpp"
#include "keras/graph/ops.hpp"
#include "keras/layers/merge.hpp"
#include "keras/layers/registry.hpp"

namespace keras::layers {

namespace {

// x / ||x|| along `axis`, written as Keras' ops.normalize writes it:
// x * min(rsqrt(sum(x^2)), 1 / epsilon), which keeps a zero vector at zero
// (epsilon: backend::epsilon(), as Keras' normalize takes it).
graph::Value l2_normalize(const graph::Value& x, std::int64_t axis) {
  const graph::Value inverse_norm = ops::rsqrt(ops::sum(ops::square(x), {axis}, true));
  return x * ops::minimum(inverse_norm, ops::scalar_like(x, 1.0 / backend::epsilon()));
}

// x with axis `from` moved to position `to`, the other axes in order.
graph::Value move_axis(const graph::Value& x, std::int64_t from, std::int64_t to) {
  if (from == to) return x;
  std::vector<std::int64_t> perm(static_cast<std::size_t>(x.shape().rank()));
  std::iota(perm.begin(), perm.end(), 0);
  perm.erase(perm.begin() + from);
  perm.insert(perm.begin() + to, from);
  return ops::transpose(x, perm);
}

// Keras' batch_dot for axes a0 of x and a1 of y (both > 0). Keras squashes
// ranks above 3 with reshapes; with an unknown batch a reshape cannot name
// two free sizes, so the extra axes ride along as broadcast matmul batch axes
// instead, which gives the same numbers.
graph::Value batch_dot(const graph::Value& x, const graph::Value& y, std::int64_t a0,
                       std::int64_t a1) {
  const std::int64_t x_rank = x.shape().rank();
  const std::int64_t y_rank = y.shape().rank();
  graph::Value xs = move_axis(x, a0, x_rank - 1);  // (B, m1..mp, K)
  graph::Value ys = move_axis(y, a1, 1);           // (B, K, n1..nq)
  // Rank-2 inputs get a unit axis, removed again at the end, as in Keras.
  if (x_rank == 2) xs = ops::expand_dims(xs, 1);  // (B, 1, K)
  if (y_rank == 2) ys = ops::expand_dims(ys, 2);  // (B, K, 1)
  const std::int64_t p = xs.shape().rank() - 2;
  const std::int64_t q = ys.shape().rank() - 2;
  // (B, m1..m(p-1), 1 x (q-1), mp, K)
  for (std::int64_t i = 0; i + 1 < q; ++i) xs = ops::expand_dims(xs, p);
  // (B, 1 x (p-1), n1..n(q-1), K, nq)
  ys = move_axis(ys, 1, q);
  for (std::int64_t i = 0; i + 1 < p; ++i) ys = ops::expand_dims(ys, 1);
  // (B, m1..m(p-1), n1..n(q-1), mp, nq) -> (B, m1..mp, n1..nq)
  graph::Value result = move_axis(ops::matmul(xs, ys), p + q - 1, p);
  if (x_rank == 2) return ops::squeeze(result, {1});
  if (y_rank == 2) return ops::squeeze(result, {-1});
  return result;
}

}  // namespace

DotImpl::DotImpl(DotAxes axes, const DotOptions& options)
    : MergeImpl("Dot",
                MergeOptions{options.name, options.trainable, options.dtype, options.input_shape},
                2),
      axes_(axes),
      normalize_(options.normalize) {}

std::pair<std::int64_t, std::int64_t> DotImpl::resolved_axes(std::int64_t rank0,
                                                             std::int64_t rank1) const {
  return {axes_.first < 0 ? axes_.first + rank0 : axes_.first,
          axes_.second < 0 ? axes_.second + rank1 : axes_.second};
}

void DotImpl::check_shapes(const std::vector<Shape>& shapes) const {
  const Shape& x = shapes[0];
  const Shape& y = shapes[1];
  const std::string received = shapes_to_string(shapes);
  const std::string axes_text = axes_.is_pair ? fmt::format("({}, {})", axes_.first, axes_.second)
                                              : std::to_string(axes_.first);
  if (x.rank() < 2 || y.rank() < 2) {
    throw Error(fmt::format(
        "{} takes the batchwise dot product of inputs of rank 2 or more, but received {}",
        describe(), received));
  }
  for (const auto& [axis, shape] : {std::pair{axes_.first, x}, std::pair{axes_.second, y}}) {
    if (axis < -shape.rank() || axis >= shape.rank()) {
      throw Error(fmt::format("{} has axes={}, out of range for the input {} in {}", describe(),
                              axes_text, shape.to_string(), received));
    }
  }
  const auto [a0, a1] = resolved_axes(x.rank(), y.rank());
  if (a0 == 0 || a1 == 0) {
    throw Error(fmt::format(
        "{} has axes={}, which names the batch axis of {}; the dot product runs over the "
        "other axes: use axes of 1 or more",
        describe(), axes_text, received));
  }
  if (x[0] != Shape::kUnknown && y[0] != Shape::kUnknown && x[0] != y[0]) {
    throw Error(
        fmt::format("{} cannot take the dot product of inputs with different batch sizes: {}",
                    describe(), received));
  }
  const std::int64_t d0 = x.dim(a0);
  const std::int64_t d1 = y.dim(a1);
  if (d0 != Shape::kUnknown && d1 != Shape::kUnknown && d0 != d1) {
    throw Error(fmt::format(
        "{} has incompatible input shapes {}: axis {} of the first has size {} but axis {} "
        "of the second has size {}; the axes of the dot product must have equal sizes",
        describe(), received, a0, d0, a1, d1));
  }
}

graph::Value DotImpl::merge(const std::vector<graph::Value>& inputs) const {
  const auto [a0, a1] = resolved_axes(inputs[0].shape().rank(), inputs[1].shape().rank());
  graph::Value x = inputs[0];
  graph::Value y = inputs[1];
  if (normalize_) {
    x = l2_normalize(x, a0);
    y = l2_normalize(y, a1);
  }
  return batch_dot(x, y, a0, a1);
}

serialize::Config DotImpl::get_config() const {
  serialize::Config config = LayerImpl::get_config();
  config["axes"] = axes_.is_pair ? serialize::Config::ints({axes_.first, axes_.second})
                                 : serialize::Config(axes_.first);
  config["normalize"] = normalize_;
  return config;
}

Dot::Dot(DotAxes axes, DotOptions options)
    : LayerHandle(std::make_shared<DotImpl>(axes, options)) {}

Dot Dot::from_config(const serialize::Config& config) {
  const LayerOptions common = options_from_config(config);
  const serialize::Config& axes = config.at("axes");
  std::optional<DotAxes> parsed;
  if (axes.is_int()) {
    parsed = DotAxes(axes.as_int());
  } else if (axes.is_list() && axes.size() == 2) {
    const std::vector<std::int64_t> pair = axes.as_ints();
    parsed = DotAxes(pair[0], pair[1]);
  } else {
    throw Error(
        fmt::format("Dot config '{}': axes must be an integer or a list of two integers, got {}",
                    common.name, axes.to_json()));
  }
  const bool normalize = config.contains("normalize") && config.at("normalize").as_bool();
  return Dot(*parsed, {.normalize = normalize,
                       .name = common.name,
                       .trainable = common.trainable,
                       .dtype = common.dtype});
}

KerasTensor dot(const std::vector<KerasTensor>& inputs, DotAxes axes, bool normalize,
                MergeOptions options) {
  return Dot(axes, DotOptions{normalize, std::move(options.name), options.trainable, options.dtype,
                              std::move(options.input_shape)})(inputs);
}

}  // namespace keras::layers
