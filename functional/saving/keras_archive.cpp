// Keras 3's .keras archive (KERAS-FORMATS.md §4.1): stored zip members
// metadata.json, config.json and model.weights.h5, read by exact name.
#include <ctime>

#include "keras/serialize/hdf5.hpp"
#include "keras/serialize/zip_archive.hpp"
#include "model_files.hpp"

namespace keras::models::saving {

namespace {

constexpr const char* kConfig = "config.json";
constexpr const char* kMetadata = "metadata.json";
constexpr const char* kWeights = "model.weights.h5";

std::string date_saved() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d@%H:%M:%S", &utc);
  return text;
}

std::string member(const serialize::ZipReader& zip, const std::string& path, const char* name) {
  if (!zip.contains(name)) {
    throw Error(
        fmt::format("'{}' is a zip file without '{}': not a Keras 3 .keras archive", path, name));
  }
  return zip.read(name);
}

}  // namespace

void save_keras_archive(const Model& model, const std::string& path,
                        const serialize::TrainingState& state) {
  serialize::Config config = model_config(model, Dialect::keras3);
  serialize::Config compile_config = state.compile_config;
  if (compile_config.is_null()) {
    compile_config = serialize::compile_config_from_training_config(state.training_config);
  }
  if (compile_config.is_dict() && compile_config.size() > 0) {
    config["compile_config"] = compile_config;
  }
  serialize::Config metadata = serialize::Config::dict();
  metadata["keras_version"] = keras_version(Dialect::keras3);
  metadata["date_saved"] = date_saved();
  serialize::hdf5::File weights = serialize::hdf5::File::create(kWeights);
  serialize::write_weights_tree(weights, weights_tree(model.impl(), state));
  serialize::ZipWriter zip(path);
  zip.add(kMetadata, metadata.to_json());
  zip.add(kConfig, config.to_json());
  zip.add(kWeights, weights.image());
  zip.close();
}

namespace {

// The weights tree of an open archive.
std::map<std::string, std::vector<Tensor>> weights_of(const serialize::ZipReader& zip,
                                                      const std::string& path) {
  const serialize::hdf5::File weights = serialize::hdf5::File::open_image(
      member(zip, path, kWeights), fmt::format("{} (member {})", path, kWeights));
  return serialize::read_weights_tree(weights);
}

}  // namespace

std::map<std::string, std::vector<Tensor>> read_archive_weights(const std::string& path) {
  return weights_of(serialize::ZipReader(path), path);
}

serialize::TrainingState read_archive_training_state(const std::string& path) {
  const serialize::ZipReader zip(path);
  serialize::TrainingState state;
  const serialize::Config config = serialize::Config::from_json(member(zip, path, kConfig));
  if (config.is_dict() && config.contains("compile_config") &&
      config.at("compile_config").is_dict() && config.at("compile_config").size() > 0) {
    state.compile_config = config.at("compile_config");
    state.training_config = serialize::training_config_from_compile_config(state.compile_config);
  }
  const auto tree = weights_of(zip, path);
  if (auto it = tree.find("optimizer"); it != tree.end()) {
    for (std::size_t i = 0; i < it->second.size(); ++i) {
      state.optimizer_variables.push_back({fmt::format("optimizer/vars/{}", i), it->second[i]});
    }
  }
  return state;
}

Model load_keras_archive(const std::string& path) {
  const serialize::ZipReader zip(path);
  // tf-keras writes archives too (2.13 on), with its own dialect inside:
  // metadata.json's version says which.
  std::string version;
  if (zip.contains(kMetadata)) {
    const serialize::Config metadata = serialize::Config::from_json(zip.read(kMetadata));
    if (metadata.is_dict() && metadata.contains("keras_version") &&
        metadata.at("keras_version").is_string()) {
      version = metadata.at("keras_version").as_string();
    }
  }
  serialize::Config config;
  try {
    config = serialize::Config::from_json(member(zip, path, kConfig));
  } catch (const Error& e) {
    throw Error(fmt::format("{}: {} is not valid JSON: {}", path, kConfig, e.what()));
  }
  Model model = model_from_any_config(config, version);
  load_weights_tree(model.impl(), weights_of(zip, path), {}, path);
  return model;
}

}  // namespace keras::models::saving
