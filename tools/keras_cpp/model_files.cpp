#include "model_files.hpp"

#include <filesystem>

#include "keras/serialize/files.hpp"

namespace keras::tools {

namespace {

// "model.json" -> "model.weights.h5" (Keras 3) or "model_weights.h5" (Keras 2).
std::string weights_beside(const std::string& config, models::Dialect dialect) {
  const std::filesystem::path path(config);
  const std::string stem = (path.parent_path() / path.stem()).string();
  return stem + (dialect == models::Dialect::keras2 ? "_weights.h5" : ".weights.h5");
}

}  // namespace

FileKind kind_of(const std::string& path) {
  if (path.ends_with(".keras")) return FileKind::keras_archive;
  if (path.ends_with(".h5") || path.ends_with(".hdf5")) return FileKind::hdf5;
  if (path.ends_with(".json")) return FileKind::json;
  if (path.ends_with(".yaml") || path.ends_with(".yml")) return FileKind::yaml;
  throw Error(fmt::format(
      "'{}': keras-cpp reads and writes .keras, .h5 (or .hdf5), .json and .yaml files", path));
}

models::Model load_any(const std::string& path, const std::optional<std::string>& weights) {
  const FileKind kind = kind_of(path);
  if (kind == FileKind::json || kind == FileKind::yaml) {
    const std::string text = serialize::read_file(path);
    models::Model model =
        kind == FileKind::json ? models::model_from_json(text) : models::model_from_yaml(text);
    if (weights) model.load_weights(*weights);
    return model;
  }
  models::Model model = models::load_model(path);
  if (weights) model.load_weights(*weights);
  return model;
}

bool save_any(const models::Model& model, const std::string& path,
              const std::optional<std::string>& weights, models::Dialect dialect,
              const serialize::TrainingState& state) {
  const FileKind kind = kind_of(path);
  if (kind == FileKind::keras_archive || kind == FileKind::hdf5) {
    model.save(path, {.dialect = dialect, .training_state = state});
    return true;
  }
  // YAML is Keras 2's: its weights take Keras 2's legacy layout.
  const models::Dialect effective = kind == FileKind::yaml ? models::Dialect::keras2 : dialect;
  const std::string text =
      kind == FileKind::json ? model.to_json({.dialect = effective}) : model.to_yaml();
  const std::string weights_path = weights ? *weights : weights_beside(path, effective);
  // Keras 3's .weights.h5 holds the optimizer's arrays; legacy weights do not.
  const bool keeps_state =
      effective == models::Dialect::keras3 && weights_path.ends_with(".weights.h5");
  model.save_weights(
      weights_path,
      {.dialect = effective, .training_state = keeps_state ? state : serialize::TrainingState{}});
  serialize::write_file_atomically(path, text);
  return keeps_state || state.empty();
}

}  // namespace keras::tools
