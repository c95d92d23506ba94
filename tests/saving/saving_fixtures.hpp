#pragma once
// The files real Keras of each generation wrote (fixtures/<generation>/, made
// by make_saving_fixtures.py) and what that Keras computed with them.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <string>

#include "keras/models/model.hpp"
#include "keras/serialize/config.hpp"
#include "keras/serialize/files.hpp"

namespace keras::testing {

inline std::string saving_fixture(const std::string& name) {
  const std::string path = std::string(KERAS_SAVING_FIXTURES_DIR) + "/" + name;
  INFO("fixture " << path);
  REQUIRE(std::filesystem::exists(path));
  return path;
}

inline serialize::Config saving_json(const std::string& name) {
  return serialize::Config::from_json(serialize::read_file(saving_fixture(name)));
}

// {"shape", "values"} as float32.
inline Tensor fixture_tensor(const serialize::Config& c) {
  std::vector<float> values;
  for (const auto& v : c.at("values").as_list())
    values.push_back(static_cast<float>(v.as_number()));
  return Tensor(Shape(c.at("shape").as_ints()), values);
}

// DESIGN.md's rule: |a - b| <= atol + rtol * |ref|.
inline void require_close_to(const Tensor& got, const Tensor& want, double rtol = 1e-5,
                             double atol = 1e-6) {
  REQUIRE(got.shape() == want.shape());
  const std::vector<double> g = got.to_vector<double>();
  const std::vector<double> w = want.to_vector<double>();
  for (std::size_t i = 0; i < g.size(); ++i) {
    INFO("element " << i << ": got " << g[i] << ", Keras " << w[i]);
    CHECK(std::abs(g[i] - w[i]) <= atol + rtol * std::abs(w[i]));
  }
}

// A scratch directory, removed with its files at the end of the test.
class TempDir {
 public:
  TempDir() {
    path_ = std::filesystem::temp_directory_path() /
            ("keras_cpp_saving_" + std::to_string(::getpid()) + "_" + std::to_string(counter()++));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }

 private:
  static int& counter() {
    static int n = 0;
    return n;
  }
  std::filesystem::path path_;
};

}  // namespace keras::testing
