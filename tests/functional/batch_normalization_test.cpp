// BatchNormalization: hand-worked values in both learning phases, the moving
// statistics (updated only in the training phase, by the momentum formula),
// a frozen layer, weights, errors, config, and real Keras' fixtures.
#include <catch2/catch.hpp>

#include <cmath>

#include <keras.hpp>

#include "core/tracer.hpp"

#include "fixture_layer_cases.hpp"

using Catch::Matchers::Contains;
using keras::KerasTensor;
using keras::Shape;
using keras::Tensor;
using keras::serialize::Config;
namespace layers = keras::layers;
namespace backend = keras::backend;

namespace {

Tensor tensor(Shape shape, std::vector<float> values) {
  return Tensor(std::move(shape), values);
}

// The layer's call with its state updates passed on purpose, as a training
// step runs it (a backend::function probe leaves the variables alone).
struct Probe {
  backend::Function function;
  Tensor operator()(const Tensor& x, int phase) { return function({x, Tensor::scalar(phase)})[0]; }
};

Probe probe(const KerasTensor& x, const KerasTensor& y) {
  layers::TracedGraph traced =
      layers::trace_graph({x, KerasTensor(backend::learning_phase())}, {y});
  return Probe{backend::Function(traced.inputs, traced.outputs, traced.effects.updates)};
}

void check_values(const Tensor& got, const std::vector<double>& want) {
  const std::vector<float> values = got.to_vector<float>();
  REQUIRE(values.size() == want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    INFO("element " << i);
    CHECK(values[i] == Approx(want[i]).epsilon(1e-5).margin(1e-6));
  }
}

std::vector<float> values_of(const keras::Variable& v) {
  return v.value().to_vector<float>();
}

}  // namespace

TEST_CASE("BatchNormalization: batch statistics in training, moving ones in inference",
          "[batch_norm]") {
  auto x = layers::Input({2});
  auto bn = layers::BatchNormalization({.momentum = 0.9, .epsilon = 0.0});
  auto y = bn(x);
  CHECK(y.shape() == Shape({Shape::kUnknown, 2}));
  // gamma, beta, moving_mean, moving_variance
  bn.set_weights(
      {tensor({2}, {2, 1}), tensor({2}, {0.5f, 0}), tensor({2}, {1, 2}), tensor({2}, {4, 1})});
  Probe f = probe(x, y);
  // Channel 0 holds (1, 3), channel 1 holds (2, 6).
  const Tensor batch = tensor({2, 2}, {1, 2, 3, 6});

  // Inference: (x - moving_mean) / sqrt(moving_variance) * gamma + beta
  //   channel 0: (1 - 1) / 2 * 2 + 0.5 = 0.5,  (3 - 1) / 2 * 2 + 0.5 = 2.5
  //   channel 1: (2 - 2) / 1 * 1 + 0   = 0,    (6 - 2) / 1 * 1 + 0   = 4
  check_values(f(batch, 0), {0.5, 0, 2.5, 4});
  // Phase 0 leaves the moving statistics alone.
  CHECK(values_of(bn.impl().moving_mean()) == std::vector<float>{1, 2});
  CHECK(values_of(bn.impl().moving_variance()) == std::vector<float>{4, 1});

  // Training: the batch mean (2, 4) and biased variance (1, 4):
  //   channel 0: (1 - 2) / 1 * 2 + 0.5 = -1.5, (3 - 2) / 1 * 2 + 0.5 = 2.5
  //   channel 1: (2 - 4) / 2 * 1 + 0   = -1,   (6 - 4) / 2 * 1 + 0   = 1
  check_values(f(batch, 1), {-1.5, -1, 2.5, 1});
  // moving = moving * 0.9 + batch * 0.1:
  //   mean:     (1 * 0.9 + 2 * 0.1, 2 * 0.9 + 4 * 0.1) = (1.1, 2.2)
  //   variance: (4 * 0.9 + 1 * 0.1, 1 * 0.9 + 4 * 0.1) = (3.7, 1.3)
  check_values(bn.impl().moving_mean().value(), {1.1, 2.2});
  check_values(bn.impl().moving_variance().value(), {3.7, 1.3});

  // Inference now uses the updated statistics, and still updates nothing:
  //   channel 0: (1 - 1.1) / sqrt(3.7) * 2 + 0.5, (3 - 1.1) / sqrt(3.7) * 2 + 0.5
  //   channel 1: (2 - 2.2) / sqrt(1.3),           (6 - 2.2) / sqrt(1.3)
  const double s0 = std::sqrt(3.7);
  const double s1 = std::sqrt(1.3);
  check_values(f(batch, 0), {-0.1 / s0 * 2 + 0.5, -0.2 / s1, 1.9 / s0 * 2 + 0.5, 3.8 / s1});
  check_values(bn.impl().moving_mean().value(), {1.1, 2.2});
  check_values(bn.impl().moving_variance().value(), {3.7, 1.3});

  // A second training call moves them again: mean (1.1 * 0.9 + 0.2, 2.2 * 0.9 + 0.4).
  f(batch, 1);
  check_values(bn.impl().moving_mean().value(), {1.19, 2.38});
  check_values(bn.impl().moving_variance().value(), {3.7 * 0.9 + 0.1, 1.3 * 0.9 + 0.4});
}

TEST_CASE("BatchNormalization's default epsilon and initial weights", "[batch_norm]") {
  auto x = layers::Input({2});
  auto bn = layers::BatchNormalization();
  Probe f = probe(x, bn(x));
  const Tensor batch = tensor({2, 2}, {1, 2, 3, 6});
  // gamma 1, beta 0, moving mean 0, moving variance 1, epsilon 1e-3:
  //   inference x / sqrt(1.001); training (x - mean) / sqrt(var + 0.001).
  const double e = 1e-3;
  check_values(f(batch, 0), {1 / std::sqrt(1 + e), 2 / std::sqrt(1 + e), 3 / std::sqrt(1 + e),
                             6 / std::sqrt(1 + e)});
  check_values(f(batch, 1), {-1 / std::sqrt(1 + e), -2 / std::sqrt(4 + e), 1 / std::sqrt(1 + e),
                             2 / std::sqrt(4 + e)});
  // momentum 0.99: mean 0 * 0.99 + (2, 4) * 0.01; variance 1 * 0.99 + (1, 4) * 0.01
  check_values(bn.impl().moving_mean().value(), {0.02, 0.04});
  check_values(bn.impl().moving_variance().value(), {1.0, 1.03});
}

TEST_CASE("a frozen BatchNormalization runs in inference mode and updates nothing",
          "[batch_norm]") {
  auto x = layers::Input({2});
  auto bn = layers::BatchNormalization({.momentum = 0.9, .epsilon = 0.0, .trainable = false});
  auto y = bn(x);
  bn.set_weights(
      {tensor({2}, {2, 1}), tensor({2}, {0.5f, 0}), tensor({2}, {1, 2}), tensor({2}, {4, 1})});
  CHECK(bn.trainable_weights().empty());
  CHECK(bn.non_trainable_weights().size() == 4);
  Probe f = probe(x, y);
  const Tensor batch = tensor({2, 2}, {1, 2, 3, 6});
  // The inference values of the first test case, in both phases.
  check_values(f(batch, 1), {0.5, 0, 2.5, 4});
  check_values(f(batch, 0), {0.5, 0, 2.5, 4});
  CHECK(values_of(bn.impl().moving_mean()) == std::vector<float>{1, 2});
  CHECK(values_of(bn.impl().moving_variance()) == std::vector<float>{4, 1});

  // Freezing after the layer was built works the same for the next function.
  auto live = layers::BatchNormalization({.epsilon = 0.0});
  auto z = live(x);
  live.set_trainable(false);
  check_values(probe(x, z)(batch, 1), {1, 2, 3, 6});  // (x - 0) / sqrt(1) * 1 + 0
  CHECK(values_of(live.impl().moving_mean()) == std::vector<float>{0, 0});
}

TEST_CASE("BatchNormalization's weights follow Keras' names, order and flags", "[batch_norm]") {
  auto x = layers::Input({4, 3});
  auto bn = layers::BatchNormalization({.name = "bn"});
  bn(x);
  const std::vector<keras::Variable> weights = bn.weights();
  REQUIRE(weights.size() == 4);
  CHECK(weights[0].name() == "bn/gamma");
  CHECK(weights[1].name() == "bn/beta");
  CHECK(weights[2].name() == "bn/moving_mean");
  CHECK(weights[3].name() == "bn/moving_variance");
  for (const auto& w : weights) CHECK(w.shape() == Shape{3});
  CHECK(weights[0].trainable());
  CHECK(weights[1].trainable());
  CHECK_FALSE(weights[2].trainable());
  CHECK_FALSE(weights[3].trainable());
  CHECK(bn.trainable_weights().size() == 2);
  CHECK(bn.count_params() == 12);
  // Keras' initial values: gamma 1, beta 0, moving mean 0, moving variance 1.
  CHECK(values_of(weights[0]) == std::vector<float>{1, 1, 1});
  CHECK(values_of(weights[1]) == std::vector<float>{0, 0, 0});
  CHECK(values_of(weights[2]) == std::vector<float>{0, 0, 0});
  CHECK(values_of(weights[3]) == std::vector<float>{1, 1, 1});

  auto no_center = layers::BatchNormalization({.center = false, .name = "no_center"});
  no_center(x);
  CHECK(no_center.weights().size() == 3);
  CHECK(no_center.weights()[0].name() == "no_center/gamma");
  CHECK(no_center.weights()[1].name() == "no_center/moving_mean");
  auto bare = layers::BatchNormalization({.center = false, .scale = false, .name = "bare"});
  bare(x);
  CHECK(bare.weights().size() == 2);
  CHECK(bare.trainable_weights().empty());

  auto custom = layers::BatchNormalization({.gamma_initializer = keras::initializers::Constant(2.0),
                                            .moving_variance_initializer = "zeros"});
  custom(x);
  CHECK(values_of(custom.weights()[0]) == std::vector<float>{2, 2, 2});
  CHECK(values_of(custom.weights()[3]) == std::vector<float>{0, 0, 0});
}

TEST_CASE("BatchNormalization along a channels-first axis", "[batch_norm]") {
  // (None, 2, 2): axis 1 has the channels; each channel has 2 samples x 2 positions.
  for (std::int64_t axis : {1, -2}) {
    DYNAMIC_SECTION("axis " << axis) {
      auto x = layers::Input({2, 2});
      auto bn = layers::BatchNormalization({.axis = axis, .momentum = 0.5, .epsilon = 0.0});
      auto y = bn(x);
      CHECK(bn.weights()[0].shape() == Shape{2});
      Probe f = probe(x, y);
      // Channel 0: 1, 3, 5, 7 (mean 4, variance (9 + 1 + 1 + 9) / 4 = 5);
      // channel 1: 2, 2, 4, 4 (mean 3, variance 1).
      const Tensor batch = tensor({2, 2, 2}, {1, 3, 2, 2, 5, 7, 4, 4});
      const double s = std::sqrt(5.0);
      check_values(f(batch, 1), {-3 / s, -1 / s, -1, -1, 1 / s, 3 / s, 1, 1});
      // moving = moving * 0.5 + batch * 0.5
      check_values(bn.impl().moving_mean().value(), {2, 1.5});
      check_values(bn.impl().moving_variance().value(), {3, 1});
    }
  }
}

TEST_CASE("BatchNormalization errors say what was received", "[batch_norm]") {
  CHECK_THROWS_WITH(layers::BatchNormalization({.synchronized = true}),
                    Contains("synchronized=true"));
  CHECK_THROWS_WITH(layers::BatchNormalization({.epsilon = -1.0}), Contains("epsilon=-1"));
  CHECK_THROWS_WITH(layers::BatchNormalization({.beta_initializer = "no_such_initializer"}),
                    Contains("no_such_initializer"));

  auto x = layers::Input({4, 3});
  CHECK_THROWS_WITH(layers::BatchNormalization({.axis = 3, .name = "bn_far"})(x),
                    Contains("layer 'bn_far' (BatchNormalization)") && Contains("axis 3") &&
                        Contains("(None, 4, 3)"));
  CHECK_THROWS_WITH(layers::BatchNormalization({.axis = -4, .name = "bn_neg"})(x),
                    Contains("axis -4") && Contains("(None, 4, 3)"));
  // The channels must be known: the batch axis is not.
  CHECK_THROWS_WITH(layers::BatchNormalization({.axis = 0, .name = "bn_batch"})(x),
                    Contains("layer 'bn_batch' (BatchNormalization)") && Contains("to be known") &&
                        Contains("(None, 4, 3)"));

  // Built on 3 channels, it refuses 5 and another rank.
  auto bn = layers::BatchNormalization({.name = "bn3"});
  bn(x);
  CHECK_THROWS_WITH(bn(layers::Input({4, 5})), Contains("layer 'bn3' (BatchNormalization)") &&
                                                   Contains("(None, 4, 5)") && Contains("3"));
  CHECK_THROWS_WITH(bn(layers::Input({3})),
                    Contains("layer 'bn3' (BatchNormalization)") && Contains("rank 3"));
}

TEST_CASE("BatchNormalization's config has Keras 3's keys and revives", "[batch_norm]") {
  auto bn = layers::BatchNormalization(
      {.axis = 1, .momentum = 0.9, .epsilon = 1e-5, .center = false, .name = "norm"});
  const Config config = bn.get_config();
  std::vector<std::string> keys;
  for (const auto& [key, value] : config.as_dict()) keys.push_back(key);
  CHECK(keys == std::vector<std::string>{"name",
                                         "trainable",
                                         "dtype",
                                         "axis",
                                         "momentum",
                                         "epsilon",
                                         "center",
                                         "scale",
                                         "beta_initializer",
                                         "gamma_initializer",
                                         "moving_mean_initializer",
                                         "moving_variance_initializer",
                                         "beta_regularizer",
                                         "gamma_regularizer",
                                         "beta_constraint",
                                         "gamma_constraint",
                                         "synchronized",
                                         "renorm",
                                         "renorm_clipping",
                                         "renorm_momentum"});
  CHECK(config.at("axis").as_int() == 1);
  CHECK(config.at("momentum").as_number() == 0.9);
  CHECK(config.at("epsilon").as_number() == 1e-5);
  CHECK_FALSE(config.at("center").as_bool());
  CHECK(config.at("scale").as_bool());
  CHECK(config.at("gamma_initializer").at("class_name").as_string() == "Ones");
  CHECK(config.at("synchronized") == Config(false));

  const layers::BatchNormalization revived = layers::BatchNormalization::from_config(config);
  CHECK(revived.get_config() == config);
  CHECK(revived.impl().axis() == 1);

  Config with_regularizer = config;
  with_regularizer["gamma_regularizer"] = keras::regularizers::serialize(keras::regularizers::L1());
  with_regularizer["beta_constraint"] =
      keras::constraints::serialize(keras::constraints::MaxNorm(3));
  CHECK(layers::BatchNormalization::from_config(with_regularizer).get_config() == with_regularizer);
  with_regularizer["gamma_regularizer"] = "l3";
  CHECK_THROWS_WITH(layers::BatchNormalization::from_config(with_regularizer),
                    Contains("gamma_regularizer") && Contains("unknown regularizer 'l3'"));
  // tf.keras wrote a built layer's axis as a list.
  Config keras2 = config;
  keras2["axis"] = Config::ints({3});
  CHECK(layers::BatchNormalization::from_config(keras2).impl().axis() == 3);
}

TEST_CASE("BatchNormalization matches real Keras 3 on its fixtures", "[batch_norm][fixtures]") {
  for (const char* name :
       {"batchnorm_2d", "batchnorm_4d", "batchnorm_2d_no_center", "batchnorm_2d_no_scale",
        "batchnorm_4d_no_center_no_scale", "batchnorm_4d_axis1"}) {
    DYNAMIC_SECTION(name) {
      const Config& c = keras::testing::layer_case(name);
      const Config& keras_config = c.at("config");
      backend::clear_session();  // the fixture's layer has the first automatic name
      auto bn = layers::BatchNormalization({.axis = keras_config.at("axis").as_int(),
                                            .center = keras_config.at("center").as_bool(),
                                            .scale = keras_config.at("scale").as_bool()});
      auto x = layers::Input(keras::testing::fixture_input_shapes(c)[0]);
      auto y = bn(x);
      CHECK(bn.get_config() == keras_config);
      bn.set_weights(keras::testing::fixture_weights(c));
      const std::vector<Tensor> before = bn.get_weights();
      Probe f = probe(x, y);
      const Tensor batch = keras::testing::fixture_inputs(c)[0];

      keras::testing::require_close_to_fixture(f(batch, 0), c.at("outputs").at("test"),
                                               std::string(name) + " test");
      const std::vector<Tensor> after_test = bn.get_weights();
      for (std::size_t i = 0; i < before.size(); ++i) {
        CHECK(after_test[i].to_vector<float>() == before[i].to_vector<float>());
      }
      keras::testing::require_close_to_fixture(f(batch, 1), c.at("outputs").at("train"),
                                               std::string(name) + " train");
      const Config& moving = c.at("moving_after_train");
      keras::testing::require_close_to_fixture(bn.impl().moving_mean().value(),
                                               moving.at("moving_mean"), "moving_mean");
      keras::testing::require_close_to_fixture(bn.impl().moving_variance().value(),
                                               moving.at("moving_variance"), "moving_variance");
      // gamma and beta are not touched by a forward pass.
      const std::vector<Tensor> after_train = bn.get_weights();
      for (std::size_t i = 0; i + 2 < before.size(); ++i) {
        CHECK(after_train[i].to_vector<float>() == before[i].to_vector<float>());
      }
    }
  }
}
