// yaml-cpp 0.7's scalar mistakes, undone; see yaml_cpp_fixes.hpp.
#include "yaml_cpp_fixes.hpp"

#include <algorithm>

namespace keras::serialize::yaml_cpp_fixes {

namespace {

// The input is UTF-8, so a 0x85 or 0xA0 byte outside a valid sequence came
// from a \N or \_ escape: encode it as UTF-8.
std::string repair_latin1_escapes(const std::string& text) {
  if (text.find_first_of("\x85\xA0") == std::string::npos) return text;
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const std::size_t length = lead < 0x80           ? 1
                               : (lead >> 5) == 0x6  ? 2
                               : (lead >> 4) == 0xE  ? 3
                               : (lead >> 3) == 0x1E ? 4
                                                     : 0;
    bool valid = length > 0 && i + length <= text.size();
    for (std::size_t k = 1; valid && k < length; ++k) {
      valid = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
    }
    if (valid) {
      out.append(text, i, length);
      i += length;
      continue;
    }
    if (lead == 0x85 || lead == 0xA0) out += '\xC2';
    out += text[i++];
  }
  return out;
}

// A single-quoted scalar read from the text at `pos` (its opening quote),
// folded as YAML specifies: '' is a quote, a line break followed by n empty
// lines becomes n newlines (a space when n is 0), and white space around
// breaks is dropped. nullopt when the closing quote is missing.
std::optional<std::string> read_single_quoted(std::string_view text, std::size_t pos) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t'; };
  const auto is_break = [](char c) { return c == '\n' || c == '\r'; };
  std::string out;
  std::size_t i = pos + 1;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '\'') {
      if (i + 1 < text.size() && text[i + 1] == '\'') {
        out += '\'';
        i += 2;
        continue;
      }
      return out;
    }
    if (!is_break(c)) {
      out += c;
      ++i;
      continue;
    }
    while (!out.empty() && is_space(out.back())) out.pop_back();
    std::size_t empty_lines = 0;
    bool first = true;
    while (i < text.size() && is_break(text[i])) {
      i += text.compare(i, 2, "\r\n") == 0 ? 2 : 1;
      if (!first) ++empty_lines;
      first = false;
      while (i < text.size() && is_space(text[i])) ++i;
    }
    out += empty_lines == 0 ? std::string(" ") : std::string(empty_lines, '\n');
  }
  return std::nullopt;
}

// What yaml-cpp's CLIP chomping makes of a quoted scalar: at most one
// trailing newline, and nothing when it is all newlines. Used to check that
// read_single_quoted() read the same scalar as yaml-cpp.
std::string clipped_as_yaml_cpp_does(const std::string& value) {
  const std::size_t last = value.find_last_not_of('\n');
  if (last == std::string::npos) return "";
  return value.substr(0, std::min(last + 2, value.size()));
}

// Whether the double-quoted scalar opening at `pos` has its closing quote.
bool double_quoted_is_closed(std::string_view text, std::size_t pos) {
  for (std::size_t i = pos + 1; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;
    } else if (text[i] == '"') {
      return true;
    }
  }
  return false;
}

// The start of the scalar whose node starts at `pos`: after its tag and
// anchor, if any, and the white space and comments around them.
std::size_t skip_node_properties(std::string_view text, std::size_t pos) {
  while (pos < text.size()) {
    const char c = text[pos];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++pos;
    } else if (c == '#') {
      pos = std::min(text.find('\n', pos), text.size());
    } else if (c == '!' || c == '&') {
      pos = std::min(text.find_first_of(" \t\r\n", pos), text.size());
    } else {
      break;
    }
  }
  return pos;
}

}  // namespace

std::optional<std::string> exact_scalar_text(std::string_view text, int mark_pos,
                                             const std::string& tag, const std::string& value) {
  std::string exact = repair_latin1_escapes(value);
  // Plain scalars ("?") hold neither escapes nor quotes.
  if (tag == "?" || mark_pos < 0) return exact;
  // yaml-cpp's marks count bytes after a UTF-8 byte order mark.
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  const std::size_t start = skip_node_properties(text, static_cast<std::size_t>(mark_pos));
  if (start >= text.size()) return exact;
  if (text[start] == '"') {
    if (!double_quoted_is_closed(text, start)) return std::nullopt;
    return exact;
  }
  if (text[start] != '\'') return exact;  // a block scalar
  std::optional<std::string> single_quoted = read_single_quoted(text, start);
  // Only trust our reading where it agrees with yaml-cpp's up to the clipping.
  if (single_quoted && clipped_as_yaml_cpp_does(*single_quoted) == exact) return single_quoted;
  return single_quoted ? std::optional<std::string>(exact) : std::nullopt;
}

}  // namespace keras::serialize::yaml_cpp_fixes
