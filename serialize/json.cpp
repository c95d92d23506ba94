// Config <-> JSON. Writing follows Python's json.dumps (what Keras calls), so
// files we write diff cleanly against Keras'; reading uses simdjson.
#include <simdjson.h>

#include <cmath>

#include "keras/error.hpp"
#include "keras/serialize/config.hpp"

namespace keras::serialize {

namespace {

// Python's repr of a float: shortest round trip, always with a '.' or an exponent.
std::string python_float(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  std::string s = fmt::format("{}", v);
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s;
}

// ensure_ascii=True: non-ASCII characters become \uXXXX (surrogate pairs above U+FFFF).
void write_string(std::string& out, const std::string& s) {
  out += '"';
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"': out += "\\\""; continue;
      case '\\': out += "\\\\"; continue;
      case '\n': out += "\\n"; continue;
      case '\r': out += "\\r"; continue;
      case '\t': out += "\\t"; continue;
      case '\b': out += "\\b"; continue;
      case '\f': out += "\\f"; continue;
      default: break;
    }
    if (c < 0x20) {
      out += fmt::format("\\u{:04x}", c);
    } else if (c < 0x80) {
      out += static_cast<char>(c);
    } else {
      int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : 1;
      std::uint32_t code = c & (0x3F >> extra);
      for (int k = 0; k < extra && i + 1 < s.size(); ++k) {
        code = (code << 6) | (static_cast<unsigned char>(s[++i]) & 0x3F);
      }
      if (code > 0xFFFF) {
        code -= 0x10000;
        out += fmt::format("\\u{:04x}\\u{:04x}", 0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF));
      } else {
        out += fmt::format("\\u{:04x}", code);
      }
    }
  }
  out += '"';
}

void write(std::string& out, const Config& c, int indent, int depth) {
  auto newline = [&](int d) {
    if (indent >= 0) {
      out += '\n';
      out.append(static_cast<std::size_t>(indent * d), ' ');
    }
  };
  const char* separator = indent >= 0 ? "," : ", ";
  if (c.is_null()) {
    out += "null";
  } else if (c.is_bool()) {
    out += c.as_bool() ? "true" : "false";
  } else if (c.is_int()) {
    out += std::to_string(c.as_int());
  } else if (c.is_number()) {
    out += python_float(c.as_number());
  } else if (c.is_string()) {
    write_string(out, c.as_string());
  } else if (c.is_list()) {
    out += '[';
    bool first = true;
    for (const Config& item : c.as_list()) {
      if (!first) out += separator;
      first = false;
      newline(depth + 1);
      write(out, item, indent, depth + 1);
    }
    if (!first) newline(depth);
    out += ']';
  } else {
    out += '{';
    bool first = true;
    for (const auto& [key, value] : c.as_dict()) {
      if (!first) out += separator;
      first = false;
      newline(depth + 1);
      write_string(out, key);
      out += ": ";
      write(out, value, indent, depth + 1);
    }
    if (!first) newline(depth);
    out += '}';
  }
}

Config from_element(simdjson::dom::element e) {
  switch (e.type()) {
    case simdjson::dom::element_type::ARRAY: {
      Config::List list;
      for (simdjson::dom::element item : e.get_array()) list.push_back(from_element(item));
      return Config(std::move(list));
    }
    case simdjson::dom::element_type::OBJECT: {
      Config::Dict dict;
      for (simdjson::dom::key_value_pair field : e.get_object()) {
        dict.emplace_back(std::string(field.key), from_element(field.value));
      }
      return Config(std::move(dict));
    }
    case simdjson::dom::element_type::INT64: return Config(std::int64_t(e.get_int64()));
    case simdjson::dom::element_type::UINT64:
      return Config(static_cast<double>(std::uint64_t(e.get_uint64())));
    case simdjson::dom::element_type::DOUBLE: return Config(double(e.get_double()));
    case simdjson::dom::element_type::STRING: return Config(std::string(e.get_string().value()));
    case simdjson::dom::element_type::BOOL: return Config(bool(e.get_bool()));
    case simdjson::dom::element_type::NULL_VALUE: return Config();
  }
  return Config();
}

}  // namespace

std::string Config::to_json(int indent) const {
  std::string out;
  write(out, *this, indent, 0);
  return out;
}

Config Config::from_json(std::string_view text) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(text);
  simdjson::dom::element root;
  if (auto error = parser.parse(padded).get(root)) {
    throw Error(fmt::format("invalid JSON: {}", simdjson::error_message(error)));
  }
  return from_element(root);
}

}  // namespace keras::serialize
