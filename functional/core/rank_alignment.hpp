#pragma once
// How Keras lines up labels, predictions and sample weights whose ranks
// differ by one (keras/src/losses/loss.py squeeze_or_expand_to_same_rank):
// a trailing axis of size 1 is squeezed, or a rank-1 tensor expanded.
#include <utility>

#include "keras/graph/graph.hpp"

namespace keras::losses {

std::pair<graph::Value, graph::Value> squeeze_or_expand_to_same_rank(const graph::Value& x1,
                                                                     const graph::Value& x2);

// `sample_weight` in `values`' dtype, aligned as Keras does and then given
// trailing axes of size 1 until it broadcasts against `values` per sample.
graph::Value aligned_weights(const graph::Value& values, const graph::Value& sample_weight);

}  // namespace keras::losses
