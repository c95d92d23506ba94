#pragma once
// How PyYAML types a plain (unquoted) scalar: the implicit resolvers of its
// YAML 1.1 Resolver (pyyaml/lib/yaml/resolver.py) and the conversions of its
// SafeConstructor (constructor.py), written out by hand (no std::regex: its
// recursion overflows the stack on long inputs). The YAML reader uses them to
// type what PyYAML wrote; the writer uses them to quote every string that
// PyYAML would read back as something else ('true', '1.0', 'null', '').
//
//   resolve_plain("1e-07") == PlainType::kString   // YAML 1.1 floats need a '.'
//   resolve_plain("1.0e-07") == PlainType::kFloat
#include <optional>
#include <string>
#include <string_view>

#include "keras/serialize/config.hpp"

namespace keras::serialize::pyyaml {

// The tag PyYAML's Resolver gives a plain scalar. kTimestamp, kMerge ('<<')
// and kValue ('=') have no meaning in a Keras config.
enum class PlainType { kNull, kBool, kInt, kFloat, kTimestamp, kMerge, kValue, kString };

PlainType resolve_plain(std::string_view text);

// SafeConstructor's construct_yaml_bool/int/float; nullopt where Python would
// raise. An int past 64 bits becomes a float, as Config::from_json does.
std::optional<bool> construct_bool(std::string_view text);
std::optional<Config> construct_int(std::string_view text);
std::optional<double> construct_float(std::string_view text);

// SafeRepresenter.represent_float: repr() in lower case, '.0' added before a
// bare exponent (1e-07 -> 1.0e-07), and .inf, -.inf, .nan.
std::string represent_float(double value);

}  // namespace keras::serialize::pyyaml
