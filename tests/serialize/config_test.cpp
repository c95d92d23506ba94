#include <catch2/catch.hpp>

#include "keras/serialize/config.hpp"
#include "keras/serialize/shape_config.hpp"

using Catch::Matchers::Contains;
using keras::serialize::Config;

TEST_CASE("Config writes JSON as Python's json.dumps does", "[serialize][config]") {
  Config c = Config::dict();
  c["name"] = "dense";
  c["units"] = 64;
  c["use_bias"] = true;
  c["rate"] = 1.0;
  c["epsilon"] = 0.001;
  c["tiny"] = 1e-07;
  c["shape"] = Config::ints({-1, 784});
  c["bias_regularizer"] = nullptr;
  c["label"] = "caf\xc3\xa9 \"x\"";
  CHECK(c.to_json() ==
        R"({"name": "dense", "units": 64, "use_bias": true, "rate": 1.0, "epsilon": 0.001, )"
        R"("tiny": 1e-07, "shape": [-1, 784], "bias_regularizer": null, )"
        R"("label": "caf\u00e9 \"x\""})");
  CHECK(Config::list().to_json() == "[]");
  CHECK(Config::dict().to_json(2) == "{}");
  Config nested = Config::dict();
  nested["a"] = Config::ints({1, 2});
  CHECK(nested.to_json(2) == "{\n  \"a\": [\n    1,\n    2\n  ]\n}");
}

TEST_CASE("Config reads JSON back, keeping key order", "[serialize][config]") {
  Config c =
      Config::from_json(R"({"z": 1, "a": [1.5, "s", null, true], "m": {"k": -3}, "big": 1e300})");
  CHECK(c.as_dict()[0].first == "z");
  CHECK(c.at("a").as_list()[0].as_number() == 1.5);
  CHECK(c.at("a").as_list()[2].is_null());
  CHECK(c.at("m").at("k").as_int() == -3);
  CHECK(Config::from_json(c.to_json()) == c);
  CHECK(Config::from_json("\"caf\\u00e9\"").as_string() == "caf\xc3\xa9");
}

TEST_CASE("Config errors name the key or the kind", "[serialize][config]") {
  Config c = Config::from_json(R"({"units": 64, "name": "d"})");
  CHECK_THROWS_WITH(c.at("activation"), Contains("no key 'activation'") && Contains("units, name"));
  CHECK_THROWS_WITH(c.at("units").as_string(), Contains("expected a string, got int (64)"));
  CHECK_THROWS_WITH(Config::from_json("{\"a\": }"), Contains("invalid JSON"));
}

TEST_CASE("shapes are lists with null for unknown sizes", "[serialize][config]") {
  const keras::Shape shape({keras::Shape::kUnknown, 28, 28});
  const Config config = keras::serialize::shape_to_config(shape);
  CHECK(config.to_json() == "[null, 28, 28]");
  CHECK(keras::serialize::shape_from_config(config) == shape);
  CHECK(keras::serialize::shape_from_config(Config::from_json("[]")) == keras::Shape({}));
  CHECK_THROWS_WITH(keras::serialize::shape_from_config(Config::from_json("[1.5]")),
                    Contains("int"));
}
