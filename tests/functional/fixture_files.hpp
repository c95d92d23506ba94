#pragma once
// Reads the fixtures that real Keras wrote (tests/functional/fixtures/,
// made by make_fixtures.py). A missing fixture fails its test.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include "keras/serialize/config.hpp"

namespace keras::testing {

inline std::string read_fixture(const std::string& name) {
  const std::string path = std::string(KERAS_TEST_FIXTURES_DIR) + "/" + name;
  std::ifstream in(path, std::ios::binary);
  INFO("fixture " << path);
  REQUIRE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

inline serialize::Config read_json_fixture(const std::string& name) {
  return serialize::Config::from_json(read_fixture(name));
}

}  // namespace keras::testing
