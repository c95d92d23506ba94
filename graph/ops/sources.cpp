// The sources of a graph: placeholders (fed at run time), constants,
// variables (read and assigned) and random tensors. All but constant are
// stateful: they are never merged nor evaluated at compile time.
// random_uniform_like and random_normal_like take their shape from an input
// at run time, so noise can match a tensor whose batch is unknown
// (GaussianNoise, GaussianDropout); they read only the input's shape.
#include <cmath>

#include <fmt/format.h>

#include "keras/graph/ops.hpp"
#include "op_families.hpp"

namespace keras::graph {

namespace {

void require_valid_dims(const InferContext& context, const Shape& shape) {
  for (std::int64_t d : shape.dims()) {
    if (d < Shape::kUnknown) {
      context.fail(fmt::format("shape {} has a negative size; sizes must be >= 0 or None",
                               shape.to_string()));
    }
  }
}

std::vector<TensorType> infer_placeholder(const InferContext& context) {
  const Shape& shape = context.attrs().get_shape("shape");
  require_valid_dims(context, shape);
  return {{context.attrs().get_dtype("dtype"), shape}};
}

std::vector<TensorType> infer_constant(const InferContext& context) {
  const Tensor& value = context.attrs().get_tensor("value");
  return {{value.dtype(), value.shape()}};
}

std::vector<TensorType> infer_variable(const InferContext& context) {
  const Variable& variable = context.attrs().get_variable("variable");
  return {{variable.dtype(), variable.shape()}};
}

std::vector<TensorType> infer_assign(const InferContext& context) {
  const Variable& variable = context.attrs().get_variable("variable");
  const TensorType& value = context.input(0);
  if (value.dtype != variable.dtype() || !value.shape.is_compatible_with(variable.shape())) {
    context.fail(fmt::format(
        "variable '{}' holds {} {} values but was assigned {} {} values; assign a value of the "
        "variable's shape and dtype (cast or reshape it first)",
        variable.name(), variable.shape().to_string(), dtype_name(variable.dtype()),
        value.shape.to_string(), dtype_name(value.dtype)));
  }
  return {{variable.dtype(), variable.shape()}};
}

// Random tensors need their full shape when the graph is built: their
// numbers are indexed by element.
void require_random_shape(const InferContext& context, const Shape& shape) {
  require_valid_dims(context, shape);
  if (!shape.is_fully_known()) {
    context.fail(
        fmt::format("the shape of a random tensor must be fully known, got {}", shape.to_string()));
  }
}

void require_floating_attr(const InferContext& context, DType dtype) {
  if (!is_floating(dtype)) {
    context.fail(
        fmt::format("random values are float32 or float64, got dtype {}", dtype_name(dtype)));
  }
}

void require_uniform_bounds(const InferContext& context) {
  const double minval = context.attrs().get_float("minval");
  const double maxval = context.attrs().get_float("maxval");
  if (!std::isfinite(minval) || !std::isfinite(maxval) || minval > maxval) {
    context.fail(fmt::format("expected finite minval <= maxval, got minval={:g}, maxval={:g}",
                             minval, maxval));
  }
}

void require_normal_moments(const InferContext& context) {
  const double mean = context.attrs().get_float("mean");
  const double stddev = context.attrs().get_float("stddev");
  if (!std::isfinite(mean) || !std::isfinite(stddev) || stddev < 0) {
    context.fail(
        fmt::format("expected a finite mean and a finite stddev >= 0, got mean={:g}, "
                    "stddev={:g}",
                    mean, stddev));
  }
}

std::vector<TensorType> infer_random_uniform(const InferContext& context) {
  const Attrs& attrs = context.attrs();
  const Shape& shape = attrs.get_shape("shape");
  require_random_shape(context, shape);
  require_floating_attr(context, attrs.get_dtype("dtype"));
  require_uniform_bounds(context);
  return {{attrs.get_dtype("dtype"), shape}};
}

std::vector<TensorType> infer_random_normal(const InferContext& context) {
  const Attrs& attrs = context.attrs();
  const Shape& shape = attrs.get_shape("shape");
  require_random_shape(context, shape);
  require_floating_attr(context, attrs.get_dtype("dtype"));
  require_normal_moments(context);
  return {{attrs.get_dtype("dtype"), shape}};
}

std::vector<TensorType> infer_random_uniform_like(const InferContext& context) {
  context.require_floating(0);
  require_uniform_bounds(context);
  return {context.input(0)};
}

std::vector<TensorType> infer_random_normal_like(const InferContext& context) {
  context.require_floating(0);
  require_normal_moments(context);
  return {context.input(0)};
}

OpDef source_def(const char* name, std::vector<AttrSpec> attrs, InferFn infer, bool stateful) {
  return OpDef{.name = name,
               .min_inputs = 0,
               .max_inputs = 0,
               .attrs = std::move(attrs),
               .infer = infer,
               .stateful = stateful};
}

}  // namespace

void register_sources_ops(OpRegistry& registry) {
  registry.add(source_def(
      "placeholder",
      {{"shape", AttrKind::shape, std::nullopt}, {"dtype", AttrKind::dtype, std::nullopt}},
      infer_placeholder, true));
  registry.add(
      source_def("constant", {{"value", AttrKind::tensor, std::nullopt}}, infer_constant, false));
  registry.add(source_def("variable", {{"variable", AttrKind::variable, std::nullopt}},
                          infer_variable, true));
  registry.add(OpDef{.name = "assign",
                     .min_inputs = 1,
                     .max_inputs = 1,
                     .attrs = {{"variable", AttrKind::variable, std::nullopt}},
                     .infer = infer_assign,
                     .stateful = true});
  registry.add(source_def("random_uniform",
                          {{"shape", AttrKind::shape, std::nullopt},
                           {"dtype", AttrKind::dtype, AttrValue(DType::float32)},
                           {"minval", AttrKind::floating, AttrValue(0.0)},
                           {"maxval", AttrKind::floating, AttrValue(1.0)},
                           {"seed", AttrKind::integer, std::nullopt}},
                          infer_random_uniform, true));
  registry.add(source_def("random_normal",
                          {{"shape", AttrKind::shape, std::nullopt},
                           {"dtype", AttrKind::dtype, AttrValue(DType::float32)},
                           {"mean", AttrKind::floating, AttrValue(0.0)},
                           {"stddev", AttrKind::floating, AttrValue(1.0)},
                           {"seed", AttrKind::integer, std::nullopt}},
                          infer_random_normal, true));
  registry.add(OpDef{.name = "random_uniform_like",
                     .min_inputs = 1,
                     .max_inputs = 1,
                     .attrs = {{"minval", AttrKind::floating, AttrValue(0.0)},
                               {"maxval", AttrKind::floating, AttrValue(1.0)},
                               {"seed", AttrKind::integer, std::nullopt}},
                     .infer = infer_random_uniform_like,
                     .stateful = true});
  registry.add(OpDef{.name = "random_normal_like",
                     .min_inputs = 1,
                     .max_inputs = 1,
                     .attrs = {{"mean", AttrKind::floating, AttrValue(0.0)},
                               {"stddev", AttrKind::floating, AttrValue(1.0)},
                               {"seed", AttrKind::integer, std::nullopt}},
                     .infer = infer_random_normal_like,
                     .stateful = true});
}

}  // namespace keras::graph

namespace keras::ops {

namespace {

// -1 asks the graph for its next seed now, so the node always stores the
// seed it draws with (and a saved graph replays the same numbers).
std::int64_t resolve_seed(graph::Graph& graph, std::int64_t seed) {
  return seed == -1 ? graph.next_seed() : seed;
}

}  // namespace

Value placeholder(const Shape& shape, DType dtype, const std::string& name) {
  return graph::current_graph().add("placeholder", {}, {{"shape", shape}, {"dtype", dtype}}, name);
}

Value constant(const Tensor& value) {
  return graph::current_graph().add("constant", {}, {{"value", value}});
}

Value scalar_like(const Value& like, double value) {
  return like.graph().add("constant", {}, {{"value", Tensor::scalar(value, like.dtype())}});
}

// One node per variable and graph: layers and gradients(loss, {read(v)}) must
// see the same Value for the same variable.
Value read(const Variable& variable) {
  graph::Graph& graph = graph::current_graph();
  for (const auto& node : graph.nodes()) {
    if (node->op() == "variable" && node->attrs().get_variable("variable") == variable) {
      return node->output(0);
    }
  }
  return graph.add("variable", {}, {{"variable", variable}}, variable.name());
}

Value assign(const Variable& variable, const Value& value) {
  return value.graph().add("assign", {value}, {{"variable", variable}});
}

Value random_uniform(const Shape& shape, double minval, double maxval, DType dtype,
                     std::int64_t seed) {
  graph::Graph& graph = graph::current_graph();
  return graph.add("random_uniform", {},
                   {{"shape", shape},
                    {"dtype", dtype},
                    {"minval", minval},
                    {"maxval", maxval},
                    {"seed", resolve_seed(graph, seed)}});
}

Value random_normal(const Shape& shape, double mean, double stddev, DType dtype,
                    std::int64_t seed) {
  graph::Graph& graph = graph::current_graph();
  return graph.add("random_normal", {},
                   {{"shape", shape},
                    {"dtype", dtype},
                    {"mean", mean},
                    {"stddev", stddev},
                    {"seed", resolve_seed(graph, seed)}});
}

Value random_uniform_like(const Value& x, double minval, double maxval, std::int64_t seed) {
  graph::Graph& graph = x.graph();
  return graph.add("random_uniform_like", {x},
                   {{"minval", minval}, {"maxval", maxval}, {"seed", resolve_seed(graph, seed)}});
}

Value random_normal_like(const Value& x, double mean, double stddev, std::int64_t seed) {
  graph::Graph& graph = x.graph();
  return graph.add("random_normal_like", {x},
                   {{"mean", mean}, {"stddev", stddev}, {"seed", resolve_seed(graph, seed)}});
}

}  // namespace keras::ops
