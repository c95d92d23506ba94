// Every layer case that real Keras 3 wrote into fixtures/layers.json: the
// layer revived from Keras' config gives Keras' config back, infers Keras'
// output shape and, with Keras' weights, computes Keras' outputs in test and
// train mode.
#include <catch2/catch.hpp>

#include <set>

#include <keras.hpp>

#include "fixture_files.hpp"

using keras::DType;
using keras::KerasTensor;
using keras::Shape;
using keras::Tensor;
using keras::serialize::Config;
namespace layers = keras::layers;

namespace {

// Layer classes of the fixtures that keras-cpp does not have yet (issue 3).
const std::set<std::string> kNotYetImplemented = {"ActivityRegularization"};
// Keras 3.15 activations keras-cpp lacks: sparsemax needs a sort.
const std::set<std::string> kMissingActivations = {"sparsemax"};

Tensor tensor_of(const Config& shape, const Config& values) {
  std::vector<double> flat;
  for (const Config& v : values.as_list()) flat.push_back(v.as_number());
  return Tensor(Shape(shape.as_ints()), flat).astype(DType::float32);
}

void require_close(const Tensor& got, const Config& want, const std::string& what) {
  std::vector<float> a = got.to_vector<float>();
  const Config::List& b = want.as_list();
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    const double expected = b[i].as_number();
    INFO(what << " element " << i << ": " << a[i] << " vs Keras' " << expected);
    CHECK(std::abs(a[i] - expected) <= 1e-6 + 1e-5 * std::abs(expected));
  }
}

}  // namespace

TEST_CASE("layers match real Keras 3 on its own fixtures", "[layers][fixtures]") {
  const Config cases = keras::testing::read_json_fixture("layers.json");
  int checked = 0;
  for (const Config& c : cases.as_list()) {
    const std::string& name = c.at("name").as_string();
    const std::string& class_name = c.at("class_name").as_string();
    if (kNotYetImplemented.count(class_name)) continue;
    const Config& config = c.at("config");
    if (config.contains("activation") &&
        kMissingActivations.count(config.at("activation").as_string())) {
      CHECK_THROWS_WITH(layers::from_config(class_name, config),
                        Catch::Matchers::Contains("unknown activation"));
      continue;
    }
    DYNAMIC_SECTION(name) {
      layers::Layer layer = layers::from_config(class_name, config);
      std::vector<KerasTensor> inputs;
      std::vector<Tensor> feeds;
      const Config::List& shapes = c.at("input_shapes").as_list();
      for (std::size_t i = 0; i < shapes.size(); ++i) {
        std::vector<std::int64_t> dims = shapes[i].as_ints();
        dims.erase(dims.begin());
        inputs.push_back(layers::Input(Shape(dims)));
        feeds.push_back(tensor_of(shapes[i], c.at("inputs").as_list()[i]));
      }
      KerasTensor output = inputs.size() == 1 ? layer(inputs[0]) : layer(inputs);
      CHECK(layer.get_config() == config);

      std::vector<std::int64_t> concrete = c.at("concrete_output_shape").as_ints();
      concrete[0] = Shape::kUnknown;
      CHECK(output.shape() == Shape(concrete));

      std::vector<Tensor> weights;
      for (const Config& w : c.at("weights").as_list()) {
        weights.push_back(tensor_of(w.at("shape"), w.at("values")));
      }
      layer.set_weights(weights);
      std::vector<KerasTensor> probe_inputs = inputs;
      probe_inputs.emplace_back(keras::backend::learning_phase());
      auto probe = keras::backend::function(probe_inputs, {output});
      std::vector<Tensor> test_feeds = feeds;
      test_feeds.push_back(Tensor::scalar(0));
      require_close(probe(test_feeds)[0], c.at("outputs").at("test"), name + " (test mode)");
      const Config& train = c.at("outputs").at("train");
      if (!train.is_null()) {
        std::vector<Tensor> train_feeds = feeds;
        train_feeds.push_back(Tensor::scalar(1));
        require_close(probe(train_feeds)[0], train, name + " (train mode)");
      }
    }
    ++checked;
  }
  CHECK(checked >= 60);
}
