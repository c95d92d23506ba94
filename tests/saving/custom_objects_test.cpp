// A user's registered layer and activation go through every file format and
// dialect: the config names them and the loaders find them by name.
#include <catch2/catch.hpp>

#include <keras.hpp>

#include "saving_fixtures.hpp"

using namespace keras;
using keras::testing::TempDir;

namespace {

// y = x * scale * factor, one trainable scale per feature.
class ScaleImpl : public layers::LayerImpl {
 public:
  ScaleImpl(double factor, const layers::LayerOptions& options)
      : LayerImpl("Scale", options), factor_(factor) {}
  void build(const std::vector<Shape>& input_shapes) override {
    scale_ = add_weight("scale", Shape{input_shapes.at(0).dim(-1)}, *initializers::Ones());
  }
  std::vector<graph::Value> call(const std::vector<graph::Value>& inputs,
                                 const graph::Value&) override {
    return {inputs.at(0) * ops::read(*scale_) * factor_};
  }
  serialize::Config get_config() const override {
    serialize::Config config = LayerImpl::get_config();
    config["factor"] = factor_;
    return config;
  }

 private:
  double factor_;
  std::optional<Variable> scale_;
};

void register_custom_objects() {
  layers::register_layer("Scale", [](const serialize::Config& c) {
    return layers::Layer(
        std::make_shared<ScaleImpl>(c.at("factor").as_number(), layers::options_from_config(c)));
  });
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
