#pragma once
// keras::models::Model: the functional API (keras.Model(inputs, outputs)).
// A model is a layer: it can be called on new tensors, also several times,
// sharing its weights.
//
//   auto x = keras::layers::Input({784});
//   auto y = keras::layers::Dense(10, {.activation = "softmax"})(x);
//   keras::models::Model model(x, y);
//   keras::Tensor probabilities = model.predict(images);
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "keras/backend/function.hpp"
#include "keras/callbacks.hpp"
#include "keras/layers/layer.hpp"
#include "keras/models/saving_options.hpp"
#include "keras/models/training_options.hpp"

namespace keras::models {

class Trainer;

class FunctionalImpl : public layers::LayerImpl {
 public:
  FunctionalImpl(std::vector<KerasTensor> inputs, std::vector<KerasTensor> outputs,
                 std::string name, std::string class_name = "Functional");

  std::vector<graph::Value> call(const std::vector<graph::Value>& inputs,
                                 const graph::Value& training) override;
  // Keras 3's functional config: layers with the calls that belong to this
  // model (inbound_nodes), input_layers and output_layers.
  serialize::Config get_config() const override;
  // {"input_shape": null}, as Keras writes for a functional model.
  std::optional<serialize::Config> get_build_config() const override;
  // In Keras' order: input layers first, then in dependency order.
  std::vector<std::shared_ptr<layers::LayerImpl>> sublayers() const override;

  const std::vector<KerasTensor>& inputs() const { return inputs_; }
  const std::vector<KerasTensor>& outputs() const { return outputs_; }
  std::vector<Tensor> predict(const std::vector<Tensor>& x, std::int64_t batch_size);
  // Keras' map of this model's graph (keras/src/ops/function.py map_graph):
  // every call (layer, node index) with its depth, 0 at the outputs, and the
  // layers deepest first, ties in the order a walk from the outputs meets them.
  struct GraphMap {
    std::map<std::pair<const layers::LayerImpl*, int>, int> node_depths;
    std::vector<std::shared_ptr<layers::LayerImpl>> layers;
  };
  GraphMap map_graph() const;

  // Training state (compile, fit): see Model.
  std::shared_ptr<Trainer> trainer;
  callbacks::History history;
  bool stop_training = false;

 protected:
  // For Sequential, which links its graph as layers are added.
  FunctionalImpl(std::string name, std::string class_name);
  // Sequential re-links its graph as layers are added and popped; its layers()
  // leave the InputLayer out, as Keras' do.
  void relink(std::vector<KerasTensor> inputs, std::vector<KerasTensor> outputs,
              bool list_input_layers = true);
  void clear_links();
  // Sequential builds on the first data it sees when it has no input shape yet.
  virtual void ensure_built(const std::vector<Tensor>& x) { (void)x; }

 private:
  std::vector<KerasTensor> inputs_;
  std::vector<KerasTensor> outputs_;
  std::vector<std::shared_ptr<layers::LayerImpl>> layers_;
  std::unique_ptr<backend::Function> predict_function_;
  // predict may be called from several threads: the compiled plans are
  // shared, so calls take turns.
  std::mutex predict_mutex_;
};

class Model : public layers::LayerHandle<FunctionalImpl> {
 public:
  Model(std::vector<KerasTensor> inputs, std::vector<KerasTensor> outputs, std::string name = "");
  Model(const KerasTensor& input, const KerasTensor& output, std::string name = "");

  std::vector<layers::Layer> layers() const;
  // By name, or by a path into nested models ("inner/dense"); a keras::Error
  // lists the names when there is no such layer.
  layers::Layer get_layer(std::string_view name) const;
  layers::Layer get_layer(int index) const;
  // The output of a layer as computed inside this model, also through nested
  // models: "dense", "inner/dense", or "inner@1/dense" for the second call of
  // the nested model "inner". Usable wherever this model's tensors are
  // (Model(inputs, ...), backend::function), which Keras cannot do for a
  // layer inside a nested model.
  KerasTensor get_layer_output(std::string_view path) const;

  // The model's own inputs and outputs (not those of its calls as a layer).
  KerasTensor input() const;
  KerasTensor output() const;
  const std::vector<KerasTensor>& inputs() const { return impl().inputs(); }
  const std::vector<KerasTensor>& outputs() const { return impl().outputs(); }

  // Prints Keras' table (Layer (type), Output Shape, Param #, Connected to)
  // and the parameter counts, line by line through `print_fn` (stdout by default).
  void summary(const std::function<void(const std::string&)>& print_fn = nullptr) const;

  // Revives a functional model from its get_config(): new layers (new
  // weights), connected as the config says.
  static Model from_config(const serialize::Config& config);
  // The architecture as Keras 3's model.to_json() writes it (no weights),
  // or as tf.keras 2's does with {.dialect = Dialect::keras2}.
  std::string to_json(ConfigOptions options = {}) const;
  // The architecture as Keras 2's model.to_yaml() wrote it (Keras 3 has no
  // YAML): always the Keras 2 dialect.
  std::string to_yaml() const;

  // --- saving (Keras' Model.save / save_weights / load_weights) -------------
  // Architecture and weights: a Keras 3 archive for names ending in .keras,
  // a legacy HDF5 file for .h5 and .hdf5 (its model_config in options'
  // dialect). Written to a temporary file and renamed over `path`.
  void save(const std::string& path, SaveOptions options = {}) const;
  // Weights only: Keras 3's tree for names ending in .weights.h5, the legacy
  // layout (layer_names, one group per layer) for other .h5 names.
  void save_weights(const std::string& path, SaveOptions options = {}) const;
  // From any weights or whole-model file of any Keras, chosen by its content.
  // Nothing changes when the load fails.
  LoadReport load_weights(const std::string& path, LoadWeightsOptions options = {}) const;

  // Runs the model in test mode (learning phase 0) over `x` in batches.
  // Safe to call from several threads at once: calls on one model take
  // turns (each gives what a lone call gives).
  Tensor predict(const Tensor& x, std::int64_t batch_size = 32) const;
  std::vector<Tensor> predict(const std::vector<Tensor>& x, std::int64_t batch_size = 32) const;
  Tensor predict(const Tensor& x, const PredictOptions& options) const;
  std::vector<Tensor> predict(const std::vector<Tensor>& x, const PredictOptions& options) const;
  // From a generator of input batches (until it ends, or `steps` of them);
  // one array per output, the batches' rows joined.
  std::vector<Tensor> predict(const InputGenerator& data, const PredictOptions& options) const;
  // One batch, whatever its size, in test mode.
  std::vector<Tensor> predict_on_batch(const std::vector<Tensor>& x) const;

  // --- training (Keras' Model.compile / fit / evaluate) ----------------------
  // Sets the optimizer, losses and metrics. The trainable weights are those
  // of this moment: change `trainable` and compile again for it to count.
  void compile(CompileOptions options) const;
  bool compiled() const;
  // Keras' get_compile_config / compile_from_config: compile's arguments
  // as a config ({} when not compiled); to_json writes it and
  // model_from_json compiles from it.
  serialize::Config get_compile_config() const;
  void compile_from_config(const serialize::Config& config) const;
  // Trains for `epochs` over x (one array per input) and y (one per
  // output); returns the History, also kept as history().
  callbacks::History fit(const Tensor& x, const Tensor& y, FitOptions options = {}) const;
  callbacks::History fit(const std::vector<Tensor>& x, const std::vector<Tensor>& y,
                         FitOptions options = {}) const;
  // Inputs and targets by the names of the model's input and output layers.
  callbacks::History fit(const NamedTensors& x, const NamedTensors& y,
                         FitOptions options = {}) const;
  // From a generator: batch_size, validation_split, shuffle and
  // sample_weight do not apply (the generator decides the batches).
  callbacks::History fit(const BatchGenerator& data, FitOptions options = {}) const;
  // The loss, then each metric (metrics_names() order), in test mode.
  std::vector<double> evaluate(const Tensor& x, const Tensor& y,
                               EvaluateOptions options = {}) const;
  std::vector<double> evaluate(const std::vector<Tensor>& x, const std::vector<Tensor>& y,
                               EvaluateOptions options = {}) const;
  std::vector<double> evaluate(const BatchGenerator& data, EvaluateOptions options = {}) const;
  std::vector<double> evaluate(const NamedTensors& x, const NamedTensors& y,
                               EvaluateOptions options = {}) const;
  // The arrays of `named` in the order of the model's inputs or outputs; a
  // keras::Error names a missing or unknown name.
  std::vector<Tensor> inputs_by_name(const NamedTensors& named) const;
  std::vector<Tensor> outputs_by_name(const NamedTensors& named) const;
  // One step on one batch; the loss (of the batch, before the update) and
  // the metrics.
  std::vector<double> train_on_batch(const Tensor& x, const Tensor& y,
                                     BatchOptions options = {}) const;
  std::vector<double> train_on_batch(const std::vector<Tensor>& x, const std::vector<Tensor>& y,
                                     BatchOptions options = {}) const;
  std::vector<double> test_on_batch(const Tensor& x, const Tensor& y,
                                    BatchOptions options = {}) const;
  std::vector<double> test_on_batch(const std::vector<Tensor>& x, const std::vector<Tensor>& y,
                                    BatchOptions options = {}) const;
  // "loss", then the compiled metrics by their log names.
  std::vector<std::string> metrics_names() const;
  optimizers::Optimizer optimizer() const;
  callbacks::History& history() const { return impl().history; }
  // Callbacks set it to end fit after the current batch (Keras' model.stop_training).
  bool stop_training() const { return impl().stop_training; }
  void set_stop_training(bool stop) const { impl().stop_training = stop; }

 protected:
  explicit Model(std::shared_ptr<FunctionalImpl> impl) : LayerHandle(std::move(impl)) {}
};

// Keras' model_from_config: {"class_name": "Functional" | "Sequential",
// "config": {...}} to a model.
Model model_from_config(const serialize::Config& config);
// Keras' model_from_json: the text of model.to_json() of any Keras (1, 2,
// tf.keras or 3) to a new model, computing what that Keras computed.
Model model_from_json(std::string_view json);
// Keras 1/2's model_from_yaml (tf.keras 2.5 and older wrote YAML). Safe:
// Python tags other than tuples and tf.keras 2.5's data wrappers are refused.
Model model_from_yaml(std::string_view yaml);
// Keras' load_model: a .keras archive or a legacy .h5 model file of any
// Keras, chosen by the content, with its weights. A compiled Keras 3 model
// is compiled again from its compile_config.
Model load_model(const std::string& path);
// The training configuration and optimizer arrays a .keras or .h5 model
// file holds, as it holds them (empty for other files).
serialize::TrainingState read_training_state(const std::string& path);

}  // namespace keras::models
