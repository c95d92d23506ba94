// Core layers: Activation, Dropout, Flatten, Reshape, Permute and
// RepeatVector. Hand-worked values in both learning phases, shapes, errors,
// config round trips, and real Keras' fixtures.
#include <catch2/catch.hpp>

#include <limits>

#include <keras.hpp>

#include "graph_checks.hpp"
#include "layer_checks.hpp"

using Catch::Matchers::Contains;
using keras::KerasTensor;
using keras::Shape;
using keras::Tensor;
using keras::serialize::Config;
using keras::testing::check_against_fixture;
using keras::testing::counting;
using keras::testing::require_values;
using keras::testing::run_both_phases;
using keras::testing::run_phase;
namespace layers = keras::layers;
constexpr std::int64_t None = Shape::kUnknown;

TEST_CASE("Activation applies a Keras activation by name", "[core_layers]") {
  auto x = layers::Input({3});
  const Tensor feed(Shape{2, 3}, std::vector<float>{-1, 0, 2, 1, 1, 1});
  auto relu = layers::Activation("relu")(x);
  CHECK(relu.shape() == Shape({None, 3}));
  CHECK(run_both_phases(x, relu, feed) == std::vector<float>{0, 0, 2, 1, 1, 1});
  // Row 2: three equal logits share the mass equally.
  auto probs = layers::Activation("softmax")(x);
  const std::vector<float> p = run_both_phases(x, probs, feed);
  // Row 1: exp(-1, 0, 2) / (e^-1 + 1 + e^2) = (0.0420101, 0.1141952, 0.8437947).
  require_values(p, {0.0420101f, 0.1141952f, 0.8437947f, 1.0f / 3, 1.0f / 3, 1.0f / 3});
  // "swish" is saved as "silu", as Keras does.
  CHECK(layers::Activation("swish").get_config().at("activation").as_string() == "silu");
  CHECK_THROWS_WITH(layers::Activation("relu7"), Contains("unknown activation 'relu7'"));
}

TEST_CASE("sparsemax projects each row onto the probability simplex", "[core_layers]") {
  const auto sparsemax = keras::activations::get("sparsemax");
  const Tensor x(Shape{4, 3}, std::vector<double>{0, 0.5, 1,  // support of two: tau 0.25
                                                  1, 2, 3,    // one: tau 2
                                                  1, 1, -1,   // a tie: tau 0.5
                                                  0, 0, 0});  // all equal: 1/3 each
  const std::vector<double> y = keras::testing::apply(sparsemax, x).to_vector<double>();
  const std::vector<double> want = {0, 0.25, 0.75, 0, 0, 1, 0.5, 0.5, 0, 1.0 / 3, 1.0 / 3, 1.0 / 3};
  REQUIRE(y.size() == want.size());
  for (std::size_t i = 0; i < y.size(); ++i) CHECK(y[i] == Approx(want[i]).margin(1e-12));
  // Away from the support's edges the Jacobian is diag(s) - s sᵀ / |s|.
  keras::testing::check_gradient(sparsemax,
                                 Tensor(Shape{2, 4}, std::vector<double>{0.1, 0.45, -0.7, 0.3,  //
                                                                         2.0, -1.0, 0.2, 1.4}));
  CHECK(layers::Activation("sparsemax").get_config().at("activation").as_string() == "sparsemax");
  // -inf logits get nothing (no 0 * -inf NaN).
  const double inf = std::numeric_limits<double>::infinity();
  CHECK(keras::testing::apply(sparsemax, Tensor(Shape{1, 3}, std::vector<double>{0, 1, -inf}))
            .to_vector<double>() == std::vector<double>{0, 1, 0});
}

TEST_CASE("Dropout is the identity in test mode and drops in train mode", "[core_layers]") {
  auto x = layers::Input({50});
  auto y = layers::Dropout(0.5, {.seed = 7})(x);
  const Tensor ones = Tensor::full({40, 50}, 1.0);
  CHECK(run_phase({x}, y, {ones}, 0).to_vector<float>() == ones.to_vector<float>());
  // Train mode: each element is dropped (0) or kept and scaled by 1 / (1 - 0.5) = 2.
  const std::vector<float> train = run_phase({x}, y, {ones}, 1).to_vector<float>();
  std::size_t kept = 0;
  for (float v : train) {
    REQUIRE((v == 0.0f || v == 2.0f));
    kept += v == 2.0f;
  }
  // 2000 draws keeping half: 1000 expected, standard deviation ~22.
  CHECK(kept > 900);
  CHECK(kept < 1100);

  // noise_shape (None, 1): one draw per sample, shared along the features.
  auto rows = layers::Dropout(0.5, {.noise_shape = {-1, 1}, .seed = 3})(x);
  const std::vector<float> shared = run_phase({x}, rows, {ones}, 1).to_vector<float>();
  for (std::size_t r = 0; r < 40; ++r) {
    for (std::size_t c = 1; c < 50; ++c) REQUIRE(shared[r * 50 + c] == shared[r * 50]);
  }

  CHECK_THROWS_WITH(layers::Dropout(1.5), Contains("rate=1.5"));
  CHECK_THROWS_WITH(layers::Dropout(-0.1), Contains("rate=-0.1"));
  const Config config = layers::Dropout(0.25, {.noise_shape = {-1, 1}, .seed = 5}).get_config();
  CHECK(config.at("rate").as_number() == 0.25);
  CHECK(config.at("seed").as_int() == 5);
  CHECK(config.at("noise_shape").to_json() == "[null, 1]");
  check_against_fixture("dropout",
                        [](const Config& c) { return layers::from_config("Dropout", c); });
}

TEST_CASE("Flatten keeps the batch and multiplies the other axes", "[core_layers]") {
  auto x = layers::Input({2, 3});
  auto flat = layers::Flatten()(x);
  CHECK(flat.shape() == Shape({None, 6}));
  // Row-major order is kept: (1, 2, 3), (4, 5, 6) -> (1, 2, 3, 4, 5, 6).
  CHECK(run_both_phases(x, flat, counting({1, 2, 3})) == std::vector<float>{1, 2, 3, 4, 5, 6});
  // channels_first: (c=2, d=3) is moved to (d, c) first: (1, 4, 2, 5, 3, 6).
  auto first = layers::Flatten({.data_format = "channels_first"})(x);
  CHECK(run_both_phases(x, first, counting({1, 2, 3})) == std::vector<float>{1, 4, 2, 5, 3, 6});
  // (None,) flattens to (None, 1).
  auto scalar_rows = layers::Input(Shape{});
  CHECK(layers::Flatten()(scalar_rows).shape() == Shape({None, 1}));

  CHECK_THROWS_WITH(layers::Flatten({.data_format = "channels_middle"}),
                    Contains("data_format=channels_middle"));
  auto ragged = layers::Input({None, 3});
  CHECK_THROWS_WITH(layers::Flatten()(ragged),
                    Contains("(Flatten)") && Contains("(None, None, 3)"));

  const Config config =
      layers::Flatten({.data_format = "channels_first", .name = "flat"}).get_config();
  CHECK(config.at("data_format").as_string() == "channels_first");
  CHECK(layers::Flatten::from_config(config).get_config() == config);
  check_against_fixture("flatten", [](const Config& c) { return layers::Flatten::from_config(c); });
  check_against_fixture("flatten_4d",
                        [](const Config& c) { return layers::Flatten::from_config(c); });
}

TEST_CASE("Reshape changes the shape after the batch, inferring one -1", "[core_layers]") {
  auto x = layers::Input({6});
  auto grid = layers::Reshape({3, 2})(x);
  CHECK(grid.shape() == Shape({None, 3, 2}));
  auto inferred = layers::Reshape({-1, 3})(x);
  CHECK(inferred.shape() == Shape({None, 2, 3}));
  // The data is unchanged, only its shape: batch 2, values 1..12.
  const Tensor feed = counting({2, 6});
  const Tensor out = run_phase({x}, inferred, {feed}, 0);
  CHECK(out.shape() == Shape{2, 2, 3});
  CHECK(out.to_vector<float>() == feed.to_vector<float>());

  // An unknown axis besides the batch is fine without a -1.
  auto ragged = layers::Input({None, 3});
  auto fixed = layers::Reshape({2, 3})(ragged);
  CHECK(fixed.shape() == Shape({None, 2, 3}));
  CHECK(run_phase({ragged}, fixed, {counting({3, 2, 3})}, 1).shape() == Shape{3, 2, 3});

  CHECK_THROWS_WITH(layers::Reshape({-1, -1}), Contains("more than one `-1`"));
  CHECK_THROWS_WITH(layers::Reshape({2, -3}), Contains("target_shape=(2, -3)"));
  CHECK_THROWS_WITH(layers::Reshape({4, 2})(x), Contains("(Reshape)") && Contains("(None, 6)") &&
                                                    Contains("target_shape=(4, 2)"));
  CHECK_THROWS_WITH(layers::Reshape({-1, 4})(x), Contains("target_shape=(-1, 4)"));
  CHECK_THROWS_WITH(layers::Reshape({-1})(ragged), Contains("with the batch unknown"));

  const Config config = layers::Reshape({-1, 2}, {.name = "grid"}).get_config();
  CHECK(config.at("target_shape").to_json() == "[-1, 2]");
  CHECK(layers::Reshape::from_config(config).get_config() == config);
  check_against_fixture("reshape", [](const Config& c) { return layers::Reshape::from_config(c); });
  check_against_fixture("reshape_minus_one",
                        [](const Config& c) { return layers::Reshape::from_config(c); });
}

TEST_CASE("Permute reorders the axes after the batch, counted from 1", "[core_layers]") {
  auto x = layers::Input({2, 3});
  auto swapped = layers::Permute({2, 1})(x);
  CHECK(swapped.shape() == Shape({None, 3, 2}));
  // ((1, 2, 3), (4, 5, 6)) transposed: ((1, 4), (2, 5), (3, 6)).
  CHECK(run_both_phases(x, swapped, counting({1, 2, 3})) == std::vector<float>{1, 4, 2, 5, 3, 6});

  CHECK_THROWS_WITH(layers::Permute({1, 3}), Contains("Received dims=(1, 3)"));
  CHECK_THROWS_WITH(layers::Permute({0, 1}), Contains("start from 1"));
  CHECK_THROWS_WITH(layers::Permute({2, 1})(layers::Input({4})),
                    Contains("(Permute)") && Contains("rank 3") && Contains("(None, 4)"));

  const Config config = layers::Permute({3, 1, 2}, {.name = "perm"}).get_config();
  CHECK(config.at("dims").to_json() == "[3, 1, 2]");
  CHECK(layers::Permute::from_config(config).get_config() == config);
  check_against_fixture("permute", [](const Config& c) { return layers::Permute::from_config(c); });
  check_against_fixture("permute_3d",
                        [](const Config& c) { return layers::Permute::from_config(c); });
}

TEST_CASE("RepeatVector repeats each sample n times along a new axis 1", "[core_layers]") {
  auto x = layers::Input({3});
  auto repeated = layers::RepeatVector(2)(x);
  CHECK(repeated.shape() == Shape({None, 2, 3}));
  // Sample (1, 2, 3) -> ((1, 2, 3), (1, 2, 3)); sample (4, 5, 6) likewise.
  CHECK(run_both_phases(x, repeated, counting({2, 3})) ==
        std::vector<float>{1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6});

  CHECK_THROWS_WITH(layers::RepeatVector(-2), Contains("n=-2"));
  CHECK_THROWS_WITH(layers::RepeatVector(2)(layers::Input({2, 3})),
                    Contains("(RepeatVector)") && Contains("rank 2") && Contains("(None, 2, 3)"));

  const Config config = layers::RepeatVector(4, {.name = "rep"}).get_config();
  CHECK(config.at("n").as_int() == 4);
  CHECK(layers::RepeatVector::from_config(config).get_config() == config);
  check_against_fixture("repeat_vector",
                        [](const Config& c) { return layers::RepeatVector::from_config(c); });
}

TEST_CASE("core layers chain into a model", "[core_layers]") {
  // (None, 4) -> (None, 2, 2) -> swapped -> (None, 4) -> (None, 2, 4)
  auto x = layers::Input({4});
  auto h = layers::Reshape({2, 2})(x);
  h = layers::Permute({2, 1})(h);
  h = layers::Flatten()(h);
  h = layers::RepeatVector(2)(h);
  keras::models::Model model(x, h);
  CHECK(h.shape() == Shape({None, 2, 4}));
  // (1, 2, 3, 4) -> ((1, 2), (3, 4)) -> ((1, 3), (2, 4)) -> (1, 3, 2, 4), twice.
  const Tensor out = model.predict(counting({1, 4}));
  CHECK(out.shape() == Shape{1, 2, 4});
  CHECK(out.to_vector<float>() == std::vector<float>{1, 3, 2, 4, 1, 3, 2, 4});
}
