#pragma once
// A compiled oneDNN plan: steps (oneDNN primitives, or reference kernels for
// what oneDNN lacks) over buffers planned by liveness. Everything is created
// at compile time; a run binds the feeds, executes the steps and copies the
// fetches out.
#include <memory>
#include <optional>
#include <unordered_map>

#include "../reference/kernel.hpp"
#include "compiler.hpp"
#include "keras/backend/backend.hpp"

namespace keras::backend::onednn {

class OnednnPlan : public Plan, private Compiler {
 public:
  OnednnPlan(std::shared_ptr<const graph::Graph> graph, std::vector<graph::Value> feeds,
             std::vector<graph::Value> fetches,
             std::vector<std::pair<Variable, graph::Value>> updates);

  std::vector<Tensor> run(const std::vector<Tensor>& feeds, const RunOptions& options) override;
  std::string to_string() const override;

 private:
  struct Exec {
    enum class Kind { primitive, reference, kernel, note } kind = Kind::primitive;
    dnnl::primitive primitive;
    std::unordered_map<int, dnnl::memory> args;  // keeps the memories alive
    // The same arguments as the C API takes them: executing through it
    // avoids the C++ API's per-call conversion (and allocation).
    std::vector<dnnl_exec_arg_t> c_args;
    reference::Kernel kernel = nullptr;
    std::function<void()> own_kernel;
    std::unique_ptr<reference::KernelContext> context;
    std::string text;
  };

  // Compile phases: decide the steps and fusions (fusion.cpp), plan the
  // buffers (buffers.cpp), then create the primitives.
  void plan_steps();
  void plan_buffers();
  void instantiate();
  void instantiate_reference(const Step& step, const std::string& reason);
  int choose_threads() const;
  std::vector<graph::Value> step_inputs(const Step& step) const;
  int slot(const graph::Value& value) const;
  std::string outputs_text(const Step& step) const;

  // Compiler
  const dnnl::engine& engine() const override { return engine_; }
  dnnl::memory memory(const graph::Value& value) override;
  dnnl::memory memory(const graph::Value& value, const dnnl::memory::desc& desc) override;
  dnnl::memory constant(Tensor value, const dnnl::memory::desc& desc) override;
  dnnl::memory scratch(const dnnl::memory::desc& desc) override;
  void emit(const dnnl::primitive& primitive, std::unordered_map<int, dnnl::memory> args,
            std::string text) override;
  void note(std::string text) override;
  void emit_kernel(std::function<void()> kernel, std::string text) override;

  std::shared_ptr<const graph::Graph> graph_;
  std::vector<graph::Value> feeds_;
  std::vector<graph::Value> fetches_;
  std::vector<std::pair<Variable, graph::Value>> updates_;
  // Updates whose step could not write the variable in place: copied after a
  // run, from the value's slot or, when that is another updated variable's
  // storage (a swap), from a snapshot taken before any update.
  struct CopiedUpdate {
    Variable variable;
    int slot;
    std::optional<Tensor> snapshot;
  };
  std::vector<CopiedUpdate> copied_updates_;
  dnnl::engine engine_;
  dnnl::stream stream_;
  std::vector<Step> steps_;
  std::unordered_map<std::uint64_t, int> updates_per_variable_;  // by variable id
  struct Scaling {
    const graph::Node* node;
    graph::Value operand;
    float scale;
  };
  std::unordered_map<const graph::Node*, Scaling> scalings_;  // by the add/subtract
  std::unordered_map<graph::Value, int, graph::ValueHash> slot_of_;
  std::vector<Tensor> slots_;
  std::vector<std::string> slot_notes_;
  // Slots in the plan's own buffers (not a feed, a variable or a constant):
  // their fetches can be lent out until the next run.
  std::vector<bool> lendable_;
  std::vector<int> feed_slots_;
  std::vector<std::pair<dnnl::memory, int>> feed_memories_;  // rebound to each run's feeds
  std::vector<Exec> execs_;
  std::vector<Tensor> owned_;  // made by lowerings: constants (a ones vector), scratch
  std::size_t buffer_bytes_ = 0;
  std::size_t scratch_bytes_ = 0;
  // Plans over tiny tensors run on one thread: waking a second one for each
  // primitive costs more than it saves.
  int threads_ = 1;
};

}  // namespace keras::backend::onednn
