// keras::backend's settings (floatx, epsilon, image_data_format) and
// $KERAS_HOME/keras.json: the file read on first use, setters overriding it,
// float64 models, the errors of a bad file, and that the file is never
// written. Each test points KERAS_HOME at a folder of its own and restores
// the test main's empty one (tests/catch_main.cpp) after.
#include <stdlib.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <keras.hpp>

using Catch::Matchers::Contains;
using keras::DType;
using keras::Shape;
using keras::Tensor;
namespace backend = keras::backend;
namespace layers = keras::layers;
namespace fs = std::filesystem;

namespace {

std::optional<std::string> environment(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? std::optional<std::string>(value) : std::nullopt;
}

void restore_environment(const char* name, const std::optional<std::string>& value) {
  if (value) {
    setenv(name, value->c_str(), 1);
  } else {
    unsetenv(name);
  }
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A fresh KERAS_HOME folder, with keras.json holding `json` when given; the
// settings are re-read. Restores KERAS_HOME and the settings when it ends.
class KerasHome {
 public:
  explicit KerasHome(const std::optional<std::string>& json = std::nullopt)
      : saved_(environment("KERAS_HOME")) {
    std::string folder = (fs::temp_directory_path() / "keras-config-test-XXXXXX").string();
    REQUIRE(mkdtemp(folder.data()) != nullptr);
    folder_ = folder;
    if (json) write(*json);
    setenv("KERAS_HOME", folder_.c_str(), 1);
    backend::reload_config();
  }
  ~KerasHome() {
    restore_environment("KERAS_HOME", saved_);
    backend::reload_config();
    std::error_code ignored;
    fs::remove_all(folder_, ignored);
  }
  KerasHome(const KerasHome&) = delete;
  KerasHome& operator=(const KerasHome&) = delete;

  void write(const std::string& json) const { std::ofstream(file()) << json; }
  fs::path file() const { return folder_ / "keras.json"; }
  const fs::path& folder() const { return folder_; }

 private:
  std::optional<std::string> saved_;
  fs::path folder_;
};

// Input(3) -> Dense(4, tanh) -> Dense(2): layers in floatx, as Keras makes them.
keras::models::Model small_model() {
  auto x = layers::Input({3});
  auto h = layers::Dense(4, {.activation = "tanh"})(x);
  return keras::models::Model(x, layers::Dense(2)(h));
}

Tensor inputs(DType dtype) {
  std::vector<double> values;
  for (int i = 0; i < 5 * 3; ++i) values.push_back(std::sin(0.7 * i) * 1.5);
  return Tensor(Shape{5, 3}, values).astype(dtype);
}

}  // namespace

TEST_CASE("the test main points KERAS_HOME at an empty folder", "[backend_config]") {
  const std::optional<std::string> home = environment("KERAS_HOME");
  REQUIRE(home.has_value());
  CHECK(backend::keras_home() == *home);
  CHECK(fs::is_directory(*home));
  CHECK(!fs::exists(fs::path(*home) / "keras.json"));
}

TEST_CASE("without keras.json the settings are Keras' defaults, and no file is made",
          "[backend_config]") {
  KerasHome home;
  CHECK(backend::floatx() == "float32");
  CHECK(backend::floatx_dtype() == DType::float32);
  CHECK(backend::epsilon() == 1e-7);
  CHECK(backend::image_data_format() == "channels_last");
  // A model made, trained and saved to elsewhere leaves KERAS_HOME alone.
  auto model = small_model();
  model.compile({.optimizer = "adam", .loss = "mse"});
  model.fit(inputs(DType::float32), Tensor::zeros({5, 2}), {.epochs = 1, .verbose = 0});
  CHECK(fs::is_empty(home.folder()));
}

TEST_CASE("keras.json is read on first use; backend and unknown keys are ignored",
          "[backend_config]") {
  const std::string json = R"({"floatx": "float64", "epsilon": 1e-05, "backend": "jax",)"
                           R"( "image_data_format": "channels_first", "nnx_enabled": false})";
  KerasHome home(json);
  CHECK(backend::floatx() == "float64");
  CHECK(backend::floatx_dtype() == DType::float64);
  CHECK(backend::epsilon() == 1e-5);
  CHECK(backend::image_data_format() == "channels_first");
  // An integer epsilon is a number too.
  home.write(R"({"epsilon": 0})");
  backend::reload_config();
  CHECK(backend::epsilon() == 0.0);
  CHECK(backend::floatx() == "float32");  // keys left out keep Keras' defaults

  // Read once: a change to the file shows only after reload_config().
  home.write(json);
  backend::reload_config();
  CHECK(backend::floatx() == "float64");
  home.write(R"({"floatx": "float32"})");
  CHECK(backend::floatx() == "float64");
  backend::reload_config();
  CHECK(backend::floatx() == "float32");

  // The library never writes the file, setters included.
  home.write(json);
  const auto before = fs::last_write_time(home.file());
  backend::reload_config();
  backend::set_floatx("float32");
  backend::set_epsilon(1e-3);
  backend::set_image_data_format("channels_last");
  small_model().predict(inputs(DType::float32));
  CHECK(read_text(home.file()) == json);
  CHECK(fs::last_write_time(home.file()) == before);
}

TEST_CASE("setters override keras.json until reload_config()", "[backend_config]") {
  KerasHome home(
      R"({"floatx": "float64", "epsilon": 0.01, "image_data_format": "channels_first"})");
  backend::set_floatx("float32");
  backend::set_epsilon(1e-4);
  backend::set_image_data_format("Channels_Last");  // lowercased, as Keras does
  CHECK(backend::floatx() == "float32");
  CHECK(backend::epsilon() == 1e-4);
  CHECK(backend::image_data_format() == "channels_last");
  backend::set_floatx(DType::float64);
  CHECK(backend::floatx() == "float64");
  backend::reload_config();
  CHECK(backend::floatx() == "float64");
  CHECK(backend::epsilon() == 0.01);
  CHECK(backend::image_data_format() == "channels_first");

  CHECK_THROWS_WITH(backend::set_floatx("float8"),
                    Contains("unknown floatx value \"float8\"") && Contains("\"float64\""));
  CHECK_THROWS_WITH(backend::set_floatx(DType::int32), Contains("got int32"));
  CHECK_THROWS_WITH(backend::set_epsilon(-1.0), Contains("finite number >= 0, got -1"));
  CHECK_THROWS_WITH(backend::set_epsilon(NAN), Contains("finite number >= 0"));
  CHECK_THROWS_WITH(
      backend::set_image_data_format("nhwc"),
      Contains("\"channels_first\", \"channels_last\"") && Contains("data_format=nhwc"));
  CHECK(backend::standardize_data_format(std::nullopt) == "channels_first");
  CHECK(backend::standardize_data_format("CHANNELS_LAST") == "channels_last");
  // A failed setter changes nothing.
  CHECK(backend::floatx() == "float64");
  CHECK(backend::image_data_format() == "channels_first");
}

TEST_CASE("KERAS_HOME chooses the folder, else ~/.keras", "[backend_config]") {
  const std::optional<std::string> saved_keras_home = environment("KERAS_HOME");
  const std::optional<std::string> saved_home = environment("HOME");
  setenv("HOME", "/home/someone", 1);
  setenv("KERAS_HOME", "~/keras-settings", 1);
  CHECK(backend::keras_home() == "/home/someone/keras-settings");
  setenv("KERAS_HOME", "/opt/keras", 1);
  CHECK(backend::keras_home() == "/opt/keras");
  unsetenv("KERAS_HOME");
  CHECK(backend::keras_home() == "/home/someone/.keras");
  restore_environment("HOME", saved_home);
  restore_environment("KERAS_HOME", saved_keras_home);
  backend::reload_config();
}

TEST_CASE("a malformed keras.json gives an error naming the file and the key", "[backend_config]") {
  KerasHome home;
  const std::string path = home.file().string();
  const auto require_error = [&](const std::string& json, const std::string& what) {
    INFO(json);
    home.write(json);
    backend::reload_config();
    CHECK_THROWS_WITH(backend::floatx(), Contains(path) && Contains(what));
    CHECK_THROWS_WITH(backend::epsilon(), Contains(path) && Contains(what));
    CHECK_THROWS_WITH(backend::image_data_format(), Contains(path) && Contains(what));
    CHECK_THROWS_WITH(layers::Dense(2), Contains(path));
  };
  require_error(R"({"floatx": "float32",)", "is not valid JSON");
  require_error("", "is not valid JSON");
  require_error(R"(["float32"])", "holds a JSON list, expected an object");
  require_error(R"({"floatx": "float8"})",
                R"("floatx" is "float8", expected one of "bfloat16", "float16", "float32", )"
                R"("float64")");
  require_error(R"({"floatx": null})", R"("floatx" is null)");
  require_error(R"({"epsilon": "small"})", R"("epsilon" is "small", expected a finite number)");
  require_error(R"({"epsilon": -1e-07})", R"("epsilon" is -1e-07)");
  require_error(R"({"image_data_format": "NHWC"})",
                R"("image_data_format" is "NHWC", expected one of "channels_last", )"
                R"("channels_first")");

  // A failed read is not kept: fixing the file is enough.
  home.write(R"({"floatx": "float64"})");
  CHECK(backend::floatx() == "float64");
  // A setter works around a bad file for its own setting.
  home.write("{");
  backend::reload_config();
  backend::set_epsilon(1e-6);
  CHECK(backend::epsilon() == 1e-6);
  CHECK_THROWS_WITH(backend::floatx(), Contains(path));
}

TEST_CASE("floatx float16 and bfloat16 are refused where a dtype is made", "[backend_config]") {
  KerasHome home(R"({"floatx": "float16"})");
  const std::string path = home.file().string();
  CHECK(backend::floatx() == "float16");  // a valid Keras setting...
  // ... that keras-cpp cannot compute in.
  CHECK_THROWS_WITH(
      backend::floatx_dtype(),
      Contains("keras-cpp computes float32 and float64; floatx float16") && Contains(path));
  CHECK_THROWS_WITH(layers::Input({3}), Contains("floatx float16"));
  CHECK_THROWS_WITH(layers::Dense(2), Contains("floatx float16"));
  // A dtype given explicitly needs no floatx.
  auto x = layers::Input({3}, {.dtype = DType::float32});
  CHECK(layers::Dense(2, {.dtype = DType::float32})(x).dtype() == DType::float32);

  backend::set_floatx("bfloat16");
  CHECK_THROWS_WITH(backend::floatx_dtype(),
                    Contains("floatx bfloat16 (set by keras::backend::set_floatx)"));
}

TEST_CASE("floatx float64 gives float64 layers that match a float32 build", "[backend_config]") {
  KerasHome home;
  auto model32 = small_model();
  const Tensor want = model32.predict(inputs(DType::float32));
  CHECK(want.dtype() == DType::float32);

  home.write(R"({"floatx": "float64"})");
  backend::reload_config();
  auto model64 = small_model();
  CHECK(model64.input().dtype() == DType::float64);
  for (const keras::Variable& w : model64.weights()) {
    INFO(w.name());
    CHECK(w.value().dtype() == DType::float64);
  }
  model64.set_weights(model32.get_weights());  // cast to float64
  const Tensor got = model64.predict(inputs(DType::float64));
  REQUIRE(got.dtype() == DType::float64);
  const std::vector<double> a = got.to_vector<double>();
  const std::vector<double> b = want.astype(DType::float64).to_vector<double>();
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i)
    CHECK(std::abs(a[i] - b[i]) <= 1e-6 + 1e-5 * std::abs(b[i]));

  // The oneDNN backend runs float64 on its reference kernels: the two agree.
  const Tensor x64 = inputs(DType::float64);
  auto reference = backend::function({model64.input()}, {model64.output()},
                                     {.backend = &backend::reference_backend()});
  auto onednn = backend::function({model64.input()}, {model64.output()},
                                  {.backend = &backend::onednn_backend()});
  const std::vector<double> r = reference({x64})[0].to_vector<double>();
  const std::vector<double> o = onednn({x64})[0].to_vector<double>();
  for (std::size_t i = 0; i < r.size(); ++i) CHECK(std::abs(r[i] - o[i]) <= 1e-12);

  // Training keeps float64: the loss falls and the weights stay float64.
  model64.compile({.optimizer = "sgd", .loss = "mse"});
  const Tensor y = Tensor::full({5, 2}, 0.5, DType::float64);
  auto history = model64.fit(x64, y, {.batch_size = 5, .epochs = 5, .verbose = 0});
  const std::vector<double>& losses = history.history.at("loss");
  CHECK(losses.back() < losses.front());
  for (const keras::Variable& w : model64.weights()) CHECK(w.value().dtype() == DType::float64);

  // A saved model keeps its dtype whatever floatx is when it is read.
  const std::string json = model64.to_json();
  backend::set_floatx("float32");
  auto revived = keras::models::model_from_json(json);
  CHECK(revived.input().dtype() == DType::float64);
  CHECK(revived.weights().at(0).value().dtype() == DType::float64);
  CHECK(small_model().weights().at(0).value().dtype() == DType::float32);
}

TEST_CASE("image_data_format is the default data_format of Flatten", "[backend_config]") {
  KerasHome home(R"({"image_data_format": "channels_first"})");
  CHECK(layers::Flatten().get_config().at("data_format").as_string() == "channels_first");
  CHECK(layers::Flatten({.data_format = "channels_last"}).get_config().at("data_format") ==
        "channels_last");
  // Keras 2 wrote null for "the image data format".
  keras::serialize::Config config = layers::Flatten().get_config();
  config["data_format"] = nullptr;
  CHECK(layers::Flatten::from_config(config).get_config().at("data_format") == "channels_first");
  // channels_first flattens (batch, c, w) in channels_last order.
  auto x = layers::Input({2, 3});
  auto model = keras::models::Model(x, layers::Flatten()(x));
  const Tensor out = model.predict(Tensor(Shape{1, 2, 3}, std::vector<float>{0, 1, 2, 3, 4, 5}));
  CHECK(out.to_vector<float>() == std::vector<float>{0, 3, 1, 4, 2, 5});
  backend::set_image_data_format("channels_last");
  CHECK(layers::Flatten().get_config().at("data_format") == "channels_last");
}

TEST_CASE("epsilon is the fuzz factor of losses and metrics", "[backend_config]") {
  KerasHome home;
  const Tensor y_true(Shape{1, 1}, std::vector<float>{1});
  const Tensor y_pred(Shape{1, 1}, std::vector<float>{0});
  const keras::losses::Loss bce("binary_crossentropy");
  // y_pred 0 is clipped to epsilon: the loss is -log(epsilon).
  CHECK(bce(y_true, y_pred).item() == Approx(-std::log(1e-7)).epsilon(1e-5));
  backend::set_epsilon(0.1);
  CHECK(bce(y_true, y_pred).item() == Approx(-std::log(0.1)).epsilon(1e-5));
  // MAPE divides by max(|y_true|, epsilon): |0 - 1| / 0.1 * 100.
  const keras::losses::Loss mape("mean_absolute_percentage_error");
  CHECK(mape(Tensor(Shape{1, 1}, std::vector<float>{0}), Tensor(Shape{1, 1}, std::vector<float>{1}))
            .item() == Approx(1000.0));
  home.write(R"({"epsilon": 0.01})");
  backend::reload_config();
  CHECK(bce(y_true, y_pred).item() == Approx(-std::log(0.01)).epsilon(1e-5));
}

TEST_CASE("the settings may be read from several threads at once", "[backend_config]") {
  KerasHome home(R"({"floatx": "float64"})");
  std::vector<std::thread> threads;
  std::vector<int> float64(8, 0);
  for (std::size_t t = 0; t < float64.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 100; ++i) float64[t] += backend::floatx_dtype() == DType::float64;
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int count : float64) CHECK(count == 100);
}
