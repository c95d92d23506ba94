// config_to_yaml: a port of PyYAML's Emitter (pyyaml/lib/yaml/emitter.py,
// 6.0) for what yaml.dump(config, default_flow_style=False) emits from
// Keras' plain data: block mappings and sequences, [] and {} for empty ones,
// and scalars in the style PyYAML picks (plain where the text reads back as
// the same value, else single quotes, else double quotes with escapes).
// Function and member names follow emitter.py so the two can be read side by
// side. Output is ASCII: as with PyYAML's default allow_unicode=False, other
// characters are written as \x, \u or \U escapes.
//
// Keys stay in the Config's insertion order, as yaml.dump(sort_keys=False)
// writes them. Keras' to_yaml() called yaml.dump with PyYAML's default
// sort_keys=True (so its files list keys alphabetically), but a Config
// compares its keys in order, and config_from_yaml(config_to_yaml(c)) == c
// must hold; PyYAML loads either order to the same dict.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "keras/error.hpp"
#include "keras/serialize/yaml.hpp"
#include "yaml_scalars.hpp"

namespace keras::serialize {

namespace {

constexpr int kBestIndent = 2;  // PyYAML's default indent
constexpr int kBestWidth = 80;  // PyYAML's default width
constexpr std::size_t kSimpleKeyLimit = 128;
// check_simple_key() counts the prepared tag ("!!str") even when it is not written.
constexpr std::size_t kStrTagLength = 5;

bool is_break(char32_t c) {
  return c == U'\n' || c == 0x85 || c == 0x2028 || c == 0x2029;
}
bool is_blank_or_break_or_end(char32_t c) {
  return c == 0 || c == U' ' || c == U'\t' || c == U'\r' || is_break(c);
}

// Decodes UTF-8; PyYAML's emitter works on code points.
std::u32string decode_utf8(const std::string& text) {
  std::u32string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const int extra = lead < 0x80           ? 0
                      : (lead >> 5) == 0x6  ? 1
                      : (lead >> 4) == 0xE  ? 2
                      : (lead >> 3) == 0x1E ? 3
                                            : -1;
    bool valid = extra >= 0 && i + static_cast<std::size_t>(extra) < text.size();
    char32_t code = extra <= 0 ? lead : lead & (0x3F >> extra);
    for (int k = 1; valid && k <= extra; ++k) {
      const auto next = static_cast<unsigned char>(text[i + static_cast<std::size_t>(k)]);
      valid = (next & 0xC0) == 0x80;
      code = (code << 6) | (next & 0x3F);
    }
    static constexpr char32_t kMinimum[] = {0, 0x80, 0x800, 0x10000};
    valid = valid && code >= kMinimum[extra > 0 ? extra : 0] && code <= 0x10FFFF &&
            !(code >= 0xD800 && code <= 0xDFFF);
    if (!valid) {
      throw Error(fmt::format(
          "config_to_yaml: the string \"{}\" is not valid UTF-8 (byte {} of {}); YAML text is "
          "Unicode, so config strings must be UTF-8",
          text.substr(0, 40), i, text.size()));
    }
    out += code;
    i += static_cast<std::size_t>(extra) + 1;
  }
  return out;
}

// Emitter.analyze_scalar() with allow_unicode=False.
struct ScalarAnalysis {
  bool empty = false;
  bool multiline = false;
  bool allow_flow_plain = true;
  bool allow_block_plain = true;
  bool allow_single_quoted = true;
};

ScalarAnalysis analyze_scalar(const std::u32string& scalar) {
  ScalarAnalysis analysis;
  if (scalar.empty()) {
    analysis.empty = true;
    analysis.allow_flow_plain = false;
    return analysis;
  }
  bool block_indicators = false;
  bool flow_indicators = false;
  bool line_breaks = false;
  bool special_characters = false;
  bool leading_space = false;
  bool leading_break = false;
  bool trailing_space = false;
  bool trailing_break = false;
  bool break_space = false;
  bool space_break = false;
  const std::u32string_view view = scalar;
  if (view.substr(0, 3) == U"---" || view.substr(0, 3) == U"...") {
    block_indicators = true;
    flow_indicators = true;
  }
  bool preceded_by_whitespace = true;
  bool followed_by_whitespace = scalar.size() == 1 || is_blank_or_break_or_end(scalar[1]);
  bool previous_space = false;
  bool previous_break = false;
  const std::u32string_view leading_indicators = U"#,[]{}&*!|>'\"%@`";
  const std::u32string_view inner_flow_indicators = U",?[]{}";
  for (std::size_t index = 0; index < scalar.size(); ++index) {
    const char32_t ch = scalar[index];
    if (index == 0) {
      if (leading_indicators.find(ch) != std::u32string_view::npos) {
        flow_indicators = block_indicators = true;
      }
      if (ch == U'?' || ch == U':') {
        flow_indicators = true;
        if (followed_by_whitespace) block_indicators = true;
      }
      if (ch == U'-' && followed_by_whitespace) flow_indicators = block_indicators = true;
    } else {
      if (inner_flow_indicators.find(ch) != std::u32string_view::npos) flow_indicators = true;
      if (ch == U':') {
        flow_indicators = true;
        if (followed_by_whitespace) block_indicators = true;
      }
      if (ch == U'#' && preceded_by_whitespace) flow_indicators = block_indicators = true;
    }
    if (is_break(ch)) line_breaks = true;
    // Without allow_unicode, everything outside printable ASCII is special.
    if (!(ch == U'\n' || (ch >= 0x20 && ch <= 0x7E))) special_characters = true;
    if (ch == U' ') {
      if (index == 0) leading_space = true;
      if (index == scalar.size() - 1) trailing_space = true;
      if (previous_break) break_space = true;
      previous_space = true;
      previous_break = false;
    } else if (is_break(ch)) {
      if (index == 0) leading_break = true;
      if (index == scalar.size() - 1) trailing_break = true;
      if (previous_space) space_break = true;
      previous_space = false;
      previous_break = true;
    } else {
      previous_space = previous_break = false;
    }
    preceded_by_whitespace = is_blank_or_break_or_end(ch);
    followed_by_whitespace =
        index + 2 >= scalar.size() || is_blank_or_break_or_end(scalar[index + 2]);
  }
  if (leading_space || leading_break || trailing_space || trailing_break) {
    analysis.allow_flow_plain = analysis.allow_block_plain = false;
  }
  if (break_space) {
    analysis.allow_flow_plain = analysis.allow_block_plain = analysis.allow_single_quoted = false;
  }
  if (space_break || special_characters) {
    analysis.allow_flow_plain = analysis.allow_block_plain = analysis.allow_single_quoted = false;
  }
  if (line_breaks) analysis.allow_flow_plain = analysis.allow_block_plain = false;
  if (flow_indicators) analysis.allow_flow_plain = false;
  if (block_indicators) analysis.allow_block_plain = false;
  analysis.multiline = line_breaks;
  return analysis;
}

// A scalar as the Representer hands it over: its text and whether that text
// reads back as the same type when plain (implicit[0]) or quoted (implicit[1]).
struct Scalar {
  std::u32string text;
  bool plain_implicit = true;
  bool quoted_implicit = false;
};

Scalar represent_scalar(const Config& value) {
  const auto ascii = [](const std::string& s) { return std::u32string(s.begin(), s.end()); };
  if (value.is_null()) return {U"null"};
  if (value.is_bool()) return {value.as_bool() ? U"true" : U"false"};
  if (value.is_int()) return {ascii(std::to_string(value.as_int()))};
  if (value.is_number()) return {ascii(pyyaml::represent_float(value.as_number()))};
  // A string is plain only where PyYAML's resolver would read it back as a string.
  return {decode_utf8(value.as_string()),
          pyyaml::resolve_plain(value.as_string()) == pyyaml::PlainType::kString, true};
}

class Emitter {
 public:
  std::string emit_document(const Config& root) {
    expect_node(root, /*root=*/true, /*mapping=*/false, /*simple_key=*/false);
    write_indent();     // expect_document_end
    if (open_ended_) {  // a plain root scalar is closed with '...'
      write_indicator("...", true);
      write_indent();
    }
    return std::move(stream_);
  }

 private:
  void increase_indent(bool flow, bool indentless = false) {
    indents_.push_back(indent_);
    if (!indent_) {
      indent_ = flow ? kBestIndent : 0;
    } else if (!indentless) {
      *indent_ += kBestIndent;
    }
  }

  void pop_indent() {
    indent_ = indents_.back();
    indents_.pop_back();
  }

  void set_context(bool root, bool mapping, bool simple_key) {
    root_context_ = root;
    mapping_context_ = mapping;
    simple_key_context_ = simple_key;
  }

  void expect_node(const Config& node, bool root, bool mapping, bool simple_key) {
    set_context(root, mapping, simple_key);
    if (node.is_list()) {
      if (flow_level_ > 0 || node.as_list().empty()) {
        expect_empty_flow_collection("[", "]");
      } else {
        expect_block_sequence(node.as_list());
      }
    } else if (node.is_dict()) {
      if (flow_level_ > 0 || node.as_dict().empty()) {
        expect_empty_flow_collection("{", "}");
      } else {
        expect_block_mapping(node.as_dict());
      }
    } else {
      expect_scalar(represent_scalar(node));
    }
  }

  // expect_flow_sequence/mapping: only empty collections are written in flow style.
  void expect_empty_flow_collection(const char* open, const char* close) {
    write_indicator(open, true, /*whitespace=*/true);
    ++flow_level_;
    increase_indent(/*flow=*/true);
    pop_indent();
    --flow_level_;
    write_indicator(close, false);
  }

  void expect_block_sequence(const Config::List& items) {
    increase_indent(/*flow=*/false, /*indentless=*/mapping_context_ && !indention_);
    for (const Config& item : items) {
      write_indent();
      write_indicator("-", true, false, /*indention=*/true);
      expect_node(item, false, false, false);
    }
    pop_indent();
  }

  void expect_block_mapping(const Config::Dict& entries) {
    increase_indent(/*flow=*/false);
    for (const auto& [key, value] : entries) {
      write_indent();
      const Scalar key_scalar = represent_scalar(Config(key));
      if (check_simple_key(key_scalar.text)) {
        set_context(false, /*mapping=*/true, /*simple_key=*/true);
        expect_scalar(key_scalar);
        write_indicator(":", false);
      } else {
        write_indicator("?", true, false, /*indention=*/true);
        set_context(false, /*mapping=*/true, /*simple_key=*/false);
        expect_scalar(key_scalar);
        write_indent();
        write_indicator(":", true, false, /*indention=*/true);
      }
      expect_node(value, false, /*mapping=*/true, false);
    }
    pop_indent();
  }

  bool check_simple_key(const std::u32string& key) const {
    return kStrTagLength + key.size() < kSimpleKeyLimit && !key.empty() &&
           !analyze_scalar(key).multiline;
  }

  void expect_scalar(const Scalar& scalar) {
    increase_indent(/*flow=*/true);
    process_scalar(scalar);
    pop_indent();
  }

  char choose_scalar_style(const Scalar& scalar, const ScalarAnalysis& analysis) const {
    if (scalar.plain_implicit && !(simple_key_context_ && (analysis.empty || analysis.multiline)) &&
        (flow_level_ > 0 ? analysis.allow_flow_plain : analysis.allow_block_plain)) {
      return 0;
    }
    if (analysis.allow_single_quoted && !(simple_key_context_ && analysis.multiline)) return '\'';
    return '"';
  }

  void process_scalar(const Scalar& scalar) {
    const ScalarAnalysis analysis = analyze_scalar(scalar.text);
    const char style = choose_scalar_style(scalar, analysis);
    // process_tag(): the tag is implicit for every value Keras' data can hold.
    KERAS_INTERNAL_CHECK(style == 0 ? scalar.plain_implicit : scalar.quoted_implicit,
                         "a YAML scalar would need an explicit tag");
    const bool split = !simple_key_context_;
    if (style == '"') {
      write_double_quoted(scalar.text, split);
    } else if (style == '\'') {
      write_single_quoted(scalar.text, split);
    } else {
      write_plain(scalar.text, split);
    }
  }

  // Writers.

  void write(std::u32string_view data) {
    for (char32_t c : data) stream_ += static_cast<char>(c);  // ASCII by construction
    column_ += static_cast<int>(data.size());
  }

  void write_indicator(std::string_view indicator, bool need_whitespace, bool whitespace = false,
                       bool indention = false) {
    if (!whitespace_ && need_whitespace) {
      stream_ += ' ';
      ++column_;
    }
    stream_ += indicator;
    column_ += static_cast<int>(indicator.size());
    whitespace_ = whitespace;
    indention_ = indention_ && indention;
    open_ended_ = false;
  }

  void write_indent() {
    const int indent = indent_.value_or(0);
    if (!indention_ || column_ > indent || (column_ == indent && !whitespace_)) {
      write_line_break();
    }
    if (column_ < indent) {
      whitespace_ = true;
      stream_.append(static_cast<std::size_t>(indent - column_), ' ');
      column_ = indent;
    }
  }

  void write_line_break() {
    whitespace_ = true;
    indention_ = true;
    column_ = 0;
    stream_ += '\n';
  }

  void write_single_quoted(const std::u32string& text, bool split) {
    write_indicator("'", true);
    bool spaces = false;
    bool breaks = false;
    std::size_t start = 0;
    for (std::size_t end = 0; end <= text.size(); ++end) {
      const bool at_end = end == text.size();  // Python's `ch is None`
      const char32_t ch = at_end ? 0 : text[end];
      if (spaces) {
        if (at_end || ch != U' ') {
          if (start + 1 == end && column_ > kBestWidth && split && start != 0 &&
              end != text.size()) {
            write_indent();
          } else {
            write(std::u32string_view(text).substr(start, end - start));
          }
          start = end;
        }
      } else if (breaks) {
        // Only '\n' reaches here: the other breaks are special characters.
        if (at_end || !is_break(ch)) {
          if (text[start] == U'\n') write_line_break();
          for (std::size_t k = start; k < end; ++k) write_line_break();
          write_indent();
          start = end;
        }
      } else if (at_end || ch == U' ' || is_break(ch) || ch == U'\'') {
        if (start < end) {
          write(std::u32string_view(text).substr(start, end - start));
          start = end;
        }
      }
      if (!at_end && ch == U'\'') {
        write(U"''");
        start = end + 1;
      }
      if (!at_end) {
        spaces = ch == U' ';
        breaks = is_break(ch);
      }
    }
    write_indicator("'", false);
  }

  static std::u32string escape(char32_t ch) {
    switch (ch) {
      case 0:
        return U"\\0";
      case 0x07:
        return U"\\a";
      case 0x08:
        return U"\\b";
      case 0x09:
        return U"\\t";
      case 0x0A:
        return U"\\n";
      case 0x0B:
        return U"\\v";
      case 0x0C:
        return U"\\f";
      case 0x0D:
        return U"\\r";
      case 0x1B:
        return U"\\e";
      case U'"':
        return U"\\\"";
      case U'\\':
        return U"\\\\";
      case 0x85:
        return U"\\N";
      case 0xA0:
        return U"\\_";
      case 0x2028:
        return U"\\L";
      case 0x2029:
        return U"\\P";
      default:
        break;
    }
    const std::string hex = ch <= 0xFF ? fmt::format("\\x{:02X}", static_cast<std::uint32_t>(ch))
                            : ch <= 0xFFFF
                                ? fmt::format("\\u{:04X}", static_cast<std::uint32_t>(ch))
                                : fmt::format("\\U{:08X}", static_cast<std::uint32_t>(ch));
    return std::u32string(hex.begin(), hex.end());
  }

  void write_double_quoted(const std::u32string& text, bool split) {
    write_indicator("\"", true);
    std::size_t start = 0;
    for (std::size_t end = 0; end <= text.size(); ++end) {
      const bool at_end = end == text.size();  // Python's `ch is None`
      const char32_t ch = at_end ? 0 : text[end];
      if (at_end || ch == U'"' || ch == U'\\' || !(ch >= 0x20 && ch <= 0x7E)) {
        if (start < end) {
          write(std::u32string_view(text).substr(start, end - start));
          start = end;
        }
        if (!at_end) {
          write(escape(ch));
          start = end + 1;
        }
      }
      const long pending = static_cast<long>(end) - static_cast<long>(start);  // -1 after an escape
      if (end > 0 && end + 1 < text.size() && ((!at_end && ch == U' ') || start >= end) &&
          column_ + pending > kBestWidth && split) {
        std::u32string data(std::u32string_view(text).substr(start, end > start ? end - start : 0));
        data += U'\\';
        if (start < end) start = end;
        write(data);
        write_indent();
        whitespace_ = false;
        indention_ = false;
        if (text[start] == U' ') write(U"\\");
      }
    }
    write_indicator("\"", false);
  }

  void write_plain(const std::u32string& text, bool split) {
    if (root_context_) open_ended_ = true;
    if (text.empty()) return;
    if (!whitespace_) write(U" ");
    whitespace_ = false;
    indention_ = false;
    bool spaces = false;
    std::size_t start = 0;
    // Plain scalars never hold line breaks (analyze_scalar forbids them).
    for (std::size_t end = 0; end <= text.size(); ++end) {
      const bool at_end = end == text.size();  // Python's `ch is None`
      const char32_t ch = at_end ? 0 : text[end];
      if (spaces) {
        if (at_end || ch != U' ') {
          if (start + 1 == end && column_ > kBestWidth && split) {
            write_indent();
            whitespace_ = false;
            indention_ = false;
          } else {
            write(std::u32string_view(text).substr(start, end - start));
          }
          start = end;
        }
      } else if (at_end || ch == U' ') {
        write(std::u32string_view(text).substr(start, end - start));
        start = end;
      }
      if (!at_end) spaces = ch == U' ';
    }
  }

  std::string stream_;
  std::optional<int> indent_;  // None until the root collection starts
  std::vector<std::optional<int>> indents_;
  int flow_level_ = 0;
  bool root_context_ = false;
  bool mapping_context_ = false;
  bool simple_key_context_ = false;
  int column_ = 0;
  bool whitespace_ = true;
  bool indention_ = true;
  bool open_ended_ = false;
};

}  // namespace

std::string config_to_yaml(const Config& config) {
  return Emitter().emit_document(config);
}

}  // namespace keras::serialize
