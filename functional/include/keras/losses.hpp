#pragma once
// Keras 3's losses (keras.losses): each loss in its function form (per-sample
// values, no reduction) and its class form (weighted and reduced), with
// Keras' names, arguments and defaults.
//
//   auto loss = keras::losses::CategoricalCrossentropy({.label_smoothing = 0.1});
//   keras::Tensor scalar = loss(y_true, y_pred);                // sum_over_batch_size
//   keras::Tensor per_sample = keras::losses::get("huber")(y_true, y_pred);
//
// A loss emits its ops on graph values, so training differentiates it with
// the model; on Tensors it runs eagerly. A user's own loss derives from
// LossImpl and overrides call().
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "keras/graph/graph.hpp"
#include "keras/serialize/config.hpp"
#include "keras/tensor.hpp"

namespace keras::losses {

using graph::Value;

class LossImpl {
 public:
  // `reduction`: "sum_over_batch_size" (Keras' default), "sum", "mean",
  // "mean_with_sample_weight" or "none".
  LossImpl(std::string class_name, std::string name, std::string reduction);
  virtual ~LossImpl() = default;

  // Per-sample losses of y_pred against y_true, whose ranks are already
  // aligned (Keras' squeeze_or_expand_to_same_rank).
  virtual Value call(const Value& y_true, const Value& y_pred) const = 0;
  // Which per-sample losses count (Keras' loss mask), of call()'s shape;
  // none: all. The reduction then averages over the counted ones only.
  virtual std::optional<Value> mask(const Value& y_true, const Value& y_pred) const;
  // Keras' config: name, reduction and the loss' own arguments.
  virtual serialize::Config get_config() const;

  const std::string& class_name() const { return class_name_; }
  const std::string& name() const { return name_; }
  const std::string& reduction() const { return reduction_; }

  // Keras' Loss.__call__: aligns ranks, calls call(), weights by
  // `sample_weight` (broadcast against the per-sample losses) and reduces.
  Value operator()(const Value& y_true, const Value& y_pred,
                   const std::optional<Value>& sample_weight = std::nullopt) const;

 private:
  std::string class_name_;
  std::string name_;
  std::string reduction_;
};

// A loss handle: copies share one loss. Callable on graph values and,
// eagerly, on Tensors.
class Loss {
 public:
  Loss() = default;
  Loss(std::shared_ptr<const LossImpl> impl);  // NOLINT: implicit, a loss object
  // By Keras name, as compile(loss="mse") takes it (see get()).
  Loss(const char* name);         // NOLINT: implicit, like Keras' strings
  Loss(const std::string& name);  // NOLINT

  Value operator()(const Value& y_true, const Value& y_pred,
                   const std::optional<Value>& sample_weight = std::nullopt) const;
  Tensor operator()(const Tensor& y_true, const Tensor& y_pred) const;
  Tensor operator()(const Tensor& y_true, const Tensor& y_pred, const Tensor& sample_weight) const;

  bool valid() const { return impl_ != nullptr; }
  // The name it was given by (compile(loss="mse")), empty for an object:
  // compile configs write names back as names, as Keras does.
  const std::string& requested_name() const { return requested_name_; }
  const LossImpl& impl() const;
  const std::string& name() const { return impl().name(); }
  serialize::Config get_config() const { return impl().get_config(); }

 private:
  std::shared_ptr<const LossImpl> impl_;
  std::string requested_name_;
};

// What every loss class takes.
struct LossOptions {
  std::string reduction = "sum_over_batch_size";
  std::string name = "";  // empty: the loss' snake_case name
};

struct CrossentropyOptions {
  bool from_logits = false;
  double label_smoothing = 0.0;
  std::int64_t axis = -1;
  std::string reduction = "sum_over_batch_size";
  std::string name = "";
};

struct BinaryFocalCrossentropyOptions {
  bool apply_class_balancing = false;
  double alpha = 0.25;
  double gamma = 2.0;
  bool from_logits = false;
  double label_smoothing = 0.0;
  std::int64_t axis = -1;
  std::string reduction = "sum_over_batch_size";
  std::string name = "";
};

struct CategoricalFocalCrossentropyOptions {
  double alpha = 0.25;
  double gamma = 2.0;
  bool from_logits = false;
  double label_smoothing = 0.0;
  std::int64_t axis = -1;
  std::string reduction = "sum_over_batch_size";
  std::string name = "";
};

struct SparseCategoricalCrossentropyOptions {
  bool from_logits = false;
  std::optional<std::int64_t> ignore_class = std::nullopt;
  std::int64_t axis = -1;
  std::string reduction = "sum_over_batch_size";
  std::string name = "";
};

struct CosineSimilarityOptions {
  std::int64_t axis = -1;
  std::string reduction = "sum_over_batch_size";
  std::string name = "";
};

struct HuberOptions {
  double delta = 1.0;
  std::string reduction = "sum_over_batch_size";
  std::string name = "";
};

Loss MeanSquaredError(LossOptions options = {});
Loss MeanAbsoluteError(LossOptions options = {});
Loss MeanAbsolutePercentageError(LossOptions options = {});
Loss MeanSquaredLogarithmicError(LossOptions options = {});
Loss BinaryCrossentropy(CrossentropyOptions options = {});
Loss BinaryFocalCrossentropy(BinaryFocalCrossentropyOptions options = {});
Loss CategoricalCrossentropy(CrossentropyOptions options = {});
Loss CategoricalFocalCrossentropy(CategoricalFocalCrossentropyOptions options = {});
Loss SparseCategoricalCrossentropy(SparseCategoricalCrossentropyOptions options = {});
Loss Hinge(LossOptions options = {});
Loss SquaredHinge(LossOptions options = {});
Loss CategoricalHinge(LossOptions options = {});
Loss KLDivergence(LossOptions options = {});
Loss Poisson(LossOptions options = {});
Loss CosineSimilarity(CosineSimilarityOptions options = {});
Loss Huber(HuberOptions options = {});
Loss LogCosh(LossOptions options = {});

// The function forms on graph values: per-sample losses, reduced over `axis`
// (the last by default), of inputs whose ranks are aligned.
Value mean_squared_error(const Value& y_true, const Value& y_pred);
Value mean_absolute_error(const Value& y_true, const Value& y_pred);
Value mean_absolute_percentage_error(const Value& y_true, const Value& y_pred);
Value mean_squared_logarithmic_error(const Value& y_true, const Value& y_pred);
Value binary_crossentropy(const Value& y_true, const Value& y_pred, bool from_logits = false,
                          double label_smoothing = 0.0, std::int64_t axis = -1);
Value binary_focal_crossentropy(const Value& y_true, const Value& y_pred,
                                const BinaryFocalCrossentropyOptions& options = {});
Value categorical_crossentropy(const Value& y_true, const Value& y_pred, bool from_logits = false,
                               double label_smoothing = 0.0, std::int64_t axis = -1);
Value categorical_focal_crossentropy(const Value& y_true, const Value& y_pred,
                                     const CategoricalFocalCrossentropyOptions& options = {});
// y_true holds class indices (any numeric dtype), one axis fewer than y_pred.
Value sparse_categorical_crossentropy(const Value& y_true, const Value& y_pred,
                                      bool from_logits = false, std::int64_t axis = -1);
Value hinge(const Value& y_true, const Value& y_pred);
Value squared_hinge(const Value& y_true, const Value& y_pred);
Value categorical_hinge(const Value& y_true, const Value& y_pred);
Value kl_divergence(const Value& y_true, const Value& y_pred);
Value poisson(const Value& y_true, const Value& y_pred);
Value cosine_similarity(const Value& y_true, const Value& y_pred, std::int64_t axis = -1);
Value huber(const Value& y_true, const Value& y_pred, double delta = 1.0);
Value log_cosh(const Value& y_true, const Value& y_pred);

// Keras' losses.get: a function name ("huber", "mse", "kld", ...) gives the
// function form (per-sample values, reduction "none"); a class name
// ("Huber") gives the class with its defaults. A keras::Error lists the
// names it knows.
Loss get(std::string_view name);
// What compile(loss=...) makes of a name: the loss with Keras' default
// reduction, named as Keras names it ("mse" stays "mse").
Loss deserialize(std::string_view name);
// Revives {"class_name": ..., "config": {...}} (Keras 3 adds "module" and
// "registered_name") or a bare name.
Loss from_config(const serialize::Config& config);
// Keras 3's serialized form: {"module", "class_name", "config", "registered_name"}.
serialize::Config serialize(const Loss& loss);

}  // namespace keras::losses
