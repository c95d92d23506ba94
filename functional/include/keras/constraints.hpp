#pragma once
// Weight constraints with Keras 3's names, arguments and defaults
// (keras.constraints). A constraint projects a weight back into its allowed
// set after each optimizer step; it emits its ops on graph values so the
// projection runs inside the training step.
//
//   keras::layers::Dense(64, {.kernel_constraint = keras::constraints::MaxNorm(3)});
//
// A user's own constraint derives from Constraint.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "keras/graph/graph.hpp"
#include "keras/object_arg.hpp"
#include "keras/serialize/config.hpp"

namespace keras::constraints {

class Constraint {
 public:
  virtual ~Constraint() = default;
  // The projected weight, of w's shape and dtype.
  virtual graph::Value operator()(const graph::Value& w) const = 0;
  // Keras' class name ("MaxNorm") and config ({"max_value": 2, "axis": 0}).
  virtual std::string class_name() const = 0;
  virtual serialize::Config get_config() const = 0;
};

using ConstraintPtr = std::shared_ptr<const Constraint>;

// The axes along which norms are taken: for a Dense kernel (input_dim,
// units) axis 0 constrains each unit's incoming weight vector; empty takes
// the norm of the whole weight (Keras' axis=None). One axis is written to
// configs as an int, several as a list, none as null, as Keras does.
using Axes = std::vector<std::int64_t>;

// Rescales each weight vector whose L2 norm exceeds max_value down to it.
ConstraintPtr MaxNorm(double max_value = 2, Axes axis = {0});
// Sets negative weights to zero.
ConstraintPtr NonNeg();
// Rescales each weight vector to unit L2 norm.
ConstraintPtr UnitNorm(Axes axis = {0});
// Moves each vector's norm towards [min_value, max_value]: the new norm is
// rate * clip(norm, min, max) + (1 - rate) * norm.
ConstraintPtr MinMaxNorm(double min_value = 0.0, double max_value = 1.0, double rate = 1.0,
                         Axes axis = {0});

// By Keras name: "max_norm", "non_neg", "unit_norm", "min_max_norm" or the
// class name; a keras::Error lists the names it knows.
// Makes a user's Constraint subclass known by its class_name() to configs and
// files, as Keras' custom_objects do: the factory gets the config's
// arguments (what its get_config() wrote).
void register_constraint(const std::string& class_name,
                         std::function<ConstraintPtr(const serialize::Config& config)> factory);
ConstraintPtr get(std::string_view name);
// Revives {"class_name": ..., "config": {...}} or a name; null gives null.
ConstraintPtr from_config(const serialize::Config& config);
// Keras 3's serialized form; null for no constraint.
serialize::Config serialize(const ConstraintPtr& constraint);

// What layer options accept: nothing, a name or a constraint.
using ConstraintArg = OptionalObjectArg<Constraint, &get>;

}  // namespace keras::constraints
