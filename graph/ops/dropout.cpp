// dropout: output = x * mask, where mask holds 0 (dropped) or 1 / (1 - rate)
// (kept), drawn per element of noise_shape and broadcast against x, as Keras'
// keras.random.dropout does. The mask is an output so the gradient can reuse
// it. Random draws follow backend/random.hpp.
#include <cmath>

#include <fmt/format.h>

#include "axis_list.hpp"
#include "keras/graph/ops.hpp"
#include "op_families.hpp"

namespace keras::graph {

namespace {

// The mask's shape: noise_shape with -1 entries taken from x; empty means x's
// shape. Each entry must be 1 or x's size along that axis.
Shape noise_shape_of(const InferContext& context, const Shape& x) {
  const std::vector<std::int64_t>& noise = context.attrs().get_ints("noise_shape");
  if (noise.empty()) return x;
  if (static_cast<std::int64_t>(noise.size()) != x.rank()) {
    context.fail(
        fmt::format("noise_shape {} must have one entry per axis of the input {} (rank {})",
                    ints_to_string(noise), x.to_string(), x.rank()));
  }
  std::vector<std::int64_t> dims(noise.size());
  for (std::size_t axis = 0; axis < noise.size(); ++axis) {
    const std::int64_t n = noise[axis];
    const std::int64_t d = x[axis];
    if (n == -1) {
      dims[axis] = d;
    } else if (n == 1 || n == d || (n > 1 && d == Shape::kUnknown)) {
      dims[axis] = n;
    } else {
      context.fail(
          fmt::format("noise_shape {} does not broadcast to the input {}: axis {} must be "
                      "1, -1 (None) or {}, got {}",
                      ints_to_string(noise), x.to_string(), axis,
                      d == Shape::kUnknown ? std::string("None") : std::to_string(d), n));
    }
  }
  return Shape(std::move(dims));
}

std::vector<TensorType> infer_dropout(const InferContext& context) {
  context.require_floating(0);
  const double rate = context.attrs().get_float("rate");
  // Keras' message (keras/src/layers/regularization/dropout.py), for [0, 1):
  // rate 1 would scale the kept elements by 1 / 0.
  if (!(rate >= 0.0 && rate < 1.0)) {
    context.fail(
        fmt::format("Invalid value received for argument `rate`. Expected a float value "
                    "in [0, 1). Received: rate={:g}",
                    rate));
  }
  const TensorType& x = context.input(0);
  return {x, {x.dtype, noise_shape_of(context, x.shape)}};
}

}  // namespace

void register_dropout_ops(OpRegistry& registry) {
  registry.add(
      OpDef{.name = "dropout",
            .min_inputs = 1,
            .max_inputs = 1,
            .attrs = {{"rate", AttrKind::floating, std::nullopt},
                      {"seed", AttrKind::integer, std::nullopt},
                      {"noise_shape", AttrKind::integers, AttrValue(std::vector<std::int64_t>{})}},
            .infer = infer_dropout,
            .stateful = true});
}

}  // namespace keras::graph

namespace keras::ops {

DropoutResult dropout(const Value& x, double rate, std::int64_t seed,
                      std::vector<std::int64_t> noise_shape) {
  graph::Graph& graph = x.graph();
  // -1 takes the graph's next seed now, so the node stores the seed it uses.
  const std::int64_t resolved = seed == -1 ? graph.next_seed() : seed;
  std::vector<Value> outputs =
      graph.add_node("dropout", {x},
                     {{"rate", rate}, {"seed", resolved}, {"noise_shape", std::move(noise_shape)}});
  return {outputs[0], outputs[1]};
}

}  // namespace keras::ops
