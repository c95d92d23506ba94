#include "keras/serialize/config.hpp"

#include "keras/error.hpp"

namespace keras::serialize {

namespace {
[[noreturn]] void wrong_kind(std::string_view expected, const Config& got) {
  throw Error(fmt::format("config value: expected {}, got {} ({})", expected, got.kind_name(),
                          got.to_json()));
}
}  // namespace

Config Config::ints(const std::vector<std::int64_t>& values) {
  List list;
  for (std::int64_t v : values) list.emplace_back(v);
  return Config(std::move(list));
}

std::string_view Config::kind_name() const {
  static constexpr std::string_view kNames[] = {"null",   "bool", "int", "float",
                                                "string", "list", "dict"};
  return kNames[value_.index()];
}

bool Config::as_bool() const {
  if (!is_bool()) wrong_kind("a bool", *this);
  return std::get<bool>(value_);
}

std::int64_t Config::as_int() const {
  if (!is_int()) wrong_kind("an int", *this);
  return std::get<std::int64_t>(value_);
}

double Config::as_number() const {
  if (is_int()) return static_cast<double>(std::get<std::int64_t>(value_));
  if (!is_number()) wrong_kind("a number", *this);
  return std::get<double>(value_);
}

const std::string& Config::as_string() const {
  if (!is_string()) wrong_kind("a string", *this);
  return std::get<std::string>(value_);
}

const Config::List& Config::as_list() const {
  if (!is_list()) wrong_kind("a list", *this);
  return std::get<List>(value_);
}

const Config::Dict& Config::as_dict() const {
  if (!is_dict()) wrong_kind("a dict", *this);
  return std::get<Dict>(value_);
}

std::vector<std::int64_t> Config::as_ints() const {
  std::vector<std::int64_t> out;
  for (const Config& c : as_list()) out.push_back(c.as_int());
  return out;
}

Config& Config::operator[](std::string_view key) {
  if (is_null()) value_ = Dict{};
  if (!is_dict()) wrong_kind("a dict", *this);
  Dict& dict = std::get<Dict>(value_);
  for (auto& [k, v] : dict) {
    if (k == key) return v;
  }
  dict.emplace_back(std::string(key), Config());
  return dict.back().second;
}

const Config& Config::at(std::string_view key) const {
  const Dict& dict = as_dict();
  std::string keys;
  for (const auto& [k, v] : dict) {
    if (k == key) return v;
    keys += (keys.empty() ? "" : ", ") + k;
  }
  throw Error(
      fmt::format("config has no key '{}'; its keys are: {}", key, keys.empty() ? "none" : keys));
}

bool Config::contains(std::string_view key) const {
  if (!is_dict()) return false;
  for (const auto& [k, v] : std::get<Dict>(value_)) {
    if (k == key) return true;
  }
  return false;
}

bool Config::erase(std::string_view key) {
  if (!is_dict()) wrong_kind("a dict", *this);
  return std::erase_if(std::get<Dict>(value_),
                       [&](const auto& entry) { return entry.first == key; }) > 0;
}

void Config::push_back(Config value) {
  if (is_null()) value_ = List{};
  if (!is_list()) wrong_kind("a list", *this);
  std::get<List>(value_).push_back(std::move(value));
}

std::size_t Config::size() const {
  if (is_list()) return std::get<List>(value_).size();
  if (is_dict()) return std::get<Dict>(value_).size();
  return 0;
}

}  // namespace keras::serialize
