// config_from_yaml: yaml-cpp's event parser feeds a builder that types
// scalars as PyYAML did when it wrote the file (yaml_scalars.hpp), accepts
// data tags only, expands aliases within a node budget, and rejects what
// yaml-cpp lets through: duplicate keys (it keeps both), unknown tags (it
// keeps them on the node) and a second document. The writer is
// yaml_emitter.cpp.
#include "keras/serialize/yaml.hpp"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <optional>
#include <sstream>
#include <unordered_map>
#include <vector>

#include "keras/error.hpp"
#include "yaml_cpp_fixes.hpp"
#include "yaml_scalars.hpp"

namespace keras::serialize {

namespace {

constexpr std::string_view kYamlTagPrefix = "tag:yaml.org,2002:";
// yaml-cpp itself stops at 500 nested nodes, with the bare message "bad file".
constexpr std::size_t kMaxDepth = 256;
// Alias bombs ("billion laughs"): a file may expand to at most 100 values per
// byte of text, and never past a few million. Real Keras files expand to far
// less than one value per byte.
constexpr std::size_t kMaxNodes = 4'000'000;
constexpr std::size_t kNodesPerByte = 100;
constexpr std::size_t kMinNodeBudget = 10'000;

std::string where(const YAML::Mark& mark) {
  if (mark.is_null()) return "an unknown position";
  return fmt::format("line {}, column {}", mark.line + 1, mark.column + 1);
}

// "!!python/tuple" for "tag:yaml.org,2002:python/tuple", as the file spells it.
std::string shown_tag(std::string_view tag) {
  if (tag.substr(0, kYamlTagPrefix.size()) == kYamlTagPrefix) {
    return "!!" + std::string(tag.substr(kYamlTagPrefix.size()));
  }
  return std::string(tag);
}

// What a tag means for Keras data.
enum class TagKind {
  kNone,  // no tag: plain scalars are typed by PyYAML's resolver
  kStr,
  kInt,
  kFloat,
  kBool,
  kNull,
  kSeq,
  kMap,
  kTuple,              // !!python/tuple: a list
  kSharedObject,       // tf.keras 2.5 !!python/object/new:...SharedObjectConfig: its dictitems
  kEmptySharedObject,  // !!python/object:...SharedObjectConfig: no dictitems, so {}
  kListWrapper,        // tf.keras 2.5 !!python/object/apply:...ListWrapper: its argument
  kForbidden,
};

// `path` names the class `name` in any module (tf.keras moved these around).
bool names_class(std::string_view path, std::string_view name) {
  return path == name || (path.size() > name.size() && path.ends_with(name) &&
                          path[path.size() - name.size() - 1] == '.');
}

TagKind classify_tag(std::string_view tag) {
  if (tag == "?" || tag == "!") return TagKind::kNone;
  if (tag.substr(0, kYamlTagPrefix.size()) != kYamlTagPrefix) return TagKind::kForbidden;
  const std::string_view name = tag.substr(kYamlTagPrefix.size());
  // Python 2's PyYAML tagged plain data too (Keras 1/2 files: !!python/unicode 'relu').
  if (name == "str" || name == "python/str" || name == "python/unicode") return TagKind::kStr;
  if (name == "int" || name == "python/int" || name == "python/long") return TagKind::kInt;
  if (name == "float" || name == "python/float") return TagKind::kFloat;
  if (name == "bool" || name == "python/bool") return TagKind::kBool;
  if (name == "null" || name == "python/none") return TagKind::kNull;
  if (name == "seq" || name == "python/list") return TagKind::kSeq;
  if (name == "map" || name == "python/dict") return TagKind::kMap;
  if (name == "python/tuple") return TagKind::kTuple;
  constexpr std::string_view kNew = "python/object/new:";
  constexpr std::string_view kObject = "python/object:";
  constexpr std::string_view kApply = "python/object/apply:";
  if (name.starts_with(kNew) && names_class(name.substr(kNew.size()), "SharedObjectConfig")) {
    return TagKind::kSharedObject;
  }
  if (name.starts_with(kObject) && names_class(name.substr(kObject.size()), "SharedObjectConfig")) {
    return TagKind::kEmptySharedObject;
  }
  if (name.starts_with(kApply) && names_class(name.substr(kApply.size()), "ListWrapper")) {
    return TagKind::kListWrapper;
  }
  return TagKind::kForbidden;
}

[[noreturn]] void forbidden_tag(std::string_view tag, const YAML::Mark& mark) {
  throw Error(fmt::format(
      "YAML tag '{}' at {} is not allowed: keras-cpp reads model configs as plain data and never "
      "builds Python objects. Accepted tags are the standard ones (!!str, !!int, !!float, "
      "!!bool, !!null, !!seq, !!map), !!python/tuple and tf.keras' SharedObjectConfig and "
      "ListWrapper. Remove the tag, or save the model with model.to_json() instead",
      shown_tag(tag), where(mark)));
}

[[noreturn]] void wrong_node_kind(std::string_view tag, const YAML::Mark& mark,
                                  std::string_view expected, std::string_view got) {
  throw Error(
      fmt::format("YAML tag '{}' at {} needs a {}, but it is on a {}; fix or remove the tag",
                  shown_tag(tag), where(mark), expected, got));
}

// The node a tag belongs on.
std::string_view node_kind_for(TagKind kind) {
  switch (kind) {
    case TagKind::kSeq:
    case TagKind::kTuple:
      return "sequence";
    case TagKind::kMap:
    case TagKind::kSharedObject:
    case TagKind::kEmptySharedObject:
      return "mapping";
    case TagKind::kListWrapper:
      return "sequence or mapping";
    default:
      return "scalar";
  }
}

std::string_view scalar_kind_name(TagKind kind) {
  switch (kind) {
    case TagKind::kInt:
      return "an integer";
    case TagKind::kFloat:
      return "a float";
    default:
      return "a bool";
  }
}

// A plain scalar typed as PyYAML's resolver types it.
Config plain_scalar_value(const YAML::Mark& mark, const std::string& text) {
  switch (pyyaml::resolve_plain(text)) {
    case pyyaml::PlainType::kNull:
      return Config();
    case pyyaml::PlainType::kBool:
      return Config(*pyyaml::construct_bool(text));
    case pyyaml::PlainType::kFloat:
      return Config(*pyyaml::construct_float(text));
    case pyyaml::PlainType::kInt:
      // Matching the pattern is not enough for 0x_ or 0b_: PyYAML fails on them too.
      if (std::optional<Config> value = pyyaml::construct_int(text)) return *value;
      throw Error(fmt::format(
          "YAML scalar '{}' at {} reads as an integer without digits; quote it if it is a string",
          text, where(mark)));
    case pyyaml::PlainType::kMerge:
      throw Error(fmt::format(
          "YAML merge key '<<' at {} is not supported (Keras never writes one); write the merged "
          "keys out, or quote '<<' if it is a plain string",
          where(mark)));
    default:
      return Config(text);  // strings; timestamps and '=' are kept as their text
  }
}

// A scalar's value: typed by its tag, or by PyYAML's resolver when plain.
Config scalar_value(const YAML::Mark& mark, const std::string& tag, const std::string& text) {
  const TagKind kind = classify_tag(tag);
  std::optional<Config> value;
  switch (kind) {
    case TagKind::kNone:
      // "!" marks a quoted or block scalar: always a string.
      return tag == "!" ? Config(text) : plain_scalar_value(mark, text);
    case TagKind::kStr:
      return Config(text);
    case TagKind::kNull:
      return Config();
    case TagKind::kInt:
      value = pyyaml::construct_int(text);
      break;
    case TagKind::kFloat:
      if (const auto number = pyyaml::construct_float(text)) value = Config(*number);
      break;
    case TagKind::kBool:
      if (const auto flag = pyyaml::construct_bool(text)) value = Config(*flag);
      break;
    case TagKind::kForbidden:
      forbidden_tag(tag, mark);
    default:
      wrong_node_kind(tag, mark, node_kind_for(kind), "scalar");
  }
  if (!value) {
    throw Error(
        fmt::format("YAML scalar '{}' at {} is tagged '{}' but is not {} as PyYAML reads it", text,
                    where(mark), shown_tag(tag), scalar_kind_name(kind)));
  }
  return *value;
}

// Builds a Config from yaml-cpp's events for one document.
class ConfigBuilder final : public YAML::EventHandler {
 public:
  explicit ConfigBuilder(std::string_view text)
      : text_(text),
        max_nodes_(std::min(kMaxNodes, std::max(kMinNodeBudget, kNodesPerByte * text.size()))) {}

  Config take_root() { return std::move(root_); }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    charge(1, mark);
    add(Config(), 1, mark, anchor);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    charge(1, mark);
    add(scalar_value(mark, tag, exact_text(mark, tag, value)), 1, mark, anchor);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const auto found = anchors_.find(anchor);
    if (found == anchors_.end()) {
      throw Error(fmt::format(
          "YAML alias at {} refers to a node that contains it (a recursive structure), which a "
          "Keras config cannot hold; replace the alias with the data",
          where(mark)));
    }
    const auto& [value, nodes] = found->second;
    charge(nodes, mark);
    add(value, nodes, mark, 0);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    const TagKind kind = classify_tag(tag);
    if (kind == TagKind::kForbidden) forbidden_tag(tag, mark);
    if (kind != TagKind::kNone && kind != TagKind::kSeq && kind != TagKind::kTuple &&
        kind != TagKind::kListWrapper) {
      wrong_node_kind(tag, mark, node_kind_for(kind), "sequence");
    }
    open(mark, tag, kind, anchor, /*is_map=*/false);
  }

  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    const TagKind kind = classify_tag(tag);
    if (kind == TagKind::kForbidden) forbidden_tag(tag, mark);
    if (kind != TagKind::kNone && kind != TagKind::kMap && kind != TagKind::kSharedObject &&
        kind != TagKind::kEmptySharedObject && kind != TagKind::kListWrapper) {
      wrong_node_kind(tag, mark, node_kind_for(kind), "mapping");
    }
    open(mark, tag, kind, anchor, /*is_map=*/true);
  }

  void OnMapEnd() override { close(); }

 private:
  struct Frame {
    bool is_map = false;
    TagKind kind = TagKind::kNone;
    std::string tag;
    YAML::Mark mark;
    YAML::anchor_t anchor = 0;
    Config::List items;
    Config::Dict entries;
    std::size_t nodes = 1;           // this collection and everything in it
    std::optional<std::string> key;  // a map's key waiting for its value
    std::unordered_map<std::string, YAML::Mark> key_marks;
  };

  // The scalar's text with yaml-cpp 0.7's mistakes undone (yaml_cpp_fixes.hpp).
  std::string exact_text(const YAML::Mark& mark, const std::string& tag,
                         const std::string& value) const {
    std::optional<std::string> text =
        yaml_cpp_fixes::exact_scalar_text(text_, mark.pos, tag, value);
    if (!text) unclosed_quote(mark);
    return std::move(*text);
  }

  [[noreturn]] static void unclosed_quote(const YAML::Mark& mark) {
    throw Error(fmt::format(
        "malformed YAML at {}: a quoted scalar is not closed before the end of the text (is the "
        "file cut short?)",
        where(mark)));
  }

  void charge(std::size_t nodes, const YAML::Mark& mark) {
    nodes_ += nodes;
    if (nodes_ > max_nodes_) {
      throw Error(fmt::format(
          "YAML text expands to more than {} values at {} ({} bytes of text may expand to at "
          "most {}): its aliases repeat anchored data too often, as in an alias bomb ('billion "
          "laughs'). A Keras config never needs this; rewrite the file without nested aliases",
          max_nodes_, where(mark), text_.size(), max_nodes_));
    }
  }

  void expect_key_position_free(const YAML::Mark& mark, std::string_view what) const {
    if (!stack_.empty() && stack_.back().is_map && !stack_.back().key) {
      throw Error(fmt::format("YAML mapping key at {} is a {}; Keras configs only have string keys",
                              where(mark), what));
    }
  }

  void open(const YAML::Mark& mark, const std::string& tag, TagKind kind, YAML::anchor_t anchor,
            bool is_map) {
    expect_key_position_free(mark, is_map ? "mapping" : "sequence");
    if (stack_.size() >= kMaxDepth) {
      throw Error(fmt::format(
          "YAML nesting is deeper than {} levels at {}; a Keras config is never this deep",
          kMaxDepth, where(mark)));
    }
    charge(1, mark);
    Frame frame;
    frame.is_map = is_map;
    frame.kind = kind;
    frame.tag = tag;
    frame.mark = mark;
    frame.anchor = anchor;
    stack_.push_back(std::move(frame));
  }

  void close() {
    Frame frame = std::move(stack_.back());
    stack_.pop_back();
    Config value = frame.is_map ? map_value(frame) : sequence_value(frame);
    add(std::move(value), frame.nodes, frame.mark, frame.anchor);
  }

  static Config sequence_value(Frame& frame) {
    if (frame.kind != TagKind::kListWrapper) return Config(std::move(frame.items));
    // ListWrapper.__reduce_ex__ gives (cls, (storage,)): PyYAML writes the
    // argument tuple as a sequence, so `- - 1` holds the list [1].
    if (frame.items.size() != 1 || !frame.items[0].is_list()) {
      throw Error(fmt::format(
          "YAML tag '{}' at {} should hold one argument, the wrapped list (written '- - 1' for "
          "[1]), but holds {}",
          shown_tag(frame.tag), where(frame.mark), Config(frame.items).to_json()));
    }
    return std::move(frame.items[0]);
  }

  static Config map_value(Frame& frame) {
    Config dict(std::move(frame.entries));
    switch (frame.kind) {
      case TagKind::kSharedObject: {
        // SharedObjectConfig is a dict subclass: the config is under `dictitems`
        // (absent when empty); `state` holds object_id and ref_count.
        for (const auto& [key, value] : dict.as_dict()) {
          if (key != "dictitems" && key != "state") bad_object_key(frame, key, "dictitems, state");
        }
        if (!dict.contains("dictitems")) return Config::dict();
        Config items = dict.at("dictitems");
        if (!items.is_dict()) bad_object_key(frame, "dictitems", "a mapping as dictitems");
        return items;
      }
      case TagKind::kEmptySharedObject:
        return Config::dict();  // the mapping is its state
      case TagKind::kListWrapper: {
        // The long form PyYAML uses when an object also has state: {args: [[1]]}.
        for (const auto& [key, value] : dict.as_dict()) {
          if (key != "args" && key != "state") bad_object_key(frame, key, "args, state");
        }
        const Config args = dict.contains("args") ? dict.at("args") : Config::list();
        frame.items = args.is_list() ? args.as_list() : Config::List{args};
        return sequence_value(frame);
      }
      default:
        return dict;
    }
  }

  [[noreturn]] static void bad_object_key(const Frame& frame, std::string_view key,
                                          std::string_view expected) {
    throw Error(fmt::format("YAML tag '{}' at {} has an unexpected '{}' (expected {})",
                            shown_tag(frame.tag), where(frame.mark), key, expected));
  }

  // Places a finished node: the root, a list item, a map key or a map value.
  void add(Config value, std::size_t nodes, const YAML::Mark& mark, YAML::anchor_t anchor) {
    if (anchor != 0) {
      charge(nodes, mark);  // the copy kept for aliases counts against the budget too
      anchors_[anchor] = {value, nodes};
    }
    if (stack_.empty()) {
      root_ = std::move(value);
      return;
    }
    Frame& top = stack_.back();
    top.nodes += nodes;
    if (!top.is_map) {
      top.items.push_back(std::move(value));
    } else if (top.key) {
      top.entries.emplace_back(std::move(*top.key), std::move(value));
      top.key.reset();
    } else {
      if (value.is_list() || value.is_dict()) {
        throw Error(fmt::format(
            "YAML mapping key at {} is an alias to a {}; Keras configs only have string keys",
            where(mark), value.is_list() ? "sequence" : "mapping"));
      }
      // Non-string keys become text as json.dumps would write them (1 -> "1").
      std::string key = value.is_string() ? value.as_string() : value.to_json();
      const auto [first, inserted] = top.key_marks.emplace(key, mark);
      if (!inserted) {
        throw Error(fmt::format(
            "duplicate key '{}' at {} (the same mapping has it at {}): a key may appear once "
            "per mapping, and PyYAML would silently keep the last value. A file that holds two "
            "configs pasted together looks like this; keep one of them",
            key, where(mark), where(first->second)));
      }
      top.key = std::move(key);
    }
  }

  std::string_view text_;
  std::size_t max_nodes_;
  std::size_t nodes_ = 0;
  std::vector<Frame> stack_;
  std::unordered_map<YAML::anchor_t, std::pair<Config, std::size_t>> anchors_;
  Config root_;
};

// Handles what follows the first document: any second document is an error.
class SecondDocumentGuard final : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& mark) override {
    throw Error(fmt::format(
        "YAML text goes on after its first document, at {}: a Keras config is one document. "
        "Keep one of the documents (or remove the stray '---' or '...'), or fix the indentation",
        where(mark)));
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

}  // namespace

Config config_from_yaml(std::string_view text) {
  std::istringstream stream{std::string(text)};
  YAML::Parser parser(stream);
  ConfigBuilder builder(text);
  try {
    if (!parser.HandleNextDocument(builder)) return Config();
    SecondDocumentGuard guard;
    parser.HandleNextDocument(guard);
  } catch (const YAML::DeepRecursion& e) {
    throw Error(
        fmt::format("YAML nesting is deeper than {} levels at {}; a Keras config is never "
                    "this deep",
                    kMaxDepth, where(e.mark)));
  } catch (const YAML::Exception& e) {
    throw Error(fmt::format(
        "malformed YAML at {}: {}; fix the syntax there (indentation, quotes, ':' or '-'), or "
        "save the model with model.to_json() instead",
        where(e.mark), e.msg));
  }
  return builder.take_root();
}

}  // namespace keras::serialize
