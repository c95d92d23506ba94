// The plan: compile (steps, buffers, primitives), run, print. A run binds the
// feeds, executes the primitives through oneDNN's C API and the reference
// kernels in place, applies the updates and copies the fetches out into fresh
// tensors: those are the only allocations of a run.
#include "plan.hpp"

#include <omp.h>

#include <algorithm>
#include <cstring>
#include <map>

#include "lowering.hpp"
#include "small_steps.hpp"

namespace keras::backend::onednn {

void count_primitive_creation();

namespace {

using graph::Node;
using graph::Value;

const dnnl::engine& cpu_engine() {
  static const dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

// Sets OpenMP's thread count (which oneDNN follows) for a scope.
class ThreadCount {
 public:
  explicit ThreadCount(int threads) : restore_(num_threads()), changed_(threads != restore_) {
    if (changed_) omp_set_num_threads(threads);
  }
  ~ThreadCount() {
    if (changed_) omp_set_num_threads(restore_);
  }
  ThreadCount(const ThreadCount&) = delete;
  ThreadCount& operator=(const ThreadCount&) = delete;

 private:
  int restore_;
  bool changed_;
};

std::string types_text(const Node& node) {
  std::string out;
  for (const Value& v : node.inputs()) out += (out.empty() ? "" : ", ") + v.type().to_string();
  return out;
}

std::string arg_name(int arg) {
  static const std::map<int, std::string> names = {{DNNL_ARG_SRC, "src"},
                                                   {DNNL_ARG_SRC_1, "src1"},
                                                   {DNNL_ARG_WEIGHTS, "wei"},
                                                   {DNNL_ARG_BIAS, "bias"},
                                                   {DNNL_ARG_DST, "dst"},
                                                   {DNNL_ARG_DIFF_DST, "diff_dst"},
                                                   {DNNL_ARG_DIFF_SRC, "diff_src"},
                                                   {DNNL_ARG_MEAN, "mean"},
                                                   {DNNL_ARG_VARIANCE, "var"},
                                                   {DNNL_ARG_SCALE, "scale"},
                                                   {DNNL_ARG_SHIFT, "shift"},
                                                   {DNNL_ARG_DIFF_SCALE, "diff_scale"},
                                                   {DNNL_ARG_DIFF_SHIFT, "diff_shift"},
                                                   {DNNL_ARG_ATTR_OUTPUT_SCALES, "out_scale"}};
  if (auto it = names.find(arg); it != names.end()) return it->second;
  if (arg >= DNNL_ARG_MULTIPLE_SRC) return fmt::format("src{}", arg - DNNL_ARG_MULTIPLE_SRC);
  return std::to_string(arg);
}

// "[src:ab wei:ba dst:ab]": the layout of each argument of a primitive.
std::string layouts_text(const std::unordered_map<int, dnnl::memory>& args) {
  std::map<int, std::string> ordered;
  for (const auto& [arg, memory] : args) ordered[arg] = layout_text(memory.get_desc());
  std::string out;
  for (const auto& [arg, layout] : ordered) {
    out += fmt::format("{}{}:{}", out.empty() ? "[" : " ", arg_name(arg), layout);
  }
  out += "]";
  return out;
}

// "jit:avx512_core", "ref:any": which of oneDNN's implementations runs.
std::string implementation_text(const dnnl::primitive& primitive) {
  const char* info = nullptr;
  dnnl_primitive_desc_query(primitive.get_primitive_desc(), dnnl_query_impl_info_str, 0, &info);
  return info != nullptr ? info : "?";
}

// Why a step runs on the reference kernel.
std::string fallback_reason(const Node& node, bool has_lowering, bool small) {
  if (!has_lowering) return std::string(reference_reason(node.op()));
  bool f64 = node.output_type(0).dtype == DType::float64;
  for (const Value& v : node.inputs()) f64 = f64 || v.dtype() == DType::float64;
  if (f64) return "float64: oneDNN has no f64";
  return small ? "small: a loop costs less than a primitive's call"
               : "no oneDNN form for these types or shapes";
}

}  // namespace

OnednnPlan::OnednnPlan(std::shared_ptr<const graph::Graph> graph, std::vector<Value> feeds,
                       std::vector<Value> fetches, std::vector<std::pair<Variable, Value>> updates)
    : graph_(std::move(graph)),
      feeds_(std::move(feeds)),
      fetches_(std::move(fetches)),
      updates_(std::move(updates)),
      engine_(cpu_engine()),
      stream_(engine_) {
  plan_steps();
  plan_buffers();
  threads_ = choose_threads();
  ThreadCount threads(threads_);
  instantiate();
}

int OnednnPlan::choose_threads() const {
  for (const Tensor& t : slots_) {
    if (t.nbytes() > kSmallTensorBytes) return num_threads();
  }
  return 1;
}

// --- Compiler ------------------------------------------------------------------

dnnl::memory OnednnPlan::memory(const Value& value) {
  return memory(value, plain_desc(value.shape()));
}

dnnl::memory OnednnPlan::memory(const Value& value, const dnnl::memory::desc& desc) {
  const int s = slot(value);
  dnnl::memory m(desc, engine_, slots_[static_cast<std::size_t>(s)].raw_data());
  for (std::size_t f = 0; f < feed_slots_.size(); ++f) {
    if (feed_slots_[f] == s) feed_memories_.emplace_back(m, static_cast<int>(f));
  }
  return m;
}

dnnl::memory OnednnPlan::constant(Tensor value, const dnnl::memory::desc& desc) {
  owned_.push_back(std::move(value));
  return dnnl::memory(desc, engine_, owned_.back().raw_data());
}

dnnl::memory OnednnPlan::scratch(const dnnl::memory::desc& desc) {
  const std::size_t bytes = std::max<std::size_t>(1, desc.get_size());
  scratch_bytes_ += bytes;
  return constant(Tensor(DType::bool_, Shape{static_cast<std::int64_t>(bytes)}), desc);
}

void OnednnPlan::emit(const dnnl::primitive& primitive, std::unordered_map<int, dnnl::memory> args,
                      std::string text) {
  count_primitive_creation();
  Exec exec;
  exec.primitive = primitive;
  exec.text = fmt::format("{} {} {}", text, layouts_text(args), implementation_text(primitive));
  exec.args = std::move(args);
  for (auto& [arg, memory] : exec.args) exec.c_args.push_back({arg, memory.get()});
  execs_.push_back(std::move(exec));
}

void OnednnPlan::emit_kernel(std::function<void()> kernel, std::string text) {
  Exec exec;
  exec.kind = Exec::Kind::kernel;
  exec.own_kernel = std::move(kernel);
  exec.text = std::move(text);
  execs_.push_back(std::move(exec));
}

void OnednnPlan::note(std::string text) {
  Exec exec;
  exec.kind = Exec::Kind::note;
  exec.text = std::move(text);
  execs_.push_back(std::move(exec));
}

// --- compiling -----------------------------------------------------------------

void OnednnPlan::instantiate_reference(const Step& step, const std::string& reason) {
  const Node& node = *step.node;
  Exec exec;
  exec.kind = Exec::Kind::reference;
  exec.kernel = reference::find_kernel(node.op());
  if (exec.kernel == nullptr) {
    throw Error(fmt::format("no kernel for op '{}' (node '{}')", node.op(), node.name()));
  }
  exec.context =
      std::make_unique<reference::KernelContext>(reference::KernelContext{node, {}, {}, 0});
  for (const Value& v : node.inputs()) {
    exec.context->inputs.push_back(&slots_[static_cast<std::size_t>(slot(v))]);
  }
  for (int i = 0; i < node.num_outputs(); ++i) {
    exec.context->outputs.push_back(&slots_[static_cast<std::size_t>(slot(output_of(node, i)))]);
  }
  exec.text =
      fmt::format("reference {} '{}' ({}) ({})", node.op(), node.name(), types_text(node), reason);
  execs_.push_back(std::move(exec));
}

std::string OnednnPlan::outputs_text(const Step& step) const {
  std::string out;
  for (const Value& v : step_outputs(step)) {
    auto it = slot_of_.find(v);
    if (it == slot_of_.end() || it->second < 0) continue;
    out += (out.empty() ? " => " : ", ") + slot_notes_[static_cast<std::size_t>(it->second)];
  }
  return out;
}

void OnednnPlan::instantiate() {
  for (const Step& step : steps_) {
    const Node& node = step.matmul != nullptr ? *step.matmul : *step.node;
    const Lowering lowering = find_lowering(node.op());
    const std::size_t first_exec = execs_.size();
    bool lowered = false;
    if (lowering != nullptr && (step.view || !step.small)) {
      try {
        lowered = lowering(step, *this);
      } catch (const dnnl::error& e) {
        throw Error(fmt::format("oneDNN rejected op '{}' (node '{}') on {}: {} (status {})",
                                node.op(), node.name(), types_text(node), e.what(),
                                static_cast<int>(e.status)));
      }
    }
    if (!lowered) {
      KERAS_INTERNAL_CHECK(step.matmul == nullptr && step.scaling == nullptr &&
                               step.column_sum == nullptr && !step.view,
                           "fused or aliased step '{}' fell back", node.name());
      KERAS_INTERNAL_CHECK(execs_.size() == first_exec, "lowering of '{}' emitted and failed",
                           node.name());
      instantiate_reference(step, fallback_reason(node, lowering != nullptr, step.small));
    }
    execs_.back().text += outputs_text(step);
  }
}

// --- running -------------------------------------------------------------------

std::vector<Tensor> OnednnPlan::run(const std::vector<Tensor>& feeds, const RunOptions& options) {
  KERAS_INTERNAL_CHECK(feeds.size() == feeds_.size(), "{} feeds for {}", feeds.size(),
                       feeds_.size());
  ThreadCount threads(threads_);
  for (std::size_t f = 0; f < feeds.size(); ++f) {
    slots_[static_cast<std::size_t>(feed_slots_[f])] = feeds[f];
  }
  for (auto& [memory, f] : feed_memories_) {
    memory.set_data_handle(const_cast<void*>(feeds[static_cast<std::size_t>(f)].raw_data()));
  }
  for (Exec& exec : execs_) {
    if (exec.kind == Exec::Kind::reference) {
      exec.context->step = options.step;
      exec.kernel(*exec.context);
    } else if (exec.kind == Exec::Kind::kernel) {
      exec.own_kernel();
    } else if (exec.kind == Exec::Kind::primitive) {
      const dnnl_status_t status =
          dnnl_primitive_execute(exec.primitive.get(), stream_.get(),
                                 static_cast<int>(exec.c_args.size()), exec.c_args.data());
      if (status != dnnl_success) {
        throw Error(fmt::format("oneDNN failed to run step '{}' (status {})", exec.text,
                                static_cast<int>(status)));
      }
      // The CPU stream is in order; waiting keeps the next reference kernel
      // from reading a result that is not written yet.
      stream_.wait();
    }
  }
  // Fetches first: a fetched variable read is the value before the update.
  std::vector<Tensor> results;
  results.reserve(fetches_.size());
  for (const Value& v : fetches_) {
    const auto s = static_cast<std::size_t>(slot(v));
    results.push_back(options.borrow_fetches && lendable_[s] ? slots_[s] : slots_[s].clone());
  }
  for (CopiedUpdate& update : copied_updates_) {
    const Tensor& value = slots_[static_cast<std::size_t>(update.slot)];
    if (update.snapshot) std::memcpy(update.snapshot->raw_data(), value.raw_data(), value.nbytes());
  }
  for (CopiedUpdate& update : copied_updates_) {
    update.variable.assign(update.snapshot ? *update.snapshot
                                           : slots_[static_cast<std::size_t>(update.slot)]);
  }
  return results;
}

std::string OnednnPlan::to_string() const {
  std::size_t primitives = 0;
  for (const Exec& exec : execs_) primitives += exec.kind == Exec::Kind::primitive ? 1 : 0;
  std::string out = fmt::format(
      "oneDNN plan: {} steps ({} primitives), {} bytes of buffers, {} of scratch, {} thread{}\n",
      execs_.size(), primitives, buffer_bytes_, scratch_bytes_, threads_, threads_ == 1 ? "" : "s");
  for (const Exec& exec : execs_) out += "  " + exec.text + "\n";
  out += "  buffers:\n";
  for (const auto& owned : graph_->nodes()) {
    for (int i = 0; i < owned->num_outputs(); ++i) {
      auto it = slot_of_.find(output_of(*owned, i));
      if (it == slot_of_.end() || it->second < 0) continue;
      out +=
          fmt::format("    {}:{} {} -> {}\n", owned->name(), i, owned->output_type(i).to_string(),
                      slot_notes_[static_cast<std::size_t>(it->second)]);
    }
  }
  return out;
}

}  // namespace keras::backend::onednn
