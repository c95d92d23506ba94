#include "keras/graph/passes.hpp"
#include "rebuild.hpp"

namespace keras::graph {

Program eliminate_dead_code(const Program& program) {
  // rebuild copies only what the fetches need: a plain copy is the pass.
  return rebuild(program,
                 [](const Node&, const std::vector<Value>&,
                    Graph&) -> std::optional<std::vector<Value>> { return std::nullopt; });
}

}  // namespace keras::graph
