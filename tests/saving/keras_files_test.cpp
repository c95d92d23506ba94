// Every file real Keras wrote for the fixture models, in every format its
// generation has, loads and computes what that Keras computed: the outputs
// and every layer's output on the same inputs.
#include <catch2/catch.hpp>

#include <algorithm>

#include "keras/backend/symbolic_function.hpp"
#include "keras/models/model.hpp"
#include "saving_fixtures.hpp"

using namespace keras;
using keras::testing::fixture_tensor;
using keras::testing::require_close_to;
using keras::testing::saving_fixture;
using keras::testing::saving_json;

namespace {

const std::vector<std::string> kModels = {"pima",       "mnist_sigmoid",    "mnist_relu",
                                          "bn_dropout", "shared_two_input", "nested_twice",
                                          "two_output"};

// How a generation's files are loaded: a whole-model file, or a config
// beside a weights file.
struct FileKind {
  const char* model;    // suffix of the model or config file
  const char* weights;  // suffix of the weights file; nullptr for a whole model
};

struct Generation {
  const char* folder;
  std::vector<std::string> models;
  std::vector<FileKind> kinds;
};

const std::vector<Generation>& generations() {
  const FileKind h5{".h5", nullptr};
  const FileKind json_legacy{".json", "_weights.h5"};
  const FileKind yaml_legacy{".yaml", "_weights.h5"};
  static const std::vector<Generation> all = {
      {"k3", kModels, {{".keras", nullptr}, h5, {".json", ".weights.h5"}}},
      {"tfk2", kModels, {h5, {".keras", nullptr}, json_legacy, yaml_legacy}},
      // tf.keras 2.5's own to_yaml (!!python/tuple, SharedObjectConfig,
      // ListWrapper), and the same without the Python tags.
      {"tf25", kModels, {h5, json_legacy, yaml_legacy, {".plain.yaml", "_weights.h5"}}},
      {"k23", {"pima", "bn_dropout", "two_output"}, {h5, json_legacy, yaml_legacy}},
      {"k2", kModels, {h5, json_legacy, yaml_legacy}},
      // Keras 1.2.2 on Theano: Merge layers, output_dim/init, running_std.
      {"k1", kModels, {h5, json_legacy, yaml_legacy}},
      // One full-width file: MNIST 784-800-10.
      {"k2", {"mnist_full"}, {h5}},
  };
  return all;
}

models::Model load(const std::string& stem, const FileKind& kind) {
  const std::string model_file = saving_fixture(stem + kind.model);
  if (kind.weights == nullptr) return models::load_model(model_file);
  const std::string text = serialize::read_file(model_file);
  const bool yaml = std::string_view(kind.model).ends_with(".yaml");
  models::Model model = yaml ? models::model_from_yaml(text) : models::model_from_json(text);
  model.load_weights(saving_fixture(stem + kind.weights));
  return model;
}

// "functional#1" (Keras' output of a layer's second call) is "functional@1" here.
std::string layer_path(const std::string& key) {
  const auto hash = key.find('#');
  if (hash == std::string::npos) return key;
  const std::string call = key.substr(hash + 1);
  return call == "0" ? key.substr(0, hash) : key.substr(0, hash) + "@" + call;
}

// A large tensor is kept in the fixture as a summary: count, sum, sum of
// squares, min, max and its first values.
void require_matches_summary(const Tensor& got, const serialize::Config& summary) {
  const std::vector<double> values = got.to_vector<double>();
  REQUIRE(static_cast<std::int64_t>(values.size()) == summary.at("count").as_int());
  double sum = 0, sum_sq = 0;
  for (double v : values) {
    sum += v;
    sum_sq += v * v;
  }
  const auto close = [](double a, double b) {
    return std::abs(a - b) <= 1e-4 * std::abs(b) + 1e-3;
  };
  CHECK(close(sum, summary.at("sum").as_number()));
  CHECK(close(sum_sq, summary.at("sum_sq").as_number()));
  CHECK(close(*std::min_element(values.begin(), values.end()), summary.at("min").as_number()));
  CHECK(close(*std::max_element(values.begin(), values.end()), summary.at("max").as_number()));
  const auto& head = summary.at("head").as_list();
  for (std::size_t i = 0; i < head.size(); ++i) {
    CHECK(std::abs(values[i] - head[i].as_number()) <= 1e-6 + 1e-4 * std::abs(head[i].as_number()));
  }
}

void require_matches(const Tensor& got, const serialize::Config& want) {
  if (want.contains("summary")) {
    REQUIRE(got.shape() == Shape(want.at("shape").as_ints()));
    require_matches_summary(got, want.at("summary"));
  } else {
    // The first Dense of the MNIST models sums 784 products: DESIGN.md's
    // rule for long reductions.
    require_close_to(got, fixture_tensor(want), 1e-4);
  }
}

void check_model(const models::Model& model, const serialize::Config& expected) {
  std::vector<Tensor> inputs;
  for (const auto& input : expected.at("inputs").as_list()) inputs.push_back(fixture_tensor(input));
  const std::vector<Tensor> outputs = model.predict(inputs);
  const auto& want = expected.at("outputs").as_list();
  REQUIRE(outputs.size() == want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    INFO("output " << i);
    require_matches(outputs[i], want[i]);
  }
  for (const auto& [name, value] : expected.at("layers").as_dict()) {
    INFO("layer " << name);
    std::vector<KerasTensor> probe_inputs = model.inputs();
    probe_inputs.emplace_back(backend::learning_phase());
    auto probe = backend::function(probe_inputs, {model.get_layer_output(layer_path(name))});
    std::vector<Tensor> feeds = inputs;
    feeds.push_back(Tensor::scalar(0));  // test mode, as Keras' predict
    require_matches(probe(feeds)[0], value);
  }
}

}  // namespace

TEST_CASE("files written by real Keras load and compute what that Keras computed") {
  for (const Generation& generation : generations()) {
    for (const std::string& name : generation.models) {
      const std::string stem = std::string(generation.folder) + "/" + name;
      const serialize::Config expected = saving_json(stem + ".expected.json");
      for (const FileKind& kind : generation.kinds) {
        INFO(stem << kind.model << (kind.weights ? std::string(" + ") + kind.weights : ""));
        check_model(load(stem, kind), expected);
      }
    }
  }
}
