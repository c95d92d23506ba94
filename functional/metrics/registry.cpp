// Keras' names for metrics: class names, function names and aliases.
#include <functional>
#include <map>

#include "keras/metrics.hpp"

namespace keras::metrics {

namespace {

struct Entry {
  std::function<Metric(const std::string& name)> make;
  bool is_class;  // class names take their default name
};

// Any metric class from a name: every options struct has one.
template <class Options>
std::function<Metric(const std::string&)> maker(Metric (*cls)(Options)) {
  return [cls](const std::string& name) {
    Options options;
    options.name = name;
    return cls(options);
  };
}

const std::map<std::string, Entry, std::less<>>& table() {
  static const std::map<std::string, Entry, std::less<>> entries = [] {
    std::map<std::string, Entry, std::less<>> t;
    const auto add = [&](const std::string& class_name,
                         std::function<Metric(const std::string&)> make,
                         std::vector<std::string> function_names) {
      t[class_name] = {make, true};
      for (const std::string& f : function_names) t[f] = {make, false};
    };
    add("Accuracy", maker(Accuracy), {"accuracy", "acc"});
    add("BinaryAccuracy", maker(BinaryAccuracy), {"binary_accuracy"});
    add("CategoricalAccuracy", maker(CategoricalAccuracy), {"categorical_accuracy"});
    add("SparseCategoricalAccuracy", maker(SparseCategoricalAccuracy),
        {"sparse_categorical_accuracy"});
    add("TopKCategoricalAccuracy", maker(TopKCategoricalAccuracy), {"top_k_categorical_accuracy"});
    add("SparseTopKCategoricalAccuracy", maker(SparseTopKCategoricalAccuracy),
        {"sparse_top_k_categorical_accuracy"});
    add("MeanSquaredError", maker(MeanSquaredError), {"mean_squared_error", "mse", "MSE"});
    add("MeanAbsoluteError", maker(MeanAbsoluteError), {"mean_absolute_error", "mae", "MAE"});
    add("MeanAbsolutePercentageError", maker(MeanAbsolutePercentageError),
        {"mean_absolute_percentage_error", "mape", "MAPE"});
    add("MeanSquaredLogarithmicError", maker(MeanSquaredLogarithmicError),
        {"mean_squared_logarithmic_error", "msle", "MSLE"});
    add("RootMeanSquaredError", maker(RootMeanSquaredError), {});
    add("BinaryCrossentropy", maker(BinaryCrossentropy), {"binary_crossentropy", "bce", "BCE"});
    add("CategoricalCrossentropy", maker(CategoricalCrossentropy), {"categorical_crossentropy"});
    add("SparseCategoricalCrossentropy", maker(SparseCategoricalCrossentropy),
        {"sparse_categorical_crossentropy"});
    add("AUC", maker(AUC), {});
    add("Precision", maker(Precision), {});
    add("Recall", maker(Recall), {});
    add("F1Score", maker(F1Score), {});
    add("FBetaScore", maker(FBetaScore), {});
    add("Mean", [](const std::string& n) { return Metric(Mean({.name = n})); }, {});
    return t;
  }();
  return entries;
}

}  // namespace

Metric get(std::string_view name) {
  auto it = table().find(name);
  if (it == table().end()) {
    std::string known;
    for (const auto& [n, e] : table()) known += (known.empty() ? "" : ", ") + n;
    throw Error(fmt::format("unknown metric '{}'; Keras' metrics are: {}", name, known));
  }
  return it->second.make(it->second.is_class ? "" : std::string(name));
}

Metric from_config(const serialize::Config& serialized) {
  using serialize::Config;
  if (serialized.is_string()) return Metric(serialized.as_string());
  const std::string& class_name = serialized.at("class_name").as_string();
  const Config& config = serialized.contains("config") ? serialized.at("config") : Config::dict();
  const auto num = [&](const char* key, double fallback) {
    return config.contains(key) && !config.at(key).is_null() ? config.at(key).as_number()
                                                             : fallback;
  };
  const std::string name =
      config.contains("name") && config.at("name").is_string() ? config.at("name").as_string() : "";
  if (class_name == "BinaryAccuracy") {
    return BinaryAccuracy({.threshold = num("threshold", 0.5), .name = name});
  }
  if (class_name == "TopKCategoricalAccuracy" || class_name == "SparseTopKCategoricalAccuracy") {
    const TopKOptions o{static_cast<std::int64_t>(num("k", 5)), name};
    return class_name == "TopKCategoricalAccuracy" ? TopKCategoricalAccuracy(o)
                                                   : SparseTopKCategoricalAccuracy(o);
  }
  if (class_name == "AUC") {
    AUCOptions o;
    o.num_thresholds = static_cast<std::int64_t>(num("num_thresholds", 200));
    if (config.contains("curve")) o.curve = config.at("curve").as_string();
    if (config.contains("summation_method")) {
      o.summation_method = config.at("summation_method").as_string();
    }
    if (config.contains("from_logits")) o.from_logits = config.at("from_logits").as_bool();
    if (config.contains("multi_label")) o.multi_label = config.at("multi_label").as_bool();
    if (config.contains("label_weights") && config.at("label_weights").is_list()) {
      for (const Config& w : config.at("label_weights").as_list()) {
        o.label_weights.push_back(w.as_number());
      }
    }
    o.name = name;
    return AUC(o);
  }
  if (class_name == "Precision" || class_name == "Recall") {
    PrecisionRecallOptions o;
    if (config.contains("thresholds") && !config.at("thresholds").is_null()) {
      const Config& t = config.at("thresholds");
      if (t.is_list()) {
        for (const Config& v : t.as_list()) o.thresholds.push_back(v.as_number());
      } else {
        o.thresholds.push_back(t.as_number());
      }
    }
    o.name = name;
    return class_name == "Precision" ? Precision(o) : Recall(o);
  }
  if (class_name == "F1Score" || class_name == "FBetaScore") {
    FBetaOptions o;
    if (config.contains("average") && !config.at("average").is_null()) {
      o.average = config.at("average").as_string();
    }
    o.beta = num("beta", 1.0);
    if (config.contains("threshold") && !config.at("threshold").is_null()) {
      o.threshold = config.at("threshold").as_number();
    }
    o.name = name;
    return class_name == "F1Score" ? F1Score(o) : FBetaScore(o);
  }
  Metric metric = get(class_name);
  if (!name.empty()) metric.impl().set_name(name);
  return metric;
}

serialize::Config serialize(const Metric& metric) {
  serialize::Config out = serialize::Config::dict();
  out["module"] = "keras.metrics";
  out["class_name"] = metric.impl().class_name();
  out["config"] = metric.get_config();
  out["registered_name"] = nullptr;
  return out;
}

Metric resolve_accuracy(const std::string& name, const Shape& y_true, const Shape& y_pred) {
  const std::int64_t true_rank = y_true.rank();
  const std::int64_t pred_rank = y_pred.rank();
  const std::int64_t true_last = true_rank > 0 ? y_true.dim(-1) : 1;
  const std::int64_t pred_last = pred_rank > 0 ? y_pred.dim(-1) : 1;
  if (pred_last == 1) return BinaryAccuracy({.name = name});
  if (true_rank < pred_rank || (true_last == 1 && pred_last > 1)) {
    return SparseCategoricalAccuracy({.name = name});
  }
  return CategoricalAccuracy({.name = name});
}

}  // namespace keras::metrics
