// Noise layers: GaussianNoise and GaussianDropout. Test mode is the
// identity (exactly); train mode adds or multiplies noise of the input's
// run-time shape, checked by its statistics since the draws are random.
#include <catch2/catch.hpp>

#include <cmath>

#include <keras.hpp>

#include "layer_checks.hpp"

using Catch::Matchers::Contains;
using keras::KerasTensor;
using keras::Shape;
using keras::Tensor;
using keras::serialize::Config;
using keras::testing::check_against_fixture;
using keras::testing::counting;
using keras::testing::run_phase;
namespace layers = keras::layers;
constexpr std::int64_t None = Shape::kUnknown;

namespace {

struct Moments {
  double mean = 0;
  double stddev = 0;
};

Moments moments_of(const std::vector<float>& values) {
  double sum = 0;
  double squares = 0;
  for (float v : values) {
    sum += v;
    squares += static_cast<double>(v) * v;
  }
  const double n = static_cast<double>(values.size());
  return {sum / n, std::sqrt(squares / n - (sum / n) * (sum / n))};
}

}  // namespace

TEST_CASE("GaussianNoise adds N(0, stddev^2) noise in train mode only", "[noise]") {
  auto x = layers::Input({100});
  auto noisy = layers::GaussianNoise(0.5)(x);
  CHECK(noisy.shape() == Shape({None, 100}));
  const Tensor feed = counting({40, 100});
  CHECK(run_phase({x}, noisy, {feed}, 0).to_vector<float>() == feed.to_vector<float>());

  // Train mode on zeros: the noise itself. 4000 draws: the mean's standard
  // error is 0.5 / sqrt(4000) ~ 0.008.
  const Tensor zeros = Tensor::zeros({40, 100});
  const Tensor train = run_phase({x}, noisy, {zeros}, 1);
  CHECK(train.shape() == Shape{40, 100});
  const Moments m = moments_of(train.to_vector<float>());
  CHECK(m.mean == Approx(0.0).margin(0.04));
  CHECK(m.stddev == Approx(0.5).margin(0.03));
  // A short last batch gets noise of its own shape.
  CHECK(run_phase({x}, noisy, {Tensor::zeros({3, 100})}, 1).shape() == Shape{3, 100});

  // stddev 0 is the identity in both phases.
  auto quiet = layers::GaussianNoise(0.0)(x);
  CHECK(run_phase({x}, quiet, {feed}, 1).to_vector<float>() == feed.to_vector<float>());

  CHECK_THROWS_WITH(layers::GaussianNoise(1.5),
                    Contains("(GaussianNoise)") && Contains("stddev=1.5"));
  CHECK_THROWS_WITH(layers::GaussianNoise(-0.1), Contains("stddev=-0.1"));
}

TEST_CASE("GaussianNoise draws afresh each step, reproducibly with a seed", "[noise]") {
  auto x = layers::Input({8});
  auto noisy = layers::GaussianNoise(0.3, {.seed = 42})(x);
  std::vector<KerasTensor> inputs = {x, keras::backend::learning_phase()};
  auto first = keras::backend::function(inputs, {noisy});
  auto second = keras::backend::function(inputs, {noisy});
  const Tensor zeros = Tensor::zeros({2, 8});
  const Tensor step0 = first({zeros, Tensor::scalar(1)})[0];
  const Tensor step1 = first({zeros, Tensor::scalar(1)})[0];
  CHECK(step0.to_vector<float>() != step1.to_vector<float>());
  // The same seed and step in another function: the same noise.
  CHECK(second({zeros, Tensor::scalar(1)})[0].to_vector<float>() == step0.to_vector<float>());
}

TEST_CASE("GaussianDropout multiplies by N(1, rate / (1 - rate)) in train mode only", "[noise]") {
  auto x = layers::Input({100});
  auto kept = layers::GaussianDropout(0.2)(x);
  CHECK(kept.shape() == Shape({None, 100}));
  const Tensor feed = counting({40, 100});
  CHECK(run_phase({x}, kept, {feed}, 0).to_vector<float>() == feed.to_vector<float>());

  // Train mode on ones: the noise itself, mean 1, stddev sqrt(0.2 / 0.8) = 0.5.
  const Tensor train = run_phase({x}, kept, {Tensor::full({40, 100}, 1.0)}, 1);
  const Moments m = moments_of(train.to_vector<float>());
  CHECK(m.mean == Approx(1.0).margin(0.04));
  CHECK(m.stddev == Approx(0.5).margin(0.03));
  // Multiplicative: zeros stay zeros.
  const std::vector<float> zeros =
      run_phase({x}, kept, {Tensor::zeros({2, 100})}, 1).to_vector<float>();
  CHECK(zeros == std::vector<float>(200, 0.0f));

  CHECK_THROWS_WITH(layers::GaussianDropout(1.2),
                    Contains("(GaussianDropout)") && Contains("rate=1.2"));
  CHECK_THROWS_WITH(layers::GaussianDropout(1.0), Contains("infinite standard deviation"));
}

TEST_CASE("noise layer configs round-trip and match Keras", "[noise]") {
  const Config noise = layers::GaussianNoise(0.25, {.seed = 3, .name = "n"}).get_config();
  CHECK(noise.at("stddev").as_number() == 0.25);
  CHECK(noise.at("seed").as_int() == 3);
  CHECK(layers::GaussianNoise::from_config(noise).get_config() == noise);
  const Config dropout = layers::GaussianDropout(0.1, {.name = "g"}).get_config();
  CHECK(dropout.at("seed").is_null());
  CHECK(layers::GaussianDropout::from_config(dropout).get_config() == dropout);
  check_against_fixture("gaussian_noise",
                        [](const Config& c) { return layers::GaussianNoise::from_config(c); });
  check_against_fixture("gaussian_dropout",
                        [](const Config& c) { return layers::GaussianDropout::from_config(c); });
}
