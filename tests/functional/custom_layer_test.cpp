// A user's own layer: subclass LayerImpl (build, call, get_config), register
// the class by name, use it in a model and revive it from its config.
#include <catch2/catch.hpp>

#include <keras.hpp>

#include "scale_layer.hpp"

using keras::DType;
using keras::Shape;
using keras::Tensor;
namespace layers = keras::layers;
namespace models = keras::models;

using keras::testing::ScaleImpl;

TEST_CASE("a user's layer subclass works like a built-in one", "[functional][custom]") {
  keras::testing::register_scale_layer();
  layers::Layer scale(std::make_shared<ScaleImpl>(2.0, layers::LayerOptions{.name = "scale"}));
  auto x = layers::Input({3});
  models::Model model(x, scale(x));
  CHECK(model.count_params() == 3);
  scale.set_weights({Tensor(Shape{3}, std::vector<float>{1, 2, 3})});
  // (1, 1, 1) * (1, 2, 3) * 2
  CHECK(model.predict(Tensor::full({1, 3}, 1.0)).to_vector<float>() == std::vector<float>{2, 4, 6});

  layers::Layer revived = layers::from_config("Scale", scale.get_config());
  CHECK(revived.get_config() == scale.get_config());
  CHECK(revived.class_name() == "Scale");
  CHECK_THROWS_WITH(layers::from_config("NoSuchLayer", scale.get_config()),
                    Catch::Matchers::Contains("unknown layer class 'NoSuchLayer'") &&
                        Catch::Matchers::Contains("register_layer"));
}
