#pragma once
// Layers by Keras class name: how a config (from get_config(), a JSON or
// YAML file) becomes a layer again. Built-in layers are registered; a user's
// own LayerImpl registers its class with register_layer.
//
//   keras::layers::register_layer("MyLayer", [](const keras::serialize::Config& c) {
//     return keras::layers::Layer(std::make_shared<MyLayer>(c.at("units").as_int()));
//   });
//   auto layer = keras::layers::from_config("Dense", dense.get_config());
#include <functional>
#include <string>
#include <vector>

#include "keras/layers/layer.hpp"

namespace keras::layers {

using LayerFactory = std::function<Layer(const serialize::Config& config)>;

// Registers (or replaces) the factory of `class_name`.
void register_layer(const std::string& class_name, LayerFactory factory);
// A new layer of `class_name` with `config`'s arguments; a keras::Error
// lists the registered classes when the name is unknown.
Layer from_config(const std::string& class_name, const serialize::Config& config);
std::vector<std::string> registered_layers();

// Keras' layers.serialize: {"module", "class_name", "config",
// "registered_name"}, plus "build_config" once built (and "compile_config"
// for models). Built-in classes are Keras' own (module keras.layers); a
// user's class is written with its class name as registered_name.
serialize::Config serialize(const Layer& layer);
// Keras' layers.deserialize: a new layer from {"class_name", "config", ...}
// (the form serialize writes, or Keras 2's {"class_name", "config"}).
Layer deserialize(const serialize::Config& config);

// The common arguments of a layer config: name, trainable, dtype (a Keras 3
// DTypePolicy or a Keras 2 dtype string).
LayerOptions options_from_config(const serialize::Config& config);

}  // namespace keras::layers
