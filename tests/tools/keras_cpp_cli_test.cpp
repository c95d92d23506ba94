// keras-cpp, the command-line tool: each command on each file kind, its
// exit codes and messages.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <array>
#include <cstdio>

#include <keras.hpp>

#include "keras/serialize/files.hpp"
#include "saving/saving_fixtures.hpp"

using namespace keras;
using keras::testing::fixture_tensor;
using keras::testing::require_close_to;
using keras::testing::saving_fixture;
using keras::testing::saving_json;
using keras::testing::TempDir;

namespace {

struct Run {
  int status;
  std::string output;  // stdout and stderr
};

Run keras_cpp(const std::string& arguments) {
  const std::string command = std::string(KERAS_CPP_CLI) + " " + arguments + " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string output;
  std::array<char, 4096> buffer{};
  while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) {
    output.append(buffer.data(), n);
  }
  const int status = ::pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

}  // namespace

TEST_CASE("keras-cpp summary prints the table of every file kind") {
  // Pima 8-12-8-1: 108 + 104 + 9 parameters.
  for (const char* file : {"k3/pima.keras", "k3/pima.h5", "tfk2/pima.h5", "k2/pima.h5"}) {
    INFO(file);
    const Run run = keras_cpp("summary " + saving_fixture(file));
    CHECK(run.status == 0);
    CHECK_THAT(run.output, Catch::Contains("Total params: 221"));
  }
  const Run config = keras_cpp("summary " + saving_fixture("tfk2/pima.yaml"));
  CHECK(config.status == 0);
  CHECK_THAT(config.output, Catch::Contains("Total params: 221"));
}

TEST_CASE("keras-cpp predict writes what Keras computed") {
  const TempDir dir;
  const serialize::Config expected = saving_json("k3/two_output.expected.json");
  utils::save_npy(dir / "x.npy", fixture_tensor(expected.at("inputs").as_list()[0]));
  const std::string model = saving_fixture("k3/two_output.keras");
  Run run = keras_cpp(fmt::format("predict {} --input {} --output {} --output {}", model,
                                  dir / "x.npy", dir / "a.npy", dir / "b.npy"));
  REQUIRE(run.status == 0);
  require_close_to(utils::load_npy(dir / "a.npy"),
                   fixture_tensor(expected.at("outputs").as_list()[0]));
  require_close_to(utils::load_npy(dir / "b.npy"),
                   fixture_tensor(expected.at("outputs").as_list()[1]));

  // One .npz for all outputs; a config with its weights; a layer's output.
  run = keras_cpp(fmt::format(
      "predict {} --weights {} --input {} --output {}", saving_fixture("k3/two_output.json"),
      saving_fixture("k3/two_output.weights.h5"), dir / "x.npy", dir / "all.npz"));
  REQUIRE(run.status == 0);
  const auto arrays = utils::load_npz(dir / "all.npz");
  REQUIRE(arrays.size() == 2);
  CHECK(arrays[1].first == "output_1");
  require_close_to(arrays[1].second, fixture_tensor(expected.at("outputs").as_list()[1]));
  const std::string hidden = expected.at("layers").as_dict()[1].first;
  run = keras_cpp(fmt::format("predict {} --input {} --layer {} --output {} --batch-size 3", model,
                              dir / "x.npy", hidden, dir / "h.npy"));
  REQUIRE(run.status == 0);
  require_close_to(utils::load_npy(dir / "h.npy"),
                   fixture_tensor(expected.at("layers").as_dict()[1].second));
}

TEST_CASE("keras-cpp convert goes between formats and keeps the training state") {
  const TempDir dir;
  const std::string source = saving_fixture("k3/pima.keras");
  REQUIRE(keras_cpp(fmt::format("convert {} {}", source, dir / "p.h5")).status == 0);
  REQUIRE(keras_cpp(fmt::format("convert {} {}", dir / "p.h5", dir / "p.keras")).status == 0);
  REQUIRE(keras_cpp(fmt::format("convert {} {} --dialect keras2", dir / "p.keras", dir / "p2.json"))
              .status == 0);
  const Run yaml = keras_cpp(fmt::format("convert {} {}", dir / "p.keras", dir / "p.yaml"));
  REQUIRE(yaml.status == 0);
  CHECK_THAT(yaml.output, Catch::Contains("has no place for the training configuration"));

  const serialize::TrainingState original = models::read_training_state(source);
  REQUIRE(original.optimizer_variables.size() == 14);  // Adam: 2 + 2 x 6 slots
  for (const std::string& file : {dir / "p.h5", dir / "p.keras"}) {
    INFO(file);
    const serialize::TrainingState carried = models::read_training_state(file);
    CHECK(carried.compile_config.at("loss") == original.compile_config.at("loss"));
    REQUIRE(carried.optimizer_variables.size() == original.optimizer_variables.size());
    for (std::size_t i = 0; i < carried.optimizer_variables.size(); ++i) {
      CHECK(carried.optimizer_variables[i].value.to_vector<double>() ==
            original.optimizer_variables[i].value.to_vector<double>());
    }
  }
  // Every file computes what the source computes.
  const serialize::Config expected = saving_json("k3/pima.expected.json");
  const Tensor x = fixture_tensor(expected.at("inputs").as_list()[0]);
  const Tensor want = fixture_tensor(expected.at("outputs").as_list()[0]);
  require_close_to(models::load_model(dir / "p.keras").predict(x), want);
  models::Model from_json = models::model_from_json(serialize::read_file(dir / "p2.json"));
  from_json.load_weights(dir / "p2_weights.h5");
  require_close_to(from_json.predict(x), want);
  models::Model from_yaml = models::model_from_yaml(serialize::read_file(dir / "p.yaml"));
  from_yaml.load_weights(dir / "p_weights.h5");
  require_close_to(from_yaml.predict(x), want);
}

TEST_CASE("keras-cpp exits 1 on a bad file, 2 on bad usage, 0 for help") {
  const TempDir dir;
  serialize::write_file_atomically(dir / "junk.h5", "not a model");
  const Run bad = keras_cpp("summary " + (dir / "junk.h5"));
  CHECK(bad.status == 1);
  CHECK(bad.output == "keras-cpp: '" + (dir / "junk.h5") +
                          "' is not an HDF5 file (it does not start with HDF5's signature)\n");
  CHECK(keras_cpp("summary " + (dir / "model.txt")).status == 1);
  const Run missing_input = keras_cpp("predict " + saving_fixture("k3/pima.keras") +
                                      " --input a.npy --input b.npy --output y.npy");
  CHECK(missing_input.status == 1);
  CHECK_THAT(missing_input.output, Catch::Contains("the model has 1 inputs but 2 --input files"));
  CHECK(keras_cpp("").status == 2);
  CHECK(keras_cpp("summary").status == 2);
  CHECK(keras_cpp("convert a.h5 b.h5 --dialect keras9").status == 2);
  CHECK(keras_cpp("frobnicate x").status == 2);
  const Run help = keras_cpp("predict --help");
  CHECK(help.status == 0);
  CHECK_THAT(help.output, Catch::Contains("--layer"));
}

TEST_CASE("keras-cpp plot and plot-history draw a model file and a CSVLogger file") {
  const TempDir dir;
  const std::string model = saving_fixture("k3/pima.keras");
  Run run =
      keras_cpp(fmt::format("plot {} {} --show-shapes --show-dtype --rankdir LR "
                            "--show-layer-activations --show-trainable --dpi 96",
                            model, dir / "pima.dot"));
  REQUIRE(run.status == 0);
  const std::string dot = serialize::read_file(dir / "pima.dot");
  CHECK(dot == utils::model_to_dot(models::load_model(model), {.show_shapes = true,
                                                               .show_dtype = true,
                                                               .rankdir = "LR",
                                                               .dpi = 96,
                                                               .show_layer_activations = true,
                                                               .show_trainable = true}));
  CHECK_THAT(dot, Catch::Contains("Output shape: <b>(None, 1)</b>"));
  run = keras_cpp(fmt::format("plot {} {} --hide-layer-names", model, dir / "bare.dot"));
  REQUIRE(run.status == 0);
  CHECK_THAT(serialize::read_file(dir / "bare.dot"), !Catch::Contains("</b> (Dense)"));
  CHECK(keras_cpp(fmt::format("plot {} {} --rankdir up", model, dir / "x.dot")).status == 2);
  const Run bad_out = keras_cpp(fmt::format("plot {} {}", model, dir / "pima.txt"));
  CHECK(bad_out.status == 1);
  CHECK_THAT(bad_out.output, Catch::Contains(".dot (Graphviz's text), .svg, .png or .pdf"));

  serialize::write_file_atomically(dir / "log.csv",
                                   "epoch,loss,val_loss\r\n0,1.0,1.5\r\n1,0.5,1.0\r\n");
  run = keras_cpp(
      fmt::format("plot-history {} {} --title pima", dir / "log.csv", dir / "curves.svg"));
  REQUIRE(run.status == 0);
  const std::string svg = serialize::read_file(dir / "curves.svg");
  CHECK_THAT(svg, Catch::Contains("<polyline"));
  CHECK_THAT(svg, Catch::Contains(">pima</text>"));
  const Run not_svg =
      keras_cpp(fmt::format("plot-history {} {}", dir / "log.csv", dir / "curves.png"));
  CHECK(not_svg.status == 1);
  CHECK_THAT(not_svg.output, Catch::Contains("name the file *.svg"));
}
