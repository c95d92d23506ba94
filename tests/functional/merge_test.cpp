// Merge layers (Add, Subtract, Multiply, Average, Maximum, Minimum,
// Concatenate, Dot) and their function forms: hand-worked values in both
// learning phases, shapes, errors, configs, and real Keras' fixtures.
#include <catch2/catch.hpp>

#include <functional>

#include <keras.hpp>

#include "fixture_layer_cases.hpp"

using Catch::Matchers::Contains;
using keras::KerasTensor;
using keras::Shape;
using keras::Tensor;
using keras::serialize::Config;
namespace layers = keras::layers;
namespace backend = keras::backend;
constexpr std::int64_t None = Shape::kUnknown;

namespace {

// Runs `output` with backend::function({inputs..., learning_phase}, {output}).
Tensor run(const std::vector<KerasTensor>& inputs, const KerasTensor& output,
           std::vector<Tensor> feeds, int phase) {
  std::vector<KerasTensor> function_inputs = inputs;
  function_inputs.emplace_back(backend::learning_phase());
  feeds.push_back(Tensor::scalar(phase));
  auto f = backend::function(function_inputs, {output});
  return f(feeds)[0];
}

// Merges have no training behaviour: both phases give the same values.
std::vector<float> run_both_phases(const std::vector<KerasTensor>& inputs,
                                   const KerasTensor& output, const std::vector<Tensor>& feeds) {
  const Tensor test_mode = run(inputs, output, feeds, 0);
  const Tensor train_mode = run(inputs, output, feeds, 1);
  CHECK(test_mode.shape() == train_mode.shape());
  CHECK(test_mode.to_vector<float>() == train_mode.to_vector<float>());
  return test_mode.to_vector<float>();
}

Tensor tensor(Shape shape, std::vector<float> values) {
  return Tensor(std::move(shape), values);
}

// 0.1, 0.2, ... : distinct values that keep products exact enough to compare.
Tensor ramp(const Shape& shape, float start = 1.0f) {
  std::vector<float> values(static_cast<std::size_t>(shape.num_elements()));
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = start + static_cast<float>(i);
  return Tensor(shape, values);
}

}  // namespace

TEST_CASE("elementwise merges of two and three tensors", "[merge]") {
  auto a = layers::Input({3});
  auto b = layers::Input({3});
  auto c = layers::Input({3});
  const Tensor va = tensor({2, 3}, {1, 2, 3, 4, 5, 6});
  const Tensor vb = tensor({2, 3}, {10, 20, 30, -1, -2, -3});
  const Tensor vc = tensor({2, 3}, {0.5f, 0, -4, 2, 2, 2});
  const auto two = [&](const KerasTensor& y) { return run_both_phases({a, b}, y, {va, vb}); };
  const auto three = [&](const KerasTensor& y) {
    return run_both_phases({a, b, c}, y, {va, vb, vc});
  };

  auto sum = layers::Add()({a, b});
  CHECK(sum.shape() == Shape({None, 3}));
  // a + b
  CHECK(two(sum) == std::vector<float>{11, 22, 33, 3, 3, 3});
  // a - b
  CHECK(two(layers::Subtract()({a, b})) == std::vector<float>{-9, -18, -27, 5, 7, 9});
  // a * b
  CHECK(two(layers::Multiply()({a, b})) == std::vector<float>{10, 40, 90, -4, -10, -18});
  // (a + b) / 2
  CHECK(two(layers::Average()({a, b})) == std::vector<float>{5.5f, 11, 16.5f, 1.5f, 1.5f, 1.5f});
  CHECK(two(layers::Maximum()({a, b})) == std::vector<float>{10, 20, 30, 4, 5, 6});
  CHECK(two(layers::Minimum()({a, b})) == std::vector<float>{1, 2, 3, -1, -2, -3});

  // a + b + c = (11.5, 22, 29, 5, 5, 5)
  CHECK(three(layers::Add()({a, b, c})) == std::vector<float>{11.5f, 22, 29, 5, 5, 5});
  // a * b * c = (5, 0, -360, -8, -20, -36)
  CHECK(three(layers::Multiply()({a, b, c})) == std::vector<float>{5, 0, -360, -8, -20, -36});
  // (a + b + c) / 3 = (11.5/3, 22/3, 29/3, 5/3, 5/3, 5/3)
  const std::vector<float> mean = three(layers::Average()({a, b, c}));
  const std::vector<float> want = {11.5f / 3, 22.0f / 3, 29.0f / 3, 5.0f / 3, 5.0f / 3, 5.0f / 3};
  for (std::size_t i = 0; i < want.size(); ++i) CHECK(mean[i] == Approx(want[i]));
  CHECK(three(layers::Maximum()({a, b, c})) == std::vector<float>{10, 20, 30, 4, 5, 6});
  CHECK(three(layers::Minimum()({a, b, c})) == std::vector<float>{0.5f, 0, -4, -1, -2, -3});
}

TEST_CASE("the function forms make the layer and call it", "[merge]") {
  auto a = layers::Input({2});
  auto b = layers::Input({2});
  const Tensor va = tensor({1, 2}, {1, 2});
  const Tensor vb = tensor({1, 2}, {3, 5});
  const auto check = [&](const KerasTensor& y, const std::string& class_name,
                         std::vector<float> expected) {
    INFO(class_name);
    CHECK(y.history().layer->class_name() == class_name);
    CHECK(run_both_phases({a, b}, y, {va, vb}) == expected);
  };
  check(layers::add({a, b}), "Add", {4, 7});
  check(layers::subtract({a, b}), "Subtract", {-2, -3});
  check(layers::multiply({a, b}), "Multiply", {3, 10});
  check(layers::average({a, b}), "Average", {2, 3.5f});
  check(layers::maximum({a, b}), "Maximum", {3, 5});
  check(layers::minimum({a, b}), "Minimum", {1, 2});
  check(layers::concatenate({a, b}), "Concatenate", {1, 2, 3, 5});
  check(layers::concatenate({a, b}, 0), "Concatenate", {1, 2, 3, 5});
  // 1*3 + 2*5 = 13
  check(layers::dot({a, b}, 1), "Dot", {13});
  // The keyword arguments of keras.layers.add(..., name=...).
  CHECK(layers::add({a, b}, {.name = "total"}).history().layer->name() == "total");
}

TEST_CASE("elementwise merges broadcast, lining up lower ranks after the batch axis", "[merge]") {
  auto x = layers::Input({2, 3});
  auto row = layers::Input({3});
  // (None, 3) is taken as (None, 1, 3), as Keras' Merge expands at axis 1.
  auto y = layers::Add()({x, row});
  CHECK(y.shape() == Shape({None, 2, 3}));
  CHECK(run_both_phases({x, row}, y, {ramp({1, 2, 3}), tensor({1, 3}, {10, 20, 30})}) ==
        std::vector<float>{11, 22, 33, 14, 25, 36});

  // (None, 3, 1) * (None, 3) -> (None, 1, 3) -> the outer product (None, 3, 3).
  auto column = layers::Input({3, 1});
  auto outer = layers::Multiply()({column, row});
  CHECK(outer.shape() == Shape({None, 3, 3}));
  CHECK(run_both_phases({column, row}, outer,
                        {tensor({1, 3, 1}, {1, 2, 3}), tensor({1, 3}, {1, 10, 100})}) ==
        std::vector<float>{1, 10, 100, 2, 20, 200, 3, 30, 300});

  // A size-1 axis repeats: max((2), (1, 2, 3, 4)) = (2, 2, 3, 4).
  auto one = layers::Input({1});
  auto four = layers::Input({4});
  auto clipped = layers::Maximum()({one, four});
  CHECK(clipped.shape() == Shape({None, 4}));
  CHECK(run_both_phases({one, four}, clipped, {tensor({1, 1}, {2}), ramp({1, 4})}) ==
        std::vector<float>{2, 2, 3, 4});
}

TEST_CASE("merge errors name the layer and every input shape", "[merge]") {
  auto a3 = layers::Input({3});
  auto b4 = layers::Input({4});
  auto c3 = layers::Input({3});
  CHECK_THROWS_WITH(layers::Add({.name = "plus"})({a3, b4}),
                    Contains("layer 'plus' (Add)") && Contains("(None, 3) and (None, 4)") &&
                        Contains("broadcast"));
  CHECK_THROWS_WITH(
      layers::Multiply({.name = "times"})({a3, c3, b4}),
      Contains("layer 'times' (Multiply)") && Contains("(None, 3), (None, 3) and (None, 4)"));
  // A merge of one tensor is a mistake, as in Keras.
  CHECK_THROWS_WITH(layers::Add({.name = "lonely"})(a3), Contains("layer 'lonely' (Add)") &&
                                                             Contains("at least 2") &&
                                                             Contains("(None, 3)"));
  CHECK_THROWS_WITH(layers::Subtract({.name = "minus"})({a3, c3, c3}),
                    Contains("layer 'minus' (Subtract)") && Contains("exactly 2"));
  auto batch2 = layers::Input({3}, {.batch_size = 2});
  auto batch4 = layers::Input({3}, {.batch_size = 4});
  CHECK_THROWS_WITH(layers::Average({.name = "mean"})({batch2, batch4}),
                    Contains("different batch sizes") && Contains("(2, 3) and (4, 3)"));

  // The shapes are checked at every call of a shared layer, not only the first.
  auto shared = layers::Maximum({.name = "shared_max"});
  CHECK(shared({a3, c3}).shape() == Shape({None, 3}));
  CHECK_THROWS_WITH(shared({a3, b4}),
                    Contains("layer 'shared_max' (Maximum)") && Contains("(None, 4)"));
}

TEST_CASE("Concatenate joins along its axis", "[merge]") {
  auto a = layers::Input({2});
  auto b = layers::Input({1});
  auto joined = layers::Concatenate()({a, b});
  CHECK(joined.shape() == Shape({None, 3}));
  // ((1, 2) | (5)) and ((3, 4) | (6))
  CHECK(run_both_phases({a, b}, joined, {tensor({2, 2}, {1, 2, 3, 4}), tensor({2, 1}, {5, 6})}) ==
        std::vector<float>{1, 2, 5, 3, 4, 6});

  auto x = layers::Input({1, 2});
  auto y = layers::Input({2, 2});
  auto z = layers::Input({1, 2});
  auto rows = layers::Concatenate(1)({x, y, z});
  CHECK(rows.shape() == Shape({None, 4, 2}));
  CHECK(run_both_phases({x, y, z}, rows,
                        {tensor({1, 1, 2}, {1, 2}), tensor({1, 2, 2}, {3, 4, 5, 6}),
                         tensor({1, 1, 2}, {7, 8})}) == std::vector<float>{1, 2, 3, 4, 5, 6, 7, 8});
  // -2 is axis 1 of a rank-3 input.
  CHECK(layers::Concatenate(-2)({x, y}).shape() == Shape({None, 3, 2}));

  CHECK_THROWS_WITH(layers::Concatenate(1, {.name = "cat"})({x, layers::Input({2, 3})}),
                    Contains("layer 'cat' (Concatenate)") &&
                        Contains("matching shapes except for the concatenation axis") &&
                        Contains("(None, 1, 2) and (None, 2, 3)"));
  CHECK_THROWS_WITH(layers::Concatenate(-1, {.name = "cat_rank"})({a, x}),
                    Contains("layer 'cat_rank' (Concatenate)") &&
                        Contains("(None, 2) and (None, 1, 2)") && Contains("ranks differ"));
  CHECK_THROWS_WITH(layers::Concatenate(3, {.name = "cat_axis"})({x, y}),
                    Contains("layer 'cat_axis' (Concatenate)") && Contains("axis 3") &&
                        Contains("(None, 1, 2) and (None, 2, 2)"));
}

TEST_CASE("Dot takes the batchwise dot product along its axes", "[merge]") {
  auto a = layers::Input({3});
  auto b = layers::Input({3});
  auto d = layers::Dot(1)({a, b});
  // A rank-1 result gets a unit axis, as in Keras.
  CHECK(d.shape() == Shape({None, 1}));
  // (1, 2, 3).(1, 0, -1) = -2; (4, 5, 6).(2, 2, 2) = 30
  CHECK(run_both_phases(
            {a, b}, d, {tensor({2, 3}, {1, 2, 3, 4, 5, 6}), tensor({2, 3}, {1, 0, -1, 2, 2, 2})}) ==
        std::vector<float>{-2, 30});

  // normalize: the cosine similarity. (3, 4).(4, 3) / 25 = 0.96; (1, 0).(0, 2) = 0;
  // a zero vector stays zero instead of giving NaN.
  auto p = layers::Input({2});
  auto q = layers::Input({2});
  auto cosine = layers::Dot(1, {.normalize = true})({p, q});
  const std::vector<float> cos = run_both_phases(
      {p, q}, cosine, {tensor({3, 2}, {3, 4, 1, 0, 0, 0}), tensor({3, 2}, {4, 3, 0, 2, 1, 0})});
  CHECK(cos[0] == Approx(0.96f));
  CHECK(cos[1] == 0.0f);
  CHECK(cos[2] == 0.0f);

  // axes (1, 1) on (None, 2, 2) and (None, 2, 3): x^T y per sample.
  // x^T = ((1, 3), (2, 4)); x^T y = ((1, 3, 1 + 6), (2, 4, 2 + 8))
  auto x = layers::Input({2, 2});
  auto y = layers::Input({2, 3});
  auto xty = layers::Dot({1, 1})({x, y});
  CHECK(xty.shape() == Shape({None, 2, 3}));
  CHECK(run_both_phases({x, y}, xty,
                        {tensor({1, 2, 2}, {1, 2, 3, 4}), tensor({1, 2, 3}, {1, 0, 1, 0, 1, 2})}) ==
        std::vector<float>{1, 3, 7, 2, 4, 10});

  // Rank 2 with rank 3: (1, 2, 3) . ((1, 0), (0, 1), (1, 1)) = (1 + 3, 2 + 3)
  auto m = layers::Input({3, 2});
  auto vm = layers::Dot({1, 1})({a, m});
  CHECK(vm.shape() == Shape({None, 2}));
  CHECK(run_both_phases({a, m}, vm,
                        {tensor({1, 3}, {1, 2, 3}), tensor({1, 3, 2}, {1, 0, 0, 1, 1, 1})}) ==
        std::vector<float>{4, 5});
  // Rank 3 with rank 2 and negative axes: ((1, 0, 0), (1, 1, 1)) . (2, 3, 4) = (2, 9)
  auto rows = layers::Input({2, 3});
  auto mv = layers::Dot(-1)({rows, a});
  CHECK(mv.shape() == Shape({None, 2}));
  CHECK(run_both_phases({rows, a}, mv,
                        {tensor({1, 2, 3}, {1, 0, 0, 1, 1, 1}), tensor({1, 3}, {2, 3, 4})}) ==
        std::vector<float>{2, 9});
}

TEST_CASE("Dot of inputs of rank above 3 sums over the named axes", "[merge]") {
  // out[b, i, j, l] = sum_k x[b, i, k] y[b, k, j, l], for x (2, 2, 3), y (2, 3, 2, 2).
  auto x = layers::Input({2, 3});
  auto y = layers::Input({3, 2, 2});
  auto out = layers::Dot({2, 1})({x, y});
  CHECK(out.shape() == Shape({None, 2, 2, 2}));
  const Tensor vx = ramp({2, 2, 3});
  const Tensor vy = ramp({2, 3, 2, 2}, -5);
  Tensor got = run(std::vector<KerasTensor>{x, y}, out, {vx, vy}, 0);
  for (std::int64_t b = 0; b < 2; ++b) {
    for (std::int64_t i = 0; i < 2; ++i) {
      for (std::int64_t j = 0; j < 2; ++j) {
        for (std::int64_t l = 0; l < 2; ++l) {
          float want = 0;
          for (std::int64_t k = 0; k < 3; ++k)
            want += vx.at<float>({b, i, k}) * vy.at<float>({b, k, j, l});
          CHECK(got.at<float>({b, i, j, l}) == want);
        }
      }
    }
  }

  // out[b, i, j, l] = sum_k u[b, i, k, j] w[b, l, k], for u (2, 2, 3, 2), w (2, 2, 3):
  // the reduced axis sits in the middle of both.
  auto u = layers::Input({2, 3, 2});
  auto w = layers::Input({2, 3});
  auto uw = layers::Dot({2, 2})({u, w});
  CHECK(uw.shape() == Shape({None, 2, 2, 2}));
  const Tensor vu = ramp({2, 2, 3, 2});
  const Tensor vw = ramp({2, 2, 3}, -3);
  got = run(std::vector<KerasTensor>{u, w}, uw, {vu, vw}, 1);
  for (std::int64_t b = 0; b < 2; ++b) {
    for (std::int64_t i = 0; i < 2; ++i) {
      for (std::int64_t j = 0; j < 2; ++j) {
        for (std::int64_t l = 0; l < 2; ++l) {
          float want = 0;
          for (std::int64_t k = 0; k < 3; ++k)
            want += vu.at<float>({b, i, k, j}) * vw.at<float>({b, l, k});
          CHECK(got.at<float>({b, i, j, l}) == want);
        }
      }
    }
  }
}

TEST_CASE("Dot errors name the layer, the axes and the input shapes", "[merge]") {
  auto a3 = layers::Input({3});
  auto b4 = layers::Input({4});
  CHECK_THROWS_WITH(layers::Dot(1, {.name = "sim"})({a3, b4}),
                    Contains("layer 'sim' (Dot)") && Contains("(None, 3) and (None, 4)") &&
                        Contains("size 3") && Contains("size 4"));
  CHECK_THROWS_WITH(layers::Dot(0, {.name = "over_batch"})({a3, a3}),
                    Contains("layer 'over_batch' (Dot)") && Contains("batch axis"));
  CHECK_THROWS_WITH(layers::Dot({1, 2}, {.name = "far"})({a3, a3}), Contains("layer 'far' (Dot)") &&
                                                                        Contains("axes=(1, 2)") &&
                                                                        Contains("out of range"));
  CHECK_THROWS_WITH(layers::Dot(1, {.name = "trio"})({a3, a3, a3}),
                    Contains("layer 'trio' (Dot)") && Contains("exactly 2"));
}

TEST_CASE("merge configs have Keras' keys and revive", "[merge]") {
  auto a = layers::Input({2, 3});
  auto b = layers::Input({2, 3});
  auto add = layers::Add({.name = "sum"});
  add({a, b});
  Config config = add.get_config();
  CHECK(config.at("name").as_string() == "sum");
  CHECK(config.as_dict().size() == 3);  // name, trainable, dtype
  CHECK(layers::from_config("Add", config).get_config() == config);

  auto cat = layers::Concatenate(1, {.name = "cat"});
  config = cat.get_config();
  CHECK(config.at("axis").as_int() == 1);
  CHECK(config.as_dict().back().first == "axis");
  CHECK(layers::from_config("Concatenate", config).get_config() == config);

  // An int stays an int; a pair is a list, as Keras writes its tuple.
  auto dot = layers::Dot(-1, {.normalize = true, .name = "cos"});
  config = dot.get_config();
  CHECK(config.at("axes") == Config(std::int64_t{-1}));
  CHECK(config.at("normalize").as_bool());
  CHECK(layers::Dot::from_config(config).get_config() == config);
  config = layers::Dot({2, 1}).get_config();
  CHECK(config.at("axes") == Config::ints({2, 1}));
  CHECK_FALSE(config.at("normalize").as_bool());
  CHECK(layers::Dot::from_config(config).get_config() == config);
}

TEST_CASE("merges match real Keras 3 on its fixtures", "[merge][fixtures]") {
  using Factory = std::function<layers::Layer(const Config&)>;
  const std::vector<std::pair<std::string, Factory>> cases = {
      {"add", [](const Config&) { return layers::Add(); }},
      {"add_three", [](const Config&) { return layers::Add(); }},
      {"subtract", [](const Config&) { return layers::Subtract(); }},
      {"multiply", [](const Config&) { return layers::Multiply(); }},
      {"average", [](const Config&) { return layers::Average(); }},
      {"maximum", [](const Config&) { return layers::Maximum(); }},
      {"minimum", [](const Config&) { return layers::Minimum(); }},
      {"concatenate_last", [](const Config&) { return layers::Concatenate(-1); }},
      {"concatenate_axis1", [](const Config&) { return layers::Concatenate(1); }},
      {"dot_axes1", [](const Config&) { return layers::Dot(1); }},
      {"dot_axes1_normalize", [](const Config&) { return layers::Dot(1, {.normalize = true}); }},
      {"dot_3d_axes_2_2",
       [](const Config&) {
         return layers::Dot({2, 2});
       }},
  };
  for (const auto& [name, make] : cases) {
    DYNAMIC_SECTION(name) {
      const Config& c = keras::testing::layer_case(name);
      // Fresh automatic names, as the fixture script resets Keras' counters.
      backend::clear_session();
      layers::Layer layer = make(c);
      std::vector<KerasTensor> inputs;
      for (const Shape& s : keras::testing::fixture_input_shapes(c))
        inputs.push_back(layers::Input(s));
      KerasTensor output = layer(inputs);
      CHECK(layer.get_config() == c.at("config"));
      std::vector<std::int64_t> shape = c.at("concrete_output_shape").as_ints();
      shape[0] = None;
      CHECK(output.shape() == Shape(shape));
      const std::vector<Tensor> feeds = keras::testing::fixture_inputs(c);
      keras::testing::require_close_to_fixture(run(inputs, output, feeds, 0),
                                               c.at("outputs").at("test"), name + " test");
      keras::testing::require_close_to_fixture(run(inputs, output, feeds, 1),
                                               c.at("outputs").at("train"), name + " train");
    }
  }
}
