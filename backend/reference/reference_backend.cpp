// The reference backend runs a specialized graph node by node with the
// reference kernels, allocating every intermediate afresh. Simple on purpose:
// it is the oracle the oneDNN backend is tested against.
#include <unordered_map>

#include "keras/backend/backend.hpp"
#include "kernel.hpp"

namespace keras::backend {

namespace {

class ReferencePlan : public Plan {
 public:
  ReferencePlan(std::shared_ptr<const graph::Graph> graph, std::vector<graph::Value> feeds,
                std::vector<graph::Value> fetches,
                std::vector<std::pair<Variable, graph::Value>> updates)
      : graph_(std::move(graph)),
        feeds_(std::move(feeds)),
        fetches_(std::move(fetches)),
        updates_(std::move(updates)) {
    for (const auto& node : graph_->nodes()) {
      if (node->op() == "placeholder") continue;
      if (reference::find_kernel(node->op()) == nullptr) {
        throw Error(fmt::format("the reference backend has no kernel for op '{}' (node '{}')",
                                node->op(), node->name()));
      }
    }
  }

  std::vector<Tensor> run(const std::vector<Tensor>& feeds, const RunOptions& options) override {
    std::unordered_map<graph::Value, Tensor, graph::ValueHash> values;
    for (std::size_t i = 0; i < feeds_.size(); ++i) values[feeds_[i]] = feeds[i];
    for (const auto& owned : graph_->nodes()) {
      graph::Node& node = *owned;
      if (values.count(node.output(0))) continue;  // a feed
      KERAS_INTERNAL_CHECK(node.op() != "placeholder", "placeholder '{}' not fed", node.name());
      std::vector<Tensor> inputs;
      for (const graph::Value& v : node.inputs()) inputs.push_back(values.at(v));
      std::vector<Tensor> outputs = reference::run_node(node, inputs, options.step);
      for (int i = 0; i < node.num_outputs(); ++i) {
        values[node.output(i)] = outputs[static_cast<std::size_t>(i)];
      }
    }
    std::vector<Tensor> results;
    for (const graph::Value& v : fetches_) results.push_back(values.at(v));
    // Updates apply after every value is computed, as Keras' do.
    for (auto& [variable, value] : updates_) variable.assign(values.at(value));
    return results;
  }

  std::string to_string() const override {
    std::string out = "reference plan\n";
    for (const auto& node : graph_->nodes()) {
      out += fmt::format("  reference {} '{}'", node->op(), node->name());
      for (int i = 0; i < node->num_outputs(); ++i) {
        out += " -> " + node->output_type(i).to_string();
      }
      out += "\n";
    }
    return out;
  }

 private:
  std::shared_ptr<const graph::Graph> graph_;
  std::vector<graph::Value> feeds_;
  std::vector<graph::Value> fetches_;
  std::vector<std::pair<Variable, graph::Value>> updates_;
};

class ReferenceBackend : public Backend {
 public:
  std::string name() const override { return "reference"; }
  std::unique_ptr<Plan> compile(
      std::shared_ptr<const graph::Graph> graph, const std::vector<graph::Value>& feeds,
      const std::vector<graph::Value>& fetches,
      const std::vector<std::pair<Variable, graph::Value>>& updates) override {
    return std::make_unique<ReferencePlan>(std::move(graph), feeds, fetches, updates);
  }
};

}  // namespace

Backend& reference_backend() {
  static ReferenceBackend backend;
  return backend;
}

Backend& default_backend() {
  return onednn_backend();
}

}  // namespace keras::backend
