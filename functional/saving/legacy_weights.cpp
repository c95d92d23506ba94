// The legacy layout: one group per entry of model.layers, weights paired by
// position (or by layer name), as Keras' legacy_h5_format does.
#include <algorithm>
#include <map>

#include "weights.hpp"

namespace keras::models::saving {

namespace {

std::vector<Variable> legacy_order(const layers::LayerImpl& layer) {
  std::vector<Variable> all = layer.trainable_weights();
  for (const Variable& v : layer.non_trainable_weights()) all.push_back(v);
  return all;
}

// A check of one layer against the file's arrays; empty when they fit.
std::string mismatch(const layers::LayerImpl& layer, const serialize::LayerArrays& saved) {
  const std::vector<Variable> weights = legacy_order(layer);
  if (weights.size() != saved.weights.size()) {
    return fmt::format("layer '{}' has {} weights but the file's layer '{}' has {}", layer.name(),
                       weights.size(), saved.layer, saved.weights.size());
  }
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const Tensor& value = saved.weights[i].value;
    if (value.shape() != weights[i].shape()) {
      return fmt::format("weight '{}' of layer '{}' has shape {} but the file's '{}' has {}",
                         weights[i].name(), layer.name(), weights[i].shape().to_string(),
                         saved.weights[i].name, value.shape().to_string());
    }
  }
  return "";
}

void assign(const layers::LayerImpl& layer, const serialize::LayerArrays& saved) {
  const std::vector<Variable> weights = legacy_order(layer);
  for (std::size_t i = 0; i < weights.size(); ++i) {
    Variable v = weights[i];
    const Tensor& value = saved.weights[i].value;
    v.assign(value.dtype() == v.dtype() ? value : value.astype(v.dtype()));
  }
}

}  // namespace

std::string keras_version(Dialect dialect) {
  return dialect == Dialect::keras2 ? "2.21.0" : "3.15.1";
}

serialize::LegacyWeights legacy_weights(const FunctionalImpl& model, Dialect dialect) {
  serialize::LegacyWeights out;
  out.keras_version = keras_version(dialect);
  out.backend = dialect == Dialect::keras2 ? "tensorflow" : "jax";
  for (const auto& layer : model.sublayers()) {
    serialize::LayerArrays arrays{layer->name(), {}};
    for (const Variable& v : legacy_order(*layer)) {
      // tf.keras names a variable after its TensorFlow tensor ("...:0").
      arrays.weights.push_back(
          {dialect == Dialect::keras2 ? v.name() + ":0" : v.name(), v.value().clone()});
    }
    out.layers.push_back(std::move(arrays));
  }
  return out;
}

LoadReport load_legacy_weights(const FunctionalImpl& model, const serialize::LegacyWeights& file,
                               const LoadWeightsOptions& options, const std::string& where) {
  LoadReport report;
  std::vector<std::pair<const layers::LayerImpl*, const serialize::LayerArrays*>> pairs;
  const auto layers = model.sublayers();
  if (options.by_name) {
    for (const serialize::LayerArrays& saved : file.layers) {
      for (const auto& layer : layers) {
        if (layer->name() == saved.layer) pairs.emplace_back(layer.get(), &saved);
      }
    }
  } else {
    std::vector<const layers::LayerImpl*> with_weights;
    for (const auto& layer : layers) {
      if (!legacy_order(*layer).empty()) with_weights.push_back(layer.get());
    }
    std::vector<const serialize::LayerArrays*> saved;
    for (const serialize::LayerArrays& s : file.layers) {
      if (!s.weights.empty()) saved.push_back(&s);
    }
    if (with_weights.size() != saved.size()) {
      throw Error(fmt::format(
          "{}: the model '{}' has {} layers with weights but the file has {}; load into the "
          "model the file was saved from, or use {{.by_name = true}}",
          where, model.name(), with_weights.size(), saved.size()));
    }
    for (std::size_t i = 0; i < saved.size(); ++i) pairs.emplace_back(with_weights[i], saved[i]);
  }
  // Check everything first: a failed load leaves the model as it was.
  std::vector<std::pair<const layers::LayerImpl*, const serialize::LayerArrays*>> accepted;
  for (const auto& [layer, saved] : pairs) {
    const std::string problem = mismatch(*layer, *saved);
    if (problem.empty()) {
      accepted.emplace_back(layer, saved);
    } else if (options.skip_mismatch) {
      report.skipped.push_back(fmt::format("{}: {}", layer->name(), problem));
    } else {
      throw Error(fmt::format("{}: {}; pass {{.skip_mismatch = true}} to skip such layers", where,
                              problem));
    }
  }
  for (const auto& [layer, saved] : accepted) {
    assign(*layer, *saved);
    report.loaded.push_back(layer->name());
  }
  if (options.by_name) {
    for (const auto& layer : layers) {
      const bool matched = std::any_of(pairs.begin(), pairs.end(),
                                       [&](const auto& p) { return p.first == layer.get(); });
      if (!matched && !legacy_order(*layer).empty()) {
        report.skipped.push_back(
            fmt::format("{}: the file has no layer of that name", layer->name()));
      }
    }
  }
  return report;
}

}  // namespace keras::models::saving
