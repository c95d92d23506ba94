#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "keras/serialize/config.hpp"
#include "keras/serialize/yaml.hpp"

using Catch::Matchers::Contains;
using keras::serialize::Config;
using keras::serialize::config_from_yaml;
using keras::serialize::config_to_yaml;

namespace {

// A file under tests/serialize/fixtures/yaml/ (made by make_yaml_fixtures.py).
std::string yaml_fixture(const std::string& name) {
  std::ifstream in(std::string(KERAS_SERIALIZE_FIXTURES_DIR) + "/yaml/" + name, std::ios::binary);
  REQUIRE(in);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// `text` read as the one item of a block sequence: "- yes" -> true.
Config item(const std::string& text) {
  return config_from_yaml("- " + text + "\n").as_list().at(0);
}

// Deterministic configs with the strings, numbers and nestings that stress
// the writer's quoting and folding.
class ConfigGenerator {
 public:
  Config value(int depth = 0) {
    switch (pick(depth > 3 ? 5 : 8)) {
      case 0:
        return text();
      case 1:
        return Config(static_cast<std::int64_t>(rng_()));
      case 2:
        return Config(std::ldexp(real_(rng_), static_cast<int>(pick(2000)) - 1000));
      case 3:
        return Config(pick(2) == 0);
      case 4:
        return Config();
      case 5: {
        Config list = Config::list();
        for (std::size_t i = pick(4); i > 0; --i) list.push_back(value(depth + 1));
        return list;
      }
      default: {
        Config dict = Config::dict();
        for (std::size_t i = pick(5); i > 0; --i) dict[text()] = value(depth + 1);
        return dict;
      }
    }
  }

 private:
  std::size_t pick(std::size_t n) { return rng_() % n; }

  std::string text() {
    static const std::vector<std::string> kWords = {"",
                                                    "true",
                                                    "No",
                                                    "on",
                                                    "null",
                                                    "~",
                                                    "1.0",
                                                    "1e-07",
                                                    "1.0e-07",
                                                    "0x1F",
                                                    "017",
                                                    "08",
                                                    "1:30",
                                                    "2001-12-14",
                                                    ".inf",
                                                    ".nan",
                                                    "<<",
                                                    "=",
                                                    "- x",
                                                    "a: b",
                                                    "a #b",
                                                    "#c",
                                                    "? x",
                                                    "---",
                                                    "...",
                                                    " lead",
                                                    "trail ",
                                                    "'q'",
                                                    "\"dq\"",
                                                    "a\nb",
                                                    "\n",
                                                    "x\n\n",
                                                    "\n\nx",
                                                    "tab\there",
                                                    "caf\xc3\xa9",
                                                    "\xe2\x80\xa8",
                                                    "\xc2\x85",
                                                    "\xc2\xa0nbsp",
                                                    "\xf0\x9f\x98\x80",
                                                    "relu",
                                                    "glorot_uniform",
                                                    std::string(1, '\0'),
                                                    std::string(130, 'k')};
    static const std::string kAlphabet = "ab01.-:#,[]{}'\" \n\\e+_~";
    if (pick(3) == 0) return kWords[pick(kWords.size())];
    std::string s;
    const std::size_t length = pick(3) == 0 ? 60 + pick(100) : 1 + pick(12);
    for (std::size_t i = 0; i < length; ++i) s += kAlphabet[pick(kAlphabet.size())];
    return s;
  }

  std::mt19937_64 rng_{20240531};
  std::uniform_real_distribution<double> real_{-1.0, 1.0};
};

}  // namespace

TEST_CASE("YAML from PyYAML's flow and block dumps equals the JSON of the same config",
          "[serialize][yaml]") {
  for (const std::string model : {"sequential", "functional"}) {
    const Config expected = Config::from_json(yaml_fixture(model + ".json"));
    for (const std::string style : {"_flow", "_block"}) {
      INFO(model + style + ".yaml");
      CHECK(config_from_yaml(yaml_fixture(model + style + ".yaml")) == expected);
    }
  }
  // Spot checks: !!python/tuple is a list, aliases repeat the anchored data.
  const Config sequential = config_from_yaml(yaml_fixture("sequential_flow.yaml"));
  const Config& conv = sequential.at("config").at("layers").as_list()[0].at("config");
  CHECK(conv.at("batch_input_shape").to_json() == "[null, 28, 28, 1]");
  CHECK(conv.at("strides") == conv.at("dilation_rate"));
  CHECK(conv.at("kernel_initializer").at("config").at("scale").is_number());
  CHECK_FALSE(conv.at("kernel_initializer").at("config").at("scale").is_int());
  const Config functional = config_from_yaml(yaml_fixture("functional_block.yaml"));
  const Config::List& layers = functional.at("config").at("layers").as_list();
  CHECK(layers[2].at("inbound_nodes").to_json() == "[[[\"input_1\", 0, 0, {}]]]");
  CHECK(layers[1].at("config").at("bias_regularizer").at("config").at("l2").as_number() == 1e-07);
}

TEST_CASE("YAML reads tf.keras 2.5's SharedObjectConfig and ListWrapper as plain data",
          "[serialize][yaml]") {
  const Config config = config_from_yaml(yaml_fixture("tf_keras_2_5_tags.yaml"));
  CHECK(config == Config::from_json(yaml_fixture("tf_keras_2_5_tags.json")));
  const Config::List& layers = config.at("config").at("layers").as_list();
  CHECK(layers[1].at("class_name").as_string() == "Dense");  // the dictitems, not the state
  CHECK_FALSE(layers[1].contains("state"));
  CHECK(layers[2].at("config").at("axis").to_json() == "[1]");
  // The alias *id001 repeats the shared initializer, shared_object_id included.
  CHECK(layers[3].at("config").at("kernel_initializer").to_json() ==
        R"({"class_name": "GlorotUniform", "config": {"seed": null}, "shared_object_id": 1})");
  // The long forms PyYAML writes for other object states.
  CHECK(config_from_yaml("!!python/object/apply:a.ListWrapper {args: [[1, 2]], state: {}}\n") ==
        Config::ints({1, 2}));
  CHECK(config_from_yaml("!!python/object:a.SharedObjectConfig {object_id: 1, ref_count: 1}\n") ==
        Config::dict());
}

TEST_CASE("YAML refuses crafted and broken files with the key, tag or line at fault",
          "[serialize][yaml]") {
  // Two dumps pasted together: every top-level key twice (k2/jessevent_lstm_duplicated.yaml).
  REQUIRE_THROWS_WITH(config_from_yaml(yaml_fixture("bad_duplicate_key.yaml")),
                      Contains("duplicate key 'backend' at line 54, column 1") &&
                          Contains("line 1, column 1") && Contains("keep one of them"));
  REQUIRE_THROWS_WITH(config_from_yaml(yaml_fixture("bad_os_system.yaml")),
                      Contains("YAML tag '!!python/object/apply:os.system' at line 7, column 13 "
                               "is not allowed"));
  REQUIRE_THROWS_WITH(config_from_yaml(yaml_fixture("bad_python_name.yaml")),
                      Contains("YAML tag '!!python/name:builtins.print' at line 6"));
  REQUIRE_THROWS_WITH(config_from_yaml(yaml_fixture("bad_indentation.yaml")),
                      Contains("malformed YAML at line 74, column 6: end of map not found"));
  REQUIRE_THROWS_WITH(config_from_yaml(yaml_fixture("bad_alias_bomb.yaml")),
                      Contains("alias bomb") && Contains("more than 39600 values"));
}

TEST_CASE("YAML types plain scalars as PyYAML's YAML 1.1 resolver does", "[serialize][yaml]") {
  for (const char* text : {"null", "Null", "NULL", "~", ""}) {
    INFO(text);
    CHECK(item(text).is_null());
  }
  for (const char* text : {"yes", "Yes", "YES", "true", "True", "on", "On", "ON"}) {
    INFO(text);
    CHECK(item(text) == Config(true));
  }
  for (const char* text : {"no", "No", "false", "FALSE", "off", "Off"}) {
    INFO(text);
    CHECK(item(text) == Config(false));
  }
  // 0x hex, leading-0 octal, 0b binary, '_' separators and base 60 (1:30 is 90).
  CHECK(item("784") == Config(784));
  CHECK(item("-3") == Config(-3));
  CHECK(item("0x1F") == Config(31));
  CHECK(item("017") == Config(15));
  CHECK(item("0b101") == Config(5));
  CHECK(item("1_000") == Config(1000));
  CHECK(item("1:30") == Config(90));
  CHECK(item("-9223372036854775808") == Config(std::numeric_limits<std::int64_t>::min()));
  CHECK(item("9223372036854775808") == Config(9223372036854775808.0));  // past 64 bits
  // Floats need a '.' (and a signed exponent): 1e-07 and 1.0e5 are strings in YAML 1.1.
  CHECK(item("1.0e-07") == Config(1e-07));
  CHECK(item("0.001") == Config(0.001));
  CHECK(item("1.") == Config(1.0));
  CHECK(item(".5") == Config(0.5));
  CHECK(item("1:30.5") == Config(90.5));
  CHECK(item(".inf") == Config(std::numeric_limits<double>::infinity()));
  CHECK(item("-.inf") == Config(-std::numeric_limits<double>::infinity()));
  CHECK(std::isnan(item(".nan").as_number()));
  for (const char* text : {"1e-07", "1.0e5", "0o17", "08", "-.5", "+.5x", "2001-12-14", "=", "relu",
                           "y", "n", "nULL"}) {
    INFO(text);
    CHECK(item(text) == Config(text));
  }
  // Quoted scalars are strings; explicit tags decide the type.
  CHECK(item("'1.0'") == Config("1.0"));
  CHECK(item("\"true\"") == Config("true"));
  CHECK(item("''") == Config(""));
  CHECK(item("!!str 1.5") == Config("1.5"));
  CHECK(item("!!float 1e-07") == Config(1e-07));
  CHECK(item("!!int '12'") == Config(12));
  CHECK(item("!!bool 'YES'") == Config(true));
  CHECK(item("!!null ''").is_null());
  // Python 2's PyYAML tagged plain data; Keras 1/2 files are full of it.
  CHECK(item("!!python/unicode 'relu'") == Config("relu"));
  CHECK(item("!!python/long 5") == Config(5));
  // Escapes yaml-cpp 0.7 gets wrong: \N and \_ (U+0085, U+00A0) and trailing breaks.
  CHECK(item("\"a\\N\\_b\\xE9\"") == Config("a\xc2\x85\xc2\xa0"
                                            "b\xc3\xa9"));
  CHECK(config_from_yaml("a: 'x\n\n\n  '\nb: '\n\n  '\n").to_json() ==
        R"({"a": "x\n\n", "b": "\n"})");
  // Non-string keys become text, as json.dumps writes them.
  CHECK(config_from_yaml("1: a\ntrue: b\n~: c\n").to_json() ==
        R"({"1": "a", "true": "b", "null": "c"})");
  CHECK(config_from_yaml("").is_null());
  CHECK(config_from_yaml("# only a comment\n").is_null());
}

TEST_CASE("YAML errors name the tag, key or position and say what to do", "[serialize][yaml]") {
  CHECK_THROWS_WITH(config_from_yaml("a: !foo 1\n"),
                    Contains("YAML tag '!foo' at line 1, column 4 is not allowed") &&
                        Contains("model.to_json()"));
  CHECK_THROWS_WITH(config_from_yaml("a: !!binary aGVsbG8=\n"), Contains("'!!binary'"));
  CHECK_THROWS_WITH(config_from_yaml("a: !!set {b: null}\n"), Contains("'!!set'"));
  CHECK_THROWS_WITH(config_from_yaml("a: !!python/object/new:os.system {dictitems: {}}\n"),
                    Contains("'!!python/object/new:os.system'"));
  CHECK_THROWS_WITH(config_from_yaml("a: !!python/tuple 1\n"),
                    Contains("'!!python/tuple' at line 1, column 4 needs a sequence, but it is "
                             "on a scalar"));
  CHECK_THROWS_WITH(config_from_yaml("a: !!int abc\n"),
                    Contains("'abc' at line 1, column 4 is tagged '!!int' but is not an integer"));
  CHECK_THROWS_WITH(
      config_from_yaml("axis: !!python/object/apply:tensorflow.ListWrapper\n- 3\n- 4\n"),
      Contains("should hold one argument, the wrapped list") && Contains("[3, 4]"));
  CHECK_THROWS_WITH(
      config_from_yaml("a:\n  b: 1\n  c: 2\n  b: 3\n"),
      Contains("duplicate key 'b' at line 4, column 3") && Contains("line 2, column 3"));
  CHECK_THROWS_WITH(config_from_yaml("? [a, b]\n: 1\n"),
                    Contains("mapping key at line 1, column 3 is a sequence"));
  CHECK_THROWS_WITH(config_from_yaml("x: &a [1]\n*a : 2\n"),
                    Contains("mapping key at line 2, column 1 is an alias to a sequence"));
  CHECK_THROWS_WITH(config_from_yaml("a: &x {b: 1}\nc:\n  <<: *x\n"),
                    Contains("merge key '<<' at line 3, column 3"));
  CHECK_THROWS_WITH(config_from_yaml("a: &x [1, *x]\n"),
                    Contains("alias at line 1, column 11 refers to a node that contains it"));
  CHECK_THROWS_WITH(config_from_yaml("a: 1\n---\nb: 2\n"),
                    Contains("goes on after its first document, at line 2, column 1"));
  CHECK_THROWS_WITH(config_from_yaml("a: 0x_\n"),
                    Contains("'0x_' at line 1, column 4 reads as an integer without digits"));
  CHECK_THROWS_WITH(config_from_yaml("a: 'cut short\n"),
                    Contains("line 1, column 4: a quoted scalar is not closed"));
  CHECK_THROWS_WITH(config_from_yaml("a: *nowhere\n"),
                    Contains("malformed YAML at line 1, column 4"));
  CHECK_THROWS_WITH(config_from_yaml(std::string(300, '[') + std::string(300, ']')),
                    Contains("nesting is deeper than 256 levels at line 1, column 257"));
  CHECK_THROWS_WITH(config_from_yaml(std::string(5000, '[') + std::string(5000, ']')),
                    Contains("nesting is deeper than 256 levels"));
  CHECK_THROWS_WITH(config_to_yaml(Config("bad \xff byte")), Contains("is not valid UTF-8"));
}

TEST_CASE("YAML is written as PyYAML's yaml.dump(default_flow_style=False) writes it",
          "[serialize][yaml]") {
  Config layer = Config::dict();
  layer["class_name"] = "Dense";
  Config& config = layer["config"];
  config["name"] = "dense_1";
  config["units"] = 10;
  config["batch_input_shape"] = Config(Config::List{Config(), Config(784)});
  config["epsilon"] = 0.001;
  config["l2"] = 1e-07;
  config["scale"] = 1.0;
  config["big"] = 1e16;
  config["limit"] = std::numeric_limits<double>::infinity();
  config["use_bias"] = true;
  config["bias_regularizer"] = nullptr;
  config["bias_initializer"] = Config::dict();
  config["kernel_size"] = Config::list();
  config["nested"] = Config(Config::List{Config::ints({1, 2}), Config(Config::List{})});
  // Strings that would read back as something else, or break the syntax, are quoted.
  config["quoted"] = Config(Config::List{"true", "null", "", "1.0", "0x1F", "a: b", "- x", "#c",
                                         " lead", "1e-07", "caf\xc3\xa9", "it's"});
  config["multiline"] = "line one\nline two";
  const std::string expected = R"(class_name: Dense
config:
  name: dense_1
  units: 10
  batch_input_shape:
  - null
  - 784
  epsilon: 0.001
  l2: 1.0e-07
  scale: 1.0
  big: 1.0e+16
  limit: .inf
  use_bias: true
  bias_regularizer: null
  bias_initializer: {}
  kernel_size: []
  nested:
  - - 1
    - 2
  - []
  quoted:
  - 'true'
  - 'null'
  - ''
  - '1.0'
  - '0x1F'
  - 'a: b'
  - '- x'
  - '#c'
  - ' lead'
  - 1e-07
  - "caf\xE9"
  - it's
  multiline: 'line one

    line two'
)";
  CHECK(config_to_yaml(layer) == expected);
  CHECK(config_from_yaml(expected) == layer);
  // A plain scalar at the root ends its document with '...', as PyYAML's does.
  CHECK(config_to_yaml(Config(5)) == "5\n...\n");
  CHECK(config_to_yaml(Config("")) == "''\n");
  CHECK(config_to_yaml(Config::dict()) == "{}\n");
  // Long strings fold at 80 columns; keys of 123+ characters become '? ' keys.
  const std::string words =
      "lorem ipsum dolor sit amet consectetur adipiscing elit sed do "
      "eiusmod tempor incididunt";
  Config long_text = Config::dict();
  long_text["text"] = words;
  long_text[std::string(123, 'k')] = 1;
  CHECK(config_to_yaml(long_text) ==
        "text: lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor\n"
        "  incididunt\n? " +
            std::string(123, 'k') + "\n: 1\n");
  CHECK(config_from_yaml(config_to_yaml(long_text)) == long_text);
}

TEST_CASE("YAML round trip keeps every Config, ints and floats apart", "[serialize][yaml]") {
  ConfigGenerator generator;
  for (int i = 0; i < 400; ++i) {
    const Config config = generator.value();
    const std::string text = config_to_yaml(config);
    INFO(text);
    CHECK(config_from_yaml(text) == config);
  }
  for (const double value : {0.0, 1.0, 0.1, 1e-5, 1e16, 1e22, 5e-324, 1.7976931348623157e308, -2.5,
                             123456789.0, std::numeric_limits<double>::infinity()}) {
    INFO(value);
    const Config back = config_from_yaml(config_to_yaml(Config(value)));
    CHECK(back == Config(value));
    CHECK_FALSE(back.is_int());
  }
  CHECK(std::isnan(config_from_yaml(config_to_yaml(Config(std::nan("")))).as_number()));
  CHECK(config_from_yaml(config_to_yaml(Config(std::int64_t{-9223372036854775807 - 1}))) ==
        Config(std::int64_t{-9223372036854775807 - 1}));
}
