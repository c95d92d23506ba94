#pragma once
// Checks shared by the layer tests of core_layers_test.cpp,
// activation_layers_test.cpp and noise_test.cpp: running a layer's output in
// either learning phase, and comparing a layer with real Keras' fixture
// (fixtures/layers.json).
#include <catch2/catch.hpp>

#include <functional>
#include <string>
#include <vector>

#include <keras.hpp>

#include "fixture_layer_cases.hpp"

namespace keras::testing {

// `output` computed by backend::function({inputs..., learning_phase}, {output})
// with the phase fed as 0 (test) or 1 (train).
inline Tensor run_phase(const std::vector<KerasTensor>& inputs, const KerasTensor& output,
                        std::vector<Tensor> feeds, int phase) {
  std::vector<KerasTensor> function_inputs = inputs;
  function_inputs.emplace_back(backend::learning_phase());
  feeds.push_back(Tensor::scalar(phase));
  auto f = backend::function(function_inputs, {output});
  return f(feeds)[0];
}

// For layers that act the same in both phases: the values, checked equal.
inline std::vector<float> run_both_phases(const KerasTensor& input, const KerasTensor& output,
                                          const Tensor& feed) {
  const Tensor test_mode = run_phase({input}, output, {feed}, 0);
  const Tensor train_mode = run_phase({input}, output, {feed}, 1);
  CHECK(test_mode.shape() == train_mode.shape());
  CHECK(test_mode.to_vector<float>() == train_mode.to_vector<float>());
  return test_mode.to_vector<float>();
}

// 1, 2, 3, ... in `shape` (row-major): easy to follow through reshapes.
inline Tensor counting(const Shape& shape) {
  std::vector<float> values(static_cast<std::size_t>(shape.num_elements()));
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = static_cast<float>(i + 1);
  return Tensor(shape, values);
}

inline void require_values(const std::vector<float>& got, const std::vector<float>& want,
                           double rtol = 1e-5, double atol = 1e-6) {
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    INFO("element " << i << ": " << got[i] << " vs " << want[i]);
    CHECK(std::abs(got[i] - want[i]) <= atol + rtol * std::abs(want[i]));
  }
}

// The fixture case `case_name`: the layer revived by `from_config` from
// Keras' config gives that config back, infers Keras' output shape and, with
// Keras' weights and inputs, computes Keras' outputs in test mode and (when
// Keras' training mode is not random) in train mode.
inline void check_against_fixture(
    const std::string& case_name,
    const std::function<layers::Layer(const serialize::Config&)>& from_config) {
  INFO("fixture case " << case_name);
  const serialize::Config& c = layer_case(case_name);
  layers::Layer layer = from_config(c.at("config"));
  const KerasTensor input = layers::Input(fixture_input_shapes(c).at(0));
  const KerasTensor output = layer(input);
  CHECK(layer.get_config() == c.at("config"));
  std::vector<std::int64_t> expected_shape;
  for (const serialize::Config& d : c.at("output_shape").as_list()) {
    expected_shape.push_back(d.is_null() ? Shape::kUnknown : d.as_int());
  }
  CHECK(output.shape() == Shape(expected_shape));
  layer.set_weights(fixture_weights(c));
  const Tensor feed = fixture_inputs(c).at(0);
  const Tensor test_mode = run_phase({input}, output, {feed}, 0);
  CHECK(test_mode.shape().dims() == c.at("concrete_output_shape").as_ints());
  require_close_to_fixture(test_mode, c.at("outputs").at("test"), case_name + " (test mode)");
  const serialize::Config& train = c.at("outputs").at("train");
  if (!train.is_null()) {
    require_close_to_fixture(run_phase({input}, output, {feed}, 1), train,
                             case_name + " (train mode)");
  }
}

}  // namespace keras::testing
