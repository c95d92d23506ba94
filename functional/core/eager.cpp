#include "eager.hpp"

#include "keras/backend/function.hpp"
#include "keras/graph/ops.hpp"

namespace keras::eager {

std::vector<Tensor> run(const std::vector<Tensor>& inputs, const Builder& build) {
  auto g = graph::Graph::create();
  graph::GraphScope scope(g);
  std::vector<graph::Value> feeds;
  for (const Tensor& t : inputs) feeds.push_back(ops::placeholder(t.shape(), t.dtype()));
  std::vector<graph::Value> outputs = build(feeds);
  backend::Function function(feeds, outputs);
  return function(inputs);
}

}  // namespace keras::eager
