#pragma once
// Keras' two weight layouts, as named arrays, knowing no layer class
// (KERAS-FORMATS.md §1.3 and §4.2):
//
// - legacy (model.save("x.h5"), save_weights("x.h5")): `layer_names` on the
//   group, one sub-group per layer with `weight_names`, arrays at those
//   relative paths;
// - Keras 3 (.weights.h5, a .keras file's model.weights.h5): a `vars` group
//   per object that owns variables, arrays "0", "1", ... in its order.
#include <map>
#include <string>
#include <vector>

#include "keras/serialize/hdf5.hpp"

namespace keras::serialize {

struct NamedArray {
  std::string name;  // "dense/kernel:0", relative to the layer's group
  Tensor value;
};

struct LayerArrays {
  std::string layer;
  std::vector<NamedArray> weights;
};

struct LegacyWeights {
  std::string keras_version;        // "1" when the file does not say (Keras 1)
  std::string backend;              // "" when the file does not say
  std::vector<LayerArrays> layers;  // in the file's layer_names order
};

// Writes layer_names, backend and keras_version on `group`, a group per layer
// (created in name order, as tf.keras and Keras 3 do) and the empty
// top_level_model_weights group Keras 3 writes.
void write_legacy_weights(const hdf5::Group& group, const LegacyWeights& weights);
// Reads `group` (a weights file's root or a model file's model_weights).
LegacyWeights read_legacy_weights(const hdf5::Group& group);

struct ObjectVariables {
  std::string path;  // "layers/dense", "" for the model itself
  std::string name;  // the object's name, written as the `vars` group's `name`
  std::vector<Tensor> values;
};

void write_weights_tree(const hdf5::Group& root, const std::vector<ObjectVariables>& objects);
// Every `vars` group under `root`, by its object's path.
std::map<std::string, std::vector<Tensor>> read_weights_tree(const hdf5::Group& root);

}  // namespace keras::serialize
