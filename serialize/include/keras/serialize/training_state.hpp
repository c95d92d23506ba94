#pragma once
// What a Keras model file holds about training besides the architecture and
// the weights (KERAS-FORMATS.md §5): the training configuration and the
// optimizer's arrays, kept as the file has them so that converting a file
// loses nothing. A legacy .h5 has them as the training_config attribute and
// the optimizer_weights group; a .keras archive as config.json's
// compile_config and the weights tree's optimizer/vars.
#include <string>
#include <vector>

#include "keras/serialize/config.hpp"
#include "keras/serialize/hdf5.hpp"
#include "keras/serialize/weight_files.hpp"

namespace keras::serialize {

struct TrainingState {
  // The legacy form ({"loss", ..., "optimizer_config": {"class_name", "config"}})
  // and Keras 3's ({"optimizer": {...}, "loss", ...}); null when the file has
  // neither. Each is derived from the other when the file has only one.
  Config training_config;
  Config compile_config;
  // The optimizer's arrays in its own order (names only in legacy files).
  std::vector<NamedArray> optimizer_variables;

  bool empty() const { return training_config.is_null() && optimizer_variables.empty(); }
};

// The legacy form of a Keras 3 compile_config, and back.
Config training_config_from_compile_config(const Config& compile_config);
Config compile_config_from_training_config(const Config& training_config);

// From and to a legacy HDF5 file's root.
TrainingState read_h5_training_state(const hdf5::Group& root);
void write_h5_training_state(const hdf5::Group& root, const TrainingState& state);

}  // namespace keras::serialize
