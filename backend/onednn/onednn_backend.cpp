#include "keras/backend/backend.hpp"
#include "plan.hpp"

namespace keras::backend {

namespace {

class OnednnBackend : public Backend {
 public:
  std::string name() const override { return "onednn"; }
  std::unique_ptr<Plan> compile(
      std::shared_ptr<const graph::Graph> graph, const std::vector<graph::Value>& feeds,
      const std::vector<graph::Value>& fetches,
      const std::vector<std::pair<Variable, graph::Value>>& updates) override {
    num_threads();  // applies KERAS_NUM_THREADS before the first primitive
    return std::make_unique<onednn::OnednnPlan>(std::move(graph), feeds, fetches, updates);
  }
};

}  // namespace

Backend& onednn_backend() {
  static OnednnBackend backend;
  return backend;
}

}  // namespace keras::backend
