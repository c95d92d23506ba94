// keras::backend's settings and keras.json (keras/src/backend/config.py).
// Keras reads the file when it is imported; here it is read on the first use
// of a setting, so no file is touched while static objects are constructed,
// and a program that sets everything in code never reads it.
#include "keras/backend/config.hpp"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <mutex>

#include "keras/serialize/config.hpp"
#include "keras/serialize/files.hpp"

namespace keras::backend {

namespace {

using serialize::Config;

constexpr std::array<std::string_view, 4> kFloatxValues = {"bfloat16", "float16", "float32",
                                                           "float64"};
constexpr std::array<std::string_view, 2> kDataFormats = {"channels_last", "channels_first"};
constexpr const char* kFloatxDefault = "float32";
constexpr double kEpsilonDefault = 1e-7;
constexpr const char* kDataFormatDefault = "channels_last";

// The settings keras.json gives, each with Keras' default where it is silent.
struct FileSettings {
  std::string floatx = kFloatxDefault;
  double epsilon = kEpsilonDefault;
  std::string image_data_format = kDataFormatDefault;
  std::string path;  // the file read; empty when there was none
};

struct State {
  std::mutex mutex;
  std::optional<FileSettings> file;  // read on first use
  // Set in code: they win over the file.
  std::optional<std::string> floatx;
  std::optional<double> epsilon;
  std::optional<std::string> image_data_format;
};

// A function-local static: constructed on first use, never during static
// initialisation.
State& state() {
  static State instance;
  return instance;
}

bool is_one_of(std::string_view value, const auto& accepted) {
  return std::find(accepted.begin(), accepted.end(), value) != accepted.end();
}

std::string lowercase(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string home_directory() {
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') return home;
  // What Python's expanduser falls back to.
  if (const passwd* entry = getpwuid(getuid()); entry != nullptr && entry->pw_dir != nullptr) {
    return entry->pw_dir;
  }
  return "";
}

// "~/x" as the shell and Python's expanduser read it.
std::string expand_user(const std::string& path) {
  if (path == "~" || path.starts_with("~/")) return home_directory() + path.substr(1);
  return path;
}

std::string quoted_list(const auto& values) {
  std::string text;
  for (std::string_view v : values) text += fmt::format("{}\"{}\"", text.empty() ? "" : ", ", v);
  return text;
}

Error bad_key(const std::string& path, std::string_view key, const Config& value,
              std::string_view expected, std::string_view fallback) {
  return Error(fmt::format(
      "the Keras config file {}: \"{}\" is {}, expected {}. Fix the value, or remove the key to "
      "get Keras' default ({})",
      path, key, value.to_json(), expected, fallback));
}

std::string string_in(const Config& config, const std::string& path, std::string_view key,
                      const auto& accepted, std::string_view fallback) {
  const Config& value = config.at(key);
  if (!value.is_string() || !is_one_of(value.as_string(), accepted)) {
    throw bad_key(path, key, value, fmt::format("one of {}", quoted_list(accepted)), fallback);
  }
  return value.as_string();
}

FileSettings read_file_settings() {
  FileSettings settings;
  const std::string home = keras_home();
  if (home.empty()) return settings;
  const std::filesystem::path path = std::filesystem::path(home) / "keras.json";
  std::error_code error;
  // As Python's os.path.exists: a file that cannot be reached is missing.
  if (!std::filesystem::exists(path, error)) return settings;
  settings.path = path.string();
  const std::string text = serialize::read_file(settings.path);  // names the file if unreadable
  Config config;
  try {
    config = Config::from_json(text);
  } catch (const Error& e) {
    throw Error(fmt::format(
        "the Keras config file {} is not valid JSON ({}). Fix it or remove it (keras-cpp then "
        "uses Keras' defaults); KERAS_HOME chooses its folder",
        settings.path, e.what()));
  }
  if (!config.is_dict()) {
    throw Error(fmt::format(
        "the Keras config file {} holds a JSON {}, expected an object such as {{\"floatx\": "
        "\"float32\", \"epsilon\": 1e-07, \"image_data_format\": \"channels_last\"}}",
        settings.path, config.kind_name()));
  }
  if (config.contains("floatx")) {
    settings.floatx = string_in(config, settings.path, "floatx", kFloatxValues, "\"float32\"");
  }
  if (config.contains("epsilon")) {
    const Config& value = config.at("epsilon");
    if (!value.is_number() || !std::isfinite(value.as_number()) || value.as_number() < 0) {
      throw bad_key(settings.path, "epsilon", value, "a finite number >= 0", "1e-07");
    }
    settings.epsilon = value.as_number();
  }
  if (config.contains("image_data_format")) {
    settings.image_data_format =
        string_in(config, settings.path, "image_data_format", kDataFormats, "\"channels_last\"");
  }
  return settings;
}

// The file's settings, read once. A failed read is not kept: each use
// reports it again, until the file is fixed.
const FileSettings& file_settings(State& s) {
  if (!s.file) s.file = read_file_settings();
  return *s.file;
}

}  // namespace

std::string keras_home() {
  if (const char* home = std::getenv("KERAS_HOME"); home != nullptr && *home != '\0') {
    return expand_user(home);
  }
  // Keras falls back to /tmp/.keras when the home folder is not writable, a
  // place any user can write to; keras-cpp only reads, and not from there.
  const std::string home = home_directory();
  return home.empty() ? "" : (std::filesystem::path(home) / ".keras").string();
}

std::string floatx() {
  State& s = state();
  std::lock_guard lock(s.mutex);
  return s.floatx ? *s.floatx : file_settings(s).floatx;
}

void set_floatx(std::string_view value) {
  if (!is_one_of(value, kFloatxValues)) {
    throw Error(fmt::format("set_floatx: unknown floatx value \"{}\", expected one of {}", value,
                            quoted_list(kFloatxValues)));
  }
  State& s = state();
  std::lock_guard lock(s.mutex);
  s.floatx = std::string(value);
}

void set_floatx(DType value) {
  if (!is_floating(value)) {
    throw Error(fmt::format("set_floatx: floatx must be a float dtype (float32 or float64), got {}",
                            dtype_name(value)));
  }
  set_floatx(dtype_name(value));
}

DType floatx_dtype() {
  State& s = state();
  std::string value;
  std::string source;
  {
    std::lock_guard lock(s.mutex);
    if (s.floatx) {
      value = *s.floatx;
    } else {
      value = file_settings(s).floatx;
      source = file_settings(s).path;
    }
  }
  if (value == "float32") return DType::float32;
  if (value == "float64") return DType::float64;
  const std::string fix =
      source.empty()
          ? std::string("call keras::backend::set_floatx(\"float32\") or set_floatx(\"float64\")")
          : fmt::format(
                "set \"floatx\" to \"float32\" or \"float64\" in {}, or call "
                "keras::backend::set_floatx(\"float32\")",
                source);
  throw Error(fmt::format(
      "keras-cpp computes float32 and float64; floatx {} ({}) is not supported: {}, or give "
      "the layer a dtype",
      value, source.empty() ? "set by keras::backend::set_floatx" : "read from " + source, fix));
}

double epsilon() {
  State& s = state();
  std::lock_guard lock(s.mutex);
  return s.epsilon ? *s.epsilon : file_settings(s).epsilon;
}

void set_epsilon(double value) {
  if (!std::isfinite(value) || value < 0) {
    throw Error(fmt::format("set_epsilon: epsilon must be a finite number >= 0, got {}", value));
  }
  State& s = state();
  std::lock_guard lock(s.mutex);
  s.epsilon = value;
}

std::string image_data_format() {
  State& s = state();
  std::lock_guard lock(s.mutex);
  return s.image_data_format ? *s.image_data_format : file_settings(s).image_data_format;
}

std::string standardize_data_format(const std::optional<std::string>& data_format) {
  if (!data_format) return image_data_format();
  std::string value = lowercase(*data_format);
  if (!is_one_of(value, kDataFormats)) {
    throw Error(
        fmt::format("The `data_format` argument must be one of \"channels_first\", "
                    "\"channels_last\". Received: data_format={}",
                    *data_format));
  }
  return value;
}

void set_image_data_format(std::string_view data_format) {
  std::string value = standardize_data_format(std::string(data_format));
  State& s = state();
  std::lock_guard lock(s.mutex);
  s.image_data_format = std::move(value);
}

void reload_config() {
  State& s = state();
  std::lock_guard lock(s.mutex);
  s.file.reset();
  s.floatx.reset();
  s.epsilon.reset();
  s.image_data_format.reset();
}

}  // namespace keras::backend
