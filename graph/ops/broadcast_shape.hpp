#pragma once
// NumPy's broadcasting rule for inferred shapes, shared by every op whose
// operands broadcast (binary ops, where, broadcast_like).
#include <optional>

#include "keras/graph/op_def.hpp"

namespace keras::graph {

// The shape `a` and `b` broadcast to, aligned on the right. Along each axis
// the sizes must match or one of them must be 1; an unknown size against a
// known size n != 1 is taken to be n (otherwise the run would fail), and an
// unknown size against 1 or unknown stays unknown. Fails through `context`
// naming both shapes and the offending axis.
Shape broadcast_shapes(const Shape& a, const Shape& b, const InferContext& context);
// The same rule without failing: nullopt when some axis conflicts, whose
// index (negative, from the end) goes to *conflict when given.
std::optional<Shape> try_broadcast_shapes(const Shape& a, const Shape& b,
                                          std::int64_t* conflict = nullptr);

}  // namespace keras::graph
