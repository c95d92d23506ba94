// Keras' names for optimizers, and their configs.
#include <functional>
#include <map>

#include "keras/optimizers.hpp"

namespace keras::optimizers {

using serialize::Config;

namespace {

// Reads the arguments every optimizer shares from a Keras config into `o`.
template <class Options>
Options with_common(const Config& c, Options o) {
  const auto optional_number = [&](const char* key) -> std::optional<double> {
    if (!c.contains(key) || c.at(key).is_null()) return std::nullopt;
    return c.at(key).as_number();
  };
  const auto optional_int = [&](const char* key) -> std::optional<std::int64_t> {
    if (!c.contains(key) || c.at(key).is_null()) return std::nullopt;
    return c.at(key).as_int();
  };
  if (c.contains("learning_rate")) {
    const Config& lr = c.at("learning_rate");
    if (lr.is_dict()) {
      o.learning_rate = schedules::from_config(lr);
    } else {
      o.learning_rate = lr.as_number();
    }
  }
  if (c.contains("weight_decay")) o.weight_decay = optional_number("weight_decay");
  o.clipnorm = optional_number("clipnorm");
  o.clipvalue = optional_number("clipvalue");
  o.global_clipnorm = optional_number("global_clipnorm");
  if (c.contains("use_ema")) o.use_ema = c.at("use_ema").as_bool();
  if (c.contains("ema_momentum")) o.ema_momentum = c.at("ema_momentum").as_number();
  o.ema_overwrite_frequency = optional_int("ema_overwrite_frequency");
  o.loss_scale_factor = optional_number("loss_scale_factor");
  o.gradient_accumulation_steps = optional_int("gradient_accumulation_steps");
  if (c.contains("name") && c.at("name").is_string()) o.name = c.at("name").as_string();
  return o;
}

double number(const Config& c, const char* key, double fallback) {
  return c.contains(key) && !c.at(key).is_null() ? c.at(key).as_number() : fallback;
}

bool flag(const Config& c, const char* key, bool fallback) {
  return c.contains(key) && !c.at(key).is_null() ? c.at(key).as_bool() : fallback;
}

// Reads each argument of Keras' optimizers that `o` has.
template <class Options>
Options with_own(const Config& c, Options o) {
  if constexpr (requires { o.momentum; }) o.momentum = number(c, "momentum", o.momentum);
  if constexpr (requires { o.nesterov; }) o.nesterov = flag(c, "nesterov", o.nesterov);
  if constexpr (requires { o.rho; }) o.rho = number(c, "rho", o.rho);
  if constexpr (requires { o.centered; }) o.centered = flag(c, "centered", o.centered);
  if constexpr (requires { o.beta_1; }) o.beta_1 = number(c, "beta_1", o.beta_1);
  if constexpr (requires { o.beta_2; }) o.beta_2 = number(c, "beta_2", o.beta_2);
  if constexpr (requires { o.epsilon; }) o.epsilon = number(c, "epsilon", o.epsilon);
  if constexpr (requires { o.amsgrad; }) o.amsgrad = flag(c, "amsgrad", o.amsgrad);
  if constexpr (requires { o.initial_accumulator_value; }) {
    o.initial_accumulator_value =
        number(c, "initial_accumulator_value", o.initial_accumulator_value);
  }
  return o;
}

using Factory = std::function<Optimizer(const Config&)>;

template <class Options>
Factory factory(Optimizer (*make)(Options)) {
  return [make](const Config& c) { return make(with_own(c, with_common(c, Options{}))); };
}

const std::map<std::string, Factory, std::less<>>& factories() {
  static const std::map<std::string, Factory, std::less<>> table = {
      {"SGD", factory(SGD)},       {"RMSprop", factory(RMSprop)}, {"Adam", factory(Adam)},
      {"AdamW", factory(AdamW)},   {"Adagrad", factory(Adagrad)}, {"Adadelta", factory(Adadelta)},
      {"Adamax", factory(Adamax)}, {"Nadam", factory(Nadam)},     {"Lion", factory(Lion)},
  };
  return table;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

const Factory* find(std::string_view name) {
  // Keras matches optimizer names without regard to case ("adam", "Adam").
  for (const auto& [class_name, factory] : factories()) {
    if (lower(class_name) == lower(name)) return &factory;
  }
  return nullptr;
}

std::string known_names() {
  std::string names;
  for (const auto& [class_name, factory] : factories()) {
    names += (names.empty() ? "" : ", ") + lower(class_name);
  }
  return names;
}

}  // namespace

Optimizer get(std::string_view name) {
  const Factory* factory = find(name);
  if (factory == nullptr) {
    throw Error(
        fmt::format("unknown optimizer '{}'; Keras' optimizers are: {}", name, known_names()));
  }
  return (*factory)(Config::dict());
}

Optimizer from_config(const Config& config) {
  if (config.is_string()) return get(config.as_string());
  const std::string& class_name = config.at("class_name").as_string();
  const Factory* factory = find(class_name);
  if (factory == nullptr) {
    throw Error(fmt::format("unknown optimizer class '{}'; Keras' optimizers are: {}", class_name,
                            known_names()));
  }
  return (*factory)(config.contains("config") ? config.at("config") : Config::dict());
}

Config serialize(const Optimizer& optimizer) {
  Config out = Config::dict();
  out["module"] = "keras.optimizers";
  out["class_name"] = optimizer->class_name();
  out["config"] = optimizer->get_config();
  out["registered_name"] = nullptr;
  return out;
}

}  // namespace keras::optimizers
