#pragma once
// Layers, as Keras has them, in two parts (the pattern of libtorch's modules):
//
// - keras::layers::LayerImpl is what a layer *is*: build() creates its
//   weights from the input shapes, call() emits its ops on graph values,
//   get_config() returns its Keras config. Every layer, and a user's own,
//   derives from it.
// - keras::layers::Layer is the handle users pass around: copies share one
//   layer (one set of weights), and calling it on KerasTensors records a call.
//   Dense, Dropout, ... are handles that construct their LayerImpl.
//
//   auto shared = keras::layers::Dense(64, {.activation = "relu"});
//   auto a = shared(x1), b = shared(x2);   // one kernel, two calls
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "keras/backend/config.hpp"
#include "keras/constraints.hpp"
#include "keras/initializers.hpp"
#include "keras/keras_tensor.hpp"
#include "keras/layers/call_effects.hpp"
#include "keras/regularizers.hpp"
#include "keras/serialize/config.hpp"
#include "keras/variable.hpp"

namespace keras::layers {

// One call of a layer (Keras' Node): the tensors it was called on and those it made.
struct Node {
  std::vector<KerasTensor> inputs;
  // Set when the call fixed its phase (layer(x, {.training = false})).
  std::optional<bool> training;
  // Weak: a tensor owns its layer, so the layer's nodes must not own the tensor.
  std::vector<KerasTensor::Weak> weak_outputs;
  std::vector<KerasTensor> outputs() const;
};

// What a layer accepts (Keras' InputSpec): checked before every call.
struct InputSpec {
  std::optional<std::int64_t> ndim;
  std::optional<std::int64_t> min_ndim;
  std::vector<std::pair<std::int64_t, std::int64_t>> axes;  // (axis, size)
};

// The arguments of one call besides its inputs (Keras' call kwargs).
struct CallOptions {
  // Fixes this call's phase, whatever the learning phase: false keeps
  // BatchNormalization in inference mode and Dropout off while the rest of
  // the model trains (Keras 3's fine-tuning recipe base_model(x, training=False)).
  // Unset: the call follows the learning phase.
  std::optional<bool> training = std::nullopt;
};

// What Layer::apply returns: the outputs and the effects the call reported
// (losses to add to the training loss, state updates to run with the step).
struct CallResult {
  std::vector<graph::Value> outputs;
  CallEffects effects;
};

struct LayerOptions {
  std::string name = "";  // empty: automatic, as Keras names layers (dense, dense_1, ...)
  bool trainable = true;
  DType dtype = backend::floatx_dtype();  // keras.json's floatx unless given
  // Sequential's first layer may carry its input shape (without the batch).
  std::optional<Shape> input_shape = std::nullopt;
};

// The common part of a layer's options struct, whose fields repeat
// LayerOptions' (designated initializers cannot reach into a base struct).
template <class Options>
LayerOptions common_options(const Options& options) {
  return LayerOptions{options.name, options.trainable, options.dtype, options.input_shape};
}

// How add_weight creates a weight: its regularizer adds a penalty to the
// training loss (while the weight is trainable), its constraint projects it
// after each optimizer step.
struct WeightOptions {
  bool trainable = true;
  regularizers::RegularizerPtr regularizer = nullptr;
  constraints::ConstraintPtr constraint = nullptr;
};

class LayerImpl : public std::enable_shared_from_this<LayerImpl> {
 public:
  // `class_name` is Keras' ("Dense"); the automatic name is its snake_case.
  LayerImpl(std::string class_name, const LayerOptions& options);
  virtual ~LayerImpl() = default;
  LayerImpl(const LayerImpl&) = delete;
  LayerImpl& operator=(const LayerImpl&) = delete;

  // --- what a layer implements ---------------------------------------------
  // Creates the weights for these input shapes (batch unknown); runs once,
  // on the first call.
  virtual void build(const std::vector<Shape>& input_shapes);
  // Emits the layer's ops. `training` is the learning phase: a bool scalar.
  virtual std::vector<graph::Value> call(const std::vector<graph::Value>& inputs,
                                         const graph::Value& training) = 0;
  // Keras' config: name, trainable, dtype (activity_regularizer when set)
  // and the layer's own arguments.
  virtual serialize::Config get_config() const;
  // Keras' build_config: {"input_shape": ...} of the call that built the
  // layer (a list of shapes for several inputs); none when not built by a call.
  virtual std::optional<serialize::Config> get_build_config() const;
  // Layers that hold other layers (models) list them here.
  virtual std::vector<std::shared_ptr<LayerImpl>> sublayers() const { return {}; }

  // --- the Keras API ---------------------------------------------------------
  const std::string& name() const { return name_; }
  const std::string& class_name() const { return class_name_; }
  DType dtype() const { return dtype_; }
  bool trainable() const { return trainable_; }
  // Sets the flag of this layer and of every sublayer, as Keras 3 does.
  virtual void set_trainable(bool trainable);
  // Sets this layer's own flag only: a model revived from a config keeps
  // each layer's flag from that layer's config, as Keras 3 does.
  void restore_trainable(bool trainable) { trainable_ = trainable; }
  bool built() const { return built_; }
  const std::optional<Shape>& input_shape() const { return input_shape_; }
  // The input shapes of the call that built the layer (Keras' build_config);
  // empty for a layer not built by a call.
  const std::vector<Shape>& build_input_shapes() const { return build_input_shapes_; }

  // Keras order: own trainable weights, own non-trainable ones, then
  // sublayers' (each variable once, also when layers share it).
  std::vector<Variable> weights() const;
  // A frozen layer's weights are all non-trainable, as in Keras.
  std::vector<Variable> trainable_weights() const;
  std::vector<Variable> non_trainable_weights() const;
  std::vector<Tensor> get_weights() const;
  // Throws keras::Error naming the layer, the weight and both shapes on a mismatch.
  void set_weights(const std::vector<Tensor>& values);
  std::int64_t count_params() const;

  // The penalties of the regularized trainable weights, this layer's and its
  // sublayers' (Keras' weight part of layer.losses), emitted in the current
  // graph on reads of the weights; training adds them to the loss.
  std::vector<graph::Value> regularization_losses() const;
  // Weights with a constraint, this layer's and its sublayers', for the
  // optimizer to project after each step.
  std::vector<std::pair<Variable, constraints::ConstraintPtr>> weight_constraints() const;
  // Applied to every output of every call: the penalty, divided by the batch
  // size, is reported with add_loss (Keras' activity_regularizer).
  const regularizers::RegularizerPtr& activity_regularizer() const { return activity_regularizer_; }

  // call() and what Keras' __call__ adds around it (activity regularization):
  // how a traced model runs a layer.
  std::vector<graph::Value> trace_call(const std::vector<graph::Value>& inputs,
                                       const graph::Value& training);

  // Records a call on KerasTensors: checks the input spec, builds on the first
  // call, infers the output shapes by tracing call() through op inference.
  std::vector<KerasTensor> call_symbolic(const std::vector<KerasTensor>& inputs,
                                         const CallOptions& options = {});
  const std::vector<Node>& inbound_nodes() const { return nodes_; }

 protected:
  Variable add_weight(const std::string& name, const Shape& shape,
                      const initializers::Initializer& initializer, WeightOptions options = {});
  void set_activity_regularizer(regularizers::RegularizerPtr regularizer) {
    activity_regularizer_ = std::move(regularizer);
  }
  void set_input_spec(InputSpec spec) { input_spec_ = std::move(spec); }
  void mark_built() { built_ = true; }
  // For layers without inputs (InputLayer): records a call that makes one tensor.
  KerasTensor record_source_call(const Shape& shape, DType dtype);
  // Points that call's output at `tensor` (the old one no longer exists).
  void rebind_source_output(const KerasTensor& tensor);
  // "layer 'dense_2' (Dense)": how messages name a layer.
  std::string describe() const;

 private:
  void check_input_spec(const std::vector<KerasTensor>& inputs) const;

  std::string class_name_;
  std::string name_;
  DType dtype_;
  bool trainable_;
  bool built_ = false;
  std::optional<Shape> input_shape_;
  std::vector<Shape> build_input_shapes_;
  struct OwnWeight {
    Variable variable;
    WeightOptions options;
  };
  std::vector<OwnWeight> own_weights_;
  // The weights trainable here that this layer and its sublayers created,
  // each variable once, with the options of its creator.
  std::vector<const OwnWeight*> trainable_weight_entries() const;
  std::vector<Variable> own_weights(bool trainable) const;
  regularizers::RegularizerPtr activity_regularizer_;
  std::optional<InputSpec> input_spec_;
  std::vector<Node> nodes_;
};

class Layer {
 public:
  Layer() = default;
  explicit Layer(std::shared_ptr<LayerImpl> impl);

  // Calls the layer: records a node and returns its (single) output.
  KerasTensor operator()(const KerasTensor& input, const CallOptions& options = {}) const;
  KerasTensor operator()(const std::vector<KerasTensor>& inputs,
                         const CallOptions& options = {}) const;
  // For layers with several outputs (a model with several outputs).
  std::vector<KerasTensor> call_multi(const std::vector<KerasTensor>& inputs,
                                      const CallOptions& options = {}) const;
  // The layer's ops on graph values (keras::ops), as a traced model runs it:
  // for a step written by hand with autodiff::gradients. `training` is the
  // learning phase (backend::learning_phase()) or a constant. The result
  // carries what the call reported: add its losses to the loss and pass its
  // updates to backend::function, or they do not happen. The layer must be
  // built.
  CallResult apply(const std::vector<graph::Value>& inputs, const graph::Value& training) const;

  const std::string& name() const { return impl().name(); }
  const std::string& class_name() const { return impl().class_name(); }
  bool trainable() const { return impl().trainable(); }
  void set_trainable(bool trainable) const { impl().set_trainable(trainable); }
  bool built() const { return impl().built(); }
  std::vector<Variable> weights() const { return impl().weights(); }
  std::vector<Variable> trainable_weights() const { return impl().trainable_weights(); }
  std::vector<Variable> non_trainable_weights() const { return impl().non_trainable_weights(); }
  std::vector<Tensor> get_weights() const { return impl().get_weights(); }
  void set_weights(const std::vector<Tensor>& values) const { impl().set_weights(values); }
  std::int64_t count_params() const { return impl().count_params(); }
  serialize::Config get_config() const { return impl().get_config(); }

  // The input/output of the layer's only call; a keras::Error when it has
  // been called several times (use get_input_at/get_output_at) or not at all.
  KerasTensor input() const;
  KerasTensor output() const;
  KerasTensor get_input_at(int node_index) const;
  KerasTensor get_output_at(int node_index) const;
  std::vector<KerasTensor> get_inputs_at(int node_index) const;
  std::vector<KerasTensor> get_outputs_at(int node_index) const;

  LayerImpl& impl() const;
  const std::shared_ptr<LayerImpl>& ptr() const { return impl_; }
  bool operator==(const Layer& other) const { return impl_ == other.impl_; }

 private:
  const Node& node_at(int node_index, const char* what) const;
  std::shared_ptr<LayerImpl> impl_;
};

// `seed`, or a seed drawn from the global generator
// (keras::utils::set_random_seed): what a layer with random ops draws from.
std::int64_t draw_seed(const std::optional<std::int64_t>& seed);

// The LayerImpl of a handle as its concrete type, for handles like Dense.
template <class Impl>
class LayerHandle : public Layer {
 public:
  using Layer::Layer;
  Impl& impl() const { return static_cast<Impl&>(Layer::impl()); }
};

}  // namespace keras::layers
