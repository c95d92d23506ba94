// PyYAML's plain-scalar typing (resolver.py) and conversions (constructor.py),
// matched by hand. Each matcher names the regular expression it implements.
#include "yaml_scalars.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include <fmt/core.h>

namespace keras::serialize::pyyaml {

namespace {

constexpr std::size_t kNoMatch = std::string_view::npos;

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_digit_or_underscore(char c) {
  return is_digit(c) || c == '_';
}
bool is_octal_or_underscore(char c) {
  return (c >= '0' && c <= '7') || c == '_';
}
bool is_binary_or_underscore(char c) {
  return c == '0' || c == '1' || c == '_';
}
bool is_hex_or_underscore(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '_';
}

// The index after the run of characters from `from` on that satisfy `pred`.
template <typename Pred>
std::size_t skip_run(std::string_view s, std::size_t from, Pred pred) {
  while (from < s.size() && pred(s[from])) ++from;
  return from;
}

// True when s[from:] is non-empty and made only of characters satisfying `pred`.
template <typename Pred>
bool rest_is(std::string_view s, std::size_t from, Pred pred) {
  return from < s.size() && skip_run(s, from, pred) == s.size();
}

std::string_view without_sign(std::string_view s) {
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  return s;
}

// (?::[0-5]?[0-9])+ from `i`: the index after the groups, or kNoMatch.
std::size_t skip_sexagesimal(std::string_view s, std::size_t i) {
  bool any = false;
  while (i < s.size() && s[i] == ':') {
    const std::size_t end = skip_run(s, i + 1, is_digit);
    const std::size_t digits = end - (i + 1);
    if (!(digits == 1 || (digits == 2 && s[i + 1] <= '5'))) return kNoMatch;
    i = end;
    any = true;
  }
  return any ? i : kNoMatch;
}

// (?:[eE][-+][0-9]+)?$ from `i`.
bool exponent_ends(std::string_view s, std::size_t i) {
  if (i == s.size()) return true;
  if (s[i] != 'e' && s[i] != 'E') return false;
  if (i + 1 >= s.size() || (s[i + 1] != '-' && s[i + 1] != '+')) return false;
  return rest_is(s, i + 2, is_digit);
}

bool is_float(std::string_view s) {
  const std::string_view t = without_sign(s);
  // [-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?
  if (!t.empty() && is_digit(t[0])) {
    const std::size_t dot = skip_run(t, 1, is_digit_or_underscore);
    if (dot < t.size() && t[dot] == '.' &&
        exponent_ends(t, skip_run(t, dot + 1, is_digit_or_underscore))) {
      return true;
    }
    // [-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
    const std::size_t groups_end = skip_sexagesimal(t, dot);
    if (groups_end != kNoMatch && groups_end < t.size() && t[groups_end] == '.' &&
        skip_run(t, groups_end + 1, is_digit_or_underscore) == t.size()) {
      return true;
    }
  }
  // \.[0-9][0-9_]*(?:[eE][-+][0-9]+)?   (no sign)
  if (s.size() >= 2 && s[0] == '.' && is_digit(s[1]) &&
      exponent_ends(s, skip_run(s, 2, is_digit_or_underscore))) {
    return true;
  }
  // [-+]?\.(?:inf|Inf|INF) and \.(?:nan|NaN|NAN)
  if (t == ".inf" || t == ".Inf" || t == ".INF") return true;
  return s == ".nan" || s == ".NaN" || s == ".NAN";
}

bool is_int(std::string_view s) {
  const std::string_view t = without_sign(s);
  if (t.empty()) return false;
  if (t.size() > 2 && t[0] == '0' && t[1] == 'b') return rest_is(t, 2, is_binary_or_underscore);
  if (t.size() > 2 && t[0] == '0' && t[1] == 'x') return rest_is(t, 2, is_hex_or_underscore);
  if (t[0] == '0') return t.size() == 1 || rest_is(t, 1, is_octal_or_underscore);  // 0[0-7_]+
  if (!is_digit(t[0])) return false;
  // [1-9][0-9_]* and [1-9][0-9_]*(?::[0-5]?[0-9])+
  const std::size_t end = skip_run(t, 1, is_digit_or_underscore);
  return end == t.size() || skip_sexagesimal(t, end) == t.size();
}

// [0-9]{n} at `i`; advances `i`.
bool digits(std::string_view s, std::size_t& i, std::size_t n) {
  for (std::size_t k = 0; k < n; ++k, ++i) {
    if (i >= s.size() || !is_digit(s[i])) return false;
  }
  return true;
}

// [0-9][0-9]? at `i`; advances `i`.
bool one_or_two_digits(std::string_view s, std::size_t& i) {
  if (!digits(s, i, 1)) return false;
  if (i < s.size() && is_digit(s[i])) ++i;
  return true;
}

bool is_char(std::string_view s, std::size_t& i, char c) {
  if (i >= s.size() || s[i] != c) return false;
  ++i;
  return true;
}

bool is_timestamp(std::string_view s) {
  std::size_t i = 0;
  // [0-9]{4}-[0-9][0-9]-[0-9][0-9]
  if (s.size() == 10 && digits(s, i, 4) && is_char(s, i, '-') && digits(s, i, 2) &&
      is_char(s, i, '-') && digits(s, i, 2)) {
    return true;
  }
  // [0-9]{4}-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9]
  // (?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?
  i = 0;
  if (!(digits(s, i, 4) && is_char(s, i, '-') && one_or_two_digits(s, i) && is_char(s, i, '-') &&
        one_or_two_digits(s, i))) {
    return false;
  }
  if (i < s.size() && (s[i] == 'T' || s[i] == 't')) {
    ++i;
  } else {
    const std::size_t spaces_end = skip_run(s, i, [](char c) { return c == ' ' || c == '\t'; });
    if (spaces_end == i) return false;
    i = spaces_end;
  }
  if (!(one_or_two_digits(s, i) && is_char(s, i, ':') && digits(s, i, 2) && is_char(s, i, ':') &&
        digits(s, i, 2))) {
    return false;
  }
  if (i < s.size() && s[i] == '.') i = skip_run(s, i + 1, is_digit);
  if (i == s.size()) return true;
  i = skip_run(s, i, [](char c) { return c == ' ' || c == '\t'; });
  if (is_char(s, i, 'Z')) return i == s.size();
  if (i >= s.size() || (s[i] != '-' && s[i] != '+')) return false;
  ++i;
  if (!one_or_two_digits(s, i)) return false;
  if (i == s.size()) return true;
  return is_char(s, i, ':') && digits(s, i, 2) && i == s.size();
}

bool is_bool_word(std::string_view s) {
  for (std::string_view word : {"yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE",
                                "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF"}) {
    if (s == word) return true;
  }
  return false;
}

std::string without_underscores(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c != '_') out += c;
  }
  return out;
}

std::string lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

std::vector<std::string_view> split_colons(std::string_view s) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == ':') {
      parts.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts;
}

// A non-negative integer accumulated exactly while it fits in 64 bits and as
// a double alongside, for Python's unbounded ints.
class Magnitude {
 public:
  void multiply_add(std::uint64_t factor, std::uint64_t digit) {
    approx_ = approx_ * static_cast<double>(factor) + static_cast<double>(digit);
    if (exact_ > (std::numeric_limits<std::uint64_t>::max() - digit) / factor) overflow_ = true;
    exact_ = exact_ * factor + digit;
  }
  Config with_sign(bool negative) const {
    constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    if (!overflow_ && exact_ <= kMax) {
      const auto value = static_cast<std::int64_t>(exact_);
      return Config(negative ? -value : value);
    }
    if (!overflow_ && negative && exact_ == kMax + 1) {
      return Config(std::numeric_limits<std::int64_t>::min());
    }
    return Config(negative ? -approx_ : approx_);
  }

 private:
  std::uint64_t exact_ = 0;
  double approx_ = 0.0;
  bool overflow_ = false;
};

int digit_value(char c) {
  if (is_digit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 99;
}

// int(text, base) for a non-empty run of digits.
bool accumulate(Magnitude& value, std::string_view text, int base) {
  if (text.empty()) return false;
  for (char c : text) {
    const int digit = digit_value(c);
    if (digit >= base) return false;
    value.multiply_add(static_cast<std::uint64_t>(base), static_cast<std::uint64_t>(digit));
  }
  return true;
}

// Python's float() on text without sign, underscores or capitals.
std::optional<double> python_float(std::string_view text) {
  if (text.empty() || text[0] == '-' || text[0] == '+') return std::nullopt;
  double value = 0.0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (end != text.data() + text.size()) return std::nullopt;
  if (error == std::errc::result_out_of_range) {
    // Python overflows to inf and underflows to 0.0; from_chars leaves
    // `value` alone, so find the decimal exponent of the first non-zero digit.
    const std::size_t e = text.find('e');
    long exponent = 0;
    if (e != std::string_view::npos) {
      const std::size_t from = e + 1 < text.size() && text[e + 1] == '+' ? e + 2 : e + 1;
      std::from_chars(text.data() + from, text.data() + text.size(), exponent);
    }
    const std::string_view mantissa = text.substr(0, e);
    const std::size_t dot = std::min(mantissa.find('.'), mantissa.size());
    const std::size_t first = mantissa.find_first_of("123456789");
    if (first == std::string_view::npos) return 0.0;
    const long position =
        first < dot ? static_cast<long>(dot - first) - 1 : -static_cast<long>(first - dot);
    return position + exponent > 0 ? std::numeric_limits<double>::infinity() : 0.0;
  }
  if (error != std::errc()) return std::nullopt;
  return value;
}

}  // namespace

PlainType resolve_plain(std::string_view text) {
  if (text.empty()) return PlainType::kNull;
  const char first = text[0];
  const std::string_view bool_first = "yYnNtTfFoO";
  const std::string_view number_first = "-+0123456789";
  if (bool_first.find(first) != kNoMatch && is_bool_word(text)) return PlainType::kBool;
  if ((number_first.find(first) != kNoMatch || first == '.') && is_float(text)) {
    return PlainType::kFloat;
  }
  if (number_first.find(first) != kNoMatch && is_int(text)) return PlainType::kInt;
  if (text == "<<") return PlainType::kMerge;
  if (text == "~" || text == "null" || text == "Null" || text == "NULL") return PlainType::kNull;
  if (is_digit(first) && is_timestamp(text)) return PlainType::kTimestamp;
  if (text == "=") return PlainType::kValue;
  return PlainType::kString;
}

std::optional<bool> construct_bool(std::string_view text) {
  const std::string value = lower(std::string(text));
  if (value == "yes" || value == "true" || value == "on") return true;
  if (value == "no" || value == "false" || value == "off") return false;
  return std::nullopt;
}

std::optional<Config> construct_int(std::string_view text) {
  std::string value = without_underscores(text);
  const bool negative = !value.empty() && value[0] == '-';
  if (!value.empty() && (value[0] == '-' || value[0] == '+')) value.erase(0, 1);
  const std::string_view digits_text = value;
  Magnitude magnitude;
  bool ok = false;
  if (digits_text.substr(0, 2) == "0b") {
    ok = accumulate(magnitude, digits_text.substr(2), 2);
  } else if (digits_text.substr(0, 2) == "0x") {
    ok = accumulate(magnitude, digits_text.substr(2), 16);
  } else if (!digits_text.empty() && digits_text[0] == '0') {
    ok = accumulate(magnitude, digits_text, 8);
  } else if (digits_text.find(':') != kNoMatch) {
    // Base 60 (1:30 is 90): every part is a decimal int.
    ok = true;
    for (std::string_view part : split_colons(digits_text)) {
      Magnitude part_value;
      ok = ok && accumulate(part_value, part, 10);
      const Config digit = part_value.with_sign(false);
      if (!ok || !digit.is_int()) return std::nullopt;
      magnitude.multiply_add(60, static_cast<std::uint64_t>(digit.as_int()));
    }
  } else {
    ok = accumulate(magnitude, digits_text, 10);
    Config value = magnitude.with_sign(negative);
    if (ok && value.is_number() && !value.is_int()) {
      // Past 64 bits: round the decimal digits once, as Python's float(int) does.
      const double rounded = *python_float(digits_text);
      return Config(negative ? -rounded : rounded);
    }
  }
  if (!ok) return std::nullopt;
  return magnitude.with_sign(negative);
}

std::optional<double> construct_float(std::string_view text) {
  std::string value = lower(without_underscores(text));
  if (value.empty()) return std::nullopt;
  const double sign = value[0] == '-' ? -1.0 : 1.0;
  if (value[0] == '-' || value[0] == '+') value.erase(0, 1);
  if (value == ".inf") return sign * std::numeric_limits<double>::infinity();
  if (value == ".nan") return std::numeric_limits<double>::quiet_NaN();
  if (value.find(':') != kNoMatch) {
    // Summed from the last part up, as Python does, for the same rounding.
    const std::vector<std::string_view> parts = split_colons(value);
    double total = 0.0;
    double base = 1.0;
    for (auto part = parts.rbegin(); part != parts.rend(); ++part) {
      const std::optional<double> digit = python_float(*part);
      if (!digit) return std::nullopt;
      total += *digit * base;
      base *= 60.0;
    }
    return sign * total;
  }
  const std::optional<double> parsed = python_float(value);
  if (!parsed) return std::nullopt;
  return sign * *parsed;
}

std::string represent_float(double value) {
  if (std::isnan(value)) return ".nan";
  if (std::isinf(value)) return value > 0 ? ".inf" : "-.inf";
  // fmt's shortest round-trip form switches to an exponent where Python's
  // repr() does (below 1e-4 and from 1e16 on).
  std::string text = fmt::format("{}", value);
  if (text.find('.') == std::string::npos) {
    const std::size_t e = text.find('e');
    if (e == std::string::npos) {
      text += ".0";
    } else {
      text.insert(e, ".0");
    }
  }
  return text;
}

}  // namespace keras::serialize::pyyaml
