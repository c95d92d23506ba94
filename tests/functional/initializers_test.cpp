#include <catch2/catch.hpp>

#include <cmath>

#include "fixture_files.hpp"
#include "keras/initializers.hpp"

using Catch::Matchers::Contains;
using keras::DType;
using keras::Shape;
using keras::Tensor;
namespace initializers = keras::initializers;

namespace {
struct Stats {
  double mean = 0, std = 0, min = 1e300, max = -1e300;
};

Stats stats_of(const Tensor& t) {
  Stats s;
  std::vector<double> v = t.to_vector<double>();
  for (double x : v) {
    s.mean += x;
    s.min = std::min(s.min, x);
    s.max = std::max(s.max, x);
  }
  s.mean /= static_cast<double>(v.size());
  for (double x : v) s.std += (x - s.mean) * (x - s.mean);
  s.std = std::sqrt(s.std / static_cast<double>(v.size()));
  return s;
}
}  // namespace

TEST_CASE("initializers follow Keras' configs and distributions", "[initializers]") {
  const keras::serialize::Config fixtures = keras::testing::read_json_fixture("initializers.json");
  for (const keras::serialize::Config& fixture : fixtures.as_list()) {
    const std::string& name = fixture.at("name").as_string();
    INFO("initializer " << name);
    auto init = name == "constant" ? initializers::Constant(0.7) : initializers::get(name);
    CHECK(init->class_name() == fixture.at("class_name").as_string());
    CHECK(init->get_config() == fixture.at("config"));
    const Tensor sample = (*init)({200, 300}, DType::float32);
    const Stats got = stats_of(sample);
    const keras::serialize::Config& want = fixture.at("sample_stats");
    const double std = want.at("std").as_number();
    // 60,000 draws: the mean is within 5 standard errors, the spread within 2%.
    CHECK(std::abs(got.mean - want.at("mean").as_number()) <= 5 * std / std::sqrt(60000.0) + 1e-7);
    CHECK(std::abs(got.std - std) <= 0.02 * std + 1e-7);
    // Bounded distributions share Keras' bounds.
    const keras::serialize::Config& expected = fixture.at("expected");
    if (expected.contains("uniform_limit")) {
      const double limit = expected.at("uniform_limit").as_number();
      CHECK(got.max <= limit);
      CHECK(got.min >= -limit);
      CHECK(got.max > 0.99 * limit);
    }
    if (expected.contains("normal_std") || name == "truncated_normal") {
      // Truncated at two standard deviations of the untruncated normal.
      CHECK(std::abs(got.max - want.at("max").as_number()) <=
            0.02 * std::abs(want.at("max").as_number()));
    }
  }
}

TEST_CASE("deterministic initializers give Keras' values", "[initializers]") {
  CHECK(initializers::Identity(2.0)->operator()({2, 3}, DType::float32).to_vector<float>() ==
        std::vector<float>{2, 0, 0, 0, 2, 0});
  CHECK(initializers::Ones()->operator()({2}, DType::float32).to_vector<float>() ==
        std::vector<float>{1, 1});
  // An orthogonal matrix: W W^T = I for a wide W.
  Tensor w = initializers::Orthogonal(1.0, 3)->operator()({3, 5}, DType::float64);
  for (std::int64_t i = 0; i < 3; ++i) {
    for (std::int64_t j = 0; j < 3; ++j) {
      double dot = 0;
      for (std::int64_t k = 0; k < 5; ++k) dot += w.at<double>({i, k}) * w.at<double>({j, k});
      CHECK(dot == Approx(i == j ? 1.0 : 0.0).margin(1e-12));
    }
  }
}

TEST_CASE("seeded initializers repeat, unseeded ones do not", "[initializers]") {
  auto seeded = initializers::GlorotUniform(42);
  CHECK((*seeded)({4, 4}, DType::float32).to_vector<float>() ==
        (*seeded)({4, 4}, DType::float32).to_vector<float>());
  auto unseeded = initializers::GlorotUniform();
  CHECK((*unseeded)({4, 4}, DType::float32).to_vector<float>() !=
        (*unseeded)({4, 4}, DType::float32).to_vector<float>());
}

TEST_CASE("initializers round-trip through their Keras config", "[initializers]") {
  auto init = initializers::VarianceScaling(2.0, "fan_out", "uniform", 7);
  auto revived = initializers::from_config(initializers::serialize(init));
  CHECK(revived->get_config() == init->get_config());
  CHECK(initializers::serialize(init).at("module").as_string() == "keras.initializers");
  CHECK(initializers::from_config(keras::serialize::Config("he_normal"))->class_name() ==
        "HeNormal");
  CHECK_THROWS_WITH(initializers::get("glorot"),
                    Contains("unknown initializer 'glorot'") && Contains("glorot_uniform"));
  CHECK_THROWS_WITH(initializers::VarianceScaling(1.0, "fan_sideways"), Contains("fan_sideways"));
}
