#pragma once
// The arguments of saving and loading (Keras' Model.save, save_weights,
// load_weights, models.load_model, model_from_json).
#include <string>
#include <vector>

#include "keras/serialize/training_state.hpp"

namespace keras::models {

// Which Keras a written config speaks. Keras 3's is the default; Keras 2's
// (tf.keras) is what Keras 2 reads: four-element node references,
// batch_input_shape, dtype strings, weight names with ":0". Keras 2 also
// computes some things differently (hard_sigmoid): a model that one dialect
// cannot express is refused with a keras::Error rather than changed.
enum class Dialect { keras3, keras2 };

struct SaveOptions {
  Dialect dialect = Dialect::keras3;
  // Training configuration and optimizer arrays to write as given, e.g. a
  // file's own (models::read_training_state), which keras-cpp convert
  // carries from file to file. Formats without a place for them (Keras 2
  // JSON or YAML with legacy weights) leave them out.
  serialize::TrainingState training_state = {};
};

struct ConfigOptions {
  Dialect dialect = Dialect::keras3;
};

struct LoadWeightsOptions {
  // Match layers by name instead of by position (legacy .h5 files only, as
  // in Keras); layers of the file that the model lacks are ignored.
  bool by_name = false;
  // Skip a layer whose weight count or shapes differ instead of failing.
  bool skip_mismatch = false;
};

// What load_weights did: which layers were loaded, which were skipped and why.
struct LoadReport {
  std::vector<std::string> loaded;
  std::vector<std::string> skipped;  // "dense_2: ..." with the reason
};

}  // namespace keras::models
