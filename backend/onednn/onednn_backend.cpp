#include "keras/backend/backend.hpp"
#include "plan.hpp"

namespace keras::backend {

namespace {

// oneDNN 2.6 divides by zero-sized dimensions while creating descriptors
// (a matmul over an empty batch raises SIGFPE), so a graph holding an empty
// tensor runs on the reference kernels, which handle them.
bool has_empty_tensor(const graph::Graph& graph) {
  for (const auto& node : graph.nodes()) {
    for (int i = 0; i < node->num_outputs(); ++i) {
      if (node->output_type(i).shape.num_elements() == 0) return true;
    }
  }
  return false;
}

class OnednnBackend : public Backend {
 public:
  std::string name() const override { return "onednn"; }
  std::unique_ptr<Plan> compile(
      std::shared_ptr<const graph::Graph> graph, const std::vector<graph::Value>& feeds,
      const std::vector<graph::Value>& fetches,
      const std::vector<std::pair<Variable, graph::Value>>& updates) override {
    if (has_empty_tensor(*graph)) {
      return reference_backend().compile(std::move(graph), feeds, fetches, updates);
    }
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
