// Elementwise binary ops with NumPy broadcasting: arithmetic (add, subtract,
// multiply, divide, maximum, minimum, power) and comparisons (equal, ...,
// less_equal), whose result is bool. Both operands have one dtype; the
// emitters insert a cast to the promoted dtype for mixed operands.
#include <fmt/format.h>

#include "broadcast_shape.hpp"
#include "keras/graph/ops.hpp"
#include "op_families.hpp"

namespace keras::graph {

namespace {

void require_numeric(const InferContext& context) {
  const DType dtype = context.input(0).dtype;
  if (!is_floating(dtype) && !is_integer(dtype)) {
    context.fail(fmt::format("expected float32, float64, int32 or int64 operands, got {}",
                             dtype_name(dtype)));
  }
}

Shape broadcast_inputs(const InferContext& context) {
  return broadcast_shapes(context.input(0).shape, context.input(1).shape, context);
}

std::vector<TensorType> infer_arithmetic(const InferContext& context) {
  context.require_same_dtype();
  require_numeric(context);
  return {{context.input(0).dtype, broadcast_inputs(context)}};
}

// divide is true division and power has no integer form here, as their
// results are not integers in general.
std::vector<TensorType> infer_floating_arithmetic(const InferContext& context) {
  context.require_same_dtype();
  context.require_floating(0);
  return {{context.input(0).dtype, broadcast_inputs(context)}};
}

std::vector<TensorType> infer_comparison(const InferContext& context) {
  context.require_same_dtype();
  return {{DType::bool_, broadcast_inputs(context)}};
}

OpDef binary_def(const char* name, InferFn infer) {
  return OpDef{.name = name, .min_inputs = 2, .max_inputs = 2, .attrs = {}, .infer = infer};
}

}  // namespace

void register_binary_ops(OpRegistry& registry) {
  for (const char* name : {"add", "subtract", "multiply", "maximum", "minimum"}) {
    registry.add(binary_def(name, infer_arithmetic));
  }
  for (const char* name : {"divide", "power"}) {
    registry.add(binary_def(name, infer_floating_arithmetic));
  }
  for (const char* name :
       {"equal", "not_equal", "greater", "greater_equal", "less", "less_equal"}) {
    registry.add(binary_def(name, infer_comparison));
  }
}

}  // namespace keras::graph

namespace keras::ops {

namespace {

Value cast_to(const Value& x, DType dtype) {
  return x.dtype() == dtype ? x : cast(x, dtype);
}

Value emit(const char* op, const Value& a, const Value& b, DType dtype) {
  return a.graph().add(op, {cast_to(a, dtype), cast_to(b, dtype)});
}

Value binary(const char* op, const Value& a, const Value& b) {
  return emit(op, a, b, promote_types(a.dtype(), b.dtype()));
}

}  // namespace

Value add(const Value& a, const Value& b) {
  return binary("add", a, b);
}
Value subtract(const Value& a, const Value& b) {
  return binary("subtract", a, b);
}
Value multiply(const Value& a, const Value& b) {
  return binary("multiply", a, b);
}
Value maximum(const Value& a, const Value& b) {
  return binary("maximum", a, b);
}
Value minimum(const Value& a, const Value& b) {
  return binary("minimum", a, b);
}
Value power(const Value& a, const Value& b) {
  return binary("power", a, b);
}

// Keras 3's divide is true division: integer and bool operands give floatx
// (float32), as in keras/src/ops/numpy.py (divide).
Value divide(const Value& a, const Value& b) {
  const DType promoted = promote_types(a.dtype(), b.dtype());
  return emit("divide", a, b, is_floating(promoted) ? promoted : DType::float32);
}

Value equal(const Value& a, const Value& b) {
  return binary("equal", a, b);
}
Value not_equal(const Value& a, const Value& b) {
  return binary("not_equal", a, b);
}
Value greater(const Value& a, const Value& b) {
  return binary("greater", a, b);
}
Value greater_equal(const Value& a, const Value& b) {
  return binary("greater_equal", a, b);
}
Value less(const Value& a, const Value& b) {
  return binary("less", a, b);
}
Value less_equal(const Value& a, const Value& b) {
  return binary("less_equal", a, b);
}

}  // namespace keras::ops

namespace keras::graph {

// The scalar takes the Value's dtype, as a Python number does in Keras.
Value operator+(const Value& a, double b) {
  return ops::add(a, ops::scalar_like(a, b));
}
Value operator-(const Value& a, double b) {
  return ops::subtract(a, ops::scalar_like(a, b));
}
Value operator*(const Value& a, double b) {
  return ops::multiply(a, ops::scalar_like(a, b));
}
Value operator/(const Value& a, double b) {
  return ops::divide(a, ops::scalar_like(a, b));
}
Value operator*(double a, const Value& b) {
  return ops::multiply(ops::scalar_like(b, a), b);
}
Value operator-(double a, const Value& b) {
  return ops::subtract(ops::scalar_like(b, a), b);
}

}  // namespace keras::graph
