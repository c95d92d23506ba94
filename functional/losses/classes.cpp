// The loss classes (keras.losses.MeanSquaredError, ...) and Keras' names for
// them: class names, function names and aliases.
#include <functional>
#include <map>

#include "keras/graph/ops.hpp"
#include "keras/losses.hpp"

namespace keras::losses {

using serialize::Config;

namespace {

// A loss function with its keyword arguments (Keras' LossFunctionWrapper).
class FunctionLoss final : public LossImpl {
 public:
  using Fn = std::function<Value(const Value&, const Value&)>;
  FunctionLoss(std::string class_name, std::string name, std::string reduction, Fn fn,
               Config kwargs)
      : LossImpl(std::move(class_name), std::move(name), std::move(reduction)),
        fn_(std::move(fn)),
        kwargs_(std::move(kwargs)) {}

  Value call(const Value& y_true, const Value& y_pred) const override {
    return fn_(y_true, y_pred);
  }
  Config get_config() const override {
    Config config = LossImpl::get_config();
    for (const auto& [key, value] : kwargs_.as_dict()) config[key] = value;
    return config;
  }

 private:
  Fn fn_;
  Config kwargs_;
};

Loss make(std::string class_name, const std::string& default_name, std::string reduction,
          const std::string& name, FunctionLoss::Fn fn, Config kwargs = Config::dict()) {
  return Loss(
      std::make_shared<FunctionLoss>(std::move(class_name), name.empty() ? default_name : name,
                                     std::move(reduction), std::move(fn), std::move(kwargs)));
}

Config crossentropy_kwargs(const CrossentropyOptions& o) {
  Config kwargs = Config::dict();
  kwargs["from_logits"] = o.from_logits;
  kwargs["label_smoothing"] = o.label_smoothing;
  kwargs["axis"] = o.axis;
  return kwargs;
}

}  // namespace

Loss MeanSquaredError(LossOptions o) {
  return make("MeanSquaredError", "mean_squared_error", o.reduction, o.name, mean_squared_error);
}

Loss MeanAbsoluteError(LossOptions o) {
  return make("MeanAbsoluteError", "mean_absolute_error", o.reduction, o.name, mean_absolute_error);
}

Loss MeanAbsolutePercentageError(LossOptions o) {
  return make("MeanAbsolutePercentageError", "mean_absolute_percentage_error", o.reduction, o.name,
              mean_absolute_percentage_error);
}

Loss MeanSquaredLogarithmicError(LossOptions o) {
  return make("MeanSquaredLogarithmicError", "mean_squared_logarithmic_error", o.reduction, o.name,
              mean_squared_logarithmic_error);
}

Loss BinaryCrossentropy(CrossentropyOptions o) {
  return make(
      "BinaryCrossentropy", "binary_crossentropy", o.reduction, o.name,
      [o](const Value& t, const Value& p) {
        return binary_crossentropy(t, p, o.from_logits, o.label_smoothing, o.axis);
      },
      crossentropy_kwargs(o));
}

Loss BinaryFocalCrossentropy(BinaryFocalCrossentropyOptions o) {
  Config kwargs = Config::dict();
  kwargs["apply_class_balancing"] = o.apply_class_balancing;
  kwargs["alpha"] = o.alpha;
  kwargs["gamma"] = o.gamma;
  kwargs["from_logits"] = o.from_logits;
  kwargs["label_smoothing"] = o.label_smoothing;
  kwargs["axis"] = o.axis;
  return make(
      "BinaryFocalCrossentropy", "binary_focal_crossentropy", o.reduction, o.name,
      [o](const Value& t, const Value& p) { return binary_focal_crossentropy(t, p, o); }, kwargs);
}

Loss CategoricalCrossentropy(CrossentropyOptions o) {
  return make(
      "CategoricalCrossentropy", "categorical_crossentropy", o.reduction, o.name,
      [o](const Value& t, const Value& p) {
        return categorical_crossentropy(t, p, o.from_logits, o.label_smoothing, o.axis);
      },
      crossentropy_kwargs(o));
}

Loss CategoricalFocalCrossentropy(CategoricalFocalCrossentropyOptions o) {
  Config kwargs = Config::dict();
  kwargs["alpha"] = o.alpha;
  kwargs["gamma"] = o.gamma;
  kwargs["from_logits"] = o.from_logits;
  kwargs["label_smoothing"] = o.label_smoothing;
  kwargs["axis"] = o.axis;
  return make(
      "CategoricalFocalCrossentropy", "categorical_focal_crossentropy", o.reduction, o.name,
      [o](const Value& t, const Value& p) { return categorical_focal_crossentropy(t, p, o); },
      kwargs);
}

namespace {

// With ignore_class, the samples of that class count for nothing: their
// loss is 0 and the mean is over the others (Keras' loss mask).
class SparseCategoricalCrossentropyImpl final : public LossImpl {
 public:
  explicit SparseCategoricalCrossentropyImpl(SparseCategoricalCrossentropyOptions o)
      : LossImpl("SparseCategoricalCrossentropy",
                 o.name.empty() ? "sparse_categorical_crossentropy" : o.name, o.reduction),
        o_(std::move(o)) {}

  Value call(const Value& y_true, const Value& y_pred) const override {
    if (!o_.ignore_class) {
      return sparse_categorical_crossentropy(y_true, y_pred, o_.from_logits, o_.axis);
    }
    const Value valid = valid_labels(y_true);
    const Value labels = y_true * ops::cast(valid, y_true.dtype());
    const Value kept = y_pred * ops::cast(ops::expand_dims(valid, -1), y_pred.dtype());
    const Value losses = sparse_categorical_crossentropy(labels, kept, o_.from_logits, o_.axis);
    return ops::where(as_loss_shape(valid, losses), losses, ops::zeros_like(losses));
  }

  std::optional<Value> mask(const Value& y_true, const Value& y_pred) const override {
    if (!o_.ignore_class) return std::nullopt;
    const Value valid = valid_labels(y_true);
    std::vector<std::int64_t> dims = y_pred.shape().dims();
    dims.pop_back();
    return valid.shape().rank() == static_cast<std::int64_t>(dims.size())
               ? valid
               : ops::squeeze(valid, {-1});
  }

  serialize::Config get_config() const override {
    serialize::Config c = LossImpl::get_config();
    c["from_logits"] = o_.from_logits;
    c["ignore_class"] = o_.ignore_class ? serialize::Config(*o_.ignore_class) : serialize::Config();
    c["axis"] = o_.axis;
    return c;
  }

 private:
  Value valid_labels(const Value& y_true) const {
    return ops::not_equal(y_true, ops::scalar_like(y_true, static_cast<double>(*o_.ignore_class)));
  }
  static Value as_loss_shape(const Value& valid, const Value& losses) {
    return valid.shape().rank() == losses.shape().rank() ? valid : ops::squeeze(valid, {-1});
  }

  SparseCategoricalCrossentropyOptions o_;
};

}  // namespace

Loss SparseCategoricalCrossentropy(SparseCategoricalCrossentropyOptions o) {
  return Loss(std::make_shared<SparseCategoricalCrossentropyImpl>(std::move(o)));
}

Loss Hinge(LossOptions o) {
  return make("Hinge", "hinge", o.reduction, o.name, hinge);
}

Loss SquaredHinge(LossOptions o) {
  return make("SquaredHinge", "squared_hinge", o.reduction, o.name, squared_hinge);
}

Loss CategoricalHinge(LossOptions o) {
  return make("CategoricalHinge", "categorical_hinge", o.reduction, o.name, categorical_hinge);
}

Loss KLDivergence(LossOptions o) {
  return make("KLDivergence", "kl_divergence", o.reduction, o.name, kl_divergence);
}

Loss Poisson(LossOptions o) {
  return make("Poisson", "poisson", o.reduction, o.name, poisson);
}

Loss CosineSimilarity(CosineSimilarityOptions o) {
  Config kwargs = Config::dict();
  kwargs["axis"] = o.axis;
  return make(
      "CosineSimilarity", "cosine_similarity", o.reduction, o.name,
      [o](const Value& t, const Value& p) { return cosine_similarity(t, p, o.axis); }, kwargs);
}

Loss Huber(HuberOptions o) {
  Config kwargs = Config::dict();
  kwargs["delta"] = o.delta;
  return make(
      "Huber", "huber_loss", o.reduction, o.name,
      [o](const Value& t, const Value& p) { return huber(t, p, o.delta); }, kwargs);
}

Loss LogCosh(LossOptions o) {
  return make("LogCosh", "log_cosh", o.reduction, o.name, log_cosh);
}

namespace {

// A loss class from the arguments of its Keras config.
using Maker = std::function<Loss(const Config& args)>;

struct Entry {
  Maker make;
  bool is_class;  // a class name: its default name, not the name it was asked by
};

// The options of a loss from its Keras config: each argument the options
// struct has and the config gives; the struct's defaults for the rest.
template <class Options>
Options options_from(const Config& args) {
  Options o;
  const auto given = [&](const char* key) { return args.contains(key) && !args.at(key).is_null(); };
  if (given("reduction")) o.reduction = args.at("reduction").as_string();
  if (given("name")) o.name = args.at("name").as_string();
  if constexpr (requires { o.from_logits; }) {
    if (given("from_logits")) o.from_logits = args.at("from_logits").as_bool();
  }
  if constexpr (requires { o.label_smoothing; }) {
    if (given("label_smoothing")) o.label_smoothing = args.at("label_smoothing").as_number();
  }
  if constexpr (requires { o.axis; }) {
    if (given("axis") && args.at("axis").is_int()) o.axis = args.at("axis").as_int();
  }
  if constexpr (requires { o.apply_class_balancing; }) {
    if (given("apply_class_balancing")) {
      o.apply_class_balancing = args.at("apply_class_balancing").as_bool();
    }
  }
  if constexpr (requires { o.alpha; }) {
    if (given("alpha")) o.alpha = args.at("alpha").as_number();
  }
  if constexpr (requires { o.gamma; }) {
    if (given("gamma")) o.gamma = args.at("gamma").as_number();
  }
  if constexpr (requires { o.delta; }) {
    if (given("delta")) o.delta = args.at("delta").as_number();
  }
  if constexpr (requires { o.ignore_class; }) {
    if (given("ignore_class")) o.ignore_class = args.at("ignore_class").as_int();
  }
  return o;
}

template <class Options>
Maker maker(Loss (*cls)(Options)) {
  return [cls](const Config& args) { return cls(options_from<Options>(args)); };
}

// {"reduction": ..., "name": ...}, an empty name standing for the default.
Config reduction_and_name(const std::string& reduction, const std::string& name) {
  Config args = Config::dict();
  args["reduction"] = reduction;
  if (!name.empty()) args["name"] = name;
  return args;
}

const std::map<std::string, Entry, std::less<>>& table() {
  // The function forms and their aliases keep the name they were asked by,
  // as Keras' LossFunctionWrapper names itself after the function.
  static const std::map<std::string, Entry, std::less<>> entries = [] {
    std::map<std::string, Entry, std::less<>> t;
    const auto add = [&](const std::string& class_name, Maker make,
                         std::vector<std::string> function_names) {
      t[class_name] = {make, true};
      for (const std::string& f : function_names) t[f] = {make, false};
    };
    add("MeanSquaredError", maker(MeanSquaredError), {"mean_squared_error", "mse", "MSE"});
    add("MeanAbsoluteError", maker(MeanAbsoluteError), {"mean_absolute_error", "mae", "MAE"});
    add("MeanAbsolutePercentageError", maker(MeanAbsolutePercentageError),
        {"mean_absolute_percentage_error", "mape", "MAPE"});
    add("MeanSquaredLogarithmicError", maker(MeanSquaredLogarithmicError),
        {"mean_squared_logarithmic_error", "msle", "MSLE"});
    add("BinaryCrossentropy", maker(BinaryCrossentropy), {"binary_crossentropy", "bce", "BCE"});
    add("BinaryFocalCrossentropy", maker(BinaryFocalCrossentropy), {"binary_focal_crossentropy"});
    add("CategoricalCrossentropy", maker(CategoricalCrossentropy), {"categorical_crossentropy"});
    add("CategoricalFocalCrossentropy", maker(CategoricalFocalCrossentropy),
        {"categorical_focal_crossentropy"});
    add("SparseCategoricalCrossentropy", maker(SparseCategoricalCrossentropy),
        {"sparse_categorical_crossentropy"});
    add("Hinge", maker(Hinge), {"hinge"});
    add("SquaredHinge", maker(SquaredHinge), {"squared_hinge"});
    add("CategoricalHinge", maker(CategoricalHinge), {"categorical_hinge"});
    add("KLDivergence", maker(KLDivergence), {"kl_divergence", "kld", "KLD"});
    add("Poisson", maker(Poisson), {"poisson"});
    add("CosineSimilarity", maker(CosineSimilarity), {"cosine_similarity"});
    add("Huber", maker(Huber), {"huber"});
    add("LogCosh", maker(LogCosh), {"log_cosh"});
    return t;
  }();
  return entries;
}

const Entry& lookup(std::string_view name) {
  auto it = table().find(name);
  if (it == table().end()) {
    std::string known;
    for (const auto& [n, e] : table()) known += (known.empty() ? "" : ", ") + n;
    throw Error(fmt::format("unknown loss '{}'; Keras' losses are: {}", name, known));
  }
  return it->second;
}

}  // namespace

Loss get(std::string_view name) {
  const Entry& entry = lookup(name);
  if (entry.is_class) return entry.make(reduction_and_name("sum_over_batch_size", ""));
  return entry.make(reduction_and_name("none", std::string(name)));
}

Loss deserialize(std::string_view name) {
  const Entry& entry = lookup(name);
  return entry.make(
      reduction_and_name("sum_over_batch_size", entry.is_class ? "" : std::string(name)));
}

Loss from_config(const Config& config) {
  if (config.is_string()) return deserialize(config.as_string());
  const std::string& class_name = config.at("class_name").as_string();
  const Entry& entry = lookup(class_name);
  if (!entry.is_class) return deserialize(class_name);
  return entry.make(config.contains("config") ? config.at("config") : Config::dict());
}

Config serialize(const Loss& loss) {
  Config out = Config::dict();
  out["module"] = "keras.losses";
  out["class_name"] = loss.impl().class_name();
  out["config"] = loss.get_config();
  out["registered_name"] = nullptr;
  return out;
}

}  // namespace keras::losses
