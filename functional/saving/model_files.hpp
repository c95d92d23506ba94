#pragma once
// What the saving files share: configs in a dialect, models from a config of
// any Keras, the Keras version a dialect writes.
#include "keras/models/model.hpp"
#include "keras/serialize/config.hpp"
#include "weights.hpp"

namespace keras::models::saving {

// {"class_name", "config"} (plus Keras 3's module, build_config, ...) in
// `dialect`; a keras::Error names what the dialect cannot express.
serialize::Config model_config(const Model& model, Dialect dialect);
// A model from a config written by any Keras; `keras_version` is the file's
// when it has one.
Model model_from_any_config(const serialize::Config& config, std::string_view keras_version);

// The Keras 3 archive (.keras): metadata.json, config.json, model.weights.h5.
void save_keras_archive(const Model& model, const std::string& path,
                        const serialize::TrainingState& state);
serialize::TrainingState read_archive_training_state(const std::string& path);
Model load_keras_archive(const std::string& path);
// The weights tree inside a .keras archive.
std::map<std::string, std::vector<Tensor>> read_archive_weights(const std::string& path);

bool is_zip(std::string_view bytes);

}  // namespace keras::models::saving
