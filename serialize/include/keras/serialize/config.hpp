#pragma once
// keras::serialize::Config: Keras' nested config value (what get_config()
// returns and model.to_json() writes): null, bool, int, float, string, list or
// dict. Dicts keep their keys in insertion order, as Python's do, so a config
// written back out reads like the one Keras wrote.
//
//   Config c = Config::dict();
//   c["units"] = 64;
//   c["activation"] = "relu";
//   c.to_json();  // {"units": 64, "activation": "relu"}
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace keras::serialize {

class Config {
 public:
  using List = std::vector<Config>;
  using Dict = std::vector<std::pair<std::string, Config>>;

  Config() = default;  // null
  Config(std::nullptr_t) {}
  Config(bool value) : value_(value) {}
  Config(int value) : value_(static_cast<std::int64_t>(value)) {}
  Config(std::int64_t value) : value_(value) {}
  Config(double value) : value_(value) {}
  Config(const char* value) : value_(std::string(value)) {}
  Config(std::string value) : value_(std::move(value)) {}
  Config(List value) : value_(std::move(value)) {}
  Config(Dict value) : value_(std::move(value)) {}

  static Config list() { return Config(List{}); }
  static Config dict() { return Config(Dict{}); }
  static Config ints(const std::vector<std::int64_t>& values);

  bool is_null() const { return value_.index() == 0; }
  bool is_bool() const { return std::holds_alternative<bool>(value_); }
  bool is_int() const { return std::holds_alternative<std::int64_t>(value_); }
  bool is_number() const { return is_int() || std::holds_alternative<double>(value_); }
  bool is_string() const { return std::holds_alternative<std::string>(value_); }
  bool is_list() const { return std::holds_alternative<List>(value_); }
  bool is_dict() const { return std::holds_alternative<Dict>(value_); }

  // Typed reads; each throws keras::Error naming the expected and actual kind.
  bool as_bool() const;
  std::int64_t as_int() const;
  double as_number() const;  // an int or a float
  const std::string& as_string() const;
  const List& as_list() const;
  const Dict& as_dict() const;
  std::vector<std::int64_t> as_ints() const;

  // Dict access: operator[] inserts a null entry when missing (null becomes a
  // dict); at() throws keras::Error listing the keys present.
  Config& operator[](std::string_view key);
  const Config& at(std::string_view key) const;
  bool contains(std::string_view key) const;
  // Removes `key` from a dict, as Python's dict.pop; false when it was absent.
  bool erase(std::string_view key);
  // List append (null becomes a list).
  void push_back(Config value);
  std::size_t size() const;

  bool operator==(const Config& other) const = default;

  // JSON as Python's json.dumps writes it (", " and ": " separators, floats
  // in their shortest round-trip form); indent >= 0 pretty-prints.
  std::string to_json(int indent = -1) const;
  // Parses JSON text; throws keras::Error with the position of a syntax error.
  static Config from_json(std::string_view text);

  // "dict", "list", ... for messages.
  std::string_view kind_name() const;

 private:
  std::variant<std::monostate, bool, std::int64_t, double, std::string, List, Dict> value_;
};

}  // namespace keras::serialize
