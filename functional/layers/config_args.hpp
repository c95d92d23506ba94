#pragma once
// Reading a layer's arguments back from its Keras config (the from_config
// functions of the layers in this folder). Keras writes None as null, and
// older configs may leave keys out, so each reader takes a fallback.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "keras/layers/registry.hpp"

namespace keras::layers::config_args {

// Copies the common arguments (name, trainable, dtype) of `config` into a
// layer's options struct.
template <class Options>
Options with_common(Options options, const serialize::Config& config) {
  const LayerOptions common = options_from_config(config);
  options.name = common.name;
  options.trainable = common.trainable;
  options.dtype = common.dtype;
  return options;
}

inline bool has_value(const serialize::Config& config, const char* key) {
  return config.contains(key) && !config.at(key).is_null();
}

inline double number_or(const serialize::Config& config, const char* key, double fallback) {
  return has_value(config, key) ? config.at(key).as_number() : fallback;
}

inline std::optional<double> optional_number(const serialize::Config& config, const char* key) {
  if (!has_value(config, key)) return std::nullopt;
  return config.at(key).as_number();
}

inline std::optional<std::int64_t> optional_int(const serialize::Config& config, const char* key) {
  if (!has_value(config, key)) return std::nullopt;
  return config.at(key).as_int();
}

// A list of ints, or one int as a list of one (Keras accepts both); empty
// when null or missing.
inline std::vector<std::int64_t> ints_or_empty(const serialize::Config& config, const char* key) {
  if (!has_value(config, key)) return {};
  const serialize::Config& value = config.at(key);
  if (value.is_int()) return {value.as_int()};
  return value.as_ints();
}

// A tuple argument as Keras prints it in messages: (3, -1), (12,).
inline std::string tuple_string(const std::vector<std::int64_t>& values) {
  std::string text = "(";
  for (std::size_t i = 0; i < values.size(); ++i) {
    text += (i > 0 ? ", " : "") + std::to_string(values[i]);
  }
  return text + (values.size() == 1 ? ",)" : ")");
}

// An object argument revived by `from_config` (regularizers, constraints);
// none when null or missing; a bad one names its key.
template <class Object>
Object object_or_none(const serialize::Config& config, const char* key,
                      Object (*from_config)(const serialize::Config&)) {
  if (!config.contains(key)) return nullptr;
  try {
    return from_config(config.at(key));
  } catch (const Error& e) {
    throw Error(fmt::format("{}: {}", key, e.what()));
  }
}

inline regularizers::RegularizerPtr regularizer_or_none(const serialize::Config& config,
                                                        const char* key) {
  return object_or_none(config, key, &regularizers::from_config);
}

inline constraints::ConstraintPtr constraint_or_none(const serialize::Config& config,
                                                     const char* key) {
  return object_or_none(config, key, &constraints::from_config);
}

inline serialize::Config optional_to_config(const std::optional<std::int64_t>& value) {
  return value ? serialize::Config(*value) : serialize::Config();
}

inline serialize::Config optional_to_config(const std::optional<double>& value) {
  return value ? serialize::Config(*value) : serialize::Config();
}

}  // namespace keras::layers::config_args
