// A user's registered layer and activation go through every file format and
// dialect: the config names them and the loaders find them by name.
#include <catch2/catch.hpp>

#include <keras.hpp>

#include "functional/scale_layer.hpp"
#include "saving_fixtures.hpp"

using namespace keras;
using keras::testing::ScaleImpl;
using keras::testing::TempDir;

namespace {

// A user's initializer, regularizer and constraint, each with its config.
class Halves : public initializers::Initializer {
 public:
  Tensor operator()(const Shape& shape, DType dtype) const override {
    return Tensor::full(shape, 0.5, dtype);
  }
  std::string class_name() const override { return "Halves"; }
  serialize::Config get_config() const override { return serialize::Config::dict(); }
};

class ScaledL1 : public regularizers::Regularizer {
 public:
  explicit ScaledL1(double factor) : factor_(factor) {}
  graph::Value operator()(const graph::Value& x) const override {
    return ops::sum(ops::abs(x)) * factor_;
  }
  std::string class_name() const override { return "ScaledL1"; }
  serialize::Config get_config() const override {
    serialize::Config config = serialize::Config::dict();
    config["factor"] = factor_;
    return config;
  }

 private:
  double factor_;
};

class ClipTo : public constraints::Constraint {
 public:
  explicit ClipTo(double limit) : limit_(limit) {}
  graph::Value operator()(const graph::Value& w) const override {
    return ops::clip(w, -limit_, limit_);
  }
  std::string class_name() const override { return "ClipTo"; }
  serialize::Config get_config() const override {
    serialize::Config config = serialize::Config::dict();
    config["limit"] = limit_;
    return config;
  }

 private:
  double limit_;
};

void register_custom_objects() {
  initializers::register_initializer(
      "Halves", [](const serialize::Config&) { return std::make_shared<Halves>(); });
  regularizers::register_regularizer("ScaledL1", [](const serialize::Config& c) {
    return std::make_shared<ScaledL1>(c.at("factor").as_number());
  });
  constraints::register_constraint("ClipTo", [](const serialize::Config& c) {
    return std::make_shared<ClipTo>(c.at("limit").as_number());
  });
  keras::testing::register_scale_layer();
  activations::register_activation("cube", [](const graph::Value& x) { return x * x * x; });
}

}  // namespace

TEST_CASE("registered custom layers and activations round-trip through every format") {
  register_custom_objects();
  backend::clear_session();
  auto x = layers::Input({3});
  layers::Layer scale(std::make_shared<ScaleImpl>(0.5, layers::LayerOptions{.name = "scale"}));
  auto y = layers::Dense(2, {.activation = "cube", .name = "cubed"})(scale(x));
  const models::Model model(x, y);
  scale.set_weights({Tensor(Shape{3}, std::vector<float>{1, -2, 3})});
  const Tensor input(Shape{2, 3}, std::vector<float>{0.1f, 0.2f, 0.3f, -0.4f, 0.5f, 0.6f});
  const std::vector<float> want = model.predict(input).to_vector<float>();

  const TempDir dir;
  model.save(dir / "m.keras");
  model.save(dir / "m.h5");
  model.save(dir / "m2.h5", {.dialect = models::Dialect::keras2});
  model.save_weights(dir / "m.weights.h5");
  model.save_weights(dir / "m_weights.h5", {.dialect = models::Dialect::keras2});
  std::vector<std::pair<std::string, models::Model>> loaded;
  loaded.emplace_back(".keras", models::load_model(dir / "m.keras"));
  loaded.emplace_back(".h5", models::load_model(dir / "m.h5"));
  loaded.emplace_back(".h5 (Keras 2)", models::load_model(dir / "m2.h5"));
  loaded.emplace_back(".json", models::model_from_json(model.to_json()));
  loaded.back().second.load_weights(dir / "m.weights.h5");
  loaded.emplace_back(".yaml", models::model_from_yaml(model.to_yaml()));
  loaded.back().second.load_weights(dir / "m_weights.h5");
  for (const auto& [format, again] : loaded) {
    INFO(format);
    CHECK(again.get_layer("scale").class_name() == "Scale");
    CHECK(again.predict(input).to_vector<float>() == want);
  }
  CHECK_THAT(model.to_json(), Catch::Contains("\"registered_name\": \"Scale\"") &&
                                  Catch::Contains("\"activation\": \"cube\""));
}

TEST_CASE("registered initializers, regularizers and constraints load by name in every format") {
  register_custom_objects();
  backend::clear_session();
  auto x = layers::Input({3});
  const initializers::InitializerPtr halves = std::make_shared<Halves>();
  const regularizers::RegularizerPtr scaled = std::make_shared<ScaledL1>(0.25);
  const constraints::ConstraintPtr clip = std::make_shared<ClipTo>(0.75);
  auto y = layers::Dense(2, {.kernel_initializer = halves,
                             .kernel_regularizer = scaled,
                             .kernel_constraint = clip,
                             .name = "custom"})(x);
  const models::Model model(x, y);
  CHECK(model.get_layer("custom").get_weights()[0].to_vector<float>() ==
        std::vector<float>(6, 0.5f));
  const serialize::Config want = model.get_layer("custom").get_config();
  CHECK(want.at("kernel_regularizer").at("class_name").as_string() == "ScaledL1");

  const TempDir dir;
  model.save(dir / "m.keras");
  model.save(dir / "m2.h5", {.dialect = models::Dialect::keras2});
  for (const models::Model& again :
       {models::load_model(dir / "m.keras"), models::load_model(dir / "m2.h5"),
        models::model_from_yaml(model.to_yaml())}) {
    const serialize::Config got = again.get_layer("custom").get_config();
    CHECK(got.at("kernel_initializer").at("class_name") ==
          want.at("kernel_initializer").at("class_name"));
    CHECK(got.at("kernel_regularizer").at("config") == want.at("kernel_regularizer").at("config"));
    CHECK(got.at("kernel_constraint").at("config").at("limit").as_number() == 0.75);
  }
  REQUIRE_THROWS_WITH(regularizers::get("NoSuchRegularizer"),
                      Catch::Contains("register your own class with register_regularizer") &&
                          Catch::Contains("ScaledL1"));
  REQUIRE_THROWS_WITH(initializers::get("NoSuchInit"),
                      Catch::Contains("register your own class with register_initializer"));
  REQUIRE_THROWS_WITH(
      constraints::register_constraint(
          "MaxNorm", [](const serialize::Config&) { return constraints::NonNeg(); }),
      Catch::Contains("'MaxNorm' is one of Keras' constraints"));
}
