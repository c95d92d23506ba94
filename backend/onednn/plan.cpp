#include "plan.hpp"

#include <omp.h>

#include <algorithm>
#include <map>
#include <unordered_set>

#include "keras/graph/op_def.hpp"
#include "lowering.hpp"

namespace keras::backend::onednn {

void count_primitive_creation();

namespace {

using graph::Node;
using graph::Value;

const dnnl::engine& cpu_engine() {
  static const dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

bool is_source(const Node& node) {
  return node.op() == "placeholder" || node.op() == "constant" || node.op() == "variable";
}

// Sets OpenMP's thread count (which oneDNN follows) for a scope.
class ThreadCount {
 public:
  explicit ThreadCount(int threads) : restore_(num_threads()) {
    if (threads != restore_) omp_set_num_threads(threads);
    changed_ = threads != restore_;
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

Value output_of(const Node& node, int i = 0) {
  return Value(const_cast<Node*>(&node), i);
}

std::string types_text(const Node& node) {
  std::string out;
  for (const Value& v : node.inputs()) out += (out.empty() ? "" : ", ") + v.type().to_string();
  return out;
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
  constexpr std::size_t kSmallTensorBytes = 16 * 1024;
  for (const Tensor& t : slots_) {
    if (t.nbytes() > kSmallTensorBytes) return num_threads();
  }
  return 1;
}

// --- steps and fusion --------------------------------------------------------

void OnednnPlan::plan_steps() {
  std::unordered_map<Value, std::vector<const Node*>, graph::ValueHash> consumers;
  for (const auto& node : graph_->nodes()) {
    for (const Value& v : node->inputs()) consumers[v].push_back(node.get());
  }
  // Fetched values and update values must keep their own buffers.
  std::unordered_set<Value, graph::ValueHash> fetched(fetches_.begin(), fetches_.end());
  for (const auto& update : updates_) fetched.insert(update.second);
  std::unordered_set<const Node*> absorbed;
  // Scalings fold into the add or subtract that consumes them, which comes
  // later in node order: find them first.
  for (const auto& owned : graph_->nodes()) {
    const Node& node = *owned;
    if (node.op() != "multiply" || node.output_type(0).dtype != DType::float32) continue;
    const Value product = output_of(node);
    const auto& users = consumers[product];
    if (users.size() != 1 || fetched.count(product)) continue;
    const Node& user = *users[0];
    // One scaling per add: a + b * c fuses, (a * c) + (b * d) fuses one side.
    if ((user.op() != "add" && user.op() != "subtract") || scalings_.count(&user)) continue;
    const bool second_operand = user.input(1) == product && user.input(0) != product;
    const bool commutes =
        user.op() == "add" && user.input(0) == product && user.input(1) != product;
    if (!second_operand && !commutes) continue;
    for (int i = 0; i < 2; ++i) {
      const Value factor = node.input(i);
      const Value operand = node.input(1 - i);
      if (factor.node()->op() == "constant" && factor.shape().num_elements() == 1 &&
          operand.type() == user.output_type(0) &&
          user.input(commutes ? 1 : 0).type() == user.output_type(0)) {
        scalings_[&user] = {&node, operand,
                            static_cast<float>(factor.node()->attrs().get_tensor("value").item())};
        absorbed.insert(&node);
        break;
      }
    }
  }
  for (const auto& owned : graph_->nodes()) {
    const Node& node = *owned;
    if (absorbed.count(&node) || is_source(node)) continue;
    Step step;
    step.node = &node;
    if (node.op() == "matmul" && node.output_type(0).dtype == DType::float32) {
      // matmul + bias, when the product feeds only an add of a vector over its last axis.
      const Value product = output_of(node);
      const auto& users = consumers[product];
      const Node* add = users.size() == 1 && !fetched.count(product) ? users[0] : nullptr;
      if (add != nullptr && add->op() == "add" && add->output_type(0) == node.output_type(0)) {
        const Value bias = add->input(0) == product ? add->input(1) : add->input(0);
        const std::int64_t units = node.output_type(0).shape.dim(-1);
        if (bias != product && bias.dtype() == DType::float32 &&
            bias.shape().num_elements() == units && bias.shape().rank() >= 1 &&
            bias.shape().dim(-1) == units) {
          step.matmul = &node;
          step.bias_add = add;
          step.bias = bias;
          step.node = add;
          absorbed.insert(add);
        }
      }
    }
    if (auto scaling = scalings_.find(&node); scaling != scalings_.end()) {
      step.scaling = scaling->second.node;
      step.scaled_operand = scaling->second.operand;
      step.scale = scaling->second.scale;
    }
    if (step.bias_add != nullptr) {
      // ... + activation, when the pre-activation is read by nothing else but
      // the activation's gradient, which oneDNN computes from its output.
      const Value pre = output_of(*step.bias_add);
      const Node* activation = nullptr;
      bool fusable = !fetched.count(pre);
      for (const Node* user : consumers[pre]) {
        if (user->op() == "activation_grad") continue;
        if (activation != nullptr) fusable = false;
        activation = user;
      }
      std::optional<EltwiseAlgorithm> algorithm =
          activation != nullptr ? eltwise_algorithm(activation->op(), activation->attrs())
                                : std::nullopt;
      if (fusable && algorithm && activation->input(0) == pre) {
        for (const Node* user : consumers[pre]) {
          const bool dst_gradient =
              user->op() != "activation_grad" ||
              (user->input(1) == output_of(*activation) && algorithm->backward_from_dst);
          fusable = fusable && dst_gradient;
        }
        if (fusable) {
          step.activation = activation;
          step.node = activation;
          absorbed.insert(activation);
        }
      }
    }
    steps_.push_back(step);
  }
}

std::vector<Value> OnednnPlan::step_inputs(const Step& step) const {
  std::vector<Value> inputs;
  if (step.matmul != nullptr) {
    inputs = step.matmul->inputs();
    inputs.push_back(step.bias);
  } else {
    inputs = step.node->inputs();
  }
  if (step.scaling != nullptr) inputs.push_back(step.scaled_operand);
  // A fused pre-activation has no buffer: gradients read the activation's output.
  std::erase_if(inputs, [&](const Value& v) { return !slot_of_.count(v); });
  return inputs;
}

// --- buffers -------------------------------------------------------------------

void OnednnPlan::plan_buffers() {
  auto new_slot = [&](const Value& value, Tensor tensor, std::string note) {
    slot_of_[value] = static_cast<int>(slots_.size());
    slots_.push_back(std::move(tensor));
    slot_notes_.push_back(std::move(note));
  };
  // Sources own their memory: feeds are rebound each run, constants and
  // variables are read in place.
  for (const auto& owned : graph_->nodes()) {
    const Node& node = *owned;
    if (node.op() == "constant") {
      new_slot(output_of(node), node.attrs().get_tensor("value"), "constant");
    } else if (node.op() == "variable") {
      new_slot(output_of(node), node.attrs().get_variable("variable").value(),
               "variable " + node.attrs().get_variable("variable").name());
    } else if (node.op() == "placeholder") {
      const graph::TensorType& type = node.output_type(0);
      new_slot(output_of(node), Tensor(type.dtype, type.shape), "feed");
    }
  }
  for (const Value& feed : feeds_) feed_slots_.push_back(slot_of_.at(feed));
  for (const Step& step : steps_) {
    for (int i = 0; i < step.node->num_outputs(); ++i) {
      slot_of_[output_of(*step.node, i)] = -1;  // planned below
    }
  }
  // Last step that reads each value; fetched values live to the end.
  std::unordered_map<Value, std::size_t, graph::ValueHash> last_use;
  for (std::size_t s = 0; s < steps_.size(); ++s) {
    for (const Value& v : step_inputs(steps_[s])) last_use[v] = s;
  }
  for (const Value& v : fetches_) last_use[v] = steps_.size();
  for (const auto& update : updates_) {
    if (!last_use.count(update.second)) last_use[update.second] = steps_.size();
  }
  // An update written straight into its variable saves a buffer and a copy.
  // Safe when nothing reads the variable after the update's step, and that
  // step reads it, if at all, elementwise at the same position.
  std::unordered_map<Value, Variable, graph::ValueHash> in_place;
  std::unordered_map<std::uint64_t, int> updates_per_variable;
  for (const auto& [variable, value] : updates_) ++updates_per_variable[variable.id()];
  std::unordered_map<std::uint64_t, Value> variable_value;
  for (const auto& owned : graph_->nodes()) {
    if (owned->op() == "variable") {
      variable_value.emplace(owned->attrs().get_variable("variable").id(), output_of(*owned));
    }
  }
  std::unordered_map<Value, std::size_t, graph::ValueHash> step_of;
  for (std::size_t s = 0; s < steps_.size(); ++s) {
    for (int i = 0; i < steps_[s].node->num_outputs(); ++i)
      step_of[output_of(*steps_[s].node, i)] = s;
  }
  for (const auto& [variable, value] : updates_) {
    auto produced = step_of.find(value);
    if (produced == step_of.end() || updates_per_variable[variable.id()] != 1) continue;
    if (value.type() != graph::TensorType{variable.dtype(), variable.shape()}) continue;
    const std::size_t s = produced->second;
    auto read = variable_value.find(variable.id());
    if (read != variable_value.end()) {
      const Value& current = read->second;
      if (last_use.count(current) && last_use[current] > s) continue;
      const Step& step = steps_[s];
      const std::vector<Value> inputs = step_inputs(step);
      const bool reads_variable = std::find(inputs.begin(), inputs.end(), current) != inputs.end();
      const std::string& op = step.node->op();
      const bool elementwise =
          step.matmul == nullptr && (op == "add" || op == "subtract" || op == "multiply" ||
                                     op == "divide" || op == "maximum" || op == "minimum");
      if (reads_variable && !elementwise) continue;
    }
    in_place.emplace(value, variable);
  }
  // Greedy best fit: a step's outputs take the smallest free buffer that
  // holds them, then the buffers of the values it read last are freed.
  std::vector<Tensor> buffers;
  std::multimap<std::size_t, int> free_buffers;  // bytes -> buffer
  std::unordered_map<Value, int, graph::ValueHash> buffer_of;
  for (std::size_t s = 0; s < steps_.size(); ++s) {
    const Node& node = *steps_[s].node;
    for (int i = 0; i < node.num_outputs(); ++i) {
      const Value out = output_of(node, i);
      const graph::TensorType& type = node.output_type(i);
      if (auto target = in_place.find(out); target != in_place.end()) {
        slot_of_[out] = static_cast<int>(slots_.size());
        slots_.push_back(target->second.value());
        slot_notes_.push_back("variable " + target->second.name() + " (updated in place)");
        continue;
      }
      const std::size_t bytes =
          std::max<std::size_t>(1, static_cast<std::size_t>(type.shape.num_elements())) *
          dtype_size(type.dtype);
      auto fit = free_buffers.lower_bound(bytes);
      int buffer;
      std::string note;
      if (fit != free_buffers.end()) {
        buffer = fit->second;
        free_buffers.erase(fit);
        note = fmt::format("buffer {} (reused)", buffer);
      } else {
        buffer = static_cast<int>(buffers.size());
        buffers.emplace_back(DType::bool_, Shape{static_cast<std::int64_t>(bytes)});
        buffer_bytes_ += bytes;
        note = fmt::format("buffer {}", buffer);
      }
      buffer_of[out] = buffer;
      slot_of_[out] = static_cast<int>(slots_.size());
      slots_.push_back(
          Tensor::alias(buffers[static_cast<std::size_t>(buffer)], type.dtype, type.shape));
      slot_notes_.push_back(note);
      if (!last_use.count(out)) last_use[out] = s;  // never read: free at once
    }
    std::unordered_set<int> released;
    for (int i = 0; i < node.num_outputs(); ++i) {
      const Value out = output_of(node, i);
      if (last_use[out] == s && buffer_of.count(out)) released.insert(buffer_of[out]);
    }
    for (const Value& v : step_inputs(steps_[s])) {
      if (last_use[v] == s && buffer_of.count(v)) released.insert(buffer_of[v]);
    }
    for (int b : released) {
      free_buffers.emplace(buffers[static_cast<std::size_t>(b)].nbytes(), b);
    }
  }
  for (const auto& [variable, value] : updates_) {
    if (!in_place.count(value)) copied_updates_.emplace_back(variable, slot_of_.at(value));
  }
}

int OnednnPlan::slot(const Value& value) const {
  auto it = slot_of_.find(value);
  KERAS_INTERNAL_CHECK(it != slot_of_.end() && it->second >= 0, "no buffer for {}",
                       value.to_string());
  return it->second;
}

// --- primitives ------------------------------------------------------------------

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

void OnednnPlan::emit(const dnnl::primitive& primitive, std::unordered_map<int, dnnl::memory> args,
                      std::string text) {
  count_primitive_creation();
  Exec exec;
  exec.primitive = primitive;
  exec.args = std::move(args);
  for (auto& [arg, memory] : exec.args) exec.c_args.push_back({arg, memory.get()});
  exec.text = std::move(text);
  execs_.push_back(std::move(exec));
}

dnnl::memory OnednnPlan::constant(Tensor value, const dnnl::memory::desc& desc) {
  constants_.push_back(std::move(value));
  return dnnl::memory(desc, engine_, constants_.back().raw_data());
}

void OnednnPlan::instantiate_reference(const Step& step) {
  const Node& node = *step.node;
  Exec exec;
  exec.reference = true;
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
  exec.text = fmt::format("reference {} '{}' ({})", node.op(), node.name(), types_text(node));
  execs_.push_back(std::move(exec));
}

void OnednnPlan::instantiate() {
  for (const Step& step : steps_) {
    const Node& node = step.matmul != nullptr ? *step.matmul : *step.node;
    Lowering lowering = find_lowering(node.op());
    bool lowered = false;
    if (lowering != nullptr) {
      try {
        lowered = lowering(step, *this);
      } catch (const dnnl::error& e) {
        throw Error(fmt::format("oneDNN rejected op '{}' (node '{}') on {}: {} (status {})",
                                node.op(), node.name(), types_text(node), e.what(),
                                static_cast<int>(e.status)));
      }
    }
    if (!lowered) {
      KERAS_INTERNAL_CHECK(step.matmul == nullptr && step.scaling == nullptr,
                           "fused step '{}' fell back", node.name());
      instantiate_reference(step);
    }
  }
}

// --- running ---------------------------------------------------------------------

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
    if (exec.reference) {
      stream_.wait();
      exec.context->step = options.step;
      exec.kernel(*exec.context);
    } else {
      const dnnl_status_t status =
          dnnl_primitive_execute(exec.primitive.get(), stream_.get(),
                                 static_cast<int>(exec.c_args.size()), exec.c_args.data());
      if (status != dnnl_success) {
        throw Error(fmt::format("oneDNN failed to run step '{}' (status {})", exec.text,
                                static_cast<int>(status)));
      }
      stream_.wait();
    }
  }
  stream_.wait();
  for (auto& [variable, slot] : copied_updates_) {
    variable.assign(slots_[static_cast<std::size_t>(slot)]);
  }
  std::vector<Tensor> results;
  results.reserve(fetches_.size());
  for (const Value& v : fetches_)
    results.push_back(slots_[static_cast<std::size_t>(slot(v))].clone());
  return results;
}

std::string OnednnPlan::to_string() const {
  std::string out = fmt::format("oneDNN plan: {} steps, {} bytes of buffers, {} thread{}\n",
                                execs_.size(), buffer_bytes_, threads_, threads_ == 1 ? "" : "s");
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
