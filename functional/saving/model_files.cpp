// Model.save / save_weights / load_weights and models.load_model: the file
// kind is chosen by the name when saving and by the content when loading
// (TF up to 2.12 wrote HDF5 into files named .keras).
#include "model_files.hpp"

#include "keras/serialize/files.hpp"
#include "keras/serialize/hdf5.hpp"

namespace keras::models {

namespace {

using serialize::hdf5::File;

bool is_legacy_h5_name(std::string_view path) {
  return path.ends_with(".h5") || path.ends_with(".hdf5");
}

// The group holding layer_names: a weights file's root, or a model file's
// model_weights.
std::optional<serialize::hdf5::Group> legacy_weights_group(const File& file) {
  if (file.has_attribute("layer_names") || file.has_attribute("layer_names0")) return file;
  if (file.has_group("model_weights")) return file.group("model_weights");
  return std::nullopt;
}

}  // namespace

namespace saving {

bool is_zip(std::string_view bytes) {
  return bytes.size() >= 4 && bytes.substr(0, 4) == std::string_view("PK\x03\x04", 4);
}

}  // namespace saving

void Model::save(const std::string& path, SaveOptions options) const {
  if (path.ends_with(".keras")) {
    if (options.dialect == Dialect::keras2) {
      throw Error(fmt::format(
          "cannot save '{}': a .keras archive is Keras 3's format; for Keras 2 save a .h5 file",
          path));
    }
    saving::save_keras_archive(*this, path, options.training_state);
    return;
  }
  if (!is_legacy_h5_name(path)) {
    throw Error(fmt::format(
        "cannot save '{}': the name must end in .keras (Keras 3's archive) or .h5 (the legacy "
        "HDF5 file)",
        path));
  }
  const serialize::Config config = saving::model_config(*this, options.dialect);
  File file = File::create(path);
  file.write_string("keras_version", saving::keras_version(options.dialect),
                    serialize::hdf5::Charset::utf8);
  file.write_string("backend", options.dialect == Dialect::keras2 ? "tensorflow" : "jax",
                    serialize::hdf5::Charset::utf8);
  serialize::Config envelope = serialize::Config::dict();
  envelope["class_name"] = config.at("class_name");
  envelope["config"] = config.at("config");
  file.write_string("model_config", envelope.to_json());
  serialize::write_legacy_weights(file.require_group("model_weights"),
                                  saving::legacy_weights(impl(), options.dialect));
  serialize::TrainingState state = options.training_state;
  if (state.training_config.is_null()) {
    state.training_config = serialize::training_config_from_compile_config(state.compile_config);
  }
  serialize::write_h5_training_state(file, state);
  serialize::write_file_atomically(path, file.image());
}

void Model::save_weights(const std::string& path, SaveOptions options) const {
  File file = File::create(path);
  if (path.ends_with(".weights.h5")) {
    if (options.dialect == Dialect::keras2) {
      throw Error(fmt::format(
          "cannot save '{}': .weights.h5 is Keras 3's layout; for Keras 2 name the file .h5",
          path));
    }
    serialize::write_weights_tree(file, saving::weights_tree(impl(), options.training_state));
  } else if (is_legacy_h5_name(path)) {
    serialize::write_legacy_weights(file, saving::legacy_weights(impl(), options.dialect));
  } else {
    throw Error(fmt::format(
        "cannot save weights to '{}': the name must end in .weights.h5 (Keras 3) or .h5 (the "
        "legacy layout)",
        path));
  }
  serialize::write_file_atomically(path, file.image());
}

LoadReport Model::load_weights(const std::string& path, LoadWeightsOptions options) const {
  std::string bytes = serialize::read_file(path);
  if (saving::is_zip(bytes)) {
    return saving::load_weights_tree(impl(), saving::read_archive_weights(path), options, path);
  }
  const File file = File::open_image(std::move(bytes), path);
  if (const auto group = legacy_weights_group(file)) {
    return saving::load_legacy_weights(impl(), serialize::read_legacy_weights(*group), options,
                                       path);
  }
  return saving::load_weights_tree(impl(), serialize::read_weights_tree(file), options, path);
}

serialize::TrainingState read_training_state(const std::string& path) {
  std::string bytes = serialize::read_file(path);
  if (saving::is_zip(bytes)) return saving::read_archive_training_state(path);
  if (!serialize::hdf5::is_hdf5(bytes)) return {};
  return serialize::read_h5_training_state(File::open_image(std::move(bytes), path));
}

Model load_model(const std::string& path) {
  std::string bytes = serialize::read_file(path);
  if (saving::is_zip(bytes)) return saving::load_keras_archive(path);
  const File file = File::open_image(std::move(bytes), path);
  if (!file.has_attribute("model_config")) {
    throw Error(
        fmt::format("'{}' holds no model config (it is a weights-only file): build the model (or "
                    "model_from_json) and call load_weights",
                    path));
  }
  const std::string version =
      file.has_attribute("keras_version") ? file.read_string("keras_version") : "1";
  serialize::Config config;
  try {
    config = serialize::Config::from_json(file.read_string("model_config"));
  } catch (const Error& e) {
    throw Error(
        fmt::format("{}: the model_config attribute is not valid JSON: {}", path, e.what()));
  }
  Model model = saving::model_from_any_config(config, version);
  const auto group = legacy_weights_group(file);
  if (!group) throw Error(fmt::format("{}: the file has no model_weights group", path));
  saving::load_legacy_weights(model.impl(), serialize::read_legacy_weights(*group), {}, path);
  return model;
}

}  // namespace keras::models
