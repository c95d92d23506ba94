// Elementwise unary math: negative, abs, square and sign on any numeric
// dtype; exp, log, log1p, sqrt and rsqrt on floating values only. Values out
// of a function's domain (log of a negative number) give NaN, as in NumPy.
#include <fmt/format.h>

#include "keras/graph/ops.hpp"
#include "op_families.hpp"

namespace keras::graph {

namespace {

std::vector<TensorType> infer_numeric_unary(const InferContext& context) {
  const DType dtype = context.input(0).dtype;
  if (!is_floating(dtype) && !is_integer(dtype)) {
    context.fail(fmt::format("expected a float32, float64, int32 or int64 input, got {}",
                             dtype_name(dtype)));
  }
  return {context.input(0)};
}

std::vector<TensorType> infer_floating_unary(const InferContext& context) {
  context.require_floating(0);
  return {context.input(0)};
}

OpDef unary_def(const char* name, InferFn infer) {
  return OpDef{.name = name, .min_inputs = 1, .max_inputs = 1, .attrs = {}, .infer = infer};
}

}  // namespace

void register_unary_math_ops(OpRegistry& registry) {
  for (const char* name : {"negative", "abs", "square", "sign"}) {
    registry.add(unary_def(name, infer_numeric_unary));
  }
  for (const char* name : {"exp", "log", "log1p", "sqrt", "rsqrt"}) {
    registry.add(unary_def(name, infer_floating_unary));
  }
}

}  // namespace keras::graph

namespace keras::ops {

namespace {
Value unary(const char* op, const Value& x) {
  return x.graph().add(op, {x});
}
}  // namespace

Value negative(const Value& x) {
  return unary("negative", x);
}
Value abs(const Value& x) {
  return unary("abs", x);
}
Value exp(const Value& x) {
  return unary("exp", x);
}
Value log(const Value& x) {
  return unary("log", x);
}
Value log1p(const Value& x) {
  return unary("log1p", x);
}
Value sqrt(const Value& x) {
  return unary("sqrt", x);
}
Value square(const Value& x) {
  return unary("square", x);
}
Value rsqrt(const Value& x) {
  return unary("rsqrt", x);
}
Value sign(const Value& x) {
  return unary("sign", x);
}

}  // namespace keras::ops
