#include <catch2/catch.hpp>

#include <keras.hpp>

using Catch::Matchers::Contains;
using keras::DType;
using keras::Shape;
using keras::Tensor;
namespace layers = keras::layers;
namespace models = keras::models;

TEST_CASE("Sequential add and pop relink the stack", "[functional][sequential]") {
  models::Sequential model;
  model.add(layers::Input({4}));
  auto first = layers::Dense(3, {.name = "first"});
  model.add(first);
  model.add(layers::Dense(2, {.name = "second"}));
  CHECK(model.layers().size() == 2);
  CHECK(model.output().shape() == Shape({Shape::kUnknown, 2}));
  CHECK(model.count_params() == 4 * 3 + 3 + 3 * 2 + 2);
  model.pop();
  CHECK(model.layers().size() == 1);
  CHECK(model.output().shape() == Shape({Shape::kUnknown, 3}));
  CHECK(model.count_params() == 15);
  first.set_weights({Tensor::full({4, 3}, 1.0), Tensor::full({3}, 0.5)});
  // Each output is the row sum plus 0.5: (1 + 2 + 3 + 4) + 0.5.
  Tensor out = model.predict(Tensor(Shape{1, 4}, std::vector<float>{1, 2, 3, 4}));
  CHECK(out.to_vector<float>() == std::vector<float>{10.5f, 10.5f, 10.5f});
  model.pop();
  CHECK(model.layers().empty());
  CHECK_THROWS_WITH(model.pop(), Contains("no layers to pop"));
}

TEST_CASE("Sequential takes its input shape from the first layer or the first data",
          "[functional][sequential]") {
  models::Sequential with_dim({layers::Dense(5, {.input_dim = 3}), layers::Dense(1)});
  CHECK(with_dim.input().shape() == Shape({Shape::kUnknown, 3}));
  CHECK(with_dim.count_params() == 3 * 5 + 5 + 5 + 1);

  models::Sequential deferred({layers::Dense(2, {.kernel_initializer = "ones"})});
  CHECK_FALSE(deferred.built());
  Tensor out = deferred.predict(Tensor::full({3, 6}, 1.0));
  CHECK(out.shape() == Shape{3, 2});
  CHECK(out.to_vector<float>() == std::vector<float>(6, 6.0f));
  CHECK(deferred.built());
}

TEST_CASE("a Sequential model is a layer of a functional model", "[functional][sequential]") {
  models::Sequential block({layers::Dense(3, {.input_shape = Shape{2}})});
  auto x = layers::Input({2});
  auto y = layers::Dense(1)(block(x));
  models::Model model(x, y);
  CHECK(model.count_params() == 2 * 3 + 3 + 3 + 1);
  CHECK(model.predict(Tensor::full({4, 2}, 0.5)).shape() == Shape{4, 1});
}
