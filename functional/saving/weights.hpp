#pragma once
// A model's weights in Keras' two file layouts, and back (KERAS-FORMATS.md
// §1.3-1.5 and §4.2). The codecs in serialize/ know the files; this knows
// which layer owns which arrays.
#include "keras/models/model.hpp"
#include "keras/models/saving_options.hpp"
#include "keras/serialize/weight_files.hpp"

namespace keras::models::saving {

// The Keras version a dialect's files carry (what real Keras reads in them).
std::string keras_version(Dialect dialect);

// model.layers with each one's weights as Keras orders them for legacy
// files (trainable, then non-trainable), named as that dialect names them.
serialize::LegacyWeights legacy_weights(const FunctionalImpl& model, Dialect dialect);
// Topological (the layers with weights paired in order) or by name; the
// counts and shapes are checked before anything is assigned, so a failed
// load changes nothing. `where` names the file in messages.
LoadReport load_legacy_weights(const FunctionalImpl& model, const serialize::LegacyWeights& file,
                               const LoadWeightsOptions& options, const std::string& where);

// The objects of Keras 3's weights tree: the model ("" path), then each
// layer under layers/<class in snake_case>[_n], nested models inside.
// With the optimizer's arrays of `state`, if any, under optimizer/vars.
std::vector<serialize::ObjectVariables> weights_tree(const FunctionalImpl& model,
                                                     const serialize::TrainingState& state = {});
LoadReport load_weights_tree(const FunctionalImpl& model,
                             const std::map<std::string, std::vector<Tensor>>& file,
                             const LoadWeightsOptions& options, const std::string& where);

}  // namespace keras::models::saving
