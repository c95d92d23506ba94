#pragma once
// Keras' activation layers: ReLU, LeakyReLU, PReLU, ELU and Softmax
// (keras/src/layers/activations/). Each keeps its input's shape; only PReLU
// has a weight. For a plain activation by name, see Activation (activation.hpp).
//
//   auto h = keras::layers::LeakyReLU(0.1)(x);
//   auto p = keras::layers::Softmax(1)(scores);   // along axis 1
#include <cstdint>
#include <optional>
#include <vector>

#include "keras/layers/layer.hpp"

namespace keras::layers {

// --- ReLU ----------------------------------------------------------------------
// keras.layers.ReLU, with Keras 3's formula (keras.activations.relu):
//   f(x) = min(x, max_value)                   if x > threshold
//   f(x) = negative_slope * (x - threshold)    otherwise
// (with threshold 0, x = 0 gives 0; max_value clips at the top only).
struct ReLUOptions {
  std::optional<double> max_value = std::nullopt;  // None: unbounded
  double negative_slope = 0.0;
  double threshold = 0.0;
  std::string name = "";
  bool trainable = true;
  DType dtype = backend::floatx_dtype();
  std::optional<Shape> input_shape = std::nullopt;
};

class ReLUImpl : public LayerImpl {
 public:
  explicit ReLUImpl(ReLUOptions options);
  std::vector<graph::Value> call(const std::vector<graph::Value>& inputs,
                                 const graph::Value& training) override;
  serialize::Config get_config() const override;

 private:
  ReLUOptions options_;
};

class ReLU : public LayerHandle<ReLUImpl> {
 public:
  explicit ReLU(ReLUOptions options = {});
  static ReLU from_config(const serialize::Config& config);
};

// --- LeakyReLU -----------------------------------------------------------------
// keras.layers.LeakyReLU: x if x >= 0 else negative_slope * x. The layer's
// default slope is 0.3 (the "leaky_relu" activation's is 0.2), as in Keras 3.
class LeakyReLUImpl : public LayerImpl {
 public:
  LeakyReLUImpl(double negative_slope, const LayerOptions& options);
  std::vector<graph::Value> call(const std::vector<graph::Value>& inputs,
                                 const graph::Value& training) override;
  serialize::Config get_config() const override;

 private:
  double negative_slope_;
};

class LeakyReLU : public LayerHandle<LeakyReLUImpl> {
 public:
  explicit LeakyReLU(double negative_slope = 0.3, LayerOptions options = {});
  // Keras 2 configs name the slope "alpha"; both are read.
  static LeakyReLU from_config(const serialize::Config& config);
};

// --- PReLU ---------------------------------------------------------------------
// keras.layers.PReLU: x if x >= 0 else alpha * x, with a learned alpha of the
// input's shape without the batch, of size 1 along shared_axes (1-based, as
// Keras counts them: shared_axes {1, 2} on (None, h, w, c) gives alpha (1, 1, c)).
struct PReLUOptions {
  initializers::InitializerArg alpha_initializer = "zeros";
  regularizers::RegularizerArg alpha_regularizer = nullptr;
  constraints::ConstraintArg alpha_constraint = nullptr;
  std::vector<std::int64_t> shared_axes = {};  // empty: None (nothing shared)
  std::string name = "";
  bool trainable = true;
  DType dtype = backend::floatx_dtype();
  std::optional<Shape> input_shape = std::nullopt;
};

class PReLUImpl : public LayerImpl {
 public:
  explicit PReLUImpl(PReLUOptions options);
  void build(const std::vector<Shape>& input_shapes) override;
  std::vector<graph::Value> call(const std::vector<graph::Value>& inputs,
                                 const graph::Value& training) override;
  serialize::Config get_config() const override;

  const Variable& alpha() const;

 private:
  PReLUOptions options_;
  std::optional<Variable> alpha_;
};

class PReLU : public LayerHandle<PReLUImpl> {
 public:
  explicit PReLU(PReLUOptions options = {});
  // A keras::Error for a regularizer or constraint, which keras-cpp lacks.
  static PReLU from_config(const serialize::Config& config);
};

// --- ELU -----------------------------------------------------------------------
// keras.layers.ELU: x if x > 0 else alpha * (exp(x) - 1).
class ELUImpl : public LayerImpl {
 public:
  ELUImpl(double alpha, const LayerOptions& options);
  std::vector<graph::Value> call(const std::vector<graph::Value>& inputs,
                                 const graph::Value& training) override;
  serialize::Config get_config() const override;

 private:
  double alpha_;
};

class ELU : public LayerHandle<ELUImpl> {
 public:
  explicit ELU(double alpha = 1.0, LayerOptions options = {});
  static ELU from_config(const serialize::Config& config);
};

// --- Softmax -------------------------------------------------------------------
// keras.layers.Softmax: exp(x) / sum(exp(x)) along `axis`, or jointly along
// several axes (Keras accepts an int or a list).
class SoftmaxImpl : public LayerImpl {
 public:
  // axis_is_list: the config writes a list even for one axis, as given.
  SoftmaxImpl(std::vector<std::int64_t> axes, bool axis_is_list, const LayerOptions& options);
  std::vector<graph::Value> call(const std::vector<graph::Value>& inputs,
                                 const graph::Value& training) override;
  serialize::Config get_config() const override;

 private:
  std::vector<std::int64_t> axes_;
  bool axis_is_list_;
};

class Softmax : public LayerHandle<SoftmaxImpl> {
 public:
  explicit Softmax(std::int64_t axis = -1, LayerOptions options = {});
  explicit Softmax(std::vector<std::int64_t> axes, LayerOptions options = {});
  static Softmax from_config(const serialize::Config& config);
};

}  // namespace keras::layers
