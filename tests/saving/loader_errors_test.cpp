// Bad input to the loaders and savers: each a keras::Error saying what and
// where, nothing of the model or of an existing file changed.
#include <catch2/catch.hpp>

#include <filesystem>

#include "functional/reference_models.hpp"
#include "keras/serialize/files.hpp"
#include "keras/serialize/zip_archive.hpp"
#include "saving_fixtures.hpp"

using namespace keras;
using keras::testing::saving_fixture;
using keras::testing::TempDir;
namespace reference_models = keras::testing::reference_models;

namespace {

// A two-layer functional config (Keras 3) whose second call is `call`.
std::string functional_json(const std::string& call_source) {
  return fmt::format(R"({{"class_name": "Functional", "config": {{"name": "m", "layers": [
    {{"class_name": "InputLayer", "name": "x", "config": {{"batch_shape": [null, 3], "name": "x"}},
      "inbound_nodes": []}},
    {{"class_name": "Dense", "name": "d", "config": {{"units": 2, "name": "d"}},
      "inbound_nodes": [{{"args": [{{"class_name": "__keras_tensor__",
        "config": {{"keras_history": ["{}", 0, 0]}}}}], "kwargs": {{}}}}]}}],
    "input_layers": ["x", 0, 0], "output_layers": ["d", 0, 0]}}}})",
                     call_source);
}

}  // namespace

TEST_CASE("malformed configs name what is wrong") {
  REQUIRE_THROWS_WITH(models::model_from_json("{\"class_name\": \"Sequential\""),
                      Catch::Contains("JSON"));
  REQUIRE_THROWS_WITH(models::model_from_json("{\"class_name\": \"Sequential\"}"),
                      Catch::Contains("\"class_name\" and \"config\""));
  REQUIRE_THROWS_WITH(models::model_from_json(functional_json("ghost")),
                      Catch::Contains("refers to a layer 'ghost' that it does not define"));
  // The Dense waits on its own output: a cycle.
  REQUIRE_THROWS_WITH(models::model_from_json(functional_json("d")),
                      Catch::Contains("never makes the inputs of a call of layer 'd'"));
  REQUIRE_THROWS_WITH(
      models::model_from_json(
          R"({"class_name": "Sequential", "config": {"name": "s", "layers": [
          {"class_name": "Lambda", "config": {"name": "scale", "function": ["4wEAAA==", null, null],
           "function_type": "lambda"}}]}, "keras_version": "2.3.1"})"),
      Catch::Contains("layer 'scale' is a Lambda layer: its function is Python code"));
  REQUIRE_THROWS_WITH(
      models::model_from_json(
          R"({"class_name": "Sequential", "config": [{"class_name": "Conv9D", "config": {}}]})"),
      Catch::Contains("unknown layer class 'Conv9D'") && Catch::Contains("Dense"));
  REQUIRE_THROWS_WITH(
      models::model_from_json(R"({"module": "my_app", "class_name": "MyNet", "config": {}})"),
      Catch::Contains("'MyNet' is not a model class keras-cpp knows"));
  // A mistyped field: the message leads to the layer, inside its nested model.
  REQUIRE_THROWS_WITH(
      models::model_from_json(
          R"({"class_name": "Sequential", "config": {"name": "outer", "layers": [
          {"class_name": "Sequential", "config": {"name": "inner", "layers": [
            {"class_name": "InputLayer", "config": {"batch_shape": [null, 3]}},
            {"class_name": "Dense", "config": {"name": "wide", "units": "twelve"}}]}}]}})"),
      Catch::Contains("Sequential layer 'inner': Dense layer 'wide': ") &&
          Catch::Contains("expected an int, got string"));
  REQUIRE_THROWS_WITH(
      models::model_from_yaml("class_name: Sequential\nconfig: !!python/object/apply:os.system\n"
                              "- echo owned\n"),
      Catch::Contains("!!python/object/apply:os.system"));
  REQUIRE_THROWS_WITH(
      models::model_from_yaml("class_name: Sequential\nconfig: {}\nclass_name: Model\n"),
      Catch::Contains("duplicate key 'class_name'"));
}

TEST_CASE("files that are not what the loader needs are refused by content") {
  const TempDir dir;
  serialize::write_file_atomically(dir / "notes.h5", "just some text");
  REQUIRE_THROWS_WITH(models::load_model(dir / "notes.h5"), Catch::Contains("is not an HDF5 file"));
  REQUIRE_THROWS_WITH(models::load_model(dir / "missing.keras"),
                      Catch::Contains("cannot open '" + (dir / "missing.keras") + "'"));
  const models::Model model = reference_models::two_input();
  model.save_weights(dir / "w.h5");
  REQUIRE_THROWS_WITH(models::load_model(dir / "w.h5"),
                      Catch::Contains("holds no model config (it is a weights-only file)"));
  // A .keras archive without its weights member.
  serialize::ZipWriter hollow(dir / "hollow.keras");
  hollow.add("metadata.json", "{\"keras_version\": \"3.15.1\"}");
  hollow.add("config.json", model.to_json());
  hollow.close();
  REQUIRE_THROWS_WITH(models::load_model(dir / "hollow.keras"),
                      Catch::Contains("is a zip file without 'model.weights.h5'"));
  REQUIRE_THROWS_WITH(models::load_model(saving_fixture("k3/pima.weights.h5")),
                      Catch::Contains("holds no model config"));
}

TEST_CASE("load_weights checks every layer before changing any") {
  const TempDir dir;
  const models::Model source = reference_models::two_input();
  source.save_weights(dir / "two_input_weights.h5");
  source.save_weights(dir / "two_input.weights.h5");

  // The same architecture with a wider head: shapes differ in one layer.
  backend::clear_session();
  auto a = layers::Input({8}, {.name = "input_a"});
  auto b = layers::Input({8}, {.name = "input_b"});
  auto shared = layers::Dense(4, {.activation = "relu", .name = "shared_dense"});
  auto merged = layers::Concatenate(-1, {.name = "concat"})({shared(a), shared(b)});
  auto out = layers::Dense(3, {.name = "head"})(merged);
  const models::Model wider({a, b}, {out});
  for (const char* file : {"two_input_weights.h5", "two_input.weights.h5"}) {
    INFO(file);
    const std::vector<Tensor> before = wider.get_weights();
    REQUIRE_THROWS_WITH(
        wider.load_weights(dir / file),
        Catch::Contains("has shape (8, 3) but the file") && Catch::Contains("skip_mismatch"));
    for (std::size_t i = 0; i < before.size(); ++i) {
      CHECK(wider.get_weights()[i].to_vector<float>() == before[i].to_vector<float>());
    }
    const models::LoadReport report = wider.load_weights(dir / file, {.skip_mismatch = true});
    CHECK(report.loaded == std::vector<std::string>{"shared_dense"});
    REQUIRE(report.skipped.size() == 1);
    CHECK_THAT(report.skipped[0], Catch::StartsWith("head: "));
    CHECK(wider.get_layer("shared_dense").get_weights()[0].to_vector<float>() ==
          source.get_layer("shared_dense").get_weights()[0].to_vector<float>());
  }

  // By name: only the layers whose names match; the others are reported.
  backend::clear_session();
  auto x = layers::Input({8});
  auto h = layers::Dense(4, {.activation = "relu", .name = "shared_dense"})(x);
  const models::Model partial(x, layers::Dense(5, {.name = "other"})(h));
  const models::LoadReport by_name =
      partial.load_weights(dir / "two_input_weights.h5", {.by_name = true});
  CHECK(by_name.loaded == std::vector<std::string>{"shared_dense"});
  CHECK(by_name.skipped == std::vector<std::string>{"other: the file has no layer of that name"});
  CHECK(partial.get_layer("shared_dense").get_weights()[1].to_vector<float>() ==
        source.get_layer("shared_dense").get_weights()[1].to_vector<float>());
  REQUIRE_THROWS_WITH(partial.load_weights(dir / "two_input.weights.h5", {.by_name = true}),
                      Catch::Contains("by_name loading needs a legacy .h5 weights file"));
  REQUIRE_THROWS_WITH(partial.load_weights(dir / "two_input_weights.h5"),
                      Catch::Contains("weight 'other/kernel' of layer 'other' has shape (4, 5) "
                                      "but the file's 'head/kernel' has (8, 2)"));
}

TEST_CASE("a failed save leaves the file that was there") {
  const TempDir dir;
  const models::Model model = reference_models::two_input();
  model.save(dir / "model.h5");
  const std::string before = serialize::read_file(dir / "model.h5");

  // Keras 3's hard_sigmoid has no Keras 2 spelling.
  backend::clear_session();
  auto x = layers::Input({2});
  const models::Model hard(x, layers::Dense(1, {.activation = "hard_sigmoid"})(x));
  REQUIRE_THROWS_WITH(hard.save(dir / "model.h5", {.dialect = models::Dialect::keras2}),
                      Catch::Contains("the Keras 2 dialect cannot express it"));
  CHECK(serialize::read_file(dir / "model.h5") == before);
  REQUIRE_THROWS_WITH(model.save(dir / "no_such_dir/model.h5"),
                      Catch::Contains("cannot save '" + (dir / "no_such_dir/model.h5") + "'"));
  REQUIRE_THROWS_WITH(model.save(dir / "model.txt"),
                      Catch::Contains("must end in .keras") && Catch::Contains(".h5"));
  // Nothing but model.h5 is left in the directory: no temporaries.
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir / "")) {
    (void)entry;
    ++files;
  }
  CHECK(files == 1);
}

TEST_CASE("Keras 2's hard_sigmoid stays Keras 2's and saves only in that dialect") {
  const models::Model model = models::load_model(saving_fixture("tfk2/nested_twice.h5"));
  const TempDir dir;
  REQUIRE_THROWS_WITH(
      model.save(dir / "m.keras"),
      Catch::Contains("computes Keras 2's hard_sigmoid") && Catch::Contains("Dialect::keras2"));
  model.save(dir / "m.h5", {.dialect = models::Dialect::keras2});
  const std::string config =
      models::load_model(dir / "m.h5").to_json({.dialect = models::Dialect::keras2});
  CHECK_THAT(config, Catch::Contains("\"activation\": \"hard_sigmoid\""));
}
