#pragma once
// The reference models of fixtures/make_fixtures.py, built the same way and
// in the same order, so that their automatic names match Keras'. Each starts
// from backend::clear_session().
#include <keras.hpp>

namespace keras::testing::reference_models {

namespace layers = keras::layers;
namespace models = keras::models;
using keras::KerasTensor;

inline models::Model seed_mlp() {
  keras::backend::clear_session();
  models::Sequential model;
  model.add(layers::Input({784}));
  model.add(layers::Dense(800, {.activation = "relu"}));
  model.add(layers::Dense(10, {.activation = "softmax"}));
  return model;
}

inline models::Model two_input() {
  keras::backend::clear_session();
  auto a = layers::Input({8}, {.name = "input_a"});
  auto b = layers::Input({8}, {.name = "input_b"});
  auto shared = layers::Dense(4, {.activation = "relu", .name = "shared_dense"});
  auto merged = layers::Concatenate(-1, {.name = "concat"})({shared(a), shared(b)});
  auto out = layers::Dense(2, {.activation = "softmax", .name = "head"})(merged);
  return models::Model({a, b}, {out}, "two_input");
}

inline models::Model nested() {
  keras::backend::clear_session();
  auto inner_in = layers::Input({4}, {.name = "inner_input"});
  auto inner_out = layers::Dense(3, {.activation = "tanh", .name = "inner_dense"})(inner_in);
  models::Model inner(inner_in, inner_out, "inner");
  auto x1 = layers::Input({4}, {.name = "x1"});
  auto x2 = layers::Input({4}, {.name = "x2"});
  auto summed = layers::Add({.name = "add"})({inner(x1), inner(x2)});
  auto out = layers::Dense(1, {.name = "out_dense"})(summed);
  return models::Model({x1, x2}, {out}, "outer");
}

inline models::Model mixed() {
  keras::backend::clear_session();
  models::Sequential seq({}, "seq");
  seq.add(layers::Input({3}));
  seq.add(layers::Dense(2, {.name = "seq_dense"}));
  auto x = layers::Input({3}, {.name = "x"});
  auto shared = layers::Dense(3, {.name = "shared"});
  shared(layers::Input({3}, {.name = "elsewhere"}));
  auto h = shared(x);
  auto inner_in = layers::Input({3}, {.name = "inner_in"});
  models::Model inner(inner_in, layers::Dense(3, {.name = "inner_dense"})(inner_in), "inner");
  auto y = inner(h);
  return models::Model({x}, {seq(y), y}, "mixed");
}

inline models::Model masks() {
  keras::backend::clear_session();
  auto a = layers::Input({4}, {.name = "a"});
  auto b = layers::Input({4}, {.name = "b"});
  std::vector<KerasTensor> pair_in = {layers::Input({4}), layers::Input({4})};
  models::Model pair(pair_in, {layers::Add({.name = "pair_add"})(pair_in)}, "pair");
  auto h = layers::Dense(3, {.name = "d"})(pair({a, b}));
  h = layers::BatchNormalization({.name = "bn"})(h);
  h = layers::ReLU({.name = "relu"})(layers::Dropout(0.1, {.name = "drop"})(h));
  return models::Model({a, b}, {layers::Softmax(-1, {.name = "soft"})(h)}, "masks");
}

}  // namespace keras::testing::reference_models
