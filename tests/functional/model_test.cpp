#include <catch2/catch.hpp>

#include <keras.hpp>

#include "core/tracer.hpp"

using Catch::Matchers::Contains;
using keras::DType;
using keras::KerasTensor;
using keras::Shape;
using keras::Tensor;
namespace layers = keras::layers;
namespace models = keras::models;
namespace backend = keras::backend;

namespace {

Tensor ramp(Shape shape, double scale = 0.1) {
  Tensor t(DType::float32, shape);
  for (std::int64_t i = 0; i < t.size(); ++i) {
    t.data<float>()[i] = static_cast<float>(std::sin(static_cast<double>(i) * 1.3) * scale * 10);
  }
  return t;
}

void require_equal(const Tensor& a, const Tensor& b) {
  REQUIRE(a.shape() == b.shape());
  REQUIRE(a.to_vector<float>() == b.to_vector<float>());
}

}  // namespace

TEST_CASE("a functional model predicts what its layers compute", "[functional][model]") {
  auto x = layers::Input({3});
  auto dense = layers::Dense(2, {.activation = "relu", .name = "hidden"});
  auto y = dense(x);
  models::Model model(x, y);
  CHECK(y.shape() == Shape({Shape::kUnknown, 2}));
  dense.set_weights({Tensor(Shape{3, 2}, std::vector<float>{1, -1, 2, 0, -1, 1}),
                     Tensor(Shape{2}, std::vector<float>{0.5f, -0.5f})});
  // (1, 2, 3) -> (1*1 + 2*2 - 3 + 0.5, -1 + 0 + 3 - 0.5) = (2.5, 1.5)
  // (1, 0, 4) -> (1 - 4 + 0.5, -1 + 4 - 0.5) = relu(-2.5, 2.5) = (0, 2.5)
  Tensor out = model.predict(Tensor(Shape{2, 3}, std::vector<float>{1, 2, 3, 1, 0, 4}));
  CHECK(out.to_vector<float>() == std::vector<float>{2.5f, 1.5f, 0.0f, 2.5f});
  CHECK(model.count_params() == 8);
  CHECK(model.layers().size() == 2);
  CHECK(model.get_layer("hidden") == dense);
  CHECK(model.get_layer(1) == dense);
}

TEST_CASE("a shared layer has one weight set and sums the gradients of its calls",
          "[functional][shared]") {
  auto a = layers::Input({2});
  auto b = layers::Input({2});
  auto shared = layers::Dense(1, {.use_bias = false});
  models::Model model({a, b}, {layers::Layer(shared)(a), shared(b)});
  CHECK(model.weights().size() == 1);
  CHECK(shared.impl().inbound_nodes().size() == 2);
  shared.set_weights({Tensor(Shape{2, 1}, std::vector<float>{3, 4})});

  auto g = keras::graph::Graph::create();
  keras::graph::GraphScope scope(g);
  layers::Tracer tracer(*g, g->learning_phase());
  auto pa = keras::ops::placeholder(a.shape(), DType::float32);
  auto pb = keras::ops::placeholder(b.shape(), DType::float32);
  tracer.feed(a, pa);
  tracer.feed(b, pb);
  auto loss = keras::ops::sum(tracer.trace(model.outputs()[0])) +
              keras::ops::sum(tracer.trace(model.outputs()[1]));
  auto kernel = keras::ops::read(shared.weights()[0]);
  auto grad = keras::autodiff::gradients(loss, {kernel})[0];
  auto fn = backend::function({pa, pb}, {grad});
  // d/dW (sum(a W) + sum(b W)) = column sums of a plus column sums of b.
  Tensor ga(Shape{1, 2}, std::vector<float>{1, 2});
  Tensor gb(Shape{1, 2}, std::vector<float>{10, 20});
  CHECK(fn({ga, gb})[0].to_vector<float>() == std::vector<float>{11, 22});
}

TEST_CASE("a nested model called twice shares its weights", "[functional][nested]") {
  auto inner_in = layers::Input({4});
  auto inner = models::Model(
      inner_in, layers::Dense(3, {.activation = "tanh", .name = "inner_dense"})(inner_in), "inner");
  auto x1 = layers::Input({4});
  auto x2 = layers::Input({4});
  auto h1 = inner(x1);
  auto h2 = inner(x2);
  auto y = layers::Add()({h1, h2});
  models::Model outer({x1, x2}, {y}, "outer");
  CHECK(outer.weights().size() == 2);
  CHECK(outer.count_params() == 15);
  Tensor v1 = ramp({5, 4});
  Tensor v2 = ramp({5, 4}, 0.3);
  Tensor both = outer.predict({v1, v2})[0];
  Tensor one = inner.predict(v1);
  Tensor two = inner.predict(v2);
  for (std::int64_t i = 0; i < both.size(); ++i) {
    CHECK(both.to_vector<float>()[i] ==
          Approx(one.to_vector<float>()[i] + two.to_vector<float>()[i]));
  }
  CHECK(outer.get_layer("inner/inner_dense").ptr() == inner.layers()[1].ptr());
}

TEST_CASE("apply puts a model's ops on graph values", "[functional][model]") {
  auto x = layers::Input({3});
  auto h = layers::Dense(4, {.activation = "tanh"})(x);
  models::Model model(x, layers::Dense(2)(layers::Dropout(0.5)(h)));
  auto g = keras::graph::Graph::create();
  keras::graph::GraphScope scope(g);
  auto input = keras::ops::placeholder({Shape::kUnknown, 3});
  auto phase = keras::backend::learning_phase();
  auto out = model.apply({input}, phase).outputs.at(0);
  auto f = keras::backend::function({input, phase}, {out});
  const Tensor batch = ramp({5, 3});
  // Test mode: what predict computes.
  require_equal(f({batch, Tensor::scalar(0)})[0], model.predict(batch));
  CHECK_THROWS_WITH(layers::Dense(2).apply({input}, phase),
                    Contains("is not built") && Contains("call it on KerasTensors first"));
  layers::Layer first = model.layers()[1];
  CHECK_THROWS_WITH(first.apply({input, input}, phase),
                    Contains("takes 1 input") && Contains("given 2"));
  CHECK_THROWS_WITH(first.apply({keras::ops::placeholder({Shape::kUnknown, 4})}, phase),
                    Contains("built on (None, 3)") && Contains("(None, 4)"));
}

TEST_CASE("a two-input two-output model", "[functional][model]") {
  auto a = layers::Input({3}, {.name = "a"});
  auto b = layers::Input({2}, {.name = "b"});
  auto merged = layers::Concatenate()({a, b});
  auto out1 = layers::Dense(1, {.name = "score"})(merged);
  auto out2 = layers::Dense(2, {.activation = "softmax", .name = "probs"})(merged);
  models::Model model({a, b}, {out1, out2});
  std::vector<Tensor> out = model.predict({ramp({7, 3}), ramp({7, 2})}, 4);
  REQUIRE(out.size() == 2);
  CHECK(out[0].shape() == Shape{7, 1});
  CHECK(out[1].shape() == Shape{7, 2});
  for (std::int64_t r = 0; r < 7; ++r) {
    CHECK(out[1].at<float>({r, 0}) + out[1].at<float>({r, 1}) == Approx(1.0f));
  }
  CHECK_THROWS_WITH(model.output(), Contains("has 2 outputs"));
  // Batch sizes only split the work: one batch, batches of 1 (another
  // kernel: equal to rounding), and no rows.
  for (std::int64_t batch_size : {1, 7, 100}) {
    std::vector<Tensor> again = model.predict({ramp({7, 3}), ramp({7, 2})}, batch_size);
    for (std::size_t k = 0; k < 2; ++k) {
      const std::vector<float> got = again[k].to_vector<float>(), want = out[k].to_vector<float>();
      REQUIRE(got.size() == want.size());
      for (std::size_t i = 0; i < got.size(); ++i) CHECK(got[i] == Approx(want[i]).epsilon(1e-6));
    }
  }
  std::vector<Tensor> none = model.predict({ramp({0, 3}), ramp({0, 2})});
  CHECK(none[0].shape() == Shape{0, 1});
  CHECK(none[1].shape() == Shape{0, 2});
}

TEST_CASE("intermediate outputs both ways equal the full forward pass", "[functional][probe]") {
  auto x = layers::Input({6});
  auto h = layers::Dense(5, {.activation = "relu", .name = "h1"})(x);
  auto d = layers::Dropout(0.5, {.name = "drop"})(h);
  auto h2 = layers::Dense(4, {.name = "h2"})(d);
  auto y = layers::Dense(3, {.activation = "softmax", .name = "out"})(h2);
  models::Model model(x, y);
  Tensor batch = ramp({8, 6});

  // The Keras FAQ's first way: a model ending at the layer.
  models::Model probe_model(model.input(), model.get_layer("h2").output());
  Tensor via_model = probe_model.predict(batch);
  // The second: K.function with the learning phase.
  auto probe = backend::function({model.input(), backend::learning_phase()},
                                 {model.get_layer("h2").output(), model.output()});
  std::vector<Tensor> test_mode = probe({batch, Tensor::scalar(0)});
  require_equal(via_model, test_mode[0]);
  require_equal(model.predict(batch), test_mode[1]);
  // Train mode turns Dropout on: the probe differs, test mode does not.
  std::vector<Tensor> train_mode = probe({batch, Tensor::scalar(1)});
  CHECK(train_mode[0].to_vector<float>() != test_mode[0].to_vector<float>());
  require_equal(probe({batch, Tensor::scalar(0)})[0], test_mode[0]);
}

TEST_CASE("functional errors name the layer and the shapes", "[functional][errors]") {
  auto x = layers::Input({32});
  auto dense = layers::Dense(4, {.name = "d64"});
  dense(layers::Input({64}));
  CHECK_THROWS_WITH(dense(x),
                    Contains("layer 'd64' (Dense)") && Contains("(None, 32)") && Contains("64"));

  auto other = layers::Input({5}, {.name = "stray"});
  auto y = layers::Add()({layers::Dense(5)(x), other});
  CHECK_THROWS_WITH(models::Model(x, y), Contains("not connected") && Contains("'stray'"));

  auto z = layers::Dense(2, {.name = "twin"})(layers::Dense(2, {.name = "twin"})(x));
  CHECK_THROWS_WITH(models::Model(x, z), Contains("two layers named 'twin'"));

  models::Model ok(x, layers::Dense(2, {.name = "only"})(x));
  CHECK_THROWS_WITH(ok.get_layer("missing"),
                    Contains("no layer named 'missing'") && Contains("only"));

  auto shared = layers::Dense(3, {.name = "twice"});
  auto first = shared(x);
  auto second = shared(x);
  CHECK_THROWS_WITH(shared.input(), Contains("'twice' has 2 calls") && Contains("get_input_at"));
  CHECK(shared.get_output_at(1) == second);
  CHECK(shared.get_input_at(0) == x);
}

TEST_CASE("a layer inside a nested model can be probed at each call", "[functional][probe]") {
  auto inner_in = layers::Input({4});
  auto hidden = layers::Dense(3, {.activation = "tanh", .name = "probed"})(inner_in);
  models::Model inner(inner_in, layers::Dense(2, {.name = "inner_out"})(hidden), "inner_block");
  auto x1 = layers::Input({4});
  auto x2 = layers::Input({4});
  auto y = layers::Add()({inner(x1), inner(x2)});
  models::Model outer({x1, x2}, {y}, "outer_block");
  Tensor v1 = ramp({5, 4});
  Tensor v2 = ramp({5, 4}, 0.3);
  models::Model hidden_model(inner.input(), hidden);
  // The first call sees x1, the second x2.
  auto probe = backend::function({x1, x2, backend::learning_phase()},
                                 {outer.get_layer_output("inner_block/probed"),
                                  outer.get_layer_output("inner_block@1/probed")});
  std::vector<Tensor> got = probe({v1, v2, Tensor::scalar(0)});
  require_equal(got[0], hidden_model.predict(v1));
  require_equal(got[1], hidden_model.predict(v2));
  models::Model as_model({x1, x2}, {outer.get_layer_output("inner_block@1/probed")});
  require_equal(as_model.predict({v1, v2})[0], got[1]);
  CHECK_THROWS_WITH(outer.get_layer_output("inner_block@2/probed"),
                    Contains("called 2 times") && Contains("no call 2"));
}
