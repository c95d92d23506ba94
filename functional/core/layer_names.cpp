#include "layer_names.hpp"

#include "keras/backend/clear_session.hpp"
#include "keras/graph/graph.hpp"

#include <cctype>
#include <map>
#include <mutex>

#include <fmt/core.h>

namespace keras::layers {

std::string to_snake_case(std::string_view class_name) {
  // Keras' re.sub("(.)([A-Z][a-z]+)", r"\1_\2") then re.sub("([a-z])([A-Z])", r"\1_\2").
  std::string out;
  for (std::size_t i = 0; i < class_name.size(); ++i) {
    const char c = class_name[i];
    if (i > 0 && std::isupper(static_cast<unsigned char>(c))) {
      const char prev = class_name[i - 1];
      const bool next_lower =
          i + 1 < class_name.size() && std::islower(static_cast<unsigned char>(class_name[i + 1]));
      if (std::islower(static_cast<unsigned char>(prev)) || next_lower) {
        out += '_';
      }
    }
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

namespace {
std::mutex mutex;
std::map<std::string, int, std::less<>>& counts() {
  static std::map<std::string, int, std::less<>> instance;
  return instance;
}
}  // namespace

std::string unique_layer_name(std::string_view base) {
  std::lock_guard lock(mutex);
  int& count = counts()[std::string(base)];
  std::string name = count == 0 ? std::string(base) : fmt::format("{}_{}", base, count);
  ++count;
  return name;
}

void reset_layer_names() {
  std::lock_guard lock(mutex);
  counts().clear();
}

}  // namespace keras::layers

namespace keras::backend {

void clear_session() {
  layers::reset_layer_names();
  graph::reset_default_graph();
}

}  // namespace keras::backend
