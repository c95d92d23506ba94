#include "rank_alignment.hpp"

#include "keras/graph/ops.hpp"

namespace keras::losses {

std::pair<graph::Value, graph::Value> squeeze_or_expand_to_same_rank(const graph::Value& x1,
                                                                     const graph::Value& x2) {
  graph::Value a = x1;
  graph::Value b = x2;
  const std::int64_t rank_a = a.shape().rank();
  const std::int64_t rank_b = b.shape().rank();
  if (rank_a == rank_b + 1 && a.shape().dim(-1) == 1) {
    if (rank_b == 1) {
      b = ops::expand_dims(b, -1);
    } else {
      a = ops::squeeze(a, {-1});
    }
  } else if (rank_b == rank_a + 1 && b.shape().dim(-1) == 1) {
    if (rank_a == 1) {
      a = ops::expand_dims(a, -1);
    } else {
      b = ops::squeeze(b, {-1});
    }
  }
  return {a, b};
}

graph::Value aligned_weights(const graph::Value& values, const graph::Value& sample_weight) {
  graph::Value w = sample_weight.dtype() == values.dtype()
                       ? sample_weight
                       : ops::cast(sample_weight, values.dtype());
  w = squeeze_or_expand_to_same_rank(values, w).second;
  if (w.shape().rank() > values.shape().rank()) {
    throw Error(fmt::format("sample_weight of shape {} has more axes than the losses {}",
                            sample_weight.shape().to_string(), values.shape().to_string()));
  }
  while (w.shape().rank() < values.shape().rank()) w = ops::expand_dims(w, -1);
  return w;
}

}  // namespace keras::losses
