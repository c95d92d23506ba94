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

void register_custom_objects() {
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
