// Models' Keras 3 configs: the same models built here give exactly the
// config real Keras 3.15.1 wrote (fixtures/model_configs.json), and a model
// revived from Keras' config connects its layers as Keras' did.
#include <catch2/catch.hpp>

#include <keras.hpp>

#include "fixture_files.hpp"
#include "reference_models.hpp"

using Catch::Matchers::Contains;
using keras::KerasTensor;
using keras::Shape;
using keras::Tensor;
using keras::serialize::Config;
using namespace keras::testing::reference_models;
namespace layers = keras::layers;
namespace models = keras::models;

namespace {

const Config& fixture(const std::string& name) {
  static const Config configs = keras::testing::read_json_fixture("model_configs.json");
  return configs.at(name);
}

// Where two config trees first differ, as a path: "layers[2].config.units".
std::string first_difference(const Config& got, const Config& want, const std::string& path) {
  if (got.is_dict() && want.is_dict()) {
    const auto& a = got.as_dict();
    const auto& b = want.as_dict();
    for (std::size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
      if (i >= a.size() || i >= b.size() || a[i].first != b[i].first) {
        return fmt::format("{}: keys {} vs Keras' {}", path, i < a.size() ? a[i].first : "(end)",
                           i < b.size() ? b[i].first : "(end)");
      }
      std::string d = first_difference(a[i].second, b[i].second, path + "." + a[i].first);
      if (!d.empty()) return d;
    }
    return "";
  }
  if (got.is_list() && want.is_list() && got.size() == want.size()) {
    for (std::size_t i = 0; i < got.size(); ++i) {
      std::string d =
          first_difference(got.as_list()[i], want.as_list()[i], fmt::format("{}[{}]", path, i));
      if (!d.empty()) return d;
    }
    return "";
  }
  return got == want ? "" : fmt::format("{}: {} vs Keras' {}", path, got.to_json(), want.to_json());
}

void require_same_config(const Config& got, const Config& want) {
  const std::string difference = first_difference(got, want, "config");
  INFO(difference);
  CHECK(difference.empty());
}

std::vector<Tensor> ramp_inputs(const models::Model& model, std::int64_t batch) {
  std::vector<Tensor> out;
  for (const KerasTensor& t : model.inputs()) {
    std::vector<std::int64_t> dims = t.shape().dims();
    dims[0] = batch;
    std::vector<float> values(static_cast<std::size_t>(Shape(dims).num_elements()));
    for (std::size_t i = 0; i < values.size(); ++i) values[i] = std::sin(0.37f * float(i));
    out.emplace_back(Shape(dims), values);
  }
  return out;
}

// The models of model_configs.json, by fixture key.
const std::vector<std::pair<const char*, models::Model (*)()>> kReferenceModels = {
    {"sequential_mlp", seed_mlp},
    {"two_input", two_input},
    {"nested", nested},
    {"mixed", mixed},
    {"masks", masks}};

}  // namespace

TEST_CASE("models give Keras 3's configs", "[models][config][fixtures]") {
  for (const auto& [name, build] : kReferenceModels) {
    INFO("model " << name);
    const models::Model model = build();
    const Config& want = fixture(name);
    CHECK(model.impl().class_name() == want.at("class_name").as_string());
    require_same_config(model.get_config(), want.at("config"));
  }
}

TEST_CASE("models revived from Keras' configs connect and compute as the originals",
          "[models][config][fixtures]") {
  for (const auto& [name, build] : kReferenceModels) {
    INFO("model " << name);
    const models::Model original = build();
    const models::Model revived = models::model_from_config(fixture(name));
    require_same_config(revived.get_config(), fixture(name).at("config"));
    CHECK(revived.count_params() == original.count_params());
    // New layers, new weights: with the original's, the same outputs.
    revived.set_weights(original.get_weights());
    const std::vector<Tensor> x = ramp_inputs(original, 3);
    const std::vector<Tensor> want = original.predict(x);
    const std::vector<Tensor> got = revived.predict(x);
    REQUIRE(got.size() == want.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
      CHECK(got[i].to_vector<float>() == want[i].to_vector<float>());
    }
  }
  // A shared layer stays shared: one kernel for both calls.
  const models::Model revived = models::model_from_config(fixture("two_input"));
  CHECK(revived.get_layer("shared_dense").impl().inbound_nodes().size() == 2);
  CHECK(revived.weights().size() == 4);
}

TEST_CASE("revival keeps each layer's trainable flag, as Keras 3 does", "[models][config]") {
  keras::backend::clear_session();
  auto x = layers::Input({3});
  auto frozen = layers::Dense(2, {.name = "frozen", .trainable = false});
  models::Model model(x, layers::Dense(2, {.name = "free"})(frozen(x)));
  const models::Model revived = models::model_from_config(Config::from_json(
      R"({"class_name": "Functional", "config": )" + model.get_config().to_json() + "}"));
  CHECK_FALSE(revived.get_layer("frozen").trainable());
  CHECK(revived.get_layer("free").trainable());
  CHECK(revived.trainable_weights().size() == 2);
  // A frozen model whose layers' configs say trainable: only the model's flag.
  Config config = model.get_config();
  config["trainable"] = false;
  Config wrapped = Config::dict();
  wrapped["class_name"] = "Functional";
  wrapped["config"] = config;
  const models::Model frozen_model = models::model_from_config(wrapped);
  CHECK_FALSE(frozen_model.trainable());
  CHECK(frozen_model.get_layer("free").trainable());
  CHECK(frozen_model.trainable_weights().empty());
}

TEST_CASE("to_json writes Keras' text, and model_from_json reads it", "[models][config]") {
  for (const auto& [name, build] : kReferenceModels) {
    INFO("model " << name);
    const models::Model model = build();
    const std::string& keras_text = fixture("to_json").at(name).as_string();
    CHECK(model.to_json() == keras_text);
    CHECK(models::model_from_json(keras_text).to_json() == keras_text);
  }
}

TEST_CASE("layers serialize as Keras' layers.serialize", "[models][config]") {
  keras::backend::clear_session();
  auto dense = layers::Dense(2, {.kernel_regularizer = "l2"});
  Config unbuilt = layers::serialize(dense);
  CHECK(unbuilt.at("module").as_string() == "keras.layers");
  CHECK(unbuilt.at("registered_name").is_null());
  CHECK_FALSE(unbuilt.contains("build_config"));
  dense(layers::Input({5}));
  const Config built = layers::serialize(dense);
  CHECK(built.at("build_config").to_json() == R"({"input_shape": [null, 5]})");
  const layers::Layer copy = layers::deserialize(built);
  CHECK(copy.get_config() == dense.get_config());
  CHECK(copy.class_name() == "Dense");
}

TEST_CASE("bad model configs are refused with what is wrong", "[models][config][errors]") {
  Config config = fixture("two_input");
  CHECK_THROWS_WITH(models::model_from_config(Config::dict()), Contains("class_name"));
  Config not_a_model = Config::dict();
  not_a_model["class_name"] = "Dense";
  not_a_model["config"] = Config::dict();
  CHECK_THROWS_WITH(models::model_from_config(not_a_model), Contains("'Dense' is not a model"));

  Config dangling = config;
  dangling["config"]["output_layers"] = Config::list();
  dangling["config"]["output_layers"].push_back("nowhere");
  dangling["config"]["output_layers"].push_back(0);
  dangling["config"]["output_layers"].push_back(0);
  CHECK_THROWS_WITH(models::model_from_config(dangling), Contains("'nowhere'"));

  Config bad_history = config;
  Config layers_list = Config::list();
  for (Config layer : config.at("config").at("layers").as_list()) {
    if (layer.at("name").as_string() == "head") {
      layer["inbound_nodes"].as_list();  // one call
      Config node = Config::dict();
      node["args"] = Config::list();
      node["kwargs"] = Config::dict();
      Config calls = Config::list();
      calls.push_back(node);
      layer["inbound_nodes"] = calls;
    }
    layers_list.push_back(layer);
  }
  bad_history["config"]["layers"] = layers_list;
  CHECK_THROWS_WITH(models::model_from_config(bad_history),
                    Contains("layer 'head'") && Contains("no tensor arguments"));
  Config bad_ref = config;
  bad_ref["config"]["output_layers"] = Config::list();
  bad_ref["config"]["output_layers"].push_back("head");
  CHECK_THROWS_WITH(models::model_from_config(bad_ref),
                    Contains("[layer name, node index, tensor index]"));

  Config unknown = config;
  unknown["config"]["layers"] = Config::list();
  Config layer = config.at("config").at("layers").as_list()[2];
  layer["class_name"] = "Dense3D";
  unknown["config"]["layers"].push_back(layer);
  CHECK_THROWS_WITH(models::model_from_config(unknown),
                    Contains("unknown layer class 'Dense3D'") && Contains("register_layer"));
}
