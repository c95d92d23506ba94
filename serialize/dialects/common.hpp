#pragma once
// What the dialect translations share.
#include <string>

#include "keras/serialize/config.hpp"

namespace keras::serialize::dialects {

// Keras 3's hard_sigmoid is clip(x / 6 + 0.5); Keras 1 and 2 computed
// clip(0.2 x + 0.5), which keras-cpp calls by this name.
inline constexpr const char* kKeras2HardSigmoid = "keras2_hard_sigmoid";

inline bool is_model_class(const std::string& class_name) {
  return class_name == "Sequential" || class_name == "Functional" || class_name == "Model";
}

// Whether `key` of a layer config names an activation function.
inline bool is_activation_key(const std::string& key) {
  return key == "activation" || key == "recurrent_activation";
}

}  // namespace keras::serialize::dialects
