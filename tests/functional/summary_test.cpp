// Model::summary() against the text real Keras 3.15 printed for the same
// models (fixtures/summary_*.txt, made by make_fixtures.py and
// make_summary_fixtures.py; every layer is named as in those scripts).
#include <catch2/catch.hpp>

#include <iostream>
#include <sstream>

#include <keras.hpp>

#include "fixture_files.hpp"
#include "reference_models.hpp"

namespace layers = keras::layers;
namespace models = keras::models;

namespace {

std::string summary_text(const models::Model& model) {
  std::string text;
  model.summary([&](const std::string& line) { text += line + "\n"; });
  return text;
}

void check_summary(const models::Model& model, const std::string& fixture) {
  const std::string expected = keras::testing::read_fixture(fixture);
  const std::string actual = summary_text(model);
  INFO(fixture << "\nexpected:\n" << expected << "actual:\n" << actual);
  CHECK(actual == expected);
}

}  // namespace

TEST_CASE("summary(mlp): the seed Sequential, no row for its input", "[summary]") {
  const models::Model model = keras::testing::reference_models::seed_mlp();
  // 784*800 + 800 = 628,000 and 800*10 + 10 = 8,010; 636,010 * 4 bytes = 2.43 MB.
  CHECK(model.count_params() == 636010);
  check_summary(model, "summary_mlp.txt");
}

TEST_CASE("summary(functional): a shared Dense lists both calls in Connected to", "[summary]") {
  check_summary(keras::testing::reference_models::two_input(), "summary_functional.txt");
}

TEST_CASE("summary(nested): a model called twice shows as one Functional row", "[summary]") {
  check_summary(keras::testing::reference_models::nested(), "summary_nested.txt");
}

TEST_CASE("summary(chain): a sequential-like functional model is 88 wide with its input",
          "[summary]") {
  auto x = layers::Input({16}, {.name = "features"});
  auto h = layers::Dense(32, {.activation = "relu", .name = "hidden"})(x);
  h = layers::Dropout(0.5, {.name = "drop"})(h);
  auto y = layers::Dense(3, {.name = "logits"})(h);
  check_summary(models::Model(x, y, "chain"), "summary_chain.txt");
}

TEST_CASE("summary(branches): layers in Keras' order, deepest first", "[summary]") {
  auto x = layers::Input({4}, {.name = "x"});
  auto short_path = layers::Dense(2, {.name = "short"})(x);
  auto a = layers::Dense(3, {.name = "a"})(x);
  auto b = layers::Dense(2, {.name = "b"})(a);
  auto out = layers::Add({.name = "sum"})({short_path, b});
  // Depths from the output: sum 0, short and b 1, a 2, x 3. Keras lists
  // x, a, then short before b (a walk from the output meets short first).
  check_summary(models::Model(x, out, "branches"), "summary_branches.txt");
}

TEST_CASE("summary(wide): long cells wrap or end in an ellipsis; frozen weights", "[summary]") {
  std::vector<keras::KerasTensor> inputs;
  for (int i = 0; i < 5; ++i) {
    inputs.push_back(layers::Input({3}, {.name = "input_number_" + std::to_string(i)}));
  }
  auto merged = layers::Concatenate(-1, {.name = "concatenate_everything"})(inputs);
  auto normed = layers::BatchNormalization({.name = "batch_norm"})(merged);
  auto frozen = layers::Dense(
      8, {.name = "a_really_long_layer_name_for_the_table", .trainable = false})(normed);
  auto out = layers::Dense(1, {.name = "out"})(frozen);
  models::Model model(inputs, {out}, "wide");
  // Trainable: gamma + beta 2*15 = 30, out 8 + 1 = 9 -> 39. Non-trainable:
  // moving mean + variance 30, frozen Dense 15*8 + 8 = 128 -> 158.
  check_summary(model, "summary_wide.txt");
}

TEST_CASE("summary(two_heads): a layer with two outputs shows a list of shapes", "[summary]") {
  auto inner_in = layers::Input({4}, {.name = "inner_in"});
  auto p = layers::Dense(2, {.name = "p"})(inner_in);
  auto q = layers::Dense(3, {.name = "q"})(inner_in);
  models::Model inner({inner_in}, {p, q}, "two_heads");
  auto x = layers::Input({4}, {.name = "x"});
  auto heads = inner.call_multi({x});
  auto merged = layers::Concatenate(-1, {.name = "concat"})(heads);
  auto out = layers::Dense(1, {.name = "out"})(merged);
  check_summary(models::Model(x, out, "outer_heads"), "summary_two_heads.txt");
}

TEST_CASE("summary(unbuilt): a Sequential without input shows ? and 0 (unbuilt)", "[summary]") {
  models::Sequential model({layers::Dense(4, {.name = "d1"}), layers::Dense(2, {.name = "d2"})},
                           "unbuilt");
  check_summary(model, "summary_unbuilt.txt");
}

TEST_CASE("summary(big): counts with several separators, sizes in MB", "[summary]") {
  models::Sequential model({}, "big");
  model.add(layers::Input({4096}));
  model.add(layers::Dense(4096, {.name = "big_1"}));
  model.add(layers::Dense(4096, {.name = "big_2"}));
  // 2 * (4096*4096 + 4096) = 33,562,624 params; * 4 bytes / 1024^2 = 128.03 MB.
  check_summary(model, "summary_big.txt");
}

TEST_CASE("summary(scalar): a rank-1 shape prints as (None)", "[summary]") {
  auto x = layers::Input(keras::Shape{}, {.name = "scalar"});
  auto y = layers::Activation("relu", {.name = "act"})(x);
  check_summary(models::Model(x, y, "scalar_model"), "summary_scalar.txt");
}

TEST_CASE("summary(last_call): a layer's shape is that of its last call", "[summary]") {
  auto proj = layers::Dense(4, {.name = "proj"});
  auto x = layers::Input({8}, {.name = "x"});
  models::Model model(x, proj(x), "first_use");
  // Called again after the model was made, on (None, 5, 8): Keras shows
  // (None, 5, 4) for proj. The output is kept so that the call stays known.
  auto later = proj(layers::Input({5, 8}, {.name = "later"}));
  check_summary(model, "summary_last_call.txt");
}

TEST_CASE("summary() prints to stdout without a print_fn", "[summary]") {
  auto x = layers::Input({16}, {.name = "features"});
  auto h = layers::Dense(32, {.activation = "relu", .name = "hidden"})(x);
  h = layers::Dropout(0.5, {.name = "drop"})(h);
  auto y = layers::Dense(3, {.name = "logits"})(h);
  models::Model model(x, y, "chain");
  std::ostringstream captured;
  {
    // Restores std::cout even if summary() throws.
    struct Redirect {
      std::streambuf* previous;
      ~Redirect() { std::cout.rdbuf(previous); }
    } redirect{std::cout.rdbuf(captured.rdbuf())};
    model.summary();
  }
  CHECK(captured.str() == keras::testing::read_fixture("summary_chain.txt"));
}
