#pragma once
// One case of fixtures/layers.json (see fixtures/README.md) by name, and its
// tensors: what real Keras 3 computed for one layer configuration.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "fixture_files.hpp"
#include "keras/tensor.hpp"

namespace keras::testing {

inline const serialize::Config& layer_case(const std::string& name) {
  static const serialize::Config cases = read_json_fixture("layers.json");
  for (const serialize::Config& c : cases.as_list()) {
    if (c.at("name").as_string() == name) return c;
  }
  FAIL("layers.json has no case named " << name);
  throw std::logic_error("unreachable");
}

// A flat row-major list of float32 values as a tensor of `shape`.
inline Tensor fixture_tensor(const std::vector<std::int64_t>& shape,
                             const serialize::Config& values) {
  std::vector<float> flat;
  for (const serialize::Config& v : values.as_list()) {
    flat.push_back(static_cast<float>(v.as_number()));
  }
  return Tensor(Shape(shape), flat);
}

// The case's inputs, batch included.
inline std::vector<Tensor> fixture_inputs(const serialize::Config& c) {
  std::vector<Tensor> out;
  const serialize::Config::List& shapes = c.at("input_shapes").as_list();
  for (std::size_t i = 0; i < shapes.size(); ++i) {
    out.push_back(fixture_tensor(shapes[i].as_ints(), c.at("inputs").as_list()[i]));
  }
  return out;
}

// The case's input shapes without the batch axis, for layers::Input.
inline std::vector<Shape> fixture_input_shapes(const serialize::Config& c) {
  std::vector<Shape> out;
  for (const serialize::Config& s : c.at("input_shapes").as_list()) {
    std::vector<std::int64_t> dims = s.as_ints();
    dims.erase(dims.begin());
    out.emplace_back(dims);
  }
  return out;
}

// The case's weights in get_weights() order.
inline std::vector<Tensor> fixture_weights(const serialize::Config& c) {
  std::vector<Tensor> out;
  for (const serialize::Config& w : c.at("weights").as_list()) {
    out.push_back(fixture_tensor(w.at("shape").as_ints(), w.at("values")));
  }
  return out;
}

// The project's float32 tolerance: |got - want| <= 1e-6 + 1e-5 |want|.
inline void require_close_to_fixture(const Tensor& got, const serialize::Config& want,
                                     const std::string& what) {
  const std::vector<float> values = got.to_vector<float>();
  const serialize::Config::List& expected = want.as_list();
  REQUIRE(values.size() == expected.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double e = expected[i].as_number();
    INFO(what << " element " << i << ": " << values[i] << " vs Keras' " << e);
    CHECK(std::abs(values[i] - e) <= 1e-6 + 1e-5 * std::abs(e));
  }
}

}  // namespace keras::testing
