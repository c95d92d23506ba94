#include <catch2/catch.hpp>

#include <keras.hpp>

#include "fixture_files.hpp"

namespace layers = keras::layers;
namespace models = keras::models;

namespace {
std::string summary_text(const models::Model& model) {
  std::string text;
  model.summary([&](const std::string& line) { text += line + "\n"; });
  return text;
}
}  // namespace

TEST_CASE("summary() of the seed model matches Keras' table line for line", "[summary]") {
  keras::backend::clear_session();
  models::Sequential model;
  model.add(layers::Input({784}));
  model.add(layers::Dense(800, {.activation = "relu"}));
  model.add(layers::Dense(10, {.activation = "softmax"}));
  CHECK(model.count_params() == 636010);
  CHECK(summary_text(model) == keras::testing::read_fixture("summary_mlp.txt"));
}

TEST_CASE("summary() of a two-input model shows what each layer is connected to", "[summary]") {
  auto input_a = layers::Input({8}, {.name = "input_a"});
  auto input_b = layers::Input({8}, {.name = "input_b"});
  auto shared = layers::Dense(4, {.activation = "relu", .name = "shared_dense"});
  auto merged = layers::Concatenate(-1, {.name = "concat"})({shared(input_a), shared(input_b)});
  auto output = layers::Dense(2, {.activation = "softmax", .name = "head"})(merged);
  models::Model model({input_a, input_b}, {output}, "two_input");
  CHECK(summary_text(model) == keras::testing::read_fixture("summary_functional.txt"));
}

TEST_CASE("summary() of a model holding a model called twice", "[summary]") {
  auto inner_in = layers::Input({4}, {.name = "inner_input"});
  auto inner_out = layers::Dense(3, {.activation = "tanh", .name = "inner_dense"})(inner_in);
  models::Model inner(inner_in, inner_out, "inner");
  auto x1 = layers::Input({4}, {.name = "x1"});
  auto x2 = layers::Input({4}, {.name = "x2"});
  auto summed = layers::Add({.name = "add"})({inner(x1), inner(x2)});
  auto output = layers::Dense(1, {.name = "out_dense"})(summed);
  models::Model model({x1, x2}, {output}, "outer");
  CHECK(summary_text(model) == keras::testing::read_fixture("summary_nested.txt"));
}
