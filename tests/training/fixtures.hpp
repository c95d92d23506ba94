#pragma once
// Reads the fixtures real Keras 3.15.1 wrote (fixtures/, made by
// make_training_fixtures.py). A missing fixture fails its test.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>

#include "keras/serialize/config.hpp"
#include "keras/tensor.hpp"

namespace keras::testing {

inline serialize::Config read_training_fixture(const std::string& name) {
  const std::string path = std::string(KERAS_TRAINING_FIXTURES_DIR) + "/" + name;
  std::ifstream in(path, std::ios::binary);
  INFO("fixture " << path);
  REQUIRE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  return serialize::Config::from_json(text.str());
}

// {"shape": [...], "values": [...]}: float32, or int32 when every value is an int.
inline Tensor tensor_of(const serialize::Config& c, bool integer = false) {
  std::vector<std::int64_t> dims = c.at("shape").as_ints();
  std::vector<float> values;
  bool all_ints = true;
  for (const auto& v : c.at("values").as_list()) {
    all_ints = all_ints && v.is_int();
    values.push_back(static_cast<float>(v.as_number()));
  }
  if (integer && all_ints) {
    return Tensor(Shape(dims), std::vector<std::int32_t>(values.begin(), values.end()));
  }
  return Tensor(Shape(dims), values);
}

// The fixtures' ramp: scale * sin(i * step + phase) over a row-major shape,
// in float64 rounded to float32 (make_training_fixtures.py's ramp()).
inline Tensor ramp(Shape shape, double phase = 0.0, double scale = 1.0, double step = 1.3) {
  Tensor t(DType::float32, shape);
  for (std::int64_t i = 0; i < t.size(); ++i) {
    t.data<float>()[i] =
        static_cast<float>(scale * std::sin(static_cast<double>(i) * step + phase));
  }
  return t;
}

// DESIGN.md's rule: |a - b| <= atol + rtol * |ref|.
inline void require_close(const Tensor& got, const Tensor& want, double rtol = 1e-5,
                          double atol = 1e-6) {
  REQUIRE(got.size() == want.size());
  const std::vector<double> g = got.to_vector<double>();
  const std::vector<double> w = want.to_vector<double>();
  for (std::size_t i = 0; i < g.size(); ++i) {
    INFO("element " << i << ": got " << g[i] << ", Keras " << w[i]);
    CHECK(std::abs(g[i] - w[i]) <= atol + rtol * std::abs(w[i]));
  }
}

}  // namespace keras::testing
