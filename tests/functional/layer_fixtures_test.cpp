// Every layer case that real Keras 3 wrote into fixtures/layers.json: the
// layer revived from Keras' config gives Keras' config back, infers Keras'
// output shape and, with Keras' weights, computes Keras' outputs in test and
// train mode.
#include <catch2/catch.hpp>

#include <set>

#include <keras.hpp>

#include "fixture_layer_cases.hpp"

using keras::DType;
using keras::KerasTensor;
using keras::Shape;
using keras::Tensor;
using keras::serialize::Config;
namespace layers = keras::layers;

namespace {

// Keras 3.15 activations keras-cpp lacks: sparsemax needs a sort.
const std::set<std::string> kMissingActivations = {"sparsemax"};

}  // namespace

TEST_CASE("layers match real Keras 3 on its own fixtures", "[layers][fixtures]") {
  const Config cases = keras::testing::read_json_fixture("layers.json");
  int checked = 0;
  for (const Config& c : cases.as_list()) {
    const std::string& name = c.at("name").as_string();
    const std::string& class_name = c.at("class_name").as_string();
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
      for (const Shape& shape : keras::testing::fixture_input_shapes(c)) {
        inputs.push_back(layers::Input(shape));
      }
      const std::vector<Tensor> feeds = keras::testing::fixture_inputs(c);
      KerasTensor output = inputs.size() == 1 ? layer(inputs[0]) : layer(inputs);
      CHECK(layer.get_config() == config);

      std::vector<std::int64_t> concrete = c.at("concrete_output_shape").as_ints();
      concrete[0] = Shape::kUnknown;
      CHECK(output.shape() == Shape(concrete));

      layer.set_weights(keras::testing::fixture_weights(c));
      std::vector<KerasTensor> probe_inputs = inputs;
      probe_inputs.emplace_back(keras::backend::learning_phase());
      auto probe = keras::backend::function(probe_inputs, {output});
      std::vector<Tensor> test_feeds = feeds;
      test_feeds.push_back(Tensor::scalar(0));
      keras::testing::require_close_to_fixture(probe(test_feeds)[0], c.at("outputs").at("test"),
                                               name + " (test mode)");
      const Config& train = c.at("outputs").at("train");
      if (!train.is_null()) {
        std::vector<Tensor> train_feeds = feeds;
        train_feeds.push_back(Tensor::scalar(1));
        keras::testing::require_close_to_fixture(probe(train_feeds)[0], train,
                                                 name + " (train mode)");
      }
    }
    ++checked;
  }
  CHECK(checked >= 60);
}
