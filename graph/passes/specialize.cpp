#include "keras/graph/op_def.hpp"
#include "keras/graph/passes.hpp"
#include "rebuild.hpp"

namespace keras::graph {

Program specialize(const std::vector<Value>& feeds, const std::vector<TensorType>& feed_types,
                   const std::vector<Value>& fetches,
                   const std::vector<std::pair<Value, Tensor>>& bindings) {
  KERAS_INTERNAL_CHECK(feeds.size() == feed_types.size(), "{} feeds, {} types", feeds.size(),
                       feed_types.size());
  auto out = Graph::create();
  ValueMap seed;
  for (std::size_t i = 0; i < feeds.size(); ++i) {
    if (seed.count(feeds[i])) {
      throw Error(
          fmt::format("the value {} is given twice among the inputs", feeds[i].to_string()));
    }
    seed[feeds[i]] = out->add("placeholder", {},
                              {{"shape", feed_types[i].shape}, {"dtype", feed_types[i].dtype}},
                              feeds[i].node()->name());
  }
  for (const auto& [value, tensor] : bindings) {
    seed[value] = out->add("constant", {}, {{"value", tensor}}, value.node()->name());
  }
  return rebuild(feeds, fetches, out, std::move(seed),
                 [&](const Node& node, const std::vector<Value>&,
                     Graph&) -> std::optional<std::vector<Value>> {
                   if (node.op() == "placeholder") {
                     throw Error(fmt::format(
                         "the outputs need the placeholder '{}' {}, which is not among the "
                         "inputs: add it to the inputs of the function",
                         node.name(), node.output_type(0).to_string()));
                   }
                   return std::nullopt;
                 });
}

}  // namespace keras::graph
