#pragma once
// Keras' model configs in each generation's dialect, translated to and from
// the one form keras-cpp builds models from: Keras 3's (KERAS-FORMATS.md §2).
//
//   Config k3 = upgrade_model_config(Config::from_json(keras2_json), Generation::keras2);
//   Config k2 = downgrade_model_config(k3);  // what tf.keras' model_from_json reads
//
// Maths that changed between generations is kept, not silently changed:
// Keras 1/2's hard_sigmoid (clip(0.2x + 0.5)) reads as the activation
// "keras2_hard_sigmoid", and only the Keras 2 dialect can write it back.
#include <string_view>

#include "keras/serialize/config.hpp"

namespace keras::serialize {

enum class Generation { keras1, keras2, keras3 };

std::string_view generation_name(Generation generation);

// The generation of a model config ({"class_name", "config", ...}): from the
// file's keras_version when known ("1.2.2", "2.2.4-tf", "3.15.1"; empty when
// the file has none), else from the envelope and the node format.
Generation detect_generation(const Config& model_config, std::string_view keras_version = "");

// A Keras 1 or 2 (tf.keras) model config in Keras 3's form. A Keras 3 config
// is returned unchanged.
Config upgrade_model_config(const Config& model_config, Generation generation);

// A Keras 3 model config in tf.keras 2's form ({"class_name", "config"});
// a keras::Error names what Keras 2 cannot express.
Config downgrade_model_config(const Config& model_config);

}  // namespace keras::serialize

namespace keras::serialize {

// A keras::Error when a Keras 3 model config uses what Keras 3 cannot
// compute as keras-cpp does (Keras 2's hard_sigmoid): such a model saves in
// the Keras 2 dialect only.
void check_keras3_expressible(const Config& model_config);

}  // namespace keras::serialize
