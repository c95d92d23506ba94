#include "keras/layers/layer.hpp"

#include <algorithm>
#include <functional>

#include "keras/graph/ops.hpp"
#include "keras/layers/call_effects.hpp"
#include "keras/layers/input_layer.hpp"
#include "keras/serialize/shape_config.hpp"
#include "layer_names.hpp"

namespace keras::layers {

namespace {
std::string shapes_to_string(const std::vector<KerasTensor>& tensors) {
  std::string out;
  for (const KerasTensor& t : tensors) out += (out.empty() ? "" : ", ") + t.shape().to_string();
  return out;
}
}  // namespace

std::vector<KerasTensor> Node::outputs() const {
  std::vector<KerasTensor> out;
  for (const KerasTensor::Weak& w : weak_outputs) out.push_back(w.lock());
  return out;
}

LayerImpl::LayerImpl(std::string class_name, const LayerOptions& options)
    : class_name_(std::move(class_name)),
      name_(options.name.empty() ? unique_layer_name(to_snake_case(class_name_)) : options.name),
      dtype_(options.dtype),
      trainable_(options.trainable),
      input_shape_(options.input_shape) {}

void LayerImpl::build(const std::vector<Shape>&) {}

serialize::Config LayerImpl::get_config() const {
  serialize::Config config = serialize::Config::dict();
  config["name"] = name_;
  config["trainable"] = trainable_;
  // Keras 3 writes the dtype as a DTypePolicy.
  serialize::Config policy = serialize::Config::dict();
  policy["module"] = "keras";
  policy["class_name"] = "DTypePolicy";
  policy["config"] = serialize::Config::dict();
  policy["config"]["name"] = std::string(dtype_name(dtype_));
  policy["registered_name"] = nullptr;
  config["dtype"] = policy;
  if (activity_regularizer_) {
    config["activity_regularizer"] = regularizers::serialize(activity_regularizer_);
  }
  return config;
}

std::optional<serialize::Config> LayerImpl::get_build_config() const {
  if (build_input_shapes_.empty()) return std::nullopt;
  serialize::Config config = serialize::Config::dict();
  if (build_input_shapes_.size() == 1) {
    config["input_shape"] = serialize::shape_to_config(build_input_shapes_[0]);
  } else {
    serialize::Config shapes = serialize::Config::list();
    for (const Shape& shape : build_input_shapes_)
      shapes.push_back(serialize::shape_to_config(shape));
    config["input_shape"] = shapes;
  }
  return config;
}

std::string LayerImpl::describe() const {
  return fmt::format("layer '{}' ({})", name_, class_name_);
}

void LayerImpl::set_trainable(bool trainable) {
  trainable_ = trainable;
  for (const auto& sub : sublayers()) sub->set_trainable(trainable);
}

namespace {
// Appends the variables not yet in `out` (layers may share a variable).
void append_unique(std::vector<Variable>& out, const std::vector<Variable>& more) {
  for (const Variable& v : more) {
    if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(v);
  }
}
}  // namespace

std::vector<Variable> LayerImpl::own_weights(bool trainable) const {
  std::vector<Variable> out;
  for (const OwnWeight& w : own_weights_) {
    if (w.variable.trainable() == trainable) out.push_back(w.variable);
  }
  return out;
}

std::vector<Variable> LayerImpl::weights() const {
  std::vector<Variable> all = own_weights(true);
  append_unique(all, own_weights(false));
  for (const auto& sub : sublayers()) append_unique(all, sub->weights());
  return all;
}

std::vector<Variable> LayerImpl::trainable_weights() const {
  std::vector<Variable> out;
  if (!trainable_) return out;
  append_unique(out, own_weights(true));
  for (const auto& sub : sublayers()) append_unique(out, sub->trainable_weights());
  return out;
}

std::vector<Variable> LayerImpl::non_trainable_weights() const {
  if (!trainable_) return weights();
  std::vector<Variable> out = own_weights(false);
  for (const auto& sub : sublayers()) append_unique(out, sub->non_trainable_weights());
  return out;
}

std::vector<const LayerImpl::OwnWeight*> LayerImpl::trainable_weight_entries() const {
  const std::vector<Variable> trainable = trainable_weights();
  std::vector<const OwnWeight*> out;
  std::function<void(const LayerImpl&)> visit = [&](const LayerImpl& layer) {
    for (const OwnWeight& w : layer.own_weights_) {
      const bool wanted =
          std::find(trainable.begin(), trainable.end(), w.variable) != trainable.end();
      const bool seen = std::any_of(out.begin(), out.end(),
                                    [&](const OwnWeight* o) { return o->variable == w.variable; });
      if (wanted && !seen) out.push_back(&w);
    }
    for (const auto& sub : layer.sublayers()) visit(*sub);
  };
  visit(*this);
  return out;
}

std::vector<graph::Value> LayerImpl::regularization_losses() const {
  std::vector<graph::Value> losses;
  for (const OwnWeight* w : trainable_weight_entries()) {
    if (w->options.regularizer) losses.push_back((*w->options.regularizer)(ops::read(w->variable)));
  }
  return losses;
}

std::vector<std::pair<Variable, constraints::ConstraintPtr>> LayerImpl::weight_constraints() const {
  // Keras' optimizer projects only the variables it updates.
  std::vector<std::pair<Variable, constraints::ConstraintPtr>> out;
  for (const OwnWeight* w : trainable_weight_entries()) {
    if (w->options.constraint) out.emplace_back(w->variable, w->options.constraint);
  }
  return out;
}

std::vector<graph::Value> LayerImpl::trace_call(const std::vector<graph::Value>& inputs,
                                                const graph::Value& training) {
  std::vector<graph::Value> outputs = call(inputs, training);
  if (!activity_regularizer_) return outputs;
  for (const graph::Value& output : outputs) {
    graph::Value loss = (*activity_regularizer_)(output);
    if (output.shape().rank() > 0) {
      // Keras divides by the batch size, as a run-time value (the batch is
      // unknown while tracing); an empty batch gives 0, not 0/0.
      graph::Value per_row = output;
      if (output.shape().rank() > 1) {
        std::vector<std::int64_t> inner;
        for (std::int64_t axis = 1; axis < output.shape().rank(); ++axis) inner.push_back(axis);
        per_row = ops::max(output, inner);
      }
      const graph::Value batch = ops::cast(ops::sum(ops::ones_like(per_row)), loss.dtype());
      loss = loss / ops::maximum(batch, ops::scalar_like(batch, 1.0));
    }
    add_loss(loss);
  }
  return outputs;
}

std::vector<Tensor> LayerImpl::get_weights() const {
  std::vector<Tensor> out;
  for (const Variable& v : weights()) out.push_back(v.value().clone());
  return out;
}

void LayerImpl::set_weights(const std::vector<Tensor>& values) {
  std::vector<Variable> all = weights();
  if (values.size() != all.size()) {
    throw Error(fmt::format("{} has {} weights but set_weights was given {} arrays", describe(),
                            all.size(), values.size()));
  }
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (values[i].shape() != all[i].shape()) {
      throw Error(fmt::format(
          "{}: weight '{}' has shape {} but the value given for it has shape "
          "{}",
          describe(), all[i].name(), all[i].shape().to_string(), values[i].shape().to_string()));
    }
  }
  for (std::size_t i = 0; i < all.size(); ++i) all[i].assign(values[i].astype(all[i].dtype()));
}

std::int64_t LayerImpl::count_params() const {
  std::int64_t n = 0;
  for (const Variable& v : weights()) n += v.shape().num_elements();
  return n;
}

Variable LayerImpl::add_weight(const std::string& name, const Shape& shape,
                               const initializers::Initializer& initializer,
                               WeightOptions options) {
  Variable v(name_ + "/" + name, initializer(shape, dtype_), options.trainable);
  own_weights_.push_back({v, std::move(options)});
  return v;
}

void LayerImpl::check_input_spec(const std::vector<KerasTensor>& inputs) const {
  if (!input_spec_) return;
  for (const KerasTensor& t : inputs) {
    const Shape& shape = t.shape();
    if (input_spec_->ndim && shape.rank() != *input_spec_->ndim) {
      throw Error(fmt::format("{} expects inputs of rank {}, but was called on {} (rank {})",
                              describe(), *input_spec_->ndim, shape.to_string(), shape.rank()));
    }
    if (input_spec_->min_ndim && shape.rank() < *input_spec_->min_ndim) {
      throw Error(fmt::format("{} expects inputs of rank {} or more, but was called on {}",
                              describe(), *input_spec_->min_ndim, shape.to_string()));
    }
    for (const auto& [axis, size] : input_spec_->axes) {
      const std::int64_t actual =
          axis < shape.rank() && axis >= -shape.rank() ? shape.dim(axis) : Shape::kUnknown;
      if (actual != size) {
        throw Error(
            fmt::format("{} expects axis {} of its input to be {} because it was built "
                        "on that size, but was called on {}; connect it to a tensor "
                        "with {} there, or create a new layer",
                        describe(), axis, size, shape.to_string(), size));
      }
    }
  }
}

std::vector<KerasTensor> LayerImpl::call_symbolic(const std::vector<KerasTensor>& inputs,
                                                  const CallOptions& options) {
  for (const KerasTensor& t : inputs) {
    if (!t.valid() || t.is_learning_phase()) {
      throw Error(
          fmt::format("{} was called on {}: call layers on KerasTensors from "
                      "layers::Input or from other layers",
                      describe(), t.valid() ? "the learning phase" : "an empty tensor"));
    }
  }
  check_input_spec(inputs);
  std::vector<Shape> shapes;
  for (const KerasTensor& t : inputs) shapes.push_back(t.shape());
  // Output shapes come from tracing call() through op inference, as Keras'
  // compute_output_spec does.
  auto scratch = graph::Graph::create();
  graph::GraphScope scope(scratch);
  std::vector<graph::Value> outputs;
  try {
    if (!built_) {
      build(shapes);
      built_ = true;
      build_input_shapes_ = shapes;
    }
    std::vector<graph::Value> placeholders;
    for (const KerasTensor& t : inputs)
      placeholders.push_back(ops::placeholder(t.shape(), t.dtype()));
    graph::NameScope name_scope(*scratch, name_);
    outputs = call(placeholders, scratch->learning_phase());
  } catch (const Error& e) {
    throw Error(fmt::format("{} cannot be called on {}: {}", describe(), shapes_to_string(inputs),
                            e.what()));
  }
  const int node_index = static_cast<int>(nodes_.size());
  Node node;
  node.inputs = inputs;
  node.training = options.training;
  std::vector<KerasTensor> results;
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    KerasHistory history{shared_from_this(), node_index, static_cast<int>(i)};
    std::string tensor_name = outputs.size() == 1 ? name_ : fmt::format("{}_{}", name_, i);
    results.emplace_back(outputs[i].shape(), outputs[i].dtype(), tensor_name, history);
    node.weak_outputs.push_back(results.back().weak());
  }
  nodes_.push_back(std::move(node));
  return results;
}

KerasTensor LayerImpl::record_source_call(const Shape& shape, DType dtype) {
  built_ = true;
  KerasTensor tensor(shape, dtype, name_,
                     KerasHistory{shared_from_this(), static_cast<int>(nodes_.size()), 0});
  Node node;
  node.weak_outputs.push_back(tensor.weak());
  nodes_.push_back(std::move(node));
  return tensor;
}

void LayerImpl::rebind_source_output(const KerasTensor& tensor) {
  nodes_.at(0).weak_outputs.at(0) = tensor.weak();
}

Layer::Layer(std::shared_ptr<LayerImpl> impl) : impl_(std::move(impl)) {
  if (!impl_) throw Error("a Layer handle needs a layer");
}

LayerImpl& Layer::impl() const {
  if (!impl_) throw Error("this Layer handle is empty: it was default-constructed");
  return *impl_;
}

KerasTensor Layer::operator()(const KerasTensor& input, const CallOptions& options) const {
  return (*this)(std::vector<KerasTensor>{input}, options);
}

KerasTensor Layer::operator()(const std::vector<KerasTensor>& inputs,
                              const CallOptions& options) const {
  std::vector<KerasTensor> outputs = call_multi(inputs, options);
  if (outputs.size() != 1) {
    throw Error(fmt::format("layer '{}' ({}) returns {} outputs: use call_multi() to get them all",
                            name(), class_name(), outputs.size()));
  }
  return outputs[0];
}

std::vector<KerasTensor> Layer::call_multi(const std::vector<KerasTensor>& inputs,
                                           const CallOptions& options) const {
  return impl().call_symbolic(inputs, options);
}

CallResult Layer::apply(const std::vector<graph::Value>& inputs,
                        const graph::Value& training) const {
  if (!impl().built()) {
    throw Error(
        fmt::format("layer '{}' ({}) is not built: call it on KerasTensors first, so that "
                    "it knows its input shapes",
                    name(), class_name()));
  }
  // The inputs it was built on, to check these against (as a call on
  // KerasTensors checks its input spec).
  const std::vector<Shape>& built_on = impl().build_input_shapes();
  if (!built_on.empty()) {
    if (inputs.size() != built_on.size()) {
      throw Error(fmt::format("layer '{}' ({}) takes {} input{}, but apply was given {}", name(),
                              class_name(), built_on.size(), built_on.size() == 1 ? "" : "s",
                              inputs.size()));
    }
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      const Shape& got = inputs[i].shape();
      bool compatible = got.rank() == built_on[i].rank();
      for (std::int64_t d = 1; compatible && d < got.rank(); ++d) {
        const std::int64_t want = built_on[i].dim(d);
        compatible = want == Shape::kUnknown || got.dim(d) == Shape::kUnknown || got.dim(d) == want;
      }
      if (!compatible) {
        throw Error(fmt::format("layer '{}' ({}) was built on {}, but apply was given {}", name(),
                                class_name(), built_on[i].to_string(), got.to_string()));
      }
    }
  } else if (inputs.empty()) {
    throw Error(
        fmt::format("layer '{}' ({}): apply needs at least one input", name(), class_name()));
  }
  CallResult result;
  CallEffectsScope scope(result.effects);
  result.outputs = impl().trace_call(inputs, training);
  return result;
}

const Node& Layer::node_at(int node_index, const char* what) const {
  const auto& nodes = impl().inbound_nodes();
  if (node_index < 0 || node_index >= static_cast<int>(nodes.size())) {
    throw Error(fmt::format("layer '{}' has {} call{}, so it has no {} at node index {}", name(),
                            nodes.size(), nodes.size() == 1 ? "" : "s", what, node_index));
  }
  return nodes[static_cast<std::size_t>(node_index)];
}

namespace {
KerasTensor single(const std::vector<KerasTensor>& tensors, const std::string& layer,
                   const char* what) {
  if (tensors.size() != 1) {
    throw Error(fmt::format("layer '{}' has {} {}s at this call: use get_{}s_at()", layer,
                            tensors.size(), what, what));
  }
  if (!tensors[0].valid()) {
    throw Error(
        fmt::format("the {} of layer '{}' is no longer referenced by anything", what, layer));
  }
  return tensors[0];
}
}  // namespace

KerasTensor Layer::input() const {
  const auto& nodes = impl().inbound_nodes();
  if (nodes.size() != 1) {
    throw Error(
        fmt::format("layer '{}' has {} calls, so its input is ambiguous: use "
                    "get_input_at(node_index)",
                    name(), nodes.size()));
  }
  return get_input_at(0);
}

KerasTensor Layer::output() const {
  const auto& nodes = impl().inbound_nodes();
  if (nodes.size() != 1) {
    throw Error(
        fmt::format("layer '{}' has {} calls, so its output is ambiguous: use "
                    "get_output_at(node_index)",
                    name(), nodes.size()));
  }
  return get_output_at(0);
}

KerasTensor Layer::get_input_at(int node_index) const {
  return single(get_inputs_at(node_index), name(), "input");
}

KerasTensor Layer::get_output_at(int node_index) const {
  return single(get_outputs_at(node_index), name(), "output");
}

std::vector<KerasTensor> Layer::get_inputs_at(int node_index) const {
  const Node& node = node_at(node_index, "input");
  // An InputLayer's input is its output, as in Keras.
  return node.inputs.empty() ? get_outputs_at(node_index) : node.inputs;
}

std::vector<KerasTensor> Layer::get_outputs_at(int node_index) const {
  std::vector<KerasTensor> outputs = node_at(node_index, "output").outputs();
  if (auto* input = dynamic_cast<InputLayerImpl*>(impl_.get()); input && !outputs[0].valid()) {
    outputs[0] = input->tensor();
  }
  return outputs;
}

std::int64_t draw_seed(const std::optional<std::int64_t>& seed) {
  if (seed) return *seed;
  // Non-negative: a negative seed asks the graph for one.
  return static_cast<std::int64_t>(utils::next_random_seed() >> 1);
}

}  // namespace keras::layers
