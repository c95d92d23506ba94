#include "keras/serialize/weight_files.hpp"

#include <algorithm>
#include <cstdlib>

#include "keras/error.hpp"

namespace keras::serialize {

void write_legacy_weights(const hdf5::Group& group, const LegacyWeights& weights) {
  std::vector<std::string> names;
  for (const LayerArrays& layer : weights.layers) names.push_back(layer.layer);
  group.write_strings("layer_names", names);
  group.write_string("backend", weights.backend);
  group.write_string("keras_version", weights.keras_version);
  std::vector<const LayerArrays*> sorted;
  for (const LayerArrays& layer : weights.layers) sorted.push_back(&layer);
  std::sort(sorted.begin(), sorted.end(),
            [](const LayerArrays* a, const LayerArrays* b) { return a->layer < b->layer; });
  for (const LayerArrays* layer : sorted) {
    const hdf5::Group g = group.require_group(layer->layer);
    std::vector<std::string> weight_names;
    for (const NamedArray& w : layer->weights) {
      weight_names.push_back(w.name);
      g.write_dataset(w.name, w.value);
    }
    g.write_strings("weight_names", weight_names);
  }
  group.require_group("top_level_model_weights").write_strings("weight_names", {});
}

LegacyWeights read_legacy_weights(const hdf5::Group& group) {
  LegacyWeights out;
  out.keras_version =
      group.has_attribute("keras_version") ? group.read_string("keras_version") : "1";
  out.backend = group.has_attribute("backend") ? group.read_string("backend") : "";
  for (const std::string& name : group.read_strings("layer_names")) {
    if (!group.has_group(name)) {
      throw Error(fmt::format("{}: layer_names lists '{}' but the file has no group for it",
                              group.where(), name));
    }
    const hdf5::Group g = group.group(name);
    LayerArrays layer{name, {}};
    for (const std::string& weight : g.read_strings("weight_names")) {
      layer.weights.push_back({weight, g.read_dataset(weight)});
    }
    out.layers.push_back(std::move(layer));
  }
  return out;
}

void write_weights_tree(const hdf5::Group& root, const std::vector<ObjectVariables>& objects) {
  for (const ObjectVariables& object : objects) {
    const hdf5::Group vars =
        root.require_group(object.path.empty() ? "vars" : object.path + "/vars");
    vars.write_string("name", object.name, hdf5::Charset::utf8);
    for (std::size_t i = 0; i < object.values.size(); ++i) {
      vars.write_dataset(std::to_string(i), object.values[i]);
    }
  }
}

namespace {

// Keras' trees are a few levels deep; a hostile file may not recurse forever.
constexpr int kMaxDepth = 64;

bool is_index(const std::string& name) {
  return !name.empty() && name.size() < 10 &&
         std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; });
}

void collect(const hdf5::Group& group, const std::string& path, int depth,
             std::map<std::string, std::vector<Tensor>>& out) {
  if (depth > kMaxDepth) {
    throw Error(fmt::format("{}: the weights tree is nested deeper than {} groups", group.where(),
                            kMaxDepth));
  }
  for (const std::string& child : group.groups()) {
    const hdf5::Group g = group.group(child);
    if (child != "vars") {
      collect(g, path.empty() ? child : path + "/" + child, depth + 1, out);
      continue;
    }
    std::vector<std::string> names = g.datasets();
    for (const std::string& name : names) {
      if (!is_index(name)) {
        throw Error(fmt::format("{}: a vars group holds '{}'; Keras names its arrays 0, 1, ...",
                                g.where(), name));
      }
    }
    std::vector<Tensor> values(names.size());
    for (const std::string& name : names) {
      const auto index = static_cast<std::size_t>(std::strtoul(name.c_str(), nullptr, 10));
      if (index >= names.size()) {
        throw Error(
            fmt::format("{}: the arrays are not numbered 0 to {}", g.where(), names.size() - 1));
      }
      values[index] = g.read_dataset(name);
    }
    out[path] = std::move(values);
  }
}

}  // namespace

std::map<std::string, std::vector<Tensor>> read_weights_tree(const hdf5::Group& root) {
  std::map<std::string, std::vector<Tensor>> out;
  collect(root, "", 0, out);
  return out;
}

}  // namespace keras::serialize
