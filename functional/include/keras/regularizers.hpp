#pragma once
// Weight and activity regularizers with Keras 3's names, arguments and
// defaults (keras.regularizers). A regularizer turns a weight (or a layer's
// output) into a scalar penalty that training adds to the loss; it emits its
// ops on graph values so the penalty is differentiated with the rest.
//
//   keras::layers::Dense(64, {.kernel_regularizer = keras::regularizers::L2(1e-4),
//                             .activity_regularizer = "l1"});
//
// A user's own regularizer derives from Regularizer.
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "keras/graph/graph.hpp"
#include "keras/object_arg.hpp"
#include "keras/serialize/config.hpp"

namespace keras::regularizers {

class Regularizer {
 public:
  virtual ~Regularizer() = default;
  // The penalty of `x`: a scalar of x's dtype.
  virtual graph::Value operator()(const graph::Value& x) const = 0;
  // Keras' class name ("L2") and config ({"l2": 0.01}).
  virtual std::string class_name() const = 0;
  virtual serialize::Config get_config() const = 0;
};

using RegularizerPtr = std::shared_ptr<const Regularizer>;

// l1 * sum(|x|). Keras keeps l1 as a float32 tensor, so its config holds
// l1 rounded to float32 (0.01 reads back as 0.009999999776482582).
RegularizerPtr L1(double l1 = 0.01);
// l2 * sum(x²).
RegularizerPtr L2(double l2 = 0.01);
// l1 * sum(|x|) + l2 * sum(x²); Keras 3's defaults are both 0.
RegularizerPtr L1L2(double l1 = 0.0, double l2 = 0.0);
// factor * mean |cos| between distinct rows (mode "rows") or columns
// ("columns") of a rank-2 weight: pushes them towards orthogonality.
RegularizerPtr OrthogonalRegularizer(double factor = 0.01, std::string mode = "rows");

// By Keras name: "l1", "l2", "l1l2", "orthogonal_regularizer" or the class
// name; a keras::Error lists the names it knows.
// Makes a user's Regularizer subclass known by its class_name() to configs and
// files, as Keras' custom_objects do: the factory gets the config's
// arguments (what its get_config() wrote).
void register_regularizer(const std::string& class_name,
                          std::function<RegularizerPtr(const serialize::Config& config)> factory);
RegularizerPtr get(std::string_view name);
// Revives {"class_name": ..., "config": {...}} (Keras 3 adds "module" and
// "registered_name"), or a name; null config gives null.
RegularizerPtr from_config(const serialize::Config& config);
// Keras 3's serialized form; null for no regularizer.
serialize::Config serialize(const RegularizerPtr& regularizer);

// What layer options accept: nothing, a name or a regularizer.
using RegularizerArg = OptionalObjectArg<Regularizer, &get>;

}  // namespace keras::regularizers
