// Keras' names for metrics: class names, function names and aliases.
#include <functional>
#include <map>

#include "keras/metrics.hpp"

namespace keras::metrics {

namespace {

using serialize::Config;

// A metric class from the arguments of its Keras config.
using Maker = std::function<Metric(const Config& args)>;

struct Entry {
  Maker make;
  bool is_class;  // class names take their default name
};

std::vector<double> numbers(const Config& c) {
  std::vector<double> out;
  for (const Config& v : c.is_list() ? c.as_list() : Config::List{c}) out.push_back(v.as_number());
  return out;
}

// The options of a metric from its Keras config: each argument the options
// struct has and the config gives; the struct's defaults for the rest.
template <class Options>
Options options_from(const Config& args) {
  Options o;
  const auto given = [&](const char* key) { return args.contains(key) && !args.at(key).is_null(); };
  if (given("name")) o.name = args.at("name").as_string();
  if constexpr (requires { o.threshold = 0.5; }) {
    if (given("threshold")) o.threshold = args.at("threshold").as_number();
  }
  if constexpr (requires { o.k; }) {
    if (given("k")) o.k = args.at("k").as_int();
  }
  if constexpr (requires { o.num_thresholds; }) {
    if (given("num_thresholds")) o.num_thresholds = args.at("num_thresholds").as_int();
  }
  if constexpr (requires { o.curve; }) {
    if (given("curve")) o.curve = args.at("curve").as_string();
  }
  if constexpr (requires { o.summation_method; }) {
    if (given("summation_method")) o.summation_method = args.at("summation_method").as_string();
  }
  if constexpr (requires { o.multi_label; }) {
    if (given("multi_label")) o.multi_label = args.at("multi_label").as_bool();
  }
  if constexpr (requires { o.label_weights; }) {
    if (given("label_weights")) o.label_weights = numbers(args.at("label_weights"));
  }
  if constexpr (requires { o.from_logits; }) {
    if (given("from_logits")) o.from_logits = args.at("from_logits").as_bool();
  }
  if constexpr (requires { o.thresholds; }) {
    if (given("thresholds")) o.thresholds = numbers(args.at("thresholds"));
  }
  if constexpr (requires { o.average; }) {
    if (given("average")) o.average = args.at("average").as_string();
  }
  if constexpr (requires { o.beta; }) {
    if (given("beta")) o.beta = args.at("beta").as_number();
  }
  return o;
}

template <class Options>
Maker maker(Metric (*cls)(Options)) {
  return [cls](const Config& args) { return cls(options_from<Options>(args)); };
}

Config named(const std::string& name) {
  Config args = Config::dict();
  if (!name.empty()) args["name"] = name;
  return args;
}

const std::map<std::string, Entry, std::less<>>& table() {
  static const std::map<std::string, Entry, std::less<>> entries = [] {
    std::map<std::string, Entry, std::less<>> t;
    const auto add = [&](const std::string& class_name, Maker make,
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
    add("Mean", [](const Config& args) { return Metric(Mean(options_from<MetricOptions>(args))); },
        {});
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
  return it->second.make(named(it->second.is_class ? "" : std::string(name)));
}

Metric from_config(const Config& serialized) {
  if (serialized.is_string()) return Metric(serialized.as_string());
  const std::string& class_name = serialized.at("class_name").as_string();
  auto it = table().find(class_name);
  if (it == table().end() || !it->second.is_class) return get(class_name);
  return it->second.make(serialized.contains("config") ? serialized.at("config") : Config::dict());
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
