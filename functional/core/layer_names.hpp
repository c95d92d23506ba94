#pragma once
// Keras' automatic layer names: the class name in snake_case, then _1, _2, ...
// per name, for the whole process (Keras' backend.clear_session() resets them).
#include <string>
#include <string_view>

namespace keras::layers {

std::string to_snake_case(std::string_view class_name);
// "dense", then "dense_1", ...: the first name not yet handed out.
std::string unique_layer_name(std::string_view base);
// Forgets the names handed out (backend::clear_session()).
void reset_layer_names();

}  // namespace keras::layers
