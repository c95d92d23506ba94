#pragma once
// The files keras-cpp reads and writes, by name: whole models (.keras, .h5),
// configs (.json, .yaml) with their weights beside them.
#include <optional>
#include <string>

#include "keras/models/model.hpp"

namespace keras::tools {

enum class FileKind { keras_archive, hdf5, json, yaml };

// By the extension; a keras::Error names the extensions keras-cpp knows.
FileKind kind_of(const std::string& path);

// A whole-model file, or a config with `weights` (required for a config:
// a config alone has no trained weights).
models::Model load_any(const std::string& path, const std::optional<std::string>& weights);

// Writes `model` to `path` in its kind, with `state` where the format has a
// place for it; a config's weights go to `weights` (by default the config's
// name with .weights.h5, or _weights.h5 in the Keras 2 dialect). False when
// `state` had to be left out.
bool save_any(const models::Model& model, const std::string& path,
              const std::optional<std::string>& weights, models::Dialect dialect,
              const serialize::TrainingState& state);

}  // namespace keras::tools
