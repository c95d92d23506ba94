#pragma once
// Keras model configs as YAML: what model.to_yaml() wrote in Keras 1, Keras 2
// (<= 2.3.1) and tf.keras (<= 2.5), and what keras.models.model_from_yaml()
// read. The content is the same dict as to_json()'s; see
// KERAS-FORMATS.md section 3.
//
//   Config c = config_from_yaml(read_file("model.yaml"));
//   std::string text = config_to_yaml(c);  // config_from_yaml(text) == c
#include <string>
#include <string_view>

#include "keras/serialize/config.hpp"

namespace keras::serialize {

// Keras 1/2 model YAML (model.to_yaml()) to a Config. Safe: nothing is
// executed and no Python object is built. Scalars are typed as PyYAML's
// YAML 1.1 resolver types them (yes/no/on/off are bools, 1e-07 without a '.'
// is a string, 0x1F and 017 are ints, quoted scalars are strings).
// Accepted tags: the standard ones (!!str, !!int, !!float, !!bool, !!null,
// !!seq, !!map), !!python/tuple (a list), Python 2's data tags
// (!!python/unicode, !!python/str, !!python/int, !!python/long,
// !!python/float, !!python/bool, !!python/none, !!python/list,
// !!python/dict), and tf.keras 2.5's SharedObjectConfig (its `dictitems`
// dict) and ListWrapper (its list). Anchors and aliases are expanded.
// Throws keras::Error, with the line and column, for any other tag, a
// duplicate key, a non-scalar key, a merge key (<<), a second document,
// nesting deeper than 256, an alias expansion past the node limit, or
// malformed YAML. Empty text gives a null Config. Kept as text where PyYAML
// would build something a Config cannot hold: timestamps and '='. Ints past
// 64 bits become floats, as in Config::from_json.
Config config_from_yaml(std::string_view text);

// A Config as Keras 2's model.to_yaml() wrote it: PyYAML's
// yaml.dump(config, default_flow_style=False) (block style, 2-space indent,
// sequences in mappings not indented, strings quoted where PyYAML quotes
// them, floats as repr() with 1.0e-07, .inf, .nan). Keys keep the Config's
// order (Keras' files sorted them; PyYAML reads both the same). Tuples are
// already plain lists in a Config and are written as plain sequences, which
// every Keras YAML loader accepts. config_from_yaml(config_to_yaml(c)) == c
// for every Config nested at most 256 deep (NaN aside: NaN != NaN). Throws
// keras::Error for a string that is not valid UTF-8.
std::string config_to_yaml(const Config& config);

}  // namespace keras::serialize
