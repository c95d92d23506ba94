// The Pima Indians diabetes tutorial: a CSV of 8 measurements and a 0/1
// outcome per row, read as numpy.loadtxt does, an 8-12-8-1 Sequential model
// with kernel_initializer 'uniform', Adam and binary cross-entropy, 150
// epochs of batches of 10, then the architecture through Keras' JSON and
// back, compiled again with rmsprop, giving the same evaluation.
//
//   pima_diabetes [pima-indians-diabetes.csv] [epochs]
//
// Without a CSV it writes a synthetic one (768 rows whose outcome follows
// from the measurements, with noise) and learns that. Exits non-zero when
// the model does not learn or the reloaded model disagrees.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>

#include <keras.hpp>

using keras::Tensor;
namespace layers = keras::layers;
namespace models = keras::models;
namespace utils = keras::utils;

namespace {

// 768 rows like the real table's columns (pregnancies, glucose, blood
// pressure, skin, insulin, BMI, pedigree, age), the outcome a noisy
// threshold of glucose, BMI and age.
std::string write_synthetic_csv() {
  const auto path = std::filesystem::temp_directory_path() / "keras_cpp_synthetic_pima.csv";
  std::mt19937 rng(2017);
  std::normal_distribution<double> noise(0.0, 1.0);
  std::ofstream out(path);
  for (int i = 0; i < 768; ++i) {
    const double pregnancies = std::round(std::abs(noise(rng)) * 3.5);
    const double glucose = 120 + 30 * noise(rng);
    const double pressure = 70 + 12 * noise(rng);
    const double skin = std::max(0.0, 20 + 15 * noise(rng));
    const double insulin = std::max(0.0, 80 + 100 * noise(rng));
    const double bmi = 32 + 7 * noise(rng);
    const double pedigree = std::abs(0.47 + 0.33 * noise(rng));
    const double age = std::round(33 + 11 * std::abs(noise(rng)));
    const double risk =
        0.05 * (glucose - 120) + 0.1 * (bmi - 32) + 0.04 * (age - 33) + 0.5 * noise(rng);
    out << pregnancies << ',' << glucose << ',' << pressure << ',' << skin << ',' << insulin << ','
        << bmi << ',' << pedigree << ',' << age << ',' << (risk > 0.3 ? 1 : 0) << '\n';
  }
  return path.string();
}

}  // namespace

int main(int argc, char** argv) {
  const std::string csv = argc > 1 && std::string(argv[1]) != "-" ? argv[1] : write_synthetic_csv();
  const std::int64_t epochs = argc > 2 ? std::atoll(argv[2]) : 150;

  keras::utils::set_random_seed(7);
  const Tensor dataset = utils::load_csv(csv, {.delimiter = ','});
  const Tensor x = utils::slice(dataset, 1, 0, 8);  // dataset[:, 0:8]
  const Tensor y = utils::slice(dataset, 1, 8, 9);  // dataset[:, 8]
  fmt::print("{}: {} rows of {} measurements\n", csv, x.shape()[0], x.shape()[1]);

  models::Sequential model;
  model.add(
      layers::Dense(12, {.activation = "relu", .kernel_initializer = "uniform", .input_dim = 8}));
  model.add(layers::Dense(8, {.activation = "relu", .kernel_initializer = "uniform"}));
  model.add(layers::Dense(1, {.activation = "sigmoid", .kernel_initializer = "uniform"}));
  model.compile({.optimizer = "adam", .loss = "binary_crossentropy", .metrics = {"accuracy"}});
  model.fit(x, y, {.batch_size = 10, .epochs = epochs, .verbose = 0});
  const std::vector<double> scores = model.evaluate(x, y, {.verbose = 0});
  fmt::print("{}: {:.2f}%\n", model.metrics_names()[1], scores[1] * 100);

  // The tutorial's reload: architecture from JSON, weights copied over
  // (weight files join with the saving issue), compiled with rmsprop.
  models::Model loaded = models::model_from_json(model.to_json());
  loaded.set_weights(model.get_weights());
  loaded.compile({.optimizer = "rmsprop", .loss = "binary_crossentropy", .metrics = {"accuracy"}});
  const std::vector<double> reloaded = loaded.evaluate(x, y, {.verbose = 0});
  fmt::print("reloaded {}: {:.2f}%\n", loaded.metrics_names()[1], reloaded[1] * 100);

  double ones = 0;
  for (double v : y.to_vector<double>()) ones += v;
  const double majority =
      std::max(ones, static_cast<double>(y.size()) - ones) / static_cast<double>(y.size());
  const bool passed = scores[1] > majority + 0.05 && std::abs(reloaded[1] - scores[1]) < 1e-9 &&
                      std::abs(reloaded[0] - scores[0]) < 1e-6;
  fmt::print("majority class: {:.2f}%; {}\n", majority * 100, passed ? "passed" : "FAILED");
  return passed ? 0 : 1;
}
