// Activation layers: ReLU, LeakyReLU, PReLU, ELU and Softmax. Hand-worked
// values in both learning phases, PReLU's weight and gradient, errors, config
// round trips, and real Keras' fixtures.
#include <catch2/catch.hpp>

#include <cmath>

#include <keras.hpp>

#include "core/tracer.hpp"
#include "layer_checks.hpp"

using Catch::Matchers::Contains;
using keras::DType;
using keras::KerasTensor;
using keras::Shape;
using keras::Tensor;
using keras::serialize::Config;
using keras::testing::check_against_fixture;
using keras::testing::require_values;
using keras::testing::run_both_phases;
namespace layers = keras::layers;
constexpr std::int64_t None = Shape::kUnknown;

namespace {

// One sample spanning every branch: below 0, at 0, between 0 and the
// threshold 0.5, at it, above it and above max_value.
const Tensor kRamp(Shape{1, 7}, std::vector<float>{-3, -1, 0, 0.25f, 0.5f, 2, 7});

std::vector<float> apply(const layers::Layer& layer, const Tensor& feed = kRamp) {
  std::vector<std::int64_t> sample = feed.shape().dims();
  sample.erase(sample.begin());
  auto x = layers::Input(Shape(sample));
  return run_both_phases(x, layer(x), feed);
}

}  // namespace

TEST_CASE("ReLU follows Keras 3's relu with max_value, negative_slope and threshold",
          "[activation_layers]") {
  // max(x, 0)
  CHECK(apply(layers::ReLU()) == std::vector<float>{0, 0, 0, 0.25f, 0.5f, 2, 7});
  // min(max(x, 0), 6)
  CHECK(apply(layers::ReLU({.max_value = 6.0})) == std::vector<float>{0, 0, 0, 0.25f, 0.5f, 2, 6});
  // 0.1 * x below 0: (-0.3, -0.1, 0, ...)
  require_values(apply(layers::ReLU({.negative_slope = 0.1})),
                 {-0.3f, -0.1f, 0, 0.25f, 0.5f, 2, 7});
  // x where x > 1, else 0
  CHECK(apply(layers::ReLU({.threshold = 1.0})) == std::vector<float>{0, 0, 0, 0, 0, 2, 7});
  // All three: min(x, 1.5) where x > 0.5, else 0.5 * (x - 0.5):
  // -3 -> 0.5 * -3.5 = -1.75, -1 -> -0.75, 0 -> -0.25, 0.25 -> -0.125, 0.5 -> 0,
  // 2 -> 1.5, 7 -> 1.5.
  require_values(apply(layers::ReLU({.max_value = 1.5, .negative_slope = 0.5, .threshold = 0.5})),
                 {-1.75f, -0.75f, -0.25f, -0.125f, 0, 1.5f, 1.5f});

  CHECK_THROWS_WITH(layers::ReLU({.max_value = -1.0}),
                    Contains("(ReLU)") && Contains("max_value=-1"));
  CHECK_THROWS_WITH(layers::ReLU({.negative_slope = -0.5}), Contains("negative_slope=-0.5"));
  CHECK_THROWS_WITH(layers::ReLU({.threshold = -2.0}), Contains("threshold=-2"));

  const Config config =
      layers::ReLU({.max_value = 2.0, .negative_slope = 0.1, .threshold = 0.5, .name = "r"})
          .get_config();
  CHECK(config.at("max_value").as_number() == 2.0);
  CHECK(layers::ReLU().get_config().at("max_value").is_null());
  CHECK(layers::ReLU::from_config(config).get_config() == config);
  for (const char* name : {"relu_layer", "relu_max_value", "relu_negative_slope", "relu_threshold",
                           "relu_all_options"}) {
    check_against_fixture(name, [](const Config& c) { return layers::ReLU::from_config(c); });
  }
}

TEST_CASE("LeakyReLU's slope defaults to 0.3", "[activation_layers]") {
  // 0.3 * x below 0: -3 -> -0.9, -1 -> -0.3.
  require_values(apply(layers::LeakyReLU()), {-0.9f, -0.3f, 0, 0.25f, 0.5f, 2, 7});
  require_values(apply(layers::LeakyReLU(0.1)), {-0.3f, -0.1f, 0, 0.25f, 0.5f, 2, 7});
  CHECK(layers::LeakyReLU().get_config().at("negative_slope").as_number() == 0.3);
  CHECK_THROWS_WITH(layers::LeakyReLU(-0.1), Contains("negative_slope=-0.1"));

  // Keras 2 configs call the slope "alpha".
  Config keras2 = Config::dict();
  keras2["name"] = "leaky";
  keras2["trainable"] = true;
  keras2["dtype"] = "float32";
  keras2["alpha"] = 0.2;
  CHECK(layers::LeakyReLU::from_config(keras2).get_config().at("negative_slope").as_number() ==
        0.2);
  for (const char* name : {"leaky_relu_default", "leaky_relu_0_1"}) {
    check_against_fixture(name, [](const Config& c) { return layers::LeakyReLU::from_config(c); });
  }
}

TEST_CASE("PReLU learns one slope per unshared position", "[activation_layers]") {
  keras::backend::clear_session();  // automatic names start again: p_re_lu
  auto x = layers::Input({3});
  auto prelu = layers::PReLU();
  auto y = prelu(x);
  REQUIRE(prelu.weights().size() == 1);
  CHECK(prelu.weights()[0].name() == "p_re_lu/alpha");
  CHECK(prelu.weights()[0].shape() == Shape{3});
  // alpha_initializer zeros: a plain relu until trained.
  const Tensor feed(Shape{2, 3}, std::vector<float>{-1, -2, -4, 1, 2, 3});
  CHECK(run_both_phases(x, y, feed) == std::vector<float>{0, 0, 0, 1, 2, 3});
  // alpha = (0.1, 0.2, -0.5): (-1, -2, -4) -> (-0.1, -0.4, 2); positives unchanged.
  prelu.set_weights({Tensor(Shape{3}, std::vector<float>{0.1f, 0.2f, -0.5f})});
  require_values(run_both_phases(x, y, feed), {-0.1f, -0.4f, 2, 1, 2, 3});

  // shared_axes {1, 2} on (None, 2, 2, 3): one alpha per channel, shape (1, 1, 3).
  auto images = layers::Input({2, 2, 3});
  auto shared = layers::PReLU({.shared_axes = {1, 2}});
  shared(images);
  CHECK(shared.weights()[0].shape() == Shape{1, 1, 3});
  CHECK(shared.count_params() == 3);
  CHECK_THROWS_WITH(shared(layers::Input({2, 2, 4})),
                    Contains("(PReLU)") && Contains("(None, 2, 2, 4)"));
  CHECK_THROWS_WITH(layers::PReLU({.shared_axes = {3}})(x),
                    Contains("shares axis 3") && Contains("(None, 3)"));
  CHECK_THROWS_WITH(layers::PReLU({.shared_axes = {0}}), Contains("shared_axes=(0,)"));
  CHECK_THROWS_WITH(layers::PReLU()(layers::Input({None, 3})), Contains("(None, None, 3)"));

  const Config config = shared.get_config();
  CHECK(config.at("shared_axes").to_json() == "[1, 2]");
  CHECK(config.at("alpha_initializer").at("class_name").as_string() == "Zeros");
  CHECK(layers::PReLU::from_config(config).get_config() == config);
  Config regularized = config;
  regularized["alpha_regularizer"] = keras::regularizers::serialize(keras::regularizers::L2(0.5));
  regularized["alpha_constraint"] = keras::constraints::serialize(keras::constraints::NonNeg());
  CHECK(layers::PReLU::from_config(regularized).get_config() == regularized);
  regularized["alpha_regularizer"] = Config::dict();
  CHECK_THROWS_WITH(layers::PReLU::from_config(regularized),
                    Contains("alpha_regularizer") && Contains("class_name"));
  check_against_fixture("prelu", [](const Config& c) { return layers::PReLU::from_config(c); });
  check_against_fixture("prelu_shared_axes",
                        [](const Config& c) { return layers::PReLU::from_config(c); });
}

TEST_CASE("PReLU's alpha gets the gradient of the negative inputs", "[activation_layers]") {
  auto x = layers::Input({2});
  auto prelu = layers::PReLU();
  keras::models::Model model(x, prelu(x));
  prelu.set_weights({Tensor(Shape{2}, std::vector<float>{0.5f, 0.5f})});

  auto graph = keras::graph::Graph::create();
  keras::graph::GraphScope scope(graph);
  layers::Tracer tracer(*graph, graph->learning_phase());
  auto input = keras::ops::placeholder(x.shape(), DType::float32);
  tracer.feed(x, input);
  auto loss = keras::ops::sum(tracer.trace(model.output()));
  auto alpha = keras::ops::read(prelu.weights()[0]);
  auto grads = keras::autodiff::gradients(loss, {alpha, input});
  auto f = keras::backend::function(std::vector<keras::graph::Value>{input}, grads);
  // y = relu(x) - alpha * relu(-x): dy/dalpha = -relu(-x), summed over the
  // batch; dy/dx = 1 where x > 0, alpha where x < 0.
  // x = ((-1, 2), (-3, -4)): dalpha = (-(1 + 3), -(0 + 4)) = (-4, -4).
  const std::vector<Tensor> out = f({Tensor(Shape{2, 2}, std::vector<float>{-1, 2, -3, -4})});
  CHECK(out[0].to_vector<float>() == std::vector<float>{-4, -4});
  CHECK(out[1].to_vector<float>() == std::vector<float>{0.5f, 1, 0.5f, 0.5f});
}

TEST_CASE("ELU is alpha * (exp(x) - 1) below 0", "[activation_layers]") {
  const Tensor feed(Shape{1, 3}, std::vector<float>{-1, 0, 2});
  // alpha 1: e^-1 - 1 = -0.6321206
  require_values(apply(layers::ELU(), feed), {-0.6321206f, 0, 2});
  // alpha 0.5: 0.5 * (e^-1 - 1) = -0.3160603
  require_values(apply(layers::ELU(0.5), feed), {-0.3160603f, 0, 2});

  // Keras 3's automatic config puts alpha right after the name.
  const Config config = layers::ELU(0.5, {.name = "e"}).get_config();
  CHECK(config.to_json().rfind(R"({"name": "e", "alpha": 0.5, "trainable": true)", 0) == 0);
  CHECK(layers::ELU::from_config(config).get_config() == config);
  for (const char* name : {"elu_layer", "elu_alpha_0_5"}) {
    check_against_fixture(name, [](const Config& c) { return layers::ELU::from_config(c); });
  }
}

TEST_CASE("Softmax normalizes along one axis or several", "[activation_layers]") {
  // One sample ((0, ln 3), (0, 0)).
  const float ln3 = std::log(3.0f);
  const Tensor feed(Shape{1, 2, 2}, std::vector<float>{0, ln3, 0, 0});
  // Axis -1, per row: (1, 3) / 4 and (1, 1) / 2.
  require_values(apply(layers::Softmax(), feed), {0.25f, 0.75f, 0.5f, 0.5f});
  // Axis 1, per column: (1, 1) / 2 and (3, 1) / 4.
  require_values(apply(layers::Softmax(1), feed), {0.5f, 0.75f, 0.5f, 0.25f});
  // Axes (1, 2) jointly: (1, 3, 1, 1) / 6.
  require_values(apply(layers::Softmax(std::vector<std::int64_t>{1, 2}), feed),
                 {1.0f / 6, 0.5f, 1.0f / 6, 1.0f / 6});

  CHECK_THROWS_WITH(layers::Softmax(3)(layers::Input({4})), Contains("(Softmax)"));
  CHECK_THROWS_WITH(layers::Softmax(std::vector<std::int64_t>{}), Contains("empty list"));
  CHECK(layers::Softmax(1).get_config().at("axis").to_json() == "1");
  const Config joint = layers::Softmax(std::vector<std::int64_t>{1, 2}, {.name = "s"}).get_config();
  CHECK(joint.at("axis").to_json() == "[1, 2]");
  CHECK(layers::Softmax::from_config(joint).get_config() == joint);
  for (const char* name : {"softmax_layer", "softmax_axis1"}) {
    check_against_fixture(name, [](const Config& c) { return layers::Softmax::from_config(c); });
  }
}
